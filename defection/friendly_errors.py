"""Plain-words notes for the errors beginners hit most in the course notebooks.

Students who have used Python twice meet two errors again and again in the exercises:

* ``NameError: name 'c' is not defined`` after ``answer_q5 = c`` — the choice needs quotes;
* ``KeyError: 'rat'`` from ``df["rat"]`` — a column name spelt differently from the table's,
  shown at the end of forty lines of pandas internals;
* ``AttributeError: ... no attribute 'days'`` after subtracting the dates of a one-row
  table instead of one row (``.iloc[0]``).

:func:`install` puts itself in front of the IPython shell's ``showtraceback``, the one
place both a failing cell and a chart that fails while it is drawn report their error.
For an error it has a note for (these three, and the operand, index and altair errors of
:mod:`defection.friendly_notes`), it prints the note first and then the traceback without
the libraries' inner frames — pandas' compiled code printed four "Could not get source"
lines after a good note, and a wrong altair type 135 lines of altair's schema code. The
cell still fails exactly as before (nbval, the grader and "Run All" see no difference),
``%tb`` in the next cell shows the whole untouched traceback, and every error without a
note is left to IPython as it is.
Outside IPython (plain Python, scripts, tests) :func:`install` does nothing.

``defection.setup()`` calls :func:`install`; :func:`uninstall` switches the notes off.
"""

from __future__ import annotations

import difflib
import linecache
import re
import sys
import types
from typing import Any

from defection import friendly_notes

__all__ = ["explain", "install", "uninstall", "HANDLED"]

#: The exception types the notes cover; any other error goes straight to IPython.
HANDLED = (NameError, KeyError, AttributeError, TypeError, IndexError, ValueError)

#: Where library code lives: its frames are left out of a noted error (see _user_frames).
_LIBRARY_PATHS = ("site-packages", "dist-packages", f"{sys.base_prefix}/lib/python")

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
        f"restart, every earlier cell has to run again. If {name} is an answer written as "
        f'text (the name of an option), put quotes around it: answer = "{name}".'
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
    if isinstance(key, str) and " " in key.strip() and len(key) > 30:
        # a function raised KeyError with a whole sentence, which Python prints in quotes
        sentence = key.strip().rstrip(".")
        return (
            f"{sentence[:1].upper()}{sentence[1:]}. Check the spelling of the name you passed "
            "(capitals and underscores count)."
        )
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
        elif isinstance(value, TypeError):
            note = friendly_notes.type_note(value)
        elif isinstance(value, IndexError):
            note = friendly_notes.index_note(value)
        elif isinstance(value, ValueError):
            note = friendly_notes.value_note(value)
        else:
            note = None
    except Exception:  # a note must never make an error worse
        return None
    return note


def _is_library(filename: str) -> bool:
    return any(part in filename for part in _LIBRARY_PATHS)


def _user_frames(tb: Any) -> Any:
    """The traceback without library frames (pandas' compiled code, altair's schema
    machinery): those print as "Could not get source" or a hundred lines no beginner
    reads. The frame that raised stays, so the error's own line is still shown."""
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    keep = [t for t in frames if not _is_library(t.tb_frame.f_code.co_filename)]
    if not keep or keep[-1] is not frames[-1]:
        last = frames[-1]
        if linecache.getline(last.tb_frame.f_code.co_filename, last.tb_lineno):
            keep.append(last)
    chain = None
    for t in reversed(keep):
        chain = types.TracebackType(chain, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return chain


def _wrap(shell: Any, original: Any) -> Any:
    def showtraceback(exc_tuple: Any = None, *args: Any, **kwargs: Any) -> Any:
        # %tb calls this with nothing: the full, untouched error, as IPython shows it
        if exc_tuple is None and not kwargs.get("running_compiled_code"):
            return original(exc_tuple, *args, **kwargs)
        try:
            etype, value, tb = shell._get_exc_info(exc_tuple)
            note = explain(etype, value, tb)
        except Exception:
            note = None
        if not note:
            return original(exc_tuple, *args, **kwargs)
        print(f"Course note: {note}\n(The error follows, without the libraries' inner "
              "workings; run %tb in a new cell to see all of it.)\n", flush=True)  # fmt: skip
        kwargs["tb_offset"] = 0
        # the exception pandas raised inside its compiled code, chained under the one the
        # student sees, is all library frames: left out here, still there for %tb
        chain = value.__cause__, value.__context__, value.__suppress_context__
        value.__cause__, value.__suppress_context__ = None, True
        try:
            result = original((etype, value, _user_frames(tb) or tb), *args, **kwargs)
        finally:
            value.__cause__, value.__context__, value.__suppress_context__ = chain
            sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb
            if hasattr(sys, "last_exc"):
                sys.last_exc = value
        return result

    showtraceback._defection_original = original  # type: ignore[attr-defined]
    return showtraceback


def install(shell: Any = None) -> bool:
    """Put the notes in front of the running IPython shell's errors; False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with the course
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "showtraceback") or not hasattr(shell, "_get_exc_info"):
        return False
    if not getattr(shell, _MARK, False):
        shell.showtraceback = _wrap(shell, shell.showtraceback)
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
    original = getattr(shell.showtraceback, "_defection_original", None)
    if original is not None:
        shell.showtraceback = original
    setattr(shell, _MARK, False)
    return True
