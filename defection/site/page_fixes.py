"""Small repairs to the pages Sphinx writes, so the site passes its accessibility audit.

Each fix answers one finding of axe-core (``tests/site/A11Y_FINDINGS.md``) in markup that
neither the course nor its notebooks write: the theme's search button and side bar, and
pandas' tables. They
run on the finished HTML, so they need no JavaScript in the reader's browser and no copy of
the theme's templates to keep in step with new theme releases. A fix whose markup is not
found changes nothing, and the site's browser test then reports the finding again.
"""

from __future__ import annotations

import re
from pathlib import Path

#: The theme's side-bar toggles are <summary> elements holding only an icon: no name.
_BARE_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
_NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the pages in this section">'
    '<span class="toctree-toggle" role="presentation">'
)

#: The theme's search button shows "Search Ctrl+K" (⌘+K on a Mac, set by the theme's script)
#: but is named "Search" by aria-label, so what a speech-input user reads is not its name
#: (axe "label-content-name-mismatch", WCAG 2.5.3). Without the label its name is its text,
#: whichever key it shows; aria-keyshortcuts tells screen readers the keys the theme answers.
_SEARCH_BUTTON_LABEL = re.compile(
    r'(<button class="[^"]*\bsearch-button-field\b[^"]*"[^>]*?) aria-label="[^"]*"'
)
_SEARCH_BUTTON_NAMED_BY_TEXT = r'\1 aria-keyshortcuts="Control+K Meta+K"'

#: The side bar's first item, the site's title linking home, sits outside every landmark
#: (axe "region"); it is the way home, so it becomes a navigation landmark of its own.
_BRAND_ITEM = re.compile(r'<div class="sidebar-primary-item">(\s*<a class="navbar-brand logo")')
_BRAND_LANDMARK = r'<div class="sidebar-primary-item" role="navigation" aria-label="Course home">\1'

#: pandas writes the corner above a table's index as an empty header cell (axe
#: "empty-table-header"); an empty cell heads nothing, so it becomes a data cell.
_DATAFRAME = re.compile(r'<table[^>]*class="dataframe"[^>]*>.*?</table>', re.DOTALL)
_EMPTY_HEADER = re.compile(r"<th>\s*</th>")


def name_search_button_by_its_text(html: str) -> str:
    """Let the search button's name be what it shows, and state its shortcut for assistive tech."""
    return _SEARCH_BUTTON_LABEL.sub(_SEARCH_BUTTON_NAMED_BY_TEXT, html)


def name_sidebar_toggles(html: str) -> str:
    """Give the side bar's expand/collapse toggles a name a screen reader can say."""
    return html.replace(_BARE_TOGGLE, _NAMED_TOGGLE)


def landmark_sidebar_brand(html: str) -> str:
    """Put the side bar's link home inside a landmark."""
    return _BRAND_ITEM.sub(_BRAND_LANDMARK, html, count=1)


def data_cells_for_empty_headers(html: str) -> str:
    """In pandas tables only, write empty header cells as empty data cells."""
    return _DATAFRAME.sub(lambda table: _EMPTY_HEADER.sub("<td></td>", table.group(0)), html)


FIXES = (
    name_search_button_by_its_text,
    name_sidebar_toggles,
    landmark_sidebar_brand,
    data_cells_for_empty_headers,
)


def fix_page(html: str) -> str:
    """Every fix, in order, on one page's HTML."""
    for fix in FIXES:
        html = fix(html)
    return html


def fix_pages(out: Path) -> int:
    """Apply the fixes to every HTML page under ``out``; return how many pages changed."""
    changed = 0
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
