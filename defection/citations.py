"""Citations that read as citations, in JupyterLab, on the website and on paper.

A notebook's markdown is all most readers ever see of it, and JupyterLab has no citation
processor: a key such as ``[@kyed_2024]`` would show as written. So the notebooks carry
citations already formatted, author-year, each a link to its entry in a reference list in
the notebook's last cell::

    ... more than 6,000 gave up ([Kyed 2024](#ref-kyed_2024)).

    ## References
    - <a id="ref-kyed_2024"></a>Kyed, H. M. (2024). ...

The reference list is *generated* from ``data/sources.csv`` (never typed), and this module
is the one place that writes it. ``python -m defection.citations`` converts any remaining
``[@key]`` groups and rewrites every reference list; ``--check`` only reports what is out
of step (a test runs that), so a new citation cannot miss its entry, an entry cannot outlive
its last citation, and a changed short form in ``sources.csv`` cannot go stale in the text.

Markdown files (``INSTRUCTORS.md``, ``data/README.md``) get the same treatment; their list is
everything after the marker comment, to the end of the file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from defection.sources import CITATION_GROUP, CITATION_KEY, CITATION_LINK, UnknownSourceError

ROOT = Path(__file__).resolve().parent.parent

#: Metadata tag and cell id of a notebook's generated reference list.
REFERENCES_TAG = "references"
#: First line of every generated list; also marks where a markdown file's list begins.
MARKER = ("<!-- Reference list made from data/sources.csv by `python -m defection.citations`. "
          "Edit the citations in the text, not this list: the command rewrites it. -->")
HEADING = "## References"

#: What ``python -m defection.citations`` looks after when given no paths.
DEFAULT_TARGETS = ("lessons", "exercises", "solutions", "INSTRUCTORS.md", "data/README.md")

#: One linked citation, ``[Kyed 2024](#ref-kyed_2024)``, and a parenthesised run of them.
_ONE_LINK = r"\[[^\[\]]+\]\(#ref-[a-z][a-z0-9_]*\)"
LINKED_GROUP = re.compile(r"\(\s*" + _ONE_LINK + r"(?:\s*;\s*" + _ONE_LINK + r")*\s*\)")


@dataclass(frozen=True)
class Source:
    """What a citation needs from one row of ``data/sources.csv``."""

    key: str
    short: str
    citation: str
    url: str = ""


def load_sources(table=None) -> dict[str, Source]:
    """Every source by key, from the course's table (or a given DataFrame, for tests)."""
    if table is None:
        from defection import data

        table = data.load("sources")
    out: dict[str, Source] = {}
    for row in table.to_dict("records"):
        url = row.get("url")
        out[str(row["source_id"])] = Source(
            key=str(row["source_id"]), short=str(row["short"]), citation=str(row["citation"]),
            url=url if isinstance(url, str) else "")
    return out


def anchor(key: str) -> str:
    """The id of a source's entry in a reference list (and on the site's bibliography page)."""
    return f"ref-{key}"


def link(key: str, sources: Mapping[str, Source]) -> str:
    """``[Kyed 2024](#ref-kyed_2024)``: one citation as the notebooks write it."""
    return f"[{_known(key, sources).short}](#{anchor(key)})"


def _known(key: str, sources: Mapping[str, Source], where: str = "") -> Source:
    if key not in sources:
        import difflib

        close = difflib.get_close_matches(key, list(sources), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownSourceError(f"{where}no source {key!r} in data/sources.csv.{hint}")
    return sources[key]


def convert(text: str, sources: Mapping[str, Source], where: str = "") -> str:
    """Rewrite ``[@a; @b]`` groups as ``([A](#ref-a); [B](#ref-b))``; refresh link texts.

    An unknown key raises :class:`UnknownSourceError` naming ``where`` (file and cell), so a
    typo is caught before anything is written.
    """

    def old(match: re.Match) -> str:
        keys = CITATION_KEY.findall(match.group(1))
        return "(" + "; ".join(link(_known(k, sources, where).key, sources) for k in keys) + ")"

    def refresh(match: re.Match) -> str:
        return link(_known(match.group(2), sources, where).key, sources)

    def prose(part: str) -> str:
        return CITATION_LINK.sub(refresh, CITATION_GROUP.sub(old, part))

    return _outside_code(text, prose)


#: Fenced blocks and inline code spans: examples of markup, never citations themselves.
_CODE = re.compile(r"(^```.*?^```[^\n]*$|^~~~.*?^~~~[^\n]*$|(`+)(?:(?!\2).)+?\2)", re.S | re.M)


def _outside_code(text: str, change) -> str:
    """Apply ``change`` to the parts of markdown ``text`` that are not code."""
    out, last = [], 0
    for match in _CODE.finditer(text):
        out += [change(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(out + [change(text[last:])])


def _prose_only(text: str) -> str:
    return _CODE.sub(" ", text)


def reference_entry(source: Source) -> str:
    """One list item: an anchor to land on, the full citation, and its address if public."""
    text = _escape(source.citation.strip())
    if source.url and source.url not in source.citation:
        text += f" <{source.url}>"
    return f"- <a id=\"{anchor(source.key)}\"></a>{text}"


def _escape(text: str) -> str:
    """Keep a citation's asterisks and underscores literal (``J*Fly``) in markdown."""
    return re.sub(r"([*_`\[\]])", r"\\\1", text)


def reference_list(keys: Iterable[str], sources: Mapping[str, Source]) -> str:
    """The markdown of a reference list, in author-year order (as the short forms sort)."""
    chosen = sorted({_known(k, sources).key for k in keys},
                    key=lambda k: (sources[k].citation.casefold(), k))
    lines = [HEADING, "", MARKER, ""]
    lines += [reference_entry(sources[k]) for k in chosen]
    return "\n".join(lines)


def cited_keys(text: str) -> list[str]:
    """Keys cited in ``text`` by link, in order of first appearance (no repeats)."""
    return list(dict.fromkeys(m.group(2) for m in CITATION_LINK.finditer(_prose_only(text))))


# --------------------------------------------------------------------------- notebooks

def is_answer_cell(cell) -> bool:
    """A student's written-answer cell: it keeps source keys as the student typed them.

    Students cite by key (``[@kyed_2024]``), which is unambiguous for whoever grades them;
    a solution's model answer is written the same way, to show how.
    """
    return bool(cell.get("metadata", {}).get("defection", {}).get("answer"))


def is_reference_cell(cell) -> bool:
    """Whether ``cell`` is a generated reference list (by its tag or its marker line)."""
    return REFERENCES_TAG in cell.get("metadata", {}).get("tags", []) or MARKER in cell.get("source", "")


def sync_notebook(nb, sources: Mapping[str, Source], where: str = "") -> bool:
    """Convert a notebook's citations and (re)write its closing reference list, in place.

    Returns whether anything changed. A notebook that cites nothing gets no list.
    """
    import nbformat

    before = [(c.cell_type, c.source) for c in nb.cells]
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and is_reference_cell(c))]
    keys: list[str] = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and not is_answer_cell(cell):
            cell.source = convert(cell.source, sources, f"{where}cell {cell.get('id', i)}: ")
            keys += cited_keys(cell.source)
    if keys:
        cell = nbformat.v4.new_markdown_cell(reference_list(keys, sources))
        cell["id"] = REFERENCES_TAG
        cell.metadata["tags"] = [REFERENCES_TAG]
        nb.cells.append(cell)
    return before != [(c.cell_type, c.source) for c in nb.cells]


def notebook_problems(nb, sources: Mapping[str, Source], where: str) -> list[str]:
    """What is out of step in a notebook's citations, one readable line each."""
    problems: list[str] = []
    keys: list[str] = []
    ref_cells = [c for c in nb.cells if c.cell_type == "markdown" and is_reference_cell(c)]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or is_reference_cell(cell) or is_answer_cell(cell):
            continue
        label = f"{where}, cell {cell.get('id', i)}"
        prose = _prose_only(cell.source)
        for group in CITATION_GROUP.findall(prose):
            problems.append(f"{label}: raw citation key [{group}] (run python -m defection.citations)")
        for match in CITATION_LINK.finditer(prose):
            text, key = match.groups()
            if key not in sources:
                problems.append(f"{label}: cites {key!r}, which is not in data/sources.csv")
            elif text != sources[key].short:
                problems.append(f"{label}: link text {text!r} for {key} should read "
                                f"{sources[key].short!r} (data/sources.csv)")
            else:
                keys.append(key)
    if not keys and not ref_cells:
        return problems
    if len(ref_cells) != 1 or nb.cells[-1] is not ref_cells[0]:
        problems.append(f"{where}: needs exactly one reference list, as its last cell "
                        f"(found {len(ref_cells)})")
    elif keys and ref_cells[0].source != reference_list(keys, sources):
        listed = set(CITATION_ANCHOR.findall(ref_cells[0].source))
        missing, extra = sorted(set(keys) - listed), sorted(listed - set(keys))
        detail = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"not cited any more: {', '.join(extra)}" if extra else "") if part)
        problems.append(f"{where}: reference list out of date ({detail or 'entries changed'}); "
                        "run python -m defection.citations")
    elif not keys:
        problems.append(f"{where}: has a reference list but cites nothing")
    return problems


CITATION_ANCHOR = re.compile(r"<a id=\"ref-([a-z][a-z0-9_]*)\"></a>")


# --------------------------------------------------------------------------- markdown files

def sync_markdown(text: str, sources: Mapping[str, Source], where: str = "") -> str:
    """A markdown document with citations converted and its closing list rewritten."""
    body = text.split(MARKER)[0]
    if body.rstrip().endswith(HEADING):
        body = body.rstrip()[: -len(HEADING)]
    body = convert(body, sources, where).rstrip() + "\n"
    keys = cited_keys(body)
    if not keys:
        return body
    return body + "\n" + reference_list(keys, sources) + "\n"


# --------------------------------------------------------------------------- command line

def _targets(paths: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.is_absolute():
            path = ROOT / path
        if path.is_dir():
            found += sorted(p for p in path.glob("*.ipynb"))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {name}")
    return found


def check(paths: Iterable[str] = DEFAULT_TARGETS, sources: Mapping[str, Source] | None = None) -> list[str]:
    """Every citation problem in the given notebooks and markdown files (empty when in step)."""
    import nbformat

    sources = load_sources() if sources is None else sources
    problems: list[str] = []
    for path in _targets(paths):
        where = _rel(path)
        if path.suffix == ".ipynb":
            problems += notebook_problems(nbformat.read(path, as_version=4), sources, where)
        else:
            text = path.read_text(encoding="utf-8")
            try:
                expected = sync_markdown(text, sources, f"{where}: ")
            except UnknownSourceError as err:
                problems.append(str(err))
                continue
            if expected != text:
                problems.append(f"{where}: citations or reference list out of date; "
                                "run python -m defection.citations")
    return problems


def _rel(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defection.citations",
        description="Write citations as author-year links and rebuild each notebook's reference "
                    "list from data/sources.csv.")
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_TARGETS),
                        help="notebooks, markdown files or folders (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list what is out of date and exit 1 if anything is")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.paths)
            for line in problems:
                print(line)
            return 1 if problems else 0
        return _write(args.paths)
    except (UnknownSourceError, FileNotFoundError) as err:
        print(f"citations: {err}", file=sys.stderr)
        return 2


def _write(paths: Iterable[str]) -> int:
    import nbformat

    sources = load_sources()
    for path in _targets(paths):
        where = f"{_rel(path)}, "
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            if sync_notebook(nb, sources, where):
                nbformat.write(nb, path)
                print(f"updated {_rel(path)}")
        else:
            text = path.read_text(encoding="utf-8")
            new = sync_markdown(text, sources, where)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(f"updated {_rel(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
