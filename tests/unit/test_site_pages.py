"""The website's generated pages: data dictionary, bibliography, course map, lesson boxes.

Each generator is fed a small hand-made input in tmp_path, so these tests say exactly what a
page must contain and run in well under a second (the whole-site build is test_site_build.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from defection.site import bibliography, coursemap, datadict, notebook_meta, stage


# ------------------------------------------------------------------------ small inputs
def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


SOURCES = [
    {"source_id": "zed_2020", "short": "Zed 2020", "citation": "Zed, A. (2020). Late. Press.",
     "url": "https://example.org/zed", "kind": "academic"},
    {"source_id": "abe_2021", "short": "Abe 2021", "citation": "Abe, B. (2021). Early. Outlet.",
     "url": "", "kind": "party_claim"},
]


@pytest.fixture
def small_package(tmp_path: Path) -> Path:
    _write_csv(tmp_path / "sources.csv", SOURCES)
    _write_csv(tmp_path / "counts.csv", [
        {"count_id": "c1", "value": "10", "qualifier": "about", "source_id": "abe_2021"},
        {"count_id": "c2", "value": "12", "qualifier": "exact", "source_id": "abe_2021"},
        {"count_id": "c3", "value": "7", "qualifier": "exact", "source_id": "zed_2020"},
    ])
    package = {
        "title": "Tiny package",
        "resources": [
            {"name": "sources", "path": "sources.csv", "title": "Sources", "description": "Who said it.",
             "schema": {"fields": [{"name": "source_id", "type": "string"}], "primaryKey": "source_id"}},
            {"name": "counts", "path": "counts.csv", "title": "Counts | tallies",
             "description": "Dated counts of people (never merged).",
             "schema": {
                 "fields": [
                     {"name": "count_id", "type": "string", "title": "Count id",
                      "constraints": {"required": True}},
                     {"name": "value", "type": "integer", "title": "Value", "unit": "people",
                      "description": "The figure as reported.", "constraints": {"minimum": 0}},
                     {"name": "qualifier", "type": "string", "title": "Qualifier",
                      "constraints": {"required": True, "enum": ["exact", "about"]}},
                     {"name": "source_id", "type": "string", "title": "Source"},
                 ],
                 "primaryKey": "count_id",
                 "foreignKeys": [{"fields": "source_id",
                                  "reference": {"resource": "sources", "fields": "source_id"}}],
             }},
        ],
    }
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


# ------------------------------------------------------------------------ data dictionary
def test_a_table_page_lists_every_field_with_type_unit_constraints_and_description(small_package):
    pages, index = datadict.generate(small_package)
    counts = next(p for p in pages if p.name == "counts")
    assert counts.docname == "data/tables/counts"
    text = counts.text
    assert text.startswith("# Counts \\| tallies\n"), "a pipe in a title must not start a table"
    assert "3 rows" in text and "4 columns" in text
    assert "file [`counts.csv`](../counts.csv) (download)" in text
    for name, title in (("count_id", "Count id"), ("value", "Value"), ("qualifier", "Qualifier")):
        assert f"| `{name}` ({title}) |" in text
    assert "| `source_id` (Source) |" in text
    value_row = next(line for line in text.splitlines() if line.startswith("| `value`"))
    assert "| integer, in people |" in value_row and "at least 0" in value_row
    assert "The figure as reported." in value_row
    qualifier_row = next(line for line in text.splitlines() if line.startswith("| `qualifier`"))
    assert "one of `exact`, `about`" in qualifier_row and "| yes |" in qualifier_row
    assert "**Primary key:** `count_id`" in text
    assert "[sources](sources.md)" in text, "a foreign key links to the table it refers to"


def test_a_table_page_links_each_cited_source_to_its_bibliography_anchor(small_package):
    pages, _ = datadict.generate(small_package)
    text = next(p for p in pages if p.name == "counts").text
    abe = '<a href="../../bibliography.html#ref-abe_2021">Abe 2021</a> — 2 rows'
    zed = '<a href="../../bibliography.html#ref-zed_2020">Zed 2020</a> — 1 row'
    assert abe in text and zed in text
    assert text.index(abe) < text.index(zed), "most-cited sources come first"
    sources_page = next(p for p in pages if p.name == "sources").text
    assert "list of sources itself" in sources_page


def test_the_index_of_tables_links_every_page_and_puts_them_in_the_navigation(small_package):
    pages, index = datadict.generate(small_package)
    assert "[Counts \\| tallies](counts.md)" in index and "[Sources](sources.md)" in index
    toctree = index.split("```{toctree}")[1]
    assert "counts" in toctree and "sources" in toctree


def test_a_broken_datapackage_is_reported_with_its_path(tmp_path):
    bad = tmp_path / "datapackage.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(datadict.DataPackageError, match="datapackage.json: cannot be read as JSON"):
        datadict.generate(bad)
    bad.write_text(json.dumps({"resources": [{"name": "x", "path": "x.csv", "schema": {}}]}))
    with pytest.raises(datadict.DataPackageError, match="resource 'x' has no schema.fields"):
        datadict.generate(bad)


def test_the_real_datapackage_gives_a_page_per_table():
    root = Path(__file__).resolve().parents[2]
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    pages, index = datadict.generate(root / "data" / "datapackage.json")
    assert [p.name for p in pages] == [r["name"] for r in package["resources"]]
    events = next(p for p in pages if p.name == "events").text
    assert "#ref-" in events and "Sources cited by its rows" in events


# ------------------------------------------------------------------------ bibliography
def test_the_bibliography_lists_every_source_sorted_with_its_anchor_and_url(tmp_path):
    _write_csv(tmp_path / "sources.csv", SOURCES)
    rows = bibliography.read_sources(tmp_path / "sources.csv")
    page = bibliography.page(rows)
    assert page.startswith("# Bibliography\n") and "2 entries" in page
    assert '<span id="ref-abe_2021"></span>**Abe 2021**' in page
    assert '<span id="ref-zed_2020"></span>**Zed 2020**' in page
    assert page.index("ref-abe_2021") < page.index("ref-zed_2020"), "sorted by author-year"
    assert "<https://example.org/zed>" in page
    assert "*(party claim)*" in page


def test_a_sources_file_with_a_gap_is_reported_by_row_and_column(tmp_path):
    rows = [dict(SOURCES[0]), {**SOURCES[1], "short": ""}]
    _write_csv(tmp_path / "sources.csv", rows)
    with pytest.raises(bibliography.SourcesFileError, match=r"row 3: column 'short' is empty"):
        bibliography.read_sources(tmp_path / "sources.csv")
    _write_csv(tmp_path / "sources.csv", [{"source_id": "a", "short": "A"}])
    with pytest.raises(bibliography.SourcesFileError, match="missing column"):
        bibliography.read_sources(tmp_path / "sources.csv")


# ------------------------------------------------------------------------ notebooks -> course map
def _notebook(path: Path, cells: list[str]) -> Path:
    path.write_text(json.dumps({
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": c} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }), encoding="utf-8")
    return path


LESSON_FIRST = """# Lesson 7 — Testing the map

A short opening paragraph
on two lines.

Estimated time: 40 minutes

## Learning objectives
By the end you will be able to:
- **explain** one thing;
- **compute** another thing
  that wraps onto a second line.

## Prerequisites
None.
"""


def test_lesson_metadata_comes_from_the_first_cell_and_the_key_points(tmp_path):
    path = _notebook(tmp_path / "07_map.ipynb", [LESSON_FIRST, "## Key points\n- One.\n- Two [@abe_2021].\n\n## Next\n- not a point"])
    meta = notebook_meta.read(path)
    assert meta.title == "Lesson 7 — Testing the map"
    assert meta.time == "40 minutes"
    assert meta.number == "07"
    assert meta.summary == "A short opening paragraph on two lines."
    assert meta.objectives == ["**explain** one thing;", "**compute** another thing that wraps onto a second line."]
    assert meta.key_points == ["One.", "Two [@abe_2021]."]


@pytest.mark.parametrize("first, message", [
    ("Lesson without a title\n\nEstimated time: 5 minutes", "should start with a '# Title'"),
    ("# Title\n\nNo time here.\n\n## Learning objectives\n- a", "no 'Estimated time"),
    ("# Title\n\nEstimated time: 5 minutes\n", "no '## Learning objectives'"),
])
def test_a_lesson_missing_a_part_names_the_notebook_and_the_part(tmp_path, first, message):
    path = _notebook(tmp_path / "08_bad.ipynb", [first, "## Key points\n- x"])
    with pytest.raises(notebook_meta.NotebookMetaError, match=message) as info:
        notebook_meta.read(path)
    assert "08_bad.ipynb" in str(info.value)


README = """# Course

**The question?**

Intro paragraph.

## Start in two commands

Run `pip install`.

## Troubleshooting

- It broke: try again.
"""


def test_the_course_map_lists_each_lesson_with_time_objectives_and_its_exercises(tmp_path):
    lesson = notebook_meta.read(_notebook(tmp_path / "07_map.ipynb", [LESSON_FIRST, "## Key points\n- One."]))
    exercise = notebook_meta.read(
        _notebook(tmp_path / "07_set.ipynb", ["# Exercise set 07 — Maps\n\nDo it.\n\nEstimated time: 90 minutes"]),
        need_key_points=False,
    )
    page = coursemap.landing_page(README, [lesson], {"07": exercise})
    assert page.startswith("# Breaking Ranks\n") and "**The question?**" in page and "Intro paragraph." in page
    assert "### [Lesson 7 — Testing the map](lessons/07_map.ipynb)" in page
    assert "**Time:** 40 minutes" in page
    assert "- **compute** another thing that wraps onto a second line." in page
    assert "[Exercise set 07 — Maps](exercises/07_set.ipynb) (90 minutes)" in page
    for entry in ("lessons/07_map", "exercises/07_set", "data/index", "bibliography", "install"):
        assert f"\n{entry}\n" in page, f"{entry} missing from the navigation"


def test_the_install_page_is_readmes_own_steps_with_a_binder_section():
    page = coursemap.install_page(README)
    assert "Run `pip install`." in page and "- It broke: try again." in page
    assert "(binder)=\n## Open it on Binder" in page
    linked = coursemap.install_page(README, "https://binder.example/v2/gh/o/r/HEAD")
    assert "[Open the course on Binder](https://binder.example/v2/gh/o/r/HEAD)" in linked
    with pytest.raises(coursemap.ReadmeSectionError, match="no '## Troubleshooting'"):
        coursemap.install_page("# Course\n\n## Start in two commands\n\nx\n")


def test_the_glance_box_shows_time_exercise_set_and_key_points(tmp_path):
    lesson = notebook_meta.read(_notebook(tmp_path / "07_map.ipynb", [LESSON_FIRST, "## Key points\n- One.\n- Two."]))
    exercise = notebook_meta.read(
        _notebook(tmp_path / "07_set.ipynb", ["# Exercise set 07 — Maps\n\nEstimated time: 90 minutes"]),
        need_key_points=False,
    )
    box = stage.glance_cell(lesson, exercise)["source"]
    assert box.startswith(":::{admonition} This lesson at a glance")
    assert "**Time:** 40 minutes" in box and "(../exercises/07_set.ipynb)" in box
    assert "- One.\n- Two." in box


# ------------------------------------------------------------------------ citations on the site
def test_citation_keys_become_author_year_links_to_the_bibliography():
    shorts = {"abe_2021": "Abe & Co 2021", "zed_2020": "Zed 2020"}
    text = "As shown [@abe_2021; @zed_2020], and again [@abe_2021]. Unknown [@nobody_1999] stays."
    out = stage.link_citations(text, shorts, "../bibliography.html")
    assert ('(<a href="../bibliography.html#ref-abe_2021">Abe &amp; Co 2021</a>; '
            '<a href="../bibliography.html#ref-zed_2020">Zed 2020</a>)') in out
    assert "[@nobody_1999]" in out, "an unknown key is left for the citation test to report"
    converted = stage.link_citations("[Zed 2020](#ref-zed_2020)", shorts, "../bibliography.html")
    assert converted == '<a href="#ref-zed_2020">Zed 2020</a>'


def test_in_page_reference_links_point_into_the_bibliography_when_moved_off_the_lesson():
    out = stage.link_citations("[Zed 2020](#ref-zed_2020)", {}, "bibliography.html", in_page=False)
    assert out == '<a href="bibliography.html#ref-zed_2020">Zed 2020</a>'


@pytest.mark.parametrize("line, time, short", [
    ("Estimated time: 50 minutes", "50 minutes", "50 minutes"),
    ("**Estimated time:** 35 minutes.", "35 minutes", "35 minutes"),
    ("Time: about 90 minutes (measured: a new user who had used Python twice worked the whole set)",
     "about 90 minutes (measured: a new user who had used Python twice worked the whole set)",
     "about 90 minutes (measured)"),
    ("Estimated time: about 85 minutes (not measured: the timed run of two other sets works out at this)",
     "about 85 minutes (not measured: the timed run of two other sets works out at this)",
     "about 85 minutes (estimated)"),
    ("Estimated time: 60 minutes (plus the seminar debate)", "60 minutes (plus the seminar debate)",
     "60 minutes (plus the seminar debate)"),
])
def test_a_notebooks_time_is_read_in_either_wording_and_shortened_for_the_map(tmp_path, line, time, short):
    path = _notebook(tmp_path / "09_set.ipynb", [f"# Exercise set 09 — Times\n\nWhat it is.\n\n{line}\n"])
    meta = notebook_meta.read(path, need_key_points=False)
    assert (meta.time, meta.short_time, meta.summary) == (time, short, "What it is.")
