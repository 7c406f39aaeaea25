"""One feedback file per student, to return through the LMS.

Why: students learn from what went wrong, not from a number. Each file lists every
question's status and the message the course's own check gives for that answer (the same
words the student saw in the notebook: never the expected value, a hint or the solution),
what went wrong while running the notebook, the student's written answers quoted with
space for the instructor's comments, and the totals. File names are safe on every system.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from defection.grading.recheck import Row
from defection.grading.report import WRITTEN_OUT_OF, atomic_write, fmt

_STATUS_TEXT = {
    "correct": "correct",
    "wrong": "not correct yet",
    "not answered": "not answered",
    "error": "could not be checked (the cell did not run)",
    "recorded": "recorded for your instructor",
    "short": "recorded, but short",
}


#: The longest check message a feedback file repeats (a message may quote the answer).
MAX_MESSAGE = 240
CHANGED_CHECKS = (
    "**Your notebook changed the course's checks while it ran** ({what}). The grader "
    "re-checked every answer with its own copy of the checks, so this neither gained nor "
    "lost you points; your instructor has been told and may ask you about it."
)


def _message(text: str) -> str:
    text = " ".join(str(text).replace("|", "/").split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def safe_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return name[:80] or "student"


def feedback_md(student_rows: Sequence[Row]) -> str:
    first = student_rows[0]
    who = first.name or first.student
    lines = [f"# Feedback for {who}" + (f" ({first.student_id})" if first.student_id else ""), ""]
    superseded = [r for r in student_rows if not r.counted]
    if superseded:
        # A resubmitter learns which file was graded, so an uncounted attempt is never a
        # silent zero; its own marks stay out of this file, as they stay out of the grade.
        lines += ["Not counted (you sent this set more than once; one attempt counts, the "
                  "others are listed here):", ""]
        lines += [f"- Exercise set {r.lesson or '?'}, attempt {r.attempt or '?'}: "
                  f"`{r.notebook}`" for r in superseded]
        lines.append("")
    for row in (r for r in student_rows if r.counted):
        title = f"Exercise set {row.lesson}" if row.lesson else "Submission"
        lines += [f"## {title}: `{row.notebook}`", ""]
        if row.late:
            lines += [f"Submitted {row.late}.", ""]
        if row.questions is None:
            lines += ["This file could not be graded: " + "; ".join(row.notes or ["unknown"]) + ".",
                      ""]  # fmt: skip
            continue
        lines += [f"**Auto-checked points: {fmt(row.total)} of {fmt(row.maximum)}.** "
                  "These come from the course's checks, re-run by your instructor's grader.", ""]
        lines += ["| question | status | points | feedback |", "|---|---|---|---|"]
        for q in row.questions.auto:
            status = row.statuses.get(q.name, "")
            message = _message(row.feedback.get(q.name, ""))
            lines.append(f"| {q.name} | {_STATUS_TEXT.get(status, status)} | "
                         f"{fmt(row.scores.get(q.name, 0))} of {fmt(q.points)} | {message} |")
        lines.append("")
        problems = [n for n in row.notes if not n.startswith("possible tampering")]
        if row.tampering:
            what = "; ".join(row.tampering[:3]) + (" ..." if len(row.tampering) > 3 else "")
            lines += [CHANGED_CHECKS.format(what=_message(what)), ""]
        if problems:
            lines += ["What happened when your notebook ran:", ""]
            lines += [f"- {n}" for n in problems]
            lines.append("")
        for q in row.questions.written:
            status = row.statuses.get(q.name, "")
            words = row.words.get(q.name, 0)
            lines += [f"### Written answer {q.name}: {q.prompt}".rstrip(": "), ""]
            lines += [f"Status: {_STATUS_TEXT.get(status, status)}"
                      + (f" ({words} words)" if words else "") + ".", ""]
            text = row.written.get(q.name) if row.written else None
            if text:
                lines += ["> " + line if line.strip() else ">" for line in text.splitlines()]
                lines.append("")
            lines += [f"Score (Rubric A, out of {WRITTEN_OUT_OF}): ____", "",
                      "Instructor's comments:", "", "", ""]  # fmt: skip
    return "\n".join(lines).rstrip() + "\n"


def write_all(rows: Sequence[Row], folder: Path) -> list[Path]:
    """``folder/<student>.md`` for every student; returns the paths written."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    written, used = [], set()
    for key, group in sorted(groups.items()):
        name = safe_name(key)
        while name.casefold() in used:
            name += "_"
        used.add(name.casefold())
        path = folder / f"{name}.md"
        atomic_write(path, feedback_md(group))
        written.append(path)
    return written
