"""Catch drift between the course's prose and its own data.

A course whose numbers disagree from one cell to the next loses a seminar's trust, and the
disagreements creep in quietly: a row is corrected and the paragraph that quotes it is not,
a lesson grows by five minutes in one file but not in the other two, a claim hedged in the
timeline is restated as fact in a lesson's key points. This module finds the common kinds,
so that a test can fail on them:

* :func:`figure_problems` — a number in a sentence that cites a source (``[@key]``) must
  appear in some data row of that source (its values, or its description and notes);
* :func:`date_problems` — a day-month-year date in such a sentence must be the date of one
  of that source's rows, or be written in one of them;
* :func:`time_problems` — each lesson's time must agree across README.md's course map, the
  lesson's "Estimated time:" line and INSTRUCTORS.md's time table;
* :func:`claim_problems` — a row listed in ``data/claims.csv`` (a party's claim the course
  does not treat as fact) must not be restated without its claimant, or a hedge such as
  "says" or "reported", in any lesson's key points, nor in the row's own text.

What it cannot catch is said in :data:`LIMITS` (and in lesson 05's closing note).
Every function takes the project root, so the unit tests can feed it a deliberately
drifted copy.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Problem", "LIMITS", "all_problems", "claim_problems", "date_problems",
    "figure_problems", "lesson_times", "time_problems",
]

LIMITS = (
    "It checks numbers and dates only in sentences that cite a source with data rows, so an "
    "uncited figure, or one from a source with no table row, is not compared with anything; "
    "it accepts a number found anywhere in the cited source's rows, so a right number in the "
    "wrong place passes; it skips small numbers (below 32) because they are usually days or "
    "counts of things; it cannot tell whether a paraphrase keeps the meaning; and the claim "
    "check knows only the claims listed in data/claims.csv and only looks at key points, so a "
    "claimant is checked for those claims only, not for every figure."
)

MONTHS = ("January February March April May June July August September October November "
          "December").split()
HEDGES = (
    "claim", "says", "said", "say ", "according", "reported", "reportedly", "unconfirmed",
    "unverified", "alleged", "denied", "'s count", "’s count", "'s account", "’s account",
)
#: Words the data's rows use for a hedge in their own text.
ROW_HEDGES = HEDGES + ("reports", "claims", "would be")

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
)
#: Numbers that are names, not figures (Operation 1027).
NAMES = {1027.0}

#: A citation as the notebooks write it, ``([Kyed 2024](#ref-kyed_2024); ...)``, or a raw
#: key group ``[@kyed_2024]`` (as in the Python-held model answers).
_LINK = r"\[[^\[\]]+\]\(#ref-[a-z][a-z0-9_]*\)"
_CITE = re.compile(r"\[@[^\]]+\]|\(\s*" + _LINK + r"(?:\s*;\s*" + _LINK + r")*\s*\)")
_KEY = re.compile(r"@([a-z0-9_]+)|\(#ref-([a-z][a-z0-9_]*)\)")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/])")
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


@dataclass(frozen=True)
class Problem:
    """One drift found: where it is and what does not match."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# --------------------------------------------------------------------------- reading

def _markdown_cells(nb_path: Path) -> list[tuple[str, str]]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [(c.get("id", str(i)), "".join(c["source"]))
            for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def _lessons(root: Path) -> list[Path]:
    return sorted((root / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _rows(root: Path) -> dict[str, list[dict[str, str]]]:
    """Every data row (all tables but sources and claims), grouped by source_id."""
    by_source: dict[str, list[dict[str, str]]] = {}
    for path in sorted((root / "data").glob("*.csv")):
        if path.stem in ("sources", "claims", "campaigns"):
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                row = dict(row, _table=path.stem)
                by_source.setdefault(row.get("source_id", ""), []).append(row)
    return by_source


def _numbers(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in _NUMBER.findall(text)}


def _sentences(text: str) -> list[str]:
    """Split prose into sentences and list items, keeping each citation with its sentence."""
    text = re.sub(r"\s*\n\s*", " ", text.replace("\n- ", "\n\n- "))
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"])|\s(?=- )", text)
    return [p.strip() for p in parts if p.strip()]


def _cited(sentence: str) -> list[str]:
    keys: list[str] = []
    for block in _CITE.findall(sentence):
        keys += [old or new for old, new in _KEY.findall(block)]
    return keys


def _strip_citations(sentence: str) -> str:
    return _CITE.sub(" ", sentence)


def _known_numbers(rows: list[dict[str, str]]) -> set[float]:
    known: set[float] = set()
    for row in rows:
        for col, value in row.items():
            if col.startswith("_") or col.endswith("_id") or not value:
                continue
            known |= _numbers(value)
    return known


def _row_dates(rows: list[dict[str, str]]) -> set[str]:
    dates: set[str] = set()
    for row in rows:
        for col, value in row.items():
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
                dates.add(value)
            for d, m, y in _DATE.findall(value or ""):
                dates.add(f"{y}-{MONTHS.index(m) + 1:02d}-{int(d):02d}")
            for d, m in re.findall(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b", value or ""):
                dates.add(f"*-{MONTHS.index(m) + 1:02d}-{int(d):02d}")
    return dates


# --------------------------------------------------------------------------- checks

def _cited_sentences(root: str | Path):
    """(notebook, cell id, sentence, cited keys, their data rows) for every lesson sentence
    that cites a source with rows in the course's tables: what the drift checks read."""
    root = Path(root)
    by_source = _rows(root)
    for nb in _lessons(root):
        for cell_id, text in _markdown_cells(nb):
            for sentence in _sentences(text):
                keys = [k for k in _cited(sentence) if k in by_source]
                if keys:
                    yield nb, cell_id, sentence, keys, [r for k in keys for r in by_source[k]]


def figure_problems(root: str | Path) -> list[Problem]:
    """Numbers in cited sentences that no row of the cited sources contains."""
    problems = []
    for nb, cell_id, sentence, keys, rows in _cited_sentences(root):
        known = _known_numbers(rows)
        body = _DATE.sub(" ", _strip_citations(sentence))
        body = re.sub(r"\b(19|20)\d{2}(–|-)\d{2,4}\b", " ", body)  # fiscal years
        body = re.sub(r"\d+(–\d+)? ?min(utes)?\b", " ", body)  # durations
        body = re.sub(r"\b(Article|Section|articles?|sections?) \d+", " ", body)  # laws
        exempt = {float(v) for n, v, _ in COURSE_FIGURES if nb.name.startswith(n)}
        for raw in _NUMBER.findall(body):
            value = float(raw.replace(",", ""))
            if value < 32 or (1900 <= value <= 2035 and "," not in raw and "." not in raw):
                continue
            if value in NAMES or value in exempt:
                continue
            if value not in known:
                problems.append(Problem(
                    f"{nb.name} cell {cell_id}",
                    f"{raw} is not in any data row of [@{'; @'.join(keys)}]: "
                    f"\"{sentence[:90]}...\""))
    return problems


def date_problems(root: str | Path) -> list[Problem]:
    """Day-month-year dates in cited sentences that no row of the cited sources carries."""
    problems = []
    for nb, cell_id, sentence, keys, rows in _cited_sentences(root):
        known = _row_dates(rows)
        for d, m, y in _DATE.findall(_strip_citations(sentence)):
            iso = f"{y}-{MONTHS.index(m) + 1:02d}-{int(d):02d}"
            if iso not in known and "*" + iso[4:] not in known:
                problems.append(Problem(
                    f"{nb.name} cell {cell_id}",
                    f"{d} {m} {y} is not the date of any row of "
                    f"[@{'; @'.join(keys)}] nor written in one"))
    return problems


def lesson_times(root: str | Path) -> dict[str, dict[str, int | None]]:
    """Each lesson's time in minutes, as README.md, the lesson and INSTRUCTORS.md state it."""
    root = Path(root)
    times: dict[str, dict[str, int | None]] = {}
    for nb in _lessons(root):
        first = _markdown_cells(nb)[0][1]
        m = re.search(r"Estimated time:\s*(\d+)\s*min", first)
        times[nb.name[:2]] = {"lesson": int(m.group(1)) if m else None,
                              "README.md": None, "INSTRUCTORS.md": None}
    readme = (root / "README.md").read_text(encoding="utf-8")
    for num, minutes in re.findall(r"^\|\s*(\d\d)\s*\|\s*\[[^\]]*\]\(lessons/[^)]*\)[^\n]*?\|\s*(\d+)\s*min\s*\|\s*$",
                                   readme, re.M):
        times.setdefault(num, {"lesson": None, "README.md": None, "INSTRUCTORS.md": None})
        times[num]["README.md"] = int(minutes)
    guide = (root / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for num, minutes in re.findall(r"^\|\s*(\d\d) [^|]+\|\s*~?(\d+)\s*min", guide, re.M):
        if num in times and times[num]["INSTRUCTORS.md"] is None:
            times[num]["INSTRUCTORS.md"] = int(minutes)
    return times


def time_problems(root: str | Path) -> list[Problem]:
    """Lessons whose time is missing somewhere or differs between the three places."""
    problems = []
    for num, where in sorted(lesson_times(root).items()):
        missing = [k for k, v in where.items() if v is None]
        if missing:
            problems.append(Problem(f"lesson {num}", f"no time found in {', '.join(missing)}"))
        elif len(set(where.values())) > 1:
            said = ", ".join(f"{k} {v} min" for k, v in where.items())
            problems.append(Problem(f"lesson {num}", f"times disagree: {said}"))
    return problems


def _claims(root: Path) -> list[dict[str, str]]:
    path = root / "data" / "claims.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key_points(text: str) -> str | None:
    m = re.search(r"^## Key points\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else None


def _hedged(sentence: str, claimants: list[str], hedges=HEDGES) -> bool:
    low = sentence.lower()
    return any(c.lower() in low for c in claimants) or any(h in low for h in hedges)


def claim_problems(root: str | Path) -> list[Problem]:
    """Listed claims restated as fact in key points, or unhedged in their own data row."""
    root = Path(root)
    claims = _claims(root)
    problems = []
    rows = {(r["_table"], next(iter(r.values()))): r for rs in _rows(root).values() for r in rs}
    for claim in claims:
        claimants = [c.strip() for c in claim["claimant"].split(";") if c.strip()]
        row = rows.get((claim["table"], claim["row_id"]))
        if row is None:
            problems.append(Problem(f"data/claims.csv {claim['claim_id']}",
                                    f"no row {claim['row_id']} in {claim['table']}"))
        else:
            own = " ".join(row.get(c, "") for c in ("title", "description", "notes", "claimant",
                                                   "verification"))
            if not _hedged(own, claimants, ROW_HEDGES):
                problems.append(Problem(f"data/{claim['table']}.csv {claim['row_id']}",
                                        f"states {claim['claimant'].split(';')[0]}'s claim "
                                        f"without naming the claimant or hedging"))
        for nb in _lessons(root):
            for cell_id, text in _markdown_cells(nb):
                points = _key_points(text)
                if points is None:
                    continue
                for sentence in _sentences(points):
                    if claim["phrase"].lower() in sentence.lower() and not _hedged(sentence, claimants):
                        problems.append(Problem(
                            f"{nb.name} key points",
                            f"restates \"{claim['phrase']}\" ({claim['claim_id']}, a claim by "
                            f"{claimants[0]}) as fact: \"{sentence[:90]}...\""))
    return problems


def all_problems(root: str | Path) -> list[Problem]:
    """Every kind of drift, in one list (empty when the course agrees with itself)."""
    return (figure_problems(root) + date_problems(root) + time_problems(root)
            + claim_problems(root))
