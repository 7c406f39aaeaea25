"""The data dictionary: one page per table of data/datapackage.json, and an index of tables.

Generated from the Frictionless descriptor (the same schema ``defection.data.load`` checks
rows against), so the site documents exactly the columns, types, units and allowed values
the course enforces. Each page also lists the sources its rows cite, counted from the
table's ``source_id`` column and linked to the bibliography, so a reader sees at once whose
claims a table is built from.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from defection.site.markup import link, md_escape, ref_id, table_cell

FOLDER = "data/tables"


class DataPackageError(ValueError):
    """datapackage.json (or a table it describes) cannot be turned into pages."""


@dataclass
class TablePage:
    """One generated page: its document name (``data/tables/events``) and Markdown."""

    name: str
    docname: str
    title: str
    text: str


def load_package(path: Path) -> dict:
    """The descriptor at ``path``, with a message naming the file if it is not valid JSON."""
    path = Path(path)
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataPackageError(f"{path}: cannot be read as JSON ({exc})") from exc
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataPackageError(f"{path}: has no 'resources' list")
    for number, resource in enumerate(resources):
        for key in ("name", "path"):
            if not resource.get(key):
                raise DataPackageError(f"{path}: resources[{number}] has no {key!r}")
        if not isinstance(resource.get("schema", {}).get("fields"), list):
            raise DataPackageError(f"{path}: resource {resource['name']!r} has no schema.fields list")
    return package


def constraints_text(field: dict) -> str:
    """A field's constraints in words: allowed values, ranges, patterns, length."""
    c = field.get("constraints") or {}
    parts: list[str] = []
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c and "maximum" in c:
        parts.append(f"from {md_escape(c['minimum'])} to {md_escape(c['maximum'])}")
    elif "minimum" in c:
        parts.append(f"at least {md_escape(c['minimum'])}")
    elif "maximum" in c:
        parts.append(f"at most {md_escape(c['maximum'])}")
    if "pattern" in c:
        parts.append(f"matches `{c['pattern']}`")
    if "maxLength" in c:
        parts.append(f"at most {c['maxLength']} characters")
    if c.get("unique"):
        parts.append("unique")
    return "; ".join(parts) if parts else "—"


def categories_section(fields: list[dict]) -> list[str]:
    """Each coded field's categories with their one definition (the data package's
    ``categories`` block, which data validation, lessons and checks also read)."""
    out: list[str] = []
    for field in fields:
        if not field.get("categories"):
            continue
        out += ["", f"## What each `{field['name']}` value means", "",
                "| Value | Definition | Split at the top? | Allowed with it |",
                "|---|---|---|---|"]
        for cat in field["categories"]:
            split = {True: "yes", False: "no"}.get(cat.get("split_at_top"), "—")
            allowed = "; ".join(f"`{k}`: " + ", ".join(f"`{v}`" for v in vals)
                                for k, vals in cat.get("requires", {}).items()) or "—"
            out.append(f"| `{cat['value']}` | {table_cell(cat.get('definition', ''))} "
                       f"| {split} | {allowed} |")
    return out


def _keys(resource: dict) -> list[str]:
    schema = resource.get("schema", {})
    lines = []
    primary = schema.get("primaryKey")
    if primary:
        cols = primary if isinstance(primary, list) else [primary]
        lines.append("**Primary key:** " + ", ".join(f"`{c}`" for c in cols) + " (unique in every row).")
    for fk in schema.get("foreignKeys") or []:
        fields = fk.get("fields")
        fields = fields if isinstance(fields, list) else [fields]
        ref = fk.get("reference", {})
        target = ref.get("resource", "")
        target_fields = ref.get("fields")
        target_fields = target_fields if isinstance(target_fields, list) else [target_fields]
        lines.append(
            "**Links:** " + ", ".join(f"`{f}`" for f in fields)
            + f" refers to [{md_escape(target)}]({target}.md) ("
            + ", ".join(f"`{f}`" for f in target_fields) + ")."
        )
    return lines


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    """The rows of one table's CSV (plain strings)."""
    try:
        with Path(csv_path).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise DataPackageError(f"{csv_path}: cannot be read ({exc})") from exc


def cited_sources(rows: list[dict[str, str]]) -> Counter:
    """How many rows cite each source_id (rows without the column or a value are skipped)."""
    return Counter(r["source_id"].strip() for r in rows if (r.get("source_id") or "").strip())


def table_page(
    resource: dict,
    rows: list[dict[str, str]],
    shorts: dict[str, str],
    *,
    bibliography: str,
    data_prefix: str = "../",
) -> TablePage:
    """The Markdown page of one table.

    ``shorts`` maps source_id to its author-year form; ``bibliography`` is the bibliography
    page's URL relative to this page (``../../bibliography.html``); ``data_prefix`` is where
    the CSV files sit relative to it (the site copies them into ``data/`` as downloads).
    """
    name = resource["name"]
    title = resource.get("title") or name
    fields = resource["schema"]["fields"]
    out = [
        f"# {md_escape(title)}",
        "",
        f"Table `{name}` · file [`{resource['path']}`]({data_prefix}{resource['path']}) (download) · "
        f"{len(rows)} rows · {len(fields)} columns.",
        "",
    ]
    if resource.get("description"):
        out += [md_escape(resource["description"]), ""]
    out += [line + "\n" for line in _keys(resource)]
    out += [
        "## Columns",
        "",
        "| Column | Type | Required | Allowed values | Description |",
        "|---|---|---|---|---|",
    ]
    for field in fields:
        required = "yes" if (field.get("constraints") or {}).get("required") else "no"
        label = f" ({md_escape(field['title'])})" if field.get("title") else ""
        kind = field.get("type", "any") + (f", in {md_escape(field['unit'])}" if field.get("unit") else "")
        out.append(
            f"| `{field['name']}`{label} | {kind} | {required} | {constraints_text(field)} "
            f"| {table_cell(field.get('description', ''))} |"
        )
    out += categories_section(fields)
    out += ["", "## Sources cited by its rows", ""]
    counts = cited_sources(rows)
    primary = resource["schema"].get("primaryKey")
    if primary == "source_id" or primary == ["source_id"]:
        out.append(
            f"This table is the list of sources itself: every row is an entry of the "
            f"{link(bibliography, 'bibliography')}."
        )
    elif not rows or "source_id" not in rows[0]:
        out.append("This table has no `source_id` column: its rows are sources themselves or derived.")
    elif not counts:
        out.append("No row of this table cites a source yet.")
    else:
        out.append(
            f"{len(counts)} sources, by how many of the {len(rows)} rows cite each "
            "(each links to its entry in the bibliography):"
        )
        out.append("")
        for source_id, n in sorted(counts.items(), key=lambda kv: (-kv[1], shorts.get(kv[0], kv[0]))):
            label = shorts.get(source_id, source_id)
            out.append(f"- {link(f'{bibliography}#{ref_id(source_id)}', label)} — {n} row{'s' if n != 1 else ''}")
    return TablePage(name=name, docname=f"{FOLDER}/{name}", title=str(title), text="\n".join(out) + "\n")


def index_page(pages: list[TablePage], package: dict) -> str:
    """The index of tables, with a toctree so every table page is in the site's navigation."""
    out = [
        "# Tables",
        "",
        md_escape(package.get("title", "The course's tables")) + ".",
        "Each page lists a table's columns (type, unit, allowed values, meaning) and the sources its",
        "rows cite. The machine-readable schema is `data/datapackage.json`.",
        "",
        "| Table | What it holds |",
        "|---|---|",
    ]
    by_name = {r["name"]: r for r in package["resources"]}
    for page in pages:
        description = by_name[page.name].get("description", "")
        out.append(f"| [{md_escape(page.title)}]({page.name}.md) | {table_cell(description)} |")
    out += ["", "```{toctree}", ":hidden:", ""] + [page.name for page in pages] + ["```", ""]
    return "\n".join(out)


def generate(datapackage: Path, *, bibliography: str = "../../bibliography.html") -> tuple[list[TablePage], str]:
    """Every table page and the index page for the descriptor at ``datapackage``."""
    datapackage = Path(datapackage)
    package = load_package(datapackage)
    folder = datapackage.parent
    shorts: dict[str, str] = {}
    resources = package["resources"]
    source_resource = next((r for r in resources if r["name"] == "sources"), None)
    if source_resource is not None:
        shorts = {r["source_id"]: r.get("short", r["source_id"]) for r in read_rows(folder / source_resource["path"])}
    pages = [
        table_page(r, read_rows(folder / r["path"]), shorts, bibliography=bibliography) for r in resources
    ]
    return pages, index_page(pages, package)
