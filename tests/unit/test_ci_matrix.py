"""CI's Python matrix and wheels check: the parts that need neither a chroot nor PyPI.

.ci/python_matrix.sh runs the README's commands on python3.13-3.15 in a Debian sid chroot and
.ci/wheels_check.py asks PyPI whether every pin has a wheel on Windows and macOS. Both are
too slow (and need root or the network) for the test suite, so these tests pin down their
logic: reading pytest's summary line, turning the README's install command into the one for
python3.X, the platform tags, marker evaluation for another OS, and the report rows.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / ".ci" / "python_matrix.sh"


def _load_wheels_check():
    spec = importlib.util.spec_from_file_location("wheels_check", ROOT / ".ci" / "wheels_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["wheels_check"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


wc = _load_wheels_check()


def matrix(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(["bash", str(MATRIX), *args], cwd=ROOT, capture_output=True, text=True,
                          env=full_env)


def readme_commands() -> dict[str, str]:
    out = subprocess.run(["bash", ".ci/run", "--print-commands"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return dict(line.split(": ", 1) for line in out.stdout.strip().splitlines())


# ----------------------------------------------------------------- pytest's summary line

@pytest.mark.parametrize(
    "last_line, expected",
    [
        ("============ 1 failed, 1331 passed, 6 skipped in 176.22s (0:02:56) =============", "1331 1 6"),
        ("======= 305 failed, 93 passed, 6 skipped, 54 errors in 137.05s (0:02:17) =======", "93 359 6"),
        ("===== 1338 passed, 2 warnings in 101.50s (0:01:41) =====", "1338 0 0"),
        ("=== 1 error in 0.52s ===", "0 1 0"),
        ("=== 7 passed, 1 xfailed, 1 xpassed in 3.00s ===", "7 0 0"),
        ("\x1b[31m=== \x1b[31m\x1b[1m2 failed\x1b[0m, \x1b[32m5 passed\x1b[0m\x1b[31m in 1.20s\x1b[0m\x1b[31m ===\x1b[0m",
         "5 2 0"),
        ("============================ no tests ran in 0.01s =============================", "0 0 0"),
        ("3 failed, 10 passed, 1 skipped in 4.20s", "10 3 1"),  # pytest -q: no bars
    ],
)
def test_parse_summary_reads_pytests_last_line(tmp_path, last_line, expected):
    log = tmp_path / "test.log"
    log.write_text("collecting ...\n.....F....\n=== short test summary info ===\n"
                   "FAILED tests/unit/test_x.py::test_y - assert 1 == 2\n" + last_line + "\n")
    out = matrix("--parse-summary", str(log))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected


def test_parse_summary_takes_the_last_summary_and_ignores_test_output(tmp_path):
    log = tmp_path / "test.log"
    log.write_text(
        "== 3 passed in 1.00s ==\n"            # an earlier pytest run inside a test's output
        "the word passed in 2 places\n"
        "=== 10 passed, 4 skipped in 9.10s ===\n"
        "trailing output from xdist shutdown\n"
    )
    assert matrix("--parse-summary", str(log)).stdout.strip() == "10 0 4"


def test_parse_summary_without_a_summary_says_dash(tmp_path):
    log = tmp_path / "test.log"
    log.write_text("Traceback (most recent call last):\nImportError: no module named pytest\n")
    assert matrix("--parse-summary", str(log)).stdout.strip() == "- - -"


def test_parse_summary_names_a_missing_log(tmp_path):
    out = matrix("--parse-summary", str(tmp_path / "nope.log"))
    assert out.returncode == 2 and "no such log file" in out.stderr and "nope.log" in out.stderr


def test_failure_note_names_the_package_pip_tried_to_build(tmp_path):
    log = tmp_path / "install.log"
    log.write_text(textwrap.dedent("""\
        Collecting numpy==2.4.6 (from -r requirements.txt (line 62))
          Downloading numpy-2.4.6.tar.gz (20.7 MB)
        Collecting pure-eval==0.2.4
          Downloading pure_eval-0.2.4.tar.gz (19 kB)
          Preparing metadata (pyproject.toml): finished with status 'error'
              ../meson.build:1:0: ERROR: Unknown compiler(s): [['cc'], ['gcc']]
        error: metadata-generation-failed

        \u00d7 Encountered error while generating package metadata.
        \u2570\u2500> numpy
        """), encoding="utf-8")
    out = matrix("--failure-note", "install", str(log))
    assert out.stdout.strip() == "pip tried to build numpy-2.4.6.tar.gz from source (no wheel for this Python); no compiler"


def test_failure_note_lists_the_first_distinct_failures(tmp_path):
    log = tmp_path / "test.log"
    log.write_text("\n".join([
        "FAILED tests/unit/test_grade.py::test_syntax_error - assert 'syntax error' in msg",
        "ERROR tests/unit/test_charts.py - TypeError: _TypedDictMeta.__new__()",
        "ERROR tests/unit/test_charts.py - TypeError: _TypedDictMeta.__new__()",
        "\x1b[31mFAILED\x1b[0m lessons/00_start_here.ipynb::Cell 4",
        "FAILED lessons/00_start_here.ipynb::Cell 5",
        "=== 2 failed, 1 error in 3.0s ===",
    ]) + "\n")
    note = matrix("--failure-note", "test", str(log)).stdout.strip()
    assert note.split(";") == [
        "FAILED tests/unit/test_grade.py::test_syntax_error - assert 'syntax error' in msg",
        "ERROR tests/unit/test_charts.py - TypeError: _TypedDictMeta.__new__()",
        "FAILED lessons/00_start_here.ipynb::Cell 4",
    ]
    assert "\t" not in note


def test_failure_note_refuses_an_unknown_stage(tmp_path):
    out = matrix("--failure-note", "build", str(tmp_path))
    assert out.returncode == 2 and "install or test" in out.stderr


# ----------------------------------------------------------------- README commands per Python

@pytest.mark.parametrize(
    "command, expected",
    [
        ("python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt",
         "python3.14 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt"),
        (".venv/bin/python3 -m pip install x", ".venv/bin/python3 -m pip install x"),
        ("apt-get install python3-venv", "apt-get install python3-venv"),
        ("(python3 -V; python3)", "(python3.14 -V; python3.14)"),
        ("true&&python3 -m venv v", "true&&python3.14 -m venv v"),
        ("mypython3 -V", "mypython3 -V"),
    ],
)
def test_substitute_changes_only_the_bare_python3_command(command, expected):
    out = matrix("--substitute", "3.14", command)
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip("\n") == expected


def test_plan_runs_the_readme_commands_with_each_python():
    readme = readme_commands()
    out = matrix("--print-plan")
    assert out.returncode == 0, out.stderr
    plan = dict(line.split(": ", 1) for line in out.stdout.strip().splitlines())
    assert sorted(plan) == sorted(f"python{v} {step}" for v in ("3.13", "3.14", "3.15")
                                  for step in ("install", "test"))
    for v in ("3.13", "3.14", "3.15"):
        install = plan[f"python{v} install"]
        assert install.startswith(f"python{v} -m venv .venv")
        assert install.replace(f"python{v} ", "python3 ", 1) == readme["install"]
        assert plan[f"python{v} test"] == readme["test"], "the test command is never changed"


def test_plan_takes_pythons_from_arguments_or_environment():
    out = matrix("--print-plan", "3.12")
    assert [line.split(":")[0] for line in out.stdout.splitlines()] == ["python3.12 install", "python3.12 test"]
    out = matrix("--print-plan", env={"BREAKING_RANKS_PYTHONS": "3.14 3.15"})
    assert out.stdout.count(" install: ") == 2 and "python3.13" not in out.stdout


@pytest.mark.parametrize("bad", ["3", "3.14; rm -rf /", "python3.14", "3.x", "3.11.2"])
def test_bad_python_versions_are_refused_by_name(bad):
    out = matrix("--print-plan", bad)
    assert out.returncode == 2
    assert "not a Python version like 3.14" in out.stderr and bad in out.stderr


def test_each_python_gets_the_files_of_a_clean_checkout():
    files = matrix("--list-files").stdout.splitlines()
    for needed in ("README.md", "requirements.txt", "pyproject.toml", ".ci/run", "lessons/00_start_here.ipynb"):
        assert needed in files
    for path in files:
        assert not path.startswith((".venv/", ".git/", ".ci/matrix-results")), path
        assert "__pycache__" not in path and ".egg-info" not in path, path
    if (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split("\n")
        assert {f for f in tracked if f and (ROOT / f).exists()} <= set(files)


def test_table_joins_matrix_and_wheels_results(tmp_path):
    matrix_tsv = tmp_path / "matrix.tsv"
    matrix_tsv.write_text(
        "python\tinstall\tinstall_s\tpassed\tfailed\tskipped\ttest_s\tresult\tnote\n"
        "3.13\tok\t33\t1331\t1\t6\t179\tfail\texit 1: FAILED x\n"
        "3.15\tfailed\t27\t-\t-\t-\t-\tfail\tpip tried to build numpy\n")
    host_tsv = tmp_path / "host.tsv"
    host_tsv.write_text("python\tinstall\tinstall_s\tpassed\tfailed\tskipped\ttest_s\tresult\tnote\tplatform\n"
                        "3.11\tok\t40\t1338\t0\t0\t300\tpass\t\tlinux (host, browser)\n"
                        "3.11\tok\t42\t-\t-\t-\t42\tpass\tREADME site command: built offline\twebsite (/x/site)\n")
    wheels_tsv = tmp_path / "wheels.tsv"
    wheels_tsv.write_text("python\tplatform\tresult\tnote\n3.15\twin_amd64\tno-wheel\tno wheel for numpy==2.4.6\n"
                          "3.14\tmacosx_arm64\tok\t109 wheels\n")
    out = matrix("--table", str(host_tsv), str(matrix_tsv), str(wheels_tsv), str(tmp_path / "absent.tsv"))
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()]
    assert rows[0] == ["Python", "platform", "installed", "tested", "result"]
    assert rows[1] == ["3.11", "linux", "(host,", "browser)", "ok", "1338", "passed,", "0", "failed", "pass"]
    assert rows[2] == ["3.11", "website", "(/x/site)", "ok", "built", "offline", "pass"]
    assert rows[3] == ["3.13", "linux", "(sid", "chroot)", "ok", "1331", "passed,", "1", "failed", "fail"]
    assert rows[4] == ["3.15", "linux", "(sid", "chroot)", "failed", "not", "run", "fail"]
    assert rows[5] == ["3.15", "win_amd64", "no", "wheels", "-", "fail"]
    assert rows[6] == ["3.14", "macosx_arm64", "wheels", "ok", "-", "pass"]
    assert "no results in" in out.stdout and "absent.tsv" in out.stdout


def test_without_git_the_copy_still_leaves_out_venv_caches_and_results(tmp_path):
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "python_matrix.sh").write_text(MATRIX.read_text(encoding="utf-8"), encoding="utf-8")
    for path in ("README.md", "lessons/01.ipynb", ".venv/bin/python", "lessons/__pycache__/x.pyc",
                 "pkg.egg-info/PKG-INFO", ".ci/matrix-results.tsv", ".ci/matrix-results-logs/a.log"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    if shutil.which("git") and subprocess.run(["git", "-C", str(tmp_path), "rev-parse"],
                                              capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git checkout")
    out = subprocess.run(["bash", str(tmp_path / ".ci" / "python_matrix.sh"), "--list-files"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert sorted(out.stdout.split()) == [".ci/python_matrix.sh", "README.md", "lessons/01.ipynb"]


def test_help_and_unknown_options():
    out = matrix("--help")
    assert out.returncode == 0
    for documented in ("BREAKING_RANKS_CHROOT", "BREAKING_RANKS_RESULTS", "--results", "install_s"):
        assert documented in out.stdout
    out = matrix("--frobnicate")
    assert out.returncode == 2 and "unknown option --frobnicate" in out.stderr


def test_matrix_script_is_valid_bash_and_always_unmounts():
    assert subprocess.run(["bash", "-n", str(MATRIX)]).returncode == 0
    text = MATRIX.read_text(encoding="utf-8")
    assert re.search(r"^\s*trap unmount_all EXIT", text, re.M)
    assert re.search(r"^\s*trap on_signal INT TERM HUP", text, re.M)
    # The chroot is deleted only after checking nothing (like the host's /dev) is mounted in it.
    rm = text.index('rm -rf "$CHROOT"')
    assert "refusing to delete" in text[text.rindex("build_chroot()", 0, rm):rm]


# ----------------------------------------------------------------- wheels check: inputs

def test_student_requirements_leave_out_comments_and_the_local_package():
    text = textwrap.dedent("""\
        # header comment
        altair==5.5.0
        numpy==2.4.6 ; python_version < "3.12"   # old Pythons
        numpy==2.5.5 ; python_version >= "3.12"

        -e .
        --editable .
        """)
    assert wc.student_requirements(text) == [
        "altair==5.5.0", 'numpy==2.4.6 ; python_version < "3.12"', 'numpy==2.5.5 ; python_version >= "3.12"']


def test_the_projects_requirements_are_read_whole():
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    lines = wc.student_requirements(text)
    assert lines and all("==" in line for line in lines)
    assert not any(line.startswith("-e") for line in lines)
    names = {wc.pin_name(line) for line in lines}
    assert {"jupyterlab", "pandas", "numpy", "altair"} <= names


def test_included_files_are_found_from_a_temporary_copy(tmp_path):
    lines = wc.student_requirements("-r base.txt\n-c /abs/constraints.txt\n--requirement=extra.txt\n",
                                    base=tmp_path)
    assert lines == [f"-r {tmp_path / 'base.txt'}", "-c /abs/constraints.txt",
                     f"--requirement {tmp_path / 'extra.txt'}"]


def test_a_lock_per_python_is_read_per_python(tmp_path, capsys):
    for python, numpy in (("3.11", "2.4.6"), ("3.15", "2.5.5")):
        (tmp_path / f"py{python}.txt").write_text(f"numpy=={numpy}\n")
    fake = _fake_pip(tmp_path, {"numpy==2.4.6": "2.4.6"})
    results = tmp_path / "w.tsv"
    code = wc.main(["--requirements", str(tmp_path / "py{python}.txt"), "--pip-python", fake,
                    "--results", str(results), "--python", "3.11", "--python", "3.15",
                    "--platform", "manylinux_x86_64"])
    rows = [line.split("\t")[:3] for line in results.read_text().splitlines()[1:]]
    assert rows == [["3.11", "manylinux_x86_64", "no-wheel"], ["3.15", "manylinux_x86_64", "ok"]]
    assert code == 1
    assert wc.main(["--requirements", str(tmp_path / "py{python}.txt"), "--python", "3.13"]) == 2
    assert "py3.13.txt" in capsys.readouterr().err


@pytest.mark.parametrize("line, name", [
    ("Jinja2==3.1.6", "jinja2"), ("jupyter_core==5.9.1", "jupyter-core"),
    ("ruamel.yaml==0.18", "ruamel-yaml"), ('numpy==2.5.5 ; python_version >= "3.12"', "numpy"),
])
def test_pin_names_are_normalised(line, name):
    assert wc.pin_name(line) == name


def test_platform_tags_fit_a_current_machine_of_each_kind():
    win, arm, intel, linux = (wc.TARGETS[n].tags for n in
                              ("win_amd64", "macosx_arm64", "macosx_x86_64", "manylinux_x86_64"))
    assert win == ("win_amd64",)
    assert arm[0] == "macosx_14_0_arm64"
    assert {"macosx_11_0_arm64", "macosx_14_0_universal2", "macosx_11_0_universal2"} <= set(arm)
    assert not any("x86_64" in t or "10_" in t for t in arm), "arm64 wheels start at macOS 11"
    assert {"macosx_14_0_x86_64", "macosx_10_13_x86_64", "macosx_10_9_x86_64",
            "macosx_10_9_universal2"} <= set(intel)
    assert not any(t.endswith("_arm64") for t in intel)
    assert not any(t.startswith(("macosx_15", "macosx_26")) for t in arm + intel), \
        "a wheel that needs a newer macOS than 14 should fail the check"
    assert {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_28_x86_64",
            "manylinux_2_35_x86_64", "manylinux1_x86_64"} <= set(linux)
    assert "manylinux_2_36_x86_64" not in linux, "Ubuntu 22.04 (glibc 2.35) is the oldest target"
    for tags in (win, arm, intel, linux):
        assert len(tags) == len(set(tags))


def test_list_tags_prints_every_platform(capsys):
    assert wc.main(["--list-tags"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == len(wc.TARGETS)
    assert "macosx_arm64: macosx_14_0_arm64 " in out


def test_marker_environment_is_the_target_not_this_machine():
    from packaging.markers import Marker

    win315 = wc.marker_environment("3.15", wc.TARGETS["win_amd64"])
    mac311 = wc.marker_environment("3.11", wc.TARGETS["macosx_arm64"])
    assert Marker('sys_platform == "win32" and python_version >= "3.15"').evaluate(win315)
    assert Marker('os_name == "nt" and platform_machine == "AMD64"').evaluate(win315)
    assert Marker('python_full_version >= "3.15.0"').evaluate(win315)
    assert not Marker('sys_platform == "win32"').evaluate(mac311)
    assert Marker('sys_platform == "darwin" and platform_machine == "arm64"').evaluate(mac311)
    assert Marker('python_version < "3.12"').evaluate(mac311)
    assert Marker('platform_python_implementation == "CPython"').evaluate(mac311)


def test_pip_judges_requirement_markers_for_the_target(tmp_path):
    """The patched pip sees a Windows marker as true on this Linux machine (offline, --no-index)."""
    reqs = tmp_path / "r.txt"
    reqs.write_text('not-a-real-package==1.0 ; sys_platform == "win32"\n')
    cmd = [sys.executable, "-c", wc.PIP_WITH_TARGET_MARKERS]
    base = ["install", "--dry-run", "--no-index", "--disable-pip-version-check", "--target",
            str(tmp_path / "t"), "-r", str(reqs)]
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    on_linux = subprocess.run(cmd + [json.dumps({"sys_platform": "linux"})] + base,
                              capture_output=True, text=True, env=env)
    assert on_linux.returncode == 0 and "Ignoring not-a-real-package" in on_linux.stdout + on_linux.stderr
    on_windows = subprocess.run(
        cmd + [json.dumps(wc.marker_environment("3.13", wc.TARGETS["win_amd64"]))] + base,
        capture_output=True, text=True, env=env)
    assert on_windows.returncode != 0
    assert wc.missing_pin(on_windows.stderr) == ("not-a-real-package==1.0", "")


def test_pip_command_is_wheels_only_for_the_pair(tmp_path):
    target = wc.TARGETS["macosx_x86_64"]
    cmd = wc.pip_command("3.15", target, tmp_path / "r.txt", tmp_path, wc.INDEX_URL, "/x/python")
    assert cmd[:2] == ["/x/python", "-c"]
    args = cmd[4:]
    assert args[0] == "install"
    for flag in ("--dry-run", "--ignore-installed", "--only-binary=:all:", "--no-cache-dir"):
        assert flag in args
    assert args[args.index("--python-version") + 1] == "3.15"
    assert args[args.index("--index-url") + 1] == "https://pypi.org/simple"
    assert [args[i + 1] for i, a in enumerate(args) if a == "--platform"] == list(target.tags)
    assert args[-2:] == ["-r", str(tmp_path / "r.txt")]
    assert json.loads(cmd[3])["sys_platform"] == "darwin"


def test_pip_environment_hides_local_wheels_but_keeps_certificates(monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/wheels")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "file:///opt/pypi/simple")
    monkeypatch.setenv("PIP_CERT", "/etc/ssl/certs/ca-certificates.crt")
    env = wc.pip_environment()
    assert "PIP_FIND_LINKS" not in env and "PIP_EXTRA_INDEX_URL" not in env
    assert env["PIP_CERT"] == "/etc/ssl/certs/ca-certificates.crt"
    assert env["PIP_CONFIG_FILE"] == os.devnull


def test_missing_pin_reads_pips_message():
    stderr = textwrap.dedent("""\
        ERROR: Ignored the following versions that require a different python version: 2.5.0 Requires-Python >=3.12
        ERROR: Could not find a version that satisfies the requirement numpy==2.4.6 (from versions: 2.3.4, 2.3.5, 2.5.5)
        ERROR: No matching distribution found for numpy==2.4.6
        """)
    assert wc.missing_pin(stderr) == ("numpy==2.4.6", "newest with one: 2.5.5")
    assert wc.missing_pin("ERROR: No matching distribution found for x==1\n") == ("x==1", "")
    assert wc.missing_pin("ERROR: ResolutionImpossible: conflicting pins\n") is None


def test_missing_pin_names_the_requires_python_that_rules_a_pin_out():
    stderr = textwrap.dedent("""\
        ERROR: Ignored the following versions that require a different python version: 4.0 Requires-Python >=3.11.5; 4.1.2 Requires-Python >=3.11.5
        ERROR: Could not find a version that satisfies the requirement soupsieve==4.1.2 (from versions: 2.9, 2.10)
        ERROR: No matching distribution found for soupsieve==4.1.2
        """)
    assert wc.missing_pin(stderr) == ("soupsieve==4.1.2", "it requires Python >=3.11.5")


def test_a_bare_minor_version_means_its_first_release():
    target = wc.TARGETS["manylinux_x86_64"]
    assert wc.marker_environment("3.11", target)["python_full_version"] == "3.11.0"
    debian12 = wc.marker_environment("3.11.2", target)
    assert (debian12["python_version"], debian12["python_full_version"]) == ("3.11", "3.11.2")
    cmd = wc.pip_command("3.11.2", target, Path("r.txt"), Path("."), wc.INDEX_URL, "py")
    assert cmd[cmd.index("--python-version") + 1] == "3.11.2"


# ----------------------------------------------------------------- wheels check: decisions

def _fake_pip(tmp_path, missing: dict[str, str], extra_installs=()):
    """An executable standing in for pip: fails on any pin in ``missing`` still listed."""
    script = tmp_path / "fake-python"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, sys
        args = sys.argv[4:]  # after: -c CODE MARKER_ENV
        reqs = [l.split(";")[0].strip() for l in open(args[args.index("-r") + 1]).read().splitlines() if l.strip()]
        missing = {missing!r}
        for line in reqs:
            if line in missing:
                sys.stderr.write("ERROR: Could not find a version that satisfies the requirement "
                                 + line + " (from versions: " + missing[line] + ")\\n"
                                 + "ERROR: No matching distribution found for " + line + "\\n")
                sys.exit(1)
        items = [{{"metadata": {{"name": l.split("==")[0], "version": l.split("==")[1]}}}} for l in reqs]
        items += [{{"metadata": {{"name": n, "version": v}}}} for n, v in {list(extra_installs)!r}]
        json.dump({{"install": items}}, open(args[args.index("--report") + 1], "w"))
        """))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_check_pair_lists_every_pin_without_a_wheel(tmp_path):
    fake = _fake_pip(tmp_path, {"numpy==2.4.6": "2.5.4, 2.5.5", "PyYAML==6.0.3": "6.0.4"})
    outcome = wc.check_pair("3.15", wc.TARGETS["win_amd64"],
                            ["altair==5.5.0", "numpy==2.4.6", "PyYAML==6.0.3"], wc.INDEX_URL, fake)
    assert outcome.result == "no-wheel"
    assert outcome.note == ("no wheel for numpy==2.4.6 (newest with one: 2.5.5); "
                            "no wheel for PyYAML==6.0.3 (newest with one: 6.0.4)")


def test_check_pair_says_when_a_pin_is_for_a_later_python(tmp_path):
    script = tmp_path / "fake-python"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stderr.write("
                      "'ERROR: Ignored the following versions that require a different python version: "
                      "4.1.2 Requires-Python >=3.11.5\\nERROR: No matching distribution found for soupsieve==4.1.2\\n')\n"
                      "sys.exit(1)\n")
    script.chmod(0o755)
    outcome = wc.check_pair("3.11", wc.TARGETS["win_amd64"], ["soupsieve==4.1.2"], wc.INDEX_URL, str(script))
    assert (outcome.result, outcome.note) == ("no-wheel", "soupsieve==4.1.2 requires Python >=3.11.5")


def test_check_pair_ok_names_unpinned_dependencies(tmp_path):
    fake = _fake_pip(tmp_path, {}, extra_installs=[("pywin32", "311"), ("colorama", "0.4.6")])
    outcome = wc.check_pair("3.13", wc.TARGETS["win_amd64"], ["altair==5.5.0", "Jinja2==3.1.6"],
                            wc.INDEX_URL, fake)
    assert outcome.result == "ok"
    assert outcome.note == "4 wheels; unpinned dependencies: colorama==0.4.6, pywin32==311"
    strict = wc.check_pair("3.13", wc.TARGETS["win_amd64"], ["altair==5.5.0"], wc.INDEX_URL, fake,
                           require_pins=True)
    assert strict.result == "unpinned" and "pywin32==311" in strict.note
    pinned = wc.check_pair("3.13", wc.TARGETS["win_amd64"], ["altair==5.5.0", "pywin32==311",
                           "colorama==0.4.6 ; sys_platform == 'win32'"], wc.INDEX_URL,
                           fake, require_pins=True)
    assert pinned.result == "ok"


def test_check_pair_reports_other_pip_errors(tmp_path):
    script = tmp_path / "broken-python"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stderr.write('ERROR: network is down\\n')\nsys.exit(2)\n")
    script.chmod(0o755)
    outcome = wc.check_pair("3.12", wc.TARGETS["macosx_arm64"], ["altair==5.5.0"], wc.INDEX_URL, str(script))
    assert outcome.result == "error" and "network is down" in outcome.note


def test_main_writes_the_table_and_fails_naming_the_pin(tmp_path, capsys):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("altair==5.5.0\nnumpy==2.4.6\n-e .\n")
    fake = _fake_pip(tmp_path, {"numpy==2.4.6": "2.5.5"})
    results = tmp_path / "out" / "wheels.tsv"
    code = wc.main(["--requirements", str(reqs), "--results", str(results), "--pip-python", fake,
                    "--python", "3.14", "--python", "3.15", "--platform", "win_amd64", "--jobs", "2"])
    assert code == 1
    rows = [line.split("\t") for line in results.read_text().splitlines()]
    assert rows[0] == ["python", "platform", "result", "note"]
    assert [r[:3] for r in rows[1:]] == [["3.14", "win_amd64", "no-wheel"], ["3.15", "win_amd64", "no-wheel"]]
    err = capsys.readouterr().err
    assert "Python 3.15 on win_amd64: no wheel for numpy==2.4.6 (newest with one: 2.5.5)" in err


def test_main_refuses_bad_input_with_a_clear_message(tmp_path, capsys):
    assert wc.main(["--requirements", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n-e .\n")
    assert wc.main(["--requirements", str(empty)]) == 2
    assert "has no requirement lines" in capsys.readouterr().err
    for bad in ("3", "3.11.x", "4.0"):
        with pytest.raises(SystemExit) as exit_info:
            wc.main(["--python", bad])
        assert exit_info.value.code == 2
        assert "wants a version like 3.14 or 3.11.2" in capsys.readouterr().err
