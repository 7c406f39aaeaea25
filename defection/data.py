"""Load the course's datasets as typed DataFrames, validated against ``data/datapackage.json``.

Why validate on every load: the tables are small and hand-built, and a student (or a
maintainer adding a row) must learn about a broken file from a message that names the
file, the row as counted in the CSV, the column, the bad value and the rule broken — all
problems at once, not a pandas traceback. The schema is a Frictionless Data Package, so the
same rules are documented for anyone, with or without this package.

Data is found through package resources (``defection._data``), never a path guessed from
the working directory, so loading works from an editable install, a wheel or a
browser-based Jupyter.

>>> from defection import data
>>> events = data.load("events")
>>> data.tables()  # every table, its row count and a one-line description
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from defection import definitions as _definitions

__all__ = ["DataError", "Problem", "coverage", "describe", "load", "schema", "tables", "when"]

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGER = re.compile(r"^-?\d+$")
_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    """One broken rule in one place of a data file. ``row`` counts lines as a person reads
    the CSV (the header is row 1, the first record row 2); ``None`` means the whole file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        place = ", ".join(where) if where else "whole file"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{place}{shown} — {self.rule}"


class DataError(ValueError):
    """A data file breaks its schema. The message lists every problem found in the file."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        count = len(problems)
        lines = [f"{file} has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {p}" for p in problems[:_MAX_LISTED]]
        if count > _MAX_LISTED:
            lines.append(f"  … and {count - _MAX_LISTED} more of the same kinds")
        lines.append(f"Fix {file} (the data dictionary is data/README.md) and load it again.")
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------------------- locating


def _default_root():
    return resources.files("defection._data")


def _root(root: str | Path | None):
    return _default_root() if root is None else Path(root)


def _read_package(root) -> dict:
    try:
        text = (root / "datapackage.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("data/datapackage.json", [Problem("data/datapackage.json", None, None, None, "file is missing")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(
            "data/datapackage.json",
            [Problem("data/datapackage.json", err.lineno, None, None, f"not valid JSON ({err.msg})")],
        ) from None


def _resources(root) -> dict[str, dict]:
    return {res["name"]: res for res in _read_package(root).get("resources", [])}


def _resource(name: str, root) -> dict:
    found = _resources(root)
    if name not in found:
        known = ", ".join(sorted(found))
        raise KeyError(f"no table called {name!r}; the tables are: {known}")
    return found[name]


# ---------------------------------------------------------------------------- reading


def _display_name(res: dict) -> str:
    return f"data/{res['path']}"


def _read_records(res: dict, root) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, cells) pairs, or DataError for unreadable files."""
    fname = _display_name(res)
    try:
        raw = (root / res["path"]).read_bytes()
    except FileNotFoundError:
        raise DataError(fname, [Problem(fname, None, None, None, "file is missing")]) from None
    if not raw.strip():
        raise DataError(fname, [Problem(fname, None, None, None, "file is empty; expected a header row and data rows")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad = raw[err.start : err.start + 4]
        raise DataError(
            fname,
            [Problem(fname, line, None, repr(bad), f"bytes at position {err.start} are not UTF-8; save the file as UTF-8")],
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if header is None:
                header = [c.strip() for c in cells]
            elif any(c.strip() for c in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise DataError(fname, [Problem(fname, reader.line_num, None, None, f"CSV cannot be read: {err}")]) from None
    return header or [], records


def _header_problems(fname: str, header: list[str], names: list[str]) -> list[Problem]:
    problems = []
    if len(header) == 1 and len(names) > 1:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if delim in header[0]:
                return [Problem(fname, 1, None, header[0][:60], f"the file uses {label} between columns; expected commas")]
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    for n in missing:
        problems.append(Problem(fname, 1, n, None, "required column is missing from the header"))
    for h in extra:
        problems.append(Problem(fname, 1, h, None, f"column is not in the schema; expected only: {', '.join(names)}"))
    dupes = {h for h in header if header.count(h) > 1}
    for h in sorted(dupes):
        problems.append(Problem(fname, 1, h, None, "column appears more than once in the header"))
    return problems


# ---------------------------------------------------------------------------- checking cells


def _parse(value: str, ftype: str) -> tuple[object, str | None]:
    """Parse one non-empty cell; return (python value, error rule or None)."""
    if ftype in ("integer", "year"):
        if _THOUSANDS.match(value):
            return None, "number is written with thousands separators; write it with digits only (e.g. 12327)"
        pattern = _YEAR if ftype == "year" else _INTEGER
        if not pattern.match(value):
            expected = "a four-digit year" if ftype == "year" else "a whole number"
            return None, f"expected {expected}"
        return int(value), None
    if ftype == "number":
        if _THOUSANDS.match(value):
            return None, "number is written with thousands separators; write it with digits only (e.g. 12327)"
        try:
            number = float(value)
        except ValueError:
            return None, "expected a number (digits, optional decimal point)"
        if number != number:  # NaN
            return None, "expected a number, got NaN"
        return number, None
    if ftype == "date":
        if not _DATE.match(value):
            return None, "expected a date written YYYY-MM-DD"
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            return None, "not a real calendar date (YYYY-MM-DD)"
    if ftype == "boolean":
        if value.lower() in ("true", "1", "yes"):
            return True, None
        if value.lower() in ("false", "0", "no"):
            return False, None
        return None, "expected true or false"
    return value, None


def _bound(value: object, ftype: str, raw: object) -> object:
    if ftype == "date":
        return dt.date.fromisoformat(str(raw))
    return raw


def _cell_problems(fname: str, row: int, field: dict, raw: str) -> tuple[object, list[Problem]]:
    name, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    value = raw.strip()
    if value == "":
        if cons.get("required"):
            return None, [Problem(fname, row, name, raw, "a value is required here")]
        return None, []
    parsed, error = _parse(value, ftype)
    if error:
        return None, [Problem(fname, row, name, value, error)]
    problems = []
    if "enum" in cons and parsed not in cons["enum"]:
        allowed = ", ".join(str(v) for v in cons["enum"])
        problems.append(Problem(fname, row, name, value, f"not an allowed value; allowed: {allowed}"))
    if "minimum" in cons and parsed < _bound(parsed, ftype, cons["minimum"]):
        problems.append(Problem(fname, row, name, value, f"below the minimum {cons['minimum']}"))
    if "maximum" in cons and parsed > _bound(parsed, ftype, cons["maximum"]):
        problems.append(Problem(fname, row, name, value, f"above the maximum {cons['maximum']}"))
    if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
        problems.append(Problem(fname, row, name, value, f"does not match the pattern {cons['pattern']}"))
    if "maxLength" in cons and len(value) > cons["maxLength"]:
        problems.append(Problem(fname, row, name, value[:40], f"longer than {cons['maxLength']} characters"))
    return parsed, problems


def _as_list(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x or [])


def _validate(name: str, root) -> tuple[dict, list[tuple[int, dict]]]:
    res = _resource(name, root)
    fname = _display_name(res)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    header, records = _read_records(res, root)
    problems = _header_problems(fname, header, names)
    if problems and any("between columns" in p.rule for p in problems):
        raise DataError(fname, problems)
    index = {h: i for i, h in enumerate(header)}
    rows: list[tuple[int, dict]] = []
    for row_no, cells in records:
        if len(cells) != len(header):
            problems.append(
                Problem(fname, row_no, None, None, f"has {len(cells)} cells but the header has {len(header)} columns")
            )
            continue
        parsed_row = {}
        for field in fields:
            if field["name"] not in index:
                continue
            value, cell_problems = _cell_problems(fname, row_no, field, cells[index[field["name"]]])
            problems += cell_problems
            parsed_row[field["name"]] = value
        rows.append((row_no, parsed_row))
    if not records:
        problems.append(Problem(fname, None, None, None, "has a header but no data rows"))
    problems += _key_problems(fname, res, rows)
    problems += _foreign_key_problems(fname, res, rows, root)
    problems += _definitions.rule_problems(fname, res, rows)
    if problems:
        raise DataError(fname, problems)
    return res, rows


def _key_problems(fname: str, res: dict, rows: list[tuple[int, dict]]) -> list[Problem]:
    problems = []
    schema = res["schema"]
    keys = [_as_list(schema.get("primaryKey"))] if schema.get("primaryKey") else []
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for key in keys:
        seen: dict[tuple, int] = {}
        for row_no, row in rows:
            value = tuple(row.get(k) for k in key)
            if any(v is None for v in value):
                continue
            if value in seen:
                shown = ", ".join(str(v) for v in value)
                problems.append(
                    Problem(fname, row_no, "+".join(key), shown, f"duplicate key: already used in row {seen[value]}")
                )
            else:
                seen[value] = row_no
    return problems


def _foreign_key_problems(fname: str, res: dict, rows: list[tuple[int, dict]], root) -> list[Problem]:
    problems = []
    for fk in res["schema"].get("foreignKeys", []):
        fields = _as_list(fk["fields"])
        ref = fk["reference"]
        ref_name = ref.get("resource") or res["name"]
        ref_fields = _as_list(ref["fields"])
        if ref_name == res["name"]:
            allowed = {tuple(r.get(f) for f in ref_fields) for _, r in rows}
        else:
            allowed = _key_values(ref_name, tuple(ref_fields), _root_key(root))
        ref_file = f"data/{_resource(ref_name, root)['path']}"
        for row_no, row in rows:
            value = tuple(row.get(f) for f in fields)
            if any(v is None for v in value):
                continue
            if value not in allowed:
                shown = ", ".join(str(v) for v in value)
                problems.append(
                    Problem(fname, row_no, "+".join(fields), shown, f"no such key in {ref_file} (column {', '.join(ref_fields)})")
                )
    return problems


def _root_key(root) -> str | None:
    return None if root == _default_root() else str(root)


@lru_cache(maxsize=64)
def _key_values(name: str, fields: tuple[str, ...], root_key: str | None) -> frozenset:
    _, rows = _validated(name, root_key)
    return frozenset(tuple(r.get(f) for f in fields) for _, r in rows)


@lru_cache(maxsize=64)
def _validated(name: str, root_key: str | None):
    return _validate(name, _root(root_key))


# ---------------------------------------------------------------------------- public API


def _frame(res: dict, rows: list[tuple[int, dict]]) -> pd.DataFrame:
    fields = res["schema"]["fields"]
    columns = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        values = [row.get(name) for _, row in rows]
        if ftype in ("integer", "year"):
            series = pd.array(values, dtype="Int64")
        elif ftype == "number":
            series = pd.array(values, dtype="Float64")
        elif ftype == "date":
            series = pd.to_datetime(pd.Series(values, dtype="object"))
        elif ftype == "boolean":
            series = pd.array(values, dtype="boolean")
        elif field.get("categorical") or "enum" in field.get("constraints", {}):
            categories = field.get("constraints", {}).get("enum")
            series = pd.Categorical(values, categories=categories)
        else:
            series = pd.array(values, dtype="string")
        columns[name] = series
    return pd.DataFrame(columns)


def load(name: str, *, root: str | Path | None = None) -> pd.DataFrame:
    """Return table ``name`` as a typed DataFrame, after validating it against its schema.

    Dates are datetimes, categorical columns pandas Categoricals (with every allowed
    value as a category), whole numbers nullable ``Int64`` and other numbers ``Float64``.
    ``root`` points at another folder holding a ``datapackage.json`` (used by tests).
    Raises ``DataError`` listing every problem when the file breaks its schema, and
    ``KeyError`` naming the available tables when ``name`` is unknown.

    >>> load("events").dtypes["date"]
    dtype('<M8[ns]')
    """
    root_key = None if root is None else str(Path(root))
    res, rows = _validated(name, root_key)
    return _frame(res, rows).copy()


def tables(*, root: str | Path | None = None) -> pd.DataFrame:
    """Every table in the course: name, number of rows and a one-line description."""
    root_obj = _root(root)
    out = []
    for name, res in sorted(_resources(root_obj).items()):
        frame = load(name, root=root)
        out.append({"table": name, "rows": len(frame), "description": res.get("description", "")})
    return pd.DataFrame(out, columns=["table", "rows", "description"])


def schema(name: str, *, root: str | Path | None = None) -> pd.DataFrame:
    """The columns of table ``name``: type, unit, whether required, allowed values, meaning."""
    res = _resource(name, _root(root))
    out = []
    for f in res["schema"]["fields"]:
        cons = f.get("constraints", {})
        out.append(
            {
                "column": f["name"],
                "type": f.get("type", "string"),
                "unit": f.get("unit", ""),
                "required": bool(cons.get("required")),
                "allowed": ", ".join(str(v) for v in cons.get("enum", [])),
                "description": f.get("description", ""),
            }
        )
    return pd.DataFrame(out)


def describe(name: str, *, root: str | Path | None = None) -> str:
    """A short plain-text account of table ``name``: what a row is and its columns."""
    res = _resource(name, _root(root))
    frame = load(name, root=root)
    lines = [f"{res.get('title', name)} ({len(frame)} rows) — {res.get('description', '')}"]
    for f in res["schema"]["fields"]:
        unit = f" [{f['unit']}]" if f.get("unit") else ""
        lines.append(f"  {f['name']}{unit}: {f.get('description', '')}")
    return "\n".join(lines)


def coverage(*, root: str | Path | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date the Myanmar tables cover (the data package's ``coverage``)."""
    cov = _read_package(_root(root)).get("coverage", {})
    return pd.Timestamp(cov["start"]), pd.Timestamp(cov["end"])


#: How each ``date_precision`` is written: a month-level date is stored as the 1st of the month,
#: and printing it as "1 January" would claim a day nobody reported.
_WHEN_FORMATS = {"day": "{d.day} {d:%B %Y}", "month": "{d:%B %Y}", "year": "{d:%Y}"}


def when(frame: pd.DataFrame) -> pd.Series:
    """Each row's date written only as exactly as it is known ("4 January 2024", "January 2024").

    Tables sort month-level rows to the 1st of their month, so a month-dated event can sit
    above a day-dated one that happened before it; printing the date at its own precision
    shows the reader why. Rows without ``date_precision`` are taken as exact to the day.
    """
    precision = frame["date_precision"] if "date_precision" in frame else None
    out = []
    for i, d in enumerate(frame["date"]):
        if pd.isna(d):
            out.append("")
            continue
        level = "day" if precision is None or pd.isna(precision.iloc[i]) else str(precision.iloc[i])
        out.append(_WHEN_FORMATS.get(level, _WHEN_FORMATS["day"]).format(d=pd.Timestamp(d)))
    return pd.Series(out, index=frame.index, name="when", dtype="string")


def source_ids_used(*, root: str | Path | None = None) -> set[str]:
    """Every ``source_id`` cited by some row of some table (sources itself excluded)."""
    used: set[str] = set()
    for name in _resources(_root(root)):
        if name == "sources":
            continue
        frame = load(name, root=root)
        if "source_id" in frame:
            used |= set(frame["source_id"].dropna().astype(str))
    return used


def clear_cache() -> None:
    """Forget loaded tables (after editing a CSV in a running session)."""
    _validated.cache_clear()
    _key_values.cache_clear()


def _iter_names(root=None) -> Iterable[str]:
    return sorted(_resources(_root(root)))
