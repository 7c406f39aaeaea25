"""INSTRUCTORS.md's outcome table names real questions, and every question serves an outcome."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
SETS = sorted(p.name[:2] for p in (ROOT / "solutions").glob("*.ipynb"))


def mapped() -> dict[str, set[str]]:
    table = GUIDE[GUIDE.index("| # | Outcome |") :].split("\n\n", 1)[0]
    found: dict[str, set[str]] = {}
    for part in re.findall(r"Set (\d+): ([^·|]+)", table):
        number, ids = f"{int(part[0]):02d}", part[1]
        for first, last in re.findall(r"([qw]\d+)(?:–([qw]\d+))?", ids):
            if last:
                kind, lo, hi = first[0], int(first[1:]), int(last[1:])
                found.setdefault(number, set()).update(f"{kind}{i}" for i in range(lo, hi + 1))
            else:
                found.setdefault(number, set()).add(first)
    return found


def questions(number: str) -> set[str]:
    return {q.name for q in importlib.import_module(f"defection.checks.lesson{number}").QUESTIONS}


def test_outcome_table_names_only_existing_questions():
    for number, ids in mapped().items():
        assert ids <= questions(number), f"set {number}: {sorted(ids - questions(number))} do not exist"


def test_every_question_serves_an_outcome():
    table = mapped()
    for number in SETS:
        missing = questions(number) - table.get(number, set())
        assert not missing, f"set {number}: questions {sorted(missing)} are in no learning outcome"
