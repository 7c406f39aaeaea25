"""The site test's decisions, without a browser: links, pages, audit lines, skips, server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import browser_support as bs
import site_helpers as sh


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def small_site(tmp_path) -> Path:
    _write(tmp_path, "index.html", '<a href="lessons/one.html#intro">one</a> <a href="https://x.org/">out</a>'
                                   '<a href="mailto:a@b.c">mail</a> <a href="#top" id="top">top</a>'
                                   '<form action="search.html"><input name="q"></form>')  # fmt: skip
    _write(tmp_path, "lessons/one.html", '<h1 id="intro">One</h1><a href="../index.html">home</a>'
                                         '<a href="two.html#nowhere">two</a><a name="old"></a>')  # fmt: skip
    _write(tmp_path, "lessons/two.html", '<p id="here">two</p><a href="missing.html">gone</a>')
    _write(tmp_path, "search.html", "<p>reached through the search form only</p>")
    _write(tmp_path, "orphan.html", "<p>no one links here</p>")
    _write(tmp_path, "_static/widget.html", "<p>an asset, not a page</p>")
    _write(tmp_path, "_sources/index.html", "<p>a source copy, not a page</p>")
    return tmp_path


# -- links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "page", "expected"),
    [
        ("lessons/one.html", "index.html", sh.Target("lessons/one.html", "")),
        ("../index.html#top", "lessons/one.html", sh.Target("index.html", "top")),
        ("#a%20b", "lessons/one.html", sh.Target("lessons/one.html", "a b")),
        ("/data/", "lessons/one.html", sh.Target("data/index.html", "")),
        ("./", "lessons/one.html", sh.Target("lessons/index.html", "")),
        ("two.html?x=1#y", "lessons/one.html", sh.Target("lessons/two.html", "y")),
        ("../../up.html", "lessons/one.html", sh.Target("../up.html", "")),
        ("https://example.org/a.html", "index.html", None),
        ("mailto:someone@example.org", "index.html", None),
        ("javascript:void(0)", "index.html", None),
        ("//cdn.example.org/x.js", "index.html", None),
    ],
)
def test_resolve_link(href, page, expected):
    assert sh.resolve_link(href, page) == expected


def test_a_link_above_the_root_does_not_exist(small_site):
    assert not sh.target_exists(small_site, sh.Target("../index.html", ""))
    assert sh.target_exists(small_site, sh.Target("lessons/one.html", ""))
    assert sh.target_exists(small_site, sh.Target("lessons", "")) is False  # no lessons/index.html


def test_broken_links_names_page_link_and_reason(small_site):
    pages = {p: sh.parse_html((small_site / p).read_text()) for p in sh.walk_pages(small_site)}
    failures = sh.broken_links(small_site, pages)
    assert failures == [
        "lessons/one.html: link 'two.html#nowhere' -> no element with id 'nowhere' on lessons/two.html",
        "lessons/two.html: link 'missing.html' -> lessons/missing.html does not exist",
    ]


def test_fragment_found_by_a_name_and_by_ids_a_script_added(small_site):
    pages = {"index.html": sh.ParsedPage(links=["lessons/one.html#old", "lessons/one.html#late"]),
             "lessons/one.html": sh.ParsedPage(ids={"late"})}  # fmt: skip
    # "old" is an <a name> in the file, but the rendered page given here wins: only "late".
    assert sh.broken_links(small_site, pages) == [
        "index.html: link 'lessons/one.html#old' -> no element with id 'old' on lessons/one.html"
    ]
    # Not visited: the target is parsed from its file, where <a name="old"> counts.
    assert sh.broken_links(small_site, {"index.html": sh.ParsedPage(links=["lessons/one.html#old"])}) == []


def test_walk_skips_asset_folders_and_crawl_finds_orphans(small_site):
    walked = sh.walk_pages(small_site)
    assert walked == ["index.html", "lessons/one.html", "lessons/two.html", "orphan.html", "search.html"]
    crawled = sh.crawl(small_site)
    assert crawled == ["index.html", "lessons/one.html", "lessons/two.html", "search.html"]
    assert sorted(set(walked) - set(crawled)) == ["orphan.html"]


def test_local_href():
    origin = "http://127.0.0.1:8123"
    assert sh.local_href("http://127.0.0.1:8123/a/b.html#x", origin) == "/a/b.html#x"
    assert sh.local_href("http://127.0.0.1:8123", origin) == "/"
    assert sh.local_href("http://127.0.0.1:9999/a.html", origin) is None
    assert sh.local_href("https://example.org/", origin) is None


def test_same_origin():
    origin = "http://127.0.0.1:8123"
    assert bs.same_origin("http://127.0.0.1:8123/x.js", origin)
    assert bs.same_origin("data:image/png;base64,AAAA", origin)
    assert not bs.same_origin("http://127.0.0.1:8124/x.js", origin)
    assert not bs.same_origin("http://localhost:8123/x.js", origin)
    assert not bs.same_origin("https://cdn.jsdelivr.net/npm/vega@6", origin)


# -- lessons ----------------------------------------------------------------------------


def _notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    nb = {"cells": [{"cell_type": t, "source": s, "metadata": {}} for t, s in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_lesson_pages_and_panel_calls(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    one = _notebook(lessons / "01_one.ipynb", [("markdown", "# One"),
                    ("code", "cases_panel()"), ("code", "x = 1\ncascade_panel(steps=3)"),
                    ("code", "# not a call: my_panel")])  # fmt: skip
    _notebook(lessons / "02_two.ipynb", [("markdown", "# Two")])
    pages = ["index.html", "lessons/01_one.html", "exercises/02_two.html"]
    assert sh.lesson_pages(pages, lessons) == {"01_one": "lessons/01_one.html", "02_two": None}
    assert sh.panel_calls(one) == 2


def test_words_unique_to(tmp_path):
    a = _notebook(tmp_path / "a.ipynb", [("markdown", "Breaking the brainwash, said a soldier."),
                                          ("code", "codeword = 1")])  # fmt: skip
    b = _notebook(tmp_path / "b.ipynb", [("markdown", "A soldier spoke."), ("code", "print('said')")])
    assert sh.words_unique_to(a, [b]) == {"breaking", "the", "brainwash"}


# -- the audit --------------------------------------------------------------------------


def test_axe_failures_keep_serious_critical_and_fixed_rules_with_targets():
    violations = [
        {"id": "color-contrast", "impact": "serious", "help": "Elements must meet contrast",
         "nodes": [{"target": [".a"]}, {"target": ["#b", "span"]}, {"target": [".c"]}, {"target": [".d"]}]},
        {"id": "region", "impact": "moderate", "help": "Content in landmarks", "nodes": [{"target": ["p"]}]},
        {"id": "image-alt", "impact": "critical", "help": "Images need alt text", "nodes": [{"target": ["img"]}]},
    ]  # fmt: skip
    lines = sh.axe_failures("lessons/01.html", violations)
    assert lines == [
        "lessons/01.html: [serious] color-contrast: Elements must meet contrast - 4 element(s): "
        ".a; #b span; .c (+1 more)",
        "lessons/01.html: [moderate] region: Content in landmarks - 1 element(s): p",
        "lessons/01.html: [critical] image-alt: Images need alt text - 1 element(s): img",
    ]
    other = {"id": "landmark-one-main", "impact": "moderate", "help": "One main", "nodes": []}
    assert sh.axe_failures("x.html", [other]) == []  # a moderate rule not yet fixed: a warning
    assert sh.fails_audit(violations[1]) and not sh.fails_audit(other)
    table = sh.axe_summary({"a.html": violations, "b.html": violations[1:2]})
    assert table["region"] == {"impact": "moderate", "pages": 2, "elements": 2}
    assert table["color-contrast"]["elements"] == 4


def test_axe_script_location():
    path = sh.axe_script({"XDG_CACHE_HOME": "/c"})
    assert path == Path("/c/breaking-ranks/axe-core") / sh.AXE_VERSION / "node_modules/axe-core/axe.min.js"
    assert sh.axe_script({"AXE_CORE_DIR": "/x"}).parts[:3] == ("/", "x", sh.AXE_VERSION)


def test_install_script_pins_the_same_axe_version():
    script = (Path(sh.__file__).parent / "install_axe.sh").read_text(encoding="utf-8")
    assert f'AXE_VERSION="{sh.AXE_VERSION}"' in script


# -- skips, fails, the site folder ------------------------------------------------------


def test_missing_tools_skip_at_home_and_fail_in_ci(tmp_path):
    assert bs.chromium_problem(tmp_path / "no-chromium", {})[0] == "skip"
    assert bs.chromium_problem(tmp_path / "no-chromium", {"CI": "true"})[0] == "fail"
    action, message = bs.chromium_problem(bs.CHROMIUM, {bs.SKIP_BROWSER_ENV: "1", "CI": "true"})
    assert action == "skip" and bs.SKIP_BROWSER_ENV in message
    assert bs.chromium_problem(tmp_path / "x", {bs.SKIP_BROWSER_ENV: "0"})[0] == "skip"  # 0 = not set


def test_missing_site_requirements(tmp_path, monkeypatch):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\npytest==0.0.1\nno-such-package-here==1.0\n\n-r other.txt\n", encoding="utf-8")
    monkeypatch.setattr(sh, "REPO_ROOT", tmp_path)
    missing = sh.missing_site_requirements(req)
    assert missing[0].startswith("pytest==0.0.1 (installed: ")
    assert missing[1] == "no-such-package-here==1.0"
    assert "not in this tree" in sh.missing_site_requirements(tmp_path / "nothing.txt")[0]


def test_site_dir_from_env(tmp_path):
    assert sh.site_dir_from_env({}) is None
    with pytest.raises(sh.SiteBuildError, match="has no index.html"):
        sh.site_dir_from_env({sh.SITE_DIR_ENV: str(tmp_path)})
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    assert sh.site_dir_from_env({sh.SITE_DIR_ENV: str(tmp_path)}) == tmp_path.resolve()


def test_static_server_serves_the_folder_with_module_types(small_site):
    _write(small_site, "_static/x.mjs", "export default 1;")
    with sh.StaticServer(small_site) as server:
        with urllib.request.urlopen(server.url("lessons/one.html"), timeout=5) as r:
            assert b'id="intro"' in r.read()
        with urllib.request.urlopen(server.url("_static/x.mjs"), timeout=5) as r:
            assert r.headers["Content-Type"].startswith("text/javascript")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url("missing.html"), timeout=5)
        assert err.value.code == 404


# -- the benchmark's report (tests/benchmarks/site.py) -----------------------------------


def _site_benchmark():
    import importlib.util

    path = sh.REPO_ROOT / "tests" / "benchmarks" / "site.py"
    spec = importlib.util.spec_from_file_location("_site_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_benchmark_table_sorts_slowest_first_and_reports_medians():
    bench = _site_benchmark()
    numbers = {"build_seconds": 39.7, "bytes": 5_470_000, "files": 171, "pages": 29}
    rows = [
        {"page": "lessons/a.html", "charts": 2, "first_chart_ms": 900.0, "load_ms": 1000.0, "problems": []},
        {"page": "lessons/b.html", "charts": 1, "first_chart_ms": 1500.0, "load_ms": 1600.0,
         "problems": ["HTTP 404: /x.js"]},
        {"page": "index.html", "charts": 0, "first_chart_ms": None, "load_ms": 300.0, "problems": []},
    ]  # fmt: skip
    lines = bench.format_table(numbers, rows).splitlines()
    assert lines[0] == "site build: 39.7 s (lessons executed)"
    assert lines[1] == "site size: 5.47 MB in 171 files, 29 HTML pages"
    body = [line for line in lines if "html" in line]
    assert [line.split()[-1] for line in body[:2]] == ["/x.js)", "lessons/a.html"]
    assert "lessons/b.html" in body[0] and "problems: HTTP 404" in body[0]
    assert body[2].split()[-1] == "index.html"
    assert any("1200.0 ms  median time to first chart over 2 pages" in line for line in lines)
    assert bench.format_table({**numbers, "build_seconds": None}, []).startswith("site size:")


def test_site_benchmark_rejects_a_folder_without_a_site(tmp_path, capsys):
    bench = _site_benchmark()
    if bs.chromium_problem(bs.CHROMIUM, {}) is not None:
        pytest.skip("the benchmark checks for chromium first")
    assert bench.main(["--site", str(tmp_path), "--repeat", "1"]) == 2
    assert "has no index.html" in capsys.readouterr().err
