"""Lesson 3 charts and panels: the calculus bars, the counts explorer and its filters."""

import json

import ipywidgets as w
import pandas as pd
import pytest

from defection.charts.motivations import calculus_bars, counts_timeline
from defection.models.calculus import calculus
from defection.widgets import motivations as wm


@pytest.fixture
def counts():
    """A small table shaped like data.load("defection_counts") (made-up claimants)."""
    return pd.DataFrame(
        {
            "count_id": ["t1", "t2", "t3", "t4", "t5"],
            "as_of": pd.to_datetime(["2021-08-28", "2021-10-31", "2021-12-10", "2023-02-28", "2021-08-28"]),
            "period_start": pd.to_datetime([None, None, None, None, "2021-08-01"]),
            "value": pd.array([2000, 2000, 8000, 12327, 10], dtype="Float64"),
            "qualifier": pd.Categorical(["about", "about", "more_than", "exact", "range_low"]),
            "who_counted": pd.Categorical(
                ["soldiers_and_police", "soldiers", "soldiers_and_police", "soldiers_and_police", "soldiers"]
            ),
            "status": pd.Categorical(["joined_cdm", "defected", "defected", "defected", "defected"]),
            "measure": pd.Categorical(["cumulative", "cumulative", "cumulative", "cumulative", "per_day"]),
            "claimant": pd.Categorical(["Group A", "Researchers B", "Group A", "Media C", "Group D"]),
            "claimant_type": pd.Categorical(["defector_group", "researcher", "defector_group", "media", "defector_group"]),
            "verification": pd.Categorical(["claimed", "estimated", "claimed", "registered", "claimed"]),
            "source_id": ["s1", "s2", "s1", "s3", "s1"],
            "notes": ["", "a note", pd.NA, "", ""],
        }
    )


def _layers(spec):
    return spec["layer"]


def test_calculus_bars_spec():
    chart = calculus_bars(calculus())
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "rank"
    assert spec["encoding"]["y"]["title"] == "Share who would defect"
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"rank", "share"}
    assert spec["title"] and "private" in spec["description"]
    assert len(spec["data"]["values"] if "values" in spec["data"] else spec["datasets"][spec["data"]["name"]]) == 4


def test_calculus_bars_follow_the_model():
    low = calculus_bars(calculus(exit_support=0.0)).to_dict()
    high = calculus_bars(calculus(exit_support=1.0)).to_dict()
    assert low != high
    assert low["description"] != high["description"]


def test_counts_timeline_spec(counts):
    spec = counts_timeline(counts).to_dict()
    lines, points = _layers(spec)
    assert lines["mark"]["type"] == "line" and points["mark"]["type"] == "point"
    enc = spec["encoding"]  # shared by both layers
    assert enc["x"]["field"] == "as_of" and enc["x"]["type"] == "temporal" and enc["x"]["title"]
    assert enc["y"]["field"] == "value" and enc["y"]["title"]
    assert enc["color"]["field"] == "claimant"
    tips = {t["field"] for t in points["encoding"]["tooltip"]}
    assert {"claimant", "verification", "measure", "qualifier", "value"} <= tips
    assert spec["title"]["text"] and "5 dated counts from 4 claimants" in spec["description"]
    assert "log" not in str(enc["y"].get("scale", {}))
    rows = json.loads(spec["datasets"][spec["data"]["name"]])
    assert len(rows) == 5 and rows[0]["as_of"] == "2021-08-28" and rows[0]["notes"] == ""
    assert {r["notes"] for r in rows} == {"", "a note"}


def test_counts_timeline_log_and_dates_and_fixed_colors(counts):
    rng = (pd.Timestamp("2021-02-01"), pd.Timestamp("2022-01-31"))
    spec = counts_timeline(counts.iloc[:2], log_scale=True, date_range=rng,
                           claimants=list(counts["claimant"].astype(str).unique())).to_dict()
    enc = spec["encoding"]
    live = {p["name"]: p["value"] for p in spec["params"]}
    assert enc["y"]["scale"]["type"] == "log"
    # the period and the legend's list are live params, so a redraw updates them in place
    assert enc["x"]["scale"]["domain"] == {"expr": "live_dates"}
    assert pd.Timestamp(live["live_dates"][0], unit="ms") == pd.Timestamp("2021-02-01")
    # the colour of a claimant does not depend on which rows are shown...
    assert len(enc["color"]["scale"]["domain"]) == 4
    # ...but the legend lists only the claimants shown
    assert enc["color"]["legend"]["values"] == {"expr": "live_claimants"}
    assert live["live_claimants"] == ["Group A", "Researchers B"]


def test_counts_timeline_empty(counts):
    spec = counts_timeline(counts.iloc[:0]).to_dict()
    assert "0 dated counts" in spec["description"]


def test_filter_counts(counts):
    assert len(wm.filter_counts(counts)) == 5
    assert set(wm.filter_counts(counts, who_counted=["soldiers"])["count_id"]) == {"t2", "t5"}
    assert set(wm.filter_counts(counts, measure="cumulative")["count_id"]) == {"t1", "t2", "t3", "t4"}
    assert set(wm.filter_counts(counts, claimant=["Group A"], status=["defected"])["count_id"]) == {"t3"}
    got = wm.filter_counts(counts, dates=(pd.Timestamp("2021-10-01"), pd.Timestamp("2021-12-01")))
    assert set(got["count_id"]) == {"t2", "t3"}  # last month included whole


def test_counts_caption(counts):
    text = wm.counts_caption(counts)
    assert "5 counts from 4 claimants" in text and "cannot be added" in text
    assert "No counts" in wm.counts_caption(counts.iloc[:0])


def test_calculus_bars_compare_two_assumptions():
    flat = calculus(stake_profile="flat", penalty_profile="flat")
    spec = calculus_bars(calculus(), flat, labels=("default", "flat")).to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "assumption"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["default", "flat"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 8 and {r["assumption"] for r in rows} == {"default", "flat"}
    assert "default: private" in spec["description"] and "flat: private" in spec["description"]


def test_calculus_panel_shows_the_alternative_assumption():
    panel = wm.calculus_panel()
    assert panel.controls["alternative"].value == wm.DEFAULT_ALTERNATIVE
    assert "The gap between the two is what the assumption" in panel.caption_text()
    assert panel.chart().to_dict()["encoding"]["xOffset"]["field"] == "assumption"
    panel.controls["alternative"].value = "none (default assumption only)"
    assert "follows from this assumption" in panel.caption_text()
    assert "xOffset" not in panel.chart().to_dict()["encoding"]
    with pytest.raises(ValueError, match="alternative must be one of"):
        wm.calculus_caption(**dict(panel.values, alternative="steeper"))


def test_calculus_panel_redraws_and_captions():
    panel = wm.calculus_panel()
    sliders = [c for c in panel.controls.values() if isinstance(c, w.FloatSlider)]
    assert len(sliders) == 7  # the five settings, the reckoning and group identity
    assert all(isinstance(s, w.FloatSlider) and not s.continuous_update for s in sliders)
    assert panel.is_model
    before, caption_before = panel.redraws, panel.caption_text()
    panel.controls["exit_support"].value = 0.9
    assert panel.redraws == before + 1
    assert panel.caption_text() != caption_before
    assert "would defect" in panel.caption_text()
    assert "would desert" in panel.caption_text()
    panel.controls["desertion"].value = False
    assert "would desert" not in panel.caption_text()


def test_calculus_panel_overrides():
    panel = wm.calculus_panel(moral_cost=0.9)
    assert panel.controls["moral_cost"].value == pytest.approx(0.9)


def test_counts_panel(counts):
    panel = wm.counts_panel(counts)
    assert isinstance(panel.controls["dates"], w.SelectionRangeSlider)
    assert "5 counts" in panel.caption_text()
    panel.controls["measure"].value = "per_day"
    assert panel.caption_text().startswith("1 count from 1 claimant")
    panel.controls["dates"].index = (1, 2)
    spec = panel.chart().to_dict()
    live = {p["name"]: p["value"] for p in spec["params"]}
    assert pd.Timestamp(live["live_dates"][0], unit="ms") == pd.Timestamp("2021-09-01")
