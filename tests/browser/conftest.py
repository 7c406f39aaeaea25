"""Fixtures for the real-browser test: a JupyterLab and a Notebook 7 server per session.

Each server is always stopped (kernels shut down through /api/sessions, then terminate,
then kill), whatever happens in the tests. The terminal summary says which lessons ran
in the browser and where the screenshots are, so a CI log shows the test ran rather
than skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))
import browser_helpers as bh  # noqa: E402
import browser_support as bs  # noqa: E402


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """/usr/bin/chromium, or skip (outside CI) / fail (CI=true) with how to install it."""
    return bs.require_chromium(bh.CHROMIUM)


@pytest.fixture(scope="session")
def lab_root() -> Path:
    """Folder JupyterLab serves: the repository, or $BROWSER_ROOT while developing."""
    return bh.lessons_root()


def _serve(root: Path, app: str):
    """Start a server of ``app`` for the session; always stopped and removed at the end."""
    server = bh.LabServer(root, app=app)
    try:
        server.start()
    except RuntimeError as exc:
        server.cleanup()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
        server.cleanup()


@pytest.fixture(scope="session")
def lab_server(chromium_path, lab_root):
    """A JupyterLab server for the whole session; always stopped at the end."""
    yield from _serve(lab_root, "lab")


@pytest.fixture(scope="session")
def notebook7_server(chromium_path, lab_root):
    """A Notebook 7 server (``jupyter notebook``) for the whole session, stopped at the end."""
    yield from _serve(lab_root, "notebook")


@pytest.fixture(scope="module")
def lab_browser(chromium_path):
    """Headless Debian chromium driven by Playwright (never `playwright install`).

    One per test module, not per session: Playwright's sync API refuses to start while
    another sync_playwright is running in the same process, so a session-long one here would
    break the JupyterHub and site tests whenever xdist puts them on the same worker.
    """
    # One context for the module: JupyterLab's static files are cached after the first
    # notebook, which saves a few seconds per notebook.
    with bs.chromium_context(chromium_path) as context:
        yield context


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = bh.screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The summary hook lives in browser_summary.py so that tests/conftest.py can import it too:
# under pytest-xdist the controller loads only conftests on the initial paths, not this one.
from browser_summary import pytest_terminal_summary  # noqa: E402,F401
