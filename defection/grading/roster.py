"""Match submissions to a class roster and flag missing, duplicate and late work.

Why: an LMS export names students its own way (Canvas ``lopezana``, Moodle "Ana Lopez",
Blackboard ``alopez``); the gradebook needs the university's student ids, and the
instructor needs to see who sent nothing, who sent twice, and who was late.

Roster CSV (UTF-8, header row; only ``student_id`` and ``name`` are required)::

    student_id,name,email,login,lms_id,submitted_at
    s1001,Ana Lopez,ana.lopez@uni.example,alopez,48213,
    s1002,Min Thu,,,,2026-10-06 09:15

``login`` is the Blackboard username, ``lms_id`` the Canvas user id or Moodle participant
id; ``submitted_at`` (optional) is when the LMS received the work, for LMSs whose export
carries no times.

An LMS's own gradebook export also works as it is, so nobody retypes a class list
(:data:`LMS_COLUMNS`): Canvas (Grades > Export: ``Student``, ``ID``, ``SIS User ID``,
``SIS Login ID``; its ``Points Possible`` row and test student are skipped), Moodle
(Grades > Export > Plain text file: ``First name``, ``Last name``, ``ID number``,
``Email address``) and Blackboard (Grade Centre > Work Offline > Download: ``Last Name``,
``First Name``, ``Username``, ``Student ID``). A column the file names itself
(``student_id``, ``name`` ...) wins over these. A submission matches a roster row by LMS id, login, e-mail, student id
or name (Canvas's "lastfirst" form included), in that order.

Due date: ``--due 2026-10-05T23:59`` or ``due = "2026-10-05T23:59"`` in a ``grading.toml``
next to the submissions or given with ``--config`` (see :func:`load_config`).
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

_TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                 "%Y-%m-%d", "%d/%m/%Y %H:%M", "%A, %d %B %Y, %I:%M %p")  # fmt: skip
CONFIG_KEYS = {"due", "roster", "timeout", "cell_timeout", "jobs", "max_memory_mb", "sandbox",
               "weights", "late_policy", "attempts"}  # fmt: skip


#: Each LMS export's column for a roster field; first and last names are joined into name.
LMS_COLUMNS = {
    "student_id": ("SIS User ID", "ID number", "Student ID"),
    "name": ("Student",),
    "lms_id": ("ID",),
    "login": ("SIS Login ID", "Username"),
    "email": ("Email address",),
}
_FIRST, _LAST = ("First name", "First Name"), ("Last name", "Last Name")
_CANVAS_SKIP = {"points possible", "student, test", "test student"}


class RosterError(Exception):
    """The roster, due date or config cannot be read; the message names file, row, column."""


@dataclass
class Student:
    student_id: str
    name: str
    email: str = ""
    login: str = ""
    lms_id: str = ""
    submitted_at: datetime | None = None
    keys: set[str] = field(default_factory=set)


def parse_time(text: str, where: str) -> datetime:
    """A date-time from the roster, the config or the command line.

    Times are wall-clock times as the LMS shows them, compared with no time-zone conversion
    (LMS exports carry no zone), so an offset such as ``+07:00`` is refused rather than
    silently dropped."""
    text = str(text).strip()
    for fmt in _TIME_FORMATS:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            when = when.replace(hour=23, minute=59, second=59)  # a date alone: end of day
        return when
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if when.tzinfo is not None:
            raise RosterError(f"{where}: {text!r} has a time-zone offset; write the time as "
                              "your LMS shows it, without an offset (no conversion is done)")
        return when
    raise RosterError(
        f"{where}: cannot read {text!r} as a date and time; write it like 2026-10-05T23:59"
    )


def norm(text: str) -> str:
    """Lower case, accents and everything but letters and digits removed."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _name_keys(name: str) -> set[str]:
    words = [w for w in re.split(r"[\s,]+", name.strip()) if w]
    keys = {norm(name)}
    if len(words) >= 2:
        keys.add(norm(words[-1] + "".join(words[:-1])))  # Canvas: lastfirst
        keys.add(norm("".join(words[1:]) + words[0]))
        if "," in name:  # "Lopez, Ana"
            last, first = name.split(",", 1)
            keys.add(norm(first + last))
    return {k for k in keys if k}


def load_roster(path: Path | str) -> list[Student]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"roster {path} does not exist") from None
    except UnicodeDecodeError:
        raise RosterError(f"roster {path} is not UTF-8 text; save it as 'CSV UTF-8'") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    source = {field: next((c for c in (field, *aliases) if c in header), field)
              for field, aliases in LMS_COLUMNS.items()}  # fmt: skip
    first = next((c for c in _FIRST if c in header), None)
    last = next((c for c in _LAST if c in header), None)
    joined_name = "name" not in header and "Student" not in header and bool(first and last)
    missing = [c for c in ("student_id", "name") if source[c] not in header
               and not (c == "name" and joined_name)]  # fmt: skip
    if missing:
        raise RosterError(
            f"roster {path}: missing column(s) {', '.join(missing)}; the header row must "
            f"include student_id and name, or be an LMS gradebook export (INSTRUCTORS.md, "
            f"'Roster') (found: {', '.join(header) or 'nothing'})"
        )
    col = lambda field: field if source[field] == field else f"{field} ({source[field]})"  # noqa: E731
    students: list[Student] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        for field, column in source.items():
            row[field] = row.get(column, "")
        if joined_name:
            row["name"] = f"{row.get(first, '')} {row.get(last, '')}".strip()
        sid, name = row.get("student_id", ""), row.get("name", "")
        if not sid and not name:
            continue
        if source["name"] == "Student" and name.casefold() in _CANVAS_SKIP:
            continue  # Canvas's points row and its built-in test student
        if not sid:
            raise RosterError(f"roster {path}, row {line}, column {col('student_id')}: empty "
                              f"for {name!r}")  # fmt: skip
        if sid in seen:
            raise RosterError(
                f"roster {path}, row {line}, column {col('student_id')}: {sid!r} already on "
                f"row {seen[sid]}"
            )
        seen[sid] = line
        when_text = row.get("submitted_at") or row.get("Last modified (submission)") or ""
        when = parse_time(when_text, f"roster {path}, row {line}, column submitted_at") if (
            when_text and when_text != "-") else None  # fmt: skip
        st = Student(sid, name or sid, row.get("email", ""), row.get("login", ""),
                     row.get("lms_id", ""), when)  # fmt: skip
        st.keys = _name_keys(st.name) | {norm(sid)}
        if st.email:
            st.keys |= {norm(st.email), norm(st.email.split("@")[0])}
        if st.login:
            st.keys.add(norm(st.login))
        students.append(st)
    if not students:
        raise RosterError(f"roster {path} has a header but no students")
    return students


def match(students: list[Student], lms_id: str, name: str) -> Student | None:
    """The roster row for a submission (by LMS id first, then by any name key)."""
    if lms_id:
        for st in students:
            if st.lms_id and st.lms_id == lms_id:
                return st
            if st.login and norm(st.login) == norm(lms_id):
                return st
    key = norm(name)
    if not key:
        return None
    hits = [st for st in students if key in st.keys]
    return hits[0] if len(hits) == 1 else None


def load_config(path: Path | str) -> dict[str, Any]:
    """A small ``grading.toml``: due, roster, timeout, cell_timeout, jobs, max_memory_mb,
    sandbox and attempts for the grader; ``[weights]``, ``[late_policy]`` and attempts for
    ``grade merge`` (checked by :func:`.merge.load_settings`). Unknown keys are an error,
    so a typo is not silently ignored."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RosterError(f"config {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(f"config {path}: {exc}") from None
    unknown = sorted(set(data) - CONFIG_KEYS)
    if unknown:
        raise RosterError(
            f"config {path}: unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(CONFIG_KEYS))}"
        )
    if "due" in data:
        value = data["due"]
        data["due"] = parse_time(value.isoformat() if isinstance(value, datetime) else str(value),
                                 f"config {path}, setting due")  # fmt: skip
    if "roster" in data:
        data["roster"] = (path.parent / str(data["roster"])).resolve()
    return data
