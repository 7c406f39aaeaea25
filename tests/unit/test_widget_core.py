"""The shared Panel: redraws on change, captions, the model disclaimer, and printed settings."""

from __future__ import annotations

import json

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from defection.charts.theme import finish
from defection.widgets.core import MODEL_DISCLAIMER, Panel, _setting


def bars(n: int) -> alt.Chart:
    frame = pd.DataFrame({"x": list(range(n)), "y": [i * i for i in range(n)]})
    chart = alt.Chart(frame).mark_bar().encode(x=alt.X("x:O", title="X"), y=alt.Y("y:Q", title="Y"))
    return finish(chart, title="Squares", description=f"{n} bars")


def test_panel_redraws_and_captions():
    slider = widgets.IntSlider(value=3, min=1, max=9, description="Bars")
    panel = Panel({"n": slider}, render=bars, is_model=True, title="Demo")
    assert panel.redraws == 1 and panel.caption_text() == "3 bars"
    slider.value = 5
    assert panel.redraws == 2 and panel.caption_text() == "5 bars"
    assert any(MODEL_DISCLAIMER in getattr(child, "value", "") for child in panel.box.children)


def test_caption_function_wins_over_description():
    panel = Panel({"n": widgets.IntSlider(value=2)}, render=bars, caption=lambda n: f"n is {n}")
    assert panel.caption_text() == "n is 2"


def test_printed_settings_read_like_prose():
    months = [(f"{m:%b %Y}", m) for m in pd.date_range("2021-02-01", periods=4, freq="MS")]
    assert _setting(widgets.SelectionRangeSlider(options=months, index=(0, 3))) == "Feb 2021 – May 2021"
    assert _setting(widgets.SelectMultiple(options=["a", "b"], value=("a", "b"))) == "all"
    assert _setting(widgets.SelectMultiple(options=["a", "b", "c"], value=("a",))) == "a"
    assert _setting(widgets.FloatSlider(value=0.25)) == "0.25"
    assert _setting(widgets.Dropdown(options=[("Strong support", 1)], value=1)) == "Strong support"


def test_missing_text_never_reaches_the_spec_as_nan():
    import defection

    defection.setup()
    frame = pd.DataFrame({"x": [1.0, 2.0], "label": pd.array(["a", None], dtype="string"), "o": ["z", np.nan]})
    chart = finish(alt.Chart(frame).mark_point().encode(x="x:Q", tooltip=["label:N", "o:N"]), title="t", description="d")
    json.dumps(chart.to_dict(), allow_nan=False)


def test_finish_requires_title_and_description():
    with pytest.raises(ValueError):
        finish(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), title="", description="x")


def test_course_transformer_accepts_altair_options():
    import defection

    defection.setup()
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    with alt.data_transformers.enable(max_rows=None):
        assert chart.to_dict(validate=False)["datasets"]
