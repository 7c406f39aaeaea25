"""Checks of the checks for exercise set 06 (the replication lab).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 6's.
"""

from __future__ import annotations

import math

import altair as alt
import check_harness as H
import numpy as np
import pytest

from defection import comparative, data, replication
from defection.checks import lesson06 as L
from defection.checks.answers import expected_value, predicted_mistakes
from defection.replication import Spec

STEM = "06_replication_lab.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q)]
REPORT_SENTENCE = (
    "On NAVCO's nonviolent campaigns the logit gives an odds ratio near four, far from the "
    "published 46, and no choice of years or controls closes the gap [@navco_2019]. "
)


def notebook_namespace() -> dict:
    """What the solution notebook has defined before the tasks that use it (prep cells)."""
    return {"pd": __import__("pandas"), "alt": alt, "data": data, "replication": replication,
            "Spec": Spec, "campaigns": data.load("campaigns")}  # fmt: skip


@pytest.fixture(scope="module")
def solved() -> dict:
    return H.run_worked_solutions(AUTO, notebook_namespace())


def test_question_set_shape():
    H.assert_question_set_shape(QS, "06")


def test_baseline_is_lesson_01s_cross_tab():
    campaigns = data.load("campaigns")
    cross = comparative.odds_ratio_from(comparative.navco_subset(campaigns, "nonviolent"))
    assert expected_value(QS.by_name("q1")) == pytest.approx(cross.value)


def test_expected_values_come_from_the_replication_module():
    campaigns = data.load("campaigns")

    def orr(**kw):
        return replication.estimate(campaigns, Spec(**kw)).defection.value

    assert expected_value(QS.by_name("q2")) == pytest.approx(orr(last_year=2006))
    assert expected_value(QS.by_name("q3")) == pytest.approx(orr(ongoing="drop"))
    assert expected_value(QS.by_name("q4")) == pytest.approx(orr(limited="success"))
    assert expected_value(QS.by_name("q5")) == pytest.approx(orr(controls=L.CONTROLS_Q5))
    assert list(expected_value(QS.by_name("q6")).columns) == L.WALK_COLUMNS


def test_q9_winner_is_clear_and_q10_premise_holds():
    assert expected_value(QS.by_name("q9")) == "a"
    walk = L._walk()
    assert walk["odds_ratio"].max() < replication.PUBLISHED / 4
    assert expected_value(QS.by_name("q10")) == "c"


def test_model_answers_quote_the_numbers_the_lab_computes():
    """w1's model answer gives rounded estimates; they must match the fits."""
    campaigns = data.load("campaigns")

    def one(**kw):
        return f"about {replication.estimate(campaigns, Spec(**kw)).defection.value:.1f}"

    text = L.W1_MODEL
    for kw in ({"last_year": 2006}, {"ongoing": "drop"}, {"limited": "success"},
               {"controls": L.CONTROLS_Q5}, {"campaigns": "all"}):
        assert one(**kw) in text, kw
    largest = L._walk()["odds_ratio"].max()
    assert round(replication.PUBLISHED / largest) == 9 and "about a ninth of 46" in text


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solved):
    H.assert_solution_passes(q, solved)


def test_alternative_correct_answers_pass(solved):
    assert QS.by_name("q1").evaluate(np.float64(solved["baseline_or"])).passed
    assert QS.by_name("q1").evaluate(round(solved["baseline_or"], 2)).passed
    assert QS.by_name("q8").evaluate(sorted(solved["lower_than_baseline"])).passed
    assert QS.by_name("q7").evaluate(solved["walk_chart"].to_dict()).passed


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_placeholder_is_not_answered(q):
    H.assert_not_answered(q)


@pytest.mark.parametrize("q", WITH_MISTAKES, ids=H.ids(WITH_MISTAKES))
def test_every_mistake_gets_its_own_feedback(q):
    H.assert_mistakes_get_their_own_feedback(q)


def _wrong_answers(solved):
    exp = {q.name: expected_value(q) for q in AUTO}
    walk = solved["walk_table"]
    return {
        "q1": [math.log(exp["q1"]), 1 / exp["q1"], 46],
        "q2": [exp["q1"], 46, 1 / exp["q2"]],
        "q3": [exp["q1"], 46, exp["q3"] * 2],
        "q4": [exp["q1"], 46, 1 / exp["q4"]],
        "q5": [exp["q1"], 46, 1 / exp["q5"]],
        "q6": [walk.iloc[:-1], walk.drop(columns="campaigns"), walk.assign(odds_ratio=walk["odds_ratio"] * 2)],
        "q7": [
            alt.Chart(walk).mark_bar().encode(x="odds_ratio:Q", y="specification:N"),
            alt.Chart(walk).mark_point().encode(x="specification:N", y="odds_ratio:Q"),
        ],
        "q8": [set(walk["specification"]), set(), {walk["specification"].iloc[0]}],
        "q9": ["b", "d"],
        "q10": ["a", "b", "d"],
    }


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_wrong_answers_fail_without_revealing(q, solved):
    H.assert_all_fail_without_revealing(q, _wrong_answers(solved)[q.name])


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=L.WALK_COLUMNS)


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_answers(w):
    H.assert_written_answer_behaviour(w, REPORT_SENTENCE * 8)


def test_written_model_answers_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=2)


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)


def test_exercise_hides_the_answers():
    H.assert_exercise_hides_answers(QS, STEM)


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


def test_grading_solution_and_blank_exercise(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
