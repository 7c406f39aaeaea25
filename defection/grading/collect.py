"""Find the submissions in a folder or an LMS .zip, and who sent each one.

Why: instructors collect work through an LMS, and each LMS renames files its own way.
The conventions below were checked against public tools that parse these exports (cited
in INSTRUCTORS.md, "Collect submissions"):

* **Canvas** ("Download Submissions"): ``<lastfirst>_<userid>_<submissionid>_<file>``,
  with ``_LATE`` after the name when Canvas counted it late, e.g.
  ``lopezana_LATE_48213_901234_01_regime_cohesion.ipynb``; a resubmitted file gets
  ``-1``, ``-2`` ... before its extension.
* **Moodle** (assignment, "Download all submissions"):
  ``<Full Name>_<participantid>_assignsubmission_file_<file>``, or, with "download
  submissions in folders", a folder ``<Full Name>_<participantid>_assignsubmission_file``
  (sometimes with a trailing ``_``) holding the files.
* **Blackboard Learn** (Grade Centre, "Assignment File Download"):
  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>``, plus one ``.txt``
  receipt per attempt (``..._attempt_<time>.txt``), which is metadata and is skipped.
* **This course's own**: ``<student>__<file>`` (two underscores) or one folder per student.

Attempts: only Canvas numbers them in the name. Blackboard gives each attempt's time;
Moodle's download holds only each student's current submission (two files there are two
files of one attempt). Every file also keeps its time from the archive (or the folder),
the last resort for putting a student's files in order (see :mod:`.attempts`).

Anything else is still graded, under the file's name, so nothing is ever dropped.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

MAX_ZIP_BYTES = 4_000_000_000  # uncompressed; a class of 300 notebooks is far below this
MAX_ZIP_MEMBERS = 20_000

_CANVAS = re.compile(
    r"^(?P<name>[a-z0-9\-]+?)(?P<late>_late)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.I
)
_CANVAS_RESUBMIT = re.compile(r"-(\d{1,2})(?=\.[A-Za-z0-9]+$)")
_MOODLE_FILE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.+)$"
)
_MOODLE_DIR = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?:file|onlinetext)_?$")
_BLACKBOARD = re.compile(
    r"^(?P<assignment>.+)_(?P<user>[^_]+)_attempt_"
    r"(?P<when>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.+)|\.txt)?$"
)


class CollectError(Exception):
    """The submissions cannot be read at all (not a folder, a broken or unsafe zip)."""


@dataclass
class Submission:
    """One submitted file and what its name says about who sent it and when."""

    path: Path
    student: str  # the LMS's name for the student, or the course convention's
    notebook: str  # the file's own name, without the LMS's prefixes
    lms: str = ""  # "canvas", "moodle", "blackboard" or ""
    lms_id: str = ""
    submitted_at: datetime | None = None
    late_by_lms: bool = False
    attempt: int = 0  # Canvas resubmission number (0 = first)
    file_time: datetime | None = None  # the file's time in the archive or folder


def parse_name(rel: PurePosixPath) -> Submission | None:
    """Who and what a path (relative to the submissions root) names; None = skip it."""
    parts = rel.parts
    name = parts[-1]
    if len(parts) > 1:
        m = _MOODLE_DIR.match(parts[0])
        if m:
            return Submission(Path(), m["name"].strip(), "/".join(parts[1:]), "moodle", m["id"])
    m = _MOODLE_FILE.match(name)
    if m:
        return Submission(Path(), m["name"].strip(), m["file"], "moodle", m["id"])
    m = _BLACKBOARD.match(name)
    if m:
        if not m["file"]:
            return None  # the attempt's receipt: metadata, not work
        when = datetime.strptime(m["when"], "%Y-%m-%d-%H-%M-%S")
        return Submission(Path(), m["user"], m["file"], "blackboard", m["user"], when)
    m = _CANVAS.match(name)
    if m and not name.startswith("__"):
        file = m["file"]
        attempt = 0
        r = _CANVAS_RESUBMIT.search(file)
        if r:
            attempt = int(r.group(1))
            file = file[: r.start()] + file[r.end():]
        return Submission(Path(), m["name"], file, "canvas", m["uid"], None, bool(m["late"]), attempt)
    if len(parts) > 1:
        return Submission(Path(), parts[0], "/".join(parts[1:]))
    if "__" in name:
        student, file = name.split("__", 1)
        return Submission(Path(), student, file)
    return Submission(Path(), Path(name).stem, name)


def _skipped(rel: PurePosixPath) -> bool:
    return any(
        part.startswith(".") or part in ("__pycache__", "__MACOSX") or part == ".ipynb_checkpoints"
        for part in rel.parts
    )


def discover(folder: Path) -> list[Submission]:
    """Every submitted file under ``folder`` (hidden files, checkpoints and LMS receipts
    skipped), sorted by path."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = PurePosixPath(path.relative_to(folder).as_posix())
        if _skipped(rel) or path.is_symlink() or not path.is_file():
            continue
        sub = parse_name(rel)
        if sub is None:
            continue
        sub.path = path
        sub.file_time = datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
        found.append(sub)
    return found


def unpack(archive: Path, into: Path) -> Path:
    """Extract an LMS .zip safely into ``into`` and return the folder to grade.

    Refuses members that would land outside ``into`` (absolute paths, ``..``), skips
    links, and stops at an absurd total size, so a crafted zip cannot write elsewhere.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CollectError(f"{archive} is not a readable .zip file ({exc})") from exc
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise CollectError(f"{archive} holds {len(members)} files; at most {MAX_ZIP_MEMBERS}")
        total = sum(m.file_size for m in members)
        if total > MAX_ZIP_BYTES:
            raise CollectError(f"{archive} would unpack to {total // 10**9} GB; refusing")
        root = into.resolve()
        for m in members:
            target = (root / m.filename).resolve()
            if root not in target.parents:
                raise CollectError(f"{archive}: member {m.filename!r} points outside the archive")
            mode = (m.external_attr >> 16) & 0o170000
            if mode == stat.S_IFLNK:
                continue
            if m.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            _keep_time(target, m)
    # An LMS zip (or a zipped folder) often wraps everything in one top folder.
    entries = [p for p in root.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not _MOODLE_DIR.match(entries[0].name):
        return entries[0]
    return root


def _keep_time(target: Path, member: zipfile.ZipInfo) -> None:
    """Give the extracted file the member's own time, which orders unnumbered attempts."""
    try:
        stamp = time.mktime((*member.date_time, 0, 0, -1))
        os.utime(target, (stamp, stamp))
    except (OverflowError, ValueError, OSError):
        pass  # an impossible time in the archive: the extraction time stands


class Source:
    """A submissions folder or .zip, usable as ``with Source(path) as folder:``."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._tmp: str | None = None

    def __enter__(self) -> Path:
        if self.path.is_dir():
            return self.path
        if self.path.is_file() and zipfile.is_zipfile(self.path):
            self._tmp = tempfile.mkdtemp(prefix="defection-unzip-")
            return unpack(self.path, Path(self._tmp))
        if self.path.exists():
            raise CollectError(f"{self.path} is neither a folder nor a .zip file")
        raise CollectError(f"{self.path} does not exist")

    def __exit__(self, *exc: object) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
