"""A coding category is used the way the data package defines it.

The definitions live in the ``categories`` block of a field in ``data/datapackage.json``
(see :mod:`defection.definitions`). Prose that glosses a category, e.g. "`partial` (rank
and file only)", or says whether it is a split at the top, must agree with that one
definition. The check reads:

* a *gloss*: a category written as code (```partial```), or named in a sentence about
  the coding (one that names the column, says "coded" or "course coding"), followed by a
  parenthesis; the levels of defectors the gloss names must be levels the category allows
  (``requires``), and a gloss that says "only" must not leave out a level it allows;
* a *split claim*: a sentence that codes a case with a category (a gloss, or "(a coup)")
  and says in the same clause that there was "no split" (or that there was one) must
  agree with the category's ``split_at_top``.

It does not read a paraphrase that never names the category, nor decide whether a
case's notes fit its code: the data validation checks a row's own columns against the
definition, and only a reader can judge its prose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .text import Problem, passages, sentences, strip_code

#: Words that name a level of defectors (``uprisings.defector_level``).
LEVEL_WORDS = {
    "rank_and_file": r"rank[- ]and[- ]file|privates|sergeants|conscripts",
    "mid_level": r"mid[- ]level|majors?|lieutenant colonels?|captains?|colonels?|"
                 r"junior officers",
    "senior": r"senior|generals?|commanders?|top brass",
}
_NEGATED = r"(?:no|not|without|never|nor|below)\s+(?:\w+\s+){0,2}$"
_NO_SPLIT = re.compile(r"\b(?:no split|not a split|without a split|did not split"
                       r"|no .{0,20}split)\b",
                       re.I)
_A_SPLIT = re.compile(r"(?<!no )(?<!not )\ba split at the top\b", re.I)
_ABOUT_CODING = re.compile(r"coded|coding|sf_defection|categor", re.I)


def coded_fields(root: str | Path) -> dict[str, list[dict]]:
    """``"table.column"`` → its categories, for every field that defines them."""
    package = json.loads((Path(root) / "data" / "datapackage.json").read_text(encoding="utf-8"))
    out = {}
    for res in package.get("resources", []):
        for field in res.get("schema", {}).get("fields", []):
            if field.get("categories"):
                out[f"{res['name']}.{field['name']}"] = field["categories"]
    return out


def levels_named(gloss: str) -> set[str]:
    """The defector levels a gloss names affirmatively (not after "no", "not", ...)."""
    named = set()
    for level, words in LEVEL_WORDS.items():
        for m in re.finditer(r"\b(?:" + words + r")\b", gloss, re.I):
            if not re.search(_NEGATED, gloss[:m.start()], re.I):
                named.add(level)
    return named


def _glosses(sentence: str, value: str) -> list[str]:
    """Parentheses that gloss ``value`` in this sentence."""
    word = re.escape(value).replace("_", "[_ ]")
    coded = r"`" + word + r"`" if not _ABOUT_CODING.search(sentence) else r"`?\b" + word + r"\b`?"
    return [m.group(1) for m in re.finditer(coded + r"(?: defection)?\s*\(([^()\[\]]{3,})\)",
                                            sentence, re.I)]


def _gloss_problems(where: str, sentence: str, cat: dict, field: str) -> list[Problem]:
    problems = []
    allowed = set(cat.get("requires", {}).get("defector_level", []))
    for gloss in _glosses(sentence, cat["value"]):
        named = levels_named(gloss)
        wrong = named - allowed if allowed else set()
        if wrong:
            problems.append(Problem(where, f"glosses {field} = {cat['value']} as \"{gloss}\", "
                                           f"naming {', '.join(sorted(wrong))}, which its "
                                           f"definition excludes: {cat['definition']}"))
        elif re.search(r"\bonly\b", gloss, re.I) and named and allowed - named:
            problems.append(Problem(where, f"glosses {field} = {cat['value']} as \"{gloss}\", "
                                           f"narrower than its definition (which also allows "
                                           f"{', '.join(sorted(allowed - named))}): "
                                           f"{cat['definition']}"))
        if "split_at_top" in cat:
            problems += _split_problems(where, gloss, cat, field)
    return problems


def _split_problems(where: str, text: str, cat: dict, field: str) -> list[Problem]:
    said_no = bool(_NO_SPLIT.search(text))
    said_yes = bool(_A_SPLIT.search(text)) and not said_no
    if (cat["split_at_top"] and said_no) or (not cat["split_at_top"] and said_yes):
        counted = "counts" if cat["split_at_top"] else "does not count"
        return [Problem(where, f"says {'no split' if said_no else 'a split at the top'} "
                               f"for {field} = {cat['value']}, which the course {counted} as a "
                               f"split at the top (data/datapackage.json): \"{text[:90]}\"")]
    return []


def coding_problems(root: str | Path) -> list[Problem]:
    """Glosses and split claims that disagree with the data package's definitions."""
    fields = coded_fields(root)
    problems = []
    for passage in passages(root):
        for sentence in sentences(strip_code_keep_ticks(passage.text)):
            for field, cats in fields.items():
                for cat in cats:
                    problems += _gloss_problems(passage.where, sentence, cat, field)
                    value = re.escape(cat["value"]).replace("_", "[_ ]")
                    for clause in re.split(r";|, but | while ", sentence):
                        if _several(clause, cats):
                            continue  # a list of categories says nothing of one of them
                        if re.search(r"\(an? " + value + r"\)|`" + value + r"`", clause, re.I):
                            if not _glosses(clause, cat["value"]):
                                problems += _split_problems(passage.where, clause, cat, field)
    return problems


def _several(clause: str, cats: list[dict]) -> bool:
    return sum(bool(re.search(r"`" + re.escape(c["value"]) + r"`", clause)) for c in cats) > 1


def strip_code_keep_ticks(text: str) -> str:
    """Like :func:`~.text.strip_code`, but a category written as code stays: ```partial```
    is how a lesson names a coding."""
    kept = re.sub(r"`([a-z_]{3,20})`", r"⟨\1⟩", text)
    return strip_code(kept).replace("⟨", "`").replace("⟩", "`")
