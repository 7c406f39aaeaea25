"""What every real-browser test of the course shares: Debian chromium, how to launch it, and
the offline rule (every request to a host other than the test's own server is blocked).

Why one module: the JupyterLab test (tests/browser/), the JupyterHub test (tests/hub/) and
the website test (tests/site/) all drive the same chromium with the same flags, and all
must skip on a student's machine without chromium but fail in CI, where a silent skip
would hide a broken course. Each test folder's conftest puts ``tests/`` on ``sys.path``,
so ``import browser_support`` works from all of them (and from their helper modules run
as scripts).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from defection.pdf import QUIET_FLAGS

CHROMIUM = "/usr/bin/chromium"
#: Flags for chromium as root in a container, with nothing of its own reaching the network:
#: the handout printer's (one list for both) and no QUIC, so every request is plain HTTP
#: the tests can see and block.
CHROMIUM_ARGS = [*QUIET_FLAGS, "--disable-quic"]
#: Set (to anything but 0) to skip every test that drives a browser, even in CI: the
#: Python-version matrix runs the suite again for each Python without the browser part.
SKIP_BROWSER_ENV = "BREAKING_RANKS_SKIP_BROWSER"


def in_ci(env: Mapping[str, str] | None = None) -> bool:
    """True when the environment says we run in continuous integration (CI=true/1/yes)."""
    env = os.environ if env is None else env
    return env.get("CI", "").strip().lower() in ("1", "true", "yes")


def skip_requested(env: Mapping[str, str] | None = None) -> bool:
    """True when $BREAKING_RANKS_SKIP_BROWSER asks to skip browser tests."""
    env = os.environ if env is None else env
    return env.get(SKIP_BROWSER_ENV, "").strip() not in ("", "0")


def missing_tool(message: str, env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``("skip", message)`` on a personal machine, ``("fail", ...)`` in CI."""
    if in_ci(env):
        return ("fail", message + " (CI=true, so this is a failure, not a skip)")
    return ("skip", message)


def skip_or_fail(message: str, env: Mapping[str, str] | None = None) -> None:
    """Skip the calling test (personal machine) or fail it (CI) because a tool is missing."""
    import pytest

    action, text = missing_tool(message, env)
    if action == "fail":
        pytest.fail(text, pytrace=False)
    pytest.skip(text)


def chromium_problem(path: str | os.PathLike = CHROMIUM, env: Mapping[str, str] | None = None):
    """What to do when chromium is missing: ``None`` (it is there), or ``(action, message)``.

    ``action`` is ``"skip"`` on a student's or instructor's machine and ``"fail"`` in CI,
    where a silently skipped browser test would hide a broken course.
    """
    if skip_requested(env):
        return ("skip", f"browser tests skipped on request ({SKIP_BROWSER_ENV} is set): CI runs "
                        "them once, on the machine's own Python, and not again for each Python")
    p = Path(path)
    if p.is_file() and os.access(p, os.X_OK):
        return None
    return missing_tool(
        f"Debian chromium not found at {p}; the real-browser test needs it. "
        "Install it with: sudo apt-get install chromium",
        env,
    )


def require_chromium(path: str | os.PathLike = CHROMIUM) -> str:
    """Chromium's path for a test fixture; otherwise skip (at home) or fail (in CI) with why."""
    import pytest

    problem = chromium_problem(path)
    if problem is not None:
        action, message = problem
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return str(path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_chromium(playwright, path: str = CHROMIUM):
    """Headless Debian chromium through Playwright (never ``playwright install``)."""
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


@contextlib.contextmanager
def chromium_context(path: str = CHROMIUM, viewport: tuple[int, int] = (1280, 900)):
    """A Playwright browser context in headless chromium, closed (with its browser) after.

    Without the ``playwright`` package the calling test skips at home and fails in CI, as
    for a missing chromium. Hold it for one test module at most: Playwright's sync API
    refuses to start while another one runs in the same process (JupyterLab, JupyterHub and
    site tests can share an xdist worker).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail(
            "the Python package 'playwright' is not installed (pip install -r requirements.txt)"
        )
    with sync_playwright() as pw:
        browser = launch_chromium(pw, path)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        try:
            yield context
        finally:
            context.close()
            browser.close()


def same_origin(url: str, origin: str) -> bool:
    """True if ``url`` goes to ``origin`` (scheme, host and port), e.g. http://127.0.0.1:8123.

    ``data:``, ``blob:`` and ``about:`` URLs never leave the browser, so they count as local.
    """
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    want = urlsplit(origin)
    return (parts.scheme, parts.hostname, parts.port) == (want.scheme, want.hostname, want.port)


def block_other_hosts(context, origin: str, blocked: list[str] | None = None) -> list[str]:
    """Abort every request of ``context`` that does not go to ``origin``; return the list the
    blocked URLs are appended to (a test fails if it is not empty: the page wanted the
    network, which a student on a train or a locked-down lab machine does not have)."""
    blocked = [] if blocked is None else blocked

    def handle(route) -> None:
        url = route.request.url
        if same_origin(url, origin):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return blocked


def record_page_problems(page, origin: str, sink: Callable[[str], None]) -> None:
    """Report, through ``sink``, every failed request (network error or abort), every HTTP
    status of 400 or more, every console error and every uncaught page error of ``page``."""

    def on_failed(request) -> None:
        sink(f"request failed: {request.url} ({request.failure})")

    def on_response(response) -> None:
        if response.status >= 400:
            sink(f"HTTP {response.status}: {response.url}")

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location or {}
            at = f" at {where.get('url', '')}:{where.get('lineNumber', '')}" if where else ""
            sink(f"console error: {message.text}{at}")

    def on_page_error(error) -> None:
        sink(f"uncaught error in the page: {error}")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
