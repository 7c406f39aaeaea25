"""The bibliography page: every row of data/sources.csv, each with its ``ref-<id>`` anchor.

Lessons and the data dictionary link to ``bibliography.html#ref-<source_id>``; the page is
generated from the CSV so that it always lists exactly the sources the data and lessons can
cite. Entries are sorted by author-year, as a reader scans a reference list.
"""

from __future__ import annotations

import csv
from pathlib import Path

from defection.site.markup import anchor, md_escape, ref_id

PAGE = "bibliography"
REQUIRED_COLUMNS = ("source_id", "short", "citation")


class SourcesFileError(ValueError):
    """data/sources.csv is missing a column or a row lacks a required value."""


def read_sources(path: Path) -> list[dict[str, str]]:
    """Rows of ``path`` (a sources.csv), checked for the columns the page needs."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourcesFileError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        for column in REQUIRED_COLUMNS:
            if not (row.get(column) or "").strip():
                raise SourcesFileError(f"{path}, row {number}: column {column!r} is empty")
        if row["source_id"] in seen:
            raise SourcesFileError(f"{path}, row {number}: source_id {row['source_id']!r} appears twice")
        seen.add(row["source_id"])
    return rows


def entry(row: dict[str, str]) -> str:
    """One list item: anchor, author-year in bold, the full citation, and its URL if public."""
    url = (row.get("url") or "").strip()
    citation = md_escape(row["citation"])
    tail = f" <{url}>" if url.startswith(("http://", "https://")) and url not in row["citation"] else ""
    kind = (row.get("kind") or "").strip()
    kind_note = f" *({md_escape(kind.replace('_', ' '))})*" if kind else ""
    return f"- {anchor(ref_id(row['source_id']))}**{md_escape(row['short'])}**. {citation}{tail}{kind_note}"


def page(rows: list[dict[str, str]]) -> str:
    """The bibliography page's Markdown."""
    ordered = sorted(rows, key=lambda r: (r["short"].casefold(), r["source_id"]))
    lines = [
        "# Bibliography",
        "",
        f"Every source the course and its data cite: {len(ordered)} entries from `data/sources.csv`,",
        "sorted by author and year. The kind in brackets says what sort of source it is: a",
        "*party claim* is what one side said about itself or its enemy, to be read as a claim.",
        "",
    ]
    lines += [entry(row) for row in ordered]
    return "\n".join(lines) + "\n"
