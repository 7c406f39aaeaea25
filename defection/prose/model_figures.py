"""A figure the prose quotes from the scenario model must be what the model returns.

The lessons describe the model's presets in words ("about 7 % of the rank and file",
"one in eight of its members", "no excluded faction"), and a change to a preset or a
constant silently turns those words false. So every such quote is registered in
:data:`QUOTES` — where it is, which preset, which quantity, and a pattern that finds the
words as written — and :func:`model_problems` runs the model and compares. The pattern
finds the figure wherever the sentence is reworded around it, so correcting the number
needs no change here; rewording the figure itself makes the check say the quote is gone.

And so that a new quote cannot slip in unregistered, :func:`model_problems` also reports
any sentence that names a preset (or follows one that does) and states a share in
numbers or words that no registered quote accounts for.

How words become numbers (:func:`stated_range`): "7%" is 6.5–7.5 %; "one in eight" is any
share whose nearest "one in N" is eight; "three … in four" is 62.5–87.5 %; "almost none"
is under 5 %; "no" or "none" under 0.5 %; "fewer than", "under", "more than" and "over"
open the range on one side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .figures import lesson_number
from .text import Passage, Problem, passages, sentences, strip_code

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(WORDS) + ")"


@dataclass(frozen=True)
class ModelQuote:
    """One model figure quoted in prose. ``where`` is the passage (as
    :class:`~.text.Passage` names it); ``metric`` an indicator of
    ``defection.models.scenario`` or a quantity of its ``links``; ``pattern`` a regular
    expression whose group ``fig`` is the figure as written."""

    where: str
    preset: str
    metric: str
    pattern: str


QUOTES: tuple[ModelQuote, ...] = (
    ModelQuote("lessons/05_synthesis.ipynb cell l05-12", "2021 as it was", "rank_and_file_out",
               r"(?P<fig>(?:about )?\d+(?:\.\d+)? ?%) of the rank and file"),
    ModelQuote("lessons/05_synthesis.ipynb cell l05-17", "Economic collapse", "senior_softliners",
               r"(?P<fig>\w+ senior officers? in \w+) cut out"),
    ModelQuote("lessons/05_synthesis.ipynb cell l05-17", "Economic collapse",
               "excluded senior officers willing to leave (calculus)",
               r"(?P<fig>(?:about )?\w+ in \w+) of its members would risk leaving"),
    ModelQuote("lessons/05_synthesis.ipynb cell l05-17", "Strong external support",
               "senior_softliners",
               r"excluded faction at the top stays small \((?P<fig>\d+ ?%) of senior officers"),
    ModelQuote("lessons/05_synthesis.ipynb cell l05-17", "Everything at once (hypothetical)",
               "senior_defection", r"(?P<fig>fewer than one senior officer in \w+) would leave"),
    ModelQuote("solutions/05_synthesis.ipynb cell ex05-part1-limits", "Economic collapse",
               "excluded senior officers willing to leave (calculus)",
               r"(?P<fig>almost none|none|(?:about )?\w+ in \w+|\d+ ?%) of them would (?:defect|leave)"),
)


def stated_range(words: str) -> tuple[float, float] | None:
    """The shares (0–1) that ``words`` may truthfully describe, or None if they state none."""
    low = words.lower()
    base: tuple[float, float] | None = None
    if m := re.search(r"(\d+(?:\.\d+)?) ?%", low):
        v = float(m.group(1))
        base = (max(v - 0.5, 0) / 100, (v + 0.5) / 100)
    elif m := re.search(r"\b(" + _NUM + r")\b[\w\s]*? in (" + _NUM + r")\b", low):
        k, n = (float(WORDS.get(g, g)) for g in m.groups())
        if k == 1:
            base = (1 / (n + 0.5), 1 / (n - 0.5))
        else:
            base = ((k - 0.5) / n, (k + 0.5) / n)
    elif "almost none" in low or "hardly any" in low:
        base = (0.0, 0.05)
    elif re.search(r"\b(no|none)\b", low):
        base = (0.0, 0.005)
    if base is None:
        return None
    if re.search(r"\b(fewer than|less than|under|below)\b", low):
        return (0.0, base[1])
    if re.search(r"\b(more than|over|above|at least)\b", low):
        return (base[0], 1.0)
    return base


@lru_cache(maxsize=32)
def model_value(preset: str, metric: str) -> float:
    """What the scenario model returns for ``metric`` under ``preset``."""
    from defection.models.scenario import PRESETS, scenario
    if preset not in PRESETS:
        raise KeyError(f"no preset {preset!r}; the presets are: {', '.join(PRESETS)}")
    result = scenario(**PRESETS[preset])
    if metric in set(result.indicators["indicator"]):
        return result.value(metric)
    links = result.links
    found = links.loc[links["quantity"] == metric, "value"]
    if found.empty:
        raise KeyError(f"no indicator or link {metric!r} in the scenario model")
    return float(found.iloc[0])


def _by_where(root: str | Path) -> dict[str, Passage]:
    return {p.where: p for p in passages(root)}


def _presets() -> list[str]:
    from defection.models.scenario import PRESETS
    return list(PRESETS)


def _names_preset(sentence: str, quoted_only: bool = False) -> bool:
    """Does the sentence name a preset? Outside lesson 05 only a quoted name counts: there a
    preset's words ("after Operation 1027") are history, and a share beside them is a data
    claim, which the count check reads instead."""
    low = sentence.lower()
    names = [n for p in _presets() for n in (p.lower(), re.sub(r"\s*\(.*\)", "", p).lower())]
    if quoted_only:
        return any(f'"{n}' in low or f"“{n}" in low for n in names)
    return any(n in low for n in names)


_WORD = "(?:" + "|".join(WORDS) + ")"
_SHARE = re.compile(r"\d+(?:\.\d+)? ?%|\b" + _WORD + r"\b[\w\s]{0,25}? in " + _WORD + r"\b"
                    r"|almost none|hardly any", re.I)


def model_problems(root: str | Path, quotes: tuple[ModelQuote, ...] = QUOTES) -> list[Problem]:
    """Registered quotes that differ from the model or have gone; unregistered ones."""
    found = _by_where(root)
    problems = []
    covered: dict[str, list[str]] = {}
    for q in quotes:
        passage = found.get(q.where)
        m = re.search(q.pattern, _flat(passage.text), re.I) if passage else None
        if m is None:
            problems.append(Problem(q.where, f"the quote of {q.metric} for '{q.preset}' "
                                             f"({q.pattern}) is no longer there: update "
                                             "defection/prose/model_figures.py QUOTES"))
            continue
        covered.setdefault(q.where, []).append(_flat(m.group(0)))
        written = m.group("fig")
        value = model_value(q.preset, q.metric)
        span = stated_range(written)
        if span is None or not span[0] <= value <= span[1]:
            problems.append(Problem(q.where, f"says \"{written}\" for {q.metric} in "
                                             f"'{q.preset}', but the model gives {value:.1%}"))
    for passage in found.values():
        problems += _unregistered(passage, covered.get(passage.where, []))
    return problems


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _unregistered(passage: Passage, registered: list[str]) -> list[Problem]:
    problems = []
    said = sentences(strip_code(passage.text))
    quoted_only = lesson_number(passage.where) != "05"
    for i, sentence in enumerate(said):
        if not (_names_preset(sentence, quoted_only)
                or (i and _names_preset(said[i - 1], quoted_only))):
            continue
        for m in _SHARE.finditer(sentence):
            text = m.group(0)
            if stated_range(text) is None or any(_flat(text) in r for r in registered):
                continue
            problems.append(Problem(passage.where, f"\"{text}\" quotes the model for a "
                                    "preset but is not registered in defection/prose/"
                                    f"model_figures.py QUOTES: \"{sentence[:90]}\""))
    return problems
