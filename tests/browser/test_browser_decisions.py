"""Fast checks of the browser test's decisions, without starting a browser.

Skip or fail when chromium is missing, which stderr text is an error, what makes a
rendered notebook a failure, and which lessons are collected.
"""

from __future__ import annotations

import os
import stat

import pytest

import browser_helpers as bh


def _executable(tmp_path):
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_chromium_present_means_run(tmp_path):
    assert bh.chromium_problem(_executable(tmp_path), env={}) is None
    assert bh.chromium_problem(_executable(tmp_path), env={"CI": "true"}) is None


def test_chromium_missing_skips_outside_ci(tmp_path):
    action, message = bh.chromium_problem(tmp_path / "nope", env={})
    assert action == "skip"
    assert "sudo apt-get install chromium" in message
    for value in ("", "false", "0"):
        assert bh.chromium_problem(tmp_path / "nope", env={"CI": value})[0] == "skip"


def test_chromium_missing_fails_in_ci(tmp_path):
    for value in ("true", "True", "1", "yes"):
        action, message = bh.chromium_problem(tmp_path / "nope", env={"CI": value})
        assert action == "fail"
        assert "apt-get install chromium" in message


def test_fixtures_get_chromium_or_skip_at_home_or_fail_in_ci(tmp_path, monkeypatch):
    """``require_chromium`` is what the JupyterLab and the site fixtures both call."""
    import browser_support as bs
    import pytest

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(bh.SKIP_BROWSER_ENV, raising=False)
    exe = _executable(tmp_path)
    assert bs.require_chromium(exe) == str(exe)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        bs.require_chromium(tmp_path / "nope")
    monkeypatch.setenv("CI", "true")
    assert bs.require_chromium(exe) == str(exe)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        bs.require_chromium(tmp_path / "nope")


def test_browser_context_without_playwright_skips_at_home_and_fails_in_ci(monkeypatch):
    """``chromium_context`` (the JupyterLab and site fixtures' browser) names the package."""
    import sys

    import browser_support as bs
    import pytest

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import now fails
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="'playwright' is not installed"):
        with bs.chromium_context("/usr/bin/chromium"):
            pass
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="'playwright' is not installed"):
        with bs.chromium_context("/usr/bin/chromium"):
            pass


def test_chromium_not_executable_is_missing(tmp_path):
    exe = tmp_path / "chromium"
    exe.write_text("")
    os.chmod(exe, 0o644)
    assert bh.chromium_problem(exe, env={})[0] == "skip"


def test_warning_on_stderr_is_not_a_traceback():
    assert not bh.looks_like_traceback(
        "/tmp/ipykernel_1/123.py:2: FutureWarning: the default will change\n  df.groupby(x)\n"
    )
    assert not bh.looks_like_traceback("UserWarning: just a warning")


def test_tracebacks_are_recognised():
    assert bh.looks_like_traceback("Traceback (most recent call last):\n  File ...\n")
    assert bh.looks_like_traceback("\x1b[0;31mZeroDivisionError\x1b[0m: division by zero")
    assert bh.looks_like_traceback("pandas.errors.ParserError: bad line")


def _out(**kw):
    base = dict(output_type="display_data", name=None, ename=None, evalue=None, text=None,
                is_widget=False, is_chart=False, rendered=True, dom_text="", widget_views=0,
                charts=0, charts_drawn=0, sliders=0)
    base.update(kw)
    return base


def _report(*outputs, exec_count=1):
    return {"cells": [{"index": 3, "exec": exec_count, "source": "x", "outputs": list(outputs)}],
            "page_charts": 0, "page_charts_drawn": 0, "loading_widgets": 0}


def test_assess_clean_notebook_passes():
    report = _report(
        _out(is_widget=True, widget_views=5, charts=1, charts_drawn=1, sliders=1),
        _out(output_type="execute_result", is_chart=True, charts=1, charts_drawn=1),
        _out(output_type="stream", name="stderr", text="x.py:1: FutureWarning: soon\n"),
    )
    failures, notes = bh.assess(report)
    assert failures == []
    assert len(notes) == 1 and "FutureWarning" in notes[0]
    assert bh.render_settled(report)


def test_assess_finds_each_kind_of_problem():
    cases = {
        "ZeroDivisionError": _out(output_type="error", ename="ZeroDivisionError", evalue="x"),
        "traceback on stderr": _out(output_type="stream", name="stderr",
                                    text="Traceback (most recent call last):\nKeyError: 1"),
        "Loading widget": _out(is_widget=True, dom_text="Loading widget...", widget_views=0),
        "no rendered widget view": _out(is_widget=True, widget_views=0),
        "no drawn SVG": _out(is_chart=True, charts=1, charts_drawn=0),
        "no .vega-embed": _out(is_chart=True, charts=0),
        "Javascript Error": _out(dom_text="Javascript Error: oops"),
        "<VegaLite": _out(dom_text="<VegaLite 6 object>"),
        "not in the page": _out(rendered=False),
    }
    for expected, output in cases.items():
        failures, _ = bh.assess(_report(output))
        assert any(expected in f for f in failures), (expected, failures)
    failures, _ = bh.assess(_report(exec_count=None))
    assert any("not executed" in f for f in failures)


def test_render_not_settled_while_loading():
    assert not bh.render_settled(_report(_out(is_widget=True, widget_views=0)))
    assert not bh.render_settled(_report(_out(is_chart=True, charts=1, charts_drawn=0)))


def test_discover_lessons_sorted(tmp_path):
    (tmp_path / "lessons").mkdir()
    for name in ("02_b.ipynb", "00_a.ipynb", "notes.md"):
        (tmp_path / "lessons" / name).write_text("{}")
    assert bh.discover_lessons(tmp_path) == ["lessons/00_a.ipynb", "lessons/02_b.ipynb"]


def test_screenshot_folder_override(tmp_path):
    assert bh.screenshots_dir({}) == bh.DEFAULT_SCREENSHOTS
    assert bh.screenshots_dir({"BROWSER_SCREENSHOTS": str(tmp_path)}) == tmp_path.resolve()


def test_server_command_is_isolated(tmp_path):
    server = bh.LabServer(tmp_path)
    try:
        cmd = server.command()
        assert cmd[1:4] == ["-m", "jupyter", "lab"]
        assert "--ip=127.0.0.1" in cmd and f"--port={server.port}" in cmd
        assert f"--IdentityProvider.token={server.token}" in cmd
        assert f"--ServerApp.root_dir={tmp_path.resolve()}" in cmd
        env = server._environment()
        for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR"):
            assert env[name].startswith(str(server.tmp))
        settings = (server.tmp / "user-settings" / "@jupyterlab" / "docmanager-extension"
                    / "plugin.jupyterlab-settings")
        assert '"autosave": false' in settings.read_text()
    finally:
        server.cleanup()


def test_summary_rows_from_reports():
    from types import SimpleNamespace as R

    from browser_summary import browser_rows

    f = "tests/browser/test_lessons_in_browser.py::test_lesson_runs_in_browser"
    stats = {
        "passed": [R(nodeid=f"{f}[00_a]", when="setup"), R(nodeid=f"{f}[00_a]", when="call"),
                   R(nodeid="tests/unit/test_x.py::test_y", when="call")],
        "failed": [R(nodeid=f"{f}[01_b]", when="call"), R(nodeid=f"{f}[02_c]", when="setup")],
        "skipped": [R(nodeid=f"{f}[03_d]", when="setup")],
    }
    assert browser_rows(stats) == {"00_a": "passed", "01_b": "failed", "02_c": "error",
                                   "03_d": "skipped"}
    assert browser_rows({"passed": [R(nodeid=f"{f}[00_a]", when="setup")]}) == {}


def test_skip_browser_variable_skips_even_in_ci(tmp_path):
    env = {"CI": "true", bh.SKIP_BROWSER_ENV: "1"}
    action, message = bh.chromium_problem(_executable(tmp_path), env=env)
    assert action == "skip" and bh.SKIP_BROWSER_ENV in message
    assert bh.chromium_problem(_executable(tmp_path), env={bh.SKIP_BROWSER_ENV: "0"}) is None


def test_notebook7_server_runs_jupyter_notebook_and_opens_its_notebook_page(tmp_path):
    server = bh.LabServer(tmp_path, app="notebook")
    try:
        cmd = server.command()
        assert cmd[1:4] == ["-m", "jupyter", "notebook"]
        assert "--JupyterNotebookApp.expose_app_in_browser=True" in cmd  # window.jupyterapp
        assert not [c for c in cmd if c.startswith("--LabApp.")]  # Lab's options mean nothing here
        assert server.lab_url("lessons/00_a.ipynb") == (
            f"{server.base_url}/notebooks/lessons/00_a.ipynb?token={server.token}")
        assert "/lab/tree/lessons/00_a.ipynb" in bh.LabServer(tmp_path).lab_url("lessons/00_a.ipynb")
    finally:
        server.cleanup()
    with pytest.raises(ValueError, match="app must be one of"):
        bh.LabServer(tmp_path, app="voila")
