"""Citations read as citations in real JupyterLab: no raw keys, and each one leads somewhere.

JupyterLab has no citation processor and sanitises what markdown may carry (it turns an
``id`` into ``data-jupyter-id``), so whether "(Kyed 2024)" is a working link to its entry can
only be known in the browser. For each lesson, opened without running it: no rendered cell
shows a raw ``[@key]``; the last cell is the reference list; and clicking the first and the
last citation of the lesson brings their entries into view.
"""

from __future__ import annotations

import pytest

import browser_helpers as bh

LESSONS = bh.discover_lessons(bh.lessons_root())
OPEN_TIMEOUT = 60

JS_CITATIONS = """() => {
  const md = [...document.querySelectorAll('.jp-Notebook .jp-RenderedMarkdown')];
  const raw = md.filter(e => /\\[@[a-z]/.test(e.innerText)).map(e => e.innerText.slice(0, 120));
  const links = [...document.querySelectorAll('.jp-Notebook .jp-RenderedMarkdown a[href^="#ref-"]')];
  return {raw, hrefs: links.map(a => a.getAttribute('href')), texts: links.map(a => a.innerText)};
}"""

JS_ENTRY_IN_VIEW = """(key) => {
  const el = document.querySelector(`[data-jupyter-id="${key}"], [id="${key}"]`);
  if (!el) return {found: false};
  const box = el.getBoundingClientRect();
  const li = el.closest('li');
  return {found: true, top: box.top, bottom: box.bottom, height: window.innerHeight,
          text: li ? li.innerText.slice(0, 80) : ''};
}"""

JS_SCROLL_TOP = bh.JS_SCROLL_TOP


@pytest.mark.browser
@pytest.mark.parametrize("lesson", LESSONS)
def test_citations_link_to_the_lessons_reference_list(lesson, lab_server, lab_browser):
    page = lab_browser.new_page()
    try:
        page.goto(lab_server.lab_url(lesson))
        page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown", timeout=OPEN_TIMEOUT * 1000)
        page.wait_for_function(
            "() => document.querySelectorAll('.jp-Notebook a[href^=\"#ref-\"]').length > 0",
            timeout=OPEN_TIMEOUT * 1000)
        found = page.evaluate(JS_CITATIONS)
        assert not found["raw"], f"{lesson}: raw citation keys shown: {found['raw'][:3]}"
        assert found["hrefs"], f"{lesson}: no citation links rendered"
        assert all(t.strip() and "@" not in t for t in found["texts"]), found["texts"][:5]
        for href in dict.fromkeys([found["hrefs"][0], found["hrefs"][-1]]):
            page.evaluate(JS_SCROLL_TOP)
            page.wait_for_timeout(200)
            page.locator(f'.jp-Notebook .jp-RenderedMarkdown a[href="{href}"]').first.click()
            page.wait_for_timeout(800)
            entry = page.evaluate(JS_ENTRY_IN_VIEW, href[1:])
            assert entry["found"], f"{lesson}: {href} has no entry in the reference list"
            assert 0 <= entry["top"] < entry["height"], (
                f"{lesson}: clicking {href} did not bring its entry into view ({entry})")
            assert entry["text"], f"{lesson}: the entry for {href} is empty"
    finally:
        page.close()
