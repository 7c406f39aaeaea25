"""Grading security: no secret reaches student code or comes back out; tampering at run time
is caught; hostile attempts are reported in the row and the student's feedback.

Each secret notebook answers q1 (``answer_total``) with 45 only when it could NOT get at
the secret, so a leak costs points and is seen twice: in the score and in the outputs,
which must never contain the canary. It also tries to carry the secret out through an
answer value, an exception class name, printed output and a file. The grading runs as the
user running the tests (root, on CI containers and here) and, when that is root, again as
an unprivileged user (``setpriv``), each with the sandbox.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
import pytest

from defection.checks import load_questions
from defection.grading import integrity, sandbox as sandboxing
from defection.grading.pipeline import grade
from defection.grading.run import REPO, safe_name

FIXTURES = Path(__file__).parent / "grading_fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from notebooks import LIGHT_GOOD, notebook  # noqa: E402

HAVE_BWRAP = sandboxing.choose("auto").active
needs_bwrap = pytest.mark.skipif(
    not HAVE_BWRAP, reason="bubblewrap (bwrap) is not installed or cannot make user namespaces here"
)
CANARY = f"canary-{uuid.uuid4().hex}"
TEST_USER = "defection-grader-test"


def _exfiltrate(expr: str) -> str:
    """Cell text: read a secret with ``expr`` (None when it cannot) and try every way out."""
    return (
        "import os, pathlib\n"
        "def _get():\n"
        "    try:\n"
        f"        return {expr}\n"
        "    except Exception:\n"
        "        return None\n"
        "secret = _get()\n"
        "answer_total = 45 if not secret else 0\n"
        "answer_items = {secret} if secret else {'Egypt', 'Tunisia'}\n"
        "print(secret)\n"
        "pathlib.Path('stolen.txt').write_text(str(secret))\n"
        "if secret:\n"
        "    raise type('E' + ''.join(c for c in secret if c.isalnum())[:60], (Exception,), {})()\n"
    )


def _build(root: Path, home: Path) -> tuple[Path, dict[str, Path]]:
    secrets = {
        "home": home / "private.txt",  # the grading user's home
        "tmp": root / "root_only.txt",  # a 0600 file of the grading user, outside the course
        "course": REPO / "data" / f".secret-{uuid.uuid4().hex}.txt",  # 0600, inside what is bound
    }
    for path in secrets.values():
        path.write_text(CANARY)
        path.chmod(0o600)
    subs = root / "subs"
    subs.mkdir()
    cells = {
        "env": "os.environ.get('CANVAS_API_TOKEN')",
        "shadow": "open('/etc/shadow').read()",
        **{k: f"open({str(p)!r}).read()" for k, p in secrets.items()},
    }
    for name, expr in cells.items():
        nb = notebook({**LIGHT_GOOD, "c1": _exfiltrate(expr)})
        nbformat.write(nb, subs / f"{name}__01_fixture.ipynb")
    return subs, secrets


GRADE = """
import sys
sys.path.insert(0, {fixtures!r})
from defection.checks import load_questions
from defection.grading.pipeline import grade
grade({subs!r}, {out!r}, registry=load_questions("fixture_checks"), timeout=120, cell_timeout=30,
      extra_path=[{fixtures!r}], templates=None, progress=lambda m: None, sandbox="bwrap")
"""


def _unprivileged_python() -> tuple[str, str] | None:
    """(python, user) a normal user can run the grader with, or None (with a reason)."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None or shutil.which("useradd") is None:
        pytest.skip("setpriv/useradd missing: cannot grade as a normal user here")
    try:
        pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", TEST_USER], check=True)
    python = os.environ.get("DEFECTION_TEST_USER_PYTHON", sys.executable)
    probe = subprocess.run(["setpriv", f"--reuid={TEST_USER}", f"--regid={TEST_USER}", "--clear-groups",
                            python, "-c", "from defection.grading import sandbox; sandbox.choose('bwrap')"],
                           capture_output=True, text=True, cwd="/")  # fmt: skip
    if probe.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"{TEST_USER} cannot run {python}: {probe.stderr[-300:]}")
        pytest.skip(f"a normal user cannot grade with {python} ({probe.stderr.strip()[-160:]}); set "
                    "DEFECTION_TEST_USER_PYTHON to a Python environment every user can run")
    return python, TEST_USER


@pytest.fixture(scope="module", params=["grader's own user", "unprivileged user"])
def graded(request, tmp_path_factory):
    if not HAVE_BWRAP:
        pytest.skip("bubblewrap (bwrap) is not installed or cannot make namespaces here")
    # Not pytest's own temporary folder: a normal user could not enter it.
    root = Path(tempfile.mkdtemp(prefix="defection-secrets-"))
    root.chmod(0o755)
    home = root / "home"
    home.mkdir()
    subs, secrets = _build(root, home)
    out = root / "out" / "gradebook.csv"
    env = {**os.environ, "CANVAS_API_TOKEN": CANARY, "HOME": str(home)}
    try:
        if request.param == "grader's own user":
            old = dict(os.environ)
            os.environ.update(env)
            try:
                rows = grade(subs, out, registry=load_questions("fixture_checks"), timeout=120,
                             cell_timeout=30, extra_path=[FIXTURES], templates=None,
                             progress=lambda m: None, sandbox="bwrap")  # fmt: skip
            finally:
                os.environ.clear()
                os.environ.update(old)
            scores = {r.student: r.scores.get("q1") for r in rows}
        else:
            found = _unprivileged_python()
            if found is None:
                pytest.skip("the tests already run as a normal user (the first run covers it)")
            python, user = found
            entry = pwd.getpwnam(user)
            # The test checks live beside this file, in a clone the normal user may not be able
            # to enter (CI clones into a private folder): give that user its own copy.
            fixtures = root / "fixtures"
            shutil.copytree(FIXTURES, fixtures, ignore=shutil.ignore_patterns("__pycache__"))
            for path in [root, *root.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)  # the instructor's own files
            code = GRADE.format(fixtures=str(fixtures), subs=str(subs), out=str(out))
            proc = subprocess.run(["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
                                   python, "-c", code], env=env, cwd=str(root),
                                  capture_output=True, text=True, timeout=900)  # fmt: skip
            assert proc.returncode == 0, proc.stderr[-2000:]
            import csv

            with open(out, encoding="utf-8-sig") as fh:
                scores = {r["student"]: float(r["q1"]) for r in csv.DictReader(fh)}
        texts = {p.relative_to(out.parent).as_posix(): p.read_text(encoding="utf-8", errors="replace")
                 for p in out.parent.rglob("*") if p.is_file() and p.suffix in (".csv", ".md")}  # fmt: skip
        yield {"scores": scores, "texts": texts, "mode": request.param}
    finally:
        for path in secrets.values():
            path.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


@needs_bwrap
@pytest.mark.slow
@pytest.mark.parametrize("who", ["env", "shadow", "home", "tmp", "course"])
def test_no_secret_reaches_student_code(graded, who):
    # q1 is 2 points only when the notebook could not read the secret.
    assert graded["scores"][who] == 2, (graded["mode"], who, graded["scores"])


@needs_bwrap
@pytest.mark.slow
def test_no_secret_comes_back_out(graded):
    assert graded["texts"], "the grader wrote no outputs"
    for name, text in graded["texts"].items():
        assert CANARY not in text, (graded["mode"], name)
        assert CANARY.replace("-", "") not in text, (graded["mode"], name)


def test_the_kernel_environment_is_an_allow_list(tmp_path):
    env = sandboxing.kernel_environment(tmp_path, ["/x"], source={
        "CANVAS_API_TOKEN": CANARY, "AWS_SECRET_ACCESS_KEY": "k", "LANG": "en_GB.UTF-8",
        "LC_ALL": "C.UTF-8", "TZ": "UTC", "HOME": "/root", "PATH": "/root/bin:/usr/bin",
        "PYTHONPATH": "/course", "SSH_AUTH_SOCK": "/tmp/agent"})  # fmt: skip
    assert CANARY not in str(env) and "AWS_SECRET_ACCESS_KEY" not in env and "SSH_AUTH_SOCK" not in env
    assert env["HOME"] == str(tmp_path) and env["TMPDIR"] == str(tmp_path / "tmp")
    assert env["LANG"] == "en_GB.UTF-8" and env["LC_ALL"] == "C.UTF-8" and env["TZ"] == "UTC"
    assert env["PYTHONPATH"] == "/x" + os.pathsep + "/course" and "/root" not in env["PATH"]
    assert all(str(tmp_path) in env[k] for k in ("JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"))


def test_exception_names_a_notebook_chooses_are_not_repeated():
    assert safe_name("ZeroDivisionError") == "ZeroDivisionError"
    assert safe_name("KeyError") == "KeyError" and safe_name("ParserError") == "ParserError"
    assert safe_name("Ecanary0123") == "an exception of its own kind"


@needs_bwrap
def test_the_sandbox_shows_no_private_file(tmp_path):
    cmd = sandboxing.wrap(["python", "x"], workdir=tmp_path / "w", course=REPO, hidden=[tmp_path])
    binds = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--ro-bind"]
    assert "/" not in binds and "/etc" not in binds and "/etc/shadow" not in binds
    assert "/etc/ld.so.cache" in binds and str(REPO / "defection") in binds
    # Nothing else: not the repository (its solutions), not the home folder, not /root.
    allowed = [Path(p) for p in (*sandboxing.SYSTEM_DIRS, *sandboxing.ETC_FILES)]
    allowed += sandboxing.readable_paths(REPO)
    assert str(REPO) not in binds and str(Path.home()) not in binds and "/root" not in binds
    assert all(Path(b) in allowed or b.startswith("/etc/python3") for b in binds), binds
    assert "--unshare-net" in cmd and "--unshare-pid" in cmd and "--cap-drop" in cmd
    assert ("--unshare-user" in cmd) != (os.geteuid() == 0)
    assert cmd[-3:] == ["--", "python", "x"]


# --------------------------------------------------------------------------- tampering

TAMPER = {
    "plain": "import fixture_checks\nfixture_checks.q1.evaluate = lambda *a, **k: True",
    "walk": "import importlib, pkgutil, defection.checks\n"
    "for m in pkgutil.walk_packages(defection.checks.__path__, 'defection.checks.'):\n"
    "    mod = importlib.import_module(m.name)\n"
    "    for cls in list(vars(mod).values()):\n"
    "        if isinstance(cls, type) and 'evaluate' in vars(cls):\n"
    "            cls.evaluate = lambda self, *a, **k: True",
    "chain": "import importlib\nd = importlib.import_module('defection')\n"
    "setattr(getattr(getattr(d, 'checks'), 'question').Question, '_co' + 'mpare', lambda *a: (True, ''))",
    "questions": "import sys\nsys.modules['fixture' + '_checks'].QUESTIONS = []",
}


@pytest.fixture(scope="module")
def tampered(tmp_path_factory):
    root = tmp_path_factory.mktemp("tamper")
    subs = root / "subs"
    subs.mkdir()
    for name, cell in TAMPER.items():
        nbformat.write(notebook({**LIGHT_GOOD, "c2": cell}), subs / f"{name}__01_fixture.ipynb")
    nbformat.write(notebook(LIGHT_GOOD), subs / "honest__01_fixture.ipynb")
    rows = grade(subs, root / "out" / "gradebook.csv", registry=load_questions("fixture_checks"),
                 timeout=120, cell_timeout=30, extra_path=[FIXTURES], templates=None,
                 progress=lambda m: None)  # fmt: skip
    feedback = {p.stem: p.read_text(encoding="utf-8") for p in (root / "out" / "feedback").iterdir()}
    return {r.student: r for r in rows}, feedback


@pytest.mark.slow
@pytest.mark.parametrize("way", sorted(TAMPER))
def test_run_time_tampering_is_flagged_everywhere(tampered, way):
    rows, feedback = tampered
    row = rows[way]
    runtime = [t for t in row.tampering if t.startswith("run-time check")]
    assert runtime, (way, row.tampering, row.notes)
    assert any(n.startswith("possible tampering") and "run-time check" in n for n in row.notes)
    assert "changed the course's checks while it ran" in feedback[way]
    assert row.scores["q1"] == 2  # graded with the grader's own checks all the same


@pytest.mark.slow
def test_run_time_check_names_what_changed_and_spares_the_honest(tampered):
    rows, feedback = tampered
    assert rows["honest"].tampering == [] and rows["honest"].notes == []
    assert "changed the course's checks" not in feedback["honest"]
    assert "fixture_checks.q1 changed" in rows["plain"].tampering[-1]
    assert "fixture_checks.QUESTIONS changed" in rows["questions"].tampering[-1]
    assert "defection.checks.question.Question._compare" in " ".join(rows["chain"].tampering)


def test_fingerprint_comparison_names_only_the_course_own_names():
    start = {"m": "a", "m.q1": "b", "m.C": "c", "m.C.f": "d"}
    end = {"m": "a", "m.q1": "B", "m.C": "c", "m.C.f": "d", "m.secret_chosen_name": "x"}
    found = integrity.changes(start, end)
    assert found == ["m.q1 changed", "1 attribute(s) added to the checks"]
    assert integrity.changes(start, {"m": "A"}) == ["m changed"]
    report = {"probes": {"start": {"report": {"prints": start}}, "end": {"status": "ok", "report": None, "lines": 2}}}
    assert "more than once" in integrity.tampering(report)[0]
    report["probes"]["end"]["lines"] = 0
    assert "missing" in integrity.tampering(report)[0]
    report["probes"]["end"]["status"] = "dead"  # a dead kernel reports nothing: no flag
    assert integrity.tampering(report) == []


def test_attempt_notes_are_counts_in_plain_words():
    report = {"probes": {"end": {"report": {"tally": {"write": 2, "read": 1, "connect": 1, "spawn": 0}}}},
              "leftover_processes": 1}  # fmt: skip
    notes = integrity.attempt_notes(report, sandboxed=True)
    assert notes == [
        "tried to write a file outside its own folder (2 times); the sandbox stopped it",
        "tried to read a file outside the course and its own folder (once); the sandbox stopped it",
        "tried to open a network connection (once); the sandbox stopped it",
        "left 1 process(es) running after its last cell; the grader stopped them",
    ]
    assert "may have worked" in integrity.attempt_notes(report, sandboxed=False)[0]


def test_code_that_hooks_into_the_kernel_is_flagged():
    from defection.grading.recheck import hooks

    nb = notebook({**LIGHT_GOOD, "c2": "import sys\nsys.settrace(lambda *a: None)",
                   "c5": "import ctypes\nimport builtins\nbuiltins.print = len"})  # fmt: skip
    found = hooks(nb)
    assert found == ["cell 3 (import sys) hooks into the kernel (settrace)",
                     "cell 6 (import ctypes) hooks into the kernel (builtins, ctypes)"]  # fmt: skip
    assert hooks(notebook(LIGHT_GOOD)) == []


@pytest.mark.slow
def test_without_a_sandbox_the_environment_is_still_minimal_and_the_notes_honest(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    subs.mkdir()
    outside = tmp_path / "outside.txt"
    nbformat.write(notebook({**LIGHT_GOOD, "c1": _exfiltrate("os.environ.get('CANVAS_API_TOKEN')")}),
                   subs / "env__01_fixture.ipynb")  # fmt: skip
    nbformat.write(notebook({**LIGHT_GOOD, "c2": f"open({str(outside)!r}, 'w').write('x')"}),
                   subs / "writer__01_fixture.ipynb")  # fmt: skip
    monkeypatch.setenv("CANVAS_API_TOKEN", CANARY)
    messages: list[str] = []
    rows = grade(subs, tmp_path / "out" / "gradebook.csv", registry=load_questions("fixture_checks"),
                 timeout=120, cell_timeout=30, extra_path=[FIXTURES], templates=None,
                 progress=messages.append, sandbox="none")  # fmt: skip
    rows_by = {r.student: r for r in rows}
    assert rows_by["env"].scores["q1"] == 2, rows_by["env"].notes
    assert outside.exists()  # unsandboxed, the write worked: the note must not say otherwise
    assert ("tried to write a file outside its own folder (once); no sandbox was used, so it may "
            "have worked") in rows_by["writer"].notes  # fmt: skip
    feedback = (tmp_path / "out" / "feedback" / "writer.md").read_text(encoding="utf-8")
    assert "tried to write a file outside its own folder" in feedback
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert CANARY not in path.read_text(encoding="utf-8", errors="replace")
    assert any("UNSANDBOXED" in m for m in messages)


def test_answers_linked_to_another_file_are_not_read(tmp_path):
    from defection.grading.run import _read_answers

    secret = tmp_path / "secret.json"
    secret.write_text('{"answer_total": "\\"%s\\""}' % CANARY)
    link = tmp_path / "answers.json"
    link.symlink_to(secret)
    report: dict = {}
    assert _read_answers(link, report) == {} and report["answers_error"] == "no answers collected"
    hard = tmp_path / "hard.json"
    os.link(secret, hard)
    report = {}
    assert _read_answers(hard, report) == {} and report["answers_error"] == "answers file malformed"
    plain = tmp_path / "plain.json"
    plain.write_text('{"answer_total": "45"}')
    assert _read_answers(plain, {}) == {"answer_total": "45"}
