"""The course on a real JupyterHub: three students each open an nbgitpuller link, get
their own copy of the course, and run lesson 00 and exercise set 01 to the end in
headless chromium.

Run it alone:  .venv/bin/python -m pytest -n 0 tests/hub -v
Needs: pip install -r tests/requirements.txt, and tests/hub/install.sh (bubblewrap,
chromium, git, configurable-http-proxy). Outside CI a missing tool skips the test with
what to install; in CI (CI=true) it is a failure, so a silent skip cannot hide a break.
Nothing is left running: the hub stops every user's server, and the test checks it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hub_helpers as hh  # noqa: E402

USERS = ["ana", "min", "zoe"]
NOTEBOOKS = ["lessons/00_start_here.ipynb", "exercises/01_regime_cohesion.ipynb"]
OPEN_TIMEOUT = 240  # seconds: login, spawn, clone, Lab start on a loaded 2-core machine
RUN_TIMEOUT = 300

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def tools():
    if os.environ.get("BREAKING_RANKS_SKIP_BROWSER", "").strip() not in ("", "0"):
        pytest.skip("browser tests skipped on request (BREAKING_RANKS_SKIP_BROWSER is set)")
    missing = hh.missing_tools()
    if missing:
        message = "the JupyterHub test needs: " + "; ".join(missing)
        if hh.in_ci():
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def served_course(tools):
    server = hh.GitServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hub(tools):
    hub = hh.Hub()
    try:
        hub.start()
    except RuntimeError as exc:
        hub.cleanup()
        pytest.fail(str(exc), pytrace=False)
    state = {"hub": hub, "killed": None}
    try:
        yield state
    finally:
        state["killed"] = hub.stop()
        hub.cleanup()
    # After the tests: the hub must have stopped every user's server and the proxy itself.
    assert state["killed"] == [], f"processes outlived the hub and were killed: {state['killed']}"


@pytest.fixture(scope="module")
def browser(tools):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = hh.launch_chromium(pw, hh.CHROMIUM)
        try:
            yield b
        finally:
            b.close()


def _run_to_the_end(page, path: str) -> list[str]:
    """Wait for the notebook and its kernel, Run All, and return problems found."""
    page.wait_for_function(hh.JS_PANEL, arg=path, timeout=OPEN_TIMEOUT * 1000)
    page.wait_for_function(hh.JS_READY, timeout=OPEN_TIMEOUT * 1000)
    page.evaluate(hh.JS_RUN_ALL)
    page.wait_for_function(hh.JS_RUN_FINISHED, timeout=RUN_TIMEOUT * 1000, polling=500)
    cells = page.evaluate(hh.JS_CELLS)
    problems = [f"{path} cell {c['index']} ({c['source']!r}): {e}" for c in cells for e in c["errors"]]
    problems += [f"{path} cell {c['index']} ({c['source']!r}) did not run" for c in cells
                 if c["source"].strip() and c["exec"] is None]  # fmt: skip
    try:
        page.evaluate(hh.JS_SHUTDOWN)
    except Exception:  # noqa: BLE001 - the hub's shutdown stops kernels anyway
        pass
    return problems


def _wait_for_pull(page) -> None:
    """Until Lab opens; fail at once, with nbgitpuller's message, if the pull fails."""
    page.wait_for_function(
        "() => !!window.jupyterapp || !!document.querySelector('#container-error:not(.hidden)')",
        timeout=OPEN_TIMEOUT * 1000, polling=500,
    )  # fmt: skip
    if not page.evaluate("() => !!window.jupyterapp"):
        raise AssertionError("nbgitpuller failed: " + page.inner_text("body")[-600:])


@pytest.fixture(scope="module")
def sessions(hub, served_course, browser):
    """Each student logs in through the link, gets the course, runs both notebooks."""
    h = hub["hub"]
    results = {}
    for user in USERS:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems: list[str] = []
        try:
            link = hh.pull_link(h.url, served_course.url, "main", NOTEBOOKS[0])
            page.goto(link, timeout=OPEN_TIMEOUT * 1000)  # not logged in: the login page
            page.fill("#username_input", user)
            page.fill("#password_input", h.password)
            page.click("#login_submit")
            _wait_for_pull(page)
            problems += _run_to_the_end(page, f"{hh.COURSE_DIR}/{NOTEBOOKS[0]}")
            page.goto(f"{h.url}/user/{user}/lab/tree/{hh.COURSE_DIR}/{NOTEBOOKS[1]}?reset",
                      timeout=OPEN_TIMEOUT * 1000)  # fmt: skip
            problems += _run_to_the_end(page, f"{hh.COURSE_DIR}/{NOTEBOOKS[1]}")
        except Exception as exc:  # noqa: BLE001 - report with the hub's log
            problems.append(f"{type(exc).__name__}: {str(exc)[:400]}\nhub log:\n{h.log_tail(30)}")
        finally:
            context.close()
        results[user] = problems
    return results


def test_each_student_gets_the_course_in_their_own_space(hub, sessions):
    homes = hub["hub"].homes
    for user in USERS:
        course = homes / user / hh.COURSE_DIR
        assert (course / ".git").is_dir(), f"{user}: nbgitpuller did not clone the course"
        for nb in NOTEBOOKS:
            assert (course / nb).is_file(), f"{user}: {nb} missing from their copy"
    assert len({(homes / u / hh.COURSE_DIR).resolve() for u in USERS}) == len(USERS)


def test_lesson_00_and_exercise_set_01_run_to_the_end_for_every_student(sessions):
    for user, problems in sessions.items():
        assert problems == [], f"{user}:\n" + "\n".join(problems)


def test_nbgitpuller_link_format():
    link = hh.pull_link("http://hub.example", "https://git.example/course.git", "main",
                        "lessons/00_start_here.ipynb")  # fmt: skip
    assert link == (
        "http://hub.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example%2Fcourse.git"
        "&branch=main&targetpath=breaking-ranks&urlpath=lab%2Ftree%2Fbreaking-ranks%2Flessons%2F"
        "00_start_here.ipynb"
    )
