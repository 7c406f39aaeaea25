"""Every load-bearing number and date in the course must agree with some data row.

The cited-figure check (:mod:`.figures`) only reads sentences that cite a source; this one
reads every passage, cited or not, because a figure copied into a rubric, a guide or a key
point usually loses its citation on the way.

What counts as load-bearing (a fact a reader would quote), and so must be in a row:

* a number written with thousands separators (``2,389``), or in millions/billions
  (``10.5 million``);
* a percentage (``7%``, ``7 %``, ``7 per cent``);
* a count of people or places: a number followed by one of :data:`COUNTED` (``880
  soldiers``, ``67 townships``, ``339 seats``);
* a date written day-month-year (``4 January 2024``).

What is not, and is skipped (the allow-list, each with its reason):

* code: inline code, code cells, HTML comments — names and values of code;
* a year alone, a fiscal year (``2023-24``), section, task and list numbers;
* durations and points (``45 min``, ``4 pts``) — course logistics;
* percentages stated about the scenario model (a sentence naming a preset, a threshold,
  the model or a slider): :mod:`.model_figures` checks those against the model itself;
* the figures in :data:`ALLOWED` — computed by the course or about something outside the
  tables — each with the reason a reader cannot trace it to a row.

A number agrees with data when some fact row (any table but sources, claims and NAVCO)
states it; a date when some row carries or writes it.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .figures import NAMES, exempt, is_reference, is_year, lesson_number
from .text import (
    DATE, MODEL_WORDS, Problem, date_known, fact_rows, known_numbers, passages, row_dates,
    sentences, strip_citations, strip_code,
)

#: Nouns that make a number a count of people or places.
COUNTED = (
    "soldiers", "defectors", "troops", "police", "policemen", "officers", "townships", "seats",
    "prisoners", "people", "civilians", "deaths", "killed", "arrested", "detained", "members",
    "majors", "generals", "battalions", "villages", "surrenders", "conscripts", "recruits",
    "votes", "towns", "commands", "men", "personnel", "political prisoners", "companies",
)
_COUNT = re.compile(r"(?<![\w.,/-])(\d+(?:,\d{3})*)(?:\s+(?:more|other|new|armed|serving))?\s+("
                    + "|".join(COUNTED) + r")\b")
#: The first numbers of a list or range before a counted noun: "65 or 67 of 330 townships".
_COUNT_CHAIN = re.compile(r"(?<![\w.,/-])(\d+(?:,\d{3})*)(?=(?:\s*(?:or|to|and|–|-|of)\s*"
                          r"\d+(?:,\d{3})*)+\s+(?:" + "|".join(COUNTED) + r")\b)")
_BIG = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+)(?![\d])")
_MILLIONS = re.compile(r"(?<![\w.,/-])(\d+(?:\.\d+)?)\s+(million|billion)\b")
_PERCENT = re.compile(r"(?<![\w.,/-])(\d+(?:\.\d+)?)\s?(?:%|per ?cent\b)")
#: Figures that are not in any row, each with the reason: (value, why). Keep it short: every
#: entry is a number a reader cannot trace to a row.
ALLOWED: tuple[tuple[float, str], ...] = (
    (100.0, "100% is a whole, not a figure"),
    (50.0, "'half' written as 50%: the model's and NAVCO's thresholds"),
    (14000.0, "lesson 03's invented headline, a question about how to read any count"),
)
#: Facts the course cites from a source that has no table row for them yet: (lesson or
#: guide, value, source and why). Each is a debt, not a licence: a row for it in data/
#: lets the entry go (the test says so when an entry is no longer needed).
UNTABLED: tuple[tuple[str, float, str], ...] = (
    ("00", 93000.0, "deaths from all sides' political violence (Reuters 2026a citing a "
                    "conflict-data project): another counter's total, no row"),
    ("02", 94.0, "rise of the dollar, computed in the lesson from rows ec23 and ec24"),
    ("02", 2.5, "World Bank's expected contraction after the 2025 earthquake (Reuters 2025)"),
    ("04", 11.3, "ISP-Myanmar's share of lost northern Shan territory regained (BNI 2025b)"),
    ("00", 8.6e6, "the army's pre-coup claim of 8.6 million voter-list irregularities (AFP "
                  "2021b, 26 January 2021): before the tables' first day, 1 February 2021"),
    ("05", 1300.0, "computed in the lesson (dc rows' 667 plus five to ten a day to 31 October "
                   "2021) to show that two claimants' 2021 counts do not reconcile"),
    ("data/README.md", 50000.0, "other outlets' conscription targets, given beside the "
                                "60,000 of WION/AP 2024"),
)


def coverage_dates(root: str | Path) -> set[str]:
    """The coverage's first and last day: dates the data package states, not a row."""
    import json
    path = Path(root) / "data" / "datapackage.json"
    if not path.exists():
        return set()
    cov = json.loads(path.read_text(encoding="utf-8")).get("coverage", {})
    return {v for v in (cov.get("start"), cov.get("end")) if v}


def planning_date(where: str, day: str, month: str, year: str, root: str | Path) -> bool:
    """A date in the instructors' guide after the data end: a teaching calendar, not a fact.

    The guide's quick start dates its example calendar (a term starting after the course's
    coverage); nothing that happened can carry such a date, so it needs no row.
    """
    if not where.startswith("INSTRUCTORS.md"):
        return False
    end = max(coverage_dates(root), default="")
    try:
        when = datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:
        return False
    return bool(end) and when.isoformat() > end


def _skip_logistics(text: str) -> str:
    text = re.sub(r"\b(19|20)\d{2}[–-]\d{2,4}\b", " ", text)  # fiscal years and spans
    text = re.sub(r"[\d,]+[–-](?=[\d,]+\s?words)", " ", text)  # lengths of essays
    text = re.sub(r"\d+(?:[–-]\d+)?\s?"
                  r"(?:min(?:utes)?|hours?|h|seconds|s|pts|points|marks|words)\b",
                  " ", text)
    return re.sub(r"^#+ .*$|\b(?:Task|question|part|step|cell|section|item) \w+", " ", text,
                  flags=re.M | re.I)


def load_bearing(sentence: str) -> list[tuple[str, float]]:
    """The load-bearing numbers of a sentence (as written, value), not its dates."""
    if MODEL_WORDS.search(sentence) or is_reference(sentence) or \
            re.fullmatch(r"[\d.,]+\s?%?", sentence.strip("| ")):  # a table cell, e.g. a weight
        return []
    body = _skip_logistics(DATE.sub(" ", strip_citations(sentence)))
    found: dict[int, tuple[str, float]] = {}
    for m in _MILLIONS.finditer(body):
        found[m.start()] = (m.group(0), float(m.group(1)) * (1e6 if m.group(2) == "million"
                                                             else 1e9))
    for pattern in (_BIG, _COUNT, _COUNT_CHAIN):
        for m in pattern.finditer(body):
            raw = m.group(1)
            if m.start() not in found and not is_year(raw):
                found[m.start()] = (raw, float(raw.replace(",", "")))
    for m in _PERCENT.finditer(body):
        found.setdefault(m.start(), (m.group(0), float(m.group(1))))
    return [found[k] for k in sorted(found)]


def _agrees(value: float, written: str, known: set[float]) -> bool:
    if value in known:
        return True
    if "million" in written or "billion" in written:  # a row's 5.7 in billion_usd
        return float(written.split()[0]) in known
    return False


def untabled(where: str) -> set[float]:
    """The :data:`UNTABLED` figures allowed in this passage."""
    num = lesson_number(where)
    return {v for w, v, _ in UNTABLED if w == num or where.startswith(w + ":")}


def unbacked_problems(root: str | Path) -> list[Problem]:
    """Load-bearing numbers and dates, anywhere in the course, that no data row states."""
    rows = fact_rows(root)
    known = known_numbers(rows)
    percents = known | {round(v * 100, 1) for v in known if 0 < v < 1}
    dates = row_dates(rows) | coverage_dates(root)
    allowed = {v for v, _ in ALLOWED} | NAMES
    problems = []
    for passage in passages(root):
        skip = allowed | exempt(passage.where) | untabled(passage.where)
        for sentence in sentences(strip_code(passage.text)):
            for written, value in load_bearing(sentence):
                pool = percents if "%" in written or "cent" in written else known
                if value in skip or _agrees(value, written, pool):
                    continue
                problems.append(Problem(passage.where, f"{written} agrees with no data row: "
                                                       f"\"{sentence[:100]}\""))
            if is_reference(sentence):
                continue
            for d, m, y in DATE.findall(strip_citations(sentence)):
                if planning_date(passage.where, d, m, y, root):
                    continue
                if not date_known(d, m, y, dates):
                    problems.append(Problem(passage.where, f"{d} {m} {y} is the date of no "
                                                           f"data row: \"{sentence[:100]}\""))
    return problems
