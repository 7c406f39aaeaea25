"""Written questions: free text recorded for the instructor, never auto-graded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from defection.checks.question import Question
from defection.checks.results import (
    _NOT_GIVEN,
    NOT_ANSWERED,
    PLACEHOLDER_TEXT,
    RECORDED,
    CheckResult,
    Feedback,
    _sentence,
    show,
)
from defection.checks.values import _norm_text, _type_name, written_text

_PLACEHOLDER_WORDS = {
    "",
    "...",
    "…",
    _norm_text(PLACEHOLDER_TEXT),
    "write your answer here.",
    "write your answer here",
    "your answer here",
    "todo",
}


class WrittenQuestion(Question):
    """Free text read and graded by the instructor with the rubric; never auto-graded.

    ``check(text)`` says "recorded for your instructor" when the text has at least
    ``min_words`` words and "not answered yet" when it is blank or the placeholder.
    """

    kind = "written"
    _feedback_guard = False

    def __init__(
        self,
        name: str,
        prompt: str = "",
        *,
        rubric: str = "",
        model_answer: str = "",
        hints: Sequence[str] = (),
        points: float = 1.0,
        min_words: int = 15,
    ) -> None:
        super().__init__(name, None, prompt, None, hints=hints, solution=model_answer, points=points)
        self.rubric = rubric
        self._model_answer = model_answer
        self.min_words = int(min_words)

    @property
    def auto(self) -> bool:
        return False

    def check(self, answer: Any = _NOT_GIVEN) -> CheckResult:
        if answer is _NOT_GIVEN:
            return show(self._result(
                NOT_ANSWERED,
                f"write your answer in the markdown cell that starts with "
                f"**Your answer ({self.name}):** — your instructor reads it.",
            ))
        return show(self._judge(answer)[0])

    def _judge(self, answer: Any, tries: int = 0) -> tuple[CheckResult, bool]:
        return self._verdict(answer), False

    def _verdict(self, answer: Any) -> CheckResult:
        try:
            if answer is None or answer is Ellipsis:
                return self._result(NOT_ANSWERED, "not answered yet.")
            if isinstance(answer, bytes):
                answer = answer.decode("utf-8", errors="replace")
            if not isinstance(answer, str):
                return self._result(
                    NOT_ANSWERED, f"could not check this answer: {_type_name(answer)} (expected text)."
                )
            text = written_text(answer)
            if _norm_text(text) in _PLACEHOLDER_WORDS:
                return self._result(NOT_ANSWERED, "not answered yet.")
            words = len(re.findall(r"\w+", text))
            if words < self.min_words:
                return self._result(
                    NOT_ANSWERED,
                    f"your answer has {words} word(s); write at least {self.min_words} so your "
                    "instructor has something to read.",
                )
            # nothing is stored by this call: what counts is the answer cell handed in
            return self._result(
                RECORDED,
                f"{words} words. This check keeps no copy: your "
                "instructor reads the answer cell in the notebook you submit and grades it "
                "by hand.",
            )
        except Exception:
            return self._result(NOT_ANSWERED, f"could not check this answer: {_type_name(answer)}")

    def _result(self, status: str, message: str) -> CheckResult:
        return CheckResult(self.name, status, 0.0, self.points, _sentence(message))

    def solution(self) -> Feedback:
        body = self._model_answer or "There is no single right answer; see the rubric."
        if self.rubric:
            body += f"\n\nRubric: {self.rubric}"
        return show(Feedback(self.name, "One possible answer", body))

