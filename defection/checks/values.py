"""Describing and normalising answers: what kind of thing a student gave, as words.

Every question kind needs to say "expected a number, got text" the same way and to compare
text ignoring case and spaces; these helpers are that shared vocabulary.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from defection.checks.results import PLACEHOLDER_TEXT

# --------------------------------------------------------------------------- helpers


def _type_name(value: Any) -> str:
    try:
        t = type(value)
        mod = getattr(t, "__module__", "") or ""
        name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "object")
        if not isinstance(name, str):
            name = "object"
        if mod.startswith("pandas"):
            return f"pandas {name}"
        if mod.startswith("numpy"):
            return f"numpy {name}"
        if mod.startswith("altair"):
            return f"altair {name}"
        return name
    except Exception:  # pragma: no cover - absurd metaclasses
        return "object"


def _describe(value: Any) -> str:
    """A short, student-friendly description of what kind of thing ``value`` is."""
    if value is None:
        return "None (nothing)"
    if value is Ellipsis:
        return "the placeholder ..."
    if isinstance(value, bool):
        return "True/False (a bool)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text (a str)"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a {type(value).__name__}"
    pd = sys.modules.get("pandas")
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            return "a DataFrame (table)"
        if isinstance(value, pd.Series):
            return "a Series (one column)"
    if isinstance(value, _Opaque):
        return f"an object of type {value._defection_type_name}"
    return f"an object of type {_type_name(value)}"


def _short_repr(value: Any, limit: int = 40) -> str:
    try:
        text = repr(value)
    except Exception:
        return f"<{_type_name(value)}>"
    if not isinstance(text, str):
        return f"<{_type_name(value)}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Opaque:
    """Stand-in for a value the grader could not transfer (keeps only its type name)."""

    def __init__(self, type_name: str, text: str = ""):
        self._defection_type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self._defection_type_name}>"


def _norm_text(value: Any) -> str:
    text = str(value)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text


def _norm_item(value: Any) -> Any:
    """Normalise one item for order-free, case/space-insensitive comparison."""
    try:
        import numpy as np

        if isinstance(value, np.generic):
            value = value.item()
    except Exception:
        pass
    if isinstance(value, str):
        return ("s", _norm_text(value))
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return ("nan", None)
        return ("n", round(float(value), 9))
    return ("s", _norm_text(value))


def _as_number(value: Any) -> tuple[float | None, str | None]:
    """Turn ``value`` into a float, or explain why it is not a single number."""
    if isinstance(value, bool):
        return None, f"expected a number, got {value!r} (True/False, a bool)"
    if isinstance(value, (int, float)):
        return float(value), None
    if isinstance(value, bytes):
        return None, "expected a number, got bytes"
    if isinstance(value, str):
        text = value
        try:
            float(text.strip().rstrip("%"))
        except ValueError:
            return None, f"expected a number, got text {_short_repr(text)}"
        return None, (
            f"expected a number, got text {_short_repr(text)}: remove the quotes so Python "
            "sees a number"
        )
    import numbers

    if isinstance(value, numbers.Real):
        return float(value), None
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        size = value.size
        if size == 1:
            return _as_number(value.to_numpy().ravel()[0])
        if size and bool(pd.isna(value).to_numpy().all()):
            # Series / Series with different row labels: .sum() would turn it into 0
            return None, (
                f"expected a single number, got {_describe(value)} whose {size} values are all "
                "missing (NaN): dividing one Series by another pairs their rows by label, and "
                "rows taken from two tables have different labels. Take each number out "
                "first, e.g. float(a.iloc[0]) / float(b.iloc[0])"
            )
        return None, (
            f"expected a single number, got {_describe(value)} with {size} values — "
            "reduce it to one number (e.g. .mean(), .sum(), len(...))"
        )
    if callable(value) and not isinstance(value, type):
        return None, (
            "expected a number, got a method or function itself, not its result: add the "
            "round brackets to call it, e.g. .mean() rather than .mean"
        )
    if np is not None and isinstance(value, np.ndarray):
        if value.size == 1:
            return _as_number(value.ravel()[0])
        return None, f"expected a single number, got an array with {value.size} values"
    if pd is not None and value is pd.NA:
        return None, "your answer is a missing value (pd.NA), not a number"
    if isinstance(value, (list, tuple)):
        return None, f"expected a single number, got {_describe(value)} with {len(value)} items"
    return None, f"expected a number, got {_describe(value)}"


def _rough_percent(rel: float) -> str:
    pct = abs(rel) * 100
    if pct < 1:
        return "less than 1%"
    if pct >= 1000:
        return "more than ten times"
    digits = int(math.floor(math.log10(pct)))
    rounded = round(pct, -digits)
    return f"about {rounded:g}%"


def written_text(source: str, name: str | None = None) -> str:
    """The student's own words in a written-answer cell (header and placeholder removed)."""
    lines = str(source).splitlines()
    if lines and re.match(r"^\s*\*\*Your answer\s*(\([^)]*\))?\s*:?\s*\*\*", lines[0], re.I):
        first = re.sub(r"^\s*\*\*Your answer\s*(\([^)]*\))?\s*:?\s*\*\*", "", lines[0], flags=re.I)
        lines = [first, *lines[1:]]
    text = "\n".join(lines)
    text = text.replace(PLACEHOLDER_TEXT, "")
    text = re.sub(r"<!--\s*(BEGIN|END) SOLUTION\s*-->", "", text)
    return text.strip()

