"""Charts for lesson 2 (the military economy): shock timeline, budget bars, spoils model.

Builders take plain DataFrames (from ``data.load("economy")`` or from
``defection.models.spoils``) and return finished altair charts.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from defection.charts.theme import finish

#: The kinds of rows in economy.csv, in the order the timeline lists them.
KINDS: tuple[str, ...] = ("shock", "indicator", "sanction", "exit", "boycott", "strike", "budget")

#: One colour per kind, from the Okabe & Ito palette (no red/green pair).
KIND_COLORS: dict[str, str] = {
    "shock": "#000000",
    "indicator": "#0072B2",
    "sanction": "#CC79A7",
    "exit": "#E69F00",
    "boycott": "#D55E00",
    "strike": "#009E73",
    "budget": "#56B4E9",
}

#: Colours for the spoils model's rank tiers.
TIER_COLORS: dict[str, str] = {
    "senior": "#0072B2",
    "mid": "#E69F00",
    "junior": "#CC79A7",
    "all officers": "#000000",
}


def _unit_words(unit: str) -> str:
    """'kyat_per_usd' -> 'kyat per USD' (units in the data use underscores)."""
    words = unit.replace("_", " ").split()
    return " ".join(w.upper() if w in {"usd", "jpy"} else w for w in words)


def value_label(value: object, unit: object) -> str:
    """'2,700 kyat per USD' from a value and a unit; an em dash when there is no value."""
    if value is None or pd.isna(value):
        return "—"
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.3g}"
    unit_text = "" if unit is None or pd.isna(unit) else " " + _unit_words(str(unit))
    return f"{text}{unit_text}"


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Economy rows as plain strings and floats, ready for JSON (no pandas NA)."""
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(df["date"]).dt.strftime("%Y-%m-%d"),
            "kind": df["kind"].astype(str),
            "actor": df["actor"].astype("string").fillna("").astype(str),
            "title": df["title"].astype(str),
            "value_text": [value_label(v, u) for v, u in zip(df["value"], df["unit"])],
            "description": df["description"].astype("string").fillna("").astype(str),
            "source_id": df["source_id"].astype(str),
        }
    )
    return out.reset_index(drop=True)


def economy_timeline(df: pd.DataFrame) -> alt.Chart:
    """Dots on a timeline, one row per kind of economic event; hover for value and source."""
    data = _plain(df)
    present = [k for k in KINDS if k in set(data["kind"])] or list(KINDS)
    extra = sorted(set(data["kind"]) - set(KINDS))
    domain = [*present, *extra]
    palette = [KIND_COLORS.get(k, "#888888") for k in domain]
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=0.85)
        .encode(
            x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("kind:N", title="Kind of event", sort=domain),
            color=alt.Color(
                "kind:N",
                title="Kind",
                scale=alt.Scale(domain=domain, range=palette),
            ),
            shape=alt.Shape("kind:N", title="Kind", scale=alt.Scale(domain=domain)),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("actor:N", title="Actor"),
                alt.Tooltip("value_text:N", title="Value"),
                alt.Tooltip("description:N", title="What happened"),
                alt.Tooltip("source_id:N", title="Source"),
            ],
        )
    )
    return finish(
        chart,
        title="Myanmar's military economy: shocks, exits and indicators",
        description=(
            f"Timeline of {len(data)} dated economic events (exits, sanctions, boycotts, "
            "strikes, budgets, indicators and shocks), one row per kind; hover a dot for "
            "its value, unit and source."
        ),
        height=230,
    )


def indicator_bars(df: pd.DataFrame, indicator: str = "defence_spending") -> alt.Chart:
    """Bars of one indicator (e.g. defence spending), one bar per row in date order."""
    rows = df[df["indicator"].astype(str) == indicator].sort_values("date")
    data = _plain(rows).assign(
        value=pd.to_numeric(rows["value"], errors="coerce").astype(float).to_numpy(),
        unit=rows["unit"].astype("string").fillna("").astype(str).to_numpy(),
    )
    data = data.dropna(subset=["value"])
    unit = _unit_words(data["unit"].iloc[0]) if len(data) else ""
    chart = (
        alt.Chart(data)
        .mark_bar(color="#56B4E9")
        .encode(
            x=alt.X("title:N", title=None, sort=list(data["title"]), axis=alt.Axis(labelLimit=220)),
            y=alt.Y("value:Q", title=f"Value ({unit})" if unit else "Value"),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("title:N", title="Row"),
                alt.Tooltip("value_text:N", title="Value"),
                alt.Tooltip("source_id:N", title="Source"),
            ],
        )
    )
    label = indicator.replace("_", " ")
    return finish(
        chart,
        title=f"{label.capitalize()} in the economy table",
        description=(
            f"Bar chart of the {len(data)} rows with indicator '{indicator}', in date order; "
            "hover a bar for its date and source."
        ),
        width=360,
        height=220,
    )


def spoils_chart(by_tier: pd.DataFrame) -> alt.HConcatChart:
    """Two panels side by side: rents per officer by tier, and the share cut out."""
    data = pd.DataFrame(
        {
            "period": by_tier["period"].astype(int).to_numpy(),
            "tier": by_tier["tier"].astype(str).to_numpy(),
            "rent_index": by_tier["rent_index"].astype(float).round(2).to_numpy(),
            "softliner_share": by_tier["softliner_share"].astype(float).round(4).to_numpy(),
        }
    )
    domain = [t for t in TIER_COLORS if t in set(data["tier"])]
    color = alt.Color(
        "tier:N",
        title="Officers",
        scale=alt.Scale(domain=domain, range=[TIER_COLORS[t] for t in domain]),
    )
    dash = alt.StrokeDash(
        "tier:N",
        title="Officers",
        scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3], [2, 2], [1, 0]][: len(domain)]),
    )
    x = alt.X("period:Q", title="Period after the coup (0 = before)", axis=alt.Axis(tickMinStep=1))
    tooltip = [
        alt.Tooltip("tier:N", title="Officers"),
        alt.Tooltip("period:Q", title="Period"),
        alt.Tooltip("rent_index:Q", title="Rents (% of pre-coup)", format=".0f"),
        alt.Tooltip("softliner_share:Q", title="Share cut out", format=".0%"),
    ]
    base = alt.Chart(data).properties(width=250, height=220)
    rents = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y(
            "rent_index:Q",
            title="Rents per officer (% of pre-coup)",
            scale=alt.Scale(domain=[0, 100]),
        ),
        color=color,
        strokeDash=dash,
        tooltip=tooltip,
    ).properties(title="Rents per officer")
    cut = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y(
            "softliner_share:Q",
            title="Share cut out (potential softliners)",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        color=color,
        strokeDash=dash,
        tooltip=tooltip,
    ).properties(title="Officers cut out of the pool")
    last = data[data["period"] == data["period"].max()]
    overall = last.loc[last["tier"] == "all officers", "softliner_share"]
    share = float(overall.iloc[0]) if len(overall) else float(last["softliner_share"].mean())
    return finish(
        alt.hconcat(rents, cut),
        title="Spoils model: who is cut out as the pool shrinks",
        description=(
            "Left: mean rents per officer by rank tier as a percentage of the pre-coup level. "
            f"Right: share of each tier whose rents fell below their reservation level; "
            f"{share:.0%} of all officers are cut out in the last period."
        ),
    )
