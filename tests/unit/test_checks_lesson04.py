"""Checks of the checks for exercise set 04 (surrender and absorption).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 4's.
"""

from __future__ import annotations

import altair as alt
import check_harness as H
import numpy as np
import pandas as pd
import pytest

from defection import data
from defection.checks import INCORRECT
from defection.checks.answers import expected_value, judge, predicted_mistakes
from defection.checks import lesson04 as L
from defection.models.absorption import NUG_SIDE, absorption
from defection.surrender import surrender_counts

STEM = "04_surrender_dynamics.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q)]


def notebook_namespace() -> dict:
    """What the solution notebook has defined before its first task (its prep cells too)."""
    counts = data.load("defection_counts")
    events = data.load("events")
    monitor = counts[counts["source_id"] == "dmg_2024_surrenders"].copy()
    monitor["region"] = monitor["notes"].str.extract(r"Region: (.+?)\.", expand=False)
    claimed = surrender_counts(counts)[
        ["count_id", "as_of", "value", "qualifier", "claimant", "claimant_type", "source_id"]
    ]
    return {
        "pd": pd, "alt": alt, "data": data, "absorption": absorption, "NUG_SIDE": NUG_SIDE,
        "counts": counts, "events": events, "monitor": monitor, "claimed": claimed,
    }  # fmt: skip


@pytest.fixture(scope="module")
def solved() -> dict:
    return H.run_worked_solutions(AUTO, notebook_namespace())


# --------------------------------------------------------------------------- the set


def test_question_set_shape():
    H.assert_question_set_shape(QS, "04")


def test_expected_values_come_from_the_data_and_model():
    counts = data.load("defection_counts").set_index("count_id")
    total = counts.loc["dc033"]
    days = (total["as_of"] - total["period_start"]).days
    assert expected_value(QS.by_name("q1")) == pytest.approx(float(total["value"]) / days)
    assert expected_value(QS.by_name("q2")) == pytest.approx(
        float(counts.loc["dc029", "value"]) / float(total["value"])
    )
    pair = counts[counts["as_of"] == pd.Timestamp("2024-04-05")]["value"].astype(float)
    assert len(pair) == 2
    gap_share = (pair.max() - pair.min()) / pair.max()
    assert expected_value(QS.by_name("q4")) == pytest.approx(gap_share)
    run = absorption(inflow=[1000] * 6 + [0] * 18, vetting_speed=0.5, capacity=200, funding=3000,
                     receivers=NUG_SIDE)
    lost = float(run["cumulative_lost"].iloc[-1])
    assert expected_value(QS.by_name("q9")) == pytest.approx(lost)


def test_smallest_capacity_is_the_threshold():
    """q10: the expected capacity keeps the loss under the limit; the option below does not."""
    best = expected_value(QS.by_name("q10"))
    assert best in L.CAPACITY_OPTIONS

    def lost(cap):
        run = absorption(
            inflow=L.SURGE, vetting_speed=0.5, capacity=cap, funding=L.CAPACITY_FUNDING,
            receivers=NUG_SIDE,
        )
        return float(run["cumulative_lost"].iloc[-1])

    assert lost(best) < L.LOST_LIMIT
    smaller = [c for c in L.CAPACITY_OPTIONS if c < best]
    assert smaller and all(lost(c) >= L.LOST_LIMIT for c in smaller)


def test_q11_answer_matches_the_model():
    a = absorption(inflow=L.SURGE, vetting_speed=0.5, capacity=1000, funding=3000,
                   receivers=NUG_SIDE)
    b = absorption(inflow=L.SURGE, vetting_speed=0.5, capacity=1500, funding=3000,
                   receivers=NUG_SIDE)
    assert np.allclose(a["cumulative_lost"], b["cumulative_lost"])
    assert b["vetted"].max() < 1000
    assert expected_value(QS.by_name("q11")) == "b"


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solved):
    H.assert_solution_passes(q, solved)


def test_q1_accepts_counting_both_end_days():
    value = float(L._value("dc033"))
    assert judge(QS.by_name("q1"), value / (L._days("dc033") + 1)).passed


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_placeholder_is_not_answered(q):
    H.assert_not_answered(q)


# --------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize("q", WITH_MISTAKES, ids=H.ids(WITH_MISTAKES))
def test_every_mistake_gets_its_own_feedback(q):
    H.assert_mistakes_get_their_own_feedback(q)


def _wrong_answers(solved):
    """At least two plausible wrong answers per auto question."""
    exp = {q.name: expected_value(q) for q in AUTO}
    counts = solved["counts"]
    events = solved["events"]
    by_region = solved["surrenders_by_region"]
    claimed = solved["claimed"]
    point = alt.Chart(claimed).mark_point()
    return {
        "q1": [exp["q1"] * 1.2, float(counts.set_index("count_id").loc["dc033", "value"]) / 96],
        "q2": [exp["q2"] * 100, 127 / 6000 * 3],
        "q3": ["a", "c", "d"],
        "q4": [exp["q4"] * 100, 0.5],
        "q5": ["a", "c", "d"],
        "q6": [
            by_region.assign(events=by_region["events"] + 1),
            by_region.iloc[:-1],
            by_region["events"],
            events[events["category"] == "surrender"]["region"].value_counts(),
        ],
        "q7": [["Shan (North)", "Rakhine"], ["Shan (North)", "Rakhine", "Mon", "Kayin", "Kachin"]],
        "q8": [
            alt.Chart(claimed).mark_bar().encode(x="as_of:T", y="value:Q", color="claimant_type:N"),
            point.encode(x="as_of:T", y="value:Q", color="claimant:N"),
            point.encode(x="value:Q", y="as_of:T", color="claimant_type:N"),
            point.encode(x="as_of:T", y="value:N", color="claimant_type:N"),
        ],
        "q9": [exp["q9"] * 0.5, exp["q9"] + 300],
        "q10": [float(min(L.CAPACITY_OPTIONS)), 550.0],
        "q11": ["a", "c", "d"],
    }


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_wrong_answers_fail_without_revealing(q, solved):
    H.assert_all_fail_without_revealing(q, _wrong_answers(solved)[q.name])


def test_q7_messages_name_the_slip_the_answer_shows():
    """A threshold set too high and a breakdown with duplicate values dropped both leave
    regions out; each message must describe that slip (the old one blamed the twin values
    for a list that had simply used too high a threshold)."""
    too_high = judge(L.q7, L._big_regions(L.REGION_THRESHOLD + 100)).message
    assert "threshold" in too_high and "same" not in too_high
    deduplicated = L._monitor_regions().drop_duplicates("value")
    deduplicated = sorted(deduplicated.loc[deduplicated["value"] >= 500, "region"])
    assert deduplicated != expected_value(L.q7)
    assert "duplicate" in judge(L.q7, deduplicated).message


def test_surrender_chart_text_matches_its_points():
    """The paragraph after q8 says who made the claims; it must match the claimant types of
    the `claimed` rows, including all three 2025 points (two of them one defector group's)."""
    claimed = L._claimed()
    late = claimed[claimed["as_of"].dt.year == 2025]
    assert sorted(late["claimant_type"].astype(str)) == ["armed_group", "defector_group", "defector_group"]
    assert (claimed["claimant_type"] == "researcher").sum() == 1
    text = H.notebook_text(H.solution_path(STEM), "markdown")
    assert "Of the three 2025 points" in text and "the 2025 point" not in text


def test_percent_instead_of_share_is_explained():
    q = QS.by_name("q4")
    result = judge(q, 100 * expected_value(q))
    assert result.status == INCORRECT and "percentage" in result.message


def test_q6_value_counts_on_a_category_column_is_explained(solved):
    q = QS.by_name("q6")
    events = solved["events"]
    vc = events[events["category"] == "surrender"]["region"].value_counts().rename_axis("region")
    result = judge(q, vc.reset_index(name="events"))
    assert result.status == INCORRECT and "0 events" in result.message


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=["region", "events", "x"])


# --------------------------------------------------------------------------- written answers


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_answers(w):
    H.assert_written_answer_behaviour(
        w,
        "Surrender at the front shows that many soldiers no longer wish to fight, but the "
        "commanders at the top have not changed sides, so the institution still holds "
        "together for now [@kyed_2024].",
    )


def test_written_model_answers_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=2)


# --------------------------------------------------------------------------- notebooks


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)


def test_exercise_hides_the_answers():
    H.assert_exercise_hides_answers(QS, STEM)


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


# --------------------------------------------------------------------------- grading


@pytest.mark.slow
def test_grading_solution_and_blank_exercise(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
