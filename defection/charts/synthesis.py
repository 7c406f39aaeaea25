"""Chart for lesson 5: the scenario explorer's indicators against their thresholds."""

from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from defection.charts.theme import PALETTE, finish

#: Bar colours: threshold met (blue) or not met (orange); no red/green pair.
MET_COLORS = {"threshold met": PALETTE[0], "not met": PALETTE[1]}

_COLUMNS = ("indicator", "label", "model", "value", "threshold", "met", "caveat")


def _frame(indicators: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _COLUMNS if c not in indicators.columns]
    if missing:
        raise ValueError(
            f"indicators table lacks columns {missing}; pass ScenarioResult.indicators"
        )
    frame = pd.DataFrame(
        {
            "label": indicators["label"].astype(str).to_numpy(),
            "model": indicators["model"].astype(str).to_numpy(),
            "value": indicators["value"].astype(float).to_numpy(),
            "threshold": indicators["threshold"].astype(float).to_numpy(),
            "status": ["threshold met" if m else "not met" for m in indicators["met"]],
            "caveat": indicators["caveat"].astype(str).to_numpy(),
        }
    )
    frame["order"] = range(len(frame))
    # the value sits in the axis label, so the chart needs no separate text layer
    frame["row"] = [
        f"{lab} ({mod}): {v:.0%}"
        for lab, mod, v in zip(frame["label"], frame["model"], frame["value"], strict=True)
    ]
    return frame


def scenario_chart(
    indicators: pd.DataFrame, verdict: str = "", caveats: str = ""
) -> alt.LayerChart:
    """Horizontal bars: each model's output, with a black tick at its threshold.

    ``indicators`` is ``ScenarioResult.indicators`` (columns indicator, label, model,
    value, threshold, met, caveat); ``verdict`` and ``caveats`` (the result's ``verdict``
    and ``caveats`` strings) go into the subtitle and the text description.
    """
    with debug_mode(False):
        frame = _frame(indicators)
        # sorted by a field, not by a list of labels: the labels carry the values, and a
        # list in the spec would make every redraw a new chart instead of new rows
        y = alt.Y("row:N", title=None, sort=alt.EncodingSortField("order", op="min"),
                  axis=alt.Axis(labelLimit=360))
        tooltip = [
            alt.Tooltip("label:N", title="Indicator"),
            alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("value:Q", title="Value", format=".0%"),
            alt.Tooltip("threshold:Q", title="Threshold", format=".0%"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("caveat:N", title="Caveat"),
        ]
        # One data set and the shared y and tooltip encodings sit on the layer, so the
        # spec stays small (validation in to_dict() is most of a redraw's cost); inline
        # values skip the data transformer's hashing.
        bars = alt.Chart().mark_bar(height=22).encode(
            x=alt.X(
                "value:Q", title="Share (0–100%)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "status:N",
                title="Against its threshold",
                scale=alt.Scale(domain=list(MET_COLORS), range=list(MET_COLORS.values())),
            ),
        )
        ticks = alt.Chart().mark_tick(color="#000000", thickness=3, size=34).encode(
            x=alt.X("threshold:Q")
        )
        chart = alt.layer(bars, ticks, data=alt.Data(values=frame.to_dict("records"))).encode(
            y=y, tooltip=tooltip
        )
        parts = ", ".join(
            f"{r.label} {r.value:.0%} against a threshold of {r.threshold:.0%} ({r.status})"
            for r in frame.itertuples()
        )
        description = (
            f"Bar chart of {len(frame)} model outputs with their thresholds marked by black ticks: "
            f"{parts}. "
            + (verdict + " " if verdict else "")
            + (caveats + " " if caveats else "")
            + "A teaching model, not a forecast."
        )
        # "Split at the top? NO: ..." -> "Split at the top? NO" (the rest is in the caption)
        subtitle = verdict.split(":")[0].strip() if verdict else ""
        if subtitle:
            subtitle += " — black ticks mark the thresholds"
        return finish(
            chart,
            title="What would it take? The links of the chain against their thresholds",
            subtitle=subtitle or None,
            description=description,
            width=360,
            height=40 * len(frame),
        )
