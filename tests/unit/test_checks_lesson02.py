"""Checks of the checks for exercise set 02 (the military economy)."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import altair as alt
import nbformat
import numpy as np
import pandas as pd
import pytest

from defection import data
from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED, RECORDED
from defection.checks import lesson02 as L
from defection.checks.core import written_text
from defection.models.spoils import simulate_spoils
from defection.sources import keys_in_text

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "02_military_economy.ipynb"
EXERCISE = ROOT / "exercises" / "02_military_economy.ipynb"
QS = L.QUESTIONS


def run_solution_code() -> dict:
    """Execute the solution notebook's code cells in order; return the namespace."""
    ns: dict = {"__name__": "__main__"}
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, f"<{SOLUTION.name}:{cell.get('id')}>", "exec"), ns)
    return ns


@pytest.fixture(scope="module")
def solution_ns():
    return run_solution_code()


@pytest.fixture(scope="module")
def eco():
    return data.load("economy")


def formats(x: float) -> list[str]:
    """Ways an expected number could leak into a message."""
    return [f"{x:.2f}", f"{x:.3f}", f"{x:.4f}", f"{100 * x:.1f}"]


def plausible_wrong(eco) -> dict:
    """At least two plausible wrong answers per auto question, computed from the data."""
    rate = eco.set_index("row_id")["value"]
    before, after, sept = float(rate["ec13"]), float(rate["ec24"]), float(rate["ec23"])
    rise, lost = after / before - 1, 1 - before / after
    by_year = eco[eco["indicator"] == "defence_spending"]
    by_year = by_year[by_year["source_id"] == L.SPENDING_SOURCE]
    by_year = by_year.assign(year=by_year["date"].dt.year)
    s = by_year.set_index("year")["value"]
    exits = eco[eco["kind"] == "exit"]
    run = simulate_spoils(**L.SPOILS_SETTINGS)
    last = run.by_tier[run.by_tier["period"] == run.by_tier["period"].max()]
    base = alt.Chart(by_year[["year", "value"]])
    return {
        "q1": [lost, 100 * rise, rise + 1, after / sept - 1],
        "q2": [rise, 1 - lost, 100 * lost, 1 - sept / after],
        "q3": ["a", "c", "d"],
        "q4": [
            eco["kind"].value_counts(),
            eco[eco["date"] >= "2021-02-01"]
            .groupby("kind", observed=True)
            .size()
            .reset_index(name="rows"),
            eco.groupby("kind", observed=True)["value"].count().reset_index(name="rows"),
            eco.groupby("kind", observed=True).size().reset_index(name="count"),
        ],
        "q5": [
            base.mark_line().encode(x="year:O", y="value:Q"),
            base.mark_bar().encode(x="year:Q", y="value:Q"),
            base.mark_bar().encode(x="value:Q", y="year:O"),
            alt.Chart(by_year[["date", "value"]]).mark_bar().encode(x="date:T", y="value:Q"),
        ],
        "q6": [
            float(s.iloc[-1] / s.iloc[0]) - 1,
            float(s.iloc[0] / s.iloc[-1]),
            float(s.iloc[-1] - s.iloc[0]),
        ],
        "q7": [sorted(set(exits["actor"].astype(str))), ["Kirin Holdings", "Telenor"]],
        "q8": [L._exited(), ["Telenor"], ["Kirin Holdings", "Telenor", "Woodside"]],
        "q9": [
            float(last.loc[last["tier"] == "junior", "softliner_share"].iloc[0]),
            float(run.totals["softliner_share"].iloc[0]),
            100 * float(run.totals["softliner_share"].iloc[-1]),
            L._final_share(reserves=4.0),
        ],
        "q10": ["b", "c"],
    }


def test_set_has_enough_questions_of_the_right_kinds():
    kinds = {q.kind for q in QS.auto}
    assert len(QS.auto) >= 6 and len(QS.written) >= 2
    assert {"number", "choice", "set", "frame", "chart"} <= kinds
    for q in QS.auto:
        assert 2 <= len(q.hints) <= 3, q.name
        assert q.solution_code, q.name


@pytest.mark.parametrize("q", QS.auto, ids=lambda q: q.name)
def test_solution_value_passes(q, solution_ns):
    assert q.variable in solution_ns, f"the solution notebook never defines {q.variable}"
    result = q.evaluate(solution_ns[q.variable])
    assert result.status == CORRECT, str(result)


def test_own_computations_agree_with_expected(eco):
    rate = eco.set_index("row_id")["value"]
    assert math.isclose(L.q1.expected_value(), float(rate["ec24"]) / float(rate["ec13"]) - 1)
    assert math.isclose(L.q2.expected_value(), 1 - float(rate["ec13"]) / float(rate["ec24"]))
    # the two statements of the same fall differ, which is the point of q3
    assert L.q1.expected_value() > 1.5 * L.q2.expected_value()
    counts = L.q4.expected_value()
    assert counts["rows"].sum() == len(eco) and set(counts["kind"]) == set(eco["kind"].astype(str))
    assert L.q6.expected_value() > 1
    assert set(L.q8.expected_value()) < set(L.q7.expected_value())
    share = L.q9.expected_value()
    assert 0 < share < 1
    bigger = L._final_share(reserves=L.BIGGER_RESERVES)
    assert (bigger < share) == (L.q10.expected_value() == "a")


@pytest.mark.parametrize("name", [q.name for q in QS.auto])
def test_plausible_wrong_answers_fail_without_revealing(name, eco):
    q = QS.by_name(name)
    expected = q.expected_value()
    wrongs = plausible_wrong(eco)[name]
    assert len(wrongs) >= 2
    for wrong in wrongs:
        result = q.evaluate(wrong)
        assert result.status == INCORRECT, (name, wrong, str(result))
        text = str(result)
        assert len(result.message) > 20, text
        if isinstance(expected, float):
            for shown in formats(expected):
                assert shown not in text, (name, shown, text)
        if q.kind == "set":
            for item in expected:
                assert item not in text, (name, item, text)
        if q.kind == "choice":
            assert q.options[expected] not in text, text


def test_targeted_mistake_messages(eco):
    rate = eco.set_index("row_id")["value"]
    before, after = float(rate["ec13"]), float(rate["ec24"])
    assert "value the kyat lost" in L.q1.evaluate(1 - before / after).message
    assert "100 times" in L.q1.evaluate(100 * (after / before - 1)).message
    assert "KEPT" in L.q2.evaluate(before / after).message
    assert "non-empty" in L.q4.evaluate(
        eco.groupby("kind", observed=True)["value"].count().reset_index(name="rows")
    ).message
    assert "split" in L.q7.evaluate(sorted(set(eco.loc[eco["kind"] == "exit", "actor"]))).message
    assert "junior" in L.q9.evaluate(L._final_tier("junior")).message
    assert "Series" in L.q4.evaluate(eco["kind"].value_counts()).message


@pytest.mark.parametrize("q", QS.auto, ids=lambda q: q.name)
def test_placeholder_is_not_answered(q):
    assert q.evaluate(...).status == NOT_ANSWERED
    assert q.check(...).status == NOT_ANSWERED


def junk():
    huge = pd.DataFrame(np.zeros((200_000, 3)), columns=["kind", "rows", "x"])
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    wrong_chart = alt.Chart(frame).mark_point().encode(x="a:Q", y="b:Q")
    return [None, float("nan"), "abc", [], {}, b"x", pd.DataFrame(), huge, wrong_chart, object(),
            float("inf"), True, pd.Series(dtype=float), {"mark": 3}]  # fmt: skip


@pytest.mark.parametrize("q", QS.auto, ids=lambda q: q.name)
def test_junk_never_raises(q):
    for value in junk():
        result = q.evaluate(value)
        assert result.status in (INCORRECT, NOT_ANSWERED), (q.name, type(value), str(result))
        assert isinstance(result.message, str) and result.message


@pytest.mark.parametrize("w", QS.written, ids=lambda w: w.name)
def test_written_blank_placeholder_and_real_answer(w):
    for blank in ("", "   ", "_Write your answer here._", "...", None):
        assert w.evaluate(blank).status == NOT_ANSWERED
    paragraph = (
        "Senior officers hold shares, concessions and pensions that they would lose by "
        "leaving, while junior officers have little to lose and are often exploited."
    )
    assert w.evaluate(paragraph).status == RECORDED
    assert w.evaluate(f"**Your answer ({w.name}):**\n\n{paragraph}").status == RECORDED
    assert w.rubric and w.model_answer and w.points > 0


def written_cells(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    return {
        c.metadata["defection"]["answer"]: c.source
        for c in nb.cells
        if c.cell_type == "markdown" and "answer" in c.metadata.get("defection", {})
    }


def test_written_cells_in_both_notebooks():
    sol, ex = written_cells(SOLUTION), written_cells(EXERCISE)
    assert set(sol) == set(ex) == {w.name for w in QS.written}
    for w in QS.written:
        assert sol[w.name].startswith(f"**Your answer ({w.name}):**")
        assert QS.by_name(w.name).evaluate(sol[w.name]).status == RECORDED
        assert QS.by_name(w.name).evaluate(ex[w.name]).status == NOT_ANSWERED
        assert written_text(sol[w.name]) == w.model_answer


def test_model_answers_cite_known_sources():
    known = set(data.load("sources")["source_id"])
    for w in QS.written:
        keys = set(keys_in_text(w.model_answer))
        assert keys and keys <= known, (w.name, keys - known)


def test_exercise_keeps_every_variable_as_placeholder():
    nb = nbformat.read(EXERCISE, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "BEGIN SOLUTION" not in text
    for q in QS.auto:
        assert f"{q.variable} = ..." in text, q.variable
        assert f"{q.name}.check({q.variable})" in text


@pytest.mark.slow
def test_grading_solution_full_marks_exercise_zero(tmp_path):
    from defection.grade import grade

    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "alice__02_military_economy.ipynb")
    shutil.copy(EXERCISE, subs / "bob__02_military_economy.ipynb")
    rows = grade(subs, tmp_path / "out" / "gradebook.csv", timeout=300, cell_timeout=120,
                 progress=lambda msg: None)  # fmt: skip
    by_student = {r.student: r for r in rows}
    alice, bob = by_student["alice"], by_student["bob"]
    assert alice.maximum == QS.max_points == bob.maximum
    assert alice.total == alice.maximum, (alice.scores, alice.notes)
    assert bob.total == 0 and bob.graded, (bob.scores, bob.notes)
    for w in QS.written:
        assert alice.scores[w.name] == "recorded"
        assert bob.scores[w.name] != "recorded"
    with open(tmp_path / "out" / "gradebook.csv", newline="", encoding="utf-8") as fh:
        table = {r["student"]: r for r in csv.DictReader(fh)}
    assert table["alice"]["total"] == table["alice"]["max"]
    assert table["bob"]["total"] == "0"
