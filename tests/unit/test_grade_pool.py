"""The kernel pool: kernels start ahead of need, serve one student each, and leave nothing.

The isolation tests run real submissions through ``run.run_notebook`` with a pool of one
slot, so that the next student's kernel is already waiting while the current one runs:
that is exactly when one student could try to reach the next.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from defection.grading import sandbox as sandboxing
from defection.grading.pool import KernelPool
from defection.grading.run import Settings, run_notebook
from defection.grading.transfer import decode

HAVE_BWRAP = sandboxing.choose("auto").active
needs_bwrap = pytest.mark.skipif(
    not HAVE_BWRAP,
    reason="bubblewrap (bwrap) is not installed or cannot make namespaces here; "
    "CI installs it with tests/hub/install.sh",
)
MARKER = f"defection-pool-orphan-{uuid.uuid4().hex}"


def _settings(sandbox: str) -> Settings:
    return Settings(timeout=120, cell_timeout=60, max_memory_mb=3000,
                    sandbox=sandboxing.choose(sandbox))  # fmt: skip


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _kernel(pid: int) -> psutil.Process | None:
    for proc in _tree(pid):
        try:
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                return proc
        except psutil.Error:
            continue
    return None


def _imported_pandas(proc: psutil.Process) -> bool:
    """pandas' compiled modules are mapped into the kernel: it has imported pandas."""
    try:
        return "pandas/_libs" in Path(f"/proc/{proc.pid}/maps").read_text()
    except OSError:
        return False


def _wait(condition, seconds: float = 180.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _run(source: str, variables: list[str], settings: Settings) -> tuple[dict, dict]:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})  # fmt: skip
    nb.cells = [new_code_cell(source)]
    report, raw = run_notebook(nb, variables, settings)
    return report, {k: decode(json.loads(v)) for k, v in raw.items()}


def _alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            continue
    return out


@pytest.mark.parametrize("sandbox", ["none", pytest.param("bwrap", marks=needs_bwrap)])
def test_pool_starts_ahead_hands_each_slot_once_and_leaves_nothing(sandbox):
    settings = _settings(sandbox)
    pool = KernelPool(settings, size=2, students=3)
    taken = []
    try:
        first, second = list(pool._ready)
        assert first.work != second.work and first.work.is_dir() and second.work.is_dir()
        # Started ahead: before anyone asks, each slot has a kernel with the course imported.
        for slot in (first, second):
            warm = lambda s=slot: (k := _kernel(s.proc.pid)) is not None and _imported_pandas(k)  # noqa: E731
            assert _wait(warm), (slot.work / "worker.err").read_text(errors="replace")[-2000:]
        pids = [p.pid for slot in (first, second) for p in _tree(slot.proc.pid)]
        # A slot whose worker died is thrown away, never handed to a student.
        first.proc.kill()
        first.proc.wait()
        slot = pool.take()
        taken.append(slot)
        assert slot is second and pool.discarded == 1 and not first.work.exists()
        # Never reused: every take is a new folder and process; no more than the students.
        taken += [pool.take(), pool.take()]
        works = [s.work for s in taken if s is not None]
        assert len(works) == 3 and len({first.work, *works}) == 4
        # Three students served: nothing is left waiting, nothing more is started.
        assert pool.take() is None and not pool._ready
        assert pool.launched == 4 and pool.handed == 3  # the dead slot was replaced once
        pids += [p.pid for s in taken for p in _tree(s.proc.pid)]
    finally:
        for slot in taken:
            slot.discard()  # what run_notebook's clean-up does after a student's run
        pool.close()
    assert _wait(lambda: not _alive(pids), 30), _alive(pids)
    assert not any(s.work.exists() for s in taken)


@pytest.mark.parametrize("sandbox", ["none", pytest.param("bwrap", marks=needs_bwrap)])
def test_closing_the_pool_stops_waiting_kernels(sandbox):
    pool = KernelPool(_settings(sandbox), size=2, students=10)
    slots = list(pool._ready)
    assert _wait(lambda: all(_kernel(s.proc.pid) for s in slots)), "kernels did not start"
    pids = [p.pid for s in slots for p in _tree(s.proc.pid)]
    pool.close()
    assert pool.take() is None  # closed: nothing more is started
    assert _wait(lambda: not _alive(pids), 30), _alive(pids)
    assert not any(s.work.exists() for s in slots)


@needs_bwrap
def test_students_in_the_pool_share_no_files_variables_or_processes():
    settings = _settings("bwrap")
    with KernelPool(settings, size=1, students=4) as pool:
        settings.pool = pool
        # A: leaves a file, a variable, interpreter state and a process behind, and tries
        # to reach every other grading folder it can find (the next slot is waiting now).
        a_report, a = _run(
            "import glob, os, subprocess, sys\n"
            "open('left_by_a.txt', 'w').write('a')\n"
            "leak = 'from a'\n"
            "sys.left_by_a = True\n"
            f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {MARKER!r}],"
            " start_new_session=True)\n"
            "mine = os.getcwd()\n"
            "others = [d for d in glob.glob('/tmp/defection-grade-*') if d != mine]\n"
            "for d in others:\n"
            "    open(os.path.join(d, 'from_a.txt'), 'w').write('a')\n"
            "kernels = sum(1 for p in os.listdir('/proc') if p.isdigit() and 'ipykernel' in "
            "open(f'/proc/{p}/cmdline').read())\n",
            ["mine", "others", "kernels"], settings,
        )
        assert a.get("others") == [] and a.get("kernels") == 1, (a, a_report)
        # B: the next student sees none of it.
        b_report, b = _run(
            "import glob, os, sys\n"
            "mine = os.getcwd()\n"
            "files = sorted(os.listdir('.')) + glob.glob('/tmp/*/*left_by_a*')"
            " + glob.glob('/tmp/*/from_a*')\n"
            "state = ['leak' in globals(), hasattr(sys, 'left_by_a')]\n"
            f"procs = sum(1 for p in os.listdir('/proc') if p.isdigit() and {MARKER!r} in "
            "open(f'/proc/{p}/cmdline').read())\n",
            ["mine", "files", "state", "procs"], settings,
        )
        assert b.get("mine") and b["mine"] != a["mine"], b_report
        assert not any("left_by_a" in f or "from_a" in f for f in b["files"]), b["files"]
        assert b["state"] == [False, False] and b["procs"] == 0
        # C kills its own kernel; D, next in the pool, is graded as if nothing happened.
        c_report, c = _run("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nx = 1",
                           ["x"], settings)  # fmt: skip
        assert any(e.get("status") == "dead" for e in c_report["cells"]) and "x" not in c
        d_report, d = _run("answer = sum(range(10))", ["answer"], settings)
        assert d == {"answer": 45} and not d_report.get("error"), d_report
        assert pool.handed == 4 and pool.launched == 4
    for proc in psutil.process_iter(["cmdline"]):  # nothing of A outlived its sandbox
        assert MARKER not in " ".join(proc.info["cmdline"] or []), proc
    assert not Path(a["mine"]).exists() and not Path(b["mine"]).exists()
    assert os.path.isdir("/tmp")


def test_waiting_kernels_import_every_course_module_the_exercises_import():
    import ast
    import importlib.util

    from defection.grading.pool import AHEAD_MODULES
    from defection.grading.run import REPO

    def is_module(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, AttributeError, ValueError):
            return False

    wanted = set()
    for path in sorted((REPO / "exercises").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    wanted |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    wanted.add(node.module)
                    wanted |= {f"{node.module}.{a.name}" for a in node.names
                               if is_module(f"{node.module}.{a.name}")}  # fmt: skip
    course = {m for m in wanted if m.split(".")[0] in ("defection", "pandas", "altair")}
    assert course and course <= set(AHEAD_MODULES), sorted(course - set(AHEAD_MODULES))
    assert all(is_module(m) for m in AHEAD_MODULES)
