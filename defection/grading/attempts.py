"""Resubmissions: number each student's attempts at a set, and count exactly one.

Why one module: the gradebook, the Canvas and Moodle imports and ``grade merge`` must all
count the same attempt, or a resubmitter's grade depends on which file the instructor
uploads. The policy is one word, the same everywhere:

* ``latest`` (the default): the last attempt counts, as in the LMS itself (Canvas and
  Moodle show the newest submission);
* ``best``: the highest-scoring attempt counts (a tie goes to the later one).

Attempts of one student at one set are put in order by what the export says, most
trusted first: the LMS's own attempt number (Canvas's ``-1``, ``-2`` before the
extension), the submission time (Blackboard's ``attempt_<time>``, or the roster's
``submitted_at``), then the file's time in the archive or folder, then the file name.
Every attempt keeps its row, numbered 1, 2, ...; the ones not counted say so in the
``counted`` column and the notes, and the class summary lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

POLICIES = ("latest", "best")
DEFAULT_POLICY = "latest"

T = TypeVar("T")


class AttemptsError(ValueError):
    """An unknown attempts policy."""


def check_policy(policy: str, where: str = "--attempts") -> str:
    policy = str(policy).strip().lower()
    if policy not in POLICIES:
        raise AttemptsError(f"{where}: {policy!r} is not a policy; use latest or best")
    return policy


@dataclass(frozen=True)
class Order:
    """What a file's name and times say about when it was sent (missing parts sort first)."""

    lms_attempt: int = 0
    submitted_at: datetime | None = None
    file_time: datetime | None = None
    name: str = ""

    def key(self) -> tuple:
        return (self.lms_attempt, self.submitted_at or datetime.min,
                self.file_time or datetime.min, self.name)  # fmt: skip


def pick(items: Sequence[T], order: Callable[[T], tuple], score: Callable[[T], float],
         policy: str = DEFAULT_POLICY) -> tuple[list[T], T]:  # fmt: skip
    """``items`` in attempt order and the one that counts under ``policy``."""
    policy = check_policy(policy)
    ranked = sorted(items, key=order)
    if policy == "latest":
        return ranked, ranked[-1]
    best = ranked[0]
    for item in ranked[1:]:
        if score(item) >= score(best):  # ties go to the later attempt
            best = item
    return ranked, best


def describe(policy: str) -> str:
    return ("the latest attempt counts" if policy == "latest"
            else "the highest-scoring attempt counts (a tie: the later one)")  # fmt: skip
