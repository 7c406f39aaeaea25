"""Cross-tabs, success rates and odds ratios for comparing uprisings (pure functions).

Used by lesson 1 and its exercises to ask: how much more often did campaigns succeed
when the security forces defected? Every function takes a DataFrame (or four counts)
and returns a new object; nothing here reads files or changes its input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from defection import definitions

#: Ordered levels of ``uprisings.sf_defection`` and ``outcome`` (data spec).
DEFECTION_LEVELS = ["none", "partial", "elite_withdrawal", "coup", "major"]
OUTCOMES = ["ruler_fell", "ruler_survived", "ongoing"]
#: NAVCO ``nonviol``/``viol`` flags as a method label.
METHODS = {"nonviolent": "nonviol", "violent": "viol"}
#: z for a two-sided 95% interval.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class OddsRatio:
    """An odds ratio with its Woolf (log-scale) confidence interval and the 2x2 counts.

    ``a`` = exposed and succeeded, ``b`` = exposed and failed,
    ``c`` = unexposed and succeeded, ``d`` = unexposed and failed.
    """

    value: float
    low: float
    high: float
    a: int
    b: int
    c: int
    d: int
    corrected: bool = False

    def __str__(self) -> str:
        return f"odds ratio {self.value:.1f} (95% CI {self.low:.1f} to {self.high:.1f})"


def odds_ratio(a: int, b: int, c: int, d: int, *, level_z: float = Z95) -> OddsRatio:
    """Odds ratio ``(a/b) / (c/d)`` with Woolf's 95% interval.

    If any cell is zero, 0.5 is added to every cell (Haldane-Anscombe correction) and
    ``corrected`` is set, so the interval stays finite.

    >>> str(odds_ratio(40, 12, 54, 63))
    'odds ratio 3.9 (95% CI 1.9 to 8.2)'
    """
    counts = [a, b, c, d]
    if any(x < 0 for x in counts):
        raise ValueError("counts cannot be negative")
    if (a + b) == 0 or (c + d) == 0:
        raise ValueError("each group needs at least one case")
    corrected = any(x == 0 for x in counts)
    fa, fb, fc, fd = (x + 0.5 for x in counts) if corrected else map(float, counts)
    value = (fa * fd) / (fb * fc)
    se = math.sqrt(1 / fa + 1 / fb + 1 / fc + 1 / fd)
    low = math.exp(math.log(value) - level_z * se)
    high = math.exp(math.log(value) + level_z * se)
    return OddsRatio(value, low, high, int(a), int(b), int(c), int(d), corrected)


def crosstab(df: pd.DataFrame, rows: str, cols: str) -> pd.DataFrame:
    """Counts of ``rows`` x ``cols`` (integers, every observed level, no margins)."""
    return pd.crosstab(df[rows], df[cols]).astype(int)


def success_rates(df: pd.DataFrame, by: str = "defect", outcome: str = "success") -> pd.DataFrame:
    """Per group of ``by``: number of cases, successes and the success rate (0..1).

    ``outcome`` must be a 0/1 column. Rows with a missing ``by`` or ``outcome`` are left
    out (and so not counted).
    """
    clean = df[[by, outcome]].dropna()
    grouped = clean.groupby(by, observed=True)[outcome]
    out = pd.DataFrame(
        {"cases": grouped.size(), "successes": grouped.sum().astype(int)}
    ).reset_index()
    out["cases"] = out["cases"].astype(int)
    out["rate"] = out["successes"] / out["cases"]
    return out


def two_by_two(
    df: pd.DataFrame, exposure: str = "defect", outcome: str = "success"
) -> tuple[int, int, int, int]:
    """Counts ``(a, b, c, d)`` for two 0/1 columns.

    ``a``/``b``: exposed and succeeded/failed; ``c``/``d``: unexposed and succeeded/failed.
    """
    clean = df[[exposure, outcome]].dropna()
    e = clean[exposure].astype(int) == 1
    s = clean[outcome].astype(int) == 1
    return int((e & s).sum()), int((e & ~s).sum()), int((~e & s).sum()), int((~e & ~s).sum())


def odds_ratio_from(
    df: pd.DataFrame, exposure: str = "defect", outcome: str = "success"
) -> OddsRatio:
    """:func:`odds_ratio` for two 0/1 columns of a DataFrame."""
    return odds_ratio(*two_by_two(df, exposure, outcome))


def navco_subset(campaigns: pd.DataFrame, method: str | None = "nonviolent") -> pd.DataFrame:
    """NAVCO campaigns of one primary method (``"nonviolent"``, ``"violent"`` or None for all)."""
    if method is None or method == "all":
        return campaigns.copy()
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)} or None, not {method!r}")
    return campaigns[campaigns[METHODS[method]].astype("Int64") == 1].copy()


def navco_summary(campaigns: pd.DataFrame, method: str | None = "nonviolent") -> str:
    """Plain-text summary of success with and without security-force defection.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"nonviol": [1] * 6 + [0], "viol": [0] * 6 + [1],
    ...                     "defect": [1, 1, 1, 0, 0, 0, 1], "success": [1, 1, 0, 1, 0, 0, 1]})
    >>> print(navco_summary(toy))
    nonviolent campaigns: 6
    with defection: 2 of 3 succeeded (67%)
    without defection: 1 of 3 succeeded (33%)
    odds ratio 4.0 (95% CI 0.1 to 119.2)
    """
    subset = navco_subset(campaigns, method)
    a, b, c, d = two_by_two(subset)
    ratio = odds_ratio(a, b, c, d)
    label = method if method and method != "all" else "all"
    return "\n".join(
        [
            f"{label} campaigns: {a + b + c + d}",
            f"with defection: {a} of {a + b} succeeded ({a / (a + b):.0%})",
            f"without defection: {c} of {c + d} succeeded ({c / (c + d):.0%})",
            str(ratio),
        ]
    )


def decade_of(years: pd.Series) -> pd.Series:
    """The decade of each year, as an integer (1986 -> 1980)."""
    return (years.astype("Int64") // 10) * 10


def filter_cases(
    cases: pd.DataFrame,
    regions: Iterable[str] | None = None,
    methods: Iterable[str] | None = None,
    decades: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Comparative cases (``uprisings`` table) by region, method and decade range.

    ``None`` means "no filter"; ``decades`` is inclusive, e.g. ``(1980, 2010)``.
    """
    keep = pd.Series(True, index=cases.index)
    if regions is not None:
        keep &= cases["region"].astype(str).isin(list(regions))
    if methods is not None:
        keep &= cases["method"].astype(str).isin(list(methods))
    if decades is not None:
        dec = decade_of(cases["year"])
        keep &= (dec >= decades[0]) & (dec <= decades[1])
    return cases[keep.fillna(False).astype(bool)].copy()


def outcomes_by_defection(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per (defection level, outcome) with the count and the countries in it.

    Levels keep the data spec's order; combinations with no case are left out.
    """
    if cases.empty:
        return pd.DataFrame(columns=["sf_defection", "outcome", "cases", "examples"])
    label = cases["country"].astype(str) + " " + cases["year"].astype(str)
    frame = pd.DataFrame(
        {
            "sf_defection": cases["sf_defection"].astype(str),
            "outcome": cases["outcome"].astype(str),
            "label": label,
        }
    )
    out = (
        frame.groupby(["sf_defection", "outcome"], sort=False)["label"]
        .agg(cases="size", examples=lambda s: ", ".join(sorted(s)))
        .reset_index()
    )
    order = {lvl: i for i, lvl in enumerate(DEFECTION_LEVELS)}
    out = out.sort_values(
        ["sf_defection", "outcome"],
        key=lambda col: col.map(order).fillna(99) if col.name == "sf_defection" else col,
    )
    return out.reset_index(drop=True)


#: ``sf_defection`` levels in which nobody changes sides. A coup is the leadership acting as one
#: body, so it counts neither as defection nor as its absence. Read from the one definition of
#: each level in data/datapackage.json (``counts_as_defection``), never restated here.
NOT_DEFECTION = definitions.values_where("uprisings", "sf_defection", counts_as_defection=False)


def fell_share(cases: pd.DataFrame, defected: bool) -> tuple[int, int]:
    """``(fell, total)`` among cases with (``defected=True``) or without (``none``) defection.

    A coup is its own category, so coups sit in neither group (see :func:`coup_count`); if
    they were lumped with defection, a ruler removed by his own generals would read as
    evidence that defection topples rulers. Cases still ``ongoing`` are left out.
    """
    done = cases[cases["outcome"].astype(str) != "ongoing"]
    level = done["sf_defection"].astype(str)
    group = done[~level.isin(NOT_DEFECTION)] if defected else done[level == "none"]
    return int((group["outcome"].astype(str) == "ruler_fell").sum()), int(len(group))


def coup_count(cases: pd.DataFrame) -> int:
    """How many cases are coded ``coup`` (left out of both groups of :func:`fell_share`)."""
    return int((cases["sf_defection"].astype(str) == "coup").sum())


def navco_rates(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Success rates with and without defection, for nonviolent and violent campaigns.

    Columns: ``method``, ``defection`` ("with defection" / "without defection"),
    ``cases``, ``successes``, ``rate``.
    """
    parts = []
    for method in METHODS:
        rates = success_rates(navco_subset(campaigns, method), by="defect", outcome="success")
        rates["defection"] = rates["defect"].astype(int).map(
            {1: "with defection", 0: "without defection"}
        )
        rates["method"] = method
        parts.append(rates[["method", "defection", "cases", "successes", "rate"]])
    return pd.concat(parts, ignore_index=True)
