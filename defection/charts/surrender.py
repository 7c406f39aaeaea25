"""Charts for lesson 4: the absorption model's stocks, and surrender events over time and by region.

Every builder returns an altair chart finished with a title and a text description.
The region breakdown is a bar chart, not a map: the course draws no maps.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from defection.charts.theme import CATEGORY_COLORS, PALETTE, finish

__all__ = [
    "STOCK_LABELS",
    "absorption_chart",
    "surrender_timeline",
    "surrender_by_region",
    "surrender_overview",
    "overview_frame",
    "overview_chart",
    "region_counts",
]

#: Layers of the absorption chart, bottom to top, with their colours (no red/green pair).
STOCK_LABELS = {
    "supported": ("Registered, supported", PALETTE[0]),
    "unsupported": ("Registered, no support place", PALETTE[4]),
    "queue": ("Waiting to be vetted", PALETTE[1]),
    "held": ("Held as prisoners of war", PALETTE[3]),
    "cumulative_released": ("Released by the group that took them", PALETTE[6]),
    "cumulative_exchanged": ("Handed back in prisoner exchanges", PALETTE[7]),
    "cumulative_lost": ("Went back or left (total so far)", PALETTE[5]),
}

_EVENT_ROWS = {"surrender": "Surrender events", "defection": "Defection events"}
_COUNT_ROW = "Surrender counts (claims)"


@lru_cache(maxsize=1)
def _absorption_template() -> alt.Chart:
    """The encodings, built once: sliders redraw often and altair validates every object."""
    labels = [v[0] for v in STOCK_LABELS.values()]
    colours = [v[1] for v in STOCK_LABELS.values()]
    return (
        alt.Chart()
        .mark_area()
        .encode(
            x=alt.X("month:Q", title="Month since the surrenders began",
                    scale=alt.Scale(nice=False)),
            y=alt.Y("people:Q", title="People (stacked)", stack="zero"),
            color=alt.Color(
                "stock:N", title="Where they are", scale=alt.Scale(domain=labels, range=colours),
                sort=labels,
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("stock:N", title="Group"),
                alt.Tooltip("people:Q", title="People", format=",.0f"),
            ],
        )
    )


def _absorption_long(run: pd.DataFrame) -> pd.DataFrame:
    """One row per month and stock, built with numpy (pandas' melt is slow for a slider)."""
    keys = list(STOCK_LABELS)
    n = len(run)
    return pd.DataFrame(
        {
            "month": np.tile(run["month"].to_numpy(), len(keys)),
            "stock": np.repeat([STOCK_LABELS[k][0] for k in keys], n),
            "order": np.repeat(np.arange(len(keys)), n),
            "people": np.concatenate([run[k].to_numpy(dtype=float) for k in keys]).round(0),
        }
    )


def absorption_chart(run: pd.DataFrame) -> alt.Chart:
    """Stacked areas of the absorption model: where everyone who surrendered is, month by month.

    ``run`` is the table from :func:`defection.models.absorption.absorption`. The stack's
    top edge is the running total of surrenders, so the layers always add up to it.
    """
    last = run.iloc[-1]
    total = float(last["cumulative_inflow"])
    share = float(last["cumulative_lost"]) / total if total else 0.0
    description = (
        f"Stacked areas over {int(last['month'])} months: of {total:,.0f} people who "
        f"surrendered, {float(last['registered']):,.0f} are registered, "
        f"{float(last['queue']):,.0f} still wait to be vetted, "
        f"{float(last['held']):,.0f} are held as prisoners of war, "
        f"{float(last['cumulative_released']):,.0f} were released and "
        f"{float(last['cumulative_exchanged']):,.0f} exchanged by the groups that took them, "
        f"and {float(last['cumulative_lost']):,.0f} ({share:.0%}) were lost after entering "
        "the resistance's pipeline."
    )
    return finish(
        _absorption_template().properties(data=_absorption_long(run)),
        title="Absorbing surrendered soldiers (teaching model, not a forecast)",
        description=description,
    )


_OVERVIEW_COLUMNS = [
    "kind", "date", "row", "category", "region", "title", "description", "value",
    "qualifier", "who_counted", "claimant", "verification", "notes", "source_id",
]


def overview_frame(events: pd.DataFrame, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One plain table for the browser: events (kind "event") and surrender counts (kind "count").

    Dates become ISO text, categories plain strings and missing values ``None``, so the
    chart needs no further conversion. ``events`` and ``counts`` are already filtered
    (see :mod:`defection.surrender`).
    """
    ev = pd.DataFrame(
        {
            "kind": "event",
            "date": pd.to_datetime(events["date"]).dt.strftime("%Y-%m-%d"),
            "category": events["category"].astype("string"),
            "region": events["region"].astype("string"),
            "title": events["title"].astype("string"),
            "description": events["description"].astype("string"),
            "source_id": events["source_id"].astype("string"),
        }
    )
    ev["row"] = ev["category"].map(_EVENT_ROWS).fillna("Other events")
    if counts is None:
        frame = ev.reindex(columns=_OVERVIEW_COLUMNS)
        return frame.astype(object).where(frame.notna(), None)
    ct = pd.DataFrame(
        {
            "kind": "count",
            "date": pd.to_datetime(counts["as_of"]).dt.strftime("%Y-%m-%d"),
            "row": _COUNT_ROW,
            "category": "surrender",
            "value": pd.to_numeric(counts["value"], errors="coerce").astype(float),
            "qualifier": counts["qualifier"].astype("string"),
            "who_counted": counts["who_counted"].astype("string"),
            "claimant": counts["claimant"].astype("string"),
            "verification": counts["verification"].astype("string"),
            "notes": counts["notes"].astype("string"),
            "source_id": counts["source_id"].astype("string"),
        }
    )
    frame = pd.concat([ev, ct], ignore_index=True).reindex(columns=_OVERVIEW_COLUMNS)
    return frame.astype(object).where(frame.notna(), None)


def _colour_scale() -> alt.Scale:
    return alt.Scale(domain=list(_EVENT_ROWS), range=[CATEGORY_COLORS[c] for c in _EVENT_ROWS])


@lru_cache(maxsize=1)
def _timeline_template() -> alt.Chart:
    rows = [_EVENT_ROWS["surrender"], _EVENT_ROWS["defection"], _COUNT_ROW]
    return (
        alt.Chart()
        .mark_point(filled=True, opacity=0.75, invalid=None)
        .encode(
            x=alt.X("date:T", title="Date"),
            y=alt.Y("row:N", title=None, sort=rows, scale=alt.Scale(domain=rows)),
            color=alt.Color("category:N", title="Category", scale=_colour_scale()),
            shape=alt.Shape(
                "kind:N", title="Row type",
                scale=alt.Scale(domain=["event", "count"], range=["diamond", "circle"]),
            ),
            # Events carry no head count: draw them at one fixed size.
            size=alt.condition(
                "datum.value == null",
                alt.value(110),
                alt.Size("value:Q", title="People counted", scale=alt.Scale(range=[40, 900])),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("description:N", title="What happened"),
                alt.Tooltip("region:N", title="Region"),
                alt.Tooltip("value:Q", title="People counted", format=","),
                alt.Tooltip("qualifier:N", title="Qualifier"),
                alt.Tooltip("claimant:N", title="Claimed by"),
                alt.Tooltip("notes:N", title="Notes"),
                alt.Tooltip("source_id:N", title="Source"),
            ],
        )
        .properties(width=520, height=140)
    )


@lru_cache(maxsize=1)
def _region_template() -> alt.Chart:
    return (
        alt.Chart()
        .transform_filter("datum.kind == 'event'")
        .mark_bar()
        .encode(
            y=alt.Y("region:N", title="State, region or level", sort="-x"),
            x=alt.X("count():Q", title="Number of events", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("category:N", title="Category", scale=_colour_scale()),
            tooltip=[
                alt.Tooltip("region:N", title="Region"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("count():Q", title="Events"),
            ],
        )
        .properties(width=520)
    )


@lru_cache(maxsize=1)
def _overview_template() -> alt.VConcatChart:
    return alt.vconcat(
        _timeline_template().properties(
            title="Over time: diamonds are events, circles are claimed counts (size = people)"
        ),
        _region_template().properties(title="By state or region (events, not people)"),
    )


def _records(frame: pd.DataFrame | list[dict]) -> list[dict]:
    return frame if isinstance(frame, list) else frame.to_dict("records")


def region_counts(events: pd.DataFrame) -> pd.Series:
    """Number of events per region, largest first (what the bar chart draws)."""
    if events.empty:
        return pd.Series(dtype="int64", name="events")
    return events["region"].astype(str).value_counts().rename("events")


def _region_sentence(records: list[dict]) -> str:
    tally = Counter(r["region"] for r in records if r["kind"] == "event")
    if not tally:
        return "no region has any event in this selection"
    region, n = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return f"the region with most events is {region} ({n})"


def surrender_timeline(events: pd.DataFrame, counts: pd.DataFrame) -> alt.Chart:
    """Timeline: surrender and defection events (diamonds), surrender counts (circles by size)."""
    description = (
        f"Timeline of {len(events)} surrender or defection events and {len(counts)} "
        "claimed surrender counts; circle size shows how many people a claim counted."
    )
    return finish(
        _timeline_template().properties(
            data=alt.InlineData(values=_records(overview_frame(events, counts)))
        ),
        title="Surrenders and defections over time",
        description=description,
    )


def surrender_by_region(events: pd.DataFrame) -> alt.Chart:
    """Bar chart: how many surrender and defection events each state or region saw."""
    records = _records(overview_frame(events))
    description = (
        f"Bars count {len(events)} events by state or region; {_region_sentence(records)}. "
        "A count of events, not of people."
    )
    return finish(
        _region_template().properties(data=alt.InlineData(values=records)),
        title="Where surrender and defection events happened",
        description=description,
    )


def overview_chart(rows: pd.DataFrame | list[dict]) -> alt.VConcatChart:
    """The timeline above the regional bars, drawn from rows shaped like :func:`overview_frame`.

    Accepts the frame or its records (a list of dicts); widgets pass records they have
    filtered themselves, which keeps a slider redraw fast.
    """
    records = _records(rows)
    n_events = sum(1 for r in records if r["kind"] == "event")
    description = (
        f"{n_events} surrender or defection events and {len(records) - n_events} claimed "
        f"surrender counts in the selected period; {_region_sentence(records)}."
    )
    return finish(
        _overview_template().properties(data=alt.InlineData(values=records)),
        title="Surrenders and defections: when and where",
        description=description,
    )


def surrender_overview(events: pd.DataFrame, counts: pd.DataFrame) -> alt.VConcatChart:
    """The timeline above the regional bar chart, from one table, sharing one colour legend."""
    return overview_chart(overview_frame(events, counts))
