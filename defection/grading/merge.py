"""Merge auto-checked points, Rubric A scores, the memo and participation into final totals.

Why: the instructor's weights live in INSTRUCTORS.md ("How the parts fit"): auto-checked
questions 15%, written answers 35%, policy memo 35%, participation 15%. This turns the
grader's gradebooks (one per exercise set) and the filled ``written_scores.csv`` (plus an
optional ``other_scores.csv`` with ``student_id,memo,participation`` out of 100) into one
``final_totals.csv``: each component as a percentage, then the weighted total. A
component with no scores at all is left out and the others are re-weighted, and the file
says so; a blank score for one student counts as 0 and is listed in that row's notes.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from defection.grading.report import WRITTEN_OUT_OF, _csv, atomic_write

WEIGHTS = {"auto": 15.0, "written": 35.0, "memo": 35.0, "participation": 15.0}


class MergeError(Exception):
    """A score sheet cannot be read; the message names the file, row and column."""


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MergeError(f"{path} does not exist") from None
    return [{(k or "").strip(): (v or "").strip() for k, v in r.items()}
            for r in csv.DictReader(text.splitlines())]  # fmt: skip


def _number(text: str, where: str, top: float) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise MergeError(f"{where}: {text!r} is not a number (expected 0 to {top:g})") from None
    if not 0 <= value <= top:
        raise MergeError(f"{where}: {value:g} is outside 0 to {top:g}")
    return value


def parse_weights(text: str) -> dict[str, float]:
    """``auto=15,written=35,memo=35,participation=15`` (any subset)."""
    weights = dict(WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in WEIGHTS:
            raise MergeError(f"--weights: unknown part {key!r}; use {', '.join(WEIGHTS)}")
        try:
            weights[key] = float(value)
        except ValueError:
            raise MergeError(f"--weights: {part!r} needs a number after '='") from None
    return weights


def merge(gradebooks: Sequence[Path], written_scores: Path | None, other_scores: Path | None,
          out: Path, weights: Mapping[str, float] = WEIGHTS) -> list[dict]:  # fmt: skip
    """Write ``out`` (final totals CSV) and return its rows."""
    people: dict[str, dict] = {}

    def person(key: str, name: str = "") -> dict:
        p = people.setdefault(key, {"name": "", "auto": [0.0, 0.0], "written": [0.0, 0],
                                    "memo": None, "participation": None, "notes": []})  # fmt: skip
        p["name"] = p["name"] or name
        return p

    for gb in gradebooks:
        for line, r in enumerate(_rows(gb), start=2):
            if "total" not in r or "max" not in r:
                raise MergeError(f"{gb}: not a grader gradebook (no total/max columns)")
            key = r.get("student_id") or r.get("student", "")
            if not key or not r.get("max"):
                continue
            p = person(key, r.get("name", ""))
            p["auto"][0] += _number(r["total"], f"{gb}, row {line}, column total", 1e9)
            p["auto"][1] += _number(r["max"], f"{gb}, row {line}, column max", 1e9)
    have_written = False
    if written_scores:
        col = f"score (0-{WRITTEN_OUT_OF})"
        for line, r in enumerate(_rows(written_scores), start=2):
            if col not in r:
                raise MergeError(f"{written_scores}: no column {col!r}; use the written_scores.csv "
                                 "the grader wrote")  # fmt: skip
            key = r.get("student_id") or r.get("student", "")
            p = person(key)
            p["written"][1] += 1
            if r[col] == "":
                p["notes"].append(f"{r.get('lesson', '')} {r.get('question', '')}: no score, counted 0")
                continue
            have_written = True
            p["written"][0] += _number(r[col], f"{written_scores}, row {line}, column {col}",
                                       WRITTEN_OUT_OF)  # fmt: skip
    seen = {"memo": False, "participation": False}
    if other_scores:
        for line, r in enumerate(_rows(other_scores), start=2):
            key = r.get("student_id") or r.get("student", "")
            if not key:
                raise MergeError(f"{other_scores}, row {line}: needs a student_id (or student)")
            p = person(key, r.get("name", ""))
            for part in ("memo", "participation"):
                if r.get(part, "") != "":
                    p[part] = _number(r[part], f"{other_scores}, row {line}, column {part}", 100)
                    seen[part] = True
    present = {"auto": any(p["auto"][1] for p in people.values()), "written": have_written, **seen}
    used = {k: w for k, w in weights.items() if present[k] and w > 0}
    scale = sum(used.values())
    header = ["student", "name", "auto %", "written %", "memo %", "participation %",
              "final %", "notes"]  # fmt: skip
    table: list[list] = [header]
    result = []
    for key, p in sorted(people.items()):
        parts = {
            "auto": 100 * p["auto"][0] / p["auto"][1] if p["auto"][1] else 0.0,
            "written": 100 * p["written"][0] / (WRITTEN_OUT_OF * p["written"][1]) if p["written"][1] else 0.0,
            "memo": p["memo"] or 0.0,
            "participation": p["participation"] or 0.0,
        }
        notes = list(p["notes"])
        for k in ("memo", "participation"):
            if k in used and p[k] is None:
                notes.append(f"no {k} score, counted 0")
        final = sum(parts[k] * w for k, w in used.items()) / scale if scale else 0.0
        rec = {"student": key, "name": p["name"], **parts, "final": final, "notes": notes}
        result.append(rec)
        table.append([key, p["name"], *(round(parts[k], 1) if present[k] else "" for k in WEIGHTS),
                      round(final, 1), "; ".join(notes)])  # fmt: skip
    left_out = [k for k in WEIGHTS if k not in used]
    table.append([])
    table.append(["weights used", ", ".join(f"{k} {w:g}%" for k, w in used.items())
                  + (f"; left out (no scores): {', '.join(left_out)}" if left_out else "")])
    atomic_write(Path(out), _csv(table), bom=True)
    return result
