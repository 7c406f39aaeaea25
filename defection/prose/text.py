"""Read the course as the drift checks see it: passages of prose, and the data rows.

Every check works on the same two things, so they are read here once: the *passages* a
student or instructor reads (markdown cells of lessons and solutions, the written answers,
rubrics and hints held in ``defection/checks/lessonNN.py``, README.md, INSTRUCTORS.md and
data/README.md), each with a place a maintainer can find; and the data rows, grouped by
source. The exercises are not read: they are generated from the solutions, and a test
(``defection.exercises --check``) keeps them in step, so reading both would report every
finding twice.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MONTHS = ("January February March April May June July August September October November "
          "December").split()
MONTH = "|".join(MONTHS)

#: A citation as the notebooks write it, ``([Kyed 2024](#ref-kyed_2024); ...)``, or a raw
#: key group ``[@kyed_2024]`` (as in the Python-held model answers).
_LINK = r"\[[^\[\]]+\]\(#ref-[a-z][a-z0-9_]*\)"
CITE = re.compile(r"\[@[^\]]+\]|\(\s*" + _LINK + r"(?:\s*;\s*" + _LINK + r")*\s*\)")
_KEY = re.compile(r"@([a-z0-9_]+)|\(#ref-([a-z][a-z0-9_]*)\)")
NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/])")
DATE = re.compile(r"\b(\d{1,2}) (" + MONTH + r") (\d{4})\b")
#: Words of a sentence about one of the course's models rather than the record: its
#: numbers are settings or outputs, checked against the model (``.model_figures``).
MODEL_WORDS = re.compile(r"preset|capacities|threshold|the model|model's|slider|scenario"
                         r"|(?:spoils|cascade|calculus|absorption|threshold|scenario) model"
                         r"|in the explorer|verdict|softliner|cascade|capacity|funding"
                         r"|confidence interval|95% confidence|run the|runs? of", re.I)
#: Tables that hold no dated facts about Myanmar (the NAVCO copy is checked by its own test).
NOT_FACT_TABLES = ("sources", "claims", "campaigns")


@dataclass(frozen=True)
class Problem:
    """One drift found: where it is and what does not match."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Passage:
    """A piece of prose a reader meets: ``where`` names it (file and cell, or file and
    line); ``kind`` is lesson, solution, checks or guide."""

    where: str
    kind: str
    text: str


# --------------------------------------------------------------------------- passages

def markdown_cells(nb_path: Path) -> list[tuple[str, str]]:
    """(cell id, text) for every markdown cell of a notebook."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [(c.get("id", str(i)), "".join(c["source"]))
            for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def lessons(root: Path) -> list[Path]:
    return sorted((Path(root) / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _check_strings(path: Path) -> Iterator[tuple[int, str]]:
    """Long string literals of a checks module (prompts, rubrics, model answers, hints),
    implicit concatenations joined, with their line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 60:
            yield node.lineno, node.value


def _markdown_file(root: Path, name: str, kind: str) -> Iterator[Passage]:
    """A markdown file in paragraphs and top-level list items, each named by its first
    line number."""
    path = root / name
    if not path.exists():
        return
    line = 1
    for block in re.split(r"(\n\s*\n|\n(?=- |\| |> ))", path.read_text(encoding="utf-8")):
        if block.strip():
            yield Passage(f"{name}:{line}", kind, block)
        line += block.count("\n")


def passages(root: str | Path) -> list[Passage]:
    """Every passage of prose in the course, in a stable order."""
    return list(_passages(str(Path(root))))


@lru_cache(maxsize=8)
def _passages(root_key: str) -> tuple[Passage, ...]:
    root = Path(root_key)
    out: list[Passage] = []
    for folder, kind in (("lessons", "lesson"), ("solutions", "solution")):
        for nb in sorted((root / folder).glob("[0-9][0-9]_*.ipynb")):
            out += [Passage(f"{folder}/{nb.name} cell {cid}", kind, text)
                    for cid, text in markdown_cells(nb)]
    for path in sorted((root / "defection" / "checks").glob("lesson[0-9][0-9].py")):
        rel = path.relative_to(root).as_posix()
        out += [Passage(f"{rel}:{line}", "checks", text) for line, text in _check_strings(path)]
    for name in ("README.md", "INSTRUCTORS.md", "data/README.md"):
        out += list(_markdown_file(root, name, "guide"))
    return tuple(out)


def clear_cache() -> None:
    """Forget what was read (a test that edits a course in place calls this)."""
    _passages.cache_clear()
    _fact_rows.cache_clear()


# --------------------------------------------------------------------------- sentences

def sentences(text: str) -> list[str]:
    """Split prose into sentences and list items, keeping each citation with its sentence."""
    text = re.sub(r"\s*\n\s*", " ", text.replace("\n- ", "\n\n- "))
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"])|\s(?=- )|\s(?=\d+\. [A-Z])|\s\|\s", text)
    return [p.strip() for p in parts if p.strip()]


def cited(sentence: str) -> list[str]:
    """The source keys a sentence cites, in order."""
    keys: list[str] = []
    for block in CITE.findall(sentence):
        keys += [old or new for old, new in _KEY.findall(block)]
    return keys


def strip_citations(sentence: str) -> str:
    return CITE.sub(" ", sentence)


def strip_code(text: str) -> str:
    """Drop what is not the course's own statement: inline code and HTML comments (names
    and values of code) and reference-list entries (titles and dates of the works cited,
    recognised by their web address or their ``ref-`` anchor)."""
    text = re.sub(r"`[^`]*`|<!--.*?-->", " ", text, flags=re.S)
    item = r"(?:(?!\n- |\n\s*\n).)*"
    return re.sub(r"^- " + item + r"?(?:https?://|id=\"ref-|doi\.org)" + item, " ", text,
                  flags=re.M | re.S)


def numbers(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in NUMBER.findall(text)}


def iso(day: str, month: str, year: str) -> str:
    return f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"


# --------------------------------------------------------------------------- data rows

def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fact_rows(root: str | Path) -> list[dict[str, str]]:
    """Every row of every fact table (not sources, claims or NAVCO), tagged ``_table``."""
    return [dict(r) for r in _fact_rows(str(Path(root)))]


@lru_cache(maxsize=8)
def _fact_rows(root_key: str) -> tuple[dict[str, str], ...]:
    rows = []
    for path in sorted((Path(root_key) / "data").glob("*.csv")):
        if path.stem not in NOT_FACT_TABLES:
            rows += [dict(r, _table=path.stem) for r in read_csv(path)]
    return tuple(rows)


def rows_by_source(root: str | Path) -> dict[str, list[dict[str, str]]]:
    """Every fact row, grouped by its ``source_id``."""
    by_source: dict[str, list[dict[str, str]]] = {}
    for row in fact_rows(root):
        by_source.setdefault(row.get("source_id", ""), []).append(row)
    return by_source


def row_id(row: dict[str, str]) -> str:
    """The row's key: its first column."""
    return next(iter(row.values()))


def known_numbers(rows: list[dict[str, str]]) -> set[float]:
    """Every number a row states, in its values, title, description or notes."""
    known: set[float] = set()
    for row in rows:
        for col, value in row.items():
            if col.startswith("_") or col.endswith("_id") or not value:
                continue
            known |= numbers(value)
            known |= {float(a) * 1e6 for a in re.findall(r"(\d+(?:\.\d+)?) million", value)}
    return known


def row_dates(rows: list[dict[str, str]]) -> set[str]:
    """Every date a row carries or writes, ISO; a day and month without a year as ``*-MM-DD``."""
    dates: set[str] = set()
    for row in rows:
        for value in row.values():
            value = value or ""
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                dates.add(value)
            for d, m, y in DATE.findall(value):
                dates.add(iso(d, m, y))
            for d, m in re.findall(r"\b(\d{1,2}) (" + MONTH + r")\b", value):
                dates.add(f"*-{MONTHS.index(m) + 1:02d}-{int(d):02d}")
            for m, d in re.findall(r"\b(" + MONTH + r") (\d{1,2})\b", value):
                dates.add(f"*-{MONTHS.index(m) + 1:02d}-{int(d):02d}")
    return dates


def date_known(day: str, month: str, year: str, known: set[str]) -> bool:
    stamp = iso(day, month, year)
    return stamp in known or "*" + stamp[4:] in known
