"""Select the surrender and defection rows of the course tables that lesson 4 explores.

Pure pandas, no charts: the widget, the chart builders and the notebook all use the same
selection, so what a student filters by hand matches what the panel shows.

>>> from defection import data
>>> from defection.surrender import surrender_events
>>> surrender_events(data.load("events"), start="2023-10-01", end="2024-12-31")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["CATEGORIES", "surrender_events", "surrender_counts", "claims_on", "monthly_pace"]

#: The event categories lesson 4 is about.
CATEGORIES = ("surrender", "defection")


def _bounds(start, end) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {lo.date()} is after end {hi.date()}")
    return lo, hi


def _in_range(dates: pd.Series, lo, hi) -> pd.Series:
    keep = dates.notna()
    if lo is not None:
        keep &= dates >= lo
    if hi is not None:
        keep &= dates <= hi
    return keep


def surrender_events(
    events: pd.DataFrame,
    start=None,
    end=None,
    categories: Iterable[str] = CATEGORIES,
) -> pd.DataFrame:
    """Events whose category is in ``categories`` and whose date is within [start, end].

    Dates may be strings ("2023-10-27") or timestamps; ``None`` means no bound.
    Returns the matching rows sorted by date, with a fresh index.
    """
    lo, hi = _bounds(start, end)
    wanted = {str(c) for c in categories}
    keep = events["category"].astype(str).isin(wanted) & _in_range(events["date"], lo, hi)
    return events[keep].sort_values(["date", "event_id"]).reset_index(drop=True)


def surrender_counts(counts: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Rows of ``defection_counts`` that count surrendered people, dated within [start, end]."""
    lo, hi = _bounds(start, end)
    keep = (counts["status"].astype(str) == "surrendered") & _in_range(counts["as_of"], lo, hi)
    return counts[keep].sort_values(["as_of", "count_id"]).reset_index(drop=True)


def claims_on(counts: pd.DataFrame, as_of) -> pd.DataFrame:
    """Every surrender count made for one date, one row per claim, largest first.

    Several claimants often count the same surrender differently; this puts their
    figures side by side (claimant, who_counted, value, qualifier, source_id).
    """
    day = pd.Timestamp(as_of)
    rows = surrender_counts(counts)
    rows = rows[rows["as_of"] == day]
    cols = ["claimant", "claimant_type", "who_counted", "value", "qualifier", "source_id"]
    return rows.sort_values("value", ascending=False)[cols].reset_index(drop=True)


def monthly_pace(row: pd.Series, since=None) -> tuple[float, int]:
    """People per month behind one count, and the number of months it covers.

    The period runs from ``since`` (or the row's ``period_start``) to its ``as_of`` date,
    in whole calendar months. Use ``since`` for a running total since the coup.

    >>> row = pd.Series({"value": 6000, "as_of": pd.Timestamp("2024-06-01"),
    ...                  "period_start": pd.Timestamp("2023-12-01")})
    >>> monthly_pace(row)
    (1000.0, 6)
    """
    start = pd.Timestamp(since) if since is not None else row["period_start"]
    if start is None or pd.isna(start):
        raise ValueError("this count has no period_start; pass since=, e.g. the coup date")
    months = (row["as_of"].to_period("M") - pd.Timestamp(start).to_period("M")).n
    if months <= 0:
        raise ValueError("the period must cover at least one month")
    return float(row["value"]) / months, int(months)
