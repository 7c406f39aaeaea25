"""Start each student's sandboxed worker and kernel ahead of need; never reuse one.

Why: most of what a submission costs the grader is not the student's code but the fixed
start-up around it: the sandbox, the worker's own imports, a kernel, and the course's
imports (pandas, altair, ``defection``). A student's notebook cannot begin before its
kernel is up, so without a pool every submission waits for all of that. The pool keeps
``size`` workers *launched before they are needed* (:func:`run.start_worker` with
``ahead``): each starts its kernel, imports the course modules, then waits on its stdin.
When a notebook is to be graded, :meth:`KernelPool.take` hands over the oldest one,
:func:`run.run_notebook` writes the notebook into that worker's folder and says "go",
and the pool launches a replacement, so start-up overlaps with grading instead of
preceding it.

Why this shares nothing between students (the isolation argument):

* **One slot, one student.** A slot is taken once (removed from the pool under a lock)
  and never comes back: its worker runs one notebook and exits, and
  :func:`run.run_notebook` deletes its folder as before. There is no "reset" to get wrong,
  because nothing is reused.
* **Same sandbox, same limits.** A slot is launched by the very function that launches an
  unpooled worker (:func:`run.start_worker`): the same bubblewrap namespaces (its own pid,
  network, IPC namespaces; a private ``/tmp``), the same environment, the same memory and
  file limits, its own fresh ``mkdtemp`` folder as the only writable place. Two slots
  waiting side by side are two separate sandboxes that cannot see each other's folder or
  processes; unsandboxed (``--sandbox none``) there was no isolation to keep.
* **Nothing of a student runs early.** Before "go" a slot's kernel has run only the
  grader's own imports (in a throw-away namespace: no variables, no history, no output);
  the notebook reaches the folder only when its student's turn comes, so what a waiting
  kernel could see is only what the course itself contains.
* **A student who breaks their kernel breaks only their slot.** Killing the kernel, the
  worker or filling memory ends that one worker; the others are separate processes in
  separate sandboxes. A slot found dead when taken is thrown away, never handed out (a
  fresh one is started for that student instead), so it cannot cost the next student.
* **Nothing is left behind.** :meth:`KernelPool.close` (the ``with`` block's end) closes
  every unused slot's stdin, so its worker shuts its kernel down and exits, kills what
  does not exit in time (``killpg``; inside bubblewrap the pid namespace ends with the
  worker) and deletes the unused folders.

Memory: each waiting slot holds one kernel with the course imported (about 170 MB: the
300-submission benchmark peaked at 898 MiB with the pool, 557 MiB without).
"""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: What a waiting kernel imports: the libraries and every course module the handed-out
#: exercises import (a unit test keeps this list complete). Only imported, into
#: ``sys.modules``, never called: ``defection.setup()`` stays the student's own first cell.
AHEAD_MODULES = (
    "numpy", "pandas", "altair", "ipywidgets", "defection", "defection.charts.theme",
    "defection.charts.cohesion", "defection.coding", "defection.comparative", "defection.data",
    "defection.models.absorption", "defection.models.calculus", "defection.models.cascade",
    "defection.models.scenario", "defection.models.spoils", "defection.replication",
    "defection.surrender", "defection.checks", "defection.checks.lesson01",
    "defection.checks.lesson02", "defection.checks.lesson03", "defection.checks.lesson04",
    "defection.checks.lesson05", "defection.checks.lesson06",
)  # fmt: skip
CLOSE_WAIT = 10.0


@dataclass
class Slot:
    """One launched worker, waiting for its single notebook."""

    work: Path
    proc: subprocess.Popen
    errors: IO[bytes]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def go(self) -> tuple[subprocess.Popen, IO[bytes]]:
        """Tell the worker its notebook is in place; it runs it and exits."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"go\n")
            self.proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # it died meanwhile: the grader reports "no report", as without a pool
        self.proc.stdin = None  # said and closed: communicate() must not touch it again
        return self.proc, self.errors

    def discard(self) -> None:
        """Stop an unused worker (and its kernel) and delete its folder."""
        try:
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()  # EOF: the worker shuts its kernel down and exits
        except OSError:
            pass
        try:
            self.proc.wait(timeout=CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.errors.close()
        shutil.rmtree(self.work, ignore_errors=True)


def _kill_group(pgid: int) -> None:
    if os.name != "posix":
        return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


class KernelPool:
    """Up to ``size`` workers launched ahead, never more than students left to grade.

    ``settings`` is the run's :class:`run.Settings` (limits and sandbox). ``students`` is
    how many notebooks the run will grade at most (None: unknown), so that no kernel is
    started for nobody at the end of a run.
    """

    def __init__(self, settings: Any, size: int, students: int | None = None,
                 modules: tuple[str, ...] = AHEAD_MODULES):  # fmt: skip
        self.settings, self.size, self.modules = settings, max(0, int(size)), tuple(modules)
        self.left = students
        self.launched = 0
        self.handed = 0
        self.discarded = 0
        self._ready: collections.deque[Slot] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False
        with self._lock:
            self._fill()

    def _launch(self) -> Slot:
        from defection.grading import run as running

        work = Path(tempfile.mkdtemp(prefix="defection-grade-"))
        (work / "tmp").mkdir()
        proc, errors = running.start_worker(work, self.settings, ahead=self.modules)
        self.launched += 1
        return Slot(work, proc, errors)

    def _fill(self) -> None:
        while (not self._closed and len(self._ready) < self.size
               and (self.left is None or len(self._ready) < self.left)):  # fmt: skip
            self._ready.append(self._launch())

    def take(self) -> Slot | None:
        """The oldest live slot, never handed out before (None: start one the usual way)."""
        with self._lock:
            slot = None
            while self._ready:
                candidate = self._ready.popleft()
                if candidate.alive():
                    slot = candidate
                    break
                self.discarded += 1
                candidate.discard()
            if slot is not None:
                self.handed += 1
            if self.left is not None:
                self.left = max(0, self.left - 1)  # one student served, pooled or not
            self._fill()
            return slot

    def close(self) -> None:
        """Stop every slot never handed out; nothing of the pool runs afterwards."""
        with self._lock:
            self._closed = True
            waiting, self._ready = list(self._ready), collections.deque()
        for slot in waiting:
            slot.discard()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
