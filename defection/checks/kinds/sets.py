"""Set questions: several items in any order."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from defection.checks.question import Question
from defection.checks.values import _describe, _norm_item, _short_repr


class SetQuestion(Question):
    """Several items in any order (multiple choice, a set of names...). Strings are
    compared ignoring case and extra spaces; duplicates are ignored."""

    kind = "set"

    def __init__(self, *args: Any, options: Sequence[Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.options = list(options) if options is not None else None

    @staticmethod
    def _items(value: Any) -> tuple[list[Any] | None, str]:
        if isinstance(value, (str, bytes)):
            return None, (
                f"expected several items in a list, e.g. ['a', 'b'], got {_describe(value)}."
            )
        if isinstance(value, Mapping):
            return None, f"expected a list of items, got {_describe(value)}."
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(value, pd.DataFrame):
            return None, "expected a list of items, got a DataFrame: pick one column."
        if value is None or not isinstance(value, Iterable):
            return None, f"expected a list of items, got {_describe(value)}."
        items = []
        for i, item in enumerate(value):
            if i > 100_000:
                return None, "that list is far too long for this question."
            items.append(item)
        return items, ""

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        items, problem = self._items(answer)
        if items is None:
            return False, problem
        got = {_norm_item(x) for x in items}
        want = {_norm_item(x) for x in expected}
        if got == want:
            return True, ""
        right = len(got & want)
        wrong = got - want
        missing = len(want - got)
        parts = [f"{right} of your {len(got)} item(s) are right"]
        if wrong:
            # naming the student's own extra items gives nothing away; missing ones stay unnamed
            # (unless an item quotes a right one, e.g. two names in one string)
            right_texts = [str(k[1]) for k in want if k[0] == "s" and k[1]]
            named, unnamed, seen = [], 0, set()
            for item in items:
                key = _norm_item(item)
                if key in wrong and key not in seen:
                    seen.add(key)
                    if any(t in str(key[1]) for t in right_texts):
                        unnamed += 1
                    else:
                        named.append(_short_repr(item, 40))
            if named:
                more = f" and {len(named) - 5} more" if len(named) > 5 else ""
                shown = ", ".join(named[:5]) + more
                verb = "does" if len(named) == 1 else "do"
                parts.append(f"{shown} {verb} not belong in the list")
            if unnamed:
                parts.append(f"{unnamed} other item(s) should not be there as written")
        if missing:
            parts.append(f"{missing} item(s) are missing")
        return False, "; ".join(parts) + "."
