"""Friendly notes for the errors beginners meet in the course, with the real traceback kept."""

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


# ---------------------------------------------------------------- the walls of issue 19


def test_a_preset_passed_without_stars_is_told_to_unpack_it():
    from defection.models.scenario import PRESETS, scenario

    ns = {"scenario": scenario, "PRESETS": PRESETS}
    note = F.explain(*raised("scenario(PRESETS['Economic collapse'])", ns))
    assert "scenario(**PRESETS[" in note


def test_dividing_by_a_time_span_points_to_days():
    ns = {"pd": pd}
    span = "(pd.Timestamp('2024-04-30') - pd.Timestamp('2023-10-27'))"
    for code in (f"6000 / {span}", f"pd.Series([6000.0]) / {span}"):
        note = F.explain(*raised(code, ns))
        assert note and ".days" in note, code


def test_text_dates_are_told_to_become_dates():
    note = F.explain(*raised("'2024-04-30' - '2023-10-27'"))
    assert "still text" in note and "pd.Timestamp(" in note


def test_a_method_without_brackets_is_told_to_call_it():
    note = F.explain(*raised("pd.Series([1.0, 2.0]).mean / 2", {"pd": pd}))
    assert "round brackets" in note and ".mean()" in note


def test_an_unquoted_word_answer_is_told_to_add_quotes():
    note = F.explain(*raised("answer_q10 = regime_survival"))
    assert 'answer = "regime_survival"' in note


def test_one_value_of_a_mask_indexed_like_a_row():
    code = "mask = pd.Series([True, False]) ; mask.iloc[0]['as_of']"
    note = F.explain(*raised(code, {"pd": pd}))
    assert "True/False" in note and "counts[mask]" in note


def test_a_wrong_indicator_name_reads_as_one_plain_sentence():
    from defection.models.scenario import PRESETS, scenario

    r = scenario(**PRESETS["Economic collapse"])
    note = F.explain(*raised("r.value('senior_defections')", {"r": r}))
    assert note.startswith("No indicator 'senior_defections'") and '\\"' not in note
    assert "'senior_defection'" in note


def test_an_altair_type_that_does_not_exist():
    import altair as alt

    ns = {"alt": alt, "df": pd.DataFrame({"value": [1.0]})}
    note = F.explain(*raised("alt.Chart(df).mark_bar().encode(y='value:Z').to_dict()", ns))
    assert "Q (numbers)" in note and '"Z" is not one of' in note


def _plain(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_in_ipython_library_internals_are_left_out_and_tb_has_them(shell, capsys):
    assert F.install(shell)
    shell.run_cell("import pandas as pd\ndf = pd.DataFrame({'value': [1.0]})", store_history=True)
    shell.run_cell("df['valeu']", store_history=True)
    out = _plain(capsys.readouterr().out)
    assert "Did you mean 'value'?" in out and "Could not get source" not in out
    assert "KeyError: 'valeu'" in out and "run %tb" in out
    shell.run_cell("%tb", store_history=True)
    full = _plain(capsys.readouterr().out)
    assert "Course note" not in full and "index.pyx" in full  # the whole error, untouched


def test_a_chart_that_fails_while_drawn_gets_a_short_note(shell, capsys):
    assert F.install(shell)
    shell.run_cell("import altair as alt, pandas as pd", store_history=True)
    shell.run_cell(
        "alt.Chart(pd.DataFrame({'value': [1.0]})).mark_bar().encode(y='value:Z')",
        store_history=True,
    )
    out = _plain(capsys.readouterr().out)
    assert out.index("Course note") < out.index("ValueError")
    assert len(out.splitlines()) < 40  # was 135 lines of altair internals
    shell.run_cell("%tb", store_history=True)
    assert len(_plain(capsys.readouterr().out).splitlines()) > len(out.splitlines())
