#!/bin/sh
# System and npm tools the grading sandbox and the JupyterHub test need (run as root in CI):
#   bubblewrap             - the grader's sandbox (tests/unit/test_grade_sandbox.py)
#   chromium               - the headless browser the hub test drives (never `playwright install`)
#   configurable-http-proxy - JupyterHub's proxy, from npm
#   git                    - nbgitpuller clones the course from a locally served repository
#   python3-venv           - a Python every user can run, for grading as an unprivileged user
#                            (tests/unit/test_grade_security.py; .ci/run builds it)
# Then the Python side: .venv/bin/python -m pip install -r tests/requirements.txt
set -eu
export DEBIAN_FRONTEND=noninteractive
if ! command -v bwrap >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ] || ! command -v git >/dev/null 2>&1 \
   || ! dpkg -s python3-venv >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q bubblewrap chromium git python3-venv
fi
if ! command -v configurable-http-proxy >/dev/null 2>&1; then
    npm install -g configurable-http-proxy@5.3.0
fi
bwrap --version
configurable-http-proxy --version
