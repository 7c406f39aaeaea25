"""Charts for lesson 2 (the military economy): shock timeline, budget bars, spoils model.

Builders take plain DataFrames (from ``data.load("economy")`` or from
``defection.models.spoils``) and return finished altair charts.
"""

from __future__ import annotations


import altair as alt
import pandas as pd

from defection.charts.theme import fast_build, finish




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

#: Colours for the spoils model's rank tiers (and the faction's rents).
TIER_COLORS: dict[str, str] = {
    "senior": "#0072B2",
    "mid": "#E69F00",
    "junior": "#CC79A7",
    "all officers": "#000000",
    "ruling faction": "#009E73",
}

#: Legend labels: the senior tier is the elite, whose excluded members are the softliners.
TIER_LABELS: dict[str, str] = {
    "senior": "senior (elite)",
    "mid": "mid-ranking",
    "junior": "junior",
    "all officers": "all officers",
    "ruling faction": "ruling faction",
}

#: The groups of ``SpoilsRun.by_tier`` the panel draws (the outsiders are in the caption).
CHART_GROUPS: tuple[str, ...] = tuple(TIER_COLORS)


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


@fast_build
def spoils_chart(by_tier: pd.DataFrame) -> alt.HConcatChart:
    """Two panels side by side: rents per officer by tier, and the share cut out.

    Cut-out senior officers are softliners (excluded members of the elite); cut-out
    officers lower down are excluded but not regime insiders, and the axis says so.
    """
    labels = by_tier["tier"].astype(str).map(TIER_LABELS).fillna(by_tier["tier"].astype(str))
    data = pd.DataFrame(
        {
            "period": by_tier["period"].astype(int).to_numpy(),
            "tier": labels.to_numpy(),
            "rent_index": by_tier["rent_index"].astype(float).round(2).to_numpy(),
            "excluded_share": by_tier["excluded_share"].astype(float).round(4).to_numpy(),
        }
    )
    present = set(data["tier"])
    keys = [t for t in TIER_COLORS if TIER_LABELS[t] in present]
    domain = [TIER_LABELS[t] for t in keys]
    dashes = {"senior": [1, 0], "mid": [6, 3], "junior": [2, 2], "all officers": [1, 0],
              "ruling faction": [8, 2, 2, 2]}
    color = alt.Color(
        "tier:N",
        title="Officers",
        scale=alt.Scale(domain=domain, range=[TIER_COLORS[t] for t in keys]),
    )
    dash = alt.StrokeDash(
        "tier:N",
        title="Officers",
        scale=alt.Scale(domain=domain, range=[dashes[t] for t in keys]),
    )
    x = alt.X("period:Q", title="Period after the coup (0 = before)", axis=alt.Axis(tickMinStep=1))
    tooltip = [
        alt.Tooltip("tier:N", title="Officers"),
        alt.Tooltip("period:Q", title="Period"),
        alt.Tooltip("rent_index:Q", title="Rents (% of old share)", format=".0f"),
        alt.Tooltip("excluded_share:Q", title="Share cut out", format=".0%"),
    ]
    base = alt.Chart(data).properties(width=250, height=220)
    top = max(100.0, float(data["rent_index"].max()) if len(data) else 100.0)
    rents = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y(
            "rent_index:Q",
            title="Rents per officer (% of old share)",
            scale=alt.Scale(domain=[0, top]),
        ),
        color=color,
        strokeDash=dash,
        tooltip=tooltip,
    ).properties(title="Rents per officer")
    cut = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y(
            "excluded_share:Q",
            title="Share cut out (elite: softliners)",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        color=color,
        strokeDash=dash,
        tooltip=tooltip,
    ).properties(title="Officers cut out of the spoils")
    last = data[data["period"] == data["period"].max()]

    def final(label: str) -> float | None:
        row = last.loc[last["tier"] == label, "excluded_share"]
        return float(row.iloc[0]) if len(row) else None

    everyone, elite = final("all officers"), final(TIER_LABELS["senior"])
    parts = []
    if elite is not None:
        parts.append(f"{elite:.0%} of senior officers (the elite) are cut out, the softliners")
    if everyone is not None:
        parts.append(f"{everyone:.0%} of all officers are cut out")
    said = "; ".join(parts) if parts else "no tier is shown"
    return finish(
        alt.hconcat(rents, cut),
        title="Spoils model: who is cut out as the pool shrinks and the rules break",
        description=(
            "Left: mean rents per officer by rank tier (and for the ruling faction) as a "
            "percentage of their share under the old rules. Right: share of each tier whose "
            f"rents fell below their reservation level. In the last period {said}."
        ),
    )
