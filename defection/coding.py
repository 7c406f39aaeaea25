"""Inter-coder agreement for the coding exercise: percent agreement and Cohen's kappa.

Two people (say, a student and the course's reference coding) each give every statement
one code from the same codebook. Percent agreement is the share of statements on which
they chose the same code. Cohen's kappa (Cohen 1960) corrects that share for the
agreement two coders would reach by chance if each kept their own mix of codes but
assigned them at random::

    kappa = (p_observed - p_chance) / (1 - p_chance)
    p_chance = sum over codes k of  share_a(k) * share_b(k)

kappa is 1 for perfect agreement, 0 for agreement no better than chance, and negative for
worse than chance.

>>> a = ["moral", "moral", "exit", "family", "moral"]
>>> b = ["moral", "exit", "exit", "family", "moral"]
>>> agreement(a, b)
0.8
>>> round(cohens_kappa(a, b), 3)
0.688
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

import pandas as pd

Coding = Sequence[Hashable] | Mapping[Hashable, Hashable] | pd.Series

#: Landis & Koch's (1977) widely used, admittedly arbitrary, verbal labels for kappa.
KAPPA_LABELS: tuple[tuple[float, str], ...] = (
    (0.0, "poor (worse than chance)"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def _pair(a: Coding, b: Coding) -> tuple[list[Hashable], list[Hashable]]:
    """Line the two codings up item by item and check them.

    Mappings (e.g. ``{"st01": "moral", ...}``) are matched by key; sequences by position.
    """
    if isinstance(a, Mapping) != isinstance(b, Mapping):
        raise ValueError("give both codings as dicts (matched by key) or both as lists")
    if isinstance(a, Mapping):
        missing_b = [k for k in a if k not in b]
        missing_a = [k for k in b if k not in a]
        if missing_a or missing_b:
            raise ValueError(
                "the two codings cover different items: "
                f"only in the first {missing_b}, only in the second {missing_a}"
            )
        keys = list(a)
        xs, ys = [a[k] for k in keys], [b[k] for k in keys]
    else:
        xs, ys = list(a), list(b)
    if len(xs) != len(ys):
        raise ValueError(f"the two codings have different lengths: {len(xs)} and {len(ys)}")
    if not xs:
        raise ValueError("nothing to compare: both codings are empty")
    for which, codes in (("first", xs), ("second", ys)):
        for i, code in enumerate(codes):
            if code is None or code is Ellipsis or (isinstance(code, float) and code != code):
                raise ValueError(f"item {i + 1} of the {which} coding has no code yet")
    return xs, ys


def agreement(a: Coding, b: Coding) -> float:
    """Share of items (0 to 1) that the two codings give the same code.

    Multiply by 100 for percent agreement.

    >>> agreement(["moral", "exit"], ["moral", "family"])
    0.5
    """
    xs, ys = _pair(a, b)
    return sum(x == y for x, y in zip(xs, ys, strict=True)) / len(xs)


def chance_agreement(a: Coding, b: Coding) -> float:
    """Agreement expected by chance, given how often each coder used each code."""
    xs, ys = _pair(a, b)
    n = len(xs)
    ca, cb = Counter(xs), Counter(ys)
    return sum(ca[k] * cb[k] for k in ca) / (n * n)


def cohens_kappa(a: Coding, b: Coding) -> float:
    """Cohen's kappa for two codings of the same items.

    Edge case: if both coders gave every item one and the same code, chance agreement
    is 1 and the formula divides zero by zero. The coders agree perfectly, so we return
    1.0 (some software returns "not a number" instead).

    Raises ``ValueError`` for empty codings, codings of different lengths or items,
    and missing codes (``None`` or ``...``).

    >>> cohens_kappa(["a", "b", "a", "b"], ["a", "b", "b", "a"])
    0.0
    """
    p_o = agreement(a, b)
    p_e = chance_agreement(a, b)
    if p_e == 1.0:
        return 1.0
    return (p_o - p_e) / (1.0 - p_e)


def interpret_kappa(kappa: float) -> str:
    """Landis & Koch's verbal label for a kappa value (a convention, not a test)."""
    if kappa < 0:
        return KAPPA_LABELS[0][1]
    for upper, label in KAPPA_LABELS[1:]:
        if kappa <= upper:
            return label
    return KAPPA_LABELS[-1][1]


def compare(
    student: Mapping[Hashable, Hashable], reference: Mapping[Hashable, Hashable]
) -> pd.DataFrame:
    """One row per item: the student's code, the reference code and whether they match."""
    xs, ys = _pair(student, reference)
    return pd.DataFrame(
        {
            "item": list(student),
            "your_code": xs,
            "reference_code": ys,
            "same": [x == y for x, y in zip(xs, ys, strict=True)],
        }
    )


def reference_for(
    codes: Mapping[str, str], statements: pd.DataFrame, codebook: pd.DataFrame | None = None
) -> dict[str, str]:
    """The reference codes for the statements in ``codes``, in the same order.

    ``statements`` is ``data.load("statements")``. With ``codebook``
    (``data.load("motivations")``) it also checks that every code you typed exists,
    so a typo gives a clear message instead of a silent disagreement.
    """
    ids = statements["statement_id"].astype(str)
    table = statements.assign(statement_id=ids).set_index("statement_id")
    missing = [k for k in codes if str(k) not in table.index]
    if missing:
        raise ValueError(f"no statement with id {missing} in the statements table")
    if codebook is not None:
        allowed = set(codebook["code"].astype(str))
        unknown = {k: v for k, v in codes.items() if v is not Ellipsis and str(v) not in allowed}
        if unknown:
            raise ValueError(f"not codes of the codebook: {unknown}; choose from {sorted(allowed)}")
    return {str(k): str(table.loc[str(k), "reference_code"]) for k in codes}


def report(a: Coding, b: Coding) -> str:
    """Plain-text summary: agreement, chance agreement, kappa and its verbal label."""
    p_o, p_e, k = agreement(a, b), chance_agreement(a, b), cohens_kappa(a, b)
    n = len(_pair(a, b)[0])
    return (
        f"Items coded: {n}\n"
        f"Percent agreement: {100 * p_o:.0f}%\n"
        f"Agreement expected by chance: {100 * p_e:.0f}%\n"
        f"Cohen's kappa: {k:.2f} ({interpret_kappa(k)})"
    )
