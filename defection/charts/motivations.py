"""Charts for lesson 3 (why soldiers defect): the defection calculus and the dated counts."""

from __future__ import annotations

import functools
import json

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from defection.charts.live import LIVE_PREFIX, live_param
from defection.charts.theme import CATEGORY_COLORS, PALETTE, fast_build, finish

#: Extra colour-blind-safe colours (Tol's muted scheme) when there are more claimants
#: than the course palette has colours; no red/green pairs among them.
_EXTRA = ["#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#888888"]



#: Shapes that tell claimed, registered and estimated counts apart.
VERIFICATION_SHAPES = {"claimed": "circle", "registered": "square", "estimated": "triangle-up"}


@fast_build
def calculus_bars(
    result: pd.DataFrame,
    alternative: pd.DataFrame | None = None,
    labels: tuple[str, str] = ("stakes and penalties rise with rank (course default)",
                               "alternative assumption"),
) -> alt.Chart:
    """Bar chart of the share of an imagined unit that would defect, by rank.

    ``result`` is the DataFrame returned by ``defection.models.calculus.calculus``
    (columns ``rank``, ``soldiers``, ``share``, ``expected_defectors``). Given an
    ``alternative`` run (same settings, another assumption about ranks), the bars are
    grouped so the two assumptions stand side by side; ``labels`` names the two.
    """
    runs = [(labels[0], result)] + ([] if alternative is None else [(labels[1], alternative)])
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "rank": run["rank"].astype(str),
                    "assumption": label,
                    "soldiers": run["soldiers"].astype(int),
                    "share": run["share"].astype(float),
                    "expected": run["expected_defectors"].astype(float).round(1),
                }
            )
            for label, run in runs
        ],
        ignore_index=True,
    )
    order = result["rank"].astype(str).tolist()
    encoding = dict(
        x=alt.X("rank:N", title="Rank", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "share:Q",
            title="Share who would defect",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        tooltip=[
            alt.Tooltip("rank:N", title="Rank"),
            alt.Tooltip("assumption:N", title="Assumption"),
            alt.Tooltip("share:Q", title="Share defecting", format=".1%"),
            alt.Tooltip("expected:Q", title="Expected defectors"),
            alt.Tooltip("soldiers:Q", title="Soldiers of this rank"),
        ],
    )
    if alternative is None:
        chart = alt.Chart(frame).mark_bar(color=CATEGORY_COLORS["defection"]).encode(**encoding)
    else:
        chart = alt.Chart(frame).mark_bar().encode(
            **encoding,
            xOffset=alt.XOffset("assumption:N", sort=list(labels)),
            color=alt.Color(
                "assumption:N", title="Assumption about ranks", sort=list(labels),
                scale=alt.Scale(domain=list(labels), range=[PALETTE[0], PALETTE[1]]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0),
            ),
        )

    def listed(run: pd.DataFrame) -> str:
        return ", ".join(
            f"{r} {v:.0%}" for r, v in zip(run["rank"].astype(str), run["share"], strict=True)
        )

    said = f"{listed(result)}"
    if alternative is not None:
        said = f"{labels[0]}: {said}; {labels[1]}: {listed(alternative)}"
    return finish(
        chart,
        title="Who would defect? Share of an imagined unit, by rank",
        description=(
            "Bar chart of the share of a simulated unit of "
            f"{int(result['soldiers'].sum()):,} soldiers that would defect, by rank: {said}. "
            "A teaching model, not a forecast."
        ),
        width=420,
        height=260,
    )


def _claimant_colors(claimants: list[str]) -> alt.Scale:
    colors = (PALETTE + _EXTRA) * (len(claimants) // (len(PALETTE) + len(_EXTRA)) + 1)
    return alt.Scale(domain=claimants, range=colors[: len(claimants)])


def _records(counts: pd.DataFrame, cols: list[str]) -> list[dict]:
    """Rows as plain dicts: dates as ISO text, values as floats, everything else as text."""
    size = len(counts)
    columns = {}
    for col in cols:
        values = counts[col].tolist() if col in counts.columns else [""] * size
        if col == "as_of":
            columns[col] = [pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]
        elif col == "value":
            columns[col] = [float(v) for v in values]
        else:
            columns[col] = ["" if v is None or v is pd.NA or v != v else str(v) for v in values]
    rows = [dict(zip(cols, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]
    for row in rows:
        row["series"] = " | ".join(
            (row["claimant"], f"{row['who_counted']} {row['status']}", row["measure"])
        )
    return rows


@functools.lru_cache(maxsize=1)
def _count_layers() -> tuple[alt.Chart, alt.Chart]:
    """The two layers of the counts chart, which never change (altair copies them when layering)."""
    with debug_mode(False):
        lines = (
            alt.Chart()
            .mark_line(opacity=0.35, strokeWidth=1.5, clip=True)
            .encode(detail="series:N")
        )
        points = alt.Chart().mark_point(filled=True, size=90, opacity=0.9, clip=True).encode(
            shape=alt.Shape(
                "verification:N",
                title="Verification",
                scale=alt.Scale(
                    domain=list(VERIFICATION_SHAPES), range=list(VERIFICATION_SHAPES.values())
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("as_of:T", title="As of", format="%d %b %Y"),
                alt.Tooltip("claimant:N", title="Claimant"),
                alt.Tooltip("claimant_type:N", title="Claimant type"),
                alt.Tooltip("value:Q", title="Value", format=","),
                alt.Tooltip("qualifier:N", title="Qualifier"),
                alt.Tooltip("who_counted:N", title="Who was counted"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("verification:N", title="Verification"),
                alt.Tooltip("source_id:N", title="Source"),
                alt.Tooltip("notes:N", title="Notes"),
            ],
        )
    return lines, points


@fast_build
def counts_timeline(
    counts: pd.DataFrame,
    *,
    log_scale: bool = False,
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    claimants: list[str] | None = None,
) -> alt.LayerChart:
    """Dated defection counts: value by date, one colour per claimant.

    ``counts`` has the columns of ``data.load("defection_counts")``. Points of the same
    claimant, group, status and measure are joined by a faint line so a series can be
    followed; the shape says whether a figure was claimed, registered or estimated.
    ``claimants`` fixes the colour of each claimant (pass the full list so colours do
    not change when rows are filtered out); ``date_range`` fixes the time axis.
    """
    cols = [
        "as_of", "value", "qualifier", "who_counted", "status", "measure",
        "claimant", "claimant_type", "verification", "source_id", "notes",
    ]
    records = _records(counts, cols)
    records.sort(key=lambda r: r["as_of"])
    n, k = len(records), len({r["claimant"] for r in records})
    # The rows go in as one JSON string: altair then checks a single value instead of
    # walking every cell, which keeps a widget update fast.
    data = alt.InlineData(values=json.dumps(records), format=alt.DataFormat(type="json"))
    claimants = claimants if claimants is not None else [r["claimant"] for r in records]
    all_claimants = sorted(set(claimants))
    color = alt.Color(
        "claimant:N",
        title="Claimant",
        scale=_claimant_colors(all_claimants),
        # every claimant keeps its colour, but the legend lists only those shown
        # (a live param: moving the dates redraws the chart in place, not anew)
        legend=alt.Legend(
            orient="right", columns=1, labelLimit=260, symbolLimit=0,
            values=alt.ExprRef(LIVE_PREFIX + "claimants"),
        ),
    )
    live = [live_param("claimants", sorted({r["claimant"] for r in records}))]
    if date_range:  # epoch milliseconds: what a temporal scale's domain takes in Vega
        live.append(live_param(
            "dates", [int(pd.Timestamp(d).timestamp() * 1000) for d in date_range]
        ))
    x_scale = alt.Scale(domain=alt.ExprRef(LIVE_PREFIX + "dates")) if date_range else alt.Undefined
    y_scale = alt.Scale(type="log") if log_scale else alt.Scale(zero=True)
    x = alt.X(
        "as_of:T",
        title="Date of the count",
        scale=x_scale,
        axis=alt.Axis(format="%b %Y", labelAngle=0),
    )
    y_title = "Number counted" + (" (log scale)" if log_scale else "")
    y = alt.Y("value:Q", title=y_title, scale=y_scale)
    lines, points = _count_layers()
    return finish(
        alt.layer(lines, points, data=data).encode(x=x, y=y, color=color).add_params(*live),
        title="Defection counts by date and claimant",
        subtitle="Each point is one claim; series overlap and count different people",
        description=(
            f"Scatter of {n} dated counts from {k} claimants, value against date, "
            "coloured by claimant, shaped by whether the figure was claimed, registered "
            "or estimated; faint lines join points of the same series."
        ),
        width=560,
        height=300,
    )
