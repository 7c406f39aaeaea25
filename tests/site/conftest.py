"""Fixtures for the website test: the built site (once per session), a server, chromium,
and one recorded visit of every page.

The site is built by the course's own command into a temporary folder, or taken from
$BREAKING_RANKS_SITE_DIR (CI builds once, then runs this test and the benchmark on it).
On a personal machine the test skips, saying what to install, when chromium, the site's
dependencies or axe-core are missing; in CI (CI=true) each of those is a failure, since a
skipped site test would let a broken site through. BREAKING_RANKS_SKIP_BROWSER=1 skips.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
import browser_support as bs  # noqa: E402
import site_helpers as sh  # noqa: E402
import site_visit as sv  # noqa: E402


@pytest.fixture(scope="session")
def site_chromium() -> str:
    return bs.require_chromium(bs.CHROMIUM)


@pytest.fixture(scope="session")
def site_dir(site_chromium, tmp_path_factory) -> Path:
    """The built site: $BREAKING_RANKS_SITE_DIR, or a fresh build of the course's site."""
    try:
        given = sh.site_dir_from_env()
    except sh.SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)
    if given is not None:
        return given
    missing = sh.missing_site_requirements()
    if missing:
        bs.skip_or_fail(
            "the site's dependencies are missing: " + ", ".join(missing)
            + " (pip install -r defection/site/requirements.txt)"
        )
    try:
        return sh.build_site(tmp_path_factory.mktemp("site"))
    except sh.SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def site_server(site_dir):
    with sh.StaticServer(site_dir) as server:
        yield server


#: Module scope for everything that holds Playwright open: a second ``sync_playwright()`` in
#: the same process (tests/hub/ or tests/browser/ on the same xdist worker) fails while one
#: is running ("Sync API inside the asyncio loop"), so this one closes with the test module.
@pytest.fixture(scope="module")
def site_context(site_chromium):
    with bs.chromium_context(site_chromium) as context:
        yield context


@pytest.fixture(scope="session")
def axe_path() -> Path | None:
    """axe.min.js as install_axe.sh installs it, or ``None`` (the audit test then skips,
    or fails in CI, naming the install script)."""
    path = sh.axe_script()
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def site_pages(site_dir) -> dict[str, list[str]]:
    """``{"crawled": pages reachable from index.html, "walked": every page in the folder}``."""
    return {"crawled": sh.crawl(site_dir), "walked": sh.walk_pages(site_dir)}


@pytest.fixture(scope="module")
def site_visits(site_server, site_context, site_pages, axe_path) -> dict[str, sv.Visit]:
    """Every page visited once: loaded, charts awaited, audited, and (lessons) hovered."""
    pages = sorted(set(site_pages["crawled"]) | set(site_pages["walked"]))
    lessons = {p for p in sh.lesson_pages(pages).values() if p}
    return {
        page: sv.visit(site_context, site_server.origin, page, axe=axe_path, hover=page in lessons)
        for page in pages
    }


#: The audit runs again in these views (the main visit is light mode at 1280x900): the theme
#: follows the reader's dark-mode setting, and its layout changes on a phone (the side bar
#: folds away, tables and charts get narrow), so contrast and scrolling change too.
EXTRA_AUDIT_VIEWS = {
    "dark mode": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "phone (390 px)": {"color_scheme": "light", "viewport": {"width": 390, "height": 844},
                       "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module")
def site_extra_audits(site_server, site_context, site_pages, axe_path) -> dict[str, dict[str, sv.Visit]]:
    """View name -> page -> visit with axe (no hover), for each of EXTRA_AUDIT_VIEWS."""
    if axe_path is None:
        return {}
    pages = sorted(set(site_pages["crawled"]) | set(site_pages["walked"]))
    out = {}
    browser = site_context.browser
    for name, options in EXTRA_AUDIT_VIEWS.items():
        context = browser.new_context(**options)
        try:
            out[name] = {p: sv.visit(context, site_server.origin, p, axe=axe_path) for p in pages}
        finally:
            context.close()
    return out
