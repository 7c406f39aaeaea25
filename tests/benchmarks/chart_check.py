"""What a chart check costs: ms per check, for every chart question of the five sets.

    .venv/bin/python tests/benchmarks/chart_check.py
    .venv/bin/python tests/benchmarks/chart_check.py --repeat 15 --json chart_check.json

A chart check draws the student's chart with Vega (vl-convert) to judge what is on
screen, so it costs more than reading the spec. For each chart question this builds the
solution's chart (running the solution notebook's code cells, no kernel) and times:

* ``first``: the question's first check (it also draws the task's reference rows once);
* ``object``: a check of the chart object, as ``qN.check()`` does in the notebook;
* ``dict``: a check of its ``to_dict()``, as the grader re-checks a transferred chart;
* ``broken``: a chart whose filter keeps one row (the check must draw it to say so).

Medians over ``--repeat`` runs; the last row is the median over the questions. The course
aims at about 200 ms a check. Apart from these, ``engine start`` is the first drawing in a
fresh interpreter (median of 3), paid once per kernel at its first chart check: the
solution notebooks' own check cells have started the engine before the table's rows.
It reports and never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
STEMS = {
    "01": "01_regime_cohesion.ipynb",
    "02": "02_military_economy.ipynb",
    "03": "03_defection_motivations.ipynb",
    "04": "04_surrender_dynamics.ipynb",
    "05": "05_synthesis.ipynb",
}
TARGET_MS = 200


def _quiet_exec(path: Path) -> dict:
    """Run a notebook's code cells in one namespace, their prints silenced."""
    import contextlib
    import io

    import nbformat

    ns: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, str(path), "exec"), ns)  # noqa: S102 - our notebooks
    return ns


def _ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


ENGINE_START = """
import time
import altair as alt, pandas as pd
from defection.checks.kinds.chart_drawn import draw
spec = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q").to_dict()
start = time.perf_counter()
draw(spec)
print((time.perf_counter() - start) * 1000)
"""


def engine_start_ms(runs: int = 3) -> float:
    """The first drawing in a fresh interpreter: vl-convert starting its Vega engine."""
    import subprocess

    times = [
        float(subprocess.run([sys.executable, "-c", ENGINE_START], capture_output=True,
                             text=True, check=True, cwd=REPO_ROOT).stdout.split()[-1])
        for _ in range(runs)
    ]
    return statistics.median(times)


def bench(repeat: int = 9) -> list[dict]:
    os.chdir(REPO_ROOT)
    from defection.checks import load_questions

    rows = []
    for lesson, stem in STEMS.items():
        questions = [
            q for q in load_questions(f"defection.checks.lesson{lesson}", fresh=True).auto
            if q.kind == "chart"
        ]
        if not questions:
            continue
        ns = _quiet_exec(REPO_ROOT / "solutions" / stem)
        for q in questions:
            chart = ns[q.variable]
            spec = chart.to_dict()
            broken = chart.transform_window(n="row_number()").transform_filter("datum.n == 1")
            start = time.perf_counter()
            ok = q.evaluate(chart).passed
            first = (time.perf_counter() - start) * 1000
            row = {
                "question": f"{lesson} {q.name}",
                "first": first,
                "object": _ms(lambda: q.evaluate(chart), repeat),
                "dict": _ms(lambda: q.evaluate(spec), repeat),
                "broken": _ms(lambda: q.evaluate(broken), repeat),
                "solution_passes": ok and q.evaluate(spec).passed,
                "broken_fails": not q.evaluate(broken).passed,
            }
            rows.append(row)
            print(f"  {row['question']}: {row['object']:.0f} ms", file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    cols = ("first", "object", "dict", "broken")
    lines = [f"{'question':10s}" + "".join(f"{c + ' ms':>12s}" for c in cols) + "  verdicts"]
    for r in rows:
        verdict = "ok" if r["solution_passes"] and r["broken_fails"] else "WRONG"
        lines.append(f"{r['question']:10s}" + "".join(f"{r[c]:12.0f}" for c in cols)
                     + f"  {verdict}")
    med = {c: statistics.median(r[c] for r in rows) for c in cols}
    lines.append(f"{'median':10s}" + "".join(f"{med[c]:12.0f}" for c in cols)
                 + f"  (target about {TARGET_MS} ms a check)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per case (median)")
    parser.add_argument("--json", type=Path, help="also write every number here")
    args = parser.parse_args(argv)
    rows = bench(repeat=args.repeat)
    engine = engine_start_ms()
    print(table(rows))
    print(f"engine start (first chart check in a fresh kernel): {engine:.0f} ms")
    if args.json:
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        args.json.write_text(json.dumps({"rows": rows, "engine_start_ms": engine, "cpus": os.cpu_count(),
                                         "loadavg": load}, indent=2), encoding="utf-8")
    return 0 if all(r["solution_passes"] and r["broken_fails"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
