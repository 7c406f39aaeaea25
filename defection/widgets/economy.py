"""Panels for lesson 2: an explorer of economic shocks and the spoils model with sliders."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import altair as alt
import pandas as pd

from defection.charts.economy import CHART_GROUPS, KINDS, economy_timeline, spoils_chart
from defection.models.spoils import simulate_spoils
from defection.widgets.controls import month_options as _month_options
from defection.widgets.controls import month_range, pick_many, slider
from defection.widgets.core import Panel

_WIDTH = "460px"


def month_options(df: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """(label, first day of month) for every month from the first to the last row."""
    return _month_options(df["date"])


def filter_economy(
    df: pd.DataFrame, kinds: Iterable[str], months: tuple[pd.Timestamp, pd.Timestamp]
) -> pd.DataFrame:
    """Rows of the chosen kinds dated within the chosen months (inclusive)."""
    start, end = (pd.Timestamp(m) for m in months)
    end = end + pd.offsets.MonthEnd(0)
    dates = pd.to_datetime(df["date"])
    keep = df["kind"].astype(str).isin(list(kinds)) & (dates >= start) & (dates <= end)
    return df[keep]


def economy_panel(df: pd.DataFrame | None = None, start: str | None = "2021-01") -> Panel:
    """Timeline explorer over the economy table: choose kinds and a range of months.

    ``start`` is the first month shown at first (the slider still reaches the earliest
    row, e.g. pre-coup baselines); ``None`` shows everything.
    """
    if df is None:
        from defection import data

        df = data.load("economy")
    present = [k for k in KINDS if k in set(df["kind"].astype(str))]
    controls = {
        "months": month_range(df["date"], "Months shown", start=start, width=_WIDTH),
        "kinds": pick_many(present, "Kinds (Ctrl/Cmd-click)", rows=7),
    }

    def render(months, kinds) -> alt.Chart:
        return economy_timeline(filter_economy(df, kinds, months))

    def caption(months, kinds) -> str:
        rows = filter_economy(df, kinds, months)
        start, end = (pd.Timestamp(m).strftime("%b %Y") for m in months)
        if rows.empty:
            return f"No rows of the chosen kinds between {start} and {end}."
        counts = rows["kind"].astype(str).value_counts()
        parts = ", ".join(f"{n} {k}" for k, n in counts.items())
        return f"{len(rows)} rows between {start} and {end}: {parts}."

    return Panel(controls, render, caption, title="Economic shocks and corporate exits")


#: Model runs are cached so that the chart and the caption share one run per setting.
_run = lru_cache(maxsize=64)(simulate_spoils)


def spoils_render(**values) -> alt.HConcatChart:
    """The spoils panel's chart for given slider values (used by the panel and benchmarks)."""
    by_tier = _run(**values).by_tier
    return spoils_chart(by_tier[by_tier["tier"].isin(CHART_GROUPS)])


def spoils_caption(**values) -> str:
    """Sentences on the last period: the pool, the elite's softliners, who else is cut out."""
    run = _run(**values)
    last = run.by_tier[run.by_tier["period"] == run.by_tier["period"].max()]
    share = dict(zip(last["tier"].astype(str), last["excluded_share"]))
    rent = dict(zip(last["tier"].astype(str), last["rent_index"]))
    totals = run.totals.iloc[-1]
    start = run.totals["reserves_left"].iloc[0]
    left = f"{totals['reserves_left'] / start:.0%} of reserves left" if start > 0 else "no reserves"
    rules = ""
    if values.get("war_rents", 0):
        steered = run.totals["steered"].iloc[-1]
        rules += (
            f" War rents add {totals['war_rents']:.0f} a period, {steered:.0f} of it handed "
            "straight to senior commanders."
        )
    if values.get("capture", 0) or values.get("purge", 0):
        rules += (
            f" The sharing rules are broken: the ruling faction gets {rent['ruling faction']:.0f}% "
            f"of its old share of rents, and {share['outside the faction']:.0%} of the officers "
            "outside it are cut out."
        )
    return (
        f"After {int(totals['period'])} periods the pool is {totals['pool']:.0f}% of its pre-coup "
        f"size; {left}. Softliners (excluded members of the elite): {share['senior']:.0%} of "
        f"senior officers. Also cut out: {share['mid']:.0%} of mid-ranking and "
        f"{share['junior']:.0%} of junior officers ({share['all officers']:.0%} of all "
        f"officers).{rules}"
    )


def spoils_panel() -> Panel:
    """Sliders for the shrinking pool (boycott, sanctions, reserves, repression, shielding),
    for the broken rules (capture, purge), for war rents and how far they are steered to
    the senior commanders, plus the number of periods."""
    controls = {
        "boycott": slider(0.4, 0.0, 1.0, 0.05, "Boycott strength", width=_WIDTH),
        "sanctions": slider(0.3, 0.0, 1.0, 0.05, "Sanctions and exits", width=_WIDTH),
        "reserves": slider(1.5, 0.0, 4.0, 0.25, "Reserves (in pre-coup pools)", width=_WIDTH),
        "repression": slider(
            0.1, 0.0, 0.5, 0.05, "Repression spending (share of pool)", width=_WIDTH
        ),
        "protection": slider(0.8, 0.0, 1.0, 0.1, "How far the top shields itself", width=_WIDTH),
        "capture": slider(0.0, 0.0, 1.0, 0.1, "Rule break: ruling faction takes more",
                          width=_WIDTH),
        "purge": slider(0.0, 0.0, 1.0, 0.05, "Rule break: purge of officers outside it",
                        width=_WIDTH),
        "war_rents": slider(0.0, 0.0, 1.0, 0.1, "War rents (fees, levies, licences, jade)",
                            width=_WIDTH),
        "steer": slider(0.0, 0.0, 1.0, 0.1, "Share of war rents steered to commanders",
                        width=_WIDTH),
        "periods": slider(12, 4, 24, 1, "Periods (quarters)", integer=True, width=_WIDTH),
    }
    return Panel(
        controls,
        spoils_render,
        spoils_caption,
        is_model=True,
        title="Spoils model: a pool that shrinks or grows, and broken sharing rules",
    )
