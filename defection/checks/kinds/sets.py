"""Set questions: several items in any order."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from defection.checks.question import Form, Question
from defection.checks.values import _describe, _norm_item, _short_repr

#: The most extra items a nearly right answer hears named.
NAMED_EXTRAS = 2


class SetQuestion(Question):
    """Several items in any order (multiple choice, a set of names...). Strings are
    compared ignoring case and extra spaces. Duplicates are ignored unless ``unique=True``
    (the prompt then says "each ... once", and a repeated item is wrong).

    Feedback teaches without steering: it counts right, extra and missing items, and it
    names the student's extra items only when the answer is nearly right (at most
    :data:`NAMED_EXTRAS` extra and one missing). Naming every wrong item of a list that
    holds all candidates would turn "list everything, then delete what is named" into a
    two-step route to ✓ that skips the task.
    """

    kind = "set"

    def __init__(
        self, *args: Any, options: Sequence[Any] | None = None, unique: bool = False, **kw: Any
    ):
        super().__init__(*args, **kw)
        self.options = list(options) if options is not None else None
        self.unique = unique

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
            return False, Form(problem)
        if self.unique:
            keys = [_norm_item(x) for x in items]
            twice = [x for i, x in enumerate(items) if keys[i] in keys[:i]]
            if twice:
                return False, Form(
                    f"{_short_repr(twice[0], 40)} appears more than once: the task asks for "
                    "each item once (.unique() or set() removes repeats)."
                )
        got = {_norm_item(x) for x in items}
        want = {_norm_item(x) for x in expected}
        if got == want:
            return True, ""
        right = len(got & want)
        wrong = got - want
        missing = len(want - got)
        if len(wrong) > NAMED_EXTRAS:
            # far off: no count and no name, or dropping one item at a time would sort them
            return False, (
                f"more than {NAMED_EXTRAS} of your {len(got)} items should not be there: decide "
                "for each candidate whether it meets the condition, rather than listing them "
                "all."
            )
        parts = [f"{right} of your {len(got)} item(s) are right"]
        if wrong and missing <= 1:
            # nearly right: naming the student's own extra items teaches the last slip
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
                verb = "does" if len(named) == 1 else "do"
                parts.append(f"{', '.join(named)} {verb} not belong in the list")
            if unnamed:
                parts.append(f"{unnamed} other item(s) should not be there as written")
        elif wrong:
            parts.append(f"{len(wrong)} should not be there")
        if missing:
            parts.append(f"{missing} item(s) are missing")
        return False, "; ".join(parts) + "."
