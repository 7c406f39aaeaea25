"""Gradebooks an LMS imports as they are: Canvas and Moodle.

Why two files: Canvas and Moodle want different columns. Canvas ("Grades > Import")
matches students by ``ID`` (Canvas user id), ``SIS User ID`` or ``SIS Login ID`` and
reads every further column as an assignment (a new column name creates a new assignment);
``Student`` and ``Section`` are shown but not matched on. Moodle ("Grades > Import > CSV
file") lets the instructor map one column to a user field (we give ``ID number`` and
``Email address``) and each other column to a grade item or to its feedback. The column
mapping is documented in INSTRUCTORS.md, "Grades back into the LMS".
"""

from __future__ import annotations

from collections.abc import Sequence

from defection.grading.recheck import Row
from defection.grading.report import _csv, set_label


def _best(rows: Sequence[Row]) -> list[Row]:
    """One row per student and lesson: the highest-scoring submission (ties: the first)."""
    best: dict[tuple[str, str], Row] = {}
    for row in rows:
        k = (row.key, row.lesson)
        if k not in best or row.total > best[k].total:
            best[k] = row
    return list(best.values())


def assignment_name(lesson: str) -> str:
    return f"Exercise set {lesson} (auto-checked)"


def canvas_text(rows: Sequence[Row]) -> str:
    graded = [r for r in _best(rows) if r.questions is not None]
    lessons = sorted({set_label(r.questions, rows) for r in graded if r.questions is not None})
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
              *(assignment_name(les) for les in lessons)]  # fmt: skip
    by_student: dict[str, dict] = {}
    for r in graded:
        entry = by_student.setdefault(r.key, {"row": r, "scores": {}})
        entry["scores"][r.lesson] = r.total
    table: list[list] = [header]
    for key, entry in sorted(by_student.items()):
        r = entry["row"]
        canvas_id = r.lms_id if r.lms == "canvas" else ""
        table.append([r.name or r.student, canvas_id, r.student_id, "", "",
                      *(entry["scores"].get(les, "") for les in lessons)])  # fmt: skip
    return _csv(table)


def moodle_text(rows: Sequence[Row]) -> str:
    graded = [r for r in _best(rows) if r.questions is not None]
    lessons = sorted({set_label(r.questions, rows) for r in graded if r.questions is not None})
    header = ["ID number", "Email address", "Full name"]
    for les in lessons:
        header += [assignment_name(les), f"{assignment_name(les)} feedback"]
    by_student: dict[str, dict] = {}
    for r in graded:
        by_student.setdefault(r.key, {"row": r, "rows": {}})["rows"][r.lesson] = r
    table: list[list] = [header]
    for key, entry in sorted(by_student.items()):
        r = entry["row"]
        email = r.email
        cells = [r.student_id, email, r.name or r.student]
        for les in lessons:
            got = entry["rows"].get(les)
            if got is None:
                cells += ["", ""]
                continue
            if not got.notebook:
                cells += [got.total, "no submission received"]
                continue
            auto = [q.name for q in got.questions.auto] if got.questions is not None else []
            done = sum(1 for n in auto if got.statuses.get(n) == "correct")
            cells += [got.total, f"{done} of {len(auto)} auto-checked question(s) correct; "
                      "see your feedback file"]  # fmt: skip
        table.append(cells)
    return _csv(table)
