"""No numeric question in the five sets lets its feedback be turned into the answer.

Feedback once said "too high by about 20%": a student could divide by 1.2 and pass, and
on questions whose answer is one of a short list the direction alone gave it away in one
or two tries. For every number question in all five sets this tries plausible wrong
values (the predicted mistakes, the other options of a list, and the expected value
scaled up and down) and runs a simple search on the feedback: read any percentage or
"N times" it states, invert it, check the estimate, and repeat. The search must never
reach a passing answer. (Values 100 times too large or small are left out: they are the
student's own right answer given as a percentage instead of a share, or the reverse, and
the feedback says so on purpose.)
"""

from __future__ import annotations

import math
import re

import check_harness as H
import pytest

from defection.checks import CORRECT, INCORRECT, load_questions

LESSONS = ("01", "02", "03", "04", "05", "06")
NUMBERS = [
    (lesson, q)
    for lesson in LESSONS
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False).auto
    if q.kind == "number"
]
IDS = [f"{lesson}-{q.name}" for lesson, q in NUMBERS]
FACTORS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.005, 1.01, 1.02, 1.05,
           1.1, 1.2, 1.3, 1.5, 2, 3, 5, 20)  # fmt: skip
DIRECTION_WORDS = ("too high", "too low", "higher", "lower", "larger", "smaller", "%", "times")
PERCENT = re.compile(r"(?:by|about|than)\s+(?:about\s+)?(\d+(?:\.\d+)?)\s*%")
TIMES = re.compile(r"(\d+(?:\.\d+)?)\s+times")


def wrong_values(q) -> list[float]:
    expected = float(q.expected_value())
    values = [expected * f for f in FACTORS] + [expected + d for d in (-1, 1, -0.1, 0.1)]
    for wrong, _ in q.mistakes:
        try:
            values.append(float(wrong() if callable(wrong) else wrong))
        except Exception:
            continue
    if q.options is not None:
        values += list(q.options)
    out = []
    for v in values:
        if not math.isfinite(v) or q.evaluate(v).status == CORRECT:
            continue
        if expected and (math.isclose(v / expected, 100, rel_tol=0.02)
                         or math.isclose(v / expected, 0.01, rel_tol=0.02)):
            continue
        out.append(v)
    return out


def estimate(value: float, message: str) -> float | None:
    """What a student could compute from the feedback alone (None: nothing to invert)."""
    text = message.casefold()
    high = "too high" in text or "too large" in text
    low = "too low" in text or "too small" in text
    m = PERCENT.search(text)
    if m and (high or low):
        p = float(m.group(1)) / 100
        return value / (1 + p) if high else value / (1 - p) if p < 1 else None
    m = TIMES.search(text)
    if m and (high or low):
        t = float(m.group(1))
        return value / t if high else value * t
    return None


def simple_search_recovers(q, start: float, rounds: int = 3) -> bool:
    value = start
    for _ in range(rounds):
        result = q.evaluate(value)
        if result.status == CORRECT:
            return True
        guess = estimate(value, result.message)
        if guess is None or not math.isfinite(guess):
            return False
        value = guess
    return q.evaluate(value).status == CORRECT


@pytest.mark.parametrize("lesson,q", NUMBERS, ids=IDS)
def test_feedback_cannot_be_inverted_into_the_answer(lesson, q):
    values = wrong_values(q)
    assert len(values) >= 10, (q.name, values)
    expected = float(q.expected_value())
    for value in values:
        result = H.assert_fails_without_revealing(q, value, expected)
        assert not simple_search_recovers(q, value), (lesson, q.name, value, result.message)


@pytest.mark.parametrize("lesson,q", [c for c in NUMBERS if c[1].options is not None],
                         ids=[i for i, c in zip(IDS, NUMBERS) if c[1].options is not None])
def test_pick_from_a_list_feedback_never_says_how_far_or_which_way(lesson, q):
    expected = float(q.expected_value())
    assert any(math.isclose(expected, o) for o in q.options), q.name
    generic = set()
    for option in q.options:
        result = q.evaluate(option)
        if result.status == CORRECT:
            continue
        assert result.status == INCORRECT
        text = result.message.casefold()
        for word in DIRECTION_WORDS:
            assert word not in text, (lesson, q.name, option, word, result.message)
        assert "is in the list" in text
        generic.add(text.split("is in the list", 1)[1].split(".", 1)[0])
    assert len(generic) == 1, (q.name, generic)  # the same words whichever wrong pick


def test_every_number_question_states_its_precision():
    for lesson, q in NUMBERS:
        assert q.precision_text, (lesson, q.name)
        assert q.precision_text in q.prompt, (lesson, q.name)


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_number_task_in_the_notebook_states_the_precision(lesson):
    stem = next(p.name for p in (H.ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
    text = H.notebook_text(H.solution_path(stem), "markdown")
    tasks = re.split(r"(?=\*\*Task q\d+\.\*\*)", text)
    for _, q in [c for c in NUMBERS if c[0] == lesson]:
        task = " ".join(next((t for t in tasks if t.startswith(f"**Task {q.name}.**")), "").split())
        assert task, (lesson, q.name)
        words = {
            "a whole number": ("whole number",),
            "a number from the list": ("from the list", "in the list"),
        }.get(q.precision_text, (q.precision_text,))
        assert any(w in task for w in words), (lesson, q.name, q.precision_text)


def test_the_rounding_cases_from_the_issue():
    """The lesson's rounded figures pass where the prompt allows them; loose answers do not."""
    s01 = load_questions("defection.checks.lesson01", fresh=False)
    s04 = load_questions("defection.checks.lesson04", fresh=False)
    assert s01.by_name("q4").evaluate(3.9).status == CORRECT  # the lesson's rounded odds ratio
    lost = float(s04.by_name("q9").expected_value())
    assert s04.by_name("q9").evaluate(round(lost)).status == CORRECT  # a whole number of people
    q1 = s04.by_name("q1")
    rate = float(q1.expected_value())
    assert q1.evaluate(round(rate, 1)).status == CORRECT
    assert q1.evaluate(rate * 1.005).status == INCORRECT  # 0.5% off is no longer accepted
    assert q1.evaluate(rate * 186 / 187).status == CORRECT  # both end days counted


def test_pick_from_a_list_questions_cannot_be_found_by_direction():
    """Set 01 q10 and set 04 q10 once said 'too high by about N%' for a wrong pick."""
    for lesson, name in (("01", "q10"), ("04", "q10"), ("05", "q7")):
        q = load_questions(f"defection.checks.lesson{lesson}", fresh=False).by_name(name)
        assert q.options is not None, (lesson, name)
