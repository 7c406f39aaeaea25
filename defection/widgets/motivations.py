"""Panels for lesson 3: the defection-calculus model and the explorer of dated counts."""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w
import pandas as pd

from defection.charts.motivations import calculus_bars, counts_timeline
from defection.models import calculus as calc
from defection.widgets.controls import STYLE, month_range, pick_many, slider
from defection.widgets.core import Panel


#: The alternative assumptions the panel can set beside the default (label -> profiles).
ALTERNATIVES: dict[str, dict[str, str] | None] = {
    "same stake and penalty for every rank": {"stake_profile": "flat",
                                              "penalty_profile": "flat"},
    "same stake for every rank": {"stake_profile": "flat", "penalty_profile": "by_rank"},
    "same penalty for every rank": {"stake_profile": "by_rank", "penalty_profile": "flat"},
    "none (default assumption only)": None,
}
DEFAULT_ALTERNATIVE = next(iter(ALTERNATIVES))


def _split(settings: dict) -> tuple[dict, dict | None, str]:
    settings = dict(settings)
    label = settings.pop("alternative", DEFAULT_ALTERNATIVE)
    if label not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {list(ALTERNATIVES)}, got {label!r}")
    return settings, ALTERNATIVES[label], label


def calculus_caption(**settings) -> str:
    """The sentence under the calculus chart: overall and per-rank shares, both assumptions."""
    settings, profiles, label = _split(settings)
    result = calc.calculus(**settings)

    def parts(run) -> str:
        return "; ".join(
            f"{r} {s:.0%}" for r, s in zip(run["rank"].astype(str), run["share"], strict=True)
        )

    text = (
        f"At these settings about {calc.overall_share(result):.0%} of this imagined unit of "
        f"{int(result['soldiers'].sum()):,} would defect ({parts(result)}), if stakes and "
        "penalties rise with rank as the course assumes."
    )
    if "desert_share" in result:
        deserters = float(result["expected_deserters"].sum() / result["soldiers"].sum())
        senior = float(result["desert_share"].iloc[-1])
        text += (f" Another {deserters:.0%} would desert (senior officers {senior:.0%}); "
                 "the bars show defection only.")
    if profiles is None:
        return text + (" That senior officers stay follows from this assumption; the "
                       "sources cannot confirm it.")
    other = calc.calculus(**settings, **profiles)
    return text + (
        f" With the {label}: {calc.overall_share(other):.0%} ({parts(other)}). The gap between "
        "the two is what the assumption, not the evidence, contributes."
    )


def calculus_render(**settings):
    """Run the model under both assumptions and draw the bars (what the panel shows)."""
    settings, profiles, label = _split(settings)
    result = calc.calculus(**settings)
    if profiles is None:
        return calculus_bars(result)
    other = calc.calculus(**settings, **profiles)
    return calculus_bars(result, other,
                         labels=("stakes and penalties rise with rank (course default)", label))


def calculus_panel(**overrides) -> Panel:
    """Sliders for the settings of ``models.calculus`` (the five, the reckoning and group
    identity) wired to a bar chart by rank, a switch for desertion as a third choice, and
    a choice of the alternative assumption about ranks shown beside the default.

    Keyword arguments set the starting values, e.g. ``calculus_panel(exit_support=0.8)``
    or ``calculus_panel(alternative="same stake for every rank", reckoning=0)``.
    """
    start = {**calc.DEFAULTS, **calc.EXTENSIONS, "alternative": DEFAULT_ALTERNATIVE,
             **overrides}
    labels = {
        "punishment_risk": "Punishment risk (capture x penalty)",
        "family_risk": "Risk to the family",
        "exit_support": "Exit support (escape, shelter, allowances)",
        "moral_cost": "Moral cost of staying complicit",
        "regime_survival": "Expected regime survival",
        "reckoning": "Reckoning for stayers if the regime falls",
        "identity": "Group identity tying soldiers to the regime",
    }
    controls = {
        name: slider(start[name], 0.0, 1.0, 0.05, label, width="420px")
        for name, label in labels.items()
    }
    controls["desertion"] = w.Checkbox(
        value=bool(start["desertion"]), style=STYLE,
        description="Desertion open as a third choice (caption counts deserters)",
    )
    controls["alternative"] = w.Dropdown(
        options=list(ALTERNATIVES), value=start["alternative"],
        description="Compare with", style=STYLE, layout=w.Layout(width="420px"),
    )
    return Panel(
        controls,
        render=calculus_render,
        caption=calculus_caption,
        is_model=True,
        title="The defection calculus: who would leave an imagined unit?",
    )


# --- dated counts ---------------------------------------------------------------------

MEASURES = ("all", "cumulative", "per_period", "per_day")


def filter_counts(
    counts: pd.DataFrame,
    who_counted: Iterable[str] | None = None,
    status: Iterable[str] | None = None,
    claimant: Iterable[str] | None = None,
    measure: str = "all",
    dates: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Rows of ``counts`` matching the selections (``None`` = no filter on that column).

    ``dates`` is a (first month, last month) pair; the last month is included whole.
    """
    keep = pd.Series(True, index=counts.index)
    for col, chosen in (("who_counted", who_counted), ("status", status), ("claimant", claimant)):
        if chosen is not None:
            keep &= counts[col].astype(str).isin([str(c) for c in chosen])
    if measure != "all":
        keep &= counts["measure"].astype(str) == measure
    if dates is not None:
        as_of = pd.to_datetime(counts["as_of"])
        first, last = pd.Timestamp(dates[0]), pd.Timestamp(dates[1]) + pd.offsets.MonthEnd(0)
        keep &= (as_of >= first) & (as_of <= last)
    return counts.loc[keep.to_numpy()]


def counts_caption(shown: pd.DataFrame) -> str:
    """Caption for the counts explorer: how many claims, by whom, and a warning."""
    if shown.empty:
        return "No counts match these selections. Widen the dates or select more groups."
    ver = shown["verification"].astype(str).value_counts()
    mix = ", ".join(f"{n} {v}" for v, n in ver.items())
    n, k = len(shown), shown["claimant"].nunique()
    return (
        f"{n} count{'s' if n != 1 else ''} from {k} claimant{'s' if k != 1 else ''} ({mix}). "
        "Caution: these series overlap and count different people (soldiers, police or "
        "both; defected, registered or surrendered; totals since the coup or counts for one "
        "period), so they cannot be added up, and a claim is not a verified figure."
    )


def counts_panel(counts: pd.DataFrame | None = None) -> Panel:
    """Explorer of dated defection counts: filter by group, status, claimant, measure, dates."""
    if counts is None:
        from defection import data

        counts = data.load("defection_counts")
    claimants = sorted(counts["claimant"].astype(str).unique().tolist())

    def _multi(col: str, description: str, rows: int = 5) -> w.SelectMultiple:
        return pick_many(sorted(counts[col].astype(str).unique().tolist()), description, rows=rows)

    controls = {
        "dates": month_range(counts["as_of"], "Dates"),
        "who_counted": _multi("who_counted", "Who was counted"),
        "status": _multi("status", "Status"),
        "claimant": _multi("claimant", "Claimant", rows=8),
        "measure": w.Dropdown(
            options=list(MEASURES), value="all", description="Measure", style=STYLE
        ),
        "log_scale": w.Checkbox(
            value=False, description="Log scale (for counts of very different sizes)", style=STYLE
        ),
    }

    def render(dates, who_counted, status, claimant, measure, log_scale):
        shown = filter_counts(counts, who_counted, status, claimant, measure, dates)
        end = pd.Timestamp(dates[1]) + pd.offsets.MonthEnd(0)
        return counts_timeline(
            shown,
            log_scale=log_scale,
            date_range=(pd.Timestamp(dates[0]), end),
            claimants=claimants,
        )

    def caption(dates, who_counted, status, claimant, measure, log_scale):
        return counts_caption(filter_counts(counts, who_counted, status, claimant, measure, dates))

    return Panel(
        controls, render=render, caption=caption, title="Dated defection counts, by claimant"
    )
