"""Start-up and install-size benchmarks: what a student waits for before the first lesson.

    .venv/bin/python tests/benchmarks/startup.py                 # import ratio + JupyterLab start
    .venv/bin/python tests/benchmarks/startup.py --sizes         # also build both venvs and size them
    .venv/bin/python tests/benchmarks/startup.py --json out.json

* **Import ratio.** A fresh interpreter doing what every notebook's first cell does
  (``import defection; defection.setup()``) against one doing only ``import pandas, ipywidgets``,
  interleaved in the same run so that machine load hits both alike; medians and their ratio.
  The course's target is a ratio of at most 1.5. A third row adds building and serialising
  one chart, the cost a student meets at the first chart cell.
* **JupyterLab start.** From ``jupyter lab --no-browser`` to the first answer of /api/status.
* **venv sizes** (``--sizes``). Two fresh virtual environments made the README's way: the
  student's (requirements.txt) and the tester's (plus tests/requirements.txt), in MB.

It reports and never fails on time (exit 1 only if something could not run at all).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
IMPORT_TARGET_RATIO = 1.5

SNIPPETS = {
    "baseline": "import pandas, ipywidgets",
    "course": "import defection; defection.setup()",
    "course + first chart": (
        "import defection; defection.setup()\n"
        "from defection.charts.live import chart_spec\n"
        "import altair as alt, pandas as pd\n"
        "chart_spec(alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_point().encode(x='x:Q')"
        ".properties(title='t', description='d'))"
    ),
}


def time_snippet(python: str, source: str) -> float:
    """Seconds for a fresh interpreter to run ``source`` (start-up included)."""
    start = time.perf_counter()
    subprocess.run([python, "-c", source], check=True, cwd=REPO_ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def bench_imports(python: str = sys.executable, repeat: int = 7) -> dict:
    """Interleaved medians of each snippet, and the course/baseline ratio."""
    for source in SNIPPETS.values():  # warm the disk cache and write .pyc files first
        time_snippet(python, source)
    samples: dict[str, list[float]] = {name: [] for name in SNIPPETS}
    for _ in range(repeat):
        for name, source in SNIPPETS.items():
            samples[name].append(time_snippet(python, source))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "repeat": repeat,
        "median_s": {name: round(value, 3) for name, value in medians.items()},
        "ratio": round(medians["course"] / medians["baseline"], 2),
        "ratio_with_first_chart": round(medians["course + first chart"] / medians["baseline"], 2),
        "target_ratio": IMPORT_TARGET_RATIO,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_lab_start(jupyter: Path, repeat: int = 3, timeout: float = 120.0) -> dict:
    """Seconds from launching JupyterLab to its API's first answer (median of ``repeat``)."""
    times: list[float] = []
    for _ in range(repeat):
        port, token = _free_port(), secrets.token_hex(16)
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, JUPYTER_RUNTIME_DIR=f"{tmp}/runtime", JUPYTER_CONFIG_DIR=f"{tmp}/config")
            cmd = [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO_ROOT}"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                while True:
                    if time.perf_counter() - start > timeout:
                        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s")
                    if proc.poll() is not None:
                        raise RuntimeError(f"JupyterLab exited with code {proc.returncode}")
                    try:
                        with urllib.request.urlopen(
                            f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1
                        ):
                            break
                    except OSError:
                        time.sleep(0.05)
                times.append(time.perf_counter() - start)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return {"repeat": repeat, "median_s": round(statistics.median(times), 2),
            "runs_s": [round(t, 2) for t in times]}


def folder_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            fp = Path(root) / name
            if not fp.is_symlink():
                total += fp.stat().st_size
    return round(total / 1e6, 1)


def bench_venv_sizes(python: str = sys.executable) -> dict:
    """Build the student's and the tester's venvs as the README does; their sizes in MB."""
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "course"
        shutil.copytree(REPO_ROOT, copy, ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "*.egg-info", "build", "screenshots"))
        venv = copy / ".venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        vpy = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        subprocess.run([str(vpy), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
                       cwd=copy, check=True)
        out["student_mb"] = folder_mb(venv)
        subprocess.run([str(vpy), "-m", "pip", "install", "-q", "-r", "tests/requirements.txt"],
                       cwd=copy, check=True)
        out["with_tests_mb"] = folder_mb(venv)
    out["test_tools_mb"] = round(out["with_tests_mb"] - out["student_mb"], 1)
    return out


def report(results: dict) -> str:
    lines = []
    imp = results.get("imports")
    if imp:
        lines.append(f"Kernel-side start-up (fresh interpreter, median of {imp['repeat']}, interleaved)")
        for name, seconds in imp["median_s"].items():
            lines.append(f"  {name:<22} {seconds:6.2f} s")
        verdict = "within" if imp["ratio"] <= imp["target_ratio"] else "over"
        lines.append(f"  ratio course / baseline: {imp['ratio']:.2f} ({verdict} the target of "
                     f"{imp['target_ratio']}); with the first chart: {imp['ratio_with_first_chart']:.2f}")
    lab = results.get("jupyterlab")
    if lab:
        lines.append(f"JupyterLab start to first API answer: {lab['median_s']:.2f} s "
                     f"(median of {lab['repeat']}: {lab['runs_s']})")
    sizes = results.get("venv_sizes")
    if sizes:
        lines.append(f"venv sizes: student {sizes['student_mb']:.0f} MB, with test tools "
                     f"{sizes['with_tests_mb']:.0f} MB (+{sizes['test_tools_mb']:.0f} MB)")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    lines.append(f"Machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
                 f"load average {[round(x, 2) for x in load] if load else '?'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per import snippet (default 7)")
    parser.add_argument("--lab-repeat", type=int, default=3, help="JupyterLab starts (default 3)")
    parser.add_argument("--no-lab", action="store_true", help="skip the JupyterLab start")
    parser.add_argument("--sizes", action="store_true", help="build both venvs and report sizes (slow)")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    args = parser.parse_args(argv)
    results: dict = {}
    try:
        results["imports"] = bench_imports(repeat=args.repeat)
        if not args.no_lab:
            jupyter = Path(sys.executable).with_name("jupyter")
            results["jupyterlab"] = bench_lab_start(jupyter, repeat=args.lab_repeat)
        if args.sizes:
            results["venv_sizes"] = bench_venv_sizes()
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        print(report(results))
        print(f"could not finish: {exc}", file=sys.stderr)
        return 1
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
