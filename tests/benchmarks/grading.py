"""Benchmark: grade a realistic class of 300 with ``--jobs N``, and the floor beside it.

Run from the repository root::

    .venv/bin/python tests/benchmarks/grading.py                    # 300 submissions, 2 jobs
    .venv/bin/python tests/benchmarks/grading.py --n 20 --floor 2   # a quick look
    .venv/bin/python tests/benchmarks/grading.py --prestart 0       # without the kernel pool
    .venv/bin/python tests/benchmarks/grading.py --json grading.json

The class is made by ``make_class.py`` (beside this file): sets 01-05 in turn, good,
partial, blank, syntax error, exception and endless-loop notebooks in documented shares,
seeded, in one Canvas zip. It is graded exactly as ``grade run`` would (``pipeline.grade``,
sandboxed when bubblewrap works, every output written) and reports the wall time, seconds
per submission and the peak memory of the grader *and all its workers and kernels
together* (RSS summed over the process tree, sampled every 0.2 s with psutil), which is
what must fit a 2-core, 24 GB machine.

**The floor** is what no grader can avoid per submission: one sandboxed kernel started
and the course's imports run (each exercise's own first two cells: ``import defection;
defection.setup()`` and its imports of pandas, altair, the data and its checks). It is
measured the same way, one notebook at a time with no kernel started ahead (``--floor``
notebooks, spread over the five sets). The load average before and after is printed:
other work on the machine slows every number. It reports; it never fails on time (exit 0
unless grading itself fails).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_class  # noqa: E402

from defection.grading.pipeline import grade  # noqa: E402
from defection.grading.run import CELL_TIMEOUT  # noqa: E402


def floor_notebook(name: str) -> nbformat.NotebookNode:
    """The exercise ``name`` cut to its first two code cells: start-up and imports."""
    nb = nbformat.read(REPO / "exercises" / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"][:2]
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c in code]
    return nb


class PeakMemory:
    """Highest total resident memory of this process and all its descendants."""

    def __init__(self, every: float = 0.2):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


def measure_floor(count: int, sandbox: str) -> dict:
    """Seconds per notebook for ``count`` start-up-only notebooks graded one at a time."""
    if count <= 0:
        return {}
    with tempfile.TemporaryDirectory(prefix="defection-bench-floor-") as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        for i in range(count):
            name = make_class.SETS[i % len(make_class.SETS)]
            file = f"floor{i:03d}_{20000 + i}_{80000 + i}_{name}.ipynb"  # Canvas-named
            nbformat.write(floor_notebook(name), subs / file)
        times: list[float] = []

        def tick(message: str) -> None:
            if message.startswith("["):
                times.append(time.perf_counter())

        start = time.perf_counter()
        grade(subs, Path(tmp) / "out" / "gradebook.csv", jobs=1, sandbox=sandbox, prestart=0,
              outputs=False, progress=tick)  # fmt: skip
    each = [b - a for a, b in zip([start, *times], times)]
    return {"notebooks": count, "median_s": round(statistics.median(each), 2),
            "min_s": round(min(each), 2), "max_s": round(max(each), 2)}  # fmt: skip


def run(n: int, jobs: int, cell_timeout: float, sandbox: str, prestart: int | None = None,
        floor: int = 5, seed: int = 20) -> dict:  # fmt: skip
    load_before = _load()
    floor_result = measure_floor(floor, sandbox)
    with tempfile.TemporaryDirectory(prefix="defection-bench-grading-") as tmp:
        archive = Path(tmp) / "submissions.zip"
        counts = make_class.write(n, archive, seed)
        start = time.perf_counter()
        with PeakMemory() as mem:
            rows = grade(archive, Path(tmp) / "out" / "gradebook.csv", jobs=jobs,
                         cell_timeout=cell_timeout, sandbox=sandbox, prestart=prestart,
                         progress=lambda m: None)  # fmt: skip
        seconds = time.perf_counter() - start
    return {
        "submissions": n, "mix": dict(counts), "seed": seed, "jobs": jobs,
        "prestart": "default" if prestart is None else prestart,
        "cell_timeout_s": cell_timeout, "sandbox": sandbox,
        "graded": sum(1 for r in rows if r.graded), "seconds": round(seconds, 1),
        "seconds_per_submission": round(seconds / max(n, 1), 2),
        "peak_memory_mib": round(mem.peak / 2**20), "floor": floor_result,
        "load_before": load_before, "load_after": _load(), "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(), "machine": platform.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="submissions (default: 300)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks (default: 2)")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT,
                        help=f"per-cell limit; each endless loop costs this (default: the "
                             f"grader's {CELL_TIMEOUT:g})")  # fmt: skip
    parser.add_argument("--sandbox", default="auto", choices=["auto", "bwrap", "none"])
    parser.add_argument("--prestart", type=int, default=None,
                        help="kernels started ahead of need (default: the grader's; 0: none)")
    parser.add_argument("--floor", type=int, default=5,
                        help="start-up-only notebooks timed for the floor (default: 5; 0: skip)")
    parser.add_argument("--seed", type=int, default=20, help="the class's seed (default: 20)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args.n, args.jobs, args.cell_timeout, args.sandbox, args.prestart, args.floor,
                 args.seed)  # fmt: skip
    print(f"class: {make_class.describe(result['mix'])} (seed {result['seed']})")
    print(f"graded {result['graded']}/{result['submissions']} submissions with --jobs "
          f"{result['jobs']} (prestart {result['prestart']}) in {result['seconds']} s: "
          f"{result['seconds_per_submission']} s per submission, peak memory "
          f"{result['peak_memory_mib']} MiB (grader + workers + kernels)")
    if result["floor"]:
        f = result["floor"]
        print(f"floor (one kernel start + the course's imports, one at a time): median "
              f"{f['median_s']} s per notebook (min {f['min_s']}, max {f['max_s']}, "
              f"{f['notebooks']} notebooks); with {result['jobs']} jobs at best "
              f"{f['median_s'] / max(result['jobs'], 1):.2f} s per submission")
    print(f"load average before {result['load_before']}, after {result['load_after']} "
          f"({result['cpus']} CPUs, {result['memory_gib']} GiB)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
