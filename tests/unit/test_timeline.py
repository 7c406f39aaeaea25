"""The timeline chart and panel: filtering, accessible chart spec, redraws."""

from __future__ import annotations

import pandas as pd
import pytest

from defection import data
from defection.charts.timeline import filter_events, timeline_chart
from defection.widgets.timeline import month_options, timeline_panel


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-02-01", "2021-08-23", "2023-10-27", "2024-02-10"]),
            "category": pd.Categorical(["regime", "defection", "surrender", "regime"]),
            "title": ["Coup", "NUG call", "Operation 1027", "Conscription"],
            "description": ["a", "b", "c", "d"],
            "source_id": ["s1", "s2", "s3", "s4"],
        }
    )


def test_filter_by_category_and_dates(events):
    assert list(filter_events(events, ["regime"])["title"]) == ["Coup", "Conscription"]
    assert list(filter_events(events, None, "2021-06-01", "2023-12-31")["title"]) == ["NUG call", "Operation 1027"]
    assert filter_events(events, [], None, None).empty


def test_chart_is_titled_described_and_has_tooltips(events):
    spec = timeline_chart(events).to_dict()
    assert spec["title"] and "4 events" in spec["description"]
    assert spec["mark"]["type"] == "point"
    assert spec["encoding"]["x"]["title"] == "Date" and spec["encoding"]["y"]["title"] == "Category"
    assert {t["title"] for t in spec["encoding"]["tooltip"]} >= {"Event", "Source key"}
    assert "shape" in spec["encoding"], "category must be shown by shape as well as colour"


def test_empty_selection_still_draws_and_says_so(events):
    spec = timeline_chart(events.iloc[0:0]).to_dict()
    assert "No events" in spec["description"]


def test_month_options_cover_the_range(events):
    options = month_options(events["date"])
    assert options[0][1] == pd.Timestamp("2021-02-01")
    assert options[-1][1] >= pd.Timestamp("2024-02-01")


def test_panel_redraws_when_a_control_moves(events):
    panel = timeline_panel(events)
    before = panel.redraws
    panel.controls["categories"].value = ("regime",)
    assert panel.redraws == before + 1
    assert "2 events" in panel.caption_text()
    panel.controls["period"].index = (0, 6)  # Feb–Aug 2021
    assert panel.caption_text().startswith("1 event from")


def test_panel_on_the_real_events():
    panel = timeline_panel()
    assert len(data.load("events")) >= 30
    assert panel.chart().to_dict()["title"]
