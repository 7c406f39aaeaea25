"""Catch drift between the course's prose and its own data.

A course whose numbers disagree from one cell to the next loses a seminar's trust, and the
disagreements creep in quietly: a row is corrected and the paragraph that quotes it is not,
a claim hedged in the timeline is restated as fact in a rubric, a model's output changes
and the lesson keeps the old figure. Every load-bearing fact is written once, in data, and
each module here checks one way its copies can drift from it:

* :mod:`.figures` — a number or day-month-year date in a sentence that cites a source must
  be in that source's rows;
* :mod:`.counts` — a load-bearing number or date *anywhere* (lessons, solutions, written
  answers and rubrics, README.md, INSTRUCTORS.md, data/README.md) must agree with some
  row; what is not load-bearing is an explicit, documented allow-list;
* :mod:`.claims` — a claim listed in ``data/claims.csv`` keeps its claimant or a hedge
  nearby wherever it is stated, and a claimed figure is never credited to another party;
* :mod:`.model_figures` — a model output quoted in prose is what the model returns;
* :mod:`.codings` — a coding category is glossed and counted as its one definition in
  ``data/datapackage.json`` says (see :mod:`defection.definitions`);
* :mod:`.coverage` — every statement of how current the course is agrees with the data
  package's ``coverage``, and no figure is current to a time after its own report;
* :mod:`.times` — each lesson's time agrees across README.md, the lesson and
  INSTRUCTORS.md.

What none of them can catch is said in :data:`LIMITS` (and in lesson 05's closing note).
Every function takes the project root, so the unit tests can feed it a deliberately
drifted copy.
"""

from __future__ import annotations

from pathlib import Path

from .claims import claim_problems, claimant_problems
from .codings import coding_problems
from .counts import ALLOWED, UNTABLED, unbacked_problems
from .coverage import coverage_problems
from .figures import COURSE_FIGURES, date_problems, figure_problems
from .model_figures import QUOTES, ModelQuote, model_problems
from .text import Problem, clear_cache
from .times import lesson_times, time_problems

__all__ = [
    "ALLOWED", "CHECKS", "COURSE_FIGURES", "LIMITS", "QUOTES", "UNTABLED", "ModelQuote",
    "Problem", "all_problems", "claim_problems", "claimant_problems", "clear_cache",
    "coding_problems", "coverage_problems", "date_problems", "figure_problems",
    "lesson_times", "model_problems", "time_problems", "unbacked_problems",
]

LIMITS = (
    "It reads numbers as written, so a right number in the wrong place passes when some row "
    "states it (only a cited sentence is held to its own source's rows); it skips small "
    "numbers in cited sentences (below 32) and, everywhere, numbers that are not "
    "load-bearing by its definition (a bare number with no counted noun, a year, a duration) "
    "and sentences about a model (checked only where defection/prose/model_figures.py registers "
    "the quote); it knows the hedges and claimants of the claims listed in "
    "data/claims.csv and of the count tables only, so an unlisted claim stated as fact, or a "
    "claimant named only in another sentence, passes; it cannot tell whether a paraphrase "
    "keeps the meaning, whether a hedge is the right one (reported versus claimed), whether "
    "a date is the date of the event or of the report, or whether a case's notes fit its "
    "coding: those need a reader."
)

#: Every check, by the name the test reports.
CHECKS = {
    "cited figures": figure_problems,
    "cited dates": date_problems,
    "unbacked numbers and dates": unbacked_problems,
    "claims stated as fact": claim_problems,
    "claimants": claimant_problems,
    "model figures": model_problems,
    "codings": coding_problems,
    "coverage": coverage_problems,
    "lesson times": time_problems,
}


def all_problems(root: str | Path) -> list[Problem]:
    """Every kind of drift, in one list (empty when the course agrees with itself)."""
    clear_cache()
    return [p for check in CHECKS.values() for p in check(root)]
