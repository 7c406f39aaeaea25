"""Run one notebook in its own kernel for the grader (``defection.grading.run``).

The grader starts this file *by path* in a subprocess (``python worker.py job.json``),
possibly inside the bubblewrap sandbox, so it imports nothing from the ``defection``
package and starts fast. It executes every code
cell with nbclient in a fresh kernel of the same Python, with per-cell and per-notebook
time limits, keeps only error outputs (so memory stays bounded), counts printed bytes,
and reports per cell ok / error (name) / timeout / skipped / dead.
The grader's own cells in the notebook (metadata ``defection.grader``) fingerprint the
checks before the first student cell ("start") and after the last ("end"), and the final
one saves the answers.

Why the report goes to a private copy of stdout and not to a file: the kernel can write
everywhere in the submission's folder, so a report file there could be rewritten by
student code. The kernel gets this process's stderr as its stdout, this process is made
non-dumpable (no ptrace, no /proc/<pid>/fd from the kernel's side) and is the subreaper of
everything the kernel starts, so it can count the processes a notebook leaves behind.
"""

from __future__ import annotations

import sys

# Started by path, Python puts this folder first on sys.path; take it off so that the
# check modules next to this file can never shadow a real module.
if __name__ == "__main__":
    _here = __import__("os").path.dirname(__import__("os").path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p and __import__("os").path.abspath(p) != _here]

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

KERNEL_NAME = "defection-grader"
JOB_FILE = "job.json"
PROBE_BYTES = 4_000_000
KERNEL_STARTS = 3  # as defection.kernel_start.KERNEL_STARTS (see run())


def _limit_memory(mb: int) -> None:
    """Cap this process's address space; the kernel it starts inherits the limit."""
    if mb <= 0 or os.name != "posix":
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


# Imports into sys.modules only, in a namespace thrown away: the student's kernel starts
# with no variable, no history and no output of ours.
_AHEAD_CODE = """import importlib
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def ahead_source(modules: list[str] | tuple[str, ...]) -> str:
    return f"exec({_AHEAD_CODE.format(modules=tuple(modules))!r}, {{}})"


def _start_ahead(kdir: Path, work: Path, modules: list[str]) -> list[Any]:
    """Pool mode: start the kernel and import ``modules`` before the notebook exists.

    Then wait for the grader's "go" on stdin (its notebook is in place) and return the
    running kernel's manager for nbclient to use, or [] when it did not start (the normal
    path then starts one, with its retries). EOF instead of "go": the pool is closing, so
    shut the kernel down and exit without running anything.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.util import run_sync

    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kdir.parent)]),
    )
    ready: list[Any] = []
    try:
        run_sync(km.start_kernel)(cwd=str(work))
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=90)
            kc.execute(ahead_source(modules), silent=True, store_history=False)
            run_sync(kc.get_shell_msg)(timeout=120)
        finally:
            kc.stop_channels()
        ready.append(km)
    except Exception:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    if not sys.stdin.readline():
        for manager in ready:
            run_sync(manager.shutdown_kernel)(now=True)
        sys.exit(0)
    return ready


def _limit_files(mb: int) -> None:
    """Cap the size of any one file the kernel writes, so a flood cannot fill the disk."""
    if mb <= 0 or os.name != "posix":
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _drop_privileges(spec: str) -> None:
    """``uid:gid``: the sandbox started us as root (to mount); become that user for good."""
    if os.name == "posix" and spec and os.geteuid() == 0:
        uid, gid = (int(x) for x in spec.split(":"))
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)


def _guard_process() -> None:
    """Not dumpable (the kernel, same user, cannot read or trace us); subreaper of orphans."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER 1
    except (OSError, AttributeError):
        pass


def _descendants(root: int) -> list[int]:
    """Live (not zombie) processes below ``root``, read from /proc (Linux only)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != b"Z":
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid and p not in found]
        found += kids
        frontier += kids
    return found


def _stop_leftovers(kernel_pid: Any) -> int:
    """Kill every process below this worker except the kernel; how many there were."""
    import signal

    left = [p for p in _descendants(os.getpid()) if p != kernel_pid]
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return len(left)


def run(job_path: str, drop: str = "") -> int:
    """Run the notebook described by the job file; report on the private stdout."""
    _drop_privileges(drop)
    _guard_process()
    # The report's channel: a private copy of stdout. Whatever else writes to fd 1 (this
    # process's libraries, the kernel, student code) goes to stderr instead.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    # nbformat imports jsonschema, whose optional IRI format checker (rfc3987_syntax)
    # builds a grammar at import time: seconds per notebook. We never validate IRIs.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    job = json.loads(Path(job_path).read_text())
    _limit_memory(int(job.get("max_memory_mb", 0)))
    _limit_files(int(job.get("max_file_mb", 0)))
    work = Path(job["workdir"])
    os.chdir(work)
    report: dict[str, Any] = {"cells": [], "output_bytes": 0, "kernel_pgid": None, "error": None,
                              "probes": {}}  # fmt: skip

    def save() -> None:
        # One whole report per line; the grader keeps the last complete one.
        channel.write(json.dumps(report) + "\n")
        channel.flush()

    kdir = work / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True)
    (kdir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (grader)",
                "language": "python",
            }
        )
    )
    early = _start_ahead(kdir, work, job["ahead"]) if "ahead" in job else []
    nb = nbformat.read(job["notebook"], as_version=4)
    # The notebook holds the grader's probe cells and their markers: the kernel, which can
    # read this folder, must never see them before they run.
    for name in (job["notebook"], job_path):
        try:
            os.unlink(name)
        except OSError:
            pass
    probes = {i: c.metadata["defection"]["probe"] for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and c.metadata.get("defection", {}).get("probe")}  # fmt: skip

    probe_bytes: dict[int, int] = {}

    class Client(NotebookClient):
        timed_out = False

        async def _async_handle_timeout(self, timeout, cell=None):  # type: ignore[override]
            self.timed_out = True
            return await super()._async_handle_timeout(timeout, cell)

        def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
            out = super().output(outs, msg, display_id, cell_index)
            if cell_index in probes:  # the grader's own probe: its printed report is kept
                if out is not None and outs and outs[-1] is out:
                    probe_bytes[cell_index] = probe_bytes.get(cell_index, 0) + len(str(out.get("text", "")))
                    if probe_bytes[cell_index] > PROBE_BYTES:
                        outs.pop()
                return out
            if out is not None and outs and outs[-1] is out:
                size = sum(len(str(v)) for v in out.values())
                report["output_bytes"] += size
                if out.get("output_type") != "error":
                    outs.pop()  # keep only errors: memory stays bounded
                elif size > 100_000:
                    out["traceback"] = []
            return out

        def _update_display_id(self, display_id, msg):  # type: ignore[override]
            return None

    def make_client() -> tuple[Any, Any]:
        km = early.pop() if early else AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kdir.parent)]),
        )
        client = Client(
            nb,
            km=km,
            timeout=int(job["cell_timeout"]),
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={
                "ename": "CellTimeoutError",
                "evalue": "cell timed out",
                "traceback": [],
            },
            record_timing=False,
            startup_timeout=90,
            iopub_timeout=5,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": str(work)}},
        )
        return km, client

    def run_cells(client: Any, km: Any) -> None:
        prov = getattr(km, "provisioner", None)
        report["kernel_pgid"] = getattr(prov, "pgid", None) or getattr(
            getattr(prov, "process", None), "pid", None
        )
        save()
        start = time.monotonic()
        total = float(job["timeout"])
        reserve = float(job["reserve"])
        student_deadline = start + total
        order = [i for i, c in enumerate(nb.cells) if probes.get(i, {}).get("stage") == "start"]
        order += [i for i in range(len(nb.cells)) if i not in order]
        for index in order:
            cell = nb.cells[index]
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            final = bool(cell.metadata.get("defection", {}).get("grader"))
            now = time.monotonic()
            if index in probes and probes[index].get("stage") == "start":
                client.timeout = int(max(30.0, reserve))
                student_deadline = now + total  # the probe's own time is not the student's
            elif final:
                client.timeout = int(max(reserve, student_deadline - now + reserve))
            else:
                left = student_deadline - now
                if left < 1:
                    report["cells"].append({"index": index, "status": "skipped"})
                    continue
                client.timeout = max(1, int(min(float(job["cell_timeout"]), left)))
            client.timed_out = False
            entry: dict[str, Any] = {"index": index, "status": "ok", "final": final}
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                entry["status"] = "dead"
                report["cells"].append(entry)
                save()
                break
            entry["seconds"] = round(time.monotonic() - now, 2)
            if client.timed_out:
                entry["status"] = "timeout"
                entry["limit"] = client.timeout
            else:
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        entry["status"] = "error"
                        entry["ename"] = str(out.get("ename", "Error"))[:80]
                        entry["evalue"] = str(out.get("evalue", ""))[:200]
                        break
            if index in probes:
                texts = [str(o.get("text", "")) for o in cell.get("outputs", [])
                         if o.get("output_type") == "stream"]  # fmt: skip
                kept, size = [], 0
                for text in texts:  # bounded: student code could print into this cell
                    if size + len(text) <= PROBE_BYTES:
                        kept.append(text)
                        size += len(text)
                report["probes"][probes[index]["stage"]] = {"status": entry["status"], "texts": kept}
            cell.outputs = []
            report["cells"].append(entry)
            save()
        kernel_pid = getattr(getattr(prov, "process", None), "pid", None)
        report["leftover_processes"] = _stop_leftovers(kernel_pid)

    # A kernel that dies before it answers has run none of the student's code: on a busy
    # machine (several notebooks graded at once) another process can take one of the five
    # TCP ports jupyter_client chose for it before the kernel binds them, and the kernel
    # exits with "Address already in use". Start a new kernel, with new ports, rather than
    # give the student "could not run notebook"; a kernel that never starts still says so.
    # (defection.kernel_start's rule, restated: this file imports nothing from the package.)
    failed_starts: list[str] = []
    for attempt in range(1, KERNEL_STARTS + 1):
        km, client = make_client()
        started = False
        try:
            with client.setup_kernel():
                started = True
                run_cells(client, km)
        except Exception as exc:  # kernel failed to start, etc.
            # Once student code has run, its text must not travel: the type's name only.
            reason = f"{type(exc).__name__}: {str(exc)[:200]}" if not started else type(exc).__name__
            if not started:
                failed_starts.append(reason)
                report["failed_kernel_starts"] = failed_starts
                # Only a kernel that died: one that is alive but silent has already used
                # its 90 s, and three of those would overrun the grader's time limit.
                if attempt < KERNEL_STARTS and "died" in str(exc):
                    continue
                tries = f"{len(failed_starts)} {'try' if len(failed_starts) == 1 else 'tries'}"
                reason = f"the kernel did not start ({tries}; last: {reason})"
            report["error"] = reason
        break
    save()
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""))
