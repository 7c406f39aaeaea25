"""Lesson 00's timeline panel: pick categories and a period, see the events."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from defection import data
from defection.charts.timeline import _describe, filter_events, timeline_chart
from defection.widgets.core import Panel

_LAYOUT = {"description_width": "initial"}


def month_options(dates: pd.Series) -> list[tuple[str, pd.Timestamp]]:
    """(label, first day of month) for every month between the first and last date."""
    months = pd.date_range(dates.min().to_period("M").to_timestamp(), dates.max(), freq="MS")
    end = dates.max()
    options = [(f"{m:%b %Y}", m) for m in months]
    if not options or options[-1][1] < end:
        options.append((f"{end:%b %Y}", end))
    return options


def timeline_panel(events: pd.DataFrame | None = None) -> Panel:
    """Events by category, filtered by a category picker and a month range slider."""
    events = data.load("events") if events is None else events
    categories = [c for c in events["category"].cat.categories if (events["category"] == c).any()]
    options = month_options(events["date"])
    picker = widgets.SelectMultiple(
        options=categories, value=tuple(categories), rows=len(categories), description="Categories", style=_LAYOUT
    )
    period = widgets.SelectionRangeSlider(
        options=options,
        index=(0, len(options) - 1),
        description="Period",
        continuous_update=False,
        style=_LAYOUT,
        layout=widgets.Layout(width="640px"),
    )

    def window(categories, period):
        start, end = period
        # the end month is inclusive: keep events up to that month's last day
        return filter_events(events, categories, start, end + pd.offsets.MonthEnd(0))

    return Panel(
        {"categories": picker, "period": period},
        render=lambda categories, period: timeline_chart(window(categories, period)),
        caption=lambda categories, period: _describe(window(categories, period)),
        title="Timeline: choose categories (Ctrl/Cmd-click for several) and drag the period handles",
    )
