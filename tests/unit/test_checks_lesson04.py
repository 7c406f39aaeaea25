"""Checks of the checks for exercise set 04 (surrender and absorption)."""

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
from defection.checks import lesson04 as L
from defection.models.absorption import absorption
from defection.surrender import surrender_counts

ROOT = Path(__file__).resolve().parents[2]
STEM = "04_surrender_dynamics.ipynb"
QS = L.QUESTIONS
AUTO = QS.auto


# --------------------------------------------------------------------------- helpers


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
        "pd": pd, "alt": alt, "data": data, "absorption": absorption,
        "counts": counts, "events": events, "monitor": monitor, "claimed": claimed,
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
    out = {f"{v:.3g}", f"{v:.4g}", f"{v:.2f}", f"{v:,.0f}", f"{v:.0f}"}
    if 0 < abs(v) < 1:
        out |= {f"{100 * v:.0f}%", f"{100 * v:.1f}%", f"{v:.3f}"}
    return sorted(s for s in out if s not in {"0", "1", "0.00", "1.00"})


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
    assert QS.lesson == "04"
    kinds = {q.kind for q in AUTO}
    assert len(AUTO) >= 6 and len(QS.written) >= 2
    assert {"number", "choice", "set", "frame", "chart"} <= kinds
    for q in AUTO:
        assert 2 <= len(q.hints) <= 3, q.name
        assert q.solution_code.strip(), q.name
        assert q.variable and q.variable in q.solution_code, q.name
    for w in QS.written:
        assert w.rubric and len(w.model_answer.split()) > 80


def test_expected_values_come_from_the_data_and_model():
    counts = data.load("defection_counts").set_index("count_id")
    total = counts.loc["dc033"]
    days = (total["as_of"] - total["period_start"]).days
    assert QS.by_name("q1").expected_value() == pytest.approx(float(total["value"]) / days)
    assert QS.by_name("q2").expected_value() == pytest.approx(
        float(counts.loc["dc029", "value"]) / float(total["value"])
    )
    pair = counts[counts["as_of"] == pd.Timestamp("2024-04-05")]["value"].astype(float)
    assert len(pair) == 2
    gap_share = (pair.max() - pair.min()) / pair.max()
    assert QS.by_name("q4").expected_value() == pytest.approx(gap_share)
    run = absorption(inflow=[1000] * 6 + [0] * 18, vetting_speed=0.5, capacity=200, funding=3000)
    lost = float(run["cumulative_lost"].iloc[-1])
    assert QS.by_name("q9").expected_value() == pytest.approx(lost)


def test_smallest_capacity_is_the_threshold():
    """q10: the expected capacity keeps the loss under the limit; the option below does not."""
    best = QS.by_name("q10").expected_value()
    assert best in L.CAPACITY_OPTIONS

    def lost(cap):
        run = absorption(
            inflow=L.SURGE, vetting_speed=0.5, capacity=cap, funding=L.CAPACITY_FUNDING
        )
        return float(run["cumulative_lost"].iloc[-1])

    assert lost(best) < L.LOST_LIMIT
    smaller = [c for c in L.CAPACITY_OPTIONS if c < best]
    assert smaller and all(lost(c) >= L.LOST_LIMIT for c in smaller)


def test_q11_answer_matches_the_model():
    a = absorption(inflow=L.SURGE, vetting_speed=0.5, capacity=1000, funding=3000)
    b = absorption(inflow=L.SURGE, vetting_speed=0.5, capacity=1500, funding=3000)
    assert np.allclose(a["cumulative_lost"], b["cumulative_lost"])
    assert b["vetted"].max() < 1000
    assert QS.by_name("q11").expected_value() == "b"


@pytest.mark.parametrize("q", AUTO, ids=[q.name for q in AUTO])
def test_solution_passes(q, solved):
    result = q.evaluate(solved[q.variable])
    assert result.status == CORRECT, str(result)
    assert result.points == q.points


def test_q1_accepts_counting_both_end_days():
    value = float(L._value("dc033"))
    assert QS.by_name("q1").evaluate(value / (L._days("dc033") + 1)).passed


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


def test_wrong_answers_fail_without_revealing(solved):
    wrong = _wrong_answers(solved)
    for q in AUTO:
        answers = wrong[q.name]
        assert len(answers) >= 2, q.name
        for answer in answers:
            assert_fails_quietly(q, answer, q.expected_value())


def test_percent_instead_of_share_is_explained():
    q = QS.by_name("q4")
    result = q.evaluate(100 * q.expected_value())
    assert result.status == INCORRECT and "percentage" in result.message


def test_q6_value_counts_on_a_category_column_is_explained(solved):
    q = QS.by_name("q6")
    events = solved["events"]
    vc = events[events["category"] == "surrender"]["region"].value_counts().rename_axis("region")
    result = q.evaluate(vc.reset_index(name="events"))
    assert result.status == INCORRECT and "0 events" in result.message


def _junk():
    wide = pd.DataFrame(np.zeros((200_000, 3)), columns=["region", "events", "x"])
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
    paragraph = (
        f"**Your answer ({w.name}):**\n\nSurrender at the front shows that many soldiers no "
        "longer wish to fight, but the commanders at the top have not changed sides, so the "
        "institution still holds together for now [@kyed_2024]."
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
