"""A lesson's questions as a :class:`QuestionSet`, and loading them fresh for the grader."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from defection.checks.question import Question
from defection.checks.results import (
    _NOT_GIVEN,
    NOT_ANSWERED,
    SELF_CHECK_NOTE,
    CheckResult,
    _fmt_points,
)


class QuestionSet(list):
    """The questions of one lesson, in order. A list, plus lookups and a summary."""

    def __init__(self, questions: Iterable[Question] = (), lesson: str | None = None):
        super().__init__(questions)
        self.lesson = lesson
        names: set[str] = set()
        variables: set[str] = set()
        for q in self:
            if not isinstance(q, Question):
                raise TypeError(f"QuestionSet holds Question objects, got {q!r}")
            if q.name in names:
                raise ValueError(f"duplicate question name {q.name!r}")
            names.add(q.name)
            if q.auto and q.variable:
                if q.variable in variables:
                    raise ValueError(f"two questions read the same variable {q.variable!r}")
                variables.add(q.variable)

    def by_name(self, name: str) -> Question:
        for q in self:
            if q.name == name:
                return q
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [q.name for q in self]

    @property
    def auto(self) -> list[Question]:
        return [q for q in self if q.auto]

    @property
    def written(self) -> list[Question]:
        return [q for q in self if not q.auto]

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.auto)

    def check_all(self, namespace: Mapping[str, Any] | None = None) -> _Summary:
        """Check every auto question against ``namespace`` (default: the caller's)."""
        if namespace is None:
            namespace = sys._getframe(1).f_globals
        results = []
        for q in self.auto:
            value = namespace.get(q.variable, _NOT_GIVEN) if q.variable else _NOT_GIVEN
            if value is _NOT_GIVEN:
                results.append(
                    q._result(NOT_ANSWERED, f"no variable called `{q.variable}` yet.")
                )
            else:
                results.append(q._guarded(value))  # a student's tries, like check()
        return _Summary(results)


class _Summary:
    def __init__(self, results: list[CheckResult]):
        self.results = results

    def __str__(self) -> str:
        lines = [f"{r.symbol} {r.question}: {r.label}. {r.message}" for r in self.results]
        got = sum(r.points for r in self.results)
        top = sum(r.possible for r in self.results)
        lines.append(f"{_fmt_points(got)}/{_fmt_points(top)} points on the self-checks.")
        lines.append(SELF_CHECK_NOTE)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self.results)


def register(*questions: Question, lesson: str | None = None) -> QuestionSet:
    """Build a lesson's ``QUESTIONS``: ``QUESTIONS = register(q1, q2, w1, lesson="01")``."""
    if len(questions) == 1 and not isinstance(questions[0], Question):
        questions = tuple(questions[0])  # register([q1, q2])
    return QuestionSet(questions, lesson=lesson)


def load_questions(module_name: str, *, fresh: bool = True) -> QuestionSet:
    """Import a check module (fresh, unless ``fresh=False``) and return its questions:
    its ``QUESTIONS``, or else every Question defined at module level, in order."""
    if fresh and module_name in sys.modules:
        module = importlib.reload(sys.modules[module_name])
    else:
        module = importlib.import_module(module_name)
    found = getattr(module, "QUESTIONS", None)
    if isinstance(found, QuestionSet):
        return found
    if found is not None:
        return QuestionSet(found, lesson=getattr(module, "LESSON", None))
    qs = [v for v in vars(module).values() if isinstance(v, Question)]
    return QuestionSet(qs, lesson=getattr(module, "LESSON", None))
