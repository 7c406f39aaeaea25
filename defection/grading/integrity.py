"""Run-time tamper detection and a tally of hostile attempts, judged outside the kernel.

Why: the code-reading detector (:func:`defection.grading.recheck.rebinding`) sees only
tampering written plainly; a loop over ``pkgutil.walk_packages`` or a chain of
``getattr`` rebinds the checks without naming them. So the grader also looks at what the
checks *are* at the end of the run. Grades never depend on any of this (the grader
re-checks every answer with its own freshly imported checks); it exists so an instructor
is told, and the student too, never as a silent penalty.

How: two cells of the grader's own (the text of :mod:`defection.grading.kernel_probe`,
pasted, never imported) run in the kernel, one before the first student cell and one after
the last. Each prints, on one line tagged with a fresh random marker, a fingerprint of every
``defection.checks`` module and the lesson's check module: per module attribute, per class
attribute and per question, a digest of the object's identity and code
(each function's bytecode and constants) and of each question's settings. The worker
(a separate process the kernel cannot reach: not dumpable, so no ptrace or /proc/…/mem)
keeps those lines, and the grader compares end against start here.

Threat model, and what it buys:

- The start fingerprint is taken before any student code has run, in a kernel whose home,
  start-up folders and environment the grader made: student code cannot forge it.
- Rebinding a method on a question or a class, replacing a function, a class, a module in
  ``sys.modules`` or a module's ``QUESTIONS``, adding an attribute to a question: all change
  a digest and are named ("defection.checks.question.Question.evaluate changed").
- The end fingerprint is taken in the student's kernel, so code written *against this
  grader* could forge it: hook the end cell (IPython events, ``sys.settrace``, a replaced
  ``print`` or ``json``), find its marker and print the start fingerprint again. Each way
  leaves traces the grader does see: an end report that is missing or malformed while the
  kernel is alive, or more than one tagged line, is itself flagged; and the code reader
  flags the hooks (``sys.settrace``, ``events.register``, ``ctypes``, ``gc`` walks,
  rebinding ``builtins``). What cannot be caught: in-place changes to cached expected
  values (caches fill legitimately while a student checks answers) and mutation inside
  objects the fingerprint names only by identity (a DataFrame edited in place).
- The audit hook sees only what Python reports (``open``, ``os.listdir``, ``socket.connect``,
  ``subprocess.Popen``...) after the start cell, and student code may tamper with its tally
  (flagged as a missing report). Evidence gathered outside the kernel cannot be forged:
  processes left running (the worker is their subreaper and counts them), errors per cell.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from defection.grading import kernel_probe

_SOURCE = Path(kernel_probe.__file__).read_text(encoding="utf-8")
MARKER_PREFIX = "DEFECTION-PROBE-"


def new_marker() -> str:
    """A fresh tag for one probe's output line; student code cannot know it beforehand."""
    return MARKER_PREFIX + secrets.token_hex(16)


def probe_source(stage: str, marker: str, modules: Iterable[str], workdir: str,
                 readable: Iterable[str], writable: Iterable[str]) -> str:  # fmt: skip
    """The text of one probe cell: the probe's function, a call, and the name removed."""
    args = ", ".join(repr(a) for a in (stage, marker, sorted(modules), workdir,
                                       sorted(readable), sorted(writable)))  # fmt: skip
    return f"{_SOURCE}\ntry:\n    _defection_probe({args})\nfinally:\n    del _defection_probe\n"


def parse(texts: Iterable[str], marker: str) -> tuple[dict[str, Any] | None, int]:
    """(the probe's report, number of tagged lines) from a probe cell's printed text."""
    found: list[dict[str, Any]] = []
    for text in texts:
        for line in str(text).splitlines():
            if line.startswith(marker + " "):
                try:
                    data = json.loads(line[len(marker) + 1:])
                except ValueError:
                    continue
                if isinstance(data, dict) and isinstance(data.get("prints"), dict):
                    found.append(data)
    return (found[0] if len(found) == 1 else None), len(found)


def _name(key: str) -> str:
    return key if len(key) <= 70 else key[:67] + "..."


def changes(start: Mapping[str, str], end: Mapping[str, str]) -> list[str]:
    """What differs between two fingerprints: changed or removed by name, added counted."""
    changed = {k for k in start if k in end and end[k] != start[k]}
    removed = {k for k in start if k not in end}
    modules = {k.rsplit(".", 1)[0] for k in start} | set(start)
    added = [k for k in end if k not in start and k.rsplit(".", 1)[0] in modules]
    # A changed class or module changes everything under it too: name the outermost.
    differ = changed | removed
    outer = sorted(k for k in differ if not any(k.startswith(o + ".") for o in differ))
    # Names come from the start fingerprint only (the course's own names): an added
    # attribute's name is the notebook's choice, so it is counted, never repeated.
    found = [f"{_name(k)} {'changed' if k in changed else 'removed'}" for k in outer]
    if added:
        found.append(f"{len(added)} attribute(s) added to the checks")
    return found


def tampering(report: Mapping[str, Any]) -> list[str]:
    """Run-time tampering findings for the ``tampering`` column (empty when none)."""
    probes = report.get("probes") or {}
    start, end = probes.get("start"), probes.get("end")
    if not isinstance(start, Mapping) or not start.get("report"):
        return []  # nothing to compare with (the kernel never started, for instance)
    if not isinstance(end, Mapping) or end.get("status") in (None, "timeout", "dead", "skipped"):
        return []  # the kernel died or ran out of time: no end report is expected
    if end.get("lines", 0) > 1:
        return ["run-time check: the end-of-run report appeared more than once (forged?)"]
    if not end.get("report"):
        return ["run-time check: the checks' end-of-run report is missing (the kernel was altered?)"]
    found = changes(start["report"]["prints"], end["report"]["prints"])
    if not found:
        return []
    more = f" and {len(found) - 4} more" if len(found) > 4 else ""
    return ["run-time check: the course's checks were changed while the notebook ran: "
            + "; ".join(found[:4]) + more]  # fmt: skip


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def attempt_notes(report: Mapping[str, Any], sandboxed: bool) -> list[str]:
    """Plain notes on what the notebook tried that the sandbox stopped (or, without one,
    did not). Counts only: never a path or a name the notebook chose."""
    notes: list[str] = []
    end = (report.get("probes") or {}).get("end") or {}
    tally = (end.get("report") or {}).get("tally") or {}
    stopped = "the sandbox stopped it" if sandboxed else "no sandbox was used, so it may have worked"
    for key, what in (("write", "write a file outside its own folder"),
                      ("read", "read a file outside the course and its own folder"),
                      ("connect", "open a network connection")):  # fmt: skip
        n = tally.get(key)
        if isinstance(n, int) and n > 0:
            notes.append(f"tried to {what} ({_times(n)}); {stopped}")
    n = tally.get("spawn")
    if isinstance(n, int) and n > 0:
        notes.append(f"started another program ({_times(n)})")
    left = report.get("leftover_processes")
    if isinstance(left, int) and left > 0:
        notes.append(f"left {left} process(es) running after its last cell; the grader stopped them")
    return notes
