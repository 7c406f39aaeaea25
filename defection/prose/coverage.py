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
their rows by :mod:`.counts`, not statements about the course.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .text import MONTH, MONTHS, Problem, fact_rows, passages, row_dates, sentences, strip_code

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
    return problems + _package_problems(package, end)


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
