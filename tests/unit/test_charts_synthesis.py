"""Lesson 5 chart and panel: the scenario chart and the preset-driven panel."""

import json

import ipywidgets as w
import pandas as pd
import pytest

from defection.charts.synthesis import MET_COLORS, scenario_chart
from defection.charts.theme import PALETTE
from defection.models.scenario import PRESETS, SETTINGS, scenario
from defection.widgets import synthesis as ws


@pytest.fixture
def table():
    """A hand-made indicators table (values chosen for the test, not by the model)."""
    return pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "label": ["Alpha share", "Beta share"],
            "model": ["calculus", "spoils"],
            "value": [0.1, 0.8],
            "threshold": [0.25, 0.5],
            "met": [False, True],
            "caveat": ["caveat alpha", "caveat beta"],
        }
    )


def test_chart_spec(table):
    spec = scenario_chart(table, "Split at the top? NO: because", "Caveats: many.").to_dict()
    assert spec["title"]["text"] and spec["title"]["subtitle"].startswith("Split at the top? NO")
    assert "Caveats: many." in spec["description"] and "not a forecast" in spec["description"]
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "tick"]
    bar = spec["layer"][0]["encoding"]
    assert bar["x"]["title"] and bar["x"]["scale"]["domain"] == [0, 1]
    assert bar["color"]["scale"]["range"] == list(MET_COLORS.values())
    assert set(MET_COLORS.values()) <= set(PALETTE)
    shared = spec["encoding"]  # y and tooltip are shared by both layers
    assert {t["field"] for t in shared["tooltip"]} >= {"value", "threshold", "caveat"}
    assert shared["y"]["field"] == "row"
    tick = spec["layer"][1]["encoding"]
    assert tick["x"]["field"] == "threshold"


def test_chart_data_follow_the_table(table):
    spec = scenario_chart(table).to_dict()
    rows = spec["data"]["values"]
    assert [r["status"] for r in rows] == ["not met", "threshold met"]
    assert rows[0]["row"] == "Alpha share (calculus): 10%"
    assert "Alpha share 10% against a threshold of 25% (not met)" in spec["description"]
    json.dumps(spec)  # serialisable


def test_chart_rejects_wrong_table():
    with pytest.raises(ValueError, match="columns"):
        scenario_chart(pd.DataFrame({"value": [0.1]}))


def test_render_and_caption_for_every_preset():
    for name, values in PRESETS.items():
        spec = ws.scenario_render(preset=name, **values).to_dict()
        assert len(spec["data"]["values"]) == len(scenario().indicators) == 8
        caption = ws.scenario_caption(preset=name, **values)
        assert caption.startswith("Split at the top?") and "Caveats:" in caption
        assert caption == ws.scenario_caption(preset=ws.CUSTOM, **values)  # sliders rule


def test_panel_controls_and_presets():
    panel = ws.scenario_panel()
    assert panel.is_model and panel.title
    assert list(panel.controls) == ["preset", *SETTINGS]
    sliders = [c for c in panel.controls.values() if isinstance(c, w.FloatSlider)]
    assert len(sliders) == 9 and all(not s.continuous_update for s in sliders)
    panel.controls["preset"].value = "Everything at once (hypothetical)"
    assert {k: panel.values[k] for k in SETTINGS} == PRESETS["Everything at once (hypothetical)"]
    assert "YES" in panel.caption_text()
    panel.controls["battlefield_losses"].value = 0.1
    assert panel.controls["preset"].value == ws.CUSTOM
    assert "NO" in panel.caption_text()
    with pytest.raises(ValueError, match="preset"):
        ws.scenario_panel("no such preset")


def test_slider_redraws_chart():
    panel = ws.scenario_panel()
    before = panel.redraws
    panel.controls["battlefield_losses"].value = 0.9
    assert panel.redraws > before
    assert scenario(**{k: panel.values[k] for k in SETTINGS}).summary in panel.caption_text()
