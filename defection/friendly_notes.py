"""Notes for the operand and index errors beginners meet in the course's date and model work.

Kept apart from :mod:`defection.friendly_errors` (which installs the notes and explains
names, keys and attributes) because each note here reads only the error's own message:

* ``scenario(PRESETS["..."])`` without ``**`` — the model gets a dict where a number goes;
* a number divided by a ``Timedelta`` (a date minus a date) instead of by its ``.days``;
* ``"2024-04-30" - "2023-10-27"``: dates still written as text;
* ``df["value"].mean / 2``: a method used without ``()``;
* ``mask.iloc[0]["as_of"]``: one True/False of a mask indexed as if it were a row;
* an altair encoding type that does not exist (``"value:Z"``), raised while the chart is
  drawn, under a hundred lines of altair's internals.
"""

from __future__ import annotations

import re

_TIME_SPAN = ("'Timedelta'", "timedelta64", "<m8")


def type_note(error: TypeError) -> str | None:
    text = str(error)
    if "not 'dict'" in text or "'dict' object cannot be interpreted" in text:
        return (
            "A whole dictionary went where one number was expected. To run the model with a "
            "preset's settings, unpack the dictionary with two stars: "
            "scenario(**PRESETS['Economic collapse'])."
        )
    if any(t in text for t in _TIME_SPAN):
        return (
            "A date minus a date is a span of time (a Timedelta), not a number, so it cannot "
            "go into arithmetic with numbers. Take its number of days first: "
            "(later - earlier).days, or .dt.days for a whole column."
        )
    if re.search(r"for -: 'str' and 'str'", text):
        return (
            "These dates are still text (str), and text cannot be subtracted. Turn them into "
            "dates first, e.g. pd.Timestamp('2024-04-30') - pd.Timestamp('2023-10-27'), or "
            "use the table's date column, which already holds dates."
        )
    if re.search(r"'(method|builtin_function_or_method|function)'", text):
        return (
            "A method was used without calling it: add the round brackets, e.g. "
            "table['value'].mean() rather than table['value'].mean."
        )
    return None


def index_note(error: IndexError) -> str | None:
    if "invalid index to scalar variable" not in str(error):
        return None
    return (
        "You indexed a single value (a number or one True/False) as if it were a row. "
        "A mask such as counts['claimant'] == '...' holds only True/False: select the rows "
        "with it first, rows = counts[mask], then take a row with rows.iloc[0] and a cell "
        "with rows.iloc[0]['as_of']."
    )


def value_note(error: ValueError) -> str | None:
    text = str(error)
    if "valid encoding data types" in text or "encoding type" in text.casefold():
        return (
            "An altair field type is written after the colon as one letter: Q (numbers), "
            "N (names), O (ordered categories) or T (dates), e.g. y='value:Q'. "
            + text.splitlines()[0]
        )
    return None
