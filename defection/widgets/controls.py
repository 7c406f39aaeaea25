"""The course's conventions for controls, kept in one place.

Every panel builds its sliders and pickers here, so that they all behave the same way
and a change of convention is made once:

* sliders redraw when released (``continuous_update=False``): dragging a handle across
  the track costs one redraw, not one for every step it passes;
* labels are shown in full (``description_width="initial"``), never cut to a fixed width;
* every control works from the keyboard: Tab reaches it, the arrow keys move a slider or
  a range handle one step, and a list takes Shift/Ctrl/Cmd-click or Shift+arrows;
* a slider is wide enough for its label and a usable track (``WIDTH`` unless a panel
  asks for another width).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from defection import data

__all__ = [
    "COVERAGE", "STYLE", "WIDTH", "choice_range", "month_options", "month_range",
    "pick_many", "slider",
]

#: Show each label at its natural width instead of truncating it.
STYLE = {"description_width": "initial"}

#: Width of a slider or range slider unless the panel asks for another.
WIDTH = "560px"


def _coverage_months() -> tuple[str, str]:
    start, end = data.coverage()
    return f"{start:%Y-%m}", f"{end:%Y-%m}"


#: The months a date slider offers when there are no dates to go by: the course's span,
#: read from the data package's ``coverage`` so that it moves when the data do.
COVERAGE = _coverage_months()


def _look(width: str | None) -> dict[str, Any]:
    return {"style": dict(STYLE), "layout": widgets.Layout(width=width or WIDTH)}


def slider(
    value: float, lo: float, hi: float, step: float, label: str, *,
    integer: bool = False, readout_format: str | None = None, width: str | None = None,
) -> widgets.FloatSlider | widgets.IntSlider:
    """A labelled slider from ``lo`` to ``hi`` that redraws on release.

    ``integer=True`` gives an ``IntSlider``; otherwise a ``FloatSlider``.
    ``readout_format`` defaults to the widget's own (``".2f"`` for floats, ``"d"`` for
    integers).
    """
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    extra = {} if readout_format is None else {"readout_format": readout_format}
    return cls(value=value, min=lo, max=hi, step=step, description=label,
               continuous_update=False, **_look(width), **extra)


def choice_range(
    options: Sequence[Any], label: str, *,
    index: tuple[int, int] | None = None, width: str | None = None,
) -> widgets.SelectionRangeSlider:
    """A two-handled slider over ``options`` (labels or ``(label, value)`` pairs).

    ``index`` is the (first, last) position selected at first; default: everything.
    """
    if index is None:
        index = (0, len(options) - 1)
    return widgets.SelectionRangeSlider(options=options, index=index, description=label,
                                        continuous_update=False, **_look(width))


def month_options(dates: Iterable[Any]) -> list[tuple[str, pd.Timestamp]]:
    """``("Feb 2021", Timestamp("2021-02-01"))`` for each month from the first date to the last.

    Missing dates are ignored; with no dates at all, the months of ``COVERAGE``.
    """
    stamps = pd.to_datetime(pd.Series(list(dates), dtype=object)).dropna()
    first, last = (stamps.min(), stamps.max()) if len(stamps) else map(pd.Timestamp, COVERAGE)
    months = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
    options = [(f"{m:%b %Y}", m.to_timestamp()) for m in months]
    return options


def month_range(
    dates: Iterable[Any], label: str = "Period", *, start: Any = None,
    width: str | None = None,
) -> widgets.SelectionRangeSlider:
    """A range slider over whole months, from the first month of ``dates`` to the last.

    The right handle starts on the last month; the left one on the month containing
    ``start`` (clamped to the range), or on the first month when ``start`` is ``None``.
    Values are month starts: a caller that filters should include the last month whole.
    """
    options = month_options(dates)
    last = len(options) - 1
    first = 0
    if start is not None:
        begin = pd.Timestamp(start).to_period("M").to_timestamp()
        first = next((i for i, (_, month) in enumerate(options) if month >= begin), last)
    return choice_range(options, label, index=(first, last), width=width)


def pick_many(
    options: Iterable[Any], label: str, *,
    value: Iterable[Any] | None = None, rows: int | None = None,
) -> widgets.SelectMultiple:
    """A list to pick several entries from; everything is picked at first unless ``value``.

    ``rows`` caps the visible height (default: one row per option).
    """
    options = list(options)
    chosen = tuple(options if value is None else value)
    height = len(options) if rows is None else min(rows, len(options))
    return widgets.SelectMultiple(options=options, value=chosen, rows=height, description=label,
                                  style=dict(STYLE))
