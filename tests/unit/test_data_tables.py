"""The bundled tables: all valid, all sourced, typed, inside coverage, and every source used."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from defection import data
from defection.sources import cite, keys_in_text, reference, UnknownSourceError

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
NAMES = sorted(r["name"] for r in PACKAGE["resources"])
EXPECTED = {
    "sources", "events", "defection_counts", "uprisings", "campaigns", "repression",
    "economy", "motivations", "statements", "force_strength",
}


def test_every_planned_table_is_described():
    assert EXPECTED <= set(NAMES)


def test_every_csv_in_data_is_in_the_package():
    csvs = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert csvs == {r["path"] for r in PACKAGE["resources"]}


@pytest.mark.parametrize("name", NAMES)
def test_table_loads_typed(name):
    frame = data.load(name)
    assert len(frame) > 0
    for field in next(r for r in PACKAGE["resources"] if r["name"] == name)["schema"]["fields"]:
        col = frame[field["name"]]
        if field.get("type") == "date":
            assert pd.api.types.is_datetime64_any_dtype(col), field["name"]
        elif field.get("type") in ("integer", "year"):
            assert str(col.dtype) == "Int64", field["name"]
        elif field.get("type") == "number":
            assert str(col.dtype) == "Float64", field["name"]
        elif "enum" in field.get("constraints", {}):
            assert isinstance(col.dtype, pd.CategoricalDtype), field["name"]


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sources"])
def test_every_row_has_a_source(name):
    frame = data.load(name)
    assert frame["source_id"].notna().all()


@pytest.mark.parametrize("name", NAMES)
def test_primary_key_declared_and_unique(name):
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    key = res["schema"]["primaryKey"]
    key = [key] if isinstance(key, str) else key
    assert not data.load(name).duplicated(subset=key).any()


def test_myanmar_dates_inside_coverage():
    start, end = data.coverage()
    assert end == pd.Timestamp(PACKAGE["coverage"]["end"]) == pd.Timestamp("2026-05-31")
    for name in ("events", "defection_counts", "repression", "statements", "force_strength"):
        frame = data.load(name)
        for col in frame.select_dtypes("datetime").columns:
            values = frame[col].dropna()
            assert (values >= start).all() and (values <= end).all(), (name, col)


def test_every_source_is_used_somewhere():
    """A source nobody cites is dead weight; a cited key must exist (checked in hygiene)."""
    used = data.source_ids_used()
    for folder in ("lessons", "solutions", "exercises"):
        for nb in (ROOT / folder).glob("*.ipynb"):
            used |= set(keys_in_text(nb.read_text(encoding="utf-8")))
    for doc in ("INSTRUCTORS.md", "README.md", "data/README.md"):
        path = ROOT / doc
        if path.exists():
            used |= set(keys_in_text(path.read_text(encoding="utf-8")))
    unused = set(data.load("sources")["source_id"]) - used
    assert not unused, f"sources never cited in data, notebooks or docs: {sorted(unused)}"


def test_tables_lists_every_table_with_counts():
    listing = data.tables()
    assert set(listing["table"]) == set(NAMES)
    assert (listing["rows"] > 0).all()
    assert listing["description"].str.len().gt(10).all()


def test_campaigns_are_navco_unchanged_in_count():
    campaigns = data.load("campaigns")
    assert len(campaigns) == 389
    assert set(campaigns["source_id"]) == {"navco_2019"}


def test_citation_helpers():
    key = data.load("sources")["source_id"].iloc[0]
    assert cite(key).startswith("(") and cite(key).endswith(")")
    assert len(reference(key)) > 20
    with pytest.raises(UnknownSourceError) as info:
        cite("kyed_20244")
    assert "kyed_2024" in str(info.value)


def test_keys_in_text():
    text = "About 2,000 [@kyed_lynn_2021] or more [@bociaga_2021; @irrawaddy_2021]; email a@b.c"
    assert keys_in_text(text) == ["kyed_lynn_2021", "bociaga_2021", "irrawaddy_2021"]


def test_describe_and_schema():
    assert "event_id" in data.describe("events")
    assert "category" in set(data.schema("events")["column"])


def test_when_prints_a_date_only_as_exactly_as_it_is_known():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-04", "2024-01-01", "2024-01-01", None]),
        "date_precision": ["day", "month", "year", "day"],
    })
    assert data.when(frame).tolist() == ["4 January 2024", "January 2024", "2024", ""]
    # A month-level row sorts first in its month; printed, it does not claim the 1st.
    events = data.load("events")
    generals = events[events["event_id"] == "ev071"]
    assert data.when(generals).item() == "January 2024"
    assert data.when(pd.DataFrame({"date": pd.to_datetime(["2021-02-01"])})).item() == "1 February 2021"
