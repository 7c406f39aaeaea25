"""Checks of the checks for exercise set 02 (the military economy).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 2's.
"""

from __future__ import annotations

import math

import altair as alt
import check_harness as H
import pytest

from defection import data
from defection.checks import lesson02 as L
from defection.checks.answers import expected_value, judge, predicted_mistakes
from defection.models.spoils import simulate_spoils

STEM = "02_military_economy.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q)]


@pytest.fixture(scope="module")
def solution_ns():
    return H.run_code_cells(H.solution_path(STEM))


@pytest.fixture(scope="module")
def eco():
    return data.load("economy")


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
            float(s[2023] / s[2022]) - 1,
            float(s[2022] / s[2023]),
            float(s[2023] - s[2022]),
            float(s[2023] / s[2021]),
        ],
        "q7": [sorted(set(exits["actor"].astype(str))), ["Kirin Holdings", "Telenor"]],
        "q8": [L._exited(), ["Telenor"], ["Kirin Holdings", "Telenor", "Woodside"]],
        "q9": [
            float(last.loc[last["tier"] == "junior", "excluded_share"].iloc[0]),
            float(run.totals["softliner_share"].iloc[0]),
            100 * float(run.totals["softliner_share"].iloc[-1]),
            float(run.totals["excluded_share"].iloc[-1]),
        ],
        "q10": [c for c in "abc" if c != expected_value(L.q10)],
    }


# --------------------------------------------------------------------------- the set


def test_question_set_shape():
    H.assert_question_set_shape(QS, "02")


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solution_ns):
    H.assert_solution_passes(q, solution_ns)


def test_own_computations_agree_with_expected(eco):
    rate = eco.set_index("row_id")["value"]
    assert math.isclose(expected_value(L.q1), float(rate["ec24"]) / float(rate["ec13"]) - 1)
    assert math.isclose(expected_value(L.q2), 1 - float(rate["ec13"]) / float(rate["ec24"]))
    # the two statements of the same fall differ, which is the point of q3
    assert expected_value(L.q1) > 1.5 * expected_value(L.q2)
    counts = expected_value(L.q4)
    assert counts["rows"].sum() == len(eco) and set(counts["kind"]) == set(eco["kind"].astype(str))
    assert expected_value(L.q6) > 1
    spending = L._spending().set_index("year")["value"]
    assert math.isclose(expected_value(L.q6), float(spending[2023] / spending[2022]))
    assert set(expected_value(L.q8)) < set(expected_value(L.q7))
    share = expected_value(L.q9)
    assert 0 < share < 1
    bigger = L._final_share(reserves=L.BIGGER_RESERVES)
    assert (bigger < share) == (expected_value(L.q10) == "a")
    assert (bigger == share) == (expected_value(L.q10) == "c")
    # the point of q10: money shrinks the excluded pool but cannot undo the purge
    everyone = L._spoils().totals["excluded_share"].iloc[-1]
    assert L._spoils(reserves=L.BIGGER_RESERVES).totals["excluded_share"].iloc[-1] < everyone


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_placeholder_is_not_answered(q):
    H.assert_not_answered(q)


# --------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_plausible_wrong_answers_fail_without_revealing(q, eco):
    H.assert_all_fail_without_revealing(q, plausible_wrong(eco)[q.name])


@pytest.mark.parametrize("q", WITH_MISTAKES, ids=H.ids(WITH_MISTAKES))
def test_every_mistake_gets_its_own_feedback(q):
    H.assert_mistakes_get_their_own_feedback(q)


def test_targeted_mistake_messages(eco):
    rate = eco.set_index("row_id")["value"]
    before, after = float(rate["ec13"]), float(rate["ec24"])
    assert "value the kyat lost" in judge(L.q1, 1 - before / after).message
    assert "100 times" in judge(L.q1, 100 * (after / before - 1)).message
    assert "KEPT" in judge(L.q2, before / after).message
    assert "non-empty" in judge(L.q4, 
        eco.groupby("kind", observed=True)["value"].count().reset_index(name="rows")
    ).message
    assert "split" in judge(L.q7, sorted(set(eco.loc[eco["kind"] == "exit", "actor"]))).message
    assert "junior" in judge(L.q9, L._final_tier("junior")).message
    assert "Series" in judge(L.q4, eco["kind"].value_counts()).message


def test_q6_compares_full_year_budgets_only(eco):
    """The 2021 row probably covers an interim budget (its description, and Lesson 2, say so): q6
    must compare 2023 with 2022, as the lesson does, and name the 2021 slip if a student
    divides by it."""
    rows = eco.set_index("row_id")
    assert "less than a full year" in rows.loc["ec28", "description"]
    assert "2022" in L.q6.prompt and "2021" not in L.q6.prompt
    spending = L._spending().set_index("year")["value"]
    wrong = judge(L.q6, float(spending[2023] / spending[2021]))
    assert not wrong.passed and "ec28" in wrong.message
    text = H.notebook_text(H.solution_path(STEM), "markdown")
    task = text[text.index("**Task q6.**"):]
    assert "2022" in task.split("\n\n")[0]
    assert "more than triples" not in text


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=["kind", "rows", "x"])


# --------------------------------------------------------------------------- written answers


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_blank_placeholder_and_real_answer(w):
    H.assert_written_answer_behaviour(
        w,
        "Senior officers hold shares, concessions and pensions that they would lose by "
        "leaving, while junior officers have little to lose and are often exploited.",
    )


def test_model_answers_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=2)


# --------------------------------------------------------------------------- notebooks


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)


def test_exercise_keeps_every_variable_as_placeholder():
    H.assert_exercise_hides_answers(QS, STEM)


# --------------------------------------------------------------------------- grading


@pytest.mark.slow
def test_grading_solution_full_marks_exercise_zero(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM, cell_timeout=120)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
