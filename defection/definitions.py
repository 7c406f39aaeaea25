"""One definition per coding category, read from the data package, for everyone who uses it.

A coding such as ``sf_defection = partial`` is defined once, in the ``categories`` block of
its field in ``data/datapackage.json``: a label, a definition, the flags that say how the
course counts it (``split_at_top``: the top of the security forces split;
``broke_with_ruler``: some part of them broke with the ruler; ``counts_as_defection``: the
course's comparisons put the case in the "with defection" group) and ``requires``, the values other columns
of the same row may take under it (a case coded ``partial`` cannot have ``senior``
defectors). Data validation (:func:`rule_problems`, called by ``defection.data``),
lessons (:func:`show`), checks (:func:`values_where`), charts (:func:`labels`) and the
drift test all read it from there, so the word means one thing everywhere.

>>> from defection import definitions
>>> definitions.show("uprisings", "sf_defection")   # prints every value and its meaning
>>> definitions.values_where("uprisings", "sf_defection", split_at_top=True)
('major', 'elite_withdrawal')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["categories", "definition", "labels", "rule_problems", "show", "text",
           "values_where"]


def _field(table: str, column: str, root: str | Path | None) -> dict:
    from defection import data
    res = data._resource(table, data._root(root))
    for field in res["schema"]["fields"]:
        if field["name"] == column:
            return field
    names = ", ".join(f["name"] for f in res["schema"]["fields"])
    raise KeyError(f"table {table!r} has no column {column!r}; its columns are: {names}")


def categories(table: str, column: str, *, root: str | Path | None = None) -> list[dict]:
    """The defined categories of ``table.column``, in the package's order."""
    found = _field(table, column, root).get("categories")
    if not found:
        raise KeyError(f"{table}.{column} has no categories block in data/datapackage.json")
    return [dict(c) for c in found]


def _category(table: str, column: str, value: str, root) -> dict:
    for cat in categories(table, column, root=root):
        if cat["value"] == value:
            return cat
    known = ", ".join(c["value"] for c in categories(table, column, root=root))
    raise KeyError(f"{value!r} is not a category of {table}.{column}; they are: {known}")


def definition(table: str, column: str, value: str, *, root: str | Path | None = None) -> str:
    """The one definition of ``value``, as the data package states it."""
    return _category(table, column, value, root)["definition"]


def labels(table: str, column: str, *, root: str | Path | None = None) -> dict[str, str]:
    """value → short label, for legends and axes."""
    return {c["value"]: c.get("label", c["value"])
            for c in categories(table, column, root=root)}


def values_where(table: str, column: str, *, root: str | Path | None = None,
                 **flags: Any) -> tuple[str, ...]:
    """The values whose flags all equal ``flags``, e.g. ``split_at_top=True``."""
    cats = categories(table, column, root=root)
    for flag in flags:
        if not any(flag in c for c in cats):
            raise KeyError(f"no category of {table}.{column} has a flag {flag!r}")
    return tuple(c["value"] for c in cats
                 if all(c.get(k) == v for k, v in flags.items()))


def text(table: str, column: str, *, root: str | Path | None = None) -> str:
    """Every category of ``table.column`` with its definition, as plain lines."""
    lines = [f"{table}.{column}:"]
    for c in categories(table, column, root=root):
        extra = []
        if "split_at_top" in c:
            extra.append("a split at the top" if c["split_at_top"] else "not a split at the top")
        for other, allowed in c.get("requires", {}).items():
            extra.append(f"{other}: {' or '.join(allowed)}")
        more = f" [{'; '.join(extra)}]" if extra else ""
        lines.append(f"  {c['value']} — {c['definition']}{more}")
    return "\n".join(lines)


def show(table: str, column: str, *, root: str | Path | None = None) -> None:
    """Print every category of ``table.column`` with its definition (for lessons)."""
    print(text(table, column, root=root))


def rule_problems(fname: str, res: dict, rows: list[tuple[int, dict]]) -> list:
    """Rows that break a category's ``requires``: (row, column) problems for data.Problem.

    A blank value in the required column passes (the ledger may not establish it).
    """
    from defection.data import Problem
    problems = []
    for field in res["schema"]["fields"]:
        rules = {c["value"]: c.get("requires", {}) for c in field.get("categories", [])}
        for row_no, row in rows:
            value = row.get(field["name"])
            for other, allowed in rules.get(value, {}).items():
                got = row.get(other)
                if got is not None and str(got) not in allowed:
                    problems.append(Problem(
                        fname, row_no, other, str(got),
                        f"{field['name']} is {value!r}, whose definition allows {other} "
                        f"{' or '.join(allowed)} only (data/datapackage.json categories)"))
    return problems
