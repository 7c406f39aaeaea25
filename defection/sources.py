"""Who said it: look up the sources behind every figure and format them for footnotes.

Every row of every table carries a ``source_id``; lessons cite the same keys in their
prose as author-year links, ``([Kyed 2024](#ref-kyed_2024))``, written from the keys by
:mod:`defection.citations`; texts kept in Python (model answers) still use ``[@key]``. These helpers turn a key into the short form a reader expects in a
sentence and the full reference a reader needs to find the original.

>>> from defection.sources import cite, reference
>>> cite("kyed_2024")
'(Kyed 2024)'
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from defection import data

CITATION_KEY = re.compile(r"@([A-Za-z][A-Za-z0-9_]*)")
CITATION_GROUP = re.compile(r"\[([^\[\]]*@[A-Za-z][^\[\]]*)\]")
#: A citation as the notebooks write it: ``[Kyed 2024](#ref-kyed_2024)`` (text, key).
CITATION_LINK = re.compile(r"\[([^\[\]]+)\]\(#ref-([a-z][a-z0-9_]*)\)")


class UnknownSourceError(KeyError):
    """A source key that is not a row of data/sources.csv."""

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return str(self.args[0])


def _table() -> pd.DataFrame:
    return data.load("sources").set_index("source_id")


def _row(key: str) -> pd.Series:
    table = _table()
    if key not in table.index:
        close = difflib.get_close_matches(str(key), [str(k) for k in table.index], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownSourceError(f"no source {key!r} in data/sources.csv.{hint}")
    return table.loc[key]


def cite(*keys: str) -> str:
    """Short in-text citation for one or more source keys: ``(Lee & McCarthy 2023; Kyed 2024)``."""
    return "(" + "; ".join(str(_row(k)["short"]) for k in keys) + ")"


def reference(key: str) -> str:
    """The full reference for ``key``, with its URL when the source is public."""
    row = _row(key)
    text = str(row["citation"])
    url = row.get("url")
    if isinstance(url, str) and url and url not in text:
        text += f" {url}"
    return text


def references(keys) -> str:
    """A numbered reference list (plain text) for the given keys, in first-cited order."""
    seen = list(dict.fromkeys(str(k) for k in keys))
    return "\n".join(f"{i}. {reference(k)}" for i, k in enumerate(seen, 1))


def keys_in_text(text: str) -> list[str]:
    """The source keys cited in ``text``, in order of appearance.

    Both forms count: a key group, ``[@key]`` or ``[@a; @b]``, and a citation link,
    ``[Kyed 2024](#ref-kyed_2024)``. A reference list's anchors are not citations.
    """
    found: list[tuple[int, str]] = []
    for match in CITATION_GROUP.finditer(text):
        found += [(match.start(), key) for key in CITATION_KEY.findall(match.group(1))]
    found += [(match.start(), match.group(2)) for match in CITATION_LINK.finditer(text)]
    return [key for _, key in sorted(found, key=lambda pair: pair[0])]

