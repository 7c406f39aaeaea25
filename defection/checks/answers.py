"""The answer side of a question — for the grader, the tests and lesson authors.

A question object is what a student holds in a notebook, and Tab completion shows its
every public name; so expected values, worked solutions, hint texts, predicted mistakes
and per-option feedback live in private attributes, and this module is the one way in.
A student could import it too, as they could read ``solutions/``: the point is that
nothing on the object itself hands the answer over before ``q.solution()`` is called.

``judge`` is the grader's verdict: the full feedback every time, with no counting of
tries — a fresh submission is judged on its own, not after a student's earlier attempts.
"""

from __future__ import annotations

from typing import Any

from defection.checks.question import Question
from defection.checks.results import CheckResult

__all__ = [
    "also_accepted",
    "expected_value",
    "hint_texts",
    "judge",
    "model_answer",
    "option_feedback",
    "predicted_mistakes",
    "solution_text",
]


def expected_value(q: Question) -> Any:
    """The question's expected value (computed from the course's data the first time)."""
    return q._expected_value()


def judge(q: Question, answer: Any) -> CheckResult:
    """The verdict on ``answer`` with full feedback, never counting it as a try."""
    return q._judge(answer)[0]


def solution_text(q: Question) -> str:
    """The worked solution as code text ("" if none)."""
    return q._solution


def hint_texts(q: Question) -> list[str]:
    """Every hint, gentlest first, without spending any."""
    return list(q._hints)


def predicted_mistakes(q: Question) -> list[tuple[Any, str]]:
    """The predicted wrong answers (values or callables) and their messages."""
    return list(q._mistakes)


def option_feedback(q: Question) -> dict[Any, str]:
    """A choice question's message per wrong option ({} for other kinds)."""
    return dict(getattr(q, "_feedback", {}))


def also_accepted(q: Question) -> list[Any]:
    """Other values a number question accepts (a defensible second reading)."""
    return list(getattr(q, "_also", []))


def model_answer(q: Question) -> str:
    """A written question's model answer ("" for other kinds)."""
    return getattr(q, "_model_answer", "")
