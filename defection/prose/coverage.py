"""One coverage date drives every "as of".

The course's span is written once, as ``coverage`` in ``data/datapackage.json``
(``defection.data.coverage()`` reads it; the widgets' ``COVERAGE`` is derived from it).
Every other statement of how current the course is must agree with it:

* a statement that the evidence, data or coverage *runs, ends or stops* at a month (or a
  day), "*as of <month>*" and "coverage <month> – <month>";
* a statement of the latest state of things: "still … in / as of <month>", "in power in
  <month>" — anchoring "still" anywhere but at the coverage's end dates the course twice;
* "the latest item found is dated <day>", which must be the latest date of any row;
* the data package's own date limits and descriptions: a date field's ``maximum`` and a
  table description's "to <day> <month> <year>".

Other "as of" dates (AAPP's count as of a day, say) are dates of figures, checked against
their rows by :mod:`.counts`, not statements about the course. But a figure cannot be
current to a time after its own report: :func:`later_than_source_problems` fails a row
whose text says "by late 2025" when the row is dated September 2025, and a sentence that
says so while citing only rows dated earlier (forecasts — "expects", "will" — excepted).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .text import (
    MONTH, MONTHS, Problem, fact_rows, passages, row_dates, row_id, sentences, strip_code,
)

_WHEN = r"(?:(?P<day>\d{1,2}) )?(?P<month>" + MONTH + r") (?P<year>\d{4})"
STATEMENTS = (
    re.compile(r"\b(?:evidence|data|tables|rows|course|coverage)\b[^.;]{0,40}?\b(?:runs?|ends?|"
               r"stops?|covers?|cover|goes)\b(?:\s+(?:from\s+)?[^.;]{0,40}?)?\s+"
               r"(?:to|in|at|until|through)\s+"
               r"\**" + _WHEN, re.I),
    re.compile(r"\bstill\b[^.;]{0,50}?\b(?:in|as of|by|at) \**" + _WHEN, re.I),
    re.compile(r"\bin power (?:in|as of|by|at) " + _WHEN, re.I),
    re.compile(r"\bmeans \*?as of " + _WHEN, re.I),
    re.compile(_WHEN + r",? where (?:this|the) course's evidence stops", re.I),
    re.compile(r"\bcoverage (?:" + MONTH + r") \d{4} ?[–-] ?" + _WHEN, re.I),
)
_LATEST = re.compile(r"latest (?:item|row|report|entry)[^.;]{0,30}?dated " + _WHEN, re.I)


def coverage_end(root: str | Path) -> dt.date:
    package = _package(root)
    return dt.date.fromisoformat(package["coverage"]["end"])


def _package(root: str | Path) -> dict:
    return json.loads((Path(root) / "data" / "datapackage.json").read_text(encoding="utf-8"))


def latest_row_date(root: str | Path) -> dt.date | None:
    """The latest date any fact row carries or writes ("reported 22 May 2026" in a row
    dated to its month counts as 22 May)."""
    found = [d for d in row_dates(fact_rows(root)) if not d.startswith("*")]
    return dt.date.fromisoformat(max(found)) if found else None


def _said(m: re.Match) -> tuple[str, dt.date | None, int, int]:
    month, year = MONTHS.index(m.group("month").capitalize()) + 1, int(m.group("year"))
    day = int(m.group("day")) if m.group("day") else None
    written = " ".join(g for g in (m.group("day"), m.group("month"), m.group("year")) if g)
    return written, (dt.date(year, month, day) if day else None), year, month


def coverage_problems(root: str | Path) -> list[Problem]:
    """Statements of the course's currency that differ from the data package's coverage."""
    package = _package(root)
    if "coverage" not in package:
        return [Problem("data/datapackage.json", "no coverage block (start and end dates)")]
    end = coverage_end(root)
    latest = latest_row_date(root)
    problems = []
    for passage in passages(root):
        for sentence in sentences(strip_code(passage.text)):
            wrong = {}
            for pattern in STATEMENTS:
                for m in pattern.finditer(sentence):
                    written, day, year, month = _said(m)
                    if (year, month) != (end.year, end.month) or (day and day != end):
                        wrong.setdefault(written, m.start())
            for written in sorted(wrong, key=wrong.get):
                problems.append(Problem(passage.where, f"says the course is current to "
                                        f"{written}; data/datapackage.json's coverage ends "
                                        f"{end:%-d %B %Y}: \"{sentence[:90]}\""))
            for m in _LATEST.finditer(sentence):
                written, day, _, _ = _said(m)
                if latest and day and day != latest:
                    problems.append(Problem(passage.where, f"says the latest item is dated "
                                            f"{written}; the latest row is dated "
                                            f"{latest:%-d %B %Y}"))
    return problems + _package_problems(package, end) + later_than_source_problems(root)


_BY = re.compile(r"\bby (?:(?P<part>late|the end of|end of|early|mid-?)\s*)?"
                 r"(?:(?P<month>" + MONTH + r") )?(?P<year>20\d\d)\b", re.I)
_FORECAST = re.compile(r"\b(?:expects?|expected|forecasts?|projects?|projected|will|would|"
                       r"could|target|plans?)\b", re.I)
_PART_STARTS = {"late": 10, "the end of": 12, "end of": 12, "early": 1, "mid": 5, "mid-": 5}


def _period_start(m: re.Match) -> dt.date:
    """The first day of the period "by <period>" names: late 2025 → 1 October 2025."""
    year = int(m.group("year"))
    if m.group("month"):
        return dt.date(year, MONTHS.index(m.group("month").capitalize()) + 1, 1)
    part = (m.group("part") or "").lower()
    return dt.date(year, _PART_STARTS.get(part, 1), 1)


def later_than_source_problems(root: str | Path) -> list[Problem]:
    """A figure said to be current to a period after its own row's (or source's) date."""
    from .figures import cited_sentences
    problems = []
    for row in fact_rows(root):
        stamp = row.get("date") or row.get("as_of") or ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp):
            continue
        for sentence in sentences(" ".join(row.get(c) or "" for c in
                                           ("title", "description", "notes"))):
            for m in _BY.finditer(sentence):
                if _period_start(m) > dt.date.fromisoformat(stamp) and \
                        not _FORECAST.search(sentence):
                    problems.append(Problem(f"data/{row['_table']}.csv {row_id(row)}",
                                            f"dated {stamp} but says \"{m.group(0)}\""))
    for passage, sentence, keys, rows in cited_sentences(root):
        stamps = [r.get("date") or r.get("as_of") or "" for r in rows]
        stamps = [s for s in stamps if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s)]
        if not stamps or _FORECAST.search(sentence):
            continue
        latest = dt.date.fromisoformat(max(stamps))
        for m in _BY.finditer(sentence):
            if _period_start(m) > latest:
                problems.append(Problem(passage.where, f"says \"{m.group(0)}\" citing "
                                        f"[@{'; @'.join(keys)}], whose rows end {latest}"))
    return problems


def _package_problems(package: dict, end: dt.date) -> list[Problem]:
    """Date limits and descriptions inside the data package itself."""
    problems = []
    stated = re.compile(r"\bto " + _WHEN)
    texts = [("description", package.get("description", ""))]
    for res in package.get("resources", []):
        texts.append((f"{res['name']} description", res.get("description", "")))
        for field in res.get("schema", {}).get("fields", []):
            top = field.get("constraints", {}).get("maximum")
            if field.get("type") == "date" and top and top != end.isoformat():
                problems.append(Problem(f"data/datapackage.json {res['name']}.{field['name']}",
                                        f"maximum {top} is not the coverage end {end}"))
    for where, text in texts:
        for m in stated.finditer(text):
            written, day, year, month = _said(m)
            if day and (year, month) == (end.year, end.month) and day != end:
                problems.append(Problem(f"data/datapackage.json {where}",
                                        f"says to {written}; coverage ends {end}"))
            elif (year, month) != (end.year, end.month) and year >= 2021:
                problems.append(Problem(f"data/datapackage.json {where}",
                                        f"says to {written}; coverage ends {end}"))
    return problems
