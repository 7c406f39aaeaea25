"""Run one submitted notebook in a throwaway folder and kernel, and explain what happened.

Why a separate worker process: the grader must survive anything a notebook does (endless
loops, ``os._exit``, memory hogs, output floods), so each notebook runs in
``worker.py`` started by path, optionally inside the bubblewrap sandbox, with a time
limit per cell (an endless loop is interrupted and the next cells still run), a limit
per notebook, an address-space and file-size cap, and only error outputs kept.
:func:`execution_notes` turns the worker's report into the short notes of a gradebook row.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defection.grading import sandbox as sandboxing
from defection.grading import worker
from defection.grading.transfer import MAX_VALUE_BYTES, dump_cell_source

REPO = Path(__file__).resolve().parent.parent.parent
ANSWERS_FILE = "answers.json"
MAX_ANSWERS_BYTES = 64_000_000
#: Default limits: a per-cell limit well below the notebook's, so one endless loop costs
#: only the answers that depend on it.
NOTEBOOK_TIMEOUT = 300.0
CELL_TIMEOUT = 30.0


@dataclass
class Settings:
    """Limits and context for running submissions (one per grading run)."""

    timeout: float = NOTEBOOK_TIMEOUT
    cell_timeout: float = CELL_TIMEOUT
    max_output_bytes: int = 1_000_000
    max_memory_mb: int = 4096
    max_file_mb: int = 200
    extra_path: tuple[str, ...] = ()
    templates: Path | None = None
    sandbox: sandboxing.Sandbox = field(
        default_factory=lambda: sandboxing.Sandbox("none", "not chosen")
    )
    hidden: tuple[str, ...] = ()  # folders the sandbox hides (submissions, outputs)
    pool: Any = None  # a defection.grading.pool.KernelPool: workers started ahead


# --------------------------------------------------------------------------- labels


def _snippet(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 30 else line[:27] + "..."
    return ""


def cell_label(nb: Any, index: int) -> str:
    """"cell 3 (while True:)": cells counted from the top, markdown included."""
    try:
        snip = _snippet(nb.cells[index].source)
    except Exception:
        snip = ""
    return f"cell {index + 1}" + (f" ({snip})" if snip else "")


def _cell_source(nb: Any, index: int) -> str:
    try:
        return str(nb.cells[index].source)
    except Exception:
        return ""


_SYNTAX_NAMES = {"SyntaxError", "IndentationError", "TabError", "_IncompleteInputError",
                 "IncompleteInputError"}  # fmt: skip


def is_syntax_name(ename: str) -> bool:
    """Python 3.13's kernel reports some unclosed code as ``_IncompleteInputError``."""
    return ename in _SYNTAX_NAMES or ename.endswith("SyntaxError")


def syntax_problem(source: str) -> tuple[int, str] | None:
    """(line, message) when a code cell cannot compile, else None.

    The cell first goes through IPython's input transformer (magics, ``!shell``) as in
    the kernel, and the error is caught as ``SyntaxError``, of which 3.13's
    ``_IncompleteInputError`` is a subclass, so every Python reports it the same way.
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        code = TransformerManager().transform_cell(source)
    except Exception:
        code = source
    try:
        compile(code, "<cell>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return int(exc.lineno or 1), str(exc.msg or "invalid syntax")
    except (ValueError, OverflowError, RecursionError, MemoryError):
        return None
    return None


# --------------------------------------------------------------------------- running


NOTEBOOK_FILE = "submission.ipynb"


def _reserve(settings: Settings) -> float:
    """Seconds kept for the grader's own last cell beyond the student's time."""
    return min(15.0, max(3.0, 0.25 * settings.timeout))


def start_worker(work: Path, settings: Settings, ahead: tuple[str, ...] | None = None
                 ) -> tuple[subprocess.Popen, Any]:  # fmt: skip
    """Launch the worker for the folder ``work`` (sandboxed when ``settings`` say so).

    It runs ``work/submission.ipynb``. With ``ahead`` (module names) it starts its kernel
    and imports them at once, then waits for "go" on its stdin before it reads the
    notebook: the kernel pool's slots (:mod:`defection.grading.pool`); without, it starts
    on the notebook already in place. One launch path for both, so a pooled kernel is
    sandboxed and limited exactly like any other.
    """
    job = {
        "workdir": str(work),
        "notebook": str(work / NOTEBOOK_FILE),
        "timeout": settings.timeout,
        "cell_timeout": min(settings.cell_timeout, settings.timeout),
        "reserve": _reserve(settings),
        "max_output_bytes": settings.max_output_bytes,
        "max_memory_mb": settings.max_memory_mb,
        "max_file_mb": settings.max_file_mb,
    }
    if ahead is not None:
        job["ahead"] = list(ahead)
    (work / worker.JOB_FILE).write_text(json.dumps(job))
    env = dict(os.environ)
    paths = [*settings.extra_path, env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env["DEFECTION_GRADING"] = "1"
    env["MPLBACKEND"] = "Agg"
    env["JUPYTER_RUNTIME_DIR"] = str(work / "runtime")
    argv = [sys.executable, str(Path(worker.__file__)), str(work / worker.JOB_FILE)]
    if settings.sandbox.active:
        readable = [p for p in settings.extra_path if p]
        argv = sandboxing.wrap(argv, workdir=work, course=REPO, readable=readable,
                               hidden=settings.hidden)  # fmt: skip
    errors = open(work / "worker.err", "wb")  # noqa: SIM115 - closed by the caller
    proc = subprocess.Popen(
        argv, cwd=work, env=env, stdin=subprocess.PIPE if ahead is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True,
    )  # fmt: skip
    return proc, errors


def _kill_group(pgid: Any) -> None:
    if not pgid or os.name != "posix":
        return
    try:
        os.killpg(int(pgid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError, ValueError, OSError):
        pass


def _read_answers(path: Path, report: dict) -> dict[str, Any]:
    if not path.is_file():
        report["answers_error"] = "no answers collected"
        return {}
    if path.stat().st_size > MAX_ANSWERS_BYTES:
        report["answers_error"] = "answers too large to read"
        return {}
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except Exception:
        report["answers_error"] = "answers file malformed"
        return {}
    if not isinstance(answers, dict):
        report["answers_error"] = "answers file malformed"
        return {}
    return answers


def run_notebook(nb: Any, variables: list[str], settings: Settings) -> tuple[dict, dict]:
    """Execute ``nb`` in a fresh folder and kernel; return (worker report, raw answers)."""
    import nbformat
    from nbformat.v4 import new_code_cell

    # With a pool, folder, worker and kernel were started ahead for this notebook only.
    slot = settings.pool.take() if settings.pool is not None else None
    work = slot.work if slot else Path(tempfile.mkdtemp(prefix="defection-grade-"))
    try:
        if not slot:
            (work / "tmp").mkdir()
        run = nbformat.from_dict(json.loads(json.dumps(nb)))
        for cell in run.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        dump = new_code_cell(dump_cell_source(variables, str(work / ANSWERS_FILE), MAX_VALUE_BYTES))
        dump.metadata["defection"] = {"grader": True}
        run.cells.append(dump)
        nbformat.write(run, work / NOTEBOOK_FILE)
        reserve = _reserve(settings)
        proc, errors = slot.go() if slot else start_worker(work, settings)
        hard_limit = settings.timeout + reserve + 60
        killed = False
        try:
            proc.wait(timeout=hard_limit)
        except subprocess.TimeoutExpired:
            killed = True
        report: dict[str, Any] = {}
        try:
            report = json.loads((work / worker.REPORT_FILE).read_text())
        except Exception:
            errors.flush()
            tail = (work / "worker.err").read_bytes()[-2000:].decode("utf-8", "replace").strip()
            last = tail.splitlines()[-1][:200] if tail else f"exit status {proc.poll()}"
            report = {"cells": [], "error": f"the grader's worker wrote no report ({last})"}
        if not settings.sandbox.active:  # inside bwrap the pid namespace ends them all
            _kill_group(report.get("kernel_pgid"))
        _kill_group(proc.pid)
        if killed:
            proc.kill()
            proc.wait()
            report["killed"] = hard_limit
        errors.close()
        answers = _read_answers(work / ANSWERS_FILE, report)
        return report, answers
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- notes


def execution_notes(nb: Any, report: Mapping[str, Any], settings: Settings) -> list[str]:
    """Short, plain notes for the gradebook: what went wrong in which cell."""
    notes = []
    skipped = []
    for entry in report.get("cells", []):
        if entry.get("final"):
            if entry.get("status") == "timeout":
                notes.append("timed out while collecting answers")
            continue
        index = int(entry.get("index", 0))
        status = entry.get("status")
        label = cell_label(nb, index)
        if status == "error":
            ename = str(entry.get("ename", "Error"))
            problem = syntax_problem(_cell_source(nb, index))
            if problem is not None or is_syntax_name(ename):
                where = f", line {problem[0]}" if problem else ""
                notes.append(f"syntax error in {label}{where}")
            elif ename == "CellTimeoutError":
                notes.append(f"{label} stopped after {settings.cell_timeout:g} s (endless loop?)")
            elif ename == "MemoryError":
                notes.append(f"{label} ran out of memory (limit {settings.max_memory_mb} MB)")
            else:
                notes.append(f"exception in {label}: {ename}")
        elif status == "timeout":
            limit = entry.get("limit", settings.cell_timeout)
            notes.append(f"{label} stopped after {limit:g} s (endless loop?)")
        elif status == "dead":
            notes.append(f"kernel stopped in {label} (exit, crash or memory limit?)")
        elif status == "skipped":
            skipped.append(index + 1)
    if skipped:
        notes.append(
            f"{len(skipped)} cell(s) not run: notebook time limit of {settings.timeout:g} s reached"
        )
    if report.get("killed"):
        notes.append(f"timed out after {settings.timeout:g} s (stopped by the grader)")
    if report.get("error"):
        notes.append(f"could not run notebook: {report['error']}")
    if report.get("output_bytes", 0) > settings.max_output_bytes:
        notes.append(f"output truncated (more than {settings.max_output_bytes} bytes printed)")
    if report.get("answers_error") and not report.get("killed") and not report.get("error"):
        notes.append(report["answers_error"])
    return notes


def stuck_cells(report: Mapping[str, Any]) -> list[int]:
    """Indexes of cells stopped by the time limit (answers defined there are "error")."""
    out = []
    for entry in report.get("cells", []):
        if entry.get("final"):
            continue
        if entry.get("status") == "timeout" or entry.get("ename") == "CellTimeoutError":
            out.append(int(entry.get("index", 0)))
    return out


def failed_cells(report: Mapping[str, Any]) -> list[int]:
    """Indexes of cells that raised, timed out or killed the kernel."""
    return [
        int(e.get("index", 0))
        for e in report.get("cells", [])
        if not e.get("final") and e.get("status") in ("error", "timeout", "dead")
    ]
