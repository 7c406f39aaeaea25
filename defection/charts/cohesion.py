"""Charts for lesson 1 (regime cohesion): the defection cascade and the comparative record."""

from __future__ import annotations


import altair as alt
import numpy as np
import pandas as pd

from defection import definitions
from defection.charts.theme import PALETTE, fast_build, finish
from defection.comparative import DEFECTION_LEVELS, OUTCOMES
from defection.models.cascade import CascadeResult




#: One colour per outcome for the ruler (blue / orange / grey: no red-green pair).
OUTCOME_COLORS = {"ruler_fell": PALETTE[0], "ruler_survived": PALETTE[1], "ongoing": "#999999"}
OUTCOME_LABELS = {
    "ruler_fell": "ruler fell",
    "ruler_survived": "ruler survived",
    "ongoing": "ongoing",
}
#: Labels of ``uprisings.sf_defection``: the data package's, so a legend never defines a
#: coding differently from the data (``defection.definitions``).
DEFECTION_LABELS = definitions.labels("uprisings", "sf_defection")


#: Colours of the cascade's lines: the whole force and its two ranks.
SERIES_COLORS = {"all soldiers": PALETTE[2], "officers": PALETTE[0], "rank and file": PALETTE[1]}


def _pct(value: float | None) -> str:
    return "none short of a majority" if value is None else f"{value:.0%}"


def cascade_summary(result: CascadeResult) -> str:
    """One or two sentences on the run: where it ended, critical mass, rounds, who led."""
    weighted = "" if result.officer_weight == 1 else (
        f" (weighted share, each officer counting as {result.officer_weight:g} soldiers)"
    )
    if result.tipped:
        lead = {
            "officers": " Officers went first and the rank and file followed (top-down).",
            "rank and file": " The rank and file went first and officers followed (bottom-up).",
            "both": " Both ranks passed half their members in the same round.",
        }.get(result.led_by or "", "")
        return (
            f"The cascade tips: {result.final_share:.0%} end up defecting (officers "
            f"{result.officers_out:.0%}, rank and file {result.rank_and_file_out:.0%}); "
            f"a majority is out after {result.rounds_to_majority} rounds. The first movers "
            f"alone were enough: the threshold curve stays above the diagonal up to a "
            f"majority{weighted}.{lead}"
        )
    if result.critical_mass is None:
        tail = (
            "The threshold curve stays at or below the diagonal up to a majority, so no push "
            "short of a majority would set off a self-feeding cascade."
        )
    else:
        tail = (
            f"Critical mass: {result.critical_mass:.0%}{weighted}. If that many were pushed "
            "out at once, the cascade would feed itself past a majority."
        )
    return (
        f"No cascade: defection stalls at {result.final_share:.0%} (officers "
        f"{result.officers_out:.0%}, rank and file {result.rank_and_file_out:.0%}), where the "
        f"threshold curve first meets the diagonal. {tail}"
    )


@fast_build
def cascade_chart(result: CascadeResult) -> alt.LayerChart:
    """Defecting share by round for the whole force and each rank, with a note on the end.

    Two layers only (the lines, and a text mark at the round a majority is out or a note
    that it never is, plus the critical mass on the vertical axis when there is one),
    because every extra layer adds ~12 ms to each slider redraw.
    """
    # Draw the rounds until the process stops and a few flat ones after it (not all of
    # ``max_rounds``): the flat tail says "it stopped", and fewer rows redraw faster.
    shown = min(len(result.rounds), max(6, result.rounds_to_stop + 4))
    frame = result.rounds.iloc[:shown]
    curve = pd.DataFrame({
        "round": np.tile(frame["round"].to_numpy(), 3),
        "group": np.repeat(list(SERIES_COLORS), len(frame)),
        "share": np.concatenate([frame["share"], frame["officers"],
                                 frame["rank_and_file"]]).round(4),
    })
    if result.tipped:
        k = result.rounds_to_majority
        at = frame["share"].iloc[k] if k < len(frame) else result.final_share
        # the dot on the line, the words in the empty top-left corner (never clipped)
        rows = [
            {"round": min(k, int(frame["round"].iloc[-1])), "share": round(float(at), 4),
             "label": "●"},
            {"round": 0, "share": 0.95, "label": f"● majority out after {k} rounds"},
        ]
    else:
        rows = [{"round": 1, "share": 0.9,
                 "label": (f"stalls at {result.final_share:.0%}; critical mass "
                           f"{_pct(result.critical_mass)}")}]
    if result.critical_mass is not None and result.critical_mass > 0:
        weighted = " (weighted)" if result.officer_weight != 1 else ""
        rows.append({"round": 0, "share": round(result.critical_mass, 4),
                     "label": f"● critical mass {result.critical_mass:.0%}{weighted}"})
    marker = pd.DataFrame(rows)

    x = alt.X("round:Q", title="Round (each soldier reacts to the share out after the last round)")
    y = alt.Y(
        "share:Q",
        title="Share that has defected",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
    )
    line = (
        alt.Chart(curve)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x,
            y,
            alt.Color("group:N", title="Who",
                      scale=alt.Scale(domain=list(SERIES_COLORS),
                                      range=list(SERIES_COLORS.values()))),
            alt.StrokeDash("group:N", title="Who",
                           scale=alt.Scale(domain=list(SERIES_COLORS),
                                           range=[[1, 0], [6, 3], [2, 2]])),
            tooltip=[
                alt.Tooltip("group:N", title="Who"),
                alt.Tooltip("round:Q", title="Round"),
                alt.Tooltip("share:Q", title="Defected", format=".1%"),
            ],
        )
    )
    text = (
        alt.Chart(marker)
        .mark_text(align="left", dx=-6, fontSize=14, color=PALETTE[5], fontWeight="bold")
        .encode(x, y, alt.Text("label:N"), tooltip=[alt.Tooltip("label:N", title="Outcome")])
    )
    return finish(
        alt.layer(line, text),
        title="Defection cascade in a threshold model",
        subtitle=(f"mean threshold {result.mean_threshold:.2f}; {result.population:,} soldiers, "
                  f"{result.officer_thresholds.size:,} of them officers"),
        description=(
            "Line chart of the share of soldiers who have defected, round by round, for the "
            "whole force, the officers and the rank and file. " + cascade_summary(result)
        ),
    )


@fast_build
def threshold_chart(curve: pd.DataFrame, result: CascadeResult | None = None) -> alt.LayerChart:
    """Granovetter's diagram: who is ready to defect at each share already out.

    ``curve`` comes from :func:`defection.models.cascade.threshold_curve`. Given the run
    (``result``), the chart also marks where the cascade stops (the curve first meets the
    diagonal) and the critical mass (where it crosses the diagonal from below).
    """
    weighted = result is not None and result.officer_weight != 1
    unit = " (officers weighted)" if weighted else ""
    x = alt.X("share_out:Q", title=f"Share already defected{unit}", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("share_ready:Q", title=f"Share willing to defect at that point{unit}",
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    lines = pd.concat([
        curve.assign(line="willing at this share"),
        pd.DataFrame({"share_out": [0.0, 1.0], "share_ready": [0.0, 1.0],
                      "line": "diagonal (willing = already out)"}),
    ], ignore_index=True)
    drawn = (
        alt.Chart(lines)
        .mark_line(strokeWidth=3)
        .encode(
            x, y,
            alt.Color("line:N", title="Line",
                      scale=alt.Scale(domain=["willing at this share",
                                              "diagonal (willing = already out)"],
                                      range=[PALETTE[0], "#777777"])),
            alt.StrokeDash("line:N", title="Line",
                           scale=alt.Scale(domain=["willing at this share",
                                                   "diagonal (willing = already out)"],
                                           range=[[1, 0], [4, 4]])),
            tooltip=[
                alt.Tooltip("line:N", title="Line"),
                alt.Tooltip("share_out:Q", title="Already out", format=".0%"),
                alt.Tooltip("share_ready:Q", title="Willing", format=".0%"),
            ],
        )
    )
    description = (
        "Blue line: the share of soldiers whose threshold is met at each share already "
        "defected; dashed grey line: the diagonal. A cascade runs while the blue line is "
        "above the diagonal, stops where it first meets it, and feeds itself beyond the "
        "critical mass, where the line crosses the diagonal from below."
    )
    if result is None:
        return finish(drawn, title="Who is ready to defect, given how many already have",
                      description=description)
    points = [{"share_out": result.stall_point, "share_ready": result.stall_point,
               "label": f"● stops at {result.stall_point:.0%}"}]
    if result.critical_mass is not None and result.critical_mass > 0:
        points.append({"share_out": result.critical_mass, "share_ready": result.critical_mass,
                       "label": f"● critical mass {result.critical_mass:.0%}"})
    marks = (
        alt.Chart(pd.DataFrame(points))
        .mark_text(align="left", dx=-6, dy=-2, fontSize=13, color=PALETTE[5], fontWeight="bold")
        .encode(x, y, alt.Text("label:N"), tooltip=[alt.Tooltip("label:N", title="Point")])
    )
    return finish(alt.layer(drawn, marks),
                  title="Who is ready to defect, given how many already have",
                  description=description + " " + cascade_summary(result))


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
