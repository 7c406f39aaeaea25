"""Chart builders and panels of lesson 2, tested on small hand-made tables."""

import ipywidgets as widgets
import pandas as pd
import pytest

from defection.charts.economy import (
    CHART_GROUPS,
    economy_timeline,
    indicator_bars,
    spoils_chart,
    value_label,
)
from defection.models.spoils import simulate_spoils
from defection.widgets.economy import (
    economy_panel,
    filter_economy,
    month_options,
    spoils_caption,
    spoils_panel,
    spoils_render,
)

KIND_CATS = ["exit", "sanction", "indicator", "boycott", "strike", "budget", "shock"]


@pytest.fixture
def economy():
    rows = [
        ("t1", "2021-02-01", "indicator", "Money changers", "Kyat before coup", "kyat_per_usd", 1395, "kyat per USD"),
        ("t2", "2021-09-28", "indicator", "Money changers", "Kyat late Sept", "kyat_per_usd", 2700, "kyat per USD"),
        ("t3", "2021-03-25", "sanction", "US Treasury", "MEHL sanctioned", None, None, None),
        ("t4", "2022-06-30", "exit", "Kirin", "Kirin sells stake", "sale_price", 164, "USD m"),
        ("t5", "2022-03-31", "budget", "Junta", "Defence 2022", "defence_budget", 3.703, "tn kyat"),
        ("t6", "2021-03-31", "budget", "Junta", "Defence 2021", "defence_budget", 1.746, "tn kyat"),
    ]
    df = pd.DataFrame(rows, columns=["row_id", "date", "kind", "actor", "title", "indicator", "value", "unit"])
    df["date"] = pd.to_datetime(df["date"])
    df["kind"] = pd.Categorical(df["kind"], categories=KIND_CATS)
    df["value"] = df["value"].astype("Float64")
    df["description"] = pd.array(["d"] * len(df), dtype="string")
    df["source_id"] = "test_source"
    return df


def test_value_label():
    assert value_label(2700.0, "kyat_per_usd") == "2,700 kyat per USD"
    assert value_label(pd.NA, "x") == "—"
    assert value_label(3.703, "tn kyat") == "3.7 tn kyat"


def test_timeline_spec(economy):
    spec = economy_timeline(economy).to_dict()
    assert spec["title"] and spec["description"]
    enc = spec["encoding"]
    assert enc["x"]["title"] == "Date" and enc["y"]["title"]
    assert enc["color"]["field"] == "kind"
    fields = {t["field"] for t in enc["tooltip"]}
    assert {"value_text", "title", "source_id"} <= fields
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len(economy)
    assert "2,700 kyat per USD" in {v["value_text"] for v in values}
    assert "#FF0000" not in str(spec) and "#00FF00" not in str(spec)


def test_timeline_empty(economy):
    spec = economy_timeline(economy.iloc[0:0]).to_dict()
    assert "0 dated" in spec["description"]


def test_indicator_bars(economy):
    spec = indicator_bars(economy, "defence_budget").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert [v["value"] for v in values] == [1.746, 3.703]
    assert "tn kyat" in spec["encoding"]["y"]["title"]
    assert spec["encoding"]["x"]["sort"] == ["Defence 2021", "Defence 2022"]


def test_spoils_chart_two_panels():
    run = simulate_spoils(periods=6)
    spec = spoils_chart(run.by_tier[run.by_tier["tier"].isin(CHART_GROUPS)]).to_dict()
    assert len(spec["hconcat"]) == 2
    assert spec["title"] and spec["description"]
    ys = [p["encoding"]["y"]["field"] for p in spec["hconcat"]]
    assert ys == ["rent_index", "excluded_share"]
    assert "softliners" in spec["hconcat"][1]["encoding"]["y"]["title"]
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 7 * len(CHART_GROUPS)
    assert "senior (elite)" in {v["tier"] for v in values}
    assert "senior officers (the elite) are cut out" in spec["description"]


def test_spoils_chart_rent_axis_grows_when_the_faction_takes_more():
    run = simulate_spoils(periods=6, capture=1.0, boycott=0.0, sanctions=0.0)
    spec = spoils_chart(run.by_tier[run.by_tier["tier"].isin(CHART_GROUPS)]).to_dict()
    top = spec["hconcat"][0]["encoding"]["y"]["scale"]["domain"][1]
    assert top > 100


def test_filter_and_months(economy):
    months = month_options(economy)
    assert months[0][0] == "Feb 2021" and months[-1][0] == "Jun 2022"
    sel = filter_economy(economy, ["indicator"], (months[0][1], months[7][1]))
    assert list(sel["row_id"]) == ["t1", "t2"]
    sel = filter_economy(economy, ["indicator", "exit"], (months[1][1], months[-1][1]))
    assert list(sel["row_id"]) == ["t2", "t4"]


def test_economy_panel_redraws(economy):
    panel = economy_panel(economy, start=None)
    sliders = [c for c in panel.controls.values() if isinstance(c, widgets.SelectionRangeSlider)]
    assert sliders and not sliders[0].continuous_update
    before = panel.redraws
    panel.controls["kinds"].value = ("exit",)
    assert panel.redraws == before + 1
    assert panel.caption_text().startswith("1 rows")
    panel.controls["months"].index = (0, 2)  # Feb-Apr 2021: Kirin's sale is later
    assert panel.caption_text().startswith("No rows")
    assert panel.redraws == before + 2


def test_spoils_panel_caption_moves_with_sliders():
    panel = spoils_panel()
    assert panel.is_model
    assert {"capture", "purge"} <= set(panel.controls)
    assert all(not c.continuous_update for c in panel.controls.values())
    low = spoils_caption(**dict(panel.values, boycott=0.0, sanctions=0.0, repression=0.0))
    high = spoils_caption(**dict(panel.values, boycott=1.0, sanctions=1.0, repression=0.5))
    assert "0% of all officers" in low and "Softliners (excluded members of the elite): 0%" in low
    assert low != high
    panel.controls["boycott"].value = 0.9
    assert panel.redraws == 2
    assert spoils_render(**panel.values).to_dict()["hconcat"]
    broken = spoils_caption(**dict(panel.values, boycott=0.0, sanctions=0.0, repression=0.0,
                                   purge=0.5))
    assert "sharing rules are broken" in broken and "elite): 0%" not in broken


def test_economy_panel_starts_at_the_coup(economy):
    panel = economy_panel(economy, start="2021-09")
    assert panel.controls["months"].value[0] == pd.Timestamp("2021-09-01")
    assert panel.caption_text().startswith("3 rows")
