"""Checks of the checks for exercise set 01 (regime cohesion and the comparative record)."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from defection import comparative, data
from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED, RECORDED, CheckResult
from defection.checks import lesson01 as L
from defection.models.cascade import cascade

ROOT = Path(__file__).resolve().parents[2]
STEM = "01_regime_cohesion.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto


# --------------------------------------------------------------------------- helpers


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
        if re.search(r"(?<![\w.,])" + re.escape(s) + r"(?![\d])", text):
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
    assert QS.lesson == "01"
    kinds = {q.kind for q in AUTO}
    assert len(AUTO) >= 6 and len(QS.written) >= 2
    assert {"number", "choice", "set", "frame", "chart"} <= kinds
    for q in AUTO:
        assert 2 <= len(q.hints) <= 3, q.name
        assert q.solution_code.strip(), q.name
        assert q.variable and q.variable in q.solution_code, q.name
    for w in QS.written:
        assert w.rubric and len(w.model_answer.split()) > 80


def test_expected_values_come_from_the_data():
    c = data.load("campaigns")
    nv = c[c["nonviol"] == 1]
    table = pd.crosstab(nv["defect"], nv["success"])
    a, b = table.loc[1, 1], table.loc[1, 0]
    cc, d = table.loc[0, 1], table.loc[0, 0]
    with_, without = a / (a + b), cc / (cc + d)
    assert QS.by_name("q1").expected_value() == pytest.approx(with_)
    assert QS.by_name("q2").expected_value() == pytest.approx(without)
    assert QS.by_name("q3").expected_value() == pytest.approx(with_ / without)
    assert QS.by_name("q4").expected_value() == pytest.approx((a / b) / (cc / d))
    pd.testing.assert_frame_equal(QS.by_name("q6").expected_value(), table)
    # the lesson's prose relies on these orders of magnitude
    assert 0 < without < with_ < 1
    assert QS.by_name("q4").expected_value() < L.CLAIMED_FACTOR / 4
    assert L.CLAIMED_FACTOR * without > 1


def test_q5_answer_follows_from_the_data():
    assert QS.by_name("q5").expected_value() == "c"
    assert set(QS.by_name("q5").options) == {"a", "b", "c", "d"}


def test_q8_disagreements_match_the_case_table():
    cases = data.load("uprisings")
    expected = set(QS.by_name("q8").expected_value())
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
    assert QS.by_name("q9").expected_value() == pytest.approx(run.final_share)
    best = QS.by_name("q10").expected_value()
    assert best in L.REPRESSION_OPTIONS

    def tipped(rep):
        return cascade(repression=rep, incentives=0.3, exit_options=0.6, spread=0.25).tipped

    assert not tipped(best)
    lower = [r for r in L.REPRESSION_OPTIONS if r < best]
    assert lower and all(tipped(r) for r in lower)


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_solution_passes(q, solved):
    result = q.evaluate(solved[q.variable])
    assert result.status == CORRECT, str(result)
    assert result.points == q.points


def test_helpers_and_alternatives_pass(solved):
    nv = solved["nonviolent"]
    assert QS.by_name("q4").evaluate(comparative.odds_ratio_from(nv).value).passed
    assert QS.by_name("q6").evaluate(comparative.crosstab(nv, "defect", "success")).passed
    q7 = QS.by_name("q7")
    assert q7.evaluate(alt.Chart(nv).mark_bar().encode(x="defect:O", y="mean(success):Q")).passed
    rates = comparative.success_rates(nv)
    assert q7.evaluate(alt.Chart(rates).mark_bar().encode(x="defect:N", y="rate:Q")).passed
    assert q7.evaluate(solved["rate_chart"].to_dict()).passed  # what the grader sees


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_placeholder_is_not_answered(q):
    assert q.evaluate(...).status == NOT_ANSWERED
    assert q.check(...).status == NOT_ANSWERED


NON_CHART = [q for q in AUTO if q.mistakes and q.kind != "chart"]


@pytest.mark.parametrize("q", NON_CHART, ids=[q.name for q in NON_CHART])
def test_every_mistake_gets_its_own_feedback(q):
    expected = q.expected_value()
    for wrong, message in q.mistakes:
        value = wrong() if callable(wrong) else wrong
        result = assert_fails_quietly(q, value, expected)
        assert message in result.message, (q.name, value, result.message)


def test_sideways_bars_get_their_own_feedback(solved):
    rates = solved["nonviolent"].groupby("defect")["success"].mean().reset_index(name="rate")
    q7 = QS.by_name("q7")
    result = q7.evaluate(alt.Chart(rates).mark_bar().encode(x="rate:Q", y="defect:N"))
    assert result.status == INCORRECT and "on their side" in result.message


def _wrong_answers(solved):
    """At least two plausible wrong answers per auto question."""
    exp = {q.name: q.expected_value() for q in AUTO}
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


def test_wrong_answers_fail_without_revealing(solved):
    wrong = _wrong_answers(solved)
    for q in AUTO:
        answers = wrong[q.name]
        assert len(answers) >= 2, q.name
        for answer in answers:
            assert_fails_quietly(q, answer, q.expected_value())


def test_rounding_and_percent_are_explained():
    q = QS.by_name("q1")
    rounded = q.evaluate(round(q.expected_value(), 2))
    assert rounded.status == INCORRECT and "round" in rounded.message
    percent = q.evaluate(100 * q.expected_value())
    assert percent.status == INCORRECT and "percentage" in percent.message


def _junk():
    huge = pd.DataFrame(np.zeros((200_000, 3)), columns=["defect", "rate", "x"])
    return [
        None, float("nan"), float("inf"), "abc", "", [], {}, b"x", (), set(), True,
        pd.DataFrame(), huge, pd.Series(dtype=float), np.arange(5), pd.NA,
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
    for blank in ("", "   ", "_Write your answer here._", "...",
                  f"**Your answer ({w.name}):**\n\n_Write your answer here._", None, ...):  # fmt: skip
        assert w.evaluate(blank).status == NOT_ANSWERED
    assert w.check().status == NOT_ANSWERED
    paragraph = (
        f"**Your answer ({w.name}):**\n\nThe success rate with defection is clearly higher "
        "than without, but the odds ratio is far smaller than the figure quoted second-hand, "
        "and Myanmar has seen defection only in the lower ranks so far [@navco_2019]."
    )
    assert w.evaluate(paragraph).status == RECORDED
    assert w.evaluate(w.model_answer).status == RECORDED
    assert w.evaluate("Too short to count.").status == NOT_ANSWERED
    assert w.rubric in str(w.solution())


def test_written_model_answers_cite_known_sources():
    from defection.sources import keys_in_text

    known = set(data.load("sources")["source_id"])
    for w in QS.written:
        keys = set(keys_in_text(w.model_answer))
        assert len(keys) >= 2 and keys <= known, (w.name, keys - known)


def test_solution_notebook_matches_the_questions():
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / STEM, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for q in AUTO:
        assert f"{q.name}.check({q.variable})" in text, q.name
        assert f"# BEGIN SOLUTION: {q.variable} = ..." in text, q.name
    for key, label in QS.by_name("q5").options.items():
        assert f"**{key}** — {label}" in text
    answers = [
        c.metadata.get("defection", {}).get("answer") for c in nb.cells if c.cell_type == "markdown"
    ]
    assert [a for a in answers if a] == [w.name for w in QS.written]
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "nbval-check-output" not in tags


def test_exercise_hides_the_answers():
    import nbformat

    nb = nbformat.read(ROOT / "exercises" / STEM, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for q in AUTO:
        assert f"{q.variable} = ..." in text, q.name
    assert "BEGIN SOLUTION" not in text
    assert L.W1_MODEL[:60] not in text and L.W2_MODEL[:60] not in text
    assert 'answer_q5 = "c"' not in text


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
