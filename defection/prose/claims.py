"""Claims keep their claimant and their hedge, wherever they are restated.

``data/claims.csv`` lists the rows the course does not treat as fact: one party's claim
(``status`` claimed), a press report nobody confirmed (reported, unconfirmed) or a figure
the parties dispute (disputed, denied). Each has the words prose uses for it (``phrase``,
alternatives separated by ``;``), optionally the ``subject`` a sentence must name for the
phrase to be about this claim, and its claimant's names. Two checks read it:

* :func:`claim_problems` — a sentence anywhere in the course (lesson, solution, written
  answer, rubric, guide, or a data row's own text) that states a listed claim must name
  its claimant or carry a hedge *nearby*: in the same sentence or the one before it;
* :func:`claimant_problems` — a sentence that states a claimed figure or a listed claim
  and names a claimant must name the right one: the same figure is never attributed to
  different parties in different places.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .figures import is_reference
from .text import (
    Passage, Problem, fact_rows, passages, read_csv, row_id, sentences, strip_citations,
    strip_code,
)

HEDGES = (
    "claim", "says", "said", "say ", "according", "reported", "reportedly", "unconfirmed",
    "unverified", "alleged", "denied", "'s count", "’s count", "'s account", "’s account",
    "'s tally", "’s tally", "by one tally", "by one count", "estimate", "put the", "puts the",
    "counted", "not confirmed", "announced", "told ", "reports",
)
#: Words the data's rows use for a hedge in their own text.
ROW_HEDGES = HEDGES + ("reports", "claims", "would be", "calls it", "call it", "calls the",
                       "call the")
#: Status values and what each means (the datapackage's enum documents the same).
STATUSES = {
    "claimed": "one party's own claim",
    "reported": "a press report that nobody has confirmed",
    "unconfirmed": "said by a source the course could not check",
    "disputed": "contested by another party",
    "denied": "denied by the party concerned",
}
#: Other names of claimants, so "the NUG" counts as naming the National Unity Government.
ALIASES = {
    "National Unity Government": ("NUG",),
    "Arakan Army": ("AA",),
    "Myanmar National Democratic Alliance Army": ("MNDAA",),
    "Karen National Liberation Army": ("KNLA",),
    "Democratic Voice of Burma": ("DVB",),
    "Development Media Group": ("DMG",),
}
_TEXT_COLUMNS = ("title", "description", "notes", "verification", "claimant")


def claims(root: str | Path) -> list[dict[str, str]]:
    return read_csv(Path(root) / "data" / "claims.csv")


def _split(cell: str) -> list[str]:
    return [c.strip() for c in (cell or "").split(";") if c.strip()]


def names_of(claimant: str) -> set[str]:
    """Every name a claimant goes by: ``"BNI Myanmar Peace Monitor (via DMG)"`` gives the
    monitor, DMG and the Development Media Group."""
    names: set[str] = set()
    for part in _split(claimant):
        for piece in re.split(r"\s*\(via\s+|\s*\(|\)\s*|,\s*", part):
            piece = re.sub(r"^(?:reported by|as cited by|via)\s+", "", piece.strip())
            if len(piece) < 2 or piece.lower().startswith(("not stated", "researcher")):
                continue
            names.add(piece.replace(" & ", " and "))
    for long, short in ALIASES.items():
        if long in names or any(s in names for s in short):
            names |= {long, *short}
    return names


def _named(sentence: str, names: set[str]) -> set[str]:
    return {n for n in names
            if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", sentence)}


def hedged(text: str, claimants: set[str], hedges=HEDGES) -> bool:
    low = text.lower()
    return bool(_named(text, claimants)) or any(h in low for h in hedges)


def _mentions(sentence: str, claim: dict[str, str]) -> str | None:
    """The phrase of ``claim`` that ``sentence`` states, or None."""
    low = sentence.lower()
    subject = claim.get("subject", "").strip()
    if subject and subject.lower() not in low:
        return None
    for phrase in _split(claim["phrase"]):
        # "North Western Command" is another command than the "Western Command"
        if re.search(r"(?<![\w,.-])(?<!north )" + re.escape(phrase.lower()) + r"(?![\w]|,\d)",
                     low):
            return phrase
    return None


def _row_passages(root: str | Path) -> list[Passage]:
    """The text columns of every fact row: readers meet them in tables and timelines."""
    out = []
    for row in fact_rows(root):
        text = " ".join(row.get(c, "") or "" for c in _TEXT_COLUMNS)
        out.append(Passage(f"data/{row['_table']}.csv {row_id(row)}", "row", text))
    return out


def _sentence_pairs(root: str | Path) -> Iterator[tuple[Passage, str, str]]:
    """(passage, sentence, the sentence before it) for all prose and every row's text."""
    for passage in passages(root) + _row_passages(root):
        said = [s for s in sentences(strip_code(passage.text)) if not is_reference(s)]
        for i, sentence in enumerate(said):
            yield passage, sentence, said[i - 1] if i else ""


def claim_problems(root: str | Path) -> list[Problem]:
    """Listed claims stated as fact: no claimant and no hedge in the sentence or the one
    before; a claim row pointing at nothing; a claim whose row says it is verified."""
    root = Path(root)
    rows = {(r["_table"], row_id(r)): r for r in fact_rows(root)}
    problems = []
    listed = claims(root)
    for claim in listed:
        where = f"data/claims.csv {claim['claim_id']}"
        row = rows.get((claim["table"], claim["row_id"]))
        if row is None:
            problems.append(Problem(where, f"no row {claim['row_id']} in {claim['table']}"))
            continue
        status = claim.get("status", "claimed")
        if status not in STATUSES:
            problems.append(Problem(where, f"status {status!r} is not one of "
                                           f"{', '.join(STATUSES)}"))
        if row.get("verification") == "registered":
            problems.append(Problem(where, f"{claim['row_id']} is a registered count, "
                                           "not a claim"))
        own = " ".join(row.get(c, "") or "" for c in _TEXT_COLUMNS)
        if not any(_mentions(s, claim) for s in sentences(own)) and not hedged(
                own, names_of(claim["claimant"]), ROW_HEDGES):
            problems.append(Problem(f"data/{claim['table']}.csv {claim['row_id']}",
                                    f"states {_split(claim['claimant'])[0]}'s claim "
                                    f"without naming the claimant or hedging"))
    for passage, sentence, before in _sentence_pairs(root):
        for claim in listed:
            phrase = _mentions(sentence, claim)
            if phrase is None:
                continue
            names = names_of(claim["claimant"])
            if passage.kind == "row":  # a row is one statement: its claimant column counts
                if hedged(passage.text, names, ROW_HEDGES):
                    continue
            elif hedged(sentence, names) or hedged(before, names):
                continue
            problems.append(Problem(
                passage.where,
                f"states \"{phrase}\" ({claim['claim_id']}, {claim.get('status', 'claimed')} by "
                f"{_split(claim['claimant'])[0]}) as plain fact: \"{sentence[:100]}\""))
    return problems


# --------------------------------------------------------------------------- claimants

def _claimed_figures(root: Path) -> dict[str, set[str]]:
    """Each claimed figure as prose writes it (``"2,389"``) → the names of everyone the
    data credits with it. Only figures of 1,000 and more: smaller ones recur by chance."""
    figures: dict[str, set[str]] = {}
    for row in fact_rows(root):
        who = row.get("claimant") or row.get("estimator") or ""
        if not who:
            continue
        for col in ("value", "low", "high"):
            raw = (row.get(col) or "").strip()
            if re.fullmatch(r"\d+", raw) and int(raw) >= 1000:
                figures.setdefault(f"{int(raw):,}", set()).update(names_of(who))
    for claim in claims(root):
        for phrase in _split(claim["phrase"]):
            if re.fullmatch(r"[\d,]+", phrase):
                figures.setdefault(phrase, set()).update(names_of(claim["claimant"]))
    return figures


def claimant_names(root: str | Path) -> set[str]:
    """Every claimant name the data knows (the vocabulary the claimant check looks for)."""
    names: set[str] = set()
    for row in fact_rows(root):
        names |= names_of(row.get("claimant") or row.get("estimator") or "")
    for claim in claims(root):
        names |= names_of(claim["claimant"])
    for long, short in ALIASES.items():
        names |= {long, *short}
    return {n for n in names if n not in ("press reports", "military sources")}


def claimant_problems(root: str | Path) -> list[Problem]:
    """A claimed figure or listed claim credited to a party the data does not credit.

    A figure is credited to the claimant named nearest to it (within :data:`NEAR`
    characters, in the same clause, citations left out: a cited outlet is a source, not a
    claimant); a figure with no claimant beside it credits nobody and passes.
    """
    root = Path(root)
    figures = _claimed_figures(root)
    vocabulary = claimant_names(root)
    listed = [c for c in claims(root) if not re.fullmatch(r"[\d,;\s]+", c["phrase"])]
    names = _alternation(vocabulary)
    figure_pattern = _alternation(figures) if figures else re.compile(r"(?!x)x")
    problems = []
    for passage, sentence, _ in _sentence_pairs(root):
        if passage.kind == "row" or not names.search(sentence):
            continue
        for clause in _clauses(strip_citations(sentence).replace(" & ", " and ")):
            spots = _name_spots(clause, names)
            if not spots:
                continue
            for m in figure_pattern.finditer(clause):
                credited = figures[m.group(0)]
                who = _nearest(spots, m.start(), m.end())
                if who and who not in credited:
                    problems.append(Problem(passage.where, _wrong(m.group(0), who, credited,
                                                                  sentence)))
            for claim in listed:
                credited = names_of(claim["claimant"])
                phrase = _mentions(clause, claim)
                if not phrase or not credited & vocabulary:
                    continue
                at = clause.lower().index(phrase.lower())
                who = _nearest(spots, at, at + len(phrase))
                if who and who not in credited:
                    problems.append(Problem(passage.where, _wrong(
                        f"\"{phrase}\" ({claim['claim_id']})", who, credited, sentence)))
    return problems


#: How far (in characters) a claimant's name may stand from the figure credited to it.
NEAR = 60


_CREDIT_BEFORE = re.compile(r"(?:\bby(?: the)?|according to(?: the)?|\bthe)\s+$", re.I)
_CREDIT_AFTER = re.compile(r"^(?:'s|’s|\s+(?:says|said|claimed|claims|counted|reported|puts|put"
                           r"|estimated|registered|announced))", re.I)


def _name_spots(clause: str, names: re.Pattern) -> list[tuple[int, int, str, bool]]:
    """Where each claimant is named: (start, end, name, worded as the one who counts)."""
    spots = []
    for m in names.finditer(clause):
        credit = bool(_CREDIT_BEFORE.search(clause[:m.start()][-20:])
                      or _CREDIT_AFTER.match(clause[m.end():]))
        spots.append((m.start(), m.end(), m.group(0), credit))
    return spots


def _alternation(words) -> re.Pattern:
    """One pattern for many names or figures, longest first, as whole words."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<![\w\-,.])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w\-]|,\d)")


def _nearest(spots: list[tuple[int, int, str, bool]], start: int, end: int) -> str | None:
    """The claimant credited with the span ``start:end``: within :data:`NEAR` characters,
    one worded as the counter ("by the MNDAA's count", "the NUG says") before one merely
    named nearby, then the closest, then the longest name."""
    best = None
    for a, b, name, credit in spots:
        if a < end and b > start:  # a name inside the phrase is its subject, not its claimant
            continue
        gap = start - b if b <= start else a - end
        rank = (not credit, gap, -len(name))
        if gap <= NEAR and (best is None or rank < best[0]):
            best = (rank, name)
    return best[1] if best else None


def _clauses(sentence: str) -> list[str]:
    """The parts of a sentence that can credit a figure to one party: a sentence that
    lists several parties' figures ("the NUG's 14,000; People's Goal's 880") is read part
    by part, so each figure is matched with the party named beside it. A parenthesis is a
    part of its own: "(127 by the MNDAA's count; 129 by Myanmar Now), then 2,389" credits
    2,389 to nobody rather than to Myanmar Now."""
    return [c for c in re.split(r";|, while |, but |, and | whereas | — |: |\(|\)", sentence)
            if c.strip()]


def _wrong(what: str, named: str, credited: set[str], sentence: str) -> str:
    return (f"credits {what} to {named}; the data credits "
            f"{', '.join(sorted(credited))}: \"{sentence[:100]}\"")
