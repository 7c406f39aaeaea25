"""Judging a drawn chart: is anything drawn, can it be seen, are the drawn rows the task's?

Works on :mod:`chart_drawn`'s output only, so every verdict is about what the student
would see on screen, whatever the spec says. Each function returns "" when all is well,
or one plain sentence naming what is wrong and what to do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from defection.checks.kinds.chart_drawn import MISSING, DrawnMark, invisible_reason, value_key

_TRANSFORM_WORDS = "transform_filter, transform_sample, transform_aggregate..."
_DATUM_REF = re.compile(
    r"""datum\.([A-Za-z_$][\w$]*)|datum\[\s*"([^"]+)"\s*\]|datum\[\s*'([^']+)'\s*\]"""
)


def _has_transforms(spec: Any) -> bool:
    if isinstance(spec, Mapping):
        if spec.get("transform"):
            return True
        return any(_has_transforms(v) for k, v in spec.items() if k not in ("datasets", "data"))
    if isinstance(spec, list):
        return any(_has_transforms(v) for v in spec)
    return False


def _expressions(spec: Any):
    """Every filter or calculate expression in a spec's transforms."""
    if isinstance(spec, Mapping):
        for t in spec.get("transform", []) or []:
            if isinstance(t, Mapping):
                for key in ("filter", "calculate"):
                    if isinstance(t.get(key), str):
                        yield t[key]
        for key, value in spec.items():
            if key not in ("datasets", "data", "transform"):
                yield from _expressions(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _expressions(value)


def _unknown_fields(spec: Mapping[str, Any], known: set[str]) -> list[str]:
    """Fields the transforms' expressions name that the chart's data does not have."""
    named: list[str] = []
    for text in _expressions(spec):
        for m in _DATUM_REF.finditer(text):
            name = m.group(1) or m.group(2) or m.group(3)
            if name and name not in known and name not in named:
                named.append(name)
    return named


def nothing_drawn(
    spec: Mapping[str, Any], marks: Sequence[DrawnMark], known: set[str] = frozenset()
) -> str:
    """The chart draws no item at all: an empty frame on screen."""
    if any(m.items for m in marks):
        return ""
    unknown = _unknown_fields(spec, set(known)) if known else []
    if unknown:
        return (
            "your chart draws nothing: its transforms use "
            + ", ".join(f"datum.{n}" for n in unknown)
            + ", but the table has no such column, so no row passes. Use the column names "
            "of the table (check the spelling)."
        )
    if _has_transforms(spec):
        return (
            "your chart draws nothing: no row is left after its transforms "
            f"({_TRANSFORM_WORDS}), so the plot is an empty frame. Check the condition in "
            "your filter against the values in the table, or leave the filter out."
        )
    return (
        "your chart draws nothing: its data has no row that can be drawn (empty, or no "
        "valid values in the encoded fields). Build it from the table the task names."
    )


def nothing_visible(marks: Sequence[DrawnMark]) -> str:
    """Items are drawn but none can be seen (opacity 0, size 0, no position, no paint)."""
    reasons: Counter[str] = Counter()
    for mark in marks:
        for item in mark.items:
            reason = invisible_reason(mark.marktype, item)
            if not reason:
                return ""
            reasons[reason] += 1
    if not reasons:
        return ""
    reason = reasons.most_common(1)[0][0]
    return (
        f"nothing in your chart can be seen: every mark it draws has {reason}. Remove "
        "what hides them (for example opacity=0 or size=0 in mark_...() or an "
        "alt.value(0) in encode) and check again."
    )


def field_not_drawn(marks: Sequence[DrawnMark]) -> str:
    """A field the marks use (position, colour, tooltip...) that no drawn row has:
    a transform dropped or renamed it, so that part of the chart shows nothing."""
    for mark in marks:
        if not mark.rows:
            continue
        for name in sorted(mark.reads):
            if all(row.get(name, MISSING) == MISSING for row in mark.rows):
                return (
                    f"your chart uses the field {name!r}, but no row it draws has that field "
                    "after its transforms (an aggregate or calculate that drops or renames "
                    "it?): use a field the drawn rows have."
                )
    return ""


def _counter(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> Counter:
    return Counter(tuple(value_key(row.get(k, MISSING)) for k in keys) for row in rows)


def rows_problem(
    marks: Sequence[DrawnMark],
    want: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    which: str,
) -> str:
    """The drawn rows against the rows the task's table draws, compared as multisets on
    the fields the task encodes (order free, as on screen)."""
    candidates = [
        m for m in marks if m.rows and all(any(r.get(k, MISSING) != MISSING for r in m.rows)
                                           for k in keys)
    ] or [m for m in marks if m.rows]
    if not candidates:
        return ""
    target = _counter(want, keys)
    for mark in candidates:
        if _counter(mark.rows, keys) == target:
            return ""
    mark = max(candidates, key=lambda m: len(m.rows))
    got, n_want = len(mark.rows), len(want)
    drawn = f"{got} mark" + ("" if got == 1 else "s")
    if got < n_want:
        return (
            f"your chart draws {drawn} where the task's rows make {n_want}: a filter or "
            "sample (transform_filter, transform_sample), or a part of the table, leaves "
            f"rows out. Draw every row of {which}."
        )
    if got > n_want:
        return (
            f"your chart draws {drawn} where the task's rows make only {n_want}: it is "
            f"drawn from more rows than the task asks for. Build it from {which}."
        )
    return (
        f"your chart draws as many marks as it should ({got}), but not the same rows (or "
        f"not the same values): build it from {which}, without changing its values."
    )


def judge_drawing(
    spec: Mapping[str, Any], marks: Sequence[DrawnMark], known: set[str] = frozenset()
) -> str:
    """Everything about the drawing that holds whatever the task: something is drawn,
    something can be seen, and every field the marks use is in the drawn rows. ``known``
    are the chart data's columns, to name a misspelt field in a filter."""
    return nothing_drawn(spec, marks, known) or nothing_visible(marks) or field_not_drawn(marks)


def spec_rows_problem(
    got: Sequence[Mapping[str, Any]] | None, want: Sequence[Mapping[str, Any]], which: str
) -> str:
    """The spec's own rows against the task's table, when the chart cannot be drawn in
    this process (see ``CannotDrawHere``): compared on the columns both have. Blind to
    transforms; the grader, which can draw, judges the drawing."""
    if got is None:
        return (
            f"I cannot see the rows your chart is drawn from: build it from {which} "
            "with alt.Chart(table)."
        )
    want_cols = {str(k) for r in want[:50] if isinstance(r, Mapping) for k in r}
    got_cols = {str(k) for r in got[:50] if isinstance(r, Mapping) for k in r}
    common = sorted(want_cols & got_cols)
    if len(got) != len(want):
        return (
            f"your chart is drawn from {len(got)} rows, which is not the set of rows the "
            f"task asks for: build it from {which}."
        )
    if not common or _counter(got, common) != _counter(want, common):
        return (
            f"your chart has as many rows as it should, but not the same ones (or not the "
            f"same values): build it from {which}, without changing its values."
        )
    return ""
