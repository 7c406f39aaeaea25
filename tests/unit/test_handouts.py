"""Printable handouts: every lesson becomes one static HTML page with its charts as inline SVG.

The slow tests run real notebooks in fresh kernels (a few seconds each); the fast ones
check the print preparation and the command-line plumbing without a kernel.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import nbformat
import pytest

from defection import handouts, pdf

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "lessons").glob("*.ipynb"))

CHART_CELL = """\
import altair as alt
import pandas as pd
from defection.charts.theme import finish
df = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
finish(alt.Chart(df).mark_line().encode(x=alt.X("x:Q", title="X"), y=alt.Y("y:Q", title="Y")),
       title="Plain chart title", description="A small line chart.")"""

PANEL_CELL = """\
import ipywidgets as w
from defection.widgets.core import Panel
def bars(n):
    return finish(alt.Chart(pd.DataFrame({"k": list(range(n))})).mark_bar().encode(
        x=alt.X("k:O", title="K"), y=alt.Y("k:Q", title="Value")),
        title="Panel chart title", description=f"{n} bars.")
Panel({"n": w.IntSlider(value=4, min=1, max=9, description="n")}, render=bars,
      caption=lambda n: f"Showing {n} bars.", is_model=True, title="Demo panel")"""


def write_lesson(path: Path, *, broken: bool = False, title: str = "Handout test lesson") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n## Learning objectives\n- read a chart\n\nEstimated time: 5 minutes"
        ),
        nbformat.v4.new_code_cell("import defection\ndefection.setup()"),
        nbformat.v4.new_code_cell(CHART_CELL),
        nbformat.v4.new_markdown_cell(
            "## A panel\n\nNarrative paragraph that must survive [@kyed_2024]."
        ),
        nbformat.v4.new_code_cell(PANEL_CELL),
        nbformat.v4.new_markdown_cell("## Key points\n- done"),
    ]
    if broken:
        nb.cells.insert(3, nbformat.v4.new_code_cell("ratio = 1\nratio / 0"))
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


def titled_svgs(page: str) -> list[str]:
    """The title text of every inline SVG chart in a page (empty string if untitled)."""
    titles = []
    for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S):
        m = re.search(r'role-title-text"[^>]*>\s*<text[^>]*>([^<]+)</text>', svg)
        titles.append(html_lib.unescape(m.group(1)).strip() if m else "")
    return titles


def assert_clean(page: str) -> None:
    assert "Traceback (most recent call last)" not in page
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page
    assert not re.search(r"\b[A-Z]\w*(Error|Exception): ", page), "an error message is in the page"
    # Charts must not depend on scripts: no live Vega or widget payloads, no widget manager.
    assert "application/vnd.vegalite" not in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    # Nothing is fetched from the web when the page opens, except MathJax for pages with maths.
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    assert all("mathjax" in s.lower() for s in scripts), scripts
    assert "import(" not in page and "require.min.js" not in page


def first_heading(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#+\s+(.+)$", cell.source, flags=re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    raise AssertionError(f"{path.name} has no heading")


# --------------------------------------------------------------------------- slow: kernels


@pytest.mark.slow
def test_synthetic_lesson_becomes_static_page(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    write_lesson(lessons / "00_demo.ipynb")
    out = tmp_path / "out"
    want_pdf = pdf.find_chromium() is not None
    lines: list[str] = []

    found = handouts.find_lessons(lessons)
    results = handouts.build_handouts(found, out, pdf=want_pdf, log=lines.append)

    assert [r.lesson for r in results] == ["00_demo.ipynb"]
    result = results[0]
    assert result.ok, (result.error, result.problems)
    assert sorted(p.name for p in out.glob("*.html")) == ["00_demo.html"]
    page = (out / "00_demo.html").read_text(encoding="utf-8")
    assert_clean(page)
    assert "<title>Handout test lesson</title>" in page
    assert "Narrative paragraph that must survive (Kyed 2024)." in page
    # both charts, the plain one and the panel's, are inline SVG with their titles
    assert result.charts == 2
    assert titled_svgs(page) == ["Plain chart title", "Panel chart title"]
    assert "Showing 4 bars." in page  # the panel's caption at its default setting
    assert "forecasts nothing" in page  # the model disclaimer is printed too
    assert "ipywidgets" not in page  # code is left out by default
    assert "<script" not in page.split("</head>")[0]  # no maths here, so no scripts at all
    assert any("00_demo.ipynb" in line and " ok " in line for line in lines)
    assert lines[-1].startswith("Summary: 1 of 1 handouts")
    if want_pdf:
        assert result.pdf is not None and result.pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_broken_lesson_is_named_with_its_cell_and_others_still_built(tmp_path, capsys):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    write_lesson(lessons / "00_broken.ipynb", broken=True)  # runs first
    write_lesson(lessons / "01_fine.ipynb", title="The fine lesson")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "00_broken.html").write_text("stale page from an earlier run")

    code = handouts.main(["--lessons-dir", str(lessons), "--out", str(out), "--with-code"])

    printed = capsys.readouterr().out
    assert code == 1
    assert "00_broken.ipynb FAILED at cell 4 of 7: ZeroDivisionError: division by zero" in printed
    assert "that cell starts: ratio = 1" in printed
    assert "FAILED  00_broken.ipynb (cell 4)" in printed  # repeated in the summary
    assert "Summary: 1 of 2 handouts" in printed
    assert not (out / "00_broken.html").exists()  # no stale page left looking current
    page = (out / "01_fine.html").read_text(encoding="utf-8")
    assert_clean(page)
    assert "The fine lesson" in page
    assert "ipywidgets" in page  # --with-code keeps the code cells
    assert titled_svgs(page) == ["Plain chart title", "Panel chart title"]


@pytest.mark.slow
def test_endless_cell_is_reported_as_a_timeout(tmp_path):
    lesson = write_lesson(tmp_path / "00_slow.ipynb")
    nb = nbformat.read(lesson, as_version=4)
    # first code cell, so that a busy machine's slow imports cannot be what times out
    nb.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(nb, lesson)

    result = handouts.build_handout(lesson, tmp_path / "out", timeout=3)

    assert result.error is not None and result.html is None
    assert result.error.cell == 2 and "timed out" in result.error.reason
    assert result.error.source == "import time"
    assert result.seconds < 120


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS or [None], ids=[p.stem for p in LESSONS] or ["none"])
def test_course_lesson_handout(lesson, tmp_path):
    if lesson is None:
        pytest.skip("no lessons in lessons/ yet")
    result = handouts.build_handout(lesson, tmp_path)
    assert result.error is None, str(result.error)
    assert result.ok, result.problems
    assert [p.name for p in tmp_path.glob("*.html")] == [f"{lesson.stem}.html"]
    page = result.html.read_text(encoding="utf-8")
    assert_clean(page)
    assert html_lib.escape(first_heading(lesson), quote=False) in page
    titles = titled_svgs(page)
    assert result.charts >= 1, "a lesson handout should show at least one chart"
    assert len(titles) >= result.charts, "a chart of the lesson is missing from the page"
    assert all(titles), f"an inline chart has no title: {titles}"


# --------------------------------------------------------------------------- fast: no kernel


def test_print_preparation_replaces_live_outputs():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Live spec title",
        "data": {"values": [{"a": 1}, {"a": 2}]},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.vegalite.v5+json": spec, "text/plain": "chart"}
        ),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("stream", name="stdout", text="kept line\n"),
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                "text/plain": "IntSlider()",
            },
        ),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code]
    nb.metadata["widgets"] = {"state": {}}

    counts = handouts.prepare_for_print(nb, source="lessons/x.ipynb", today="2026-01-01")

    assert counts == {"charts": 1, "widgets": 1, "warnings": 1, "undrawable": 0}
    assert "widgets" not in nb.metadata
    outs = nb.cells[2].outputs  # the printed-copy note went in after the title cell
    assert "2026-01-01" in nb.cells[1].source
    assert "<svg" in outs[0].data["image/svg+xml"]
    assert not any(k.startswith("application/vnd.vegalite") for k in outs[0].data)
    assert [o.output_type for o in outs] == ["display_data", "stream", "display_data"]
    assert outs[1].text == "kept line\n"
    assert "open the notebook" in outs[2].data["text/markdown"]
    page = handouts.export_html(nb, title="Title")
    assert titled_svgs(page) == ["Live spec title"]
    assert "viewBox=" in page and "noisy" not in page


def test_mathjax_only_for_pages_with_maths():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T\n\nA budget of US$2.7 billion; $5 and $10.")]
    assert not handouts.has_maths(nb)
    assert "mathjax" not in handouts.export_html(nb, title="T").lower()
    nb.cells.append(nbformat.v4.new_markdown_cell("The odds are $p / (1 - p)$."))
    assert handouts.has_maths(nb)
    assert "mathjax" in handouts.export_html(nb, title="T").lower()


def test_find_lessons_by_number_name_or_path(tmp_path):
    for stem in ("00_start_here", "01_regime_cohesion", "03_defection_motivations"):
        (tmp_path / f"{stem}.ipynb").write_text("{}")
    other = tmp_path / "elsewhere.ipynb"
    other.write_text("{}")
    names = lambda paths: [p.name for p in paths]  # noqa: E731
    assert names(handouts.find_lessons(tmp_path)) == [
        "00_start_here.ipynb", "01_regime_cohesion.ipynb", "03_defection_motivations.ipynb",
        "elsewhere.ipynb",
    ]
    picked = handouts.find_lessons(tmp_path, ["3", "00_start_here", "01_regime_cohesion.ipynb"])
    assert names(picked) == [
        "03_defection_motivations.ipynb", "00_start_here.ipynb", "01_regime_cohesion.ipynb"
    ]
    assert names(handouts.find_lessons(tmp_path, [str(other)])) == ["elsewhere.ipynb"]
    with pytest.raises(FileNotFoundError, match="no lesson matches .7."):
        handouts.find_lessons(tmp_path, ["7"])


def test_unknown_lesson_is_a_usage_error(tmp_path, capsys):
    assert handouts.main(["--lessons-dir", str(tmp_path), "--out", str(tmp_path / "o"), "9"]) == 2
    assert "no lesson matches '9'" in capsys.readouterr().err
    assert handouts.main(["--lessons-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 2


def test_pdf_is_skipped_with_a_reason_when_no_browser(tmp_path, monkeypatch):
    monkeypatch.setenv("DEFECTION_CHROMIUM", str(tmp_path / "no-such-browser"))
    lines: list[str] = []
    results = handouts.build_handouts([], tmp_path, pdf=True, log=lines.append)
    assert results == []
    assert lines[0].startswith("PDF: skipped - no chromium")
    assert "HTML handouts are still made" in lines[0]


def test_citation_keys_print_as_author_year():
    shorts = {"kyed_2024": "Kyed 2024", "lee_mccarthy_2023": "Lee & McCarthy 2023"}
    text = "One [@kyed_2024]. Two [@lee_mccarthy_2023; @kyed_2024]. Odd [@nobody_1999]. Mail a@b.c"
    assert handouts.format_citations(text, shorts) == (
        "One (Kyed 2024). Two (Lee & McCarthy 2023; Kyed 2024). Odd [@nobody_1999]. Mail a@b.c"
    )


def test_lesson_title_is_first_heading():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# a comment, not a heading"),
                nbformat.v4.new_markdown_cell(
                    "Intro\n\n# Lesson 1: *Regime* cohesion\n## Learning objectives")]
    assert handouts.lesson_title(nb, fallback="x") == "Lesson 1: Regime cohesion"
    assert handouts.lesson_title(nbformat.v4.new_notebook(), fallback="01_x") == "01_x"


def test_without_vl_convert_the_command_says_how_to_add_it(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_vl_convert(name, *args, **kwargs):
        if name == "vl_convert":
            raise ImportError("No module named 'vl_convert'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_vl_convert)
    assert handouts.main(["01"]) == 2
    err = capsys.readouterr().err
    assert "vl-convert" in err and "pip install" in err
