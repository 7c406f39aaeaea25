"""Merge auto-checked points, Rubric A scores, the memo and participation into final totals.

Why: the instructor's weights live in INSTRUCTORS.md ("How the parts fit"): auto-checked
questions 15%, written answers 35%, policy memo 35%, participation 15%. This turns the
grader's gradebooks (one per exercise set) and the filled ``written_scores.csv`` (plus an
optional ``other_scores.csv`` with ``student_id,memo,participation`` out of 100) into one
``final_totals.csv`` and final-grade imports for Canvas and Moodle.

How the numbers combine (stated in INSTRUCTORS.md too): within a part, points are
*pooled* across sets (auto % = all auto-checked points earned / all possible; written % =
all Rubric A points / 16 per answer), so a set with more questions weighs more; the parts
are then weighted. A part with no scores at all is left out and the others re-weighted;
a blank score for one student counts as 0 and is listed. A resubmitter counts once per set,
by the same attempts policy as the grader (:mod:`.attempts`); the late policy
(:mod:`.late`), when given, takes its share of that set's auto-checked and written points.
Whatever could not be applied is listed at the end of the file and printed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from defection.grading import attempts as attempting
from defection.grading import late as lateness
from defection.grading.report import WRITTEN_OUT_OF, _csv, atomic_write

WEIGHTS = {"auto": 15.0, "written": 35.0, "memo": 35.0, "participation": 15.0}
MERGE_CONFIG_KEYS = ("weights", "late_policy", "attempts")


class MergeError(Exception):
    """A score sheet or setting cannot be read; the message names file, row and column."""


class Totals(list):
    """The final rows, plus ``problems``: what merge could not apply, one line each."""

    problems: list[str]


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MergeError(f"{path} does not exist") from None
    except UnicodeDecodeError:
        raise MergeError(f"{path} is not UTF-8 text; save it as 'CSV UTF-8'") from None
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


def _weights(values: Mapping[str, Any], where: str) -> dict[str, float]:
    weights = dict(WEIGHTS)
    for key, value in values.items():
        key = str(key).strip()
        if key not in WEIGHTS:
            raise MergeError(f"{where}: unknown part {key!r}; use {', '.join(WEIGHTS)}")
        try:
            weights[key] = float(str(value).strip().rstrip("%"))
        except ValueError:
            raise MergeError(f"{where}, {key}: {value!r} is not a number") from None
        if weights[key] < 0:
            raise MergeError(f"{where}, {key}: a weight cannot be negative")
    if not any(weights.values()):
        raise MergeError(f"{where}: every weight is 0")
    return weights


def parse_weights(text: str) -> dict[str, float]:
    """``auto=15,written=35,memo=35,participation=15`` (any subset)."""
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise MergeError(f"--weights: {part!r} needs a number after '='")
        values[key.strip()] = value
    return _weights(values, "--weights")


def _line_of(text: str, table: str, key: str | None = None) -> int:
    """The line of ``[table]`` (or of ``key`` inside it) in a TOML text, for messages."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith(f"[{table}]")), None)
    if start is None:
        return next((i + 1 for i, ln in enumerate(lines)
                     if re.match(rf"\s*{re.escape(table)}\s*=", ln)), 0)  # fmt: skip
    if key is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].strip().startswith("["):
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1


def load_settings(path: Path | str) -> dict[str, Any]:
    """``[weights]``, ``[late_policy]`` and ``attempts`` from a ``grading.toml`` (the other
    settings there are the grader's), validated, with file and line in every message."""
    from defection.grading.roster import RosterError, load_config

    path = Path(path)
    try:
        data = load_config(path)
    except RosterError as exc:
        raise MergeError(str(exc)) from None
    text = path.read_text(encoding="utf-8")
    out: dict[str, Any] = {}
    if "weights" in data:
        if not isinstance(data["weights"], Mapping):
            raise MergeError(f"config {path}, line {_line_of(text, 'weights')}: weights must be "
                             "a table, e.g. [weights] then auto = 15 on the next line")
        for key in data["weights"]:
            if key not in WEIGHTS:
                raise MergeError(f"config {path}, line {_line_of(text, 'weights', key)}, "
                                 f"[weights] {key}: unknown part; use {', '.join(WEIGHTS)}")
        out["weights"] = _weights(data["weights"], f"config {path}, [weights]")
    if "late_policy" in data:
        table = data["late_policy"]
        if not isinstance(table, Mapping):
            raise MergeError(f"config {path}, line {_line_of(text, 'late_policy')}: late_policy "
                             "must be a table: [late_policy] then per_day, cap, grace")
        try:
            out["late_policy"] = lateness.from_mapping(table, f"config {path}, [late_policy]")
        except lateness.LatePolicyError as exc:
            bad = next((k for k in table if k not in lateness.KEYS or str(k) in str(exc)), None)
            line = _line_of(text, "late_policy", str(bad) if bad else None)
            raise MergeError(f"{exc} (line {line})") from None
    if "attempts" in data:
        try:
            out["attempts"] = attempting.check_policy(
                data["attempts"], f"config {path}, line {_line_of(text, 'attempts')}, attempts")
        except attempting.AttemptsError as exc:
            raise MergeError(str(exc)) from None
    return out


def _time(text: str, where: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise MergeError(f"{where}: {text!r} is not a date and time like 2026-10-05 23:59:00") from None


def _gradebook_entries(paths: Sequence[Path], problems: list[str]) -> list[dict]:
    entries = []
    for gb in paths:
        rows = _rows(gb)
        if rows and ("total" not in rows[0] or "max" not in rows[0]):
            raise MergeError(f"{gb}: not a grader gradebook (no total/max columns)")
        if rows and "attempt" not in rows[0]:
            problems.append(f"{gb}: no attempt column (made by an older grader); a student's "
                            "files for one set are taken in the file's row order")
        for line, r in enumerate(rows, start=2):
            key = r.get("student_id") or r.get("student", "")
            if not key or not r.get("max"):
                continue
            where = f"{gb}, row {line}"
            entries.append({
                "key": key, "name": r.get("name", ""), "student_id": r.get("student_id", ""),
                "lms": r.get("lms", ""), "lms_id": r.get("lms_id", ""),
                "lesson": r.get("lesson", ""), "late": r.get("late", ""),
                "total": _number(r["total"], f"{where}, column total", 1e9),
                "max": _number(r["max"], f"{where}, column max", 1e9),
                "attempt": int(r["attempt"]) if r.get("attempt", "").isdigit() else 0,
                "counted": r.get("counted", ""),
                "submitted_at": _time(r.get("submitted_at", ""), f"{where}, column submitted_at"),
                "due": _time(r.get("due", ""), f"{where}, column due"),
                "order": (len(entries),), "where": where,
            })  # fmt: skip
    return entries


def merge(gradebooks: Sequence[Path], written_scores: Path | Sequence[Path] | None,
          other_scores: Path | None,
          out: Path, weights: Mapping[str, float] = WEIGHTS, *,
          attempts: str = attempting.DEFAULT_POLICY,
          late_policy: lateness.LatePolicy | None = None,
          roster: Path | str | None = None) -> Totals:  # fmt: skip
    """Write ``out`` (final totals CSV) and the final Canvas and Moodle imports beside it."""
    from defection.grading import export
    from defection.grading.roster import RosterError, load_roster

    policy = attempting.check_policy(attempts)
    problems: list[str] = []
    people: dict[str, dict] = {}

    def person(key: str, name: str = "") -> dict:
        p = people.setdefault(key, {"name": "", "student_id": "", "canvas_id": "", "email": "",
                                    "auto": [0.0, 0.0], "written": [0.0, 0], "memo": None,
                                    "participation": None, "notes": [], "factor": {},
                                    "penalty": []})  # fmt: skip
        p["name"] = p["name"] or name
        return p

    students = None
    if roster:
        try:
            students = {st.student_id: st for st in load_roster(roster)}
        except RosterError as exc:
            raise MergeError(str(exc)) from None
        for st in students.values():
            p = person(st.student_id, st.name)
            p["student_id"], p["email"] = st.student_id, st.email
            p["canvas_id"] = st.lms_id

    groups: dict[tuple[str, str], list[dict]] = {}
    for e in _gradebook_entries(gradebooks, problems):
        groups.setdefault((e["key"], e["lesson"]), []).append(e)
    no_due: set[str] = set()
    no_time: dict[str, int] = {}
    for (key, lesson), group in sorted(groups.items()):
        ranked, chosen = attempting.pick(group, lambda e: (e["attempt"], e["order"]),
                                         lambda e: e["total"], policy)  # fmt: skip
        p = person(key, chosen["name"])
        p["student_id"] = p["student_id"] or chosen["student_id"]
        if chosen["lms"] == "canvas":
            p["canvas_id"] = p["canvas_id"] or chosen["lms_id"]
        if len(group) > 1 and chosen["counted"].startswith("no"):
            problems.append(f"{key}, {lesson}: the gradebook counted another attempt than "
                            f"--attempts {policy} does; grade and merge with the same choice "
                            "(merge used its own)")  # fmt: skip
        for e in ranked:
            if e is not chosen:
                p["notes"].append(f"{lesson}: an attempt with {e['total']:g}/{e['max']:g} not "
                                  f"counted ({attempting.describe(policy)})")  # fmt: skip
        factor = 1.0
        if late_policy is not None:
            if chosen["due"] is None:
                no_due.add(lesson)
            elif chosen["submitted_at"] is None:
                if chosen["late"]:
                    problems.append(f"{key}, {lesson}: marked '{chosen['late']}' but the export "
                                    "gives no submission time; no penalty applied (add "
                                    "submitted_at to the roster and grade again)")  # fmt: skip
                else:
                    no_time[lesson] = no_time.get(lesson, 0) + 1
            else:
                minutes = (chosen["submitted_at"] - chosen["due"]).total_seconds() / 60
                cut = late_policy.penalty(minutes)
                if cut:
                    factor = 1 - cut
                    p["penalty"].append(f"{lesson} -{100 * cut:g}%")
                    p["notes"].append(f"{lesson}: submitted {minutes / 60:.1f} h after the due "
                                      f"time, late penalty {100 * cut:g}%")  # fmt: skip
        p["factor"][lesson] = factor
        p["auto"][0] += chosen["total"] * factor
        p["auto"][1] += chosen["max"]
    for lesson in sorted(no_due):
        problems.append(f"{lesson}: the gradebook has no due date, so no late penalty was "
                        "applied (grade that set again with --due)")  # fmt: skip
    for lesson, n in sorted(no_time.items()):
        problems.append(f"{lesson}: {n} submission(s) with no submission time in the export "
                        "(Moodle and hand collections carry none); no late penalty applied to "
                        "them (add submitted_at to the roster)")  # fmt: skip

    have_written = False
    sheets = ([] if not written_scores else [written_scores]
              if isinstance(written_scores, (str, Path)) else list(written_scores))  # fmt: skip
    col = f"score (0-{WRITTEN_OUT_OF})"
    for sheet in sheets:
        for line, r in enumerate(_rows(sheet), start=2):
            if col not in r:
                raise MergeError(f"{sheet}: no column {col!r}; use the sheet.csv "
                                 "the grader wrote")  # fmt: skip
            key = r.get("student_id") or r.get("student", "")
            if not key:
                raise MergeError(f"{sheet}, row {line}: needs a student_id (or student)")
            p = person(key)
            p["written"][1] += 1
            if r[col] == "":
                p["notes"].append(f"{r.get('lesson', '')} {r.get('question', '')}: no score, counted 0")
                problems.append(f"{key}, {r.get('lesson', '')} {r.get('question', '')}: no "
                                "written score (counted 0)")  # fmt: skip
                continue
            have_written = True
            score = _number(r[col], f"{sheet}, row {line}, column {col}", WRITTEN_OUT_OF)
            p["written"][0] += score * p["factor"].get(r.get("lesson", ""), 1.0)
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
    if students is not None:
        for key in sorted(set(people) - set(students)):
            problems.append(f"{key}: has scores but is not on the roster {roster}; in "
                            "final_totals.csv, left out of the LMS imports")  # fmt: skip
            people[key]["notes"].append("not on the roster")
    present = {"auto": any(p["auto"][1] for p in people.values()), "written": have_written, **seen}
    used = {k: w for k, w in weights.items() if present[k] and w > 0}
    scale = sum(used.values())
    header = ["student", "name", "auto %", "written %", "memo %", "participation %",
              "late penalty", "final %", "notes"]  # fmt: skip
    table: list[list] = [header]
    result = Totals()
    for key, p in sorted(people.items()):
        parts = {
            "auto": 100 * p["auto"][0] / p["auto"][1] if p["auto"][1] else 0.0,
            "written": 100 * p["written"][0] / (WRITTEN_OUT_OF * p["written"][1]) if p["written"][1] else 0.0,
            "memo": p["memo"] or 0.0,
            "participation": p["participation"] or 0.0,
        }
        notes = list(p["notes"])
        for k in used:
            missing = (p[k] is None) if k in ("memo", "participation") else not p[k][1]
            if missing:
                notes.append(f"no {k} score, counted 0")
                problems.append(f"{key}: no {k} score (counted 0)")
        final = sum(parts[k] * w for k, w in used.items()) / scale if scale else 0.0
        rec = {"student": key, "name": p["name"], **parts, "final": final, "notes": notes,
               "student_id": p["student_id"] or (key if students is not None else ""),
               "canvas_id": p["canvas_id"], "email": p["email"],
               "on_roster": students is None or key in students}  # fmt: skip
        result.append(rec)
        table.append([key, p["name"], *(round(parts[k], 1) if present[k] else "" for k in WEIGHTS),
                      ", ".join(p["penalty"]), round(final, 1), "; ".join(notes)])  # fmt: skip
    left_out = [k for k in WEIGHTS if k not in used]
    table.append([])
    table.append(["weights used", ", ".join(f"{k} {w:g}%" for k, w in used.items())
                  + (f"; left out (no scores): {', '.join(left_out)}" if left_out else "")])
    table.append(["attempts", attempting.describe(policy)])
    table.append(["late policy", late_policy.text() if late_policy else "none applied"])
    for problem in problems:
        table.append(["could not apply", problem])
    out = Path(out)
    atomic_write(out, _csv(table), bom=True)
    shares = {k: (w / scale if scale else 0.0) for k, w in used.items()}
    atomic_write(out.with_name("final_canvas_import.csv"), export.final_canvas_text(result, shares),
                 bom=True)  # fmt: skip
    atomic_write(out.with_name("final_moodle_import.csv"), export.final_moodle_text(result, shares),
                 bom=True)  # fmt: skip
    result.problems = problems
    return result
