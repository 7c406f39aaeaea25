"""Checks of the checks for exercise set 01 (regime cohesion and the comparative record).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 1's.
"""

from __future__ import annotations

import altair as alt
import check_harness as H
import pandas as pd
import pytest

from defection import comparative, data
from defection.checks import INCORRECT
from defection.checks.answers import expected_value, judge, predicted_mistakes
from defection.checks import lesson01 as L
from defection.models.cascade import cascade

STEM = "01_regime_cohesion.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q) and q.kind != "chart"]


def notebook_namespace() -> dict:
    """What the solution notebook has defined before its first task (its prep cells too)."""
    campaigns = data.load("campaigns")
    return {
        "pd": pd, "alt": alt, "data": data, "comparative": comparative, "cascade": cascade,
        "campaigns": campaigns, "cases": data.load("uprisings"),
        "nonviolent": campaigns[campaigns["nonviol"] == 1],
        "options": list(L.REPRESSION_OPTIONS),
    }  # fmt: skip


@pytest.fixture(scope="module")
def solved() -> dict:
    return H.run_worked_solutions(AUTO, notebook_namespace())


# --------------------------------------------------------------------------- the set


def test_question_set_shape():
    H.assert_question_set_shape(QS, "01")


def test_expected_values_come_from_the_data():
    c = data.load("campaigns")
    nv = c[c["nonviol"] == 1]
    table = pd.crosstab(nv["defect"], nv["success"])
    a, b = table.loc[1, 1], table.loc[1, 0]
    cc, d = table.loc[0, 1], table.loc[0, 0]
    with_, without = a / (a + b), cc / (cc + d)
    assert expected_value(QS.by_name("q1")) == pytest.approx(with_)
    assert expected_value(QS.by_name("q2")) == pytest.approx(without)
    assert expected_value(QS.by_name("q3")) == pytest.approx(with_ / without)
    assert expected_value(QS.by_name("q4")) == pytest.approx((a / b) / (cc / d))
    pd.testing.assert_frame_equal(expected_value(QS.by_name("q6")), table)
    # the lesson's prose relies on these orders of magnitude
    assert 0 < without < with_ < 1
    assert expected_value(QS.by_name("q4")) < L.CLAIMED_FACTOR / 4
    assert L.CLAIMED_FACTOR * without > 1


def test_table_description_matches_navco():
    """Section 0 describes the campaigns table; its counts and years must be the table's
    (it once said every campaign had ended by 2014, while 37 were still under way)."""
    campaigns = data.load("campaigns")
    text = H.notebook_text(H.solution_path(STEM), "markdown")
    intro = " ".join(text[text.index("## 0. The tables"):text.index("## 1.")].split())
    ongoing = int(campaigns["ongoing"].sum())
    assert f"{len(campaigns)} mass campaigns" in intro
    assert f"between {campaigns['byear'].min()} and {campaigns['byear'].max()}" in intro
    assert f"{ongoing} of them were still under way" in intro
    assert int(campaigns["eyear"].max()) == 2014 and "ended by 2014" not in intro


def test_q5_answer_follows_from_the_data():
    assert expected_value(QS.by_name("q5")) == "c"
    assert set(QS.by_name("q5").options) == {"a", "b", "c", "d"}


def test_q8_disagreements_match_the_case_table():
    cases = data.load("uprisings")
    expected = set(expected_value(QS.by_name("q8")))
    assert "Indonesia" in expected  # the trap Lesson 1 shows
    for _, row in cases.iterrows():
        if pd.isna(row["navco_defect"]):
            assert row["country"] not in expected or (
                (cases["country"] == row["country"]).sum() > 1
            )
            continue
        split = str(row["sf_defection"]) in L.TOP_SPLIT
        disagree = split != (int(row["navco_defect"]) == 1)
        assert (row["country"] in expected) == disagree, row["country"]


def test_q9_q10_come_from_the_model():
    run = cascade(repression=0.6, incentives=0.3, exit_options=0.3, spread=0.25)
    assert expected_value(QS.by_name("q9")) == pytest.approx(run.final_share)
    best = expected_value(QS.by_name("q10"))
    assert best in L.REPRESSION_OPTIONS

    def tipped(rep):
        return cascade(repression=rep, incentives=0.3, exit_options=0.6, spread=0.25).tipped

    assert not tipped(best)
    lower = [r for r in L.REPRESSION_OPTIONS if r < best]
    assert lower and all(tipped(r) for r in lower)


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solved):
    H.assert_solution_passes(q, solved)


def test_helpers_and_alternatives_pass(solved):
    nv = solved["nonviolent"]
    assert judge(QS.by_name("q4"), comparative.odds_ratio_from(nv).value).passed
    assert judge(QS.by_name("q6"), comparative.crosstab(nv, "defect", "success")).passed
    q7 = QS.by_name("q7")

    def labelled(chart, x, y):
        return chart.mark_bar().encode(
            x=alt.X(x, title="Defected"), y=alt.Y(y, title="Success rate"), tooltip=[y]
        )

    assert judge(q7, labelled(alt.Chart(nv), "defect:O", "mean(success):Q")).passed
    rates = comparative.success_rates(nv)
    assert judge(q7, labelled(alt.Chart(rates), "defect:N", "rate:Q")).passed
    assert judge(q7, solved["rate_chart"].to_dict()).passed  # what the grader sees


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_placeholder_is_not_answered(q):
    H.assert_not_answered(q)


# --------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize("q", WITH_MISTAKES, ids=H.ids(WITH_MISTAKES))
def test_every_mistake_gets_its_own_feedback(q):
    H.assert_mistakes_get_their_own_feedback(q)


def test_sideways_bars_get_their_own_feedback(solved):
    rates = solved["nonviolent"].groupby("defect")["success"].mean().reset_index(name="rate")
    q7 = QS.by_name("q7")
    result = judge(q7, alt.Chart(rates).mark_bar().encode(x="rate:Q", y="defect:N"))
    assert result.status == INCORRECT and "on their side" in result.message


def _wrong_answers(solved):
    """At least two plausible wrong answers per auto question."""
    exp = {q.name: expected_value(q) for q in AUTO}
    nv = solved["nonviolent"]
    table = solved["defect_by_success"]
    rates = nv.groupby("defect")["success"].mean().reset_index(name="rate")
    return {
        "q1": [round(exp["q1"], 2), 100 * exp["q1"], 40],
        "q2": [round(exp["q2"], 2), exp["q2"] * 100, 0.5],
        "q3": [46, exp["q3"] * 1.5, 1 / exp["q3"]],
        "q4": [46, exp["q4"] * 2, round(exp["q4"])],
        "q5": ["a", "b", "d"],
        "q6": [
            table + 1,
            table.iloc[:1],
            table[[1]],
            table.reset_index(),
            table.stack(),
        ],
        "q7": [
            alt.Chart(rates).mark_line().encode(x="defect:N", y="rate:Q"),
            alt.Chart(rates).mark_bar().encode(x="defect:Q", y="rate:Q"),
            alt.Chart(nv).mark_bar().encode(x="defect:N", y="success:Q"),
            alt.Chart(rates).mark_bar().encode(x="defect:N"),
            alt.Chart(rates).mark_bar().encode(x="defect:N", y="rate:Q")
            | alt.Chart(rates).mark_bar().encode(x="defect:N", y="rate:Q"),
        ],
        "q8": [["Indonesia"], ["Indonesia", "Syria", "Myanmar"], ["Romania"], ["Syria"]],
        "q9": [exp["q9"] * 2, 0.5, 1.0],
        "q10": [float(min(L.REPRESSION_OPTIONS)), 0.66],
    }


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_wrong_answers_fail_without_revealing(q, solved):
    H.assert_all_fail_without_revealing(q, _wrong_answers(solved)[q.name])


def test_rounding_and_percent_are_explained():
    q = QS.by_name("q1")
    rounded = judge(q, round(expected_value(q), 2))
    assert rounded.status == INCORRECT and "round" in rounded.message
    percent = judge(q, 100 * expected_value(q))
    assert percent.status == INCORRECT and "percentage" in percent.message


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=["defect", "rate", "x"])


# --------------------------------------------------------------------------- written answers


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_answers(w):
    H.assert_written_answer_behaviour(
        w,
        "The success rate with defection is clearly higher than without, but the odds ratio "
        "is far smaller than the figure quoted second-hand, and Myanmar has seen defection "
        "only in the lower ranks so far [@navco_2019].",
    )


def test_written_model_answers_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=2)


# --------------------------------------------------------------------------- notebooks


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)
    text = H.notebook_text(H.solution_path(STEM))
    for key, label in QS.by_name("q5").options.items():
        assert f"**{key}** — {label}" in text


def test_exercise_hides_the_answers():
    H.assert_exercise_hides_answers(QS, STEM)
    text = H.notebook_text(H.exercise_path(STEM))
    for q in AUTO:
        assert f"{q.variable} = ..." in text, q.name
    assert L.W1_MODEL[:60] not in text and L.W2_MODEL[:60] not in text
    assert 'answer_q5 = "c"' not in text


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


# --------------------------------------------------------------------------- grading


@pytest.mark.slow
def test_grading_solution_and_blank_exercise(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
