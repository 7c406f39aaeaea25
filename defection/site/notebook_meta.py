"""What a lesson says about itself: its title, time, objectives, key points and opening.

The course map and each lesson page's "at a glance" box are generated from the notebooks'
own first cell ("# Lesson 1 — ...", "Estimated time: 50 minutes", "## Learning objectives")
and their "## Key points" section, so the site can never disagree with the notebooks and
no summary is kept twice by hand. A notebook missing one of these fails the build with a
message naming the notebook and what it lacks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

#: "Estimated time: 50 minutes" or "Time: about 90 minutes (measured: ...)", bold or not.
TIME = re.compile(r"^\s*\**(?:Estimated\s+)?time\**\s*:\s*\**\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)
#: Past this length a time's bracketed explanation is left to the notebook itself.
SHORT_TIME = 60
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")


class NotebookMetaError(ValueError):
    """A lesson or exercise notebook lacks a part the site is built from."""


@dataclass
class NotebookMeta:
    """The parts of a notebook's own text that the site shows outside the notebook."""

    path: Path
    title: str
    time: str
    summary: str
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def short_time(self) -> str:
        """The time as a course map shows it: '50 minutes', 'about 85 minutes (estimated)'.

        A long bracketed note on how the time was found stays in the notebook; the map keeps
        whether it was measured.
        """
        if len(self.time) <= SHORT_TIME or " (" not in self.time:
            return self.time
        head, note = self.time.split(" (", 1)
        note = note.strip().lower()
        if note.startswith("not measured") or note.startswith("estimated"):
            return f"{head} (estimated)"
        if note.startswith("measured"):
            return f"{head} (measured)"
        return head

    @property
    def number(self) -> str:
        """The two-digit number the file name starts with ('01')."""
        return self.stem.split("_", 1)[0]


def _cells(path: Path) -> list[dict]:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotebookMetaError(f"{path}: cannot be read as a notebook ({exc})") from exc
    return notebook.get("cells", [])


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def section(markdown: str, heading: str) -> list[str]:
    """The lines under ``## heading`` (any level) up to the next heading of that level or higher."""
    lines = markdown.splitlines()
    out: list[str] = []
    level = None
    for line in lines:
        match = HEADING.match(line)
        if level is None:
            if match and match.group(2).strip().lower() == heading.lower():
                level = len(match.group(1))
            continue
        if match and len(match.group(1)) <= level:
            break
        out.append(line)
    return out


def bullets(lines: list[str]) -> list[str]:
    """The list items among ``lines``, continuation lines joined to their item."""
    items: list[str] = []
    for line in lines:
        match = BULLET.match(line)
        if match:
            items.append(match.group(1).strip())
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()
    return items


def _summary(first: str) -> str:
    """The first paragraph after the title: what the lesson is about, in the lesson's words."""
    paragraph: list[str] = []
    for line in first.splitlines()[1:]:
        if line.strip().startswith("#") or TIME.match(line):
            break
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)


def read(path: Path, *, need_key_points: bool = True) -> NotebookMeta:
    """Parse ``path``'s first cell and key points; raise ``NotebookMetaError`` if parts are missing."""
    path = Path(path)
    cells = [c for c in _cells(path) if c.get("cell_type") == "markdown"]
    if not cells:
        raise NotebookMetaError(f"{path}: has no markdown cell to take a title from")
    first = _source(cells[0])
    title_match = HEADING.match(first.splitlines()[0] if first else "")
    if not title_match or len(title_match.group(1)) != 1:
        raise NotebookMetaError(f"{path}: the first cell should start with a '# Title' line")
    time_match = TIME.search(first)
    if not time_match:
        raise NotebookMetaError(
            f"{path}: the first cell has no 'Estimated time: ...' (or 'Time: ...') line"
        )
    objectives = bullets(section(first, "Learning objectives"))
    key_points: list[str] = []
    for cell in cells:
        key_points = bullets(section(_source(cell), "Key points"))
        if key_points:
            break
    if need_key_points and not objectives:
        raise NotebookMetaError(f"{path}: the first cell has no '## Learning objectives' list")
    if need_key_points and not key_points:
        raise NotebookMetaError(f"{path}: no cell has a '## Key points' list")
    return NotebookMeta(
        path=path,
        title=title_match.group(2).strip(),
        time=time_match.group(1).strip().rstrip("."),
        summary=_summary(first),
        objectives=objectives,
        key_points=key_points,
    )
