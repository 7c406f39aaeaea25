"""Number questions: one number, at the precision the prompt states.

Two rules keep the feedback honest without giving the answer away:

* **Precision is stated and accepted exactly.** ``decimals=3`` means the prompt asks for
  three decimal places (more are fine): any answer within half a unit of the third
  decimal passes, the lesson's rounded figure included when it is given to that many
  places. ``decimals=0`` asks for a whole number. ``also=[...]`` lists other values a
  defensible reading of the task gives (e.g. counting both end days), each at the same
  precision.
* **Magnitude is never a number that can be inverted, nor a direction to bisect.** A
  first wrong value off by more than a factor of two hears which way ("more than ten
  times too large"), which names a slip (a count for a share, the wrong rows); nearer
  values and later tries hear neither way nor distance, only the slips the question
  predicts (a percentage for a share, the default settings, rounding too early). Never
  "by about 20%", from which ``answer / 1.2`` would recover the expected value. When the
  answer is one of a short list (``options=[...]``), the message says only whether the
  pick is in the list and what to re-examine (``recheck``): with a sorted list, even
  "too high" would give the answer away in one or two tries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from defection.checks.question import Form, Question
from defection.checks.values import _as_number


#: Wrong values that may still hear which way they are off (far off only); see _size_message.
FAR_DIRECTION_TRIES = 1


def _places(n: int) -> str:
    words = ("one", "two", "three", "four", "five", "six")
    spelled = words[n - 1] if n <= len(words) else str(n)
    return "one decimal place" if n == 1 else f"{spelled} decimal places"


def _spell(value: float) -> str:
    return f"{value:g}"


class NumberQuestion(Question):
    """A single number, right at the stated precision (or within ``abs_tol``/``rel_tol``,
    math.isclose rules, for authors who need that)."""

    kind = "number"

    def __init__(
        self,
        *args: Any,
        abs_tol: float = 0.0,
        rel_tol: float = 1e-3,
        decimals: int | None = None,
        options: Sequence[float] | None = None,
        recheck: str = "",
        also: Sequence[Any | Callable[[], Any]] = (),
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        if decimals is not None and (not isinstance(decimals, int) or decimals < 0):
            raise ValueError(f"{self.name}: decimals must be a whole number >= 0")
        self.decimals = decimals
        self.options = [float(o) for o in options] if options is not None else None
        self.recheck = recheck
        self._also = list(also)
        if decimals is not None:
            # half a unit of the last asked-for decimal, plus float noise
            self.abs_tol = 0.5 * 10.0 ** (-decimals) + 1e-9 * 10.0 ** (-decimals)
            self.rel_tol = 0.0
        elif self.options is not None:
            self.abs_tol, self.rel_tol = 1e-9, 1e-9
        else:
            self.abs_tol = float(abs_tol)
            self.rel_tol = float(rel_tol)
        if self.precision_text and self.precision_text not in self.prompt:
            self.prompt = f"{self.prompt} ({self.precision_text})".strip()

    @property
    def precision_text(self) -> str:
        """How the prompt states the precision (tests check the notebook says so)."""
        if self.options is not None:
            return "a number from the list"
        if self.decimals == 0:
            return "a whole number"
        if self.decimals is not None:
            return _places(self.decimals)
        return ""

    def _close(self, value: float, exp: float) -> bool:
        return math.isclose(value, exp, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def _accepted(self) -> list[float]:
        values = []
        for extra in self._also:
            try:
                values.append(float(extra() if callable(extra) else extra))
            except Exception:
                continue
        return values

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        exp = float(expected)
        value, problem = _as_number(answer)
        if problem:
            return False, Form(problem + ".")
        assert value is not None
        if math.isnan(value):
            return False, Form(
                "your answer is NaN (not a number): check for missing values or 0/0."
            )
        if math.isinf(value):
            return False, Form("your answer is infinite: check for a division by zero.")
        if self._close(value, exp) or any(self._close(value, v) for v in self._accepted()):
            return True, ""
        if self.options is not None:
            return False, Form(self._option_message(value))
        return False, self._size_message(value, exp)

    def _option_message(self, value: float) -> str:
        listed = ", ".join(_spell(o) for o in self.options or [])
        if not any(math.isclose(value, o, rel_tol=1e-9, abs_tol=1e-9) for o in self.options or []):
            return (
                f"your answer is not one of the options in the list ({listed}): give one of "
                "them exactly as it is written there."
            )
        again = self.recheck or "run the model for each option and read the condition again."
        return f"your pick is in the list, but it is not the option asked for: {again}"

    def _matches_mistake(self, answer: Any, wrong: Any) -> bool:
        """A predicted slip whose value rounds to zero at the asked precision is named only
        for an answer within 1% of it: otherwise every near-zero answer, whatever its cause,
        would be told it made that slip (05 q1 called any 0.000 "the default settings")."""
        value, problem = _as_number(answer)
        try:
            slip = float(wrong)
        except (TypeError, ValueError):
            return False
        if problem or value is None:
            return False
        if self.decimals is not None and abs(slip) < 0.5 * 10.0 ** (-self.decimals):
            return math.isclose(value, slip, rel_tol=0.01, abs_tol=0.0)
        return self._close(value, slip)

    def _rounded_early(self, value: float, exp: float) -> str:
        """Say so when the answer is the expected value rounded to fewer decimals than asked
        (0.00 where four decimals are asked reads as "far too low" otherwise)."""
        if not self.decimals:
            return ""
        if value == 0 and round(exp) == 0:
            return (
                f"Your answer is 0, and the task asks for {self.precision_text}: if you "
                "rounded, keep more decimals so a small number stays visible; if you did not, "
                "check which rows and which formula you used."
            )
        for places in range(1, self.decimals):
            if math.isclose(value, round(value, places), abs_tol=1e-12) and math.isclose(
                value, round(exp, places), abs_tol=1e-12
            ):
                shown = _places(places)
                return (
                    f"Your answer looks rounded to {shown}, and the task asks for "
                    f"{self.precision_text}: keep more decimals (round only at the very end)."
                )
        return ""

    def _size_message(self, value: float, exp: float) -> str:
        if exp == 0:
            return "That is not the expected answer: check each step."
        ratio = value / exp
        rounded = self._rounded_early(value, exp)
        if rounded:
            return rounded
        if math.isclose(ratio, 100, rel_tol=0.02):
            if 0 <= exp <= 1:
                return (
                    "Your answer is about 100 times too large: did you give a percentage where "
                    "a share between 0 and 1 is asked for?"
                )
            return (
                "Your answer is about 100 times too large: did you multiply by 100? The task "
                "asks for the plain number, not a percentage."
            )
        if math.isclose(ratio, 0.01, rel_tol=0.02):
            return (
                "Your answer is about 100 times too small: did you give a share where a "
                "percentage is asked for?"
            )
        if ratio < 0:
            return "Your answer has the wrong sign: check the order of a subtraction."
        # Only a first wrong value far from the answer hears which way: "more than ten
        # times too large" names a slip (a count for a share, the wrong rows). Anything
        # nearer, or any later try, hears neither way nor distance: each would be a
        # bisection step, and so near the answer neither teaches anything.
        wanted = f" (the task asks for {self.precision_text})" if self.decimals else ""
        generic = (
            "Not right: check each step and which rows you used, and do not round before "
            f"the last step{wanted}."
        )
        if self._tries >= FAR_DIRECTION_TRIES or 0.5 <= ratio <= 2:
            return generic
        if value > exp:
            size = "more than ten times too large" if ratio > 10 else "more than twice too large"
        else:
            size = "less than a tenth of the expected size" if ratio < 0.1 else (
                "less than half the expected size"
            )
        return f"Your answer is {size}: check which rows and which formula you used."
