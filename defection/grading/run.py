"""Run one submitted notebook in a throwaway folder and kernel, and explain what happened.

Why a separate worker process: the grader must survive anything a notebook does (endless
loops, ``os._exit``, memory hogs, output floods), so each notebook runs in
``worker.py`` started by path, optionally inside the bubblewrap sandbox, with a time
limit per cell (an endless loop is interrupted and the next cells still run), a limit
per notebook, an address-space and file-size cap, and only error outputs kept.
:func:`execution_notes` turns the worker's report into the short notes of a gradebook row.

Nothing a notebook chooses travels into a note as text: an exception is named only when
its name is one of Python's own or a well-known library's (:data:`SAFE_NAMES`), other
names become "an exception of its own kind", and the worker's error output is never
quoted. Otherwise a notebook could read something and carry it out in its own feedback.
"""

from __future__ import annotations

import builtins
import glob
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defection.grading import integrity, worker
from defection.grading import sandbox as sandboxing
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


#: Exception names a note may repeat: Python's own, and those of the libraries the course
#: uses. Anything else a notebook raised is described, not named.
SAFE_NAMES = frozenset(
    {n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException)}
    | {"CellTimeoutError", "DeadKernelError", "_IncompleteInputError", "UnpicklingError",
       "JSONDecodeError", "ParserError", "EmptyDataError", "MergeError", "IndexingError",
       "InvalidIndexError", "IntCastingNaNError", "OutOfBoundsDatetime", "DateParseError",
       "SettingWithCopyError", "UndefinedVariableError", "AxisError", "LinAlgError",
       "DTypePromotionError", "UFuncTypeError", "SchemaValidationError", "MaxRowsError",
       "ConversionError", "ValidationError", "LinkError"}
)  # fmt: skip


def safe_name(ename: object) -> str:
    """An exception's name when it is a known one, else a phrase that repeats nothing."""
    name = str(ename)
    return name if name in SAFE_NAMES else "an exception of its own kind"


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
    # An allow-list, never the grader's own environment (tokens, keys): see sandbox.py.
    env = sandboxing.kernel_environment(work, settings.extra_path)
    argv = [sys.executable, str(Path(worker.__file__)), str(work / worker.JOB_FILE)]
    if settings.sandbox.active:
        if sandboxing.as_root():  # the worker becomes nobody inside (see sandbox.py)
            argv.append("%d:%d" % sandboxing.SANDBOX_USER)
            for path in [work, *work.rglob("*")]:
                os.chown(path, *sandboxing.SANDBOX_USER)
        readable = [p for p in settings.extra_path if p]
        argv = sandboxing.wrap(argv, workdir=work, course=REPO, readable=readable,
                               hidden=settings.hidden)  # fmt: skip
    errors = open(work / "worker.err", "wb")  # noqa: SIM115 - closed by the caller
    # The report comes back on stdout (a channel student code cannot rewrite, unlike a file);
    # a pooled worker also waits for "go" on stdin.
    proc = subprocess.Popen(
        argv, cwd=work, env=env, stdin=subprocess.PIPE if ahead is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=errors, start_new_session=True,
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
    """The answers the kernel saved. Student code could have replaced the file with a link
    to a file only the grader may read: links are refused, only a plain file is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        report["answers_error"] = "no answers collected"
        return {}
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            report["answers_error"] = "answers file malformed"
            return {}
        if info.st_size > MAX_ANSWERS_BYTES:
            report["answers_error"] = "answers too large to read"
            return {}
        data = fh.read(MAX_ANSWERS_BYTES + 1)
    try:
        answers = json.loads(data.decode("utf-8"))
    except Exception:
        report["answers_error"] = "answers file malformed"
        return {}
    if not isinstance(answers, dict):
        report["answers_error"] = "answers file malformed"
        return {}
    return answers


def _last_report(text: str) -> dict[str, Any] | None:
    """The worker's last complete report line (it writes one after every cell)."""
    for line in reversed(text.splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def seen_paths(work: Path, settings: Settings) -> tuple[list[str], list[str]]:
    """(readable, writable) roots the kernel is given: the audit hook counts the rest."""
    readable = [str(work), *map(str, sandboxing.readable_paths(REPO, settings.extra_path)),
                *sandboxing.SYSTEM_DIRS, *sandboxing.ETC_FILES, *glob.glob("/etc/python3*"),
                "/proc", "/sys", "/dev"]  # fmt: skip
    return readable, [str(work), "/dev"]


def run_notebook(nb: Any, variables: list[str], settings: Settings,
                 modules: tuple[str, ...] = ()) -> tuple[dict, dict]:  # fmt: skip
    """Execute ``nb`` in a fresh folder and kernel; return (worker report, raw answers).

    ``modules`` are the check modules to fingerprint besides ``defection.checks``; the
    report's ``probes`` say what the two probes found (see :mod:`integrity`).
    """
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
        readable, writable = seen_paths(work, settings)
        markers = {stage: integrity.new_marker() for stage in ("start", "end")}
        for stage, marker in markers.items():
            probe = new_code_cell(integrity.probe_source(stage, marker, modules, str(work),
                                                         readable, writable))  # fmt: skip
            probe.metadata["defection"] = {"grader": True, "probe": {"stage": stage}}
            run.cells.append(probe)
        dump = new_code_cell(dump_cell_source(variables, str(work / ANSWERS_FILE), MAX_VALUE_BYTES))
        dump.metadata["defection"] = {"grader": True}
        run.cells.append(dump)
        nbformat.write(run, work / NOTEBOOK_FILE)
        reserve = _reserve(settings)
        proc, errors = slot.go() if slot else start_worker(work, settings)
        hard_limit = settings.timeout + reserve + 60
        killed = False
        try:
            out, _ = proc.communicate(timeout=hard_limit)
        except subprocess.TimeoutExpired:
            killed = True
            _kill_group(proc.pid)
            proc.kill()
            out, _ = proc.communicate()
        found = _last_report(out.decode("utf-8", "replace"))
        report: dict[str, Any] = found if found is not None else {
            "cells": [], "error": f"the grader's worker stopped without a report (exit status {proc.poll()})"}
        for stage, marker in markers.items():
            probe = (report.get("probes") or {}).get(stage)
            if isinstance(probe, dict):
                probe["report"], probe["lines"] = integrity.parse(probe.pop("texts", []), marker)
        if not settings.sandbox.active:  # inside bwrap the pid namespace ends them all
            _kill_group(report.get("kernel_pgid"))
        _kill_group(proc.pid)
        if killed:
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
                notes.append(f"exception in {label}: {safe_name(ename)}")
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
    notes.extend(integrity.attempt_notes(report, settings.sandbox.active))
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
