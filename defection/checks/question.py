"""The :class:`Question` base: check / hint / solution, never an exception.

Each kind (``defection.checks.kinds``) only says how to compare an answer with the expected
value; looking the answer up, the not-answered / wrong / right separation, targeted
mistake messages and tiered hints live here once.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from collections.abc import Sequence
from typing import Any

from defection.checks.results import (
    _NOT_GIVEN,
    CORRECT,
    INCORRECT,
    NOT_ANSWERED,
    CheckResult,
    Feedback,
    _sentence,
    show,
)
from defection.checks.values import _Opaque, _type_name

#: Wrong values a question answers with direction and counts before it stops (see _guarded).
SEARCH_TRIES = 3


def _fingerprint(answer: Any) -> Any:
    """A key that is the same for the same answer given again (None: cannot tell)."""
    try:
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(answer, (pd.DataFrame, pd.Series)):
            digest = hashlib.sha1(pd.util.hash_pandas_object(answer, index=True).to_numpy())
            columns = tuple(map(str, getattr(answer, "columns", ())))
            return ("frame", columns, answer.shape, digest.hexdigest())
        return (type(answer).__name__, repr(answer))
    except Exception:
        return None


class Form(str):
    """A wrong answer's message about its form — a type, a shape, a column, an option that
    does not exist. It tells nothing about the expected value, so it is shown on every try
    and a kind's ``_compare`` returns it as ``Form("...")``."""

# --------------------------------------------------------------------------- Question


class Question:
    """One auto-checked question. Subclasses define :meth:`_compare`.

    Parameters
    ----------
    name:
        Short id used in notebooks and the gradebook: ``"q1"``.
    variable:
        The notebook variable holding the answer, e.g. ``"success_rate_with"``.
        The grader reads this variable from the executed submission.
    prompt:
        One-line summary of what is asked (shown in reports).
    expected:
        The right answer, or better a zero-argument callable computing it from the
        course's data and models; it is called once, the first time it is needed.
    hints:
        Tiered hints, gentlest first. Each ``hint()`` call shows the next one.
    solution:
        A worked solution as code text.
    points:
        Points for a correct answer.
    mistakes:
        Optional ``[(wrong_value_or_callable, message), ...]``: when an answer matches
        a known wrong answer, the check shows that targeted message.
    """

    kind = "question"
    #: False for kinds whose feedback cannot be steered into the answer (charts, written)
    _feedback_guard = True

    def __init__(
        self,
        name: str,
        variable: str | None,
        prompt: str = "",
        expected: Any = None,
        *,
        hints: Sequence[str] = (),
        solution: str = "",
        points: float = 1.0,
        mistakes: Sequence[tuple[Any, str]] = (),
        success: str = "Well done.",
    ) -> None:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"question name must be a short identifier like 'q1', got {name!r}")
        if variable is not None and (
            not isinstance(variable, str) or not variable.isidentifier()
        ):
            raise ValueError(f"{name}: variable must be a Python name, got {variable!r}")
        if isinstance(hints, str):
            hints = [hints]
        self.name = name
        self.variable = variable
        self.prompt = prompt
        self._expected_source = expected
        self._expected_cache: Any = _NOT_GIVEN
        self._hints = list(hints)
        self._solution = solution
        self.points = float(points)
        self._mistakes = list(mistakes)
        self.success = success
        self._hint_index = 0
        self._misses = 0
        self._wrong_seen: set[Any] = set()  # fingerprints of the wrong values counted
        self._tries = 0  # wrong values before the one being judged (see _judge)

    def __copy__(self) -> Question:
        """A copy shares the computed expected value but starts its own tries and hints."""
        twin = type(self).__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin._misses, twin._wrong_seen, twin._hint_index = 0, set(), 0
        return twin

    # ---- the answer side: private, reached through defection.checks.answers ------------
    def _expected_value(self) -> Any:
        """The expected value, computed once (for the grader, tests and authors)."""
        if self._expected_cache is _NOT_GIVEN:
            src = self._expected_source
            self._expected_cache = src() if callable(src) else src
        return self._expected_cache

    # ---- public API: all a student needs ------------------------------------------------
    def check(self, answer: Any = _NOT_GIVEN) -> CheckResult:
        """Check an answer and show the result; never raises. Without an argument, reads
        the question's variable from the calling notebook's namespace."""
        try:
            if answer is _NOT_GIVEN:
                answer = self._lookup(sys._getframe(1))
                if answer is _NOT_GIVEN:
                    return show(
                        self._result(
                            NOT_ANSWERED,
                            f"I could not find a variable called `{self.variable}`. Did you run "
                            "the cell that defines it, or rename it?",
                        )
                    )
            return show(self._guarded(answer))
        except Exception:  # pragma: no cover - _judge already guards
            return show(
                self._result(INCORRECT, f"could not check this answer: {_type_name(answer)}")
            )

    def evaluate(self, answer: Any) -> CheckResult:
        """The same as ``check(answer)``, tries counted: kept for code that calls it by this
        name. The grader's complete verdict is ``defection.checks.answers.judge``."""
        return self.check(answer)

    def hint(self) -> Feedback:
        """Show the next hint (the last one repeats)."""
        hints = self._hints
        if not hints:
            rubric = getattr(self, "rubric", "")
            if rubric:  # a written question without hints: say what a strong answer covers
                text = f"What your instructor looks for: {rubric}"
                return show(Feedback(self.name, "Hint", text))
            text = "No hint for this question: re-read the question."
            return show(Feedback(self.name, "Hint", text))
        i = min(self._hint_index, len(hints) - 1)
        self._hint_index = i + 1
        return show(Feedback(self.name, f"Hint {i + 1} of {len(hints)}", hints[i]))

    def solution(self) -> Feedback:
        """Show the worked solution."""
        body = self._solution or "No worked solution is provided for this question."
        return show(Feedback(self.name, "Solution", body, code=bool(self._solution)))

    # ---- judging -------------------------------------------------------------------------
    def _guarded(self, answer: Any) -> CheckResult:
        """Judge ``answer`` for a student: after a few wrong values, stop saying which way.

        Directions, counts and near-misses teach on the first tries; repeated, they let a
        student steer to the answer without doing the task (a bisection on "too high / too
        low", flipping cells until "differs in 0 rows"). So once a question has had
        :data:`SEARCH_TRIES` different wrong values (the same value again, as when the cell
        is run again for the next hint, is not a new try), a wrong value hears only that it
        is wrong, the slip it matches if it is a predicted one, and where the hints are.
        Messages about the answer's form (a type, a shape, an option that does not exist)
        always stay.
        """
        seen = _fingerprint(answer)
        again = seen is not None and seen in self._wrong_seen
        result, searchable = self._judge(answer, tries=self._misses - again)
        if result.status != INCORRECT or not searchable or not self._feedback_guard:
            return result
        if not again:  # running the cell again for the next hint is not a new try
            self._misses += 1
            if seen is not None:
                self._wrong_seen.add(seen)
        if self._misses <= SEARCH_TRIES:
            return result
        slip = self._mistake_message(answer)
        message = (
            f"not yet. After {SEARCH_TRIES} tries this check stops saying how far off or "
            "which way, so that guessing cannot stand in for working it out: go back over "
            f"each step of the task, or run {self.name}.hint() for the next hint."
        )
        return self._result(INCORRECT, f"{slip} {_sentence(message)}" if slip else message)

    def _judge(self, answer: Any, tries: int = 0) -> tuple[CheckResult, bool]:
        """The full verdict, and whether a wrong answer's message says something about the
        expected value (direction, count, nearness) rather than about the answer's form.
        ``tries`` is how many wrong values came before (0 for the grader's fresh look)."""
        self._tries = tries
        try:
            if answer is Ellipsis:
                return self._result(
                    NOT_ANSWERED, "Replace the ... placeholder with your answer, then run the cell."
                ), False
            if isinstance(answer, _Opaque) and answer._defection_type_name == "missing":
                return self._result(
                    NOT_ANSWERED,
                    f"the variable `{self.variable}` was not defined (renamed or deleted?)",
                ), False
            try:
                expected = self._expected_value()
            except Exception as exc:
                return self._result(
                    INCORRECT,
                    "could not check this answer: the expected value could not be computed "
                    f"({type(exc).__name__}) — please tell your instructor",
                ), False
            ok, message = self._compare(answer, expected)
            if ok:
                return self._result(CORRECT, self.success), False
            searchable = not isinstance(message, Form)
            targeted = self._mistake_message(answer)
            if targeted:
                message = f"{message} {targeted}".strip() if message else targeted
            message = message or "That is not the expected answer."
            return self._result(INCORRECT, message), searchable
        except Exception:
            message = f"could not check this answer: {_type_name(answer)}"
            return self._result(INCORRECT, message), False

    # ---- for subclasses --------------------------------------------------------
    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        raise NotImplementedError

    def _mistake_values(self) -> list[tuple[Any, str]]:
        """The predicted wrong answers, computed once (they come from the course's data
        and models, like the expected value, and some take a model run each)."""
        if getattr(self, "_mistake_cache", None) is None:
            values = []
            for wrong, message in self._mistakes:
                try:
                    values.append((wrong() if callable(wrong) else wrong, message))
                except Exception:
                    continue
            self._mistake_cache = values
        return self._mistake_cache

    def _matches_mistake(self, answer: Any, wrong: Any) -> bool:
        """Whether ``answer`` is the predicted wrong value (at the question's precision)."""
        return self._compare(answer, wrong)[0]

    def _mistake_message(self, answer: Any) -> str:
        """The message of the predicted mistake the answer matches; "" if none.

        Two predicted wrong numbers can both lie within the answer's tolerance (a share
        and a last-month count can both be near 0): then the nearer one names the slip.
        """
        matches: list[tuple[Any, str]] = []
        for value, message in self._mistake_values():
            try:
                if self._matches_mistake(answer, value):
                    matches.append((value, message))
            except Exception:
                continue
        if not matches:
            return ""
        try:
            return min(matches, key=lambda vm: abs(float(answer) - float(vm[0])))[1]
        except (TypeError, ValueError):
            return matches[0][1]

    def _result(self, status: str, message: str) -> CheckResult:
        earned = self.points if status == CORRECT else 0.0
        return CheckResult(self.name, status, earned, self.points, _sentence(message))

    def _lookup(self, frame: Any) -> Any:
        if self.variable is None:
            return _NOT_GIVEN
        names = frame.f_globals if frame is not None else {}
        return names.get(self.variable, _NOT_GIVEN)

    @property
    def auto(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {self.prompt or self.variable}>"

    def _repr_html_(self) -> str:
        return (
            f"<div><strong>{html.escape(self.name)}</strong> — {html.escape(self.prompt)} "
            f"<em>(use {html.escape(self.name)}.check(...), .hint(), .solution())</em></div>"
        )

