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


def _counted(rows: Sequence[Row]) -> list[Row]:
    """One row per student and set: the attempt the attempts policy counts (see
    :mod:`.attempts`; the pipeline has already marked the others)."""
    return [r for r in rows if r.counted]


def assignment_name(lesson: str) -> str:
    return f"Exercise set {lesson} (auto-checked)"


def canvas_text(rows: Sequence[Row]) -> str:
    graded = [r for r in _counted(rows) if r.questions is not None]
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
    graded = [r for r in _counted(rows) if r.questions is not None]
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


#: Final-grade columns: one per part, then the weighted grade; each out of 100 points.
FINAL_COLUMNS = {"auto": "Final: auto-checked questions", "written": "Final: written answers",
                 "memo": "Final: policy memo", "participation": "Final: participation"}  # fmt: skip
FINAL_GRADE = "Final grade"
POINTS_POSSIBLE = 100


def _final_cells(rec: dict, shares: dict[str, float]) -> list:
    return [*(round(rec[k], 1) for k in FINAL_COLUMNS if k in shares), round(rec["final"], 1)]


def final_canvas_text(records: Sequence[dict], shares: dict[str, float]) -> str:
    """Canvas import of the final grades: the parts that were weighted and the final grade,
    each out of 100, with the ``Points Possible`` row Canvas's own export carries."""
    names = [FINAL_COLUMNS[k] for k in FINAL_COLUMNS if k in shares] + [FINAL_GRADE]
    table: list[list] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *names],
                         ["Points Possible", "", "", "", "", *([POINTS_POSSIBLE] * len(names))]]
    for rec in records:
        if rec["on_roster"]:
            table.append([rec["name"] or rec["student"], rec["canvas_id"], rec["student_id"], "",
                          "", *_final_cells(rec, shares)])  # fmt: skip
    return _csv(table)


def final_moodle_text(records: Sequence[dict], shares: dict[str, float]) -> str:
    """Moodle import of the final grades (grade items out of 100), with the weights and any
    note on the final grade as its feedback."""
    names = [FINAL_COLUMNS[k] for k in FINAL_COLUMNS if k in shares] + [FINAL_GRADE]
    weights = ", ".join(f"{FINAL_COLUMNS[k].removeprefix('Final: ')} {100 * s:.0f}%"
                        for k, s in shares.items())  # fmt: skip
    table: list[list] = [["ID number", "Email address", "Full name",
                          *(f"{n} (out of {POINTS_POSSIBLE})" for n in names),
                          f"{FINAL_GRADE} feedback"]]  # fmt: skip
    for rec in records:
        if rec["on_roster"]:
            note = f"Weighted: {weights}." + (" " + "; ".join(rec["notes"]) + "." if rec["notes"]
                                              else "")  # fmt: skip
            table.append([rec["student_id"], rec["email"], rec["name"] or rec["student"],
                          *_final_cells(rec, shares), note])  # fmt: skip
    return _csv(table)
