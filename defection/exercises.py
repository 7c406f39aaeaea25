"""Generate ``exercises/NN_*.ipynb`` from ``solutions/NN_*.ipynb`` (the single source).

Usage::

    python -m defection.exercises            # regenerate exercises/ from solutions/
    python -m defection.exercises --check    # exit 1 and list files that are out of date

Rules (the whole contract between lesson authors and this script):

* **Code cells.** Lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` (both included)
  are replaced by one line at the BEGIN marker's indentation:

  - ``# BEGIN SOLUTION: success_rate_with = ...`` → ``success_rate_with = ...``
    (the text after the colon). Use this form whenever a question checks a variable:
    the exercise then still defines it, as the placeholder ``...``, and
    ``q1.check(success_rate_with)`` says "not answered yet" instead of failing.
  - plain ``# BEGIN SOLUTION`` → ``...  # your code here``.

* **Markdown cells.** Text from ``<!-- BEGIN SOLUTION -->`` to ``<!-- END SOLUTION -->``
  (both included) becomes ``_Write your answer here._``. Written-answer cells keep their
  metadata ``{"defection": {"answer": "w1"}}`` and first line ``**Your answer (w1):**``.

* **Everything else is kept**: cell order, cell ids, cell and notebook metadata
  (kernelspec). Outputs and execution counts are removed, and so is the
  ``nbval-check-output`` tag (an exercise has no stored output to compare). The notebook
  metadata gains ``{"defection": {"lesson": "NN"}}`` (from the file name) so the grader
  knows the lesson even when a student renames the file.

* The closing reference list (see :mod:`defection.citations`) is rebuilt from what the
  exercise still cites, so works cited only in a model answer are not listed.

* Writing is deterministic (nbformat v4, ``indent=1``, sorted keys, trailing newline),
  and files are only rewritten when their bytes change, so regeneration is
  byte-identical. A marker without its partner raises :class:`ExerciseError` naming the
  notebook and the cell number (1-based, counting every cell).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER_CODE = "...  # your code here"
PLACEHOLDER_TEXT = "_Write your answer here._"
DROP_TAGS = {"nbval-check-output"}
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")

_BEGIN = re.compile(r"^(?P<indent>\s*)#\s*BEGIN SOLUTION\b\s*(?::\s*(?P<repl>.*?))?\s*$")
_END = re.compile(r"^\s*#\s*END SOLUTION\b\s*$")
_MD_BEGIN = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->")
_MD_END = re.compile(r"<!--\s*END SOLUTION\s*-->")
_LESSON = re.compile(r"^(\d{2})_")


class ExerciseError(ValueError):
    """A solution notebook cannot be turned into an exercise (e.g. unbalanced markers)."""


def strip_code(source: str, where: str = "") -> str:
    """Replace each solution block in a code cell's source (see module docstring)."""
    out: list[str] = []
    open_at: int | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        begin = _BEGIN.match(line)
        if begin:
            if open_at is not None:
                raise ExerciseError(
                    f"{where}: '# BEGIN SOLUTION' on line {number} comes before the "
                    f"'# END SOLUTION' of the block opened on line {open_at}"
                )
            open_at = number
            repl = begin.group("repl")
            out.append(begin.group("indent") + (repl if repl else PLACEHOLDER_CODE))
            continue
        if _END.match(line):
            if open_at is None:
                raise ExerciseError(
                    f"{where}: '# END SOLUTION' on line {number} has no '# BEGIN SOLUTION'"
                )
            open_at = None
            continue
        if open_at is None:
            out.append(line)
    if open_at is not None:
        raise ExerciseError(
            f"{where}: '# BEGIN SOLUTION' on line {open_at} has no matching '# END SOLUTION'"
        )
    return "\n".join(out)


def strip_markdown(source: str, where: str = "") -> str:
    """Replace each ``<!-- BEGIN SOLUTION -->…<!-- END SOLUTION -->`` with the placeholder."""
    out: list[str] = []
    pos = 0
    while True:
        begin = _MD_BEGIN.search(source, pos)
        end = _MD_END.search(source, pos)
        if begin is None and end is None:
            out.append(source[pos:])
            break
        if begin is None or (end is not None and end.start() < begin.start()):
            raise ExerciseError(f"{where}: '<!-- END SOLUTION -->' has no '<!-- BEGIN SOLUTION -->'")
        if end is None:
            raise ExerciseError(
                f"{where}: '<!-- BEGIN SOLUTION -->' has no matching '<!-- END SOLUTION -->'"
            )
        nested = _MD_BEGIN.search(source, begin.end())
        if nested is not None and nested.start() < end.start():
            raise ExerciseError(f"{where}: '<!-- BEGIN SOLUTION -->' is opened twice")
        out.append(source[pos : begin.start()])
        out.append(PLACEHOLDER_TEXT)
        pos = end.end()
    return "".join(out)


def _stable_id(stem: str, index: int) -> str:
    return hashlib.sha1(f"{stem}:{index}".encode()).hexdigest()[:8]


def make_exercise(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Return the exercise version of solution notebook ``nb`` (named ``name``)."""
    ex = copy.deepcopy(nb)
    stem = Path(name).stem
    if ex.get("nbformat_minor", 0) < 5:
        ex["nbformat_minor"] = 5
    for index, cell in enumerate(ex.cells):
        where = f"{name}, cell {index + 1}"
        if not cell.get("id"):
            cell["id"] = _stable_id(stem, index)
        meta = cell.setdefault("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            meta.pop(key, None)
        tags = meta.get("tags")
        if tags:
            kept = [t for t in tags if t not in DROP_TAGS]
            if kept:
                meta["tags"] = kept
            else:
                meta.pop("tags")
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source, where)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = strip_markdown(cell.source, where)
            if "attachments" in cell and not cell["attachments"]:
                del cell["attachments"]
        else:
            if "BEGIN SOLUTION" in cell.source:
                raise ExerciseError(f"{where}: solution markers in a {cell.cell_type} cell")
    ex.metadata.pop("widgets", None)
    _relist_references(ex, name)
    m = _LESSON.match(stem)
    if m:
        ex.metadata.setdefault("defection", {})
        ex.metadata["defection"].setdefault("lesson", m.group(1))
    return ex


def _relist_references(ex: nbformat.NotebookNode, name: str) -> None:
    """Rebuild the closing reference list from what the exercise itself still cites.

    A solution's list also holds works cited only in its model answers; once those are
    replaced by "_Write your answer here._" the exercise should not list them.
    """
    from defection import citations

    if any(c.cell_type == "markdown" and citations.is_reference_cell(c) for c in ex.cells):
        citations.sync_notebook(ex, citations.load_sources(), f"{name}, ")


def render(nb: nbformat.NotebookNode) -> str:
    """Serialise deterministically (what gets written to disk)."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        raise ExerciseError(f"{path.name}: cannot read notebook ({type(exc).__name__}: {exc})") from exc


def _expected_outputs(src_dir: Path) -> dict[str, str]:
    out = {}
    for path in sorted(Path(src_dir).glob("*.ipynb")):
        ex = make_exercise(_read(path), path.name)
        nbformat.validate(ex)
        out[path.name] = render(ex)
    return out


def generate(src_dir: Path | str = REPO / "solutions", dst_dir: Path | str = REPO / "exercises") -> list[Path]:
    """Write the exercise notebooks; return the paths that were (re)written."""
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    wanted = _expected_outputs(src_dir)  # all or nothing: errors before any write
    dst_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in wanted.items():
        target = dst_dir / name
        data = text.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            continue
        tmp = target.with_suffix(".ipynb.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        written.append(target)
    return written


def out_of_date(src_dir: Path | str = REPO / "solutions", dst_dir: Path | str = REPO / "exercises") -> list[str]:
    """Names of exercise files that are missing, differ from a fresh generation, or have
    no solution notebook any more."""
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    wanted = _expected_outputs(src_dir)
    stale = []
    for name, text in wanted.items():
        target = dst_dir / name
        if not target.exists():
            stale.append(f"{name} (missing)")
        elif target.read_bytes() != text.encode("utf-8"):
            stale.append(f"{name} (differs from solutions/{name})")
    if dst_dir.exists():
        for path in sorted(dst_dir.glob("*.ipynb")):
            if path.name not in wanted:
                stale.append(f"{path.name} (no matching solution notebook)")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defection.exercises",
        description="Regenerate exercises/ from solutions/ (strip solution blocks and outputs).",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    parser.add_argument("--src", type=Path, default=REPO / "solutions", help="solution notebooks")
    parser.add_argument("--dst", type=Path, default=REPO / "exercises", help="exercise notebooks")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = out_of_date(args.src, args.dst)
            if stale:
                print("Out of date — run `python -m defection.exercises`:", file=sys.stderr)
                for item in stale:
                    print(f"  {item}", file=sys.stderr)
                return 1
            print("exercises/ is up to date.")
            return 0
        written = generate(args.src, args.dst)
    except ExerciseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("exercises/ already up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
