"""Number questions: one number, at a stated precision."""

from __future__ import annotations

import math
from typing import Any

from defection.checks.question import Question
from defection.checks.values import _as_number, _rough_percent


class NumberQuestion(Question):
    """A single number, right within ``abs_tol`` or ``rel_tol`` (math.isclose rules)."""

    kind = "number"

    def __init__(self, *args: Any, abs_tol: float = 0.0, rel_tol: float = 1e-3, **kw: Any):
        super().__init__(*args, **kw)
        self.abs_tol = float(abs_tol)
        self.rel_tol = float(rel_tol)

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        exp = float(expected)
        value, problem = _as_number(answer)
        if problem:
            return False, problem + "."
        assert value is not None
        if math.isnan(value):
            return False, "your answer is NaN (not a number): check for missing values or 0/0."
        if math.isinf(value):
            return False, "your answer is infinite: check for a division by zero."
        if math.isclose(value, exp, rel_tol=self.rel_tol, abs_tol=self.abs_tol):
            return True, ""
        direction = "too high" if value > exp else "too low"
        if exp == 0:
            return False, f"Your answer is {direction}."
        ratio = value / exp
        if math.isclose(ratio, 100, rel_tol=0.02):
            return False, (
                "Your answer is about 100 times too large: did you give a percentage where "
                "a share between 0 and 1 is asked for?"
            )
        if math.isclose(ratio, 0.01, rel_tol=0.02):
            return False, (
                "Your answer is about 100 times too small: did you give a share where a "
                "percentage is asked for?"
            )
        if math.isclose(ratio, -1, rel_tol=self.rel_tol, abs_tol=1e-12):
            return False, "Your answer has the wrong sign."
        rel = (value - exp) / abs(exp)
        if abs(rel) < 0.02:
            return False, (
                f"Very close but {direction} (by {_rough_percent(rel)}): do not round "
                "intermediate results, and check you used the right rows."
            )
        return False, f"Your answer is {direction} by {_rough_percent(rel)}."

