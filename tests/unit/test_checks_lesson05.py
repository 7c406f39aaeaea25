"""Checks of the checks for exercise set 05 (synthesis: the scenario explorer)."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from defection import data
from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED, RECORDED, CheckResult
from defection.checks import lesson05 as L
from defection.models.scenario import (
    PRESETS,
    SENIOR_THRESHOLD,
    SOFTLINER_THRESHOLD,
    preset_table,
    scenario,
)

ROOT = Path(__file__).resolve().parents[2]
STEM = "05_synthesis.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto


# --------------------------------------------------------------------------- helpers


def notebook_namespace() -> dict:
    """What the solution notebook has defined before the tasks that use it (prep cells)."""
    return {
        "pd": pd, "alt": alt, "data": data, "PRESETS": PRESETS, "scenario": scenario,
        "counts": data.load("defection_counts"), "strength": data.load("force_strength"),
        "events": data.load("events"),
    }  # fmt: skip


@pytest.fixture(scope="module")
def solved() -> dict:
    """Run every question's worked solution, in order, in one namespace (as the notebook does)."""
    ns = notebook_namespace()
    for q in AUTO:
        exec(q.solution_code, ns)  # noqa: S102 - our own solution text
    return ns


def formats(value: float) -> list[str]:
    """Ways a message could spell out an expected number."""
    v = float(value)
    out = {f"{v:.3g}", f"{v:.4g}", f"{v:.2f}", f"{v:.1f}", f"{v:,.0f}", f"{v:.0f}"}
    if 0 < abs(v) < 1:
        out |= {f"{100 * v:.0f}%", f"{100 * v:.1f}%", f"{v:.3f}"}
    return sorted(s for s in out if s not in {"0", "1", "0.0", "1.0", "0.00", "1.00"})


def reveals(text: str, value: float) -> bool:
    """True if ``text`` contains ``value`` written out as a number on its own."""
    for s in formats(value):
        if re.search(r"(?<![\d.,])" + re.escape(s) + r"(?![\d])", text):
            return True
    return False


def assert_fails_quietly(q, answer, expected):
    result = q.evaluate(answer)
    assert result.status == INCORRECT, (q.name, answer, str(result))
    text = str(result)
    assert len(result.message) > 10
    if q.kind == "number":
        assert not reveals(text, expected), (q.name, text)
    elif q.kind == "choice":
        assert f"'{expected}'" not in text and f'"{expected}"' not in text
        assert q.options[expected][:30] not in text
    elif q.kind == "set":
        for item in expected:
            if item not in (answer or []):
                assert str(item) not in text, (q.name, text)
    return result


# --------------------------------------------------------------------------- the set


def test_question_set_shape():
    assert QS.lesson == "05"
    kinds = {q.kind for q in AUTO}
    assert len(AUTO) >= 6 and len(QS.written) >= 2
    assert {"number", "choice", "set", "frame", "chart"} <= kinds
    for q in AUTO:
        assert 2 <= len(q.hints) <= 3, q.name
        assert q.solution_code.strip(), q.name
        assert q.variable and q.variable in q.solution_code, q.name
    for w in QS.written:
        assert w.rubric and len(w.model_answer.split()) > 80


def test_expected_values_come_from_the_model_and_data():
    support = scenario(**PRESETS["Strong external support"])
    collapse = scenario(**PRESETS["Economic collapse"])
    assert QS.by_name("q1").expected_value() == pytest.approx(support.value("senior_defection"))
    assert QS.by_name("q2").expected_value() == pytest.approx(collapse.value("senior_softliners"))
    table = preset_table()
    assert sorted(QS.by_name("q4").expected_value()) == sorted(
        table.loc[table["split_at_top"], "preset"]
    )
    counts = data.load("defection_counts").set_index("count_id")
    strength = data.load("force_strength").set_index("estimate_id")
    share = float(counts.loc["dc007", "value"]) / float(strength.loc["fs03", "low"])
    assert QS.by_name("q6").expected_value() == pytest.approx(share)
    assert 0 < share < 0.05


def test_table_matches_preset_table_and_the_split_rule():
    expected = QS.by_name("q3").expected_value()
    assert list(expected.columns) == list(L.TABLE_COLUMNS)
    assert list(expected["preset"]) == list(PRESETS)
    split = (expected["senior_defection"] >= SENIOR_THRESHOLD) & (
        expected["senior_softliners"] >= SOFTLINER_THRESHOLD
    )
    assert (split == expected["split_at_top"]).all()
    # the distractors of q4 really differ from the answer
    assert L._split_presets("mass_defection") != L._split_presets()
    assert L._either_condition_presets() != L._split_presets()


def test_smallest_incentives_is_the_threshold():
    """q7: the expected option turns the split on; every smaller option does not."""
    best = QS.by_name("q7").expected_value()
    assert best in L.SENSITIVITY_OPTIONS

    def split(x):
        return scenario(**{**PRESETS["Economic collapse"], "incentives": x}).split_at_top

    assert split(best)
    smaller = [x for x in L.SENSITIVITY_OPTIONS if x < best]
    assert smaller and not any(split(x) for x in smaller)
    assert all(split(x) for x in L.SENSITIVITY_OPTIONS if x >= best)


def test_q8_premises_hold():
    """Option d of q8 is wrong because the model is deterministic; the threshold moves it."""
    settings = {**PRESETS["Economic collapse"], "incentives": 0.8}
    a, b = scenario(**settings), scenario(**settings)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    assert not a.split_at_top
    assert scenario(**settings, senior_threshold=0.15).split_at_top
    assert QS.by_name("q8").expected_value() == "b"


def test_q9_rows_exist_and_say_what_the_options_say():
    events = data.load("events").set_index("event_id")
    counts = data.load("defection_counts").set_index("count_id")
    assert "defect" in events.loc["ev026", "title"].lower()
    assert "generals" in events.loc["ev045", "description"]
    assert "commander-in-chief" in events.loc["ev071", "description"]
    assert counts.loc["dc052", "who_counted"] == "conscripts"
    assert {"dc024", "dc025"} <= set(counts.index)
    assert QS.by_name("q9").expected_value() == "c"


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_solution_passes(q, solved):
    result = q.evaluate(solved[q.variable])
    assert result.status == CORRECT, str(result)
    assert result.points == q.points


def test_alternative_correct_answers_pass(solved):
    table = solved["preset_outputs"]
    q3 = QS.by_name("q3")
    assert q3.evaluate(table.iloc[::-1].reset_index(drop=True)).passed  # another row order
    assert q3.evaluate(table[list(reversed(table.columns))]).passed  # another column order
    assert QS.by_name("q4").evaluate(tuple(solved["split_presets"])).passed
    assert QS.by_name("q5").evaluate(solved["senior_chart"].to_dict()).passed
    assert QS.by_name("q7").evaluate(np.float64(solved["smallest_incentives"])).passed


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_placeholder_is_not_answered(q):
    assert q.evaluate(...).status == NOT_ANSWERED
    assert q.check(...).status == NOT_ANSWERED


@pytest.mark.parametrize(
    "q", [q for q in AUTO if q.mistakes], ids=[q.name for q in AUTO if q.mistakes]
)
def test_every_mistake_gets_its_own_feedback(q):
    expected = q.expected_value()
    for wrong, message in q.mistakes:
        value = wrong() if callable(wrong) else wrong
        result = assert_fails_quietly(q, value, expected)
        assert message in result.message, (q.name, value, result.message)


def _wrong_answers(solved):
    """At least two plausible wrong answers per auto question."""
    exp = {q.name: q.expected_value() for q in AUTO}
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
        "q7": [0.85, float(min(L.SENSITIVITY_OPTIONS)), 0.7],
        "q8": ["a", "c", "d"],
        "q9": ["a", "b", "d", "e"],
    }


def test_wrong_answers_fail_without_revealing(solved):
    wrong = _wrong_answers(solved)
    for q in AUTO:
        answers = wrong[q.name]
        assert len(answers) >= 2, q.name
        for answer in answers:
            assert_fails_quietly(q, answer, q.expected_value())


def test_percent_instead_of_share_is_explained():
    for name in ("q1", "q2", "q6"):
        q = QS.by_name(name)
        result = q.evaluate(100 * q.expected_value())
        assert result.status == INCORRECT and "percentage" in result.message, name


def _junk():
    wide = pd.DataFrame(np.zeros((200_000, 5)), columns=list(L.TABLE_COLUMNS))
    return [
        None, float("nan"), float("inf"), "abc", "", [], {}, b"x", (), set(), True,
        pd.DataFrame(), wide, pd.Series(dtype=float), np.arange(5), pd.NA,
        alt.Chart(pd.DataFrame({"a": [1]})).mark_arc().encode(theta="a:Q"),
        alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q") | alt.Chart().mark_line(),
        {"mark": 3, "encoding": "x"}, object(), [[1, 2], [3]], -1, 10**30,
    ]  # fmt: skip


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_junk_never_raises(q):
    for junk in _junk():
        result = q.evaluate(junk)
        assert isinstance(result, CheckResult)
        assert result.status in (INCORRECT, NOT_ANSWERED), (q.name, junk)
        str(result)
        result._repr_html_()
    for _ in range(4):
        str(q.hint())
    str(q.solution())


@pytest.mark.parametrize("w", QS.written, ids=[w.name for w in QS.written])
def test_written_answers(w):
    header = f"**Your answer ({w.name}):**\n\n_Write your answer here._"
    for blank in ("", "   ", "_Write your answer here._", "...", header, None, ...):
        assert w.evaluate(blank).status == NOT_ANSWERED
    assert w.check().status == NOT_ANSWERED
    sentence = (
        "Defections have weakened the army at the bottom, but no senior commander has "
        "changed sides, so the institution still holds together for now [@kyed_2024]. "
    )
    paragraph = f"**Your answer ({w.name}):**\n\n" + sentence * 8
    assert w.evaluate(paragraph).status == RECORDED
    assert w.evaluate(w.model_answer).status == RECORDED
    assert w.evaluate("Too short to count.").status == NOT_ANSWERED
    assert w.evaluate(sentence).status == NOT_ANSWERED  # below the minimum for a memo
    assert w.rubric in str(w.solution())


def test_written_model_answers_cite_known_sources():
    from defection.sources import keys_in_text

    known = set(data.load("sources")["source_id"])
    for w in QS.written:
        keys = set(keys_in_text(w.model_answer))
        assert len(keys) >= 4 and keys <= known, (w.name, keys - known)


def test_memo_model_answer_is_300_to_400_words():
    words = len(re.findall(r"\w+", L.W1_MODEL))
    assert 300 <= words <= 400, words


def test_solution_notebook_matches_the_questions():
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / STEM, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for q in AUTO:
        assert f"{q.name}.check({q.variable})" in text, q.name
        assert f"# BEGIN SOLUTION: {q.variable} = ..." in text, q.name
        for label in getattr(q, "options", {}).values() if q.kind == "choice" else ():
            assert label[:60] in text.replace("`", ""), (q.name, label[:60])
    answers = [
        c.metadata.get("defection", {}).get("answer") for c in nb.cells if c.cell_type == "markdown"
    ]
    assert [a for a in answers if a] == [w.name for w in QS.written]
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "nbval-check-output" not in tags


# --------------------------------------------------------------------------- grading


@pytest.mark.slow
def test_grading_solution_and_blank_exercise(tmp_path):
    from defection.grade import grade

    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(ROOT / "solutions" / STEM, subs / f"alice__{STEM}")
    shutil.copy(ROOT / "exercises" / STEM, subs / f"bob__{STEM}")
    out = tmp_path / "out" / "gradebook.csv"
    out.parent.mkdir()
    rows = grade(subs, out, timeout=300, progress=lambda msg: None)
    by_student = {r.student: r for r in rows}
    alice, bob = by_student["alice"], by_student["bob"]
    assert alice.graded and bob.graded
    assert alice.maximum == QS.max_points
    assert alice.total == QS.max_points, alice.scores
    assert bob.total == 0 and bob.maximum == QS.max_points, bob.scores
    for w in QS.written:
        assert alice.scores.get(w.name) == "recorded"
        assert bob.scores.get(w.name) != "recorded"
    assert out.exists() and (out.parent / "written_answers.md").exists()
    assert not math.isnan(alice.total)
