#!/usr/bin/env bash
# The README's two commands on real CPython 3.13, 3.14 and 3.15 (Debian sid's own packages),
# in a Debian sid chroot, without the real-browser part. Called by .ci/run; usable alone.
#
# Why a chroot: the CI machine is Debian 12 with one Python (3.11). Debian sid ships real
# python3.13/3.14/3.15 interpreters, so a student's "python3.X -m venv" is what we test,
# not an emulation. The chroot is built once and cached; each Python gets its own clean copy
# of the working tree (what a fresh clone has, plus new files; no .venv, no .git) and runs as
# an ordinary user with a clean environment, so runs never share state.
# Cost measured on the 2-core CI machine: debootstrap 111 s and apt-get 17 s (first run only),
# then per Python about 35-300 s to install (network) and 180-460 s to test (load).
#
# Usage:
#   bash .ci/python_matrix.sh [--results FILE] [PYTHON...]   # build/reuse chroot, run, write TSV
#   bash .ci/python_matrix.sh --print-plan [PYTHON...]        # the commands each Python runs
#   bash .ci/python_matrix.sh --parse-summary FILE            # "passed failed skipped" of a pytest log
#   bash .ci/python_matrix.sh --substitute 3.14 'COMMAND'      # COMMAND as run for python3.14
#   bash .ci/python_matrix.sh --failure-note install|test FILE # the TSV note for a failed step's log
#   bash .ci/python_matrix.sh --list-files                     # what is copied for each Python
#   bash .ci/python_matrix.sh --table TSV...                   # CI's final table from result files
#   bash .ci/python_matrix.sh --help
#
# Environment (all optional):
#   BREAKING_RANKS_CHROOT    chroot folder (default /var/cache/breaking-ranks/sid)
#   BREAKING_RANKS_RESULTS   results TSV (default .ci/matrix-results.tsv; --results wins)
#   BREAKING_RANKS_PYTHONS   Pythons to run (default "3.13 3.14 3.15"; arguments win)
#   BREAKING_RANKS_WORKERS   pytest-xdist workers, passed as PYTEST_ADDOPTS="-n N" (default 2)
#   BREAKING_RANKS_TIMEOUT   seconds allowed per install and per test run (default 1800)
#   BREAKING_RANKS_MIRROR    Debian mirror for debootstrap (default: debootstrap's own)
#   BREAKING_RANKS_KEEP      set to keep each Python's copy and venv even when it passed
#                            (a failing one is always kept, in CHROOT/home/student/py3.X)
#
# Results TSV, one row per Python after a header:
#   python  install  install_s  passed  failed  skipped  test_s  result  note  [platform]
# install is ok/failed; passed/failed/skipped come from pytest's last line (failed counts
# errors too; "-" when tests did not run); result is pass/fail. Exit status is 1 if any
# Python failed, 2 on a set-up problem (no root, no chroot), after running every Python.
# --table prints "Python x platform -> installed / tested / result" from any number of these
# files and of .ci/wheels_check.py's (python platform result note), told apart by header.
# A row with the optional 10th column (e.g. the host's own run, "linux (host, browser)")
# shows it as the platform; otherwise "linux (sid chroot)".
#
# The real-browser test skips itself when /usr/bin/chromium is missing and CI is not set
# (tests/browser/browser_helpers.py: chromium_problem). The chroot has no chromium and the
# tests run there with a clean environment in which CI is unset, so they skip, not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

CHROOT=${BREAKING_RANKS_CHROOT:-/var/cache/breaking-ranks/sid}
RESULTS=${BREAKING_RANKS_RESULTS:-$REPO/.ci/matrix-results.tsv}
WORKERS=${BREAKING_RANKS_WORKERS:-2}
STEP_TIMEOUT=${BREAKING_RANKS_TIMEOUT:-1800}
MIRROR=${BREAKING_RANKS_MIRROR:-}
read -r -a PYTHONS <<<"${BREAKING_RANKS_PYTHONS:-3.13 3.14 3.15}"
SUITE=sid
INCLUDE=python3,python3-venv,python3-pip,ca-certificates
USER_NAME=student            # tests run as an ordinary user, as a student's would
HOST_CA=/etc/ssl/certs/ca-certificates.crt
CHROOT_CA=/etc/ssl/certs/host-ca-certificates.crt

say() { printf '== %s\n' "$*"; }
die() { printf 'python_matrix: %s\n' "$*" >&2; exit 2; }

# ----------------------------------------------------------------------- pure helpers
# (no root, no chroot: unit-tested in tests/unit/test_ci_matrix.py)

readme_commands() {  # sets INSTALL and TEST from `.ci/run --print-commands` (README.md)
  local out
  out=$(bash "$REPO/.ci/run" --print-commands) || die "'.ci/run --print-commands' failed"
  INSTALL=$(printf '%s\n' "$out" | sed -n 's/^install: //p')
  TEST=$(printf '%s\n' "$out" | sed -n 's/^test: //p')
  [ -n "$INSTALL" ] && [ -n "$TEST" ] || die "'.ci/run --print-commands' printed no install:/test: lines"
  case "$INSTALL" in *python3*) ;; *) die "README install command does not call python3: $INSTALL" ;; esac
}

for_python() {  # COMMAND VERSION: the command with the bare word python3 made python3.VERSION
  # Only "python3" as a whole command word changes; ".venv/bin/python" and "python3-venv" stay.
  printf '%s\n' "$1" | sed -E "s/(^|[;&|( ])python3([ ;&|)]|\$)/\\1python$2\\2/g"
}

check_version() {  # VERSION: refuse anything that is not 3.N (it becomes a package name)
  [[ $1 =~ ^3\.[0-9]+$ ]] || die "not a Python version like 3.14: '$1'"
}

parse_summary() {  # LOGFILE -> "passed failed skipped" from pytest's final summary line
  # e.g. "===== 1 failed, 1318 passed, 20 skipped, 3 warnings in 108.23s (0:01:48) ====="
  # failed includes errors; prints "- - -" when the log has no summary line.
  local line
  # (with -q pytest drops the "=====" bars: "3 passed in 1.00s" counts too)
  line=$(sed -E 's/\x1b\[[0-9;]*m//g' "$1" \
    | grep -E '^=+ .*( in [0-9.]+s| no tests ran).* =+$|^[0-9]+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(, [0-9]+ [a-z]+)* in [0-9.]+s' \
    | tail -n 1 || true)
  if [ -z "$line" ]; then echo "- - -"; return; fi
  count() { printf '%s\n' "$line" | grep -oE "[0-9]+ $1" | awk '{s += $1} END {print s + 0}'; }
  echo "$(count passed) $(( $(count failed) + $(count 'errors?') )) $(count skipped)"
}

failure_note() {  # LOGFILE STAGE -> one short line saying why, for the TSV's note column
  local log=$1 stage=$2 note
  local text
  text=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log")
  if [ "$stage" = install ]; then
    # pip names the package it could not build on the line after "Encountered error ...".
    local pkg sdist
    pkg=$(printf '%s\n' "$text" | grep -A1 -E 'Encountered error while (generating package metadata|building)' \
      | sed -n 's/^.*╰─> *//p' | grep -v 'See above' | head -n 1)
    sdist=$(printf '%s\n' "$text" | grep -oE 'Downloading [^ ]+\.(tar\.gz|zip)' | cut -d' ' -f2 \
      | { if [ -n "$pkg" ]; then grep -iE "^${pkg//[-_.]/[-_.]}-[0-9]" || true; else cat; fi; } | tail -n 1)
    if [ -n "$pkg$sdist" ]; then
      note="pip tried to build ${sdist:-$pkg} from source (no wheel for this Python)"
      printf '%s\n' "$text" | grep -q 'Unknown compiler' && note="$note; no compiler"
    else
      note=$(printf '%s\n' "$text" | grep -E '^(ERROR|error):|No matching distribution' | head -n 2 | tr '\n' ' ')
    fi
  else
    note=$(printf '%s\n' "$text" | grep -E '^(FAILED|ERROR) ' | cut -c1-160 | awk '!seen[$0]++' | head -n 3 \
      | paste -sd ';' -)
    [ -n "$note" ] || note=$(printf '%s\n' "$text" | grep -E 'Timeout|Killed|Error' | tail -n 1)
  fi
  printf '%s' "${note:-see log}" | tr '\t' ' ' | cut -c1-400
}

print_table() {  # TSV...: one table over matrix and wheels-check result files
  local fmt='%-7s %-22s %-11s %-28s %s\n' f
  printf "$fmt" Python platform installed tested result
  for f in "$@"; do
    if [ ! -s "$f" ]; then printf 'python_matrix: no results in %s (step did not run?)\n' "$f"; continue; fi
    awk -F'\t' -v fmt="$fmt" -v file="$f" '
      NR == 1 { kind = ($2 == "install") ? "matrix" : ($2 == "platform") ? "wheels" : "?"
                if (kind == "?") { printf "python_matrix: %s is not a results file\n", file; exit } next }
      kind == "matrix" {
        tested = ($4 == "-" || $4 == "") ? "not run" : $4 " passed, " $5 " failed"
        # the website row has no pytest run of its own (the host row tests its build)
        if (tested == "not run" && $9 ~ /^README site command: /) {
          tested = substr($9, length("README site command: ") + 1) }
        printf fmt, $1, (NF >= 10 && $10 != "") ? $10 : "linux (sid chroot)", $2, tested, $8 }
      kind == "wheels" {
        printf fmt, $1, $2, ($3 == "ok") ? "wheels ok" : "no wheels", "-", ($3 == "ok") ? "pass" : "fail" }
    ' "$f"
  done
}

print_plan() {
  readme_commands
  for v in "${PYTHONS[@]}"; do
    check_version "$v"
    printf 'python%s install: %s\n' "$v" "$(for_python "$INSTALL" "$v")"
    printf 'python%s test: %s\n' "$v" "$TEST"
  done
}

# ----------------------------------------------------------------------- chroot handling

MOUNTED=()   # mount points under the chroot this run is responsible for, in mount order

mounts_under() {  # every mount point at or below DIR (deepest first), from /proc/self/mounts
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r
}

unmount_all() {  # always called on exit (trap): undo our mounts, deepest first
  local i
  for (( i = ${#MOUNTED[@]} - 1; i >= 0; i-- )); do
    local m=${MOUNTED[i]}
    if mountpoint -q "$m"; then
      umount "$m" 2>/dev/null || umount -l "$m" || echo "python_matrix: could not unmount $m" >&2
    fi
  done
  MOUNTED=()
  local left
  left=$(mounts_under "$CHROOT")
  [ -z "$left" ] || printf 'python_matrix: still mounted under %s:\n%s\n' "$CHROOT" "$left" >&2
}

on_signal() {
  echo "python_matrix: interrupted; stopping the running step and unmounting" >&2
  trap - INT TERM HUP
  stop_step
  unmount_all
  exit 130
}

mount_into() {  # mount the host's /proc, /dev, /dev/pts, /dev/shm, /sys into the chroot
  local src dst
  for src in /proc /sys /dev /dev/pts /dev/shm; do
    dst=$CHROOT$src
    [ -d "$src" ] || continue
    mkdir -p "$dst"
    if mountpoint -q "$dst"; then  # left over from a killed run (we hold the lock): adopt it
      MOUNTED+=("$dst"); continue
    fi
    case $src in
      /proc) mount -t proc proc "$dst" ;;
      /sys) mount -t sysfs sysfs "$dst" 2>/dev/null || mount --bind /sys "$dst" ;;
      *) mount --bind "$src" "$dst" ;;
    esac
    MOUNTED+=("$dst")
  done
}

in_chroot() {  # run a command as root in the chroot with a clean, small environment
  chroot "$CHROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

debootstrap_done() { [ -f "$CHROOT/.breaking-ranks-debootstrap-ok" ] && [ -x "$CHROOT/usr/bin/python3" ]; }

pythons_installed() {  # true when every python3.X and python3.X-venv is installed in the chroot
  local pkgs=() v
  for v in "${PYTHONS[@]}"; do pkgs+=("python$v" "python$v-venv"); done
  [ "$(in_chroot dpkg-query -W -f='${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null | grep -cx installed)" -eq "${#pkgs[@]}" ]
}

build_chroot() {
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap on the host"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  if debootstrap_done; then
    say "reusing the Debian $SUITE chroot in $CHROOT"
  else
    local left
    left=$(mounts_under "$CHROOT")
    [ -z "$left" ] || die "refusing to delete $CHROOT: something is mounted inside it: $left"
    say "building a Debian $SUITE chroot in $CHROOT (debootstrap --variant=minbase, about 2 min)"
    rm -rf "$CHROOT"
    mkdir -p "$(dirname "$CHROOT")"
    local t0=$SECONDS
    debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$CHROOT" ${MIRROR:+"$MIRROR"} \
      >"$CHROOT.debootstrap.log" 2>&1 || { tail -n 20 "$CHROOT.debootstrap.log" >&2; die "debootstrap failed (log: $CHROOT.debootstrap.log)"; }
    touch "$CHROOT/.breaking-ranks-debootstrap-ok"
    say "debootstrap took $(( SECONDS - t0 )) s"
  fi
  # Network and certificates as on the host (the host's CA bundle includes any CI proxy's CA).
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  [ -f /etc/hosts ] && cp /etc/hosts "$CHROOT/etc/hosts"
  [ -f "$HOST_CA" ] || die "host CA bundle $HOST_CA is missing"
  cp "$HOST_CA" "$CHROOT$CHROOT_CA"
}

install_pythons() {
  if pythons_installed; then
    say "Python ${PYTHONS[*]} and their venv packages already installed in the chroot"
    return
  fi
  local pkgs=() v t0=$SECONDS
  for v in "${PYTHONS[@]}"; do pkgs+=("python$v" "python$v-venv"); done
  say "apt-get install ${pkgs[*]} (in the chroot)"
  # The sid snapshot's Release file can be past its Valid-Until date: accept it.
  in_chroot apt-get -o Acquire::Check-Valid-Until=false -qq update
  in_chroot apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  say "apt-get took $(( SECONDS - t0 )) s"
}

ensure_user() {
  in_chroot id -u "$USER_NAME" >/dev/null 2>&1 || in_chroot useradd --create-home --shell /bin/bash "$USER_NAME"
}

exec_as_student() {  # DIR COMMAND: become COMMAND, run by bash in DIR as the student, clean env
  # Only ever called in a subshell (run_step): it replaces that subshell with `timeout`, whose
  # pid run_step records. timeout puts itself in a new process group and, when it times out or
  # gets TERM, signals that whole group (pip, pytest and its xdist workers).
  local dir=$1 cmd=$2
  exec timeout --signal=TERM --kill-after=30 "$STEP_TIMEOUT" \
    chroot --userspec="$USER_NAME:$USER_NAME" "$CHROOT" /usr/bin/env -i \
    HOME="/home/$USER_NAME" USER="$USER_NAME" LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/bin:/usr/bin:/bin \
    PIP_CERT="$CHROOT_CA" SSL_CERT_FILE="$CHROOT_CA" REQUESTS_CA_BUNDLE="$CHROOT_CA" \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT="${PIP_DEFAULT_TIMEOUT:-60}" \
    ${PIP_INDEX_URL:+PIP_INDEX_URL="$PIP_INDEX_URL"} \
    PYTEST_ADDOPTS="-n $WORKERS" BREAKING_RANKS_SKIP_BROWSER=1 \
    bash -c "cd '$dir' && $cmd"
}

STEP_DIR=""   # while a step runs: its temp folder (pid of its timeout, its exit status)
STEP_TEE=""   # ... and the pid of the tee showing its output

run_step() {  # LOG DIR COMMAND: run it as the student, show and log its output; sets STEP_RC
  # In the background with `wait`, not as a foreground pipeline: bash runs the INT/TERM trap
  # only once a foreground command ends, so Ctrl-C would wait for the whole test run.
  local log=$1 dir=$2 cmd=$3
  STEP_DIR=$(mktemp -d)
  { exec_as_student "$dir" "$cmd" </dev/null & echo $! >"$STEP_DIR/pid"; wait $!; echo $? >"$STEP_DIR/rc"; } 2>&1 \
    | tee "$log" &
  STEP_TEE=$!
  wait "$STEP_TEE" || true
  STEP_RC=$(cat "$STEP_DIR/rc" 2>/dev/null || echo 1)
  rm -rf "$STEP_DIR"
  STEP_DIR="" STEP_TEE=""
}

stop_step() {  # TERM the running step's process group (through timeout), wait up to 40 s
  [ -n "$STEP_DIR" ] || return 0
  local pid i
  pid=$(cat "$STEP_DIR/pid" 2>/dev/null || true)
  [ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < 40; i++ )); do
    kill -0 "$STEP_TEE" 2>/dev/null || break
    sleep 1
  done
}

tree_files() {  # NUL-separated paths of the working tree a fresh clone would have, plus new files
  # Tracked and untracked-but-not-ignored files (so uncommitted work is tested); never .venv,
  # .git, caches or earlier results. Without git: everything but those.
  if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$REPO" ls-files -z --cached --others --exclude-standard \
      | while IFS= read -r -d '' f; do [ -e "$REPO/$f" ] && printf '%s\0' "$f"; done
  else
    (cd "$REPO" && find . -mindepth 1 \( -name .venv -o -name .git -o -name __pycache__ -o -name '*.egg-info' \
       -o -name .pytest_cache -o -name .ipynb_checkpoints -o -path ./.ci/matrix-results\* \) -prune \
       -o ! -type d -printf "%P\0")
  fi
}

copy_tree() {  # VERSION: a clean copy of the working tree at /home/student/py3.X in the chroot
  local dest="$CHROOT/home/$USER_NAME/py$1"
  rm -rf "$dest"
  mkdir -p "$dest"
  tree_files | tar -C "$REPO" --null -T - -cf - | tar -C "$dest" -xf -
  in_chroot chown -R "$USER_NAME:$USER_NAME" "/home/$USER_NAME/py$1"
}

run_one() {  # VERSION LOG_DIR: install, test, append one TSV row, set LAST_RESULT
  local v=$1 log_dir=$2
  local dir="/home/$USER_NAME/py$v" install test ilog="$log_dir/python$v-install.log" tlog="$log_dir/python$v-test.log"
  install=$(for_python "$INSTALL" "$v")
  local istatus=failed is=0 passed=- failed=- skipped=- ts=- result=fail note=""
  say "Python $v: clean copy of the working tree in $CHROOT$dir"
  copy_tree "$v"
  say "Python $v: the README's install command"
  echo "+ $install"
  local t0=$SECONDS rc
  run_step "$ilog" "$dir" "$install"; rc=$STEP_RC
  is=$(( SECONDS - t0 ))
  if [ "$rc" -eq 0 ]; then
    istatus=ok
    say "Python $v: installed in $is s; the README's test command (PYTEST_ADDOPTS=-n $WORKERS)"
    echo "+ $TEST"
    t0=$SECONDS
    run_step "$tlog" "$dir" "$TEST"; rc=$STEP_RC
    ts=$(( SECONDS - t0 ))
    read -r passed failed skipped < <(parse_summary "$tlog")
    if [ "$rc" -eq 0 ]; then result=pass; else note="exit $rc: $(failure_note "$tlog" test)"; fi
    [ "$rc" -eq 124 ] && note="timed out after $STEP_TIMEOUT s; $note"
    say "Python $v: tests exit $rc in $ts s ($passed passed, $failed failed, $skipped skipped)"
  else
    note=$(failure_note "$ilog" install)
    [ "$rc" -eq 124 ] && note="timed out after $STEP_TIMEOUT s; $note"
    say "Python $v: install FAILED (exit $rc) after $is s: $note"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$v" "$istatus" "$is" "$passed" "$failed" "$skipped" "$ts" "$result" "$note" >>"$RESULTS"
  LAST_RESULT=$result
  # A passing copy (and its ~650 MB venv) is no use in the cache; a failing one is kept to look into.
  if [ "$result" = pass ] && [ -z "${BREAKING_RANKS_KEEP:-}" ]; then rm -rf "${CHROOT:?}$dir"; fi
}

main() {
  [ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mount); run it with sudo"
  readme_commands
  local v
  for v in "${PYTHONS[@]}"; do check_version "$v"; done
  mkdir -p "$(dirname "$CHROOT")" "$(dirname "$RESULTS")"
  exec 9>"$CHROOT.lock"
  flock -n 9 || die "another python_matrix run holds $CHROOT.lock"
  trap unmount_all EXIT
  trap on_signal INT TERM HUP

  local t_all=$SECONDS
  build_chroot
  mount_into
  install_pythons
  ensure_user

  local log_dir="${RESULTS%.tsv}-logs"
  rm -rf "$log_dir"; mkdir -p "$log_dir"
  printf 'python\tinstall\tinstall_s\tpassed\tfailed\tskipped\ttest_s\tresult\tnote\n' >"$RESULTS"
  local failures=0
  for v in "${PYTHONS[@]}"; do
    run_one "$v" "$log_dir"   # not "|| ...": that would switch off set -e inside it
    [ "$LAST_RESULT" = pass ] || failures=$(( failures + 1 ))
  done
  unmount_all
  say "Python matrix: ${#PYTHONS[@]} Pythons, $failures failed, $(( SECONDS - t_all )) s in all (results: $RESULTS, logs: $log_dir)"
  column -t -s $'\t' "$RESULTS" 2>/dev/null || cat "$RESULTS"
  [ "$failures" -eq 0 ]
}

# ----------------------------------------------------------------------- entry point
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --help|-h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --print-plan) MODE=plan ;;
    --list-files) tree_files | tr '\0' '\n'; exit 0 ;;
    --table) shift; [ $# -ge 1 ] || die "--table needs result files"; print_table "$@"; exit 0 ;;
    --substitute) [ $# -ge 3 ] || die "--substitute needs a version and a command"
      check_version "$2"; for_python "$3" "$2"; exit 0 ;;
    --failure-note) [ $# -ge 3 ] || die "--failure-note needs install or test and a log file"
      case $2 in install|test) ;; *) die "--failure-note: the stage is install or test, not '$2'" ;; esac
      [ -f "$3" ] || die "no such log file: $3"; failure_note "$3" "$2"; echo; exit 0 ;;
    --parse-summary) [ $# -ge 2 ] || die "--parse-summary needs a log file"; [ -f "$2" ] || die "no such log file: $2"; parse_summary "$2"; exit 0 ;;
    --results) [ $# -ge 2 ] || die "--results needs a file"; RESULTS=$(realpath -m "$2"); shift ;;
    --results=*) RESULTS=$(realpath -m "${1#--results=}") ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ ${#args[@]} -eq 0 ] || PYTHONS=("${args[@]}")
if [ "${MODE:-run}" = plan ]; then print_plan; exit 0; fi
main
