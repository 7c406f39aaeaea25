"""Charts for lesson 1 (regime cohesion): the defection cascade and the comparative record."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defection.charts.theme import PALETTE, finish
from defection.comparative import DEFECTION_LEVELS, OUTCOMES
from defection.models.cascade import CascadeResult

#: One colour per outcome for the ruler (blue / orange / grey: no red-green pair).
OUTCOME_COLORS = {"ruler_fell": PALETTE[0], "ruler_survived": PALETTE[1], "ongoing": "#999999"}
OUTCOME_LABELS = {
    "ruler_fell": "ruler fell",
    "ruler_survived": "ruler survived",
    "ongoing": "ongoing",
}
DEFECTION_LABELS = {
    "none": "none",
    "partial": "partial (rank and file)",
    "elite_withdrawal": "elite withdrawal",
    "coup": "coup by the army",
    "major": "major (senior officers)",
}


def cascade_chart(result: CascadeResult) -> alt.LayerChart:
    """Defecting share by round, with the tipping point marked (or a note that none came).

    Two layers only (the line with its points, and a text mark whose "●" sits on the
    tipping point), because every extra layer adds ~12 ms to each slider redraw.
    """
    curve = pd.DataFrame(
        {"round": result.rounds["round"], "share": result.rounds["share"].round(4)}
    )
    if result.tipped:
        label = f"● tipping point: round {result.tipping_round}, {result.tipping_share:.0%} out"
        mark = {"round": result.tipping_round, "share": round(result.tipping_share, 4)}
        summary = (
            f"The cascade tips at round {result.tipping_round}, when "
            f"{result.tipping_share:.0%} have defected, and ends with "
            f"{result.final_share:.0%} out."
        )
    else:
        label = f"no tipping point: defection stalls at {result.final_share:.0%}"
        mark = {"round": 1, "share": 0.9}
        summary = f"No cascade: defection stalls at {result.final_share:.0%} of the force."
    marker = pd.DataFrame([{**mark, "label": label}])

    x = alt.X("round:Q", title="Round (each soldier reacts to the share out after the last round)")
    y = alt.Y(
        "share:Q",
        title="Share of the force that has defected",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
    )
    line = (
        alt.Chart(curve)
        .mark_line(color=PALETTE[2], strokeWidth=3, point=alt.OverlayMarkDef(color=PALETTE[2]))
        .encode(
            x,
            y,
            tooltip=[
                alt.Tooltip("round:Q", title="Round"),
                alt.Tooltip("share:Q", title="Defected", format=".1%"),
            ],
        )
    )
    text = (
        alt.Chart(marker)
        .mark_text(align="left", dx=-6, fontSize=14, color=PALETTE[5], fontWeight="bold")
        .encode(x, y, alt.Text("label:N"), tooltip=[alt.Tooltip("label:N", title="Tipping point")])
    )
    return finish(
        alt.layer(line, text),
        title="Defection cascade in a threshold model",
        subtitle=f"mean threshold {result.mean_threshold:.2f}; {result.thresholds.size:,} soldiers",
        description=(
            "Line chart of the share of soldiers who have defected, round by round. " + summary
        ),
    )


def threshold_chart(curve: pd.DataFrame) -> alt.LayerChart:
    """Granovetter's diagram: who is ready to defect at each share already out.

    ``curve`` comes from :func:`defection.models.cascade.threshold_curve`.
    """
    x = alt.X("share_out:Q", title="Share already defected", axis=alt.Axis(format="%"))
    ready = (
        alt.Chart(curve)
        .mark_line(color=PALETTE[0], strokeWidth=3)
        .encode(
            x,
            alt.Y(
                "share_ready:Q",
                title="Share willing to defect at that point",
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("share_out:Q", title="Already out", format=".0%"),
                alt.Tooltip("share_ready:Q", title="Willing", format=".0%"),
            ],
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"share_out": [0.0, 1.0], "share_ready": [0.0, 1.0]}))
        .mark_line(color="#777777", strokeDash=[4, 4])
        .encode(x="share_out:Q", y="share_ready:Q")
    )
    return finish(
        alt.layer(diagonal, ready),
        title="Who is ready to defect, given how many already have",
        description=(
            "Blue line: the share of soldiers whose threshold is at or below each share "
            "already defected; dashed line: the diagonal. A cascade runs while the blue line "
            "is above the diagonal and stops where it first meets it."
        ),
    )


def outcomes_chart(
    table: pd.DataFrame,
    title: str = "What happened to the ruler, by security-force defection",
) -> alt.Chart:
    """Stacked bars: number of cases per defection level, coloured by outcome.

    ``table`` comes from :func:`defection.comparative.outcomes_by_defection`.
    """
    data = table.assign(
        level=table["sf_defection"].map(DEFECTION_LABELS).fillna(table["sf_defection"]),
        result=table["outcome"].map(OUTCOME_LABELS).fillna(table["outcome"]),
    )
    total = int(data["cases"].sum()) if len(data) else 0
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            alt.X("cases:Q", title="Number of cases", stack="zero", axis=alt.Axis(tickMinStep=1)),
            alt.Y(
                "level:N",
                title="Security-force defection",
                sort=[DEFECTION_LABELS[k] for k in DEFECTION_LEVELS],
            ),
            alt.Color(
                "result:N",
                title="Outcome",
                scale=alt.Scale(
                    domain=[OUTCOME_LABELS[k] for k in OUTCOMES],
                    range=[OUTCOME_COLORS[k] for k in OUTCOMES],
                ),
            ),
            tooltip=[
                alt.Tooltip("level:N", title="Defection"),
                alt.Tooltip("result:N", title="Outcome"),
                alt.Tooltip("cases:Q", title="Cases"),
                alt.Tooltip("examples:N", title="Which"),
            ],
        )
    )
    return finish(
        chart,
        title=title,
        description=(
            f"Bar chart of {total} comparative cases grouped by how far the security forces "
            "defected, coloured by whether the ruler fell or survived. Hover a bar for the cases."
        ),
    )


def navco_rates_chart(rates: pd.DataFrame) -> alt.Chart:
    """Grouped bars: NAVCO success rates with and without defection, by method.

    ``rates`` comes from :func:`defection.comparative.navco_rates`.
    """
    chart = (
        alt.Chart(rates)
        .mark_bar()
        .encode(
            alt.X(
                "rate:Q",
                title="Share of campaigns that succeeded",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            alt.Y("method:N", title="Main method of the campaign"),
            alt.YOffset("defection:N", sort=["with defection", "without defection"]),
            alt.Color(
                "defection:N",
                title="Security forces",
                scale=alt.Scale(
                    domain=["with defection", "without defection"], range=[PALETTE[0], PALETTE[1]]
                ),
            ),
            tooltip=[
                alt.Tooltip("method:N", title="Method"),
                alt.Tooltip("defection:N", title="Security forces"),
                alt.Tooltip("successes:Q", title="Succeeded"),
                alt.Tooltip("cases:Q", title="Campaigns"),
                alt.Tooltip("rate:Q", title="Success rate", format=".0%"),
            ],
        )
    )
    return finish(
        chart,
        title="NAVCO 1.2: success with and without security-force defection",
        description=(
            "Grouped bar chart of the share of campaigns (1945-2014) that succeeded, for "
            "nonviolent and violent campaigns, split by whether security forces defected."
        ),
    )
