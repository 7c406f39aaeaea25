"""Checks of the checks for exercise set 05 (synthesis: the scenario explorer).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 5's.
"""

from __future__ import annotations

import re

import altair as alt
import check_harness as H
import numpy as np
import pandas as pd
import pytest

from defection import data
from defection.checks import INCORRECT, NOT_ANSWERED
from defection.checks.answers import (
    expected_value,
    hint_texts,
    judge,
    predicted_mistakes,
    solution_text,
)
from defection.checks import lesson05 as L
from defection.models.scenario import (
    PRESETS,
    SOFTLINER_THRESHOLD,
    preset_table,
    scenario,
)

STEM = "05_synthesis.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q)]
#: One sentence of a memo: too short alone, recorded when the memo is long enough.
MEMO_SENTENCE = (
    "Defections have weakened the army at the bottom, but no senior commander has "
    "changed sides, so the institution still holds together for now [@kyed_2024]. "
)


def notebook_namespace() -> dict:
    """What the solution notebook has defined before the tasks that use it (prep cells)."""
    return {
        "pd": pd, "alt": alt, "data": data, "PRESETS": PRESETS, "scenario": scenario,
        "counts": data.load("defection_counts"), "strength": data.load("force_strength"),
        "events": data.load("events"),
    }  # fmt: skip


@pytest.fixture(scope="module")
def solved() -> dict:
    return H.run_worked_solutions(AUTO, notebook_namespace())


# --------------------------------------------------------------------------- the set


def test_question_set_shape():
    H.assert_question_set_shape(QS, "05")


def test_expected_values_come_from_the_model_and_data():
    support = scenario(**PRESETS["Strong external support"])
    collapse = scenario(**PRESETS["Economic collapse"])
    assert expected_value(QS.by_name("q1")) == pytest.approx(support.value("senior_defection"))
    assert expected_value(QS.by_name("q2")) == pytest.approx(collapse.value("senior_softliners"))
    table = preset_table()
    assert sorted(expected_value(QS.by_name("q4"))) == sorted(
        table.loc[table["split_at_top"], "preset"]
    )
    counts = data.load("defection_counts").set_index("count_id")
    strength = data.load("force_strength").set_index("estimate_id")
    share = float(counts.loc["dc007", "value"]) / float(strength.loc["fs03", "low"])
    assert expected_value(QS.by_name("q6")) == pytest.approx(share)
    assert 0 < share < 0.05


def test_table_matches_preset_table_and_the_split_rule():
    expected = expected_value(QS.by_name("q3"))
    assert list(expected.columns) == list(L.TABLE_COLUMNS)
    assert list(expected["preset"]) == list(PRESETS)
    # the verdict follows the elite split alone, never individual senior exits
    split = expected["elite_split"] >= SOFTLINER_THRESHOLD
    assert (split == expected["split_at_top"]).all()
    assert ((expected["elite_split"] == 0) | (
        expected["elite_split"] == expected["senior_softliners"])).all()
    # the distractors of q4 really differ from the answer
    assert L._split_presets("mass_defection") != L._split_presets()
    assert L._either_condition_presets() != L._split_presets()


def test_smallest_incentives_is_the_threshold():
    """q7: the expected option turns the split on; every smaller option does not."""
    best = expected_value(QS.by_name("q7"))
    assert best in L.SENSITIVITY_OPTIONS

    def split(x):  # q7 asks about the faction exit, one of the top's four paths
        settings = {**PRESETS["Economic collapse"], "incentives": x}
        return "faction exit" in scenario(**settings).outcomes

    assert split(best)
    smaller = [x for x in L.SENSITIVITY_OPTIONS if x < best]
    assert smaller and not any(split(x) for x in smaller)
    assert all(split(x) for x in L.SENSITIVITY_OPTIONS if x >= best)


def test_q8_premises_hold():
    """Option d of q8 is wrong because the model is deterministic; the threshold moves it."""
    settings = {**PRESETS["Economic collapse"], "incentives": 0.6}
    a, b = scenario(**settings), scenario(**settings)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    assert "faction exit" not in a.outcomes
    assert "faction exit" in scenario(**settings, bloc_threshold=0.2).outcomes
    assert expected_value(QS.by_name("q8")) == "b"


def test_q10_premises_hold():
    """q10's answer b is what the model does: a coup at a partial purge with almost no one
    leaving below, none at a sweeping one, and the purged among the losers, not the bloc."""
    part, full = (L._coup_run(x) for x in L.COUP_PURGES)
    assert part.top_outcome == "palace coup" and part.value("rank_and_file_out") < 0.1
    assert not full.outcomes and full.value("coup_bloc") == 0.0
    assert full.value("senior_softliners") > part.value("senior_softliners")
    base = L._run(L.COUP_PRESET)
    assert part.absorbed == base.absorbed  # nothing else in the chain moved


def test_q3_last_hint_names_every_column():
    """The last hint is a near-solution: following it must not leave a column out (it once
    skipped 'elite_split', so a student who filled its blanks got 'missing column')."""
    hint = hint_texts(QS.by_name("q3"))[-1]
    for column in L.TABLE_COLUMNS:
        assert f"'{column}'" in hint or f"r.{column}" in hint or "r...." in hint, column
    assert all(f"'{c}'" in hint for c in L.TABLE_COLUMNS[:-1])


def test_q8_worked_solution_shows_the_convention_deciding():
    """The solution and the last hint of q8 must name a threshold that really moves the
    verdict: once they used senior_threshold, which split_at_top does not depend on, and at
    an incentives level where the split was on anyway, so the demonstration showed nothing."""
    q8 = QS.by_name("q8")
    hint = hint_texts(q8)[-1]
    assert "bloc_threshold" in hint and "senior threshold" not in hint
    printed: list = []
    namespace = {"PRESETS": PRESETS, "scenario": scenario, "print": printed.append}
    exec(solution_text(q8), namespace)
    assert printed == [False, True]
    assert namespace["answer_q8"] == expected_value(q8)


def test_model_beside_the_record_states_the_gap_it_shows():
    """Section 3 says how far the model's 2021 preset sits above the record of q6; the words
    must match the numbers (they once said 'several times' for a gap of about eleven)."""
    model = scenario(**PRESETS["2021 as it was"]).value("rank_and_file_out")
    gap = model / expected_value(L.q6)
    text = H.notebook_text(H.solution_path(STEM), "markdown")
    assert 10 < gap < 20
    assert "more than ten times above the record" in text


def test_q9_rows_exist_and_say_what_the_options_say():
    events = data.load("events").set_index("event_id")
    counts = data.load("defection_counts").set_index("count_id")
    assert "defect" in events.loc["ev026", "title"].lower()
    assert "generals" in events.loc["ev045", "description"]
    assert "commander-in-chief" in events.loc["ev071", "description"]
    assert counts.loc["dc052", "who_counted"] == "conscripts"
    assert {"dc024", "dc025"} <= set(counts.index)
    assert expected_value(QS.by_name("q9")) == "c"


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solved):
    H.assert_solution_passes(q, solved)


def test_alternative_correct_answers_pass_and_the_stated_order_is_kept(solved):
    table = solved["preset_outputs"]
    q3 = QS.by_name("q3")
    reordered = judge(q3, table.iloc[::-1].reset_index(drop=True))  # the task names the order
    assert not reordered.passed and "order of PRESETS" in reordered.message
    assert judge(q3, table[list(reversed(table.columns))]).passed  # another column order
    assert judge(QS.by_name("q4"), tuple(solved["split_presets"])).passed
    assert judge(QS.by_name("q5"), solved["senior_chart"].to_dict()).passed
    assert judge(QS.by_name("q7"), np.float64(solved["smallest_incentives"])).passed


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
    table = solved["preset_outputs"]
    bars = alt.Chart(table)
    return {
        "q1": [exp["q1"] * 100, exp["q1"] * 2, 0.25],
        "q2": [exp["q2"] * 100, 0.5, 0.0625],
        "q3": [
            table.drop(columns=["split_at_top"]),
            table.iloc[:-1],
            table.assign(senior_defection=table["senior_softliners"]),
            table.assign(split_at_top=table["split_at_top"].map({True: "YES", False: "no"})),
            table.set_index("preset"),
            table["senior_defection"],
        ],
        "q4": [list(PRESETS), [], ["Economic collapse"]],
        "q5": [
            bars.mark_line().encode(x="senior_defection:Q", y="preset:N"),
            bars.mark_bar().encode(x="senior_softliners:Q", y="preset:N"),
            bars.mark_bar().encode(x="senior_defection:N", y="preset:N"),
            bars.mark_bar().encode(x="preset:N", y="senior_defection:Q"),
        ],
        "q6": [exp["q6"] * 100, 2000 / 350000 * 0.9, 1 / 300],
        "q7": [0.85, float(min(L.SENSITIVITY_OPTIONS)), L._option_below()],
        "q8": ["a", "c", "d"],
        "q9": ["a", "b", "d", "e"],
        "q10": ["a", "c", "d"],
    }


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_wrong_answers_fail_without_revealing(q, solved):
    H.assert_all_fail_without_revealing(q, _wrong_answers(solved)[q.name])


def test_percent_instead_of_share_is_explained():
    for name in ("q1", "q2", "q6"):
        q = QS.by_name(name)
        result = judge(q, 100 * expected_value(q))
        assert result.status == INCORRECT and "percentage" in result.message, name


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=L.TABLE_COLUMNS)


# --------------------------------------------------------------------------- written answers


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_answers(w):
    H.assert_written_answer_behaviour(w, MEMO_SENTENCE * 8)
    assert judge(w, MEMO_SENTENCE).status == NOT_ANSWERED  # below the minimum for a memo


def test_written_model_answers_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=4)


def test_memo_model_answer_is_300_to_400_words():
    words = len(re.findall(r"\w+", L.W1_MODEL))
    assert 300 <= words <= 400, words


# --------------------------------------------------------------------------- notebooks


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)
    text = H.notebook_text(H.solution_path(STEM))
    for q in AUTO:
        for label in getattr(q, "options", {}).values() if q.kind == "choice" else ():
            assert label[:60] in text.replace("`", ""), (q.name, label[:60])


def test_exercise_hides_the_answers():
    H.assert_exercise_hides_answers(QS, STEM)


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


# --------------------------------------------------------------------------- grading


@pytest.mark.slow
def test_grading_solution_and_blank_exercise(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
