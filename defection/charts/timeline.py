"""The course timeline: dated events as points on one row per category.

Used by lesson 00 (the whole story) and reusable by any lesson that shows dated events.
Category is shown by colour *and* shape, so the chart reads without colour vision.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from defection.charts.theme import CATEGORY_COLORS, finish

_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"]


def filter_events(
    events: pd.DataFrame,
    categories: Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Rows of ``events`` in the given categories and date range (inclusive)."""
    keep = pd.Series(True, index=events.index)
    if categories is not None:
        keep &= events["category"].astype(str).isin([str(c) for c in categories])
    if start is not None:
        keep &= events["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= events["date"] <= pd.Timestamp(end)
    return events[keep]


def _describe(shown: pd.DataFrame) -> str:
    if shown.empty:
        return "No events match the chosen categories and dates."
    counts = shown["category"].astype(str).value_counts()
    parts = ", ".join(f"{n} {cat}" for cat, n in counts.items())
    first, last = shown["date"].min(), shown["date"].max()
    return (
        f"{len(shown)} event{'s' if len(shown) != 1 else ''} from {first:%d %B %Y} to {last:%d %B %Y}: {parts}. "
        "Each point is one event; hover over it for what happened and who reported it."
    )


def timeline_chart(events: pd.DataFrame, *, title: str = "Myanmar since the coup: a timeline") -> alt.Chart:
    """Points on a date axis, one row per category, with tooltips naming the source."""
    frame = events.assign(
        category=events["category"].astype(str),
        source_id=events["source_id"].astype(str),
        title=events["title"].astype(str),
        description=events["description"].astype(str),
    )[["date", "category", "title", "description", "source_id"]]
    present = [c for c in CATEGORY_COLORS if c in set(frame["category"])] or sorted(set(frame["category"]))
    colors = [CATEGORY_COLORS.get(c, "#999999") for c in present]
    chart = (
        alt.Chart(frame)
        .mark_point(size=90, filled=True, opacity=0.85)
        .encode(
            x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=-30)),
            y=alt.Y("category:N", title="Category", sort=present),
            color=alt.Color("category:N", title="Category", scale=alt.Scale(domain=present, range=colors), legend=None),
            shape=alt.Shape("category:N", scale=alt.Scale(domain=present, range=_SHAPES[: len(present)]), legend=None),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("description:N", title="What happened"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("source_id:N", title="Source key"),
            ],
        )
    )
    return finish(chart, title=title, description=_describe(frame), height=max(120, 38 * len(present)), width=640)
