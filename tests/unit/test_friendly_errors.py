"""Friendly notes for beginners' NameError and KeyError, with the real traceback kept."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from defection import friendly_errors as F


def raised(code: str, ns: dict | None = None):
    try:
        exec(code, ns if ns is not None else {})  # noqa: S102 - test input
    except Exception as exc:  # noqa: BLE001
        return type(exc), exc, exc.__traceback__
    raise AssertionError("no error")


def test_an_unquoted_choice_gets_told_to_add_quotes():
    note = F.explain(*raised("answer_q5 = c"))
    assert "put quotes around it" in note and 'answer = "c"' in note


def test_another_unknown_name_gets_told_to_run_the_cells_above():
    note = F.explain(*raised("print(success_rate_with)"))
    assert "'success_rate_with'" in note and "Run All Above" in note


def test_a_missing_column_lists_the_columns_and_a_close_match():
    df = pd.DataFrame({"defect": [0, 1], "rate": [0.4, 0.7]})
    note = F.explain(*raised("df['rat']", {"df": df}))
    assert "no column called 'rat'" in note
    assert "defect, rate" in note and "Did you mean 'rate'?" in note
    note = F.explain(*raised("df[['defect', 'Rate']]", {"df": df}))
    assert "Its columns are: defect, rate" in note


def test_a_dict_key_error_is_explained_without_columns():
    note = F.explain(*raised("{'a': 1}['b']"))
    assert "no entry called 'b'" in note and "columns" not in note


def test_days_on_a_column_of_time_spans_points_to_iloc():
    dates = {"start": ["2023-10-27"], "end": ["2024-04-30"]}
    df = pd.DataFrame({k: pd.to_datetime(v) for k, v in dates.items()})
    note = F.explain(*raised("(df['end'] - df['start']).days", {"df": df}))
    assert ".iloc[0]" in note and ".dt.days" in note
    note = F.explain(*raised("df.valeu", {"df": df}))
    assert "table['valeu']" in note


def test_other_errors_get_no_note():
    assert F.explain(*raised("1 / 0")) is None
    assert F.explain(*raised("{1: 2}[3]")) is None
    assert F.explain(*raised("(1).days")) is None


@pytest.fixture
def shell():
    sh = InteractiveShell.instance()
    yield sh
    F.uninstall(sh)


def test_installed_in_ipython_the_note_comes_first_and_the_traceback_stays(shell, capsys):
    assert F.install(shell)
    result = shell.run_cell("answer_q5 = c")
    out = capsys.readouterr().out
    assert not result.success and isinstance(result.error_in_exec, NameError)
    assert out.index("put quotes around it") < out.index("NameError")
    assert "name 'c' is not defined" in out  # the real message, unchanged
    result = shell.run_cell("1 / 0")
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "Course note" not in out
    assert F.uninstall(shell)
    shell.run_cell("answer_q5 = c")
    assert "Course note" not in capsys.readouterr().out


def test_install_outside_ipython_does_nothing():
    assert F.install(object()) is False
    assert F.uninstall(object()) is False


def test_setup_switches_the_notes_on_in_a_notebook(shell, capsys):
    import defection

    defection.setup()
    try:
        shell.run_cell("answer_q5 = c")
        out = capsys.readouterr()
        assert "quotes" in (out.out + out.err)
    finally:
        F.uninstall(shell)
