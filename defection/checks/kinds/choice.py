"""Choice questions: pick one option by its key or its label."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from defection.checks.question import Form, Question
from defection.checks.results import _NOT_GIVEN
from defection.checks.values import _describe, _norm_item, _short_repr


class ChoiceQuestion(Question):
    """Pick one option. ``options`` is a list of strings/numbers or a dict key -> label;
    the student may answer with the key or the label (case and spaces ignored)."""

    kind = "choice"

    def __init__(
        self,
        *args: Any,
        options: Sequence[Any] | Mapping[Any, str] = (),
        feedback: Mapping[Any, str] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        if isinstance(options, Mapping):
            self.options = {k: v for k, v in options.items()}
        else:
            self.options = {o: o for o in options}
        if not self.options:
            raise ValueError(f"{self.name}: a choice question needs options")
        self._feedback = dict(feedback or {})

    def _key_for(self, answer: Any) -> Any:
        want = _norm_item(answer)
        for key, label in self.options.items():
            if _norm_item(key) == want or _norm_item(label) == want:
                return key
        return _NOT_GIVEN

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        if isinstance(answer, (list, tuple, set, frozenset, dict)):
            return False, Form(f"give one option, not {_describe(answer)}.")
        if not isinstance(answer, (str, int, float)) or isinstance(answer, bool):
            return False, Form(f"expected one of the options as text, got {_describe(answer)}.")
        key = self._key_for(answer)
        if key is _NOT_GIVEN:
            opts = ", ".join(repr(k) for k in self.options)
            return False, Form(f"{_short_repr(answer)} is not one of the options: {opts}.")
        exp_key = self._key_for(expected)
        if key == exp_key:
            return True, ""
        extra = self._feedback.get(key, "")
        # naming why a wrong option is wrong teaches, and steers nowhere but the other options
        return False, Form(("That is not the best choice. " + extra).strip())

