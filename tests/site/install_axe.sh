#!/bin/sh
# Install axe-core (the accessibility engine the site test injects into every page) from npm
# into a cache folder outside the repository, so that the test finds it with no network.
#
#   sh tests/site/install_axe.sh            # installs once; later runs only check the file
#   AXE_CORE_DIR=/some/dir sh tests/site/install_axe.sh
#
# The version is pinned here and in tests/site/site_helpers.py (AXE_VERSION): an audit that
# changes its rules with every release would make the test pass or fail for reasons outside
# the course. Change both together. The pin is kept at the current release (new releases
# turn on rules, like label-content-name-mismatch, that 4.10.3 left off): when npm answers,
# this script says whenever a newer release exists, so CI's log shows the pin falling behind.
set -eu

AXE_VERSION="4.14.1"
DEFAULT_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/breaking-ranks/axe-core"
DIR="${AXE_CORE_DIR:-$DEFAULT_DIR}/$AXE_VERSION"
TARGET="$DIR/node_modules/axe-core/axe.min.js"

if command -v npm >/dev/null 2>&1; then
    latest=$(npm view axe-core version 2>/dev/null || true)
    if [ -n "$latest" ] && [ "$latest" != "$AXE_VERSION" ]; then
        echo "note: axe-core $latest is the current release; the audit pins $AXE_VERSION." \
            "Update AXE_VERSION here and in tests/site/site_helpers.py, then rerun the site test."
    fi
fi
if [ -s "$TARGET" ]; then
    echo "axe-core $AXE_VERSION already installed: $TARGET"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed to install axe-core (Debian: apt-get install npm)" >&2
    exit 1
fi
mkdir -p "$DIR"
# --no-save/--no-package-lock: nothing is written but node_modules; --ignore-scripts: axe-core
# needs no install scripts, and none should run.
npm install --silent --no-audit --no-fund --no-save --no-package-lock --ignore-scripts \
    --prefix "$DIR" "axe-core@$AXE_VERSION"
if [ ! -s "$TARGET" ]; then
    echo "npm finished but $TARGET is missing" >&2
    exit 1
fi
echo "installed axe-core $AXE_VERSION: $TARGET"
