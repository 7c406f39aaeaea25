"""Small helpers the lesson check modules (``defection.checks.lessonNN``) share.

Expected values are computed, never typed in, and several sets compute them the same way:
read one row or one cell of a course table by its id, rerun a model with the settings an
exercise states (changing one or two), and find the smallest option in a list that makes
something happen. Each lesson module keeps only its questions and its own logic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from defection import data


def row(table: str, id_column: str, row_id: str) -> pd.Series:
    """The row of course table ``table`` whose ``id_column`` is ``row_id`` (a boolean mask,
    never ``query``: pandas 3 compares dates and strings silently wrong there)."""
    frame = data.load(table)
    return frame[frame[id_column] == row_id].iloc[0]


def cell(table: str, id_column: str, row_id: str, column: str = "value") -> float:
    """One number of a course table, picked by row id and column."""
    return float(row(table, id_column, row_id)[column])


def run_with(model: Callable[..., Any], settings: Mapping[str, Any], **changes: Any) -> Any:
    """``model`` run with the stated ``settings``, some of them changed."""
    return model(**{**settings, **changes})


def smallest_option(options: Iterable[float], works: Callable[[float], bool], none: str) -> float:
    """The smallest of ``options`` for which ``works(option)`` is true, as a float.

    Raises ValueError(``none``) when no option works, so a change in the data or a model
    that breaks the question shows up at once instead of as a wrong expected value.
    """
    for option in sorted(options):
        if works(option):
            return float(option)
    raise ValueError(none)
