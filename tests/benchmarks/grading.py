"""Benchmark: grade a synthetic class of exercise set 01 with ``--jobs N``.

Run from the repository root::

    .venv/bin/python tests/benchmarks/grading.py                 # 300 submissions, 2 jobs
    .venv/bin/python tests/benchmarks/grading.py --n 40 --jobs 2 --json grading.json

The class mixes the worked solution (every answer right), the blank exercise, a copy with
an endless loop and one with a syntax error, in turn, named the Canvas way. It reports
seconds per submission and the peak memory of the grader *and all its workers and
kernels together* (sampled every 0.2 s with psutil), which is what must fit a 2-core,
24 GB machine. It reports; it never fails on time (exit 0 unless grading itself fails).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from defection.grading.pipeline import grade  # noqa: E402


def build_class(folder: Path, n: int) -> None:
    """``n`` Canvas-named submissions of set 01: good, blank, endless loop, syntax error."""
    good = nbformat.read(REPO / "solutions" / "01_regime_cohesion.ipynb", as_version=4)
    blank = nbformat.read(REPO / "exercises" / "01_regime_cohesion.ipynb", as_version=4)
    code = [i for i, c in enumerate(good.cells) if c.cell_type == "code"]
    loop = nbformat.from_dict(json.loads(json.dumps(good)))
    loop.cells[code[len(code) // 2]].source = "while True:\n    pass"
    broken = nbformat.from_dict(json.loads(json.dumps(good)))
    broken.cells[code[len(code) // 3]].source = "x = (1,"
    kinds = [good, blank, good, loop, good, broken]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        name = f"student{i:04d}_{10000 + i}_{90000 + i}_01_regime_cohesion.ipynb"
        nbformat.write(kinds[i % len(kinds)], folder / name)


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


def run(n: int, jobs: int, cell_timeout: float, sandbox: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="defection-bench-grading-") as tmp:
        subs = Path(tmp) / "submissions"
        build_class(subs, n)
        start = time.perf_counter()
        with PeakMemory() as mem:
            rows = grade(subs, Path(tmp) / "out" / "gradebook.csv", jobs=jobs,
                         cell_timeout=cell_timeout, sandbox=sandbox, progress=lambda m: None)  # fmt: skip
        seconds = time.perf_counter() - start
    return {
        "submissions": n, "jobs": jobs, "cell_timeout_s": cell_timeout, "sandbox": sandbox,
        "graded": sum(1 for r in rows if r.graded), "seconds": round(seconds, 1),
        "seconds_per_submission": round(seconds / max(n, 1), 2),
        "peak_memory_mib": round(mem.peak / 2**20), "cpus": os.cpu_count(),
        "python": platform.python_version(), "machine": platform.machine(),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="submissions (default: 300)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks (default: 2)")
    parser.add_argument("--cell-timeout", type=float, default=10.0,
                        help="per-cell limit; the endless loops cost this each (default: 10)")
    parser.add_argument("--sandbox", default="auto", choices=["auto", "bwrap", "none"])
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args.n, args.jobs, args.cell_timeout, args.sandbox)
    print(f"graded {result['graded']}/{result['submissions']} submissions with --jobs "
          f"{result['jobs']} in {result['seconds']} s: {result['seconds_per_submission']} s per "
          f"submission, peak memory {result['peak_memory_mib']} MiB (grader + workers + kernels)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
