"""Write the grader's spreadsheets: gradebook, status sheet, written answers, score sheet.

Why these choices: spreadsheets mangle CSVs in known ways, so every CSV here is UTF-8
*with* a byte-order mark (Excel on Windows then reads accents and symbols correctly), the
lesson is written as ``lesson 01`` (a bare ``01`` becomes the number 1), notes use plain
ASCII ``...``, and files are readable by the instructor's group (mode 644 under the
usual umask), not only by the account that ran the grader. Files are written
atomically, so an interrupted run never leaves half a gradebook.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from defection.checks import QuestionSet
from defection.grading.recheck import Row

#: Rubric A in INSTRUCTORS.md: four criteria, each 0-4, so every written answer is out of 16.
WRITTEN_OUT_OF = 16
RUBRIC_A = ("evidence and sourcing", "handling of contested figures", "argument",
            "fairness to actors")  # fmt: skip


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str, *, bom: bool = False) -> None:
    """Write ``text`` to ``path`` in one step, with normal (not private) permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def lesson_label(lesson: str) -> str:
    return f"lesson {lesson}" if lesson else ""


def question_sets(rows: Iterable[Row]) -> list[QuestionSet]:
    sets: list[QuestionSet] = []
    for row in rows:
        if row.questions is not None and not any(row.questions is s for s in sets):
            sets.append(row.questions)
    return sets


def set_label(qs: QuestionSet, rows: Sequence[Row]) -> str:
    if qs.lesson:
        return str(qs.lesson)
    return next((r.lesson for r in rows if r.questions is qs and r.lesson), "?")


def columns(rows: Sequence[Row], *, auto_only: bool = False) -> list[tuple[QuestionSet, str, str]]:
    """(set, question name, column header); ``01:q1`` when several lessons are graded."""
    sets = question_sets(rows)
    out = []
    for qs in sets:
        for q in qs:
            if auto_only and not q.auto:
                continue
            header = q.name if len(sets) <= 1 else f"{set_label(qs, rows)}:{q.name}"
            out.append((qs, q.name, header))
    return out


def _csv(rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        writer.writerow([fmt(c) for c in r])
    return buf.getvalue()


def _ascii(text: str) -> str:
    return text.replace("…", "...").replace("—", "-").replace("✓", "(correct)")


ID_COLUMNS = ["student", "student_id", "name", "lms", "lms_id", "notebook", "lesson", "late",
              "submitted_at", "due", "attempt", "counted"]  # fmt: skip
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _time(when: datetime | None) -> str:
    return when.strftime(TIME_FORMAT) if when else ""


def _ids(row: Row, due: datetime | None = None) -> list[str]:
    """The columns that say whose file this is, when it came and whether it counts;
    ``grade merge`` reads ``submitted_at``, ``due``, ``attempt`` and ``counted`` back."""
    counted = "" if not row.attempt else "yes" if row.counted else "no (superseded)"
    return [row.student, row.student_id, row.name, row.lms, row.lms_id, row.notebook,
            lesson_label(row.lesson), row.late, _time(row.submitted_at),
            _time(due) if row.questions is not None else "",
            str(row.attempt) if row.attempt else "", counted]  # fmt: skip


def gradebook_text(rows: Sequence[Row], *, due: datetime | None = None) -> str:
    """Points per auto-checked question, the written answers' state, total, max, notes."""
    cols = columns(rows)
    table: list[list[Any]] = [[*ID_COLUMNS, *(h for *_, h in cols), "total", "max", "tampering",
                               "notes"]]  # fmt: skip
    for row in rows:
        cells: list[Any] = _ids(row, due)
        for qs, name, _ in cols:
            cells.append(row.scores.get(name, "") if row.questions is qs else "")
        cells += [row.total, row.maximum, "yes" if row.tampering else "",
                  _ascii("; ".join(row.notes))]  # fmt: skip
        table.append(cells)
    return _csv(table)


def status_text(rows: Sequence[Row], *, due: datetime | None = None) -> str:
    """One status per question: correct, wrong, not answered, error, recorded, short."""
    cols = columns(rows)
    table: list[list[Any]] = [[*ID_COLUMNS, *(h for *_, h in cols)]]
    for row in rows:
        table.append([*_ids(row, due), *(row.statuses.get(n, "") if row.questions is qs else ""
                                    for qs, n, _ in cols)])  # fmt: skip
    return _csv(table)


def written_md(rows: Sequence[Row]) -> str:
    """Every written question, then every student's answer quoted, short ones marked
    (only the attempt that counts: a superseded attempt is not scored)."""
    rows = [r for r in rows if r.counted]
    lines = [
        "# Written answers",
        "",
        "Collected by `python -m defection.grade`: the students' own words, quoted as written.",
        f"Score each answer with **Rubric A** in INSTRUCTORS.md: four criteria "
        f"({', '.join(RUBRIC_A)}), each 0-4, so every answer is out of {WRITTEN_OUT_OF}. "
        "Enter the scores in `written_scores.csv`, then merge them into final totals with "
        "`python -m defection.grade merge` (INSTRUCTORS.md, \"Final totals\").",
        "",
    ]
    for qs in question_sets(rows):
        lesson = set_label(qs, rows)
        for q in qs.written:
            lines += [f"## Lesson {lesson} - {q.name}: {q.prompt}".rstrip(": "), ""]
            if getattr(q, "rubric", ""):
                lines += [f"*What a strong answer does (apply Rubric A, out of {WRITTEN_OUT_OF}):* "
                          f"{q.rubric}", ""]  # fmt: skip
            for row in rows:
                if row.questions is not qs:
                    continue
                text = row.written.get(q.name) if row.written else None
                status = row.statuses.get(q.name, "")
                words = row.words.get(q.name, 0)
                tag = f" - short: {words} words" if status == "short" else (
                    f" - {words} words" if words else "")  # fmt: skip
                lines += [f"### {row.key} - {row.notebook}{tag}", ""]
                if text:
                    lines += ["> " + line if line.strip() else ">" for line in text.splitlines()]
                else:
                    lines.append("_(no answer)_")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def written_scores_text(rows: Sequence[Row]) -> str:
    """The sheet the instructor fills: one row per student and written question, for the
    attempt that counts only, so ``merge`` never pools a resubmitter's two answers."""
    rows = [r for r in rows if r.counted]
    table: list[list[Any]] = [["student", "student_id", "lesson", "question", "status", "words",
                               f"score (0-{WRITTEN_OUT_OF})", "comment"]]  # fmt: skip
    for qs in question_sets(rows):
        lesson = set_label(qs, rows)
        for q in qs.written:
            for row in rows:
                if row.questions is qs:
                    table.append([row.student, row.student_id, lesson_label(lesson), q.name,
                                  row.statuses.get(q.name, ""), row.words.get(q.name, 0), "", ""])
    return _csv(table)
