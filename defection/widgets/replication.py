"""Lesson 06's panel: build a specification with controls and see its odds ratio beside the baseline.

The panel lets a student try combinations faster than editing a ``Spec`` by hand, and it
keeps the baseline (lesson 01's cross-tab) and the published 46 on the same axis so that
every estimate is read against both. A combination the data cannot fit (a control that is
constant in the rows kept, or one that separates successes from failures) is not an error
on screen: the caption says why and the chart shows the baseline alone.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from defection import replication
from defection.charts.replication import specification_chart
from defection.replication import CAMPAIGNS, CONTROLS, LIMITED, ONGOING, PUBLISHED, ReplicationError, Spec
from defection.widgets.controls import STYLE, pick_many, slider
from defection.widgets.core import Panel

BASELINE_LABEL = "Baseline: lesson 01's cross-tab"
MINE_LABEL = "Your specification"
#: The end-year slider's range: earlier cut-offs leave too few nonviolent campaigns to fit.
FIRST_YEAR, LAST_YEAR = 1980, 2014


def spec_from(campaign_set: str, last_year: int, ongoing: str, limited: str, controls) -> Spec:
    """The Spec the panel's controls describe (no year limit when the slider is at 2014)."""
    return Spec(
        campaigns=campaign_set,
        last_year=None if int(last_year) >= LAST_YEAR else int(last_year),
        ongoing=ongoing,
        limited=limited,
        controls=tuple(controls),
        label=MINE_LABEL,
    )


def comparison(campaigns: pd.DataFrame, spec: Spec) -> tuple[pd.DataFrame, str]:
    """The rows to chart (baseline, and the spec when it can be fitted) and a caption."""
    base = Spec(label=BASELINE_LABEL)
    try:
        table = replication.compare(campaigns, [base, spec])
    except ReplicationError as err:
        message = str(err).split(": ", 1)[-1] if ": " in str(err) else str(err)
        return (
            replication.compare(campaigns, [base]),
            f"This combination cannot be estimated: {message}. The chart shows the baseline only.",
        )
    mine = table.iloc[1]
    caption = (
        f"Your specification ({spec.describe()}) uses {int(mine['campaigns'])} campaigns: odds "
        f"ratio {mine['odds_ratio']:.2f} (95% CI {mine['low']:.2f} to {mine['high']:.2f}), "
        f"against {table.iloc[0]['odds_ratio']:.2f} for the baseline. The published "
        f"{PUBLISHED:g} is {mine['times_published']:.1f} times larger."
    )
    return table, caption


def lab_panel(campaigns: pd.DataFrame | None = None) -> Panel:
    """Pick the campaigns, end year, coding of ongoing and limited outcomes, and controls."""
    if campaigns is None:
        from defection import data

        campaigns = data.load("campaigns")
    controls = {
        "campaign_set": widgets.Dropdown(
            options=[(text, key) for key, text in CAMPAIGNS.items()], value="nonviolent",
            description="Campaigns", style=dict(STYLE),
        ),
        "last_year": slider(LAST_YEAR, FIRST_YEAR, LAST_YEAR, 1, "Campaigns that ended by",
                            integer=True),
        "ongoing": widgets.Dropdown(
            options=[(text, key) for key, text in ONGOING.items()], value="failure",
            description="Ongoing in 2014", style=dict(STYLE),
        ),
        "limited": widgets.Dropdown(
            options=[(text, key) for key, text in LIMITED.items()], value="failure",
            description="Limited success", style=dict(STYLE),
        ),
        "controls": pick_many(list(CONTROLS), "Controls (Ctrl/Shift-click)", value=()),
    }

    fitted: dict[Spec, tuple[pd.DataFrame, str]] = {}

    def compared(*values) -> tuple[pd.DataFrame, str]:
        # render and caption both need the fit: fit each combination once per panel
        spec = spec_from(*values)
        if spec not in fitted:
            fitted[spec] = comparison(campaigns, spec)
        return fitted[spec]

    def render(campaign_set, last_year, ongoing, limited, controls):
        table, _ = compared(campaign_set, last_year, ongoing, limited, controls)
        return specification_chart(table, course_value=float(table.iloc[0]["odds_ratio"]))

    def caption(campaign_set, last_year, ongoing, limited, controls):
        return compared(campaign_set, last_year, ongoing, limited, controls)[1]

    return Panel(controls, render=render, caption=caption,
                 title="Replication lab: your specification against the baseline and 46")
