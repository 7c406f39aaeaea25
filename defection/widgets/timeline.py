"""Lesson 00's timeline panel: pick categories and a period, see the events."""

from __future__ import annotations

import pandas as pd

from defection import data
from defection.charts.timeline import _describe, filter_events, timeline_chart
from defection.widgets.controls import month_options, month_range, pick_many
from defection.widgets.core import Panel

__all__ = ["month_options", "timeline_panel"]  # month_options: re-exported from controls


def timeline_panel(events: pd.DataFrame | None = None) -> Panel:
    """Events by category, filtered by a category picker and a month range slider."""
    events = data.load("events") if events is None else events
    categories = [c for c in events["category"].cat.categories if (events["category"] == c).any()]
    picker = pick_many(categories, "Categories")
    period = month_range(events["date"], "Period", width="640px")

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
