"""A figure or date in a sentence that cites a source must be in that source's rows.

The narrowest check and the surest: when a sentence says ``[@key]``, the rows of ``key``
are the only place its numbers may come from, so a right number from the wrong source
fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .text import (
    DATE, MODEL_WORDS, NUMBER, Passage, Problem, cited, date_known, known_numbers, passages,
    row_dates,
    rows_by_source, sentences, strip_citations, strip_code,
)

#: Figures the course computes itself or takes from a source with no table row, each with the
#: reason it is not checked against data: (lesson number, value, why). Keep it short; every
#: entry is a figure a reader cannot trace to a row.
COURSE_FIGURES = (
    ("01", 46, "Lee & McCarthy's second-hand '46 times', discussed as unverified (data/README.md)"),
    ("01", 389, "number of NAVCO campaigns: the row count of table campaigns"),
    ("01", 37, "NAVCO campaigns coded ongoing: computed from table campaigns"),
    ("01", 77, "NAVCO success rate with defection, computed in the lesson's own cell"),
    ("01", 750000, "Rohingya expelled in 2017 (Lee & McCarthy): before the tables' coverage"),
    ("02", 59, "September rise of the dollar, computed from rows ec23 and ec24"),
    ("02", 37, "September loss of the kyat, computed from rows ec23 and ec24"),
    ("04", 140, "81 relatives + 59 women from row dc031, computed in the lesson"),
    ("04", 1000, "the absorption model's default inflow, a model setting"),
    ("05", 46, "NAVCO success rate without defection, computed from table campaigns"),
    ("05", 1200, "the scenario model's surrender wave, a model setting"),
    ("06", 46, "Lee & McCarthy's second-hand '46 times', the figure the lab tries to reproduce"),
    ("06", 389, "number of NAVCO campaigns: the row count of table campaigns"),
    ("06", 95, "the conventional 95% level of a confidence interval, a convention not a fact"),
)
#: Numbers that are names, not figures (Operation 1027).
NAMES = {1027.0}


def lesson_number(where: str) -> str:
    """``"04"`` for a passage of lesson, solution or checks module 04; ``""`` otherwise."""
    m = re.search(r"(?:lessons|solutions)/(\d\d)_|lesson(\d\d)\.py", where)
    return (m.group(1) or m.group(2)) if m else ""


def exempt(where: str) -> set[float]:
    """The course-computed figures allowed in this passage's lesson."""
    num = lesson_number(where)
    return {float(v) for n, v, _ in COURSE_FIGURES if n == num}


def cited_sentences(root: str | Path, kinds=("lesson", "solution", "checks")
                    ) -> Iterator[tuple[Passage, str, list[str], list[dict[str, str]]]]:
    """(passage, sentence, cited keys, their rows) for every sentence citing a source with
    rows in the course's tables."""
    by_source = rows_by_source(root)
    for passage in passages(root):
        if passage.kind not in kinds:
            continue
        for sentence in sentences(strip_code(passage.text)):
            keys = [k for k in cited(sentence) if k in by_source]
            if keys:
                yield passage, sentence, keys, [r for k in keys for r in by_source[k]]


def _figures(sentence: str) -> str:
    """The sentence with what is not a figure blanked out: citations, dates, fiscal years,
    durations and article numbers."""
    body = DATE.sub(" ", strip_citations(sentence))
    body = re.sub(r"\b(19|20)\d{2}(–|-)\d{2,4}\b", " ", body)  # fiscal years
    body = re.sub(r"\d+(–\d+)? ?min(utes)?\b", " ", body)  # durations
    return re.sub(r"\b(Article|Section|articles?|sections?) \d+", " ", body)  # laws


def is_reference(sentence: str) -> bool:
    """An entry of a reference list (it carries a web address): titles and publication
    dates of works, not the course's own statements."""
    return "http://" in sentence or "https://" in sentence or "doi.org" in sentence


def is_year(raw: str) -> bool:
    value = float(raw.replace(",", ""))
    return 1900 <= value <= 2035 and "," not in raw and "." not in raw


def figure_problems(root: str | Path) -> list[Problem]:
    """Numbers in cited sentences that no row of the cited sources contains."""
    problems = []
    for passage, sentence, keys, rows in cited_sentences(root):
        if MODEL_WORDS.search(sentence):
            continue
        known = known_numbers(rows)
        allowed = exempt(passage.where) | NAMES
        for raw in NUMBER.findall(_figures(sentence)):
            value = float(raw.replace(",", ""))
            if value < 32 or is_year(raw) or value in allowed:
                continue
            if value not in known:
                problems.append(Problem(
                    passage.where,
                    f"{raw} is not in any data row of [@{'; @'.join(keys)}]: "
                    f"\"{sentence[:90]}...\""))
    return problems


def date_problems(root: str | Path) -> list[Problem]:
    """Day-month-year dates in cited sentences that no row of the cited sources carries."""
    problems = []
    for passage, sentence, keys, rows in cited_sentences(root):
        known = row_dates(rows)
        for d, m, y in DATE.findall(strip_citations(sentence)):
            if not date_known(d, m, y, known):
                problems.append(Problem(
                    passage.where,
                    f"{d} {m} {y} is not the date of any row of "
                    f"[@{'; @'.join(keys)}] nor written in one"))
    return problems
