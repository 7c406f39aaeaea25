"""Lesson 4 panels: the absorption model, and an explorer of surrender events and counts.

Thin wiring only: the model lives in :mod:`defection.models.absorption`, the selection
in :mod:`defection.surrender`, the charts in :mod:`defection.charts.surrender`.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from defection.charts.surrender import absorption_chart, overview_chart, overview_frame
from defection.models.absorption import absorption, summary
from defection.surrender import CATEGORIES, surrender_counts, surrender_events
from defection.widgets.core import Panel

__all__ = ["absorption_panel", "absorption_view", "absorption_caption", "surrender_panel",
           "month_options"]

_STYLE = {"description_width": "initial"}
_LAYOUT = widgets.Layout(width="460px")
HORIZON = 24  # months shown by the absorption panel


def _inflow_series(inflow: int, wave_months: int, horizon: int = HORIZON) -> np.ndarray:
    """A wave of surrenders: ``inflow`` a month for ``wave_months`` months, then none."""
    months = np.arange(horizon)
    return np.where(months < wave_months, float(inflow), 0.0)


def _run(inflow, wave_months, vetting_speed, capacity, funding) -> pd.DataFrame:
    return absorption(
        inflow=_inflow_series(inflow, wave_months),
        vetting_speed=vetting_speed,
        capacity=capacity,
        funding=funding,
    )


def absorption_view(inflow=1000, wave_months=6, vetting_speed=0.5, capacity=300, funding=2000):
    """The panel's chart for one set of slider values (pure, so testable without Jupyter)."""
    return absorption_chart(_run(inflow, wave_months, vetting_speed, capacity, funding))


def absorption_caption(inflow=1000, wave_months=6, vetting_speed=0.5, capacity=300, funding=2000):
    """One plain sentence summing up the run, read out under the chart."""
    s = summary(_run(inflow, wave_months, vetting_speed, capacity, funding))
    return (
        f"After {s['months']} months: of {s['surrendered']:,.0f} who surrendered, "
        f"{s['registered']:,.0f} are registered ({s['supported']:,.0f} of them with a support "
        f"place), {s['waiting']:,.0f} still wait, and {s['lost']:,.0f} "
        f"({s['share_lost']:.0%}) went back or left."
    )


def absorption_panel() -> Panel:
    """Sliders for the surrender wave, vetting speed, vetting capacity and funded places."""
    controls = {
        "inflow": widgets.IntSlider(
            value=1000, min=0, max=3000, step=100, description="Surrenders per month",
            continuous_update=False, style=_STYLE, layout=_LAYOUT,
        ),
        "wave_months": widgets.IntSlider(
            value=6, min=1, max=HORIZON, step=1, description="Months the wave lasts",
            continuous_update=False, style=_STYLE, layout=_LAYOUT,
        ),
        "vetting_speed": widgets.FloatSlider(
            value=0.5, min=0.05, max=1.0, step=0.05,
            description="Vetting speed (share of queue/month)",
            continuous_update=False, style=_STYLE, layout=_LAYOUT, readout_format=".2f",
        ),
        "capacity": widgets.IntSlider(
            value=300, min=0, max=3000, step=50, description="Vetting capacity (cases/month)",
            continuous_update=False, style=_STYLE, layout=_LAYOUT,
        ),
        "funding": widgets.IntSlider(
            value=2000, min=0, max=20000, step=500, description="Funded support places",
            continuous_update=False, style=_STYLE, layout=_LAYOUT,
        ),
    }
    return Panel(
        controls,
        render=absorption_view,
        caption=absorption_caption,
        is_model=True,
        title="Absorption model: from surrender to registered defector (or back)",
    )


def month_options(events: pd.DataFrame, counts: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """Month labels ("Oct 2023") and month starts spanning every dated row of both tables."""
    dates = pd.concat([events["date"], counts["as_of"]]).dropna()
    first = dates.min().to_period("M").to_timestamp()
    last = dates.max().to_period("M").to_timestamp()
    return [(m.strftime("%b %Y"), m) for m in pd.date_range(first, last, freq="MS")]


def surrender_panel(events: pd.DataFrame, counts: pd.DataFrame, start: str = "2023-01-01") -> Panel:
    """Explore surrender and defection events and surrender counts by period and category.

    ``events`` is ``data.load("events")`` and ``counts`` is ``data.load("defection_counts")``.
    The period slider picks whole months; ``start`` sets where it begins.
    """
    options = month_options(events, counts)
    stamps = [m for _, m in options]
    begin = pd.Timestamp(start).to_period("M").to_timestamp()
    lo = min(range(len(stamps)), key=lambda i: abs(stamps[i] - begin))
    controls = {
        "period": widgets.SelectionRangeSlider(
            options=options, index=(lo, len(options) - 1), description="Period",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="560px"),
        ),
        "categories": widgets.SelectMultiple(
            options=list(CATEGORIES), value=list(CATEGORIES), description="Categories",
            rows=2, style=_STYLE,
        ),
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
