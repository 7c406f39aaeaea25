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


# --------------------------------------------------------------------------- grading


BENCH = RUN_PY.parent


def _load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # grading.py imports make_class from beside it
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_class_mix_is_exact_seeded_and_spread_over_the_five_sets():
    make_class = _load("make_class")
    kinds = make_class.kinds_for(300, 20)
    assert kinds == make_class.kinds_for(300, 20) != make_class.kinds_for(300, 21)
    counts = {k: kinds.count(k) for k in make_class.MIX}
    assert counts == {"good": 150, "partial": 66, "blank": 30, "syntax": 18, "exception": 24,
                      "endless": 12}  # fmt: skip
    assert sum(map(len, (make_class.kinds_for(n, 1) for n in (1, 7, 33)))) == 41
    made = make_class.build(25, seed=3)
    assert [f for f, _, _ in made] == [f for f, _, _ in make_class.build(25, seed=3)]
    assert {f.split("_", 3)[-1] if "_LATE" not in f else f.split("_", 4)[-1]
            for f, _, _ in made} == {f"{s}.ipynb" for s in make_class.SETS}  # fmt: skip


def test_each_broken_kind_is_broken_the_way_it_says():
    from defection.grading.run import syntax_problem

    make_class = _load("make_class")
    made = make_class.build(60, seed=5)
    for file, kind, nb in made:
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert not any("BEGIN SOLUTION" in s for s in code), file  # as a student's copy
        broken = [s for s in code if syntax_problem(s)]
        assert bool(broken) == (kind == "syntax"), (file, kind, broken)
        assert any(make_class.ENDLESS in s for s in code) == (kind == "endless"), file
    ex = next(nb for _, kind, nb in made if kind == "exception")
    import re

    assert any(re.search(r"\b\w+_\(|=.*\b[A-Za-z]\w*_\b", c.source) for c in ex.cells
               if c.cell_type == "code")  # fmt: skip
    assert make_class._misspell("total = count + 1\n") == "total = count_ + 1\n"
    assert syntax_problem(make_class._lose_bracket("x = max(1, 2)\n"))


def test_grading_benchmark_runs_a_tiny_class(tmp_path, capsys):
    grading = _load("grading")
    out = tmp_path / "g.json"
    assert grading.main(["--n", "2", "--jobs", "1", "--floor", "1", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["submissions"] == 2 and data["graded"] == 2
    assert data["peak_memory_mib"] > 50 and data["floor"]["notebooks"] == 1
    assert {"load_before", "load_after", "date", "mix"} <= set(data)
    printed = capsys.readouterr().out
    assert "s per submission" in printed and "floor" in printed
