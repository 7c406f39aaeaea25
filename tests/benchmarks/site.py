"""Benchmark of the course website: build time, size, and each page's time to first chart.

    .venv/bin/python tests/benchmarks/site.py                    # build, measure, load pages
    .venv/bin/python tests/benchmarks/site.py --site DIR         # measure a site built before
    .venv/bin/python tests/benchmarks/site.py --repeat 5 --json site_bench.json

It reports; it never fails because something is slow (exit 0 unless the build or the
browser cannot run at all). Without ``--site`` (or $BREAKING_RANKS_SITE_DIR) it builds the
site once with ``defection.site.benchmark.measure_build`` (lessons executed, as the site
command does). Then it serves the folder on 127.0.0.1, as the site test does, with every
other host blocked, and loads each page that has a chart ``--repeat`` times (default 3) in a
fresh browser context, so nothing is cached: a reader's first visit. **Time to first chart**
is from the start of the navigation (``performance.now()`` counts from it) to the first
animation frame in which a chart on the page has drawn marks; the median is reported.
Pages without charts get their load time (navigation to ``load`` plus network idle) only.
See tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO_ROOT = TESTS.parent
for folder in (REPO_ROOT, TESTS, TESTS / "site"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import browser_support as bs  # noqa: E402
import site_helpers as sh  # noqa: E402
import site_visit as sv  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_numbers(site: Path | None) -> tuple[Path, dict]:
    """(site folder, numbers): a fresh build's time and sizes, or an existing site's sizes."""
    from defection.site.benchmark import measure_build, sizes

    if site is not None:
        return site, {"build_seconds": None, "site": str(site), **sizes(site)}
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"breaking-ranks-site-bench-{os.getpid()}"
    log(f"building the site into {out} (lessons executed; a few minutes) ...")
    result = measure_build(out)
    return Path(result["site"]), result


def time_pages(site: Path, pages: list[str], repeat: int) -> list[dict]:
    """Per page: charts, median time to first chart and median load time (ms), and any
    failure seen (a benchmark of a broken page would mislead)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sh.StaticServer(site) as server, sync_playwright() as pw:
        browser = bs.launch_chromium(pw)
        try:
            for page in pages:
                first, loads, charts, problems = [], [], 0, []
                for _ in range(repeat):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    try:
                        v = sv.visit(context, server.origin, page)
                    finally:
                        context.close()
                    problems += v.problems + [f"blocked {u}" for u in v.blocked]
                    charts = len(v.report.get("charts", []))
                    loads.append(v.load_ms)
                    if v.report.get("firstChartMs") is not None:
                        first.append(v.report["firstChartMs"])
                row = {"page": page, "charts": charts,
                       "first_chart_ms": round(statistics.median(first), 1) if first else None,
                       "first_chart_runs_ms": [round(x, 1) for x in first],
                       "load_ms": round(statistics.median(loads), 1),
                       "problems": sorted(set(problems))[:5]}  # fmt: skip
                rows.append(row)
                shown = f"{row['first_chart_ms']:8.1f} ms" if first else "       - "
                log(f"  {shown}  {page} ({charts} charts)")
        finally:
            browser.close()
    return rows


def format_table(numbers: dict, rows: list[dict]) -> str:
    lines = []
    if numbers.get("build_seconds") is not None:
        lines.append(f"site build: {numbers['build_seconds']:.1f} s (lessons executed)")
    lines.append(f"site size: {numbers['bytes'] / 1e6:.2f} MB in {numbers['files']} files, "
                 f"{numbers['pages']} HTML pages")  # fmt: skip
    lines += ["", f"{'first chart':>12} {'load':>9} {'charts':>6}  page"]
    for r in sorted(rows, key=lambda r: -(r["first_chart_ms"] or -1)):
        first = f"{r['first_chart_ms']:9.1f} ms" if r["first_chart_ms"] is not None else f"{'-':>12}"
        lines.append(f"{first} {r['load_ms']:6.0f} ms {r['charts']:6d}  {r['page']}"
                     + ("  (problems: " + "; ".join(r["problems"]) + ")" if r["problems"] else ""))
    timed = [r["first_chart_ms"] for r in rows if r["first_chart_ms"] is not None]
    if timed:
        lines.append(f"{statistics.median(timed):9.1f} ms  median time to first chart over "
                     f"{len(timed)} pages with charts")  # fmt: skip
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines.append(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
                 f"{platform.python_implementation()} {platform.python_version()}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None,
                        help=f"a built site (default: ${sh.SITE_DIR_ENV}, else build one)")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page; the median is shown")
    parser.add_argument("--all-pages", action="store_true",
                        help="time every page, not only those with charts")
    parser.add_argument("--json", type=Path, default=None, help="also write every number as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    problem = bs.chromium_problem(bs.CHROMIUM, {})
    if problem is not None:
        print(problem[1], file=sys.stderr)
        return 2
    try:
        site = args.site.resolve() if args.site else sh.site_dir_from_env()
    except sh.SiteBuildError as exc:
        print(exc, file=sys.stderr)
        return 2
    if site is not None and not (site / "index.html").is_file():
        print(f"{site} has no index.html: build the site first (python -m defection.site --out DIR)",
              file=sys.stderr)  # fmt: skip
        return 2
    started = time.perf_counter()
    site, numbers = build_numbers(site)
    pages = sorted(set(sh.crawl(site)) | set(sh.walk_pages(site)))
    if not args.all_pages:
        # One quick look at each page finds those with charts; only they are timed.
        from playwright.sync_api import sync_playwright

        with sh.StaticServer(site) as server, sync_playwright() as pw:
            browser = bs.launch_chromium(pw)
            context = browser.new_context()
            try:
                pages = [p for p in pages
                         if sv.visit(context, server.origin, p).report.get("charts")]  # fmt: skip
            finally:
                context.close()
                browser.close()
    log(f"timing {len(pages)} page(s), {args.repeat} load(s) each ...")
    rows = time_pages(site, pages, args.repeat)
    print(format_table(numbers, rows))
    if args.json:
        out = {**numbers, "pages_timed": rows, "repeat": args.repeat,
               "seconds": round(time.perf_counter() - started, 1), "cpus": os.cpu_count(),
               "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}  # fmt: skip
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
