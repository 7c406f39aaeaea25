"""Lesson 4 panels: the absorption model, and an explorer of surrender events and counts.

Thin wiring only: the model lives in :mod:`defection.models.absorption`, the selection
in :mod:`defection.surrender`, the charts in :mod:`defection.charts.surrender`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from defection.charts.surrender import absorption_chart, overview_chart, overview_frame
from defection.models.absorption import RECEIVERS, absorption, summary, with_outside_share
from defection.surrender import CATEGORIES, surrender_counts, surrender_events
from defection.widgets.controls import month_options as _month_options
from defection.widgets.controls import month_range, pick_many, slider
from defection.widgets.core import Panel

__all__ = ["absorption_panel", "absorption_view", "absorption_caption", "surrender_panel",
           "month_options"]

_WIDTH = "460px"
HORIZON = 24  # months shown by the absorption panel


def _inflow_series(inflow: int, wave_months: int, horizon: int = HORIZON) -> np.ndarray:
    """A wave of surrenders: ``inflow`` a month for ``wave_months`` months, then none."""
    months = np.arange(horizon)
    return np.where(months < wave_months, float(inflow), 0.0)


#: The panel's starting share of surrenders taken by armies outside the NUG (``RECEIVERS``).
OUTSIDE = sum(r.share for r in RECEIVERS if r.outside_nug)


def _run(inflow, wave_months, vetting_speed, capacity, funding, outside_nug=OUTSIDE):
    return absorption(
        inflow=_inflow_series(inflow, wave_months),
        vetting_speed=vetting_speed,
        capacity=capacity,
        funding=funding,
        receivers=with_outside_share(outside_nug),
    )


def absorption_view(inflow=1000, wave_months=6, vetting_speed=0.5, capacity=300, funding=2000,
                    outside_nug=OUTSIDE):
    """The panel's chart for one set of slider values (pure, so testable without Jupyter)."""
    return absorption_chart(_run(inflow, wave_months, vetting_speed, capacity, funding,
                                 outside_nug))


def absorption_caption(inflow=1000, wave_months=6, vetting_speed=0.5, capacity=300,
                       funding=2000, outside_nug=OUTSIDE):
    """Plain sentences summing up the run, read out under the chart."""
    s = summary(_run(inflow, wave_months, vetting_speed, capacity, funding, outside_nug))
    entered = s["registered"] + s["waiting"] + s["lost"]
    return (
        f"After {s['months']} months: of {s['surrendered']:,.0f} who surrendered, "
        f"{outside_nug:.0%} to armies outside the NUG, only {entered:,.0f} reached the NUG's "
        f"vetting. {s['registered']:,.0f} are registered ({s['supported']:,.0f} of them with "
        f"a support place) and {s['waiting']:,.0f} still wait: {s['share_kept']:.0%} of all "
        f"who surrendered kept. The groups that took the surrenders hold {s['held']:,.0f} as "
        f"prisoners, released or sent on {s['released']:,.0f} and returned "
        f"{s['exchanged']:,.0f} to the army; {s['lost']:,.0f} ({s['share_lost']:.0%}) went "
        "back or left after entering the pipeline."
    )


def absorption_panel() -> Panel:
    """Sliders for the surrender wave, who receives it, vetting speed, vetting capacity and
    funded places. What each receiver does with its share is fixed (``RECEIVERS``)."""
    whole_numbers = {"integer": True, "width": _WIDTH}
    controls = {
        "inflow": slider(1000, 0, 3000, 100, "Surrenders per month (to anyone)",
                         **whole_numbers),
        "wave_months": slider(6, 1, HORIZON, 1, "Months the wave lasts", **whole_numbers),
        "vetting_speed": slider(
            0.5, 0.05, 1.0, 0.05, "Vetting speed (share of queue/month)", width=_WIDTH
        ),
        "capacity": slider(300, 0, 3000, 50, "Vetting capacity (cases/month)", **whole_numbers),
        "funding": slider(2000, 0, 20000, 500, "Funded support places", **whole_numbers),
        "outside_nug": slider(round(OUTSIDE, 2), 0.0, 1.0, 0.01,
                              "Taken by armies outside the NUG (share)", width=_WIDTH),
    }
    return Panel(
        controls,
        render=absorption_view,
        caption=absorption_caption,
        is_model=True,
        title="Absorption model: who receives surrenders, and who reaches the NUG's register",
    )


def _dated(events: pd.DataFrame, counts: pd.DataFrame) -> pd.Series:
    return pd.concat([events["date"], counts["as_of"]])


def month_options(events: pd.DataFrame, counts: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """Month labels ("Oct 2023") and month starts spanning every dated row of both tables."""
    return _month_options(_dated(events, counts))


def surrender_panel(events: pd.DataFrame, counts: pd.DataFrame, start: str = "2023-01-01") -> Panel:
    """Explore surrender and defection events and surrender counts by period and category.

    ``events`` is ``data.load("events")`` and ``counts`` is ``data.load("defection_counts")``.
    The period slider picks whole months; ``start`` sets where it begins.
    """
    controls = {
        "period": month_range(_dated(events, counts), "Period", start=start),
        "categories": pick_many(CATEGORIES, "Categories", rows=2),
    }
    # Convert once; each redraw only picks rows (surrender counts carry category "surrender").
    rows = overview_frame(surrender_events(events), surrender_counts(counts))
    records = rows.to_dict("records")
    dates = pd.to_datetime(rows["date"]).to_numpy(dtype="datetime64[D]")
    cats = rows["category"].to_numpy(dtype=object)

    def select(period, categories) -> list[dict]:
        first, last = period
        end = last + pd.offsets.MonthEnd(0)
        keep = (
            (dates >= np.datetime64(first.date()))
            & (dates <= np.datetime64(end.date()))
            & np.isin(cats, list(categories))
        )
        return [records[i] for i in np.flatnonzero(keep)]

    def render(period, categories):
        return overview_chart(select(period, categories))

    def caption(period, categories):
        first, last = period
        chosen = select(period, categories)
        n_events = sum(1 for r in chosen if r["kind"] == "event")
        n_counts = len(chosen) - n_events
        return (
            f"{first:%b %Y} to {last:%b %Y}: {n_events} event{'' if n_events == 1 else 's'} "
            f"({', '.join(categories) or 'none'}) and {n_counts} claimed surrender counts. "
            "Counts are claims by the named side; events are not weighted by the number "
            "of people."
        )

    return Panel(controls, render=render, caption=caption,
                 title="Surrender and defection events: when and where")
