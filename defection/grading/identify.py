"""Tell which lesson a submitted notebook belongs to, trusting the notebook before its name.

Why: students and LMSs rename files ("good.ipynb", "Copy of ...", Canvas's
``smithjohn_123_456_...``). The exercise generator writes ``{"defection": {"lesson": "NN"}}``
into each notebook's metadata; failing that, the check module the notebook imports
(``from defection.checks.lesson01 import q1``) names the lesson; the file name's ``NN_``
is only the last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_LESSON_IN_NAME = re.compile(r"(?:^|[^0-9])(\d{2})_[A-Za-z]")
_LESSON_IN_CODE = re.compile(r"defection\.checks\.lesson(\d{2})\b")


def lesson_from_name(name: str) -> str:
    """``NN`` from a file name such as ``02_military_economy.ipynb``, else ""."""
    m = _LESSON_IN_NAME.search(Path(name).name)
    return m.group(1) if m else ""


def lesson_from_metadata(nb: Any) -> str:
    meta = nb.get("metadata", {}) if isinstance(nb, Mapping) else {}
    mine = meta.get("defection") if isinstance(meta, Mapping) else None
    lesson = mine.get("lesson") if isinstance(mine, Mapping) else None
    if isinstance(lesson, (str, int)) and not isinstance(lesson, bool):
        if re.fullmatch(r"\d{1,2}", str(lesson)):
            return f"{int(lesson):02d}"
    return ""


def lesson_from_content(nb: Any) -> str:
    """The lesson whose check module the code cells import most often, else ""."""
    counts: Counter[str] = Counter()
    cells = nb.get("cells", []) if isinstance(nb, Mapping) else []
    for cell in cells:
        if not isinstance(cell, Mapping) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(s) for s in source)
        counts.update(_LESSON_IN_CODE.findall(str(source)))
    if not counts:
        return ""
    (best, n), *rest = counts.most_common()
    if rest and rest[0][1] == n:
        return ""  # a tie: do not guess
    return best


def identify(nb: Any, name: str) -> tuple[str, str]:
    """(lesson, how it was found: "metadata", "content", "file name" or "")."""
    for how, finder in (("metadata", lesson_from_metadata), ("content", lesson_from_content)):
        lesson = finder(nb)
        if lesson:
            return lesson, how
    lesson = lesson_from_name(name)
    return (lesson, "file name") if lesson else ("", "")
