"""Lesson 4 charts, selection helpers and panels, tested on small hand-made tables."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from defection.charts.surrender import (
    STOCK_LABELS,
    absorption_chart,
    overview_frame,
    region_counts,
    surrender_by_region,
    surrender_overview,
    surrender_timeline,
)
from defection.models.absorption import absorption
from defection.surrender import claims_on, monthly_pace, surrender_counts, surrender_events
from defection.widgets.surrender import (
    absorption_caption,
    absorption_panel,
    absorption_view,
    month_options,
    surrender_panel,
)

CATS = ["regime", "resistance", "defection", "surrender", "economy", "international", "repression"]


@pytest.fixture
def events() -> pd.DataFrame:
    rows = [
        ("e1", "2021-03-10", "defection", "Kayin", "Six soldiers join", "src_a"),
        ("e2", "2023-06-13", "defection", "Kayah", "Militia switches sides", "src_b"),
        ("e3", "2023-11-12", "surrender", "Shan", "Battalion surrenders", "src_c"),
        ("e4", "2024-01-04", "surrender", "Shan", "Town surrenders", "src_d"),
        ("e5", "2024-04-05", "surrender", "Kayin", "Base near border", "src_e"),
        ("e6", "2024-02-10", "regime", "National", "Conscription", "src_f"),
    ]
    columns = ["event_id", "date", "category", "region", "title", "source_id"]
    df = pd.DataFrame(rows, columns=columns)
    df["date"] = pd.to_datetime(df["date"])
    df["category"] = pd.Categorical(df["category"], categories=CATS)
    df["region"] = df["region"].astype("category")
    df["description"] = df["title"] + "."
    df["lesson"] = pd.array([4] * len(df), dtype="Int64")
    return df


@pytest.fixture
def counts() -> pd.DataFrame:
    rows = [
        ("c1", "2024-04-05", 617, "armed_group", "KNLA", "surrendered"),
        ("c2", "2024-04-05", 477, "media", "Myanmar Now", "surrendered"),
        ("c3", "2024-01-04", 2389, "armed_group", "MNDAA", "surrendered"),
        ("c4", "2023-02-01", 3236, "media", "Somebody", "defected"),
    ]
    df = pd.DataFrame(rows, columns=["count_id", "as_of", "value", "claimant_type", "claimant",
                                     "status"])
    df["as_of"] = pd.to_datetime(df["as_of"])
    df["value"] = df["value"].astype("Int64")
    df["status"] = df["status"].astype("category")
    df["qualifier"] = pd.Categorical(["exact", "exact", "exact", "about"])
    df["who_counted"] = "soldiers"
    df["verification"] = "claimed"
    df["source_id"] = ["s1", "s2", "s3", "s4"]
    df["notes"] = [pd.NA, "troops only", pd.NA, pd.NA]
    df["period_start"] = pd.NaT
    return df


def _spec(chart) -> dict:
    spec = chart.to_dict()
    json.dumps(spec)  # must serialise for the browser
    return spec


def _datasets(spec) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def _rows(spec) -> list[dict]:
    """The chart's own rows, whether altair left them inline or moved them to datasets."""
    data = spec["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


# --- selection helpers -------------------------------------------------------------------

def test_surrender_events_filters_category_and_dates(events):
    got = surrender_events(events, "2023-01-01", "2024-03-31")
    assert got["event_id"].tolist() == ["e2", "e3", "e4"]
    only = surrender_events(events, categories=["surrender"])
    assert set(only["category"].astype(str)) == {"surrender"}
    assert surrender_events(events, "2030-01-01").empty
    with pytest.raises(ValueError, match="after"):
        surrender_events(events, "2024-01-01", "2023-01-01")


def test_monthly_pace(counts):
    row = counts.set_index("count_id").loc["c3"].copy()
    row["period_start"] = pd.Timestamp("2023-10-27")
    assert monthly_pace(row) == (2389 / 3, 3)
    assert monthly_pace(row, since="2021-02-01") == (2389 / 35, 35)
    with pytest.raises(ValueError, match="period_start"):
        monthly_pace(counts.set_index("count_id").loc["c3"])
    with pytest.raises(ValueError, match="at least one month"):
        monthly_pace(row, since="2024-01-20")


def test_surrender_counts_and_claims(counts):
    got = surrender_counts(counts)
    assert got["count_id"].tolist() == ["c3", "c1", "c2"]
    claims = claims_on(counts, "2024-04-05")
    assert claims["value"].tolist() == [617, 477]
    assert int(claims["value"].max() - claims["value"].min()) == 140


# --- charts ------------------------------------------------------------------------------

def _title(spec) -> str:
    return spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]


def test_absorption_chart_stacks_all_people():
    run = absorption(inflow=[1000] * 6 + [0] * 6, capacity=200, funding=500)
    spec = _spec(absorption_chart(run))
    assert _title(spec) and spec["description"]
    assert spec["mark"]["type"] == "area"
    assert spec["encoding"]["x"]["title"] and spec["encoding"]["y"]["title"]
    assert spec["encoding"]["tooltip"]
    rows = _datasets(spec)[0]
    assert len(rows) == 12 * len(STOCK_LABELS)
    last = [r for r in rows if r["month"] == 12]
    assert sum(r["people"] for r in last) == pytest.approx(6000, abs=3)  # rounding
    assert "6,000" in spec["description"]


def test_absorption_chart_follows_its_input():
    low = _spec(absorption_chart(absorption(inflow=100, months=5)))
    high = _spec(absorption_chart(absorption(inflow=900, months=5)))
    assert _datasets(low)[0] != _datasets(high)[0]
    assert "500 people" in low["description"] and "4,500 people" in high["description"]


def test_absorption_chart_colours_avoid_red_green_pair():
    colours = {c for _, c in STOCK_LABELS.values()}
    assert not ({"#D55E00", "#009E73"} <= colours)


def test_overview_frame_is_plain(events, counts):
    frame = overview_frame(surrender_events(events), surrender_counts(counts))
    assert frame["kind"].tolist().count("event") == 5
    assert frame["kind"].tolist().count("count") == 3
    records = frame.to_dict("records")
    json.dumps(records)  # no Timestamps, no pandas NA
    assert {r["date"] for r in records} >= {"2024-04-05", "2021-03-10"}


def test_timeline_has_events_counts_and_tooltips(events, counts):
    spec = _spec(surrender_timeline(surrender_events(events), surrender_counts(counts)))
    assert _title(spec) and spec["description"]
    assert spec["encoding"]["x"]["title"] == "Date"
    assert len(spec["encoding"]["tooltip"]) >= 5
    values = _rows(spec)
    assert len(values) == 8
    assert sorted(v["value"] for v in values if v["kind"] == "count") == [477, 617, 2389]
    assert "5 surrender or defection events and 3" in spec["description"]


def test_region_bars_count_events(events):
    chosen = surrender_events(events)
    assert region_counts(chosen).to_dict() == {"Kayin": 2, "Shan": 2, "Kayah": 1}
    spec = _spec(surrender_by_region(chosen))
    assert {v["region"] for v in _rows(spec)} == {"Kayin", "Kayah", "Shan"}
    assert "National" not in spec["description"]  # the regime event is not a surrender
    assert "Kayin (2)" in spec["description"]
    assert spec["encoding"]["y"]["title"] and spec["encoding"]["x"]["title"]
    assert spec["encoding"]["tooltip"]


def test_overview_handles_empty_selection(events, counts):
    spec = _spec(surrender_overview(events.iloc[0:0], counts.iloc[0:0]))
    assert len(spec["vconcat"]) == 2
    assert "0 surrender or defection events" in spec["description"]
    assert "no region" in spec["description"]


def test_overview_templates_are_not_shared_between_calls(events, counts):
    first = _spec(surrender_overview(surrender_events(events), surrender_counts(counts)))
    _spec(surrender_overview(events.iloc[0:0], counts.iloc[0:0]))
    again = _spec(surrender_overview(surrender_events(events), surrender_counts(counts)))
    assert first == again


# --- panels ------------------------------------------------------------------------------

def test_absorption_panel_redraws_and_caption_moves():
    panel = absorption_panel()
    assert panel.is_model
    first = next(iter(panel.controls.values()))
    assert "Slider" in type(first).__name__
    before, redraws = panel.caption_text(), panel.redraws
    panel.controls["capacity"].value = 0
    assert panel.redraws == redraws + 1
    assert panel.caption_text() != before
    assert isinstance(panel.chart(), alt.TopLevelMixin)
    panel.controls["outside_nug"].value = 0.0
    assert "0% to armies outside the NUG" in panel.caption_text()


def test_absorption_caption_reflects_model():
    scarce = absorption_caption(capacity=0, funding=0)
    assert "0 are registered" in scarce
    assert isinstance(absorption_view(), alt.TopLevelMixin)


def test_surrender_panel_filters(events, counts):
    panel = surrender_panel(events, counts, start="2023-01-01")
    slider = panel.controls["period"]
    assert slider.value[0] == pd.Timestamp("2023-01-01")
    assert "4 events" in panel.caption_text()
    assert "3 claimed surrender counts" in panel.caption_text()
    panel.controls["categories"].value = ("defection",)
    assert "1 event " in panel.caption_text() and "0 claimed" in panel.caption_text()
    panel.controls["period"].index = (0, 0)
    assert "Mar 2021 to Mar 2021: 1 event " in panel.caption_text()
    _spec(panel.chart())
    labels = [label for label, _ in month_options(events, counts)]
    assert labels[0] == "Mar 2021" and labels[-1] == "Apr 2024"
    assert len(labels) == 38
