"""A corrupted copy of each kind must fail with a message a student can act on."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from defection import data
from defection.data import DataError

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of data/ to corrupt."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    data.clear_cache()
    yield dst
    data.clear_cache()


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell; ``row`` counts as a person reads the CSV (header = 1)."""
    rows = read(path)
    rows[row - 1][rows[0].index(column)] = value
    write(path, rows)


def error_for(name: str, root: Path) -> str:
    with pytest.raises(DataError) as info:
        data.load(name, root=root)
    return str(info.value)


def test_the_real_copy_loads(copy):
    assert len(data.load("events", root=copy)) > 0


def test_missing_column(copy):
    path = copy / "events.csv"
    rows = read(path)
    col = rows[0].index("category")
    write(path, [r[:col] + r[col + 1 :] for r in rows])
    msg = error_for("events", copy)
    assert "data/events.csv" in msg and "'category'" in msg and "missing" in msg


def test_extra_column(copy):
    path = copy / "events.csv"
    rows = read(path)
    write(path, [r + (["bonus"] if i == 0 else ["x"]) for i, r in enumerate(rows)])
    msg = error_for("events", copy)
    assert "'bonus'" in msg and "not in the schema" in msg


def test_bad_date_names_row_column_and_value(copy):
    set_cell(copy / "events.csv", 3, "date", "2021-02-30")
    msg = error_for("events", copy)
    assert "row 3" in msg and "column 'date'" in msg and "2021-02-30" in msg and "calendar date" in msg


def test_date_written_another_way(copy):
    set_cell(copy / "events.csv", 2, "date", "1/2/2021")
    assert "YYYY-MM-DD" in error_for("events", copy)


def test_date_outside_coverage(copy):
    set_cell(copy / "events.csv", 2, "date", "2030-01-01")
    assert "above the maximum" in error_for("events", copy)


def test_negative_count(copy):
    set_cell(copy / "defection_counts.csv", 2, "value", "-5")
    msg = error_for("defection_counts", copy)
    assert "row 2" in msg and "column 'value'" in msg and "-5" in msg and "minimum" in msg


def test_value_outside_allowed_set(copy):
    set_cell(copy / "events.csv", 4, "category", "rumour")
    msg = error_for("events", copy)
    assert "row 4" in msg and "'rumour'" in msg and "allowed:" in msg and "defection" in msg


def test_unknown_source_key(copy):
    set_cell(copy / "events.csv", 2, "source_id", "nobody_2099")
    msg = error_for("events", copy)
    assert "nobody_2099" in msg and "data/sources.csv" in msg and "row 2" in msg


def test_duplicate_key(copy):
    path = copy / "events.csv"
    rows = read(path)
    rows[2][rows[0].index("event_id")] = rows[1][rows[0].index("event_id")]
    write(path, rows)
    msg = error_for("events", copy)
    assert "duplicate key" in msg and "row 3" in msg and "row 2" in msg


def test_empty_file(copy):
    (copy / "events.csv").write_text("", encoding="utf-8")
    assert "empty" in error_for("events", copy)


def test_header_only(copy):
    path = copy / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no data rows" in error_for("events", copy)


def test_wrong_delimiter(copy):
    path = copy / "events.csv"
    write(path, read(path), delimiter=";")
    msg = error_for("events", copy)
    assert "semicolons" in msg and "commas" in msg


def test_non_utf8_bytes(copy):
    path = copy / "events.csv"
    raw = path.read_bytes().splitlines(keepends=True)
    raw[2] = raw[2].replace(b",", b",\xff", 1)
    path.write_bytes(b"".join(raw))
    msg = error_for("events", copy)
    assert "UTF-8" in msg and "row 3" in msg


def test_thousands_separator(copy):
    set_cell(copy / "defection_counts.csv", 2, "value", "2,389")
    msg = error_for("defection_counts", copy)
    assert "thousands separators" in msg and "2,389" in msg


def test_ragged_row(copy):
    path = copy / "events.csv"
    rows = read(path)
    rows[1] = rows[1][:3]
    write(path, rows)
    msg = error_for("events", copy)
    assert "row 2" in msg and "cells" in msg


def test_required_value_missing(copy):
    set_cell(copy / "events.csv", 2, "description", "")
    assert "required" in error_for("events", copy)


def test_every_problem_listed_not_only_the_first(copy):
    path = copy / "events.csv"
    set_cell(path, 2, "date", "2021-13-01")
    set_cell(path, 5, "category", "gossip")
    set_cell(path, 6, "source_id", "nobody_2099")
    err = pytest.raises(DataError, data.load, "events", root=copy).value
    assert len(err.problems) == 3
    assert {p.row for p in err.problems} == {2, 5, 6}
    assert err.file == "data/events.csv"


def test_unknown_table_names_the_tables():
    with pytest.raises(KeyError) as info:
        data.load("evnets")
    assert "events" in str(info.value)


def test_broken_source_file_is_named_when_loading_another_table(copy):
    set_cell(copy / "sources.csv", 2, "kind", "blog")
    assert "data/sources.csv" in error_for("events", copy)


def test_two_sources_with_one_short_form_are_refused(copy):
    # An author-year citation must point at one work: two "RFA 2023" would make a reader's
    # "(RFA 2023)" ambiguous, so the second needs a letter (2023a, 2023b).
    rows = read(copy / "sources.csv")
    set_cell(copy / "sources.csv", 3, "short", rows[1][rows[0].index("short")])
    msg = error_for("sources", copy)
    assert "data/sources.csv" in msg and "row 3" in msg and "short" in msg
