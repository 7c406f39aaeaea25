"""Chart for lesson 06 (replication lab): the defection odds ratio across specifications.

A "specification curve" in its simplest form: one row per set of choices, the estimate
as a point and its 95% interval as a bar, on a log scale (an odds ratio of 2 and one of
1/2 are equally far from 1), with the course's 3.9 and the published 46 drawn as lines so
the distance to 46 is seen rather than read off.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from defection.charts.theme import PALETTE, fast_build, finish
from defection.replication import PUBLISHED

#: Columns the chart reads from :func:`defection.replication.compare`.
NEEDED = ("specification", "choices", "campaigns", "odds_ratio", "low", "high")


@fast_build
def specification_chart(table: pd.DataFrame, *, course_value: float | None = None) -> alt.LayerChart:
    """Odds ratio of success with defection, one row per specification, log scale.

    ``table`` comes from :func:`defection.replication.compare`; ``course_value`` (lesson
    01's cross-tab, 3.9) is drawn as a line when given, beside the published 46.
    """
    missing = [c for c in NEEDED if c not in table.columns]
    if missing:
        raise ValueError(
            f"specification_chart needs the columns {list(NEEDED)}; missing {missing}: "
            "pass the table from replication.compare(...)"
        )
    rows = table[list(NEEDED)].copy()
    order = list(rows["specification"])
    top = max(PUBLISHED * 1.3, float(rows["high"].max()) * 1.1)
    x_title = "Odds ratio of success, with vs without defection (log scale)"
    x = alt.X(
        "odds_ratio:Q",
        title=x_title,
        scale=alt.Scale(type="log", domain=[0.5, top], nice=False),
    )
    y = alt.Y(
        "specification:N", title="Specification (set of choices)", sort=order,
        axis=alt.Axis(labelLimit=340, titleAngle=0, titleAlign="right", titleX=-4, titleY=-8),
    )
    tooltip = [
        alt.Tooltip("specification:N", title="Specification"),
        alt.Tooltip("choices:N", title="Choices"),
        alt.Tooltip("campaigns:Q", title="Campaigns used"),
        alt.Tooltip("odds_ratio:Q", title="Odds ratio", format=".2f"),
        alt.Tooltip("low:Q", title="95% CI low", format=".2f"),
        alt.Tooltip("high:Q", title="95% CI high", format=".2f"),
    ]
    base = alt.Chart(rows)
    bars = base.mark_rule(color=PALETTE[0], strokeWidth=2).encode(
        x=alt.X("low:Q", scale=alt.Scale(type="log", domain=[0.5, top], nice=False), title=x_title),
        x2="high:Q",
        y=y,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=70, color=PALETTE[0]).encode(x=x, y=y, tooltip=tooltip)
    refs = pd.DataFrame(
        [{"odds_ratio": PUBLISHED, "reference": f"published claim ({PUBLISHED:g})", "colour": PALETTE[5]}]
        + ([{"odds_ratio": course_value, "reference": f"lesson 01 cross-tab ({course_value:.1f})",
             "colour": PALETTE[2]}] if course_value is not None else [])
        + [{"odds_ratio": 1.0, "reference": "no difference (1)", "colour": "#777777"}]
    )
    lines = (
        alt.Chart(refs)
        .mark_rule(strokeDash=[6, 4])
        .encode(
            x=alt.X("odds_ratio:Q", scale=alt.Scale(type="log", domain=[0.5, top], nice=False)),
            color=alt.Color(
                "reference:N",
                title="Reference lines",
                scale=alt.Scale(domain=list(refs["reference"]), range=list(refs["colour"])),
            ),
            tooltip=[alt.Tooltip("reference:N", title="Line"),
                     alt.Tooltip("odds_ratio:Q", title="Odds ratio", format=".1f")],
        )
    )
    return finish(
        alt.layer(lines, bars, points),
        title="How far do the choices move the defection odds ratio?",
        subtitle="NAVCO 1.2, logit of success on defection; bars are 95% intervals",
        description=(
            f"Dot-and-interval chart of {len(rows)} specifications. For each, the estimated "
            "odds ratio of success for campaigns with security-force defection against "
            f"those without, between {rows['odds_ratio'].min():.1f} and "
            f"{rows['odds_ratio'].max():.1f}, with its 95% interval, on a log scale. Dashed "
            f"lines mark an odds ratio of 1, the published figure of {PUBLISHED:g}"
            + (f" and the lesson 01 cross-tab, {course_value:.1f}." if course_value else ".")
        ),
        width=420,
    )
