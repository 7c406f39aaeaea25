"""Hostile submissions under the bubblewrap sandbox, and the unsandboxed warning.

Each hostile notebook answers q1, q3 and q4 correctly and does one bad thing in the cell
of q2: read files outside its folder, write outside it, open a network connection, leave
a process running, flood output, or eat memory. Each must be stopped or contained and
noted in its own row, in plain words, as what the sandbox stopped (issue 20, problem 5),
while the good submission graded alongside keeps full marks and no file outside the output
folder changes.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import uuid
from pathlib import Path

import nbformat
import pytest

from defection.checks import load_questions
from defection.grading import sandbox as sandboxing
from defection.grading.pipeline import grade
from defection.grading.run import REPO

FIXTURES = Path(__file__).parent / "grading_fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from notebooks import FULL_GOOD, LIGHT_GOOD, notebook  # noqa: E402

HAVE_BWRAP = sandboxing.choose("auto").active
needs_bwrap = pytest.mark.skipif(
    not HAVE_BWRAP,
    reason="bubblewrap (bwrap) is not installed or cannot make namespaces here; "
    "CI installs it with tests/hub/install.sh",
)
MARKER = f"defection-orphan-{uuid.uuid4().hex}"


def _orphans() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if MARKER.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    home.mkdir()
    (home / "private.txt").write_text("instructor's private notes")
    secret = root / "exam_key.txt"
    secret.write_text("the exam key")
    canary = REPO / "data" / f"written_by_hostile_test_{uuid.uuid4().hex}.txt"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                connections.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    subs = root / "subs"
    subs.mkdir()
    bad = {
        "reader": f"answer_table = open({str(secret)!r}).read() + open({str(home / 'private.txt')!r}).read()"
        f" + str(sorted(__import__('os').listdir({str(REPO / 'solutions')!r})))",
        "writer": f"open({str(root / 'outside.txt')!r}, 'w').write('x')\n"
        f"open({str(canary)!r}, 'w').write('x')",
        "network": f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)",
        "orphan": "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
        f"'import time; time.sleep(600)', {MARKER!r}], start_new_session=True)",
        "flood": "for _ in range(3_000_000):\n    print('x' * 1000)",
        "hog": "hog = bytearray(3 * 1024**3)",
        "disk": "open('big.bin', 'wb').write(b'0' * (300 * 1024**2))",
    }
    for name, cell in bad.items():
        nbformat.write(notebook({**LIGHT_GOOD, "c2": cell}), subs / f"{name}__01_fixture.ipynb")
    nbformat.write(notebook(FULL_GOOD), subs / "good__01_fixture.ipynb")
    home_before = _snapshot(home)
    repo_before = _snapshot(REPO / "data")
    messages: list[str] = []
    old_home = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        rows = grade(subs, root / "out" / "gradebook.csv", registry=load_questions("fixture_checks"),
                     timeout=180, cell_timeout=30, max_memory_mb=1500, jobs=2,
                     extra_path=[FIXTURES], templates=None, progress=messages.append,
                     sandbox="bwrap" if HAVE_BWRAP else "none")  # fmt: skip
    finally:
        if old_home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = old_home
        stop.set()
        thread.join(timeout=5)
        listener.close()
    leftovers = _orphans()
    for pid in leftovers:  # never leave a process behind, even when the test fails
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    wrote_canary = canary.exists()
    canary.unlink(missing_ok=True)
    yield {
        "rows": {r.student: r for r in rows}, "messages": messages, "connections": connections,
        "leftovers": leftovers, "wrote_canary": wrote_canary, "root": root,
        "home_same": _snapshot(home) == home_before, "repo_same": _snapshot(REPO / "data") == repo_before,
    }  # fmt: skip
    for conn in connections:
        conn.close()  # type: ignore[attr-defined]


def _others_count(row) -> None:
    assert row.scores["q1"] == 2 and row.scores["q3"] == 1 and row.scores["q4"] == 1, row.notes


@needs_bwrap
@pytest.mark.slow
def test_good_submission_is_untouched_by_its_neighbours(hostile):
    good = hostile["rows"]["good"]
    assert good.total == 6 and good.notes == [], good.notes
    assert not any("UNSANDBOXED" in m for m in hostile["messages"])


@needs_bwrap
@pytest.mark.slow
def test_reading_outside_its_folder_fails_and_is_noted(hostile):
    row = hostile["rows"]["reader"]
    _others_count(row)
    assert row.statuses["q2"] == "error"
    assert any("exception in cell 3" in n and ("FileNotFoundError" in n or "PermissionError" in n)
               for n in row.notes), row.notes  # fmt: skip
    assert "tried to read a file outside the course and its own folder (once); the sandbox stopped it" in row.notes


@needs_bwrap
@pytest.mark.slow
def test_writing_outside_its_folder_fails_and_changes_nothing(hostile):
    row = hostile["rows"]["writer"]
    _others_count(row)
    assert any("exception in cell 3" in n for n in row.notes), row.notes
    assert "tried to write a file outside its own folder (once); the sandbox stopped it" in row.notes
    feedback = (hostile["root"] / "out" / "feedback" / "writer.md").read_text(encoding="utf-8")
    assert "- tried to write a file outside its own folder (once); the sandbox stopped it" in feedback
    assert not (hostile["root"] / "outside.txt").exists()
    assert not hostile["wrote_canary"] and hostile["repo_same"] and hostile["home_same"]


@needs_bwrap
@pytest.mark.slow
def test_no_network(hostile):
    row = hostile["rows"]["network"]
    _others_count(row)
    assert any("exception in cell 3" in n for n in row.notes), row.notes
    assert "tried to open a network connection (once); the sandbox stopped it" in row.notes
    assert hostile["connections"] == []


@needs_bwrap
@pytest.mark.slow
def test_processes_do_not_outlive_the_kernel(hostile):
    row = hostile["rows"]["orphan"]
    _others_count(row)
    assert hostile["leftovers"] == []
    assert "started another program (once)" in row.notes
    assert "left 1 process(es) running after its last cell; the grader stopped them" in row.notes


@needs_bwrap
@pytest.mark.slow
def test_output_flood_memory_hog_and_disk_filler_are_stopped(hostile):
    flood, hog, disk = (hostile["rows"][k] for k in ("flood", "hog", "disk"))
    for row in (flood, hog, disk):
        _others_count(row)
        assert row.statuses["q2"] == "error", (row.student, row.notes)
    assert any("output truncated" in n or "stopped after" in n for n in flood.notes), flood.notes
    assert any("ran out of memory" in n for n in hog.notes), hog.notes
    assert any("exception in cell 3" in n and n.endswith(": OSError") for n in disk.notes), disk.notes


def test_without_bubblewrap_grading_says_it_is_unsandboxed(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    box = sandboxing.choose("auto")
    assert not box.active and "not installed" in box.reason
    with pytest.raises(RuntimeError, match="bwrap asked for"):
        sandboxing.choose("bwrap")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ann__notes.txt").write_text("see email")
    messages: list[str] = []
    grade(subs, tmp_path / "out" / "gb.csv", registry=load_questions("fixture_checks"),
          templates=None, progress=messages.append)  # fmt: skip
    assert messages[0].startswith("WARNING: grading is UNSANDBOXED")
    assert any(m.startswith("Grading was UNSANDBOXED") for m in messages)
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "Sandbox: NONE - grading was unsandboxed" in summary


@needs_bwrap
def test_sandbox_command_shows_only_the_course_code_and_data(tmp_path):
    hidden = REPO / "data" / "outputs"  # an output folder inside something put back
    cmd = sandboxing.wrap(["python", "x"], workdir=tmp_path / "w", course=REPO,
                          hidden=[tmp_path, hidden] if hidden.exists() else [tmp_path])  # fmt: skip
    text = " ".join(cmd)
    assert "--unshare-net" in cmd and "--unshare-pid" in cmd and "--die-with-parent" in cmd
    assert f"--ro-bind {REPO / 'defection'} {REPO / 'defection'}" in text
    assert f"--ro-bind {REPO} " not in text and f"--ro-bind {tmp_path} " not in text
    assert f"--bind {tmp_path / 'w'} {tmp_path / 'w'}" in text and "--remount-ro /tmp" in text
    assert cmd[-3:] == ["--", "python", "x"]
