"""Plain-words notes for the errors beginners hit most in the course notebooks.

Students who have used Python twice meet two errors again and again in the exercises:

* ``NameError: name 'c' is not defined`` after ``answer_q5 = c`` — the choice needs quotes;
* ``KeyError: 'rat'`` from ``df["rat"]`` — a column name spelt differently from the table's,
  shown at the end of forty lines of pandas internals;
* ``AttributeError: ... no attribute 'days'`` after subtracting the dates of a one-row
  table instead of one row (``.iloc[0]``).

:func:`install` registers an IPython custom exception handler for ``NameError``,
``KeyError`` and ``AttributeError``. It prints a short note first (what went wrong, in the
student's terms, and for a column the columns that do exist) and then the usual
traceback, unchanged: nothing is hidden from anyone who wants the real error, the cell
still fails (so nbval, the grader and "Run All" behave exactly as before), and every other
error is left to IPython.
Outside IPython (plain Python, scripts, tests) :func:`install` does nothing.

``defection.setup()`` calls :func:`install`; :func:`uninstall` switches the notes off.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any

__all__ = ["explain", "install", "uninstall", "HANDLED"]

#: The exception types the notes cover; any other error goes straight to IPython.
HANDLED = (NameError, KeyError, AttributeError)

_MARK = "_defection_friendly_errors"


def _name_in(error: NameError) -> str | None:
    name = getattr(error, "name", None)
    if isinstance(name, str) and name:
        return name
    m = re.search(r"name '([^']+)' is not defined", str(error))
    return m.group(1) if m else None


def _name_note(error: NameError) -> str | None:
    name = _name_in(error)
    if not name:
        return None
    if len(name) == 1 and name.isalpha():
        return (
            f"Python read {name} as the name of a variable, and there is none called {name}. "
            f"If {name} is your choice in a multiple-choice task, put quotes around it, "
            f'e.g. answer = "{name.lower()}".'
        )
    return (
        f"Python does not know the name {name!r} yet. Check its spelling (capitals count), "
        "and run the cells above this one first (Run → Run All Above Selected Cell): after a "
        "restart, every earlier cell has to run again."
    )


def _frame_columns(tb: Any) -> list[str] | None:
    """The columns of the DataFrame whose lookup raised, found in the traceback's frames."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    found = None
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if isinstance(owner, pd.DataFrame):
            found = [str(c) for c in owner.columns]
            break
        tb = tb.tb_next
    return found


def _key_note(error: KeyError, tb: Any) -> str | None:
    key = error.args[0] if error.args else None
    columns = _frame_columns(tb)
    if columns is None:
        if isinstance(key, str):
            return (
                f"There is no entry called {key!r} here. Check the spelling (capitals, spaces "
                "and underscores count) against what the table or dictionary holds."
            )
        return None
    keys = key if isinstance(key, (list, tuple)) else [key]
    missing = [str(k) for k in keys if str(k) not in columns]
    if not missing:
        missing = [str(key)]
    shown = ", ".join(columns[:30]) + (", …" if len(columns) > 30 else "")
    note = (
        f"The table has no column called {missing[0]!r}. Column names must match exactly "
        f"(capitals, spaces and underscores count). Its columns are: {shown}."
    )
    close = difflib.get_close_matches(missing[0], columns, n=1, cutoff=0.6)
    if close:
        note += f" Did you mean {close[0]!r}?"
    return note


def _attribute_note(error: AttributeError) -> str | None:
    m = re.match(r"'(Series|DataFrame)' object has no attribute '([^']+)'", str(error))
    if not m:
        return None
    kind, name = m.groups()
    if kind == "Series" and name in ("days", "seconds", "total_seconds"):
        return (
            f"You have a whole column of time spans (a Series), not one: .{name} works on a "
            "single Timedelta. Take one row first with .iloc[0], e.g. "
            "row = table[table['id'] == 'x'].iloc[0], then (row['end'] - row['start'])."
            f"{name}; for every row at once use .dt.{name}."
        )
    if kind == "DataFrame":
        return (
            f"A table has no attribute {name!r}. If {name!r} is a column, write "
            f"table[{name!r}]; if you meant one row, select it first (e.g. .iloc[0])."
        )
    return None


def explain(etype: type, value: BaseException, tb: Any = None) -> str | None:
    """The plain-words note for an error, or None when there is nothing to add."""
    try:
        if isinstance(value, NameError):
            note = _name_note(value)
        elif isinstance(value, KeyError):
            note = _key_note(value, tb)
        elif isinstance(value, AttributeError):
            note = _attribute_note(value)
        else:
            note = None
    except Exception:  # a note must never make an error worse
        return None
    return note


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    note = explain(etype, value, tb)
    if note:
        print(f"Course note: {note}\n(The full error message follows.)\n", flush=True)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    return None


def install(shell: Any = None) -> bool:
    """Register the notes with the running IPython shell; False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with the course
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc(HANDLED, _handler)
    setattr(shell, _MARK, True)
    return True


def uninstall(shell: Any = None) -> bool:
    """Remove the notes again (IPython's own messages only)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover
            return False
        shell = get_ipython()
    if shell is None or not getattr(shell, _MARK, False):
        return False
    shell.set_custom_exc((), None)
    setattr(shell, _MARK, False)
    return True
