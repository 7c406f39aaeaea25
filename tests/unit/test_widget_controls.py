"""The shared control factories: their defaults are the course's conventions."""

from __future__ import annotations

import importlib

import ipywidgets as widgets
import pandas as pd
import pytest

from defection.widgets import controls
from defection.widgets.controls import (
    choice_range,
    month_options,
    month_range,
    pick_many,
    slider,
)

DATES = pd.Series(pd.to_datetime(["2021-03-15", "2021-02-01", None, "2021-07-09"]))


def _follows_conventions(control: widgets.Widget, width: str = controls.WIDTH) -> None:
    assert control.continuous_update is False
    assert control.style.description_width == "initial"
    assert control.layout.width == width


def test_float_slider_defaults_are_the_conventions():
    s = slider(0.3, 0.0, 1.0, 0.05, "Repression")
    assert type(s) is widgets.FloatSlider
    assert (s.value, s.min, s.max, s.step) == (0.3, 0.0, 1.0, 0.05)
    assert s.description == "Repression" and s.readout_format == ".2f"
    _follows_conventions(s)


def test_integer_slider_and_overrides():
    s = slider(12, 4, 24, 2, "Periods", integer=True, width="460px")
    assert type(s) is widgets.IntSlider
    assert (s.value, s.min, s.max, s.step) == (12, 4, 24, 2)
    _follows_conventions(s, "460px")
    assert slider(0.5, 0, 1, 0.1, "x", readout_format=".1f").readout_format == ".1f"


def test_each_control_gets_its_own_style_and_layout():
    a, b = slider(1, 0, 2, 1, "a"), slider(1, 0, 2, 1, "b", width="300px")
    assert a.layout is not b.layout and a.style is not b.style
    assert a.layout.width == controls.WIDTH and b.layout.width == "300px"


def test_month_options_run_from_first_to_last_month():
    options = month_options(DATES)
    assert [label for label, _ in options] == [
        "Feb 2021", "Mar 2021", "Apr 2021", "May 2021", "Jun 2021", "Jul 2021"
    ]
    assert all(m == m.to_period("M").to_timestamp() for _, m in options)


def test_month_options_without_dates_cover_the_course():
    """With no dates, the span is the data package's coverage (one date drives every
    "as of": moving the coverage moves the sliders)."""
    from defection import data
    start, end = data.coverage()
    options = month_options(pd.Series([], dtype="datetime64[ns]"))
    assert options[0][0] == f"{start:%b %Y}" == "Feb 2021"
    assert options[-1][0] == f"{end:%b %Y}" == "May 2026"


def test_month_range_covers_everything_by_default():
    r = month_range(DATES)
    assert isinstance(r, widgets.SelectionRangeSlider)
    assert r.description == "Period"
    assert r.value == (pd.Timestamp("2021-02-01"), pd.Timestamp("2021-07-01"))
    _follows_conventions(r)


@pytest.mark.parametrize(
    ("start", "first"),
    [("2021-04", "Apr 2021"), ("2021-04-20", "Apr 2021"), ("2019-01-01", "Feb 2021"),
     ("2030-01", "Jul 2021")],
)
def test_month_range_starts_where_asked(start, first):
    r = month_range(DATES, "Months shown", start=start, width="460px")
    assert r.label == (first, "Jul 2021")
    assert r.description == "Months shown"
    _follows_conventions(r, "460px")


def test_choice_range_over_plain_labels():
    r = choice_range(["1980s", "1990s", "2000s"], "Decades")
    assert r.value == ("1980s", "2000s")
    assert choice_range(["a", "b", "c"], "x", index=(1, 1)).value == ("b", "b")
    _follows_conventions(r)


def test_pick_many_picks_everything_and_caps_rows():
    p = pick_many(("a", "b", "c"), "Kinds")
    assert isinstance(p, widgets.SelectMultiple)
    assert p.value == ("a", "b", "c") and p.rows == 3 and p.description == "Kinds"
    assert p.style.description_width == "initial"
    q = pick_many(["a", "b", "c"], "Kinds", value=["b"], rows=2)
    assert q.value == ("b",) and q.rows == 2
    assert pick_many(["a"], "One", rows=5).rows == 1


@pytest.mark.parametrize(
    "factory",
    [
        "defection.widgets.cohesion:cascade_panel",
        "defection.widgets.economy:spoils_panel",
        "defection.widgets.motivations:calculus_panel",
        "defection.widgets.surrender:absorption_panel",
        "defection.widgets.synthesis:scenario_panel",
    ],
)
def test_model_panels_use_the_conventions(factory):
    module, name = factory.split(":")
    panel = getattr(importlib.import_module(module), name)()
    kinds = (widgets.FloatSlider, widgets.IntSlider)
    sliders = [c for c in panel.controls.values() if isinstance(c, kinds)]
    assert sliders
    for s in sliders:
        assert s.continuous_update is False and s.style.description_width == "initial"


def test_timeline_still_exports_month_options():
    from defection.widgets import timeline

    assert timeline.month_options is month_options
