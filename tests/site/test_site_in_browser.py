"""The built course website in headless chromium, offline: every page, link, chart and rule.

The site is served on 127.0.0.1 and every request to any other host is blocked and counted
as a failure: the site must work for a reader with no network beyond the server that hosts
it. Every HTML page (reached from index.html by links, plus any other page in the folder)
is loaded once (conftest.site_visits); the tests below judge those visits.

Run it alone:  .venv/bin/python -m pytest -n 0 tests/site -v
Reuse a built site:  BREAKING_RANKS_SITE_DIR=/path/to/site (python -m defection.site --out ...)
Needs Debian chromium, the site's dependencies (defection/site/requirements.txt) and axe-core
(sh tests/site/install_axe.sh); skipped without them on a personal machine, failed in CI.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import browser_support as bs
import site_helpers as sh
import site_visit as sv

pytestmark = pytest.mark.browser

LESSON_03 = sh.REPO_ROOT / "lessons" / "03_defection_motivations.ipynb"
#: A word of lesson 03's text that no other lesson or exercise uses (a defector's phrase,
#: "breaking the brainwash"); test_search_term_is_unique_to_lesson_03 keeps it so.
SEARCH_TERM = "brainwash"


def _report(title: str, failures: list[str], limit: int = 60) -> str:
    shown = failures[:limit]
    more = f"\n... and {len(failures) - limit} more" if len(failures) > limit else ""
    return f"{title} ({len(failures)}):\n  " + "\n  ".join(shown) + more


def test_site_has_pages(site_pages):
    assert "index.html" in site_pages["walked"], "the site has no index.html"
    assert len(site_pages["crawled"]) > 1, "index.html links to no other page of the site"


def test_every_page_is_linked_from_the_site(site_pages):
    """A page no link reaches is a page no reader finds (only a search engine would)."""
    orphans = sorted(set(site_pages["walked"]) - set(site_pages["crawled"]))
    assert not orphans, _report("pages that no link from index.html reaches", orphans)


def test_pages_load_offline_without_errors(site_visits):
    failures = []
    for page, v in sorted(site_visits.items()):
        failures += [f"{page}: request to another host (blocked): {url}" for url in v.blocked]
        failures += [f"{page}: {problem}" for problem in v.problems]
    assert not failures, _report("failed requests and errors while loading pages", failures)


def test_internal_links_resolve(site_dir, site_server, site_visits):
    """Every link in every rendered page reaches a file of the site, and every #fragment an
    element with that id (or an <a name>) on the target page."""
    pages = {}
    for page, v in site_visits.items():
        if not v.report:
            continue  # the page did not load: test_pages_load_offline_without_errors says so
        links = [sh.local_href(link["url"], site_server.origin) for link in v.report["links"]]
        pages[page] = sh.ParsedPage(links=[h for h in links if h], ids=set(v.report["ids"]))
    failures = sh.broken_links(site_dir, pages)
    assert not failures, _report("internal links that do not resolve", failures)


def test_every_chart_draws(site_visits):
    failures = []
    for page, v in sorted(site_visits.items()):
        for chart in v.report.get("charts", []):
            where = f"{page}: chart {chart['index'] + 1} ({chart['title'] or 'untitled'})"
            if chart["error"]:
                failures.append(f"{where}: {chart['error']}")
            elif not chart["drawn"]:
                failures.append(f"{where}: no drawn marks within {sv.CHART_TIMEOUT} s")
    assert not failures, _report("charts that did not draw", failures)


def test_every_lesson_page_shows_its_panels_as_charts(site_pages, site_visits):
    """Each lesson has a page, and the page shows at least one chart per widget panel of
    the notebook (the site draws each panel at its default settings)."""
    pages = sorted(set(site_pages["crawled"]) | set(site_pages["walked"]))
    failures = []
    for stem, page in sh.lesson_pages(pages).items():
        if page is None:
            failures.append(f"lessons/{stem}.ipynb has no page on the site")
            continue
        want = sh.panel_calls(sh.REPO_ROOT / "lessons" / f"{stem}.ipynb")
        have = sum(1 for c in site_visits[page].report.get("charts", []) if c["drawn"])
        if have < want:
            failures.append(f"{page}: {have} drawn chart(s), but the lesson shows {want} panel(s)")
    assert not failures, _report("lesson pages missing charts", failures)


def test_every_chart_has_a_text_alternative(site_visits):
    """Beyond axe (which does not look inside an SVG chart): a screen-reader user gets the
    chart's description (aria-label, aria-describedby, a figcaption or a description element)."""
    failures = []
    for page, v in sorted(site_visits.items()):
        for chart in v.report.get("charts", []):
            if not chart["alternatives"]:
                failures.append(
                    f"{page}: chart {chart['index'] + 1} ({chart['title'] or 'untitled'}) has no "
                    "aria-label, aria-labelledby/-describedby text, figcaption or description element"
                )
    assert not failures, _report("charts without a text alternative", failures)


def test_hover_shows_a_tooltip_on_lesson_pages(site_visits):
    tried = {p: v for p, v in site_visits.items() if v.tooltip_tried}
    assert tried, "no lesson page with charts was found to hover on"
    failures = [f"{page}: hovering the marks of its {len(v.report['charts'])} chart(s) showed no tooltip"
                for page, v in sorted(tried.items()) if not v.tooltip]  # fmt: skip
    assert not failures, _report("lesson pages whose charts show no tooltip", failures)


def test_accessibility_audit(site_visits, axe_path):
    """axe-core on every page: no violation of impact "serious" or "critical" (colour
    contrast included), nor of the moderate and minor rules the site has fixed (heading
    order, landmarks, empty table headers). Other moderate and minor ones are warnings."""
    if axe_path is None:
        bs.skip_or_fail(f"axe-core {sh.AXE_VERSION} is not installed at {sh.axe_script()}: run {sh.AXE_INSTALL}")
    failures, minor = [], []
    for page, v in sorted(site_visits.items()):
        if v.violations is None:
            continue
        failures += sh.axe_failures(page, v.violations)
        minor += [f"{page}: [{x['impact']}] {x['id']}: {x['help']}" for x in v.violations
                  if not sh.fails_audit(x)]  # fmt: skip
    audited = [p for p, v in site_visits.items() if v.violations is not None]
    assert audited, "axe ran on no page"
    if minor:  # reported (pytest's warnings summary) whether or not the audit fails
        warnings.warn(_report("axe: moderate and minor findings", minor), stacklevel=1)
    assert not failures, _report("axe: serious and critical violations", failures)


def test_accessibility_audit_in_dark_mode_and_on_a_phone(site_extra_audits, axe_path):
    """The same audit in the theme's dark mode and at a phone's width: no serious or
    critical violation in either (the theme's colours and layout differ in both)."""
    if axe_path is None:
        bs.skip_or_fail(f"axe-core {sh.AXE_VERSION} is not installed at {sh.axe_script()}: run {sh.AXE_INSTALL}")
    failures = []
    for view, visits in site_extra_audits.items():
        for page, v in sorted(visits.items()):
            failures += [f"{view}: {line}" for line in sh.axe_failures(page, v.violations or [])]
            failures += [f"{view}: {page}: {problem}" for problem in v.problems]
    assert site_extra_audits, "the extra audit views did not run"
    assert not failures, _report("axe in dark mode and on a phone: serious and critical", failures)


def test_search_term_is_unique_to_lesson_03():
    others = [p for p in sorted((sh.REPO_ROOT / "lessons").glob("*.ipynb")) if p != LESSON_03]
    others += sorted((sh.REPO_ROOT / "exercises").glob("*.ipynb"))
    assert SEARCH_TERM in sh.words_unique_to(LESSON_03, others), (
        f"{SEARCH_TERM!r} is no longer a word of lesson 03 alone: pick another word that only "
        "lesson 03's text uses (sh.words_unique_to lists them)"
    )


def test_search_finds_a_lesson_03_term_offline(site_server, site_context, site_pages):
    """Type a word only lesson 03 uses into the search page: a result links to lesson 03."""
    lesson = sh.lesson_pages(site_pages["walked"]).get(LESSON_03.stem)
    assert lesson, "lesson 03 has no page on the site"
    assert "search.html" in site_pages["walked"], "the site has no search.html"
    page, problems, blocked = sv.new_page(site_context, site_server.origin)
    try:
        page.goto(site_server.url("search.html"), wait_until="load")
        box = page.locator('input[name="q"]:visible, input[type="search"]:visible').first
        box.fill(SEARCH_TERM)
        box.press("Enter")
        result = page.locator(f'#search-results a[href*="{Path(lesson).stem}"]').first
        try:
            result.wait_for(state="attached", timeout=30000)
        except Exception:  # noqa: BLE001 - say what the page showed instead
            shown = page.locator("#search-results").inner_text(timeout=2000) if page.locator(
                "#search-results").count() else "(no #search-results element)"
            pytest.fail(f"searching {SEARCH_TERM!r} found no link to {lesson}; the results "
                        f"read: {shown[:500]!r}", pytrace=False)  # fmt: skip
    finally:
        page.close()
    failures = [f"blocked: {u}" for u in blocked] + problems
    assert not failures, _report("errors on the search page", failures)
