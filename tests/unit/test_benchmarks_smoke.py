"""The benchmark runner itself works (tests/benchmarks is not collected by pytest).

Synthetic cases only: a trivial callable, a crashing one, and a tiny notebook. No timing
assertions: the runner reports times, it never judges them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest

RUN_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("benchmarks_run_under_test", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _bench_file(folder: Path, name: str, body: str) -> Path:
    path = folder / f"bench_{name}.py"
    path.write_text(body, encoding="utf-8")
    return path


def _notebook(folder: Path, name: str, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"}, "language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_code_cell(source)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_time_callable_counts_runs_and_memory(run):
    calls = []
    stats = run.time_callable(lambda: calls.append(bytearray(200_000)), warmup=2, repeat=5)
    assert len(calls) == 2 + 5 + 1  # warm-up, timed, one under tracemalloc
    assert stats["runs"] == 5
    assert stats["min_ms"] <= stats["median_ms"] <= stats["p90_ms"] <= stats["max_ms"]
    assert stats["peak_kib"] >= 190  # the 200 kB allocation was traced


def test_percentile_matches_linear_interpolation(run):
    assert run.percentile([1, 2, 3, 4, 5], 50) == 3
    assert run.percentile([0, 10], 90) == pytest.approx(9)
    assert run.percentile([7], 90) == 7


def test_widgets_mode_end_to_end(run, tmp_path, capsys):
    _bench_file(tmp_path, "ok",
                "def cases():\n    return {'tiny.sum': lambda: print(sum(range(50)))}\n")
    _bench_file(tmp_path, "bad", "def cases():\n    return {'tiny.crash': lambda: 1 / 0}\n")
    out_json = tmp_path / "out" / "w.json"
    code = run.main(["--widgets", "--bench-dir", str(tmp_path), "--repeat", "3",
                     "--warmup", "1", "--json", str(out_json)])
    assert code == 1  # a crashing case is reported and makes the run fail (not its time)
    printed = capsys.readouterr().out
    assert "tiny.sum" in printed and "median ms" in printed
    assert "ZeroDivisionError" in printed
    assert "1225" not in printed  # what the case printed is not mixed into the table
    data = json.loads(out_json.read_text())
    by_case = {r["case"]: r for r in data["widgets"]["cases"]}
    assert by_case["tiny.sum"]["runs"] == 3
    assert "error" in by_case["tiny.crash"]


def test_widgets_mode_exit_zero_when_all_cases_run(run, tmp_path, capsys):
    _bench_file(tmp_path, "ok",
                "def cases():\n    return {'a': lambda: None, 'b': lambda: [1] * 10}\n")
    assert run.main(["--widgets", "--bench-dir", str(tmp_path), "--repeat", "2"]) == 0
    table = capsys.readouterr().out
    assert sum("bench_ok.py" in line for line in table.splitlines()) == 2


def test_bad_bench_file_is_reported(run, tmp_path):
    _bench_file(tmp_path, "broken", "def cases():\n    return 3\n")
    rows = run.bench_widgets(run.discover_bench_files(tmp_path), repeat=1, warmup=0,
                             log=lambda *a, **k: None)
    assert rows and "error" in rows[0]


def test_notebooks_mode_runs_and_times_a_tiny_notebook(run, tmp_path, capsys):
    root = tmp_path / "repo"
    good = _notebook(root / "lessons", "00_tiny", "x = 1 + 1\nprint(x)")
    _notebook(root / "solutions", "01_broken", "raise RuntimeError('boom')")
    before = good.read_bytes()
    out_json = tmp_path / "nb.json"
    code = run.main(["--notebooks", "--root", str(root), "--no-floor", "--json", str(out_json)])
    assert code == 1  # the broken notebook is reported
    printed = capsys.readouterr().out
    assert "lessons/00_tiny.ipynb" in printed or "00_tiny" in printed
    assert "RuntimeError" in printed
    data = json.loads(out_json.read_text())
    rows = {Path(r["notebook"]).stem: r for r in data["notebooks"]["notebooks"]}
    assert rows["00_tiny"]["seconds"] > 0 and "error" not in rows["00_tiny"]
    assert "error" in rows["01_broken"]
    assert good.read_bytes() == before  # executing never writes the notebook back


def test_floor_ratio_uses_the_floor_time(run, tmp_path, monkeypatch):
    nb = _notebook(tmp_path, "n", "pass")
    times = iter([9.0, 2.0, 5.0])  # warm-up (ignored), floor, notebook
    monkeypatch.setattr(run, "run_notebook",
                        lambda path, timeout: {"notebook": str(path), "seconds": next(times)})
    result = run.bench_notebooks([nb], floor=True, log=lambda *a, **k: None)
    assert result["floor"]["seconds"] == 2.0
    assert result["notebooks"][0]["ratio"] == pytest.approx(2.5)


def test_format_table_aligns_columns(run):
    rows = [{"case": "a", "median_ms": 1.25, "file": "x.py"},
            {"case": "long_name", "median_ms": 123.4, "file": "y.py"},
            {"case": "bad", "error": "ValueError: no", "file": "z.py"}]
    text = run.format_table(rows, [("case", "case", ""), ("median_ms", "median ms", ".1f"),
                                   ("file", "file", "")])
    lines = text.splitlines()
    assert lines[0].startswith("case")
    assert len({len(line) for line in lines[2:4]}) == 1  # aligned rows
    assert "ERROR" in lines[4] and "ValueError: no" in text


def test_default_mode_runs_widgets_and_notebooks(run):
    args = run.parse_args([])
    assert args.widgets and args.notebooks and not args.suite
    args = run.parse_args(["--suite"])
    assert args.suite and not args.widgets
