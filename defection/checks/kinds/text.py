"""Keyword questions: short text that must mention key ideas."""

from __future__ import annotations

import re
from typing import Any

from defection.checks.question import Form, Question
from defection.checks.values import _describe, _norm_text


class KeywordQuestion(Question):
    """Short text that must mention key words. ``expected`` is a list whose entries are
    a word or a tuple of alternative words; ``min_matches`` entries must appear."""

    kind = "keyword"

    def __init__(self, *args: Any, min_matches: int | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.min_matches = min_matches

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        if not isinstance(answer, str):
            return False, Form(f"expected text in quotes, got {_describe(answer)}.")
        text = _norm_text(answer)
        if not text:
            return False, Form("your answer is empty.")
        groups = [g if isinstance(g, (tuple, list, set)) else (g,) for g in expected]
        hits = sum(
            any(re.search(r"\b" + re.escape(_norm_text(w)) + r"\b", text) for w in g)
            for g in groups
        )
        need = len(groups) if self.min_matches is None else self.min_matches
        if hits >= need:
            return True, ""
        return False, f"your answer mentions {hits} of the {need} key ideas this question needs."

