"""Benchmarks for the course: widget update latency, notebook run times, the test suite.

Run from the repository root::

    .venv/bin/python tests/benchmarks/run.py                 # widgets + notebooks
    .venv/bin/python tests/benchmarks/run.py --widgets --repeat 50
    .venv/bin/python tests/benchmarks/run.py --notebooks --json bench.json
    .venv/bin/python tests/benchmarks/run.py --suite          # also time the whole pytest run

It reports; it never fails on time (exit 0 unless a benchmark case or notebook crashes).
See tests/benchmarks/README.md for how to read the tables.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
NOTEBOOK_DIRS = ("lessons", "exercises", "solutions")
#: The cost every course notebook pays before its first line of content.
FLOOR_SOURCE = "import defection\ndefection.setup()\nimport pandas, altair, ipywidgets"
#: The contract's target for one widget update (model + chart + to_dict), median.
WIDGET_TARGET_MS = 50.0


# -- widget updates -----------------------------------------------------------------------


def discover_bench_files(bench_dir: Path = HERE) -> list[Path]:
    return sorted(Path(bench_dir).glob("bench_*.py"))


def load_cases(path: Path) -> dict[str, Callable[[], object]]:
    """Import ``bench_<topic>.py`` (by path, not by package) and return its ``cases()``."""
    name = f"_bench_{Path(path).stem}_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    with contextlib.redirect_stdout(io.StringIO()):  # panels built here print reprs
        spec.loader.exec_module(module)
        cases = module.cases()
    if not isinstance(cases, dict) or not all(callable(f) for f in cases.values()):
        raise TypeError(f"{path}: cases() must return a dict of name -> callable")
    return cases


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation, like numpy's default."""
    data = sorted(values)
    if not data:
        return math.nan
    pos = (len(data) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def time_callable(fn: Callable[[], object], *, warmup: int = 3, repeat: int = 30) -> dict:
    """Time ``fn``: ``warmup`` untimed runs, then ``repeat`` timed ones; one more under
    tracemalloc for the peak Python memory it allocates. Times in milliseconds.

    Whatever ``fn`` prints (outside Jupyter a panel's ``display()`` prints a repr) is
    swallowed so the tables stay readable."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(max(1, repeat)):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
            sink.seek(0)
            sink.truncate()
        tracemalloc.start()
        try:
            fn()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return {
        "runs": len(times),
        "median_ms": statistics.median(times),
        "p90_ms": percentile(times, 90),
        "max_ms": max(times),
        "min_ms": min(times),
        "peak_kib": peak / 1024,
    }


def bench_widgets(
    files: Iterable[Path], *, warmup: int = 3, repeat: int = 30, log=print
) -> list[dict]:
    """One row per case of every bench file; a crashing case or file gets an ``error``."""
    rows: list[dict] = []
    for path in files:
        try:
            cases = load_cases(path)
        except Exception as exc:  # noqa: BLE001 - report and carry on with the other files
            rows.append({"case": Path(path).stem, "file": Path(path).name,
                         "error": f"{type(exc).__name__}: {exc}"})
            continue
        for name, fn in cases.items():
            log(f"  timing {name} ...", flush=True)
            row = {"case": name, "file": Path(path).name}
            try:
                row.update(time_callable(fn, warmup=warmup, repeat=repeat))
            except Exception as exc:  # noqa: BLE001
                row["error"] = f"{type(exc).__name__}: {exc}"
            rows.append(row)
    return rows


# -- notebooks ----------------------------------------------------------------------------


def discover_notebooks(root: Path = REPO_ROOT, dirs: Sequence[str] = NOTEBOOK_DIRS) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        found += sorted((Path(root) / d).glob("*.ipynb"))
    return found


def write_floor_notebook(folder: Path, source: str = FLOOR_SOURCE) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                       "language": "python"},
        "language_info": {"name": "python"},
    }
    nb.cells = [nbformat.v4.new_code_cell(source)]
    path = Path(folder) / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def _poll_in_slices(channel, step: float = 0.5) -> None:
    """Make ``channel.get_msg(timeout)`` re-poll every ``step`` seconds.

    nbclient can wait out a cell's whole timeout although the kernel has already replied,
    after cells that display ipywidgets (jupyter/nbclient#312: the asyncio poll on the
    shell socket misses its wake-up). Measured here: a 0.2 s cell of lesson 02 took 60 s
    (600 s with the default timeout). Polling again every half second picks up a reply
    that is already waiting, so the times below measure the notebook, not the stall.
    """
    from queue import Empty

    async def get_msg(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = step if deadline is None else min(step, deadline - time.monotonic())
            if await channel.socket.poll(max(0, int(remaining * 1000))):
                return await channel._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty

    channel.get_msg = get_msg


def _client_class():
    from nbclient import NotebookClient

    class SlicedPollClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            _poll_in_slices(kc.shell_channel)
            return kc

    return SlicedPollClient


def run_notebook(path: Path, *, timeout: int = 600) -> dict:
    """Execute a notebook in a fresh kernel (the same Python) and time it, end to end
    (kernel start, every cell, kernel shut-down). The file on disk is not changed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    client = _client_class()(
        nb,
        timeout=timeout,
        kernel_name="python3",  # jupyter_client runs it with this interpreter
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    t = time.perf_counter()
    cells = sum(c.cell_type == "code" for c in nb.cells)
    row: dict = {"notebook": _display_path(path), "cells": cells}
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 - a broken notebook is reported, not fatal here
        row["error"] = _describe(exc)
    row["seconds"] = time.perf_counter() - t
    return row


def _describe(exc: BaseException) -> str:
    """One line: nbclient's CellExecutionError carries the cell's exception name/value."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"[:300]
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"[:300]


def _display_path(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def bench_notebooks(
    notebooks: Iterable[Path], *, floor: bool = True, repeat: int = 1, timeout: int = 600, log=print
) -> dict:
    """Time every notebook (median of ``repeat`` runs) and the floor notebook."""

    def timed(path: Path) -> dict:
        runs = [run_notebook(path, timeout=timeout) for _ in range(max(1, repeat))]
        row = dict(runs[-1])
        row["seconds"] = statistics.median(r["seconds"] for r in runs)
        row["runs"] = len(runs)
        errors = [r["error"] for r in runs if "error" in r]
        if errors:
            row["error"] = errors[0]
        return row

    result: dict = {"floor": None, "notebooks": []}
    if floor:
        with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
            floor_nb = write_floor_notebook(Path(tmp))
            # The very first kernel pays for cold caches (.pyc, disk); that would make the
            # floor look slower than real notebooks. One untimed run first.
            log("  warming up (floor notebook, untimed) ...", flush=True)
            run_notebook(floor_nb, timeout=timeout)
            log("  timing floor notebook ...", flush=True)
            result["floor"] = timed(floor_nb)
            result["floor"]["notebook"] = "(floor: import defection, pandas, altair, ipywidgets)"
    floor_row = result["floor"]
    floor_s = floor_row["seconds"] if floor_row and "error" not in floor_row else None
    for path in notebooks:
        log(f"  running {_display_path(path)} ...", flush=True)
        row = timed(path)
        row["ratio"] = row["seconds"] / floor_s if floor_s else None
        result["notebooks"].append(row)
    return result


# -- whole suite --------------------------------------------------------------------------


def bench_suite(root: Path = REPO_ROOT, extra: Sequence[str] = ()) -> dict:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    return {"command": " ".join(cmd[1:]), "seconds": seconds, "returncode": proc.returncode,
            "summary": tail}


# -- output -------------------------------------------------------------------------------


def format_table(rows: Sequence[dict], columns: Sequence[tuple[str, str, str]]) -> str:
    """Aligned plain-text table.

    ``columns``: (key, header, format), e.g. ("median_ms", "median ms", ".1f").
    A row with ``error`` shows it after the first column."""
    cells = [[h for _, h, _ in columns]]
    errors: list[str] = []
    for row in rows:
        line = []
        for i, (key, _, fmt) in enumerate(columns):
            value = row.get(key)
            if "error" in row and i > 0 and key not in ("file", "cells"):
                line.append("ERROR" if i == 1 else "")
                continue
            if value is None:
                line.append("-")
            elif isinstance(value, float) and fmt:
                line.append(format(value, fmt))
            else:
                line.append(str(value))
        cells.append(line)
        if "error" in row:
            errors.append(f"  {line[0]}: {row['error']}")
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    out = []
    for n, r in enumerate(cells):
        # first column left-aligned (names), numbers right-aligned
        out.append("  ".join(c.ljust(widths[i]) if columns[i][0] in TEXT_COLUMNS
                             else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out + errors)


TEXT_COLUMNS = {"case", "file", "notebook"}
WIDGET_COLUMNS = [
    ("case", "case", ""),
    ("median_ms", "median ms", ".1f"),
    ("p90_ms", "p90 ms", ".1f"),
    ("max_ms", "max ms", ".1f"),
    ("peak_kib", "peak KiB", ".0f"),
    ("runs", "runs", ""),
    ("file", "file", ""),
]
NOTEBOOK_COLUMNS = [
    ("notebook", "notebook", ""),
    ("seconds", "seconds", ".1f"),
    ("ratio", "x floor", ".2f"),
    ("cells", "code cells", ""),
]


def machine_info() -> dict:
    info = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    if hasattr(os, "getloadavg"):
        info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return info


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--widgets", action="store_true", help="time widget updates (bench_*.py)")
    p.add_argument("--notebooks", action="store_true", help="time every notebook against the floor")
    p.add_argument("--suite", action="store_true", help="also time the whole pytest suite (long)")
    p.add_argument("--repeat", type=int, default=30, help="timed runs per widget case (default 30)")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    p.add_argument("--nb-repeat", type=int, default=1, help="runs per notebook, median (default 1)")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout for notebooks (s)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this path")
    p.add_argument("--root", type=Path, default=REPO_ROOT,
                   help="repository whose lessons/, exercises/, solutions/ are run")
    p.add_argument("--bench-dir", type=Path, default=HERE, help="folder with bench_*.py files")
    p.add_argument("--no-floor", action="store_true", help="skip the floor notebook")
    args = p.parse_args(argv)
    if not (args.widgets or args.notebooks or args.suite):
        args.widgets = args.notebooks = True
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict = {"machine": machine_info()}
    crashed = False
    log = lambda *a, **k: print(*a, file=sys.stderr, **k)  # noqa: E731 - progress to stderr

    if args.widgets:
        files = discover_bench_files(args.bench_dir)
        log(f"Widget updates: {len(files)} bench file(s), "
            f"{args.warmup} warm-up + {args.repeat} runs")
        rows = bench_widgets(files, warmup=args.warmup, repeat=args.repeat, log=log)
        results["widgets"] = {"target_median_ms": WIDGET_TARGET_MS, "cases": rows}
        crashed |= any("error" in r for r in rows)
        print(f"\nWidget updates (one update at the heaviest settings; target: median < "
              f"{WIDGET_TARGET_MS:.0f} ms)")
        print(format_table(rows, WIDGET_COLUMNS) if rows else "  (no bench_*.py cases found)")
        slow = [r["case"] for r in rows if r.get("median_ms", 0) >= WIDGET_TARGET_MS]
        if slow:
            print(f"  over target: {', '.join(slow)}")

    if args.notebooks:
        notebooks = discover_notebooks(args.root)
        log(f"Notebooks: {len(notebooks)} found under {', '.join(NOTEBOOK_DIRS)}")
        nb = bench_notebooks(notebooks, floor=not args.no_floor, repeat=args.nb_repeat,
                             timeout=args.timeout, log=log)
        results["notebooks"] = nb
        rows = ([nb["floor"]] if nb["floor"] else []) + nb["notebooks"]
        crashed |= any("error" in r for r in rows)
        print("\nNotebooks (fresh kernel, end to end; 'x floor' = time / floor notebook)")
        print(format_table(rows, NOTEBOOK_COLUMNS) if rows else "  (no notebooks found)")
        if nb["notebooks"]:
            total = sum(r["seconds"] for r in nb["notebooks"])
            print(f"  total {total:.1f} s for {len(nb['notebooks'])} notebook(s)")

    if args.suite:
        log("Suite: python -m pytest -q -p no:randomly ...")
        suite = bench_suite(args.root)
        results["suite"] = suite
        print(f"\nWhole test suite: {suite['seconds']:.1f} s "
              f"(exit code {suite['returncode']}: {suite['summary']})")

    info = results["machine"]
    print(f"\nMachine: {info['cpus']} CPU(s), Python {info['python']}, "
          f"load average {info.get('loadavg', '?')} (timings on a busy machine are inflated)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
