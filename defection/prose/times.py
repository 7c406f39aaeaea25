"""Each lesson's time is stated in three places; they must agree.

README.md's course map, the lesson's "Estimated time:" line and INSTRUCTORS.md's time
table are written for three readers (student, self-learner, instructor), so each keeps
its own copy, and this check keeps the copies equal.
"""

from __future__ import annotations

import re
from pathlib import Path

from .text import Problem, lessons, markdown_cells


def lesson_times(root: str | Path) -> dict[str, dict[str, int | None]]:
    """Each lesson's time in minutes, as README.md, the lesson and INSTRUCTORS.md state it."""
    root = Path(root)
    times: dict[str, dict[str, int | None]] = {}
    for nb in lessons(root):
        first = markdown_cells(nb)[0][1]
        m = re.search(r"Estimated time:\s*(\d+)\s*min", first)
        times[nb.name[:2]] = {"lesson": int(m.group(1)) if m else None,
                              "README.md": None, "INSTRUCTORS.md": None}
    readme = (root / "README.md").read_text(encoding="utf-8")
    for num, minutes in re.findall(
            r"^\|\s*(\d\d)\s*\|\s*\[[^\]]*\]\(lessons/[^)]*\)[^\n]*?\|\s*(\d+)\s*min\s*\|\s*$",
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
