"""The grader: crafted good, wrong, broken, endless, tampered and junk submissions."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import altair as alt
import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell

from defection.checks import FrameQuestion, NumberQuestion, QuestionSet, load_questions
from defection.checks.answers import judge
from defection.grade import (
    GradingError,
    Settings,
    _execution_notes,
    decode,
    discover,
    dump_cell_source,
    grade,
    main,
)

FIXTURES = Path(__file__).parent / "grading_fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from notebooks import FULL_GOOD, LIGHT_GOOD, W1_TEXT, notebook  # noqa: E402

def build_submissions(folder: Path) -> None:
    folder.mkdir(parents=True)

    def put(name: str, nb: nbformat.NotebookNode) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)

    put("alice__01_fixture.ipynb", notebook(FULL_GOOD))
    put("bob__01_fixture.ipynb", notebook({
        "c1": "answer_total = 44",
        "c2": "import pandas as pd\nanswer_table = pd.DataFrame({'x': [1, 3], "
        "'when': pd.to_datetime(['2021-02-01', '2023-10-27'])})",
        "c3": "answer_choice = 'a'", "c5": "answer_items = ['Egypt']",
        "c6": "answer_chart = {'mark': 'bar', 'encoding': {'x': {'field': 'a', 'type': 'quantitative'}}}",
    }))  # fmt: skip
    put("carol__01_fixture.ipynb", notebook({**LIGHT_GOOD, "c1": "answer_total = sum(range(10)"}))
    put("dave__01_fixture.ipynb", notebook({**LIGHT_GOOD, "c1": "answer_total = sum(range(10)) + 'x'"}))
    deleted = notebook(LIGHT_GOOD)
    deleted.cells = [c for c in deleted.cells if c["id"] != "c3"]
    put("frank__01_fixture.ipynb", deleted)
    reordered = notebook(LIGHT_GOOD)
    reordered.cells = [reordered.cells[i] for i in (0, 5, 1, 2, 3, 4, 6)]
    put("grace/01_fixture.ipynb", reordered)  # one folder per student works too
    put("heidi__01_fixture.ipynb", notebook({**LIGHT_GOOD, "c1": "total_answer = sum(range(10))"}))
    put("ivan__01_fixture.ipynb", notebook({**LIGHT_GOOD, "c0": "# huge", "c2": "print('x' * 2_000_000)"}))
    tampered = notebook({**LIGHT_GOOD, "c1": "answer_total = 0"})
    tampered.cells.insert(2, new_code_cell(
        "import fixture_checks\nimport defection.checks.core as core\n"
        "fixture_checks.q1.check = lambda *a, **k: 'correct'\n"
        "core.Question.evaluate = lambda self, a: core.CheckResult(self.name, 'correct', "
        "self.points, self.points, 'ok')\n"
        "core.NumberQuestion._compare = lambda self, a, e: (True, '')\n"
        "print(fixture_checks.q1.check(answer_total))"
    ))  # fmt: skip
    put("judy__01_fixture.ipynb", tampered)
    (folder / "kim__notes.txt").write_text("my answers are in the email")
    (folder / "leo__01_fixture.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ')
    put("oscar__01_fixture.ipynb", notebook({**LIGHT_GOOD, "c2": "import os\nos._exit(1)"}))
    put(".ipynb_checkpoints/alice__01_fixture-checkpoint.ipynb", notebook(FULL_GOOD))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    build_submissions(root / "submissions")
    (root / "exercises").mkdir()
    nbformat.write(notebook({}), root / "exercises" / "01_fixture.ipynb")
    messages: list[str] = []
    rows = grade(
        root / "submissions",
        root / "out" / "gradebook.csv",
        registry=load_questions("fixture_checks"),
        timeout=120,
        cell_timeout=90,
        max_output_bytes=100_000,
        jobs=2,
        extra_path=[FIXTURES],
        templates=root / "exercises",
        progress=messages.append,
    )
    with open(root / "out" / "gradebook.csv", newline="", encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    return {
        "rows": rows,
        "table": {r["student"]: r for r in table},
        "header": list(table[0].keys()),
        "written": (root / "out" / "written_answers.md").read_text(),
        "messages": messages,
    }


def scores(row: dict) -> dict:
    return {k: row[k] for k in ("q1", "q2", "q3", "q4", "q5", "w1", "total", "max")}


@pytest.mark.slow
def test_gradebook_columns_and_one_row_per_file(graded):
    assert graded["header"] == [
        "student", "student_id", "name", "lms", "lms_id", "notebook", "lesson", "late",
        "submitted_at", "due", "attempt", "counted", "q1", "q2", "q3", "q4", "q5", "w1", "total", "max", "tampering", "notes",
    ]  # fmt: skip
    assert sorted(graded["table"]) == sorted(
        ["alice", "bob", "carol", "dave", "frank", "grace", "heidi", "ivan", "judy", "kim", "leo",
         "oscar"]
    )  # fmt: skip
    assert all(r["max"] == "6" for r in graded["table"].values() if r["lesson"] == "lesson 01")


@pytest.mark.slow
def test_good_submission_gets_everything(graded):
    alice = graded["table"]["alice"]
    assert scores(alice) == {"q1": "2", "q2": "1", "q3": "1", "q4": "1", "q5": "1", "w1": "recorded",
                             "total": "6", "max": "6"}  # fmt: skip
    assert alice["notes"] == "" and alice["notebook"] == "01_fixture.ipynb"


@pytest.mark.slow
def test_wrong_answers_get_nothing(graded):
    bob = graded["table"]["bob"]
    assert scores(bob) == {"q1": "0", "q2": "0", "q3": "0", "q4": "0", "q5": "0", "w1": "not answered",
                           "total": "0", "max": "6"}  # fmt: skip
    assert bob["notes"] == ""


@pytest.mark.slow
def test_syntax_error_and_exception_cost_only_their_answers(graded):
    carol, dave = graded["table"]["carol"], graded["table"]["dave"]
    for row in (carol, dave):
        assert (row["q1"], row["q3"], row["q4"], row["total"]) == ("0", "1", "1", "2")
        assert "renamed/deleted" not in row["notes"]
    assert "syntax error in cell 2 (answer_total = sum(range(10)), line 1" in carol["notes"]
    for rows in graded["rows"]:
        if rows.student in ("carol", "dave"):
            assert rows.statuses["q1"] == "error" and rows.statuses["q3"] == "correct"
            assert "cell 2" in rows.feedback["q1"]
    assert "exception in cell 2" in dave["notes"] and "TypeError" in dave["notes"]


@pytest.mark.slow
def test_deleted_reordered_and_renamed(graded):
    frank, grace, heidi = (graded["table"][s] for s in ("frank", "grace", "heidi"))
    assert "1 cell(s) of the exercise missing (deleted?)" in frank["notes"]
    assert "q3: variable answer_choice missing" in frank["notes"]
    assert (frank["q1"], frank["q3"], frank["total"]) == ("2", "0", "3")
    assert grace["notes"] == "cells reordered" and grace["total"] == "4"
    assert grace["notebook"] == "01_fixture.ipynb"
    assert grace["q2"] == "0"  # placeholder ... : not answered, and no note
    assert "q1: variable answer_total missing (renamed/deleted?)" in heidi["notes"]
    assert (heidi["q1"], heidi["total"]) == ("0", "2")


@pytest.mark.slow
def test_huge_output_is_truncated_not_fatal(graded):
    ivan = graded["table"]["ivan"]
    assert "output truncated" in ivan["notes"] and ivan["total"] == "4"


@pytest.mark.slow
def test_tampered_checks_gain_nothing(graded):
    judy = graded["table"]["judy"]
    assert judy["q1"] == "0" and judy["total"] == "2"
    assert "exception" not in judy["notes"]  # the tampering itself ran fine


@pytest.mark.slow
def test_junk_files_and_dead_kernels_are_rows_with_notes(graded):
    kim, leo, oscar = (graded["table"][s] for s in ("kim", "leo", "oscar"))
    assert kim["notes"] == "not a notebook" and kim["notebook"] == "notes.txt"
    assert "malformed JSON" in leo["notes"] and (leo["total"], leo["max"]) == ("0", "6")
    assert "kernel stopped in cell 3" in oscar["notes"] and oscar["total"] == "0"


@pytest.mark.slow
def test_written_answers_file(graded):
    text = graded["written"]
    assert "## Lesson 01 - w1: Why do armies split?" in text
    alice = text.index("### alice - 01_fixture.ipynb")
    assert text.index(W1_TEXT) > alice
    bob = text.index("### bob - 01_fixture.ipynb")
    assert text[bob:].split("###")[1].strip().endswith("_(no answer)_")
    assert "Write your answer here" not in text


@pytest.mark.slow
def test_progress_and_summary(graded):
    messages = graded["messages"]
    assert sum(m.startswith("[") for m in messages) == 12
    assert any(m.startswith("Graded 10 of 12") for m in messages)
    assert any("q1: mean" in m for m in messages)


@pytest.mark.slow
def test_endless_loop_times_out_and_later_answers_count(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nb = notebook({**LIGHT_GOOD, "c2": "while True:\n    pass"})
    nbformat.write(nb, subs / "erin__01_fixture.ipynb")
    rows = grade(subs, tmp_path / "gb.csv", registry=load_questions("fixture_checks"),
                 timeout=60, cell_timeout=5, templates=None, progress=lambda m: None)  # fmt: skip
    (row,) = rows
    assert "cell 3 (while True:) stopped after 5 s (endless loop?)" in "; ".join(row.notes)
    assert "renamed/deleted" not in "; ".join(row.notes)
    assert row.scores["q1"] == 2 and row.scores["q3"] == 1 and row.total == 4


def test_refuses_to_write_inside_submissions(tmp_path):
    (tmp_path / "subs").mkdir()
    for out, written in ((tmp_path / "subs" / "gb.csv", None),
                         (tmp_path / "gb.csv", tmp_path / "subs" / "deep" / "w.md")):  # fmt: skip
        with pytest.raises(GradingError, match="refusing"):
            grade(tmp_path / "subs", out, written=written, registry=QuestionSet([]))
    assert not (tmp_path / "subs" / "gb.csv").exists()


def test_cli_help_and_junk_only_folder(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for option in ("--out", "--timeout", "--max-output-bytes", "--written", "--jobs", "__NN_topic"):
        assert option in help_text
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ann__01_fixture.ipynb").write_text("not json")
    (subs / "ann__photo.png").write_bytes(b"\x89PNG")
    out = tmp_path / "g" / "gb.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "defection.grade", str(subs), "--out", str(out),
         "--checks-module", "fixture_checks", "--path", str(FIXTURES)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("\ufeffstudent,student_id,name,lms,lms_id,notebook,lesson,late,"
                              "submitted_at,due,attempt,counted,q1")
    assert "malformed JSON" in lines[1] and lines[2].endswith("not a notebook")
    assert "[2/2]" in proc.stderr and (tmp_path / "g" / "written_answers.md").exists()
    assert main([str(subs), "--out", str(subs / "x.csv")]) == 2
    assert "refusing" in capsys.readouterr().err


def test_discover_names(tmp_path):
    (tmp_path / "bo").mkdir()
    (tmp_path / "bo" / "02_x.ipynb").write_text("{}")
    (tmp_path / "al__01_x.ipynb").write_text("{}")
    (tmp_path / "01_x.ipynb").write_text("{}")
    (tmp_path / ".hidden.ipynb").write_text("{}")
    found = sorted((s.student, s.notebook) for s in discover(tmp_path))
    assert found == [("01_x", "01_x.ipynb"), ("al", "01_x.ipynb"), ("bo", "02_x.ipynb")]


def test_execution_notes_for_time_limits():
    nb = notebook(LIGHT_GOOD)
    report = {"cells": [{"index": 1, "status": "skipped"}, {"index": 2, "status": "skipped"}],
              "killed": 200, "output_bytes": 10}  # fmt: skip
    notes = _execution_notes(nb, report, Settings(timeout=30))
    assert "2 cell(s) not run: notebook time limit of 30 s reached" in notes
    assert "timed out after 30 s (stopped by the grader)" in notes


def test_values_survive_the_trip_from_kernel_to_grader(tmp_path):
    frame = pd.DataFrame(
        {"n": pd.array([1, None, 3], dtype="Int64"), "x": [0.5, np.nan, 2.25],
         "when": pd.to_datetime(["2021-02-01", None, "2024-01-31"]),
         "kind": pd.Categorical(["a", "b", "a"]), "s": ["x", None, "01"]},
        index=pd.Index(["r1", "r2", "r3"], name="row"),
    )  # fmt: skip
    series = frame.groupby("kind", observed=True)["x"].sum()
    multi = frame.set_index(["kind", "s"])[["x"]]
    chart = alt.Chart(frame[["x"]]).mark_bar().encode(x="x:Q")
    ns = {"frame": frame, "series": series, "multi": multi, "chart": chart, "num": np.int64(7),
          "items": {"a", "b"}, "nested": [1, (2, 3), {"k": None}], "todo": ..., "obj": object(),
          "big": 10**500, "nan": float("nan")}  # fmt: skip
    names = [*ns, "missing"]
    exec(dump_cell_source(names, str(tmp_path / "a.json")), ns)  # noqa: S102 - our own cell
    raw = json.loads((tmp_path / "a.json").read_text())
    got = {k: decode(json.loads(v)) for k, v in raw.items()}
    for name in ("frame", "series", "multi"):
        q = FrameQuestion("qf", name, expected=ns[name])
        assert judge(q, got[name]).status == "correct", (name, judge(q, got[name]))
    assert got["chart"]["mark"]["type"] == "bar" or got["chart"]["mark"] == "bar"
    assert got["num"] == 7 and got["items"] == {"a", "b"} and got["nested"] == [1, [2, 3], {"k": None}]
    assert got["todo"] is Ellipsis
    assert judge(NumberQuestion("qn", "obj", expected=1), got["obj"]).status == "incorrect"
    assert "object" in judge(NumberQuestion("qn", "obj", expected=1), got["obj"]).message
    assert judge(NumberQuestion("qm", "missing", expected=1), got["missing"]).status == "not_answered"
    assert got["big"] == float("inf") and np.isnan(got["nan"])


def test_oversized_and_unknown_lesson_notebooks(tmp_path, monkeypatch):
    import defection.grading.recheck as grading

    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(notebook(FULL_GOOD), subs / "amy__01_fixture.ipynb")
    nb = notebook({})
    nb.metadata["defection"] = {"lesson": "07"}
    nbformat.write(nb, subs / "ben__07_future.ipynb")
    nb = notebook({})
    del nb.metadata["defection"]
    nbformat.write(nb, subs / "cy__essay.ipynb")
    monkeypatch.setattr(grading, "MAX_NOTEBOOK_BYTES", (subs / "ben__07_future.ipynb").stat().st_size)
    rows = {r.student: r for r in grade(subs, tmp_path / "gb.csv", progress=lambda m: None)}
    assert rows["amy"].notes[0].startswith("notebook file too large")
    assert rows["ben"].notes == ["no checks for lesson '07'"]
    assert rows["cy"].notes[0].startswith("cannot tell the lesson (no lesson in the notebook")
    assert not any(r.graded for r in rows.values())


@pytest.mark.parametrize(
    "source, line",
    [("answer_total = sum(range(10)", 1), ("x = 1\nif x\n    y = 2", 2), ("def f(:\n  pass", 1),
     ("x = [1,\n 2,", 1), ("print('a' 'b' c)", 1)],
)  # fmt: skip
def test_syntax_errors_are_found_with_their_line(source, line):
    from defection.grade import syntax_problem

    got = syntax_problem(source)
    assert got is not None and got[0] == line, got
    assert syntax_problem("%time x = 1\n!echo hi\nx = 2") is None


def test_python_313_incomplete_input_reads_as_syntax_error():
    """Python 3.13's kernel reports unclosed brackets as _IncompleteInputError."""
    from defection.grade import _execution_notes

    nb = notebook({**LIGHT_GOOD, "c1": "answer_total = sum(range(10)"})
    for ename in ("_IncompleteInputError", "SyntaxError", "IndentationError"):
        report = {"cells": [{"index": 1, "status": "error", "ename": ename}], "output_bytes": 0}
        (note,) = _execution_notes(nb, report, Settings())
        assert note.startswith("syntax error in cell 2") and "line 1" in note, note
