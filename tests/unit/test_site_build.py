"""The whole course website, built once into tmp_path: complete, offline, no solutions.

Marked ``site`` (``pytest -m site``): it runs every lesson in a fresh kernel, about half a
minute here. The browser test and accessibility audit of the same build live in tests/site/.
"""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytest.importorskip("sphinx", reason="the site tools are not installed (pip install -r defection/site/requirements.txt)")
pytest.importorskip("myst_nb", reason="the site tools are not installed (pip install -r defection/site/requirements.txt)")

from defection.site import build, build_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return build_report(tmp_path_factory.mktemp("site") / "out")


@pytest.fixture(scope="module")
def site(report) -> Path:
    return report.out_dir


def test_the_build_has_no_sphinx_warnings(report):
    assert report.warnings == [], "Sphinx warned:\n" + "\n".join(report.warnings[:10])


class _Page(HTMLParser):
    """Collects a page's ids, links (href/src with the tag) and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, name, attributes[name], attributes))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _normal(text: str) -> str:
    return " ".join(html.unescape(text).split())


def test_the_build_returns_the_folder_holding_index_html(site):
    assert site.is_absolute() and (site / "index.html").is_file()
    assert (site / "search.html").is_file() and (site / "searchindex.js").is_file()
    assert (site / ".nojekyll").is_file(), "GitHub Pages would hide _static/ without it"


def test_every_lesson_exercise_set_data_table_and_source_has_its_page(site):
    for folder in ("lessons", "exercises"):
        for notebook in sorted((ROOT / folder).glob("*.ipynb")):
            assert (site / folder / f"{notebook.stem}.html").is_file(), f"{folder}/{notebook.name} has no page"
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (site / "data" / "tables" / f"{resource['name']}.html").is_file(), resource["name"]
    assert (site / "data" / "tables" / "index.html").is_file() and (site / "data" / "index.html").is_file()
    bibliography = _parse(site / "bibliography.html")
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        keys = [row["source_id"] for row in csv.DictReader(handle)]
    missing = [k for k in keys if f"ref-{k}" not in bibliography.ids]
    assert not missing, f"bibliography lacks anchors for {missing[:5]}"


def test_no_page_loads_a_script_style_sheet_or_font_from_elsewhere(site):
    remote = re.compile(r"^(https?:)?//", re.IGNORECASE)
    for path in _pages(site):
        for tag, attr, value, attributes in _parse(path).links:
            loads = tag in ("script", "img", "iframe", "source", "audio", "video") or (
                tag == "link" and attributes.get("rel") not in ("canonical",)
            )
            if loads and remote.match(value.strip()):
                pytest.fail(f"{path.relative_to(site)} loads <{tag} {attr}={value!r}> from the network")
    for sheet in list(site.rglob("*.css")) + list(site.rglob("*.js")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"@import\s+(url\()?['\"]?https?://|url\(\s*['\"]?https?://|fonts\.googleapis", text)
        assert found is None, f"{sheet.relative_to(site)} fetches {found.group(0)!r}"


def test_no_script_or_style_sheet_points_to_a_missing_source_map(site):
    for sheet in list((site / "_static").rglob("*.js")) + list((site / "_static").rglob("*.css")):
        found = re.search(r"sourceMappingURL=(\S+?)(\s*\*/)?\s*$", sheet.read_text(encoding="utf-8"))
        if found:
            assert (sheet.parent / found.group(1)).exists(), f"{sheet.relative_to(site)} names a missing map"


def test_every_local_link_and_anchor_on_every_page_exists(site):
    ids: dict[Path, set[str]] = {}
    broken: list[str] = []
    for path in _pages(site):
        page = _parse(path)
        ids.setdefault(path.resolve(), page.ids)
        for tag, attr, value, _attributes in page.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: <{tag} {attr}={value!r}> (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _parse(target).ids
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{path.relative_to(site)}: {value!r} (no id {parts.fragment!r} there)")
    assert not broken, "broken links:\n" + "\n".join(broken[:20])


def _solution_fragments() -> list[str]:
    """Text that only the worked solutions hold: the bodies of their SOLUTION blocks."""
    code_block = re.compile(r"#\s*BEGIN SOLUTION.*?\n(.*?)#\s*END SOLUTION", re.DOTALL)
    text_block = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->(.*?)<!--\s*END SOLUTION\s*-->", re.DOTALL)
    public = ""
    for folder in ("exercises", "lessons"):
        for notebook in (ROOT / folder).glob("*.ipynb"):
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            public += "\n".join("".join(c["source"]) for c in cells)
    public = _normal(public)
    fragments: list[str] = []
    for notebook in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            blocks = code_block.findall(source) + text_block.findall(source)
            for block in blocks:
                block = re.sub(r"\[@[^\]]*\]", "\n", block)  # citations are rewritten on the site
                for piece in re.split(r"\n|(?<=[.;:!?])\s", block):
                    piece = _normal(piece.strip(" *_-#>"))
                    if len(piece) >= 30 and piece not in public:
                        fragments.append(piece)
    return fragments


def test_no_worked_solution_reaches_the_site(site):
    fragments = _solution_fragments()
    assert len(fragments) > 50, "the solution markers changed: this test would find nothing"
    for path in _pages(site):
        text = _normal(" ".join(_parse(path).text))
        leaked = [f for f in fragments if f in text]
        assert not leaked, f"{path.relative_to(site)} shows solution text: {leaked[0]!r}"


def test_lessons_show_time_key_points_and_drawn_charts_with_descriptions(site):
    for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
        path = site / "lessons" / f"{notebook.stem}.html"
        raw = path.read_text(encoding="utf-8")
        page = _parse(path)
        text = _normal(" ".join(page.text))
        assert "This lesson at a glance" in text and "Time:" in text and "Key points" in text, notebook.name
        hosts = re.findall(r'data-course-chart-spec="([^"]+)"', raw)
        assert hosts, f"{notebook.name}: no chart on its page"
        for host in hosts:
            assert host in page.ids, f"{notebook.name}: chart {host} has no spec"
            body = raw.split(f'id="{host}">', 1)[1].split("</script>", 1)[0]
            spec = json.loads(body)
            assert str(spec.get("description", "")).strip(), f"{notebook.name}: a chart lacks its description"
        assert "This panel is interactive when you run the lesson" in text, notebook.name
        assert "[@" not in text, f"{notebook.name}: a raw citation key is shown"
        assert "Traceback" not in text and "output traceback" not in raw, f"{notebook.name} shows an error"
        assert "output stderr" not in raw, f"{notebook.name} shows a warning printed while it ran"


def test_the_chart_bundle_loads_only_on_pages_with_charts(site):
    for path in _pages(site):
        raw = path.read_text(encoding="utf-8")
        has_chart = "data-course-chart-spec=" in raw
        assert ("course_chart.site.js" in raw) == has_chart, path.relative_to(site)
        assert "course_site_charts.js" in raw, f"{path.relative_to(site)} would never report its charts drawn"


def test_every_disclosure_toggle_has_a_name_and_no_style_sheet_imports_another(site):
    for path in _pages(site):
        for summary in re.findall(r"<summary[^>]*>.*?</summary>", path.read_text(encoding="utf-8"), re.DOTALL):
            text = re.sub(r"<[^>]+>", "", summary).strip()
            assert text or "aria-label=" in summary, f"{path.relative_to(site)}: unnamed toggle {summary[:80]}"
    for sheet in (site / "_static").rglob("*.css"):
        assert "@import" not in sheet.read_text(encoding="utf-8"), f"{sheet.relative_to(site)} imports a sheet"


def test_the_search_index_holds_a_word_from_lesson_03(site):
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert '"kappa"' in index, "Cohen's kappa (lesson 03) is not searchable"
    assert "lessons/03_defection_motivations" in index


def test_a_second_build_replaces_the_first_and_a_foreign_folder_is_refused(site, tmp_path):
    stray = site / "left-over.html"
    stray.write_text("old", encoding="utf-8")
    again = build(site, execute=False)
    assert again == site and not stray.exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    from defection.site.builder import SiteBuildError

    with pytest.raises(SiteBuildError, match="not empty and does not hold an earlier build"):
        build(foreign, execute=False)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
