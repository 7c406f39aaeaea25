"""The repairs made to Sphinx's pages for the accessibility audit, on the theme's own markup."""

from __future__ import annotations

from defection.site import page_fixes as pf

SIDEBAR = """<div class="sidebar-primary-items__start sidebar-primary__section">
        <div class="sidebar-primary-item">

<a class="navbar-brand logo" href="#">
    <p class="title logo__title">Breaking Ranks</p>
</a></div>
        <div class="sidebar-primary-item"><nav class="bd-links bd-docs-nav" aria-label="Main">
<li class="has-children"><a href="data/tables/index.html">Tables</a><details><summary><span class="toctree-toggle" role="presentation"><i class="fa-solid fa-chevron-down"></i></span></summary>
</nav></div>"""

TABLE = """<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>country</th>
    </tr>
    <tr>
      <th>event_id</th>
      <th> </th>
    </tr>
  </thead>
  <tbody><tr><th>0</th><td>Philippines</td></tr></tbody>
</table>"""

#: pydata-sphinx-theme 0.20's search-button-field.html, as written into every page.
SEARCH_BUTTON = """<button class="btn search-button-field search-button__button pst-js-only" title="Search" aria-label="Search" data-bs-placement="bottom" data-bs-toggle="tooltip">
 <i class="fa-solid fa-magnifying-glass"></i>
 <span class="search-button__default-text">Search</span>
 <span class="search-button__kbd-shortcut"><kbd class="kbd-shortcut__modifier">Ctrl</kbd>+<kbd class="kbd-shortcut__modifier">K</kbd></span>
</button>"""
#: The theme's icon-only search button (narrow screens) shows no text: its label must stay.
ICON_SEARCH_BUTTON = (
    '<button class="btn btn-sm pst-navbar-icon search-button search-button__button pst-js-only" '
    'title="Search" aria-label="Search" data-bs-placement="bottom" data-bs-toggle="tooltip">'
    '<i class="fa-solid fa-magnifying-glass fa-lg"></i></button>'
)

OTHER_TABLE = '<table class="docutils"><thead><tr><th></th><th>x</th></tr></thead></table>'


def test_the_link_home_becomes_a_landmark_and_the_menu_is_left_alone():
    fixed = pf.landmark_sidebar_brand(SIDEBAR)
    assert fixed.count('role="navigation" aria-label="Course home"') == 1
    assert (
        '<div class="sidebar-primary-item" role="navigation" aria-label="Course home">\n\n<a class="navbar-brand'
        in fixed
    )
    assert '<div class="sidebar-primary-item"><nav class="bd-links' in fixed


def test_side_bar_toggles_get_a_name():
    fixed = pf.name_sidebar_toggles(SIDEBAR)
    assert '<summary aria-label="Show or hide the pages in this section">' in fixed
    assert "<summary><span" not in fixed


def test_only_pandas_tables_lose_their_empty_header_cells():
    fixed = pf.data_cells_for_empty_headers(TABLE + OTHER_TABLE)
    assert "<th></th>" not in fixed.split("</table>")[0] and "<th> </th>" not in fixed
    assert fixed.count("<td></td>") == 2
    assert "<th>country</th>" in fixed and "<th>event_id</th>" in fixed and "<th>0</th>" in fixed
    assert fixed.endswith(OTHER_TABLE)  # a table the course wrote itself is not touched


def test_fix_pages_changes_each_page_once(tmp_path):
    (tmp_path / "lessons").mkdir()
    page = tmp_path / "lessons" / "01.html"
    page.write_text(SIDEBAR + TABLE, encoding="utf-8")
    (tmp_path / "plain.html").write_text("<p>nothing to fix</p>", encoding="utf-8")
    assert pf.fix_pages(tmp_path) == 1
    once = page.read_text(encoding="utf-8")
    assert 'aria-label="Course home"' in once and "<th></th>" not in once
    assert pf.fix_pages(tmp_path) == 0  # a second run finds nothing left to do
    assert page.read_text(encoding="utf-8") == once


def test_search_button_is_named_by_the_text_it_shows():
    fixed = pf.name_search_button_by_its_text(SEARCH_BUTTON + ICON_SEARCH_BUTTON)
    button = fixed.split("</button>")[0]
    assert "aria-label" not in button  # its name is now its text: "Search Ctrl+K" (or ⌘+K)
    assert 'aria-keyshortcuts="Control+K Meta+K"' in button and 'title="Search"' in button
    assert '<span class="search-button__default-text">Search</span>' in button
    assert fixed.endswith(ICON_SEARCH_BUTTON)  # an icon has no text to name it: label kept
    assert pf.fix_page(SEARCH_BUTTON) == pf.name_search_button_by_its_text(SEARCH_BUTTON)
