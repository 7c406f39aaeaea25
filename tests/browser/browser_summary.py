"""Terminal summary for the real-browser test: which lessons ran (in JupyterLab, and in
Notebook 7 as ``nb7-NN_name``), where the screenshots are.

So that a CI log shows the browser test really ran (rather than skipped). Imported by
tests/browser/conftest.py and, for pytest-xdist runs (where the controller does not load
that conftest), by tests/conftest.py. Idempotent: prints once even if both register it.
"""

from __future__ import annotations

import pytest

import browser_helpers as bh

BROWSER_TEST_FILE = "test_lessons_in_browser.py"
_DONE = pytest.StashKey[bool]()


def browser_rows(stats: dict) -> dict[str, str]:
    """Outcome per notebook id from ``terminalreporter.stats`` (works with xdist reports)."""
    rows: dict[str, str] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for rep in stats.get(outcome, []):
            nodeid = getattr(rep, "nodeid", "") or ""
            if BROWSER_TEST_FILE not in nodeid or "[" not in nodeid:
                continue
            name = nodeid.rsplit("[", 1)[1].rstrip("]")
            when = getattr(rep, "when", "call")
            if outcome == "passed" and when != "call":
                continue
            if outcome == "failed" and when != "call":
                outcome = "error"
            if rows.get(name) in ("failed", "error"):
                continue
            rows[name] = outcome
    return rows


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """List the lessons that ran in the browser and where the screenshots are.

    Under pytest-xdist this runs in the controller, which receives the workers' reports
    in ``terminalreporter.stats``.
    """
    if config.stash.get(_DONE, False):
        return
    config.stash[_DONE] = True
    rows = browser_rows(terminalreporter.stats)
    if not rows:
        return
    terminalreporter.section("real-browser test (JupyterLab and Notebook 7 + chromium)")
    ran = [n for n, o in rows.items() if o in ("passed", "failed")]
    for name in sorted(rows):
        terminalreporter.write_line(f"  {rows[name]:<8} {name}")
    if ran:
        terminalreporter.write_line(
            f"  {len(ran)} notebook(s) ran in the browser; screenshots in {bh.screenshots_dir()}"
        )
        timings = bh.read_redraw_timings(bh.screenshots_dir(), sorted(rows))
        if timings:
            terminalreporter.write_line(
                "  slider-to-redrawn-chart time per panel (median of key presses, or drags in "
                "Notebook 7; reported, not asserted):"
            )
            for line in bh.format_redraw_timings(timings):
                terminalreporter.write_line(f"    {line}")
    else:
        terminalreporter.write_line("  no notebook ran in the browser (all skipped or errored)")
