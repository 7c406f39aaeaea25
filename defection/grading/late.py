"""The late policy ``grade merge`` applies: a share of a set's points per started day late.

Why a rule in code: INSTRUCTORS.md states one policy, and a penalty worked out by hand
for 300 students is where mistakes hide. The rule, in full:

* ``grace`` minutes after the due time cost nothing (default 15: an upload that starts at
  23:59 is not late);
* after that, every started day (24 hours) late costs ``per_day`` percent of that set's
  points, auto-checked and written alike (default 10);
* the penalty stops at ``cap`` percent (default 30), so late work always earns something.

Lateness is measured from the ``due`` and ``submitted_at`` columns the grader writes into
each gradebook. Both are read as the LMS shows them, with no time-zone conversion: give
``--due`` in the same local time as your LMS's submission times.

Written as ``--late-policy per_day=10,cap=30,grace=15`` or, in ``grading.toml``::

    [late_policy]
    per_day = 10   # percent of the set's points per started day late
    cap = 30       # percent, the most a late set can lose
    grace = 15     # minutes after the due time that cost nothing
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KEYS = ("per_day", "cap", "grace")


class LatePolicyError(ValueError):
    """A late policy that cannot be read; the message names where and what was expected."""


@dataclass(frozen=True)
class LatePolicy:
    per_day: float = 10.0
    cap: float = 30.0
    grace: float = 15.0

    def penalty(self, minutes_late: float) -> float:
        """The share of the set's points lost (0 to cap/100) for work this many minutes late."""
        if minutes_late <= self.grace:
            return 0.0
        days = math.ceil((minutes_late - self.grace) / (24 * 60))
        return min(self.cap, self.per_day * days) / 100

    def text(self) -> str:
        return (f"{self.per_day:g}% of the set's points per started day late after "
                f"{self.grace:g} min of grace, at most {self.cap:g}%")  # fmt: skip


def from_mapping(values: Mapping[str, Any], where: str) -> LatePolicy:
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise LatePolicyError(f"{where}: unknown setting(s) {', '.join(map(str, unknown))}; "
                              f"use {', '.join(KEYS)}")  # fmt: skip
    out: dict[str, float] = {}
    for key, value in values.items():
        try:
            number = float(str(value).strip().rstrip("%"))
        except ValueError:
            raise LatePolicyError(f"{where}, {key}: {value!r} is not a number") from None
        top = None if key == "grace" else 100
        if number < 0 or (top is not None and number > top):
            raise LatePolicyError(f"{where}, {key}: {number:g} is outside 0 to 100"
                                  if top else f"{where}, {key}: {number:g} is below 0")  # fmt: skip
        out[key] = number
    return LatePolicy(**out)


def parse(spec: str, where: str = "--late-policy") -> LatePolicy:
    """``per_day=10,cap=30,grace=15`` (any subset; the rest keep their defaults)."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in str(spec).split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise LatePolicyError(f"{where}: {part!r} needs the form name=number, "
                                  "e.g. per_day=10,cap=30,grace=15")  # fmt: skip
        values[key.strip()] = value
    return from_mapping(values, where)
