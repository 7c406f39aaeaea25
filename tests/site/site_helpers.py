"""Helpers for the website test: get the built site, serve it, list its pages, judge links.

Kept apart from the test so that the decisions (which pages exist, which links are
broken, which audit results fail) are pure functions with their own unit tests
(test_site_decisions.py), and so that the benchmark (tests/benchmarks/site.py) reuses
the same build and server. Serve a built site by hand while developing::

    .venv/bin/python tests/site/site_helpers.py /path/to/site    # prints the URL
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
import browser_support as bs  # noqa: E402

REPO_ROOT = TESTS.parent
#: Set to a folder that holds a built site (with index.html) to test it instead of building
#: one: CI builds once and hands the folder to the test and the benchmark.
SITE_DIR_ENV = "BREAKING_RANKS_SITE_DIR"
SITE_REQUIREMENTS = REPO_ROOT / "defection" / "site" / "requirements.txt"

#: axe-core, pinned here and in install_axe.sh (change both together).
AXE_VERSION = "4.14.1"
AXE_DIR_ENV = "AXE_CORE_DIR"
AXE_INSTALL = "sh tests/site/install_axe.sh"
#: The impacts that fail the audit; "moderate" and "minor" are reported, not failed ...
AXE_FAILING_IMPACTS = ("serious", "critical")
#: ... except the moderate and minor rules the site has fixed (defection/site/page_fixes.py,
#: course_site_charts.js): these fail the audit too, so that they stay fixed.
AXE_FIXED_RULES = ("heading-order", "region", "empty-table-header")

#: Folders of a Sphinx build that hold files, not pages.
NOT_PAGES = ("_static", "_sources", "_images", "_downloads")


# -- Getting the site ----------------------------------------------------------------------


def missing_site_requirements(path: Path = SITE_REQUIREMENTS) -> list[str]:
    """The site's pinned dependencies that are not installed (each as ``name==version``,
    with what is installed instead, if anything); ``["<path> (...)"]`` if the site module
    or its requirements file is absent."""
    if not path.is_file():
        return [f"{path.relative_to(REPO_ROOT)} (the site build, defection/site, is not in this tree)"]
    missing = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(==\s*([^\s;]+))?", line)
        if not match:
            continue
        name, pinned = match.group(1), match.group(3)
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(line)
            continue
        if pinned and have != pinned:
            missing.append(f"{line} (installed: {have})")
    return missing


class SiteBuildError(RuntimeError):
    """The site command failed or did not say where it wrote the site."""


def site_dir_from_env(env: Mapping[str, str] | None = None) -> Path | None:
    """The folder named by $BREAKING_RANKS_SITE_DIR, checked; ``None`` if it is not set."""
    env = os.environ if env is None else env
    value = env.get(SITE_DIR_ENV, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser().resolve()
    if not (folder / "index.html").is_file():
        raise SiteBuildError(
            f"{SITE_DIR_ENV}={value} has no index.html: build the site there first "
            "(python -m defection.site --out DIR) or unset the variable"
        )
    return folder


def build_site(out_dir: Path, *, timeout: float = 1800) -> Path:
    """Run the course's site command (``python -m defection.site --out DIR``) in a fresh
    interpreter and return the folder its last line of output names.

    A subprocess, not ``defection.site.build()`` in this process: the build executes every
    lesson in kernels and imports Sphinx, none of which should linger in the test session.
    """
    cmd = [sys.executable, "-m", "defection.site", "--out", str(out_dir)]
    try:
        done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise SiteBuildError(f"`{' '.join(cmd)}` did not finish within {timeout:.0f} s") from exc
    tail = "\n".join((done.stdout + "\n" + done.stderr).strip().splitlines()[-40:])
    if done.returncode != 0:
        raise SiteBuildError(f"the site build failed (exit {done.returncode}):\n{tail}")
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    folder = Path(lines[-1]) if lines else None
    if folder is None or not (folder / "index.html").is_file():
        raise SiteBuildError(
            "the site build finished, but its last line of output is not a folder with "
            f"index.html (got {lines[-1] if lines else 'no output'!r}):\n{tail}"
        )
    return folder.resolve()


# -- Serving it ----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; logs nothing (the browser reports failures, not the server)."""

    # .mjs and .wasm are not in every Python's mime table; a module script served as
    # text/plain is refused by the browser.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class StaticServer:
    """The site on http://127.0.0.1:<free port>/, served by a thread: what GitHub Pages or
    any web server does with the folder, with nothing to install."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", bs.free_port()), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="site-server")  # fmt: skip

    def url(self, rel: str = "") -> str:
        return f"{self.origin}/{rel.lstrip('/')}"

    def start(self) -> StaticServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- Pages and links (pure functions on the built files) ----------------------------------


@dataclass
class ParsedPage:
    """What the link checker needs of one HTML file: its link targets and its anchors."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.page.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.page.ids.add(attrs["name"])
        if tag in ("a", "area") and attrs.get("href") is not None:
            self.page.links.append(attrs["href"])
        if tag == "form" and attrs.get("action"):  # the search box leads to search.html
            self.page.links.append(attrs["action"])


def parse_html(text: str) -> ParsedPage:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.page


def walk_pages(site: Path) -> list[str]:
    """Every HTML page in the folder (relative POSIX paths), sorted; asset folders skipped."""
    pages = []
    for path in Path(site).rglob("*.html"):
        rel = path.relative_to(site)
        if rel.parts[0] in NOT_PAGES or any(p.startswith(".") for p in rel.parts):
            continue
        pages.append(rel.as_posix())
    return sorted(pages)


@dataclass(frozen=True)
class Target:
    """Where an internal link points: a file of the site (relative path) and a fragment."""

    path: str
    fragment: str


def resolve_link(href: str, page: str) -> Target | None:
    """The file and fragment an ``href`` on ``page`` (a relative path) points to, or
    ``None`` when it leaves the site (another host, ``mailto:``, ``javascript:`` ...).

    A link that climbs above the site's root keeps its ``..`` so that the check reports
    it as missing rather than quietly landing on the root.
    """
    href = href.strip()
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # http(s)://, mailto:, data:, javascript: ...: not a file of this site
    fragment = unquote(parts.fragment)
    if not parts.path:
        return Target(page, fragment)
    base = PurePosixPath(page).parent
    raw = unquote(parts.path)
    joined = PurePosixPath(raw.lstrip("/")) if raw.startswith("/") else base / raw
    stack: list[str] = []
    for piece in joined.parts:
        if piece in ("", "."):
            continue
        if piece == "..":
            if stack and stack[-1] != "..":
                stack.pop()
            else:
                stack.append("..")
            continue
        stack.append(piece)
    path = "/".join(stack)
    if raw.endswith("/") or not path:
        path = f"{path}/index.html" if path else "index.html"
    return Target(path, fragment)


def target_exists(site: Path, target: Target) -> bool:
    if target.path.split("/")[0] == "..":
        return False
    path = Path(site) / target.path
    return path.is_file() or (path.is_dir() and (path / "index.html").is_file())


def crawl(site: Path, start: str = "index.html") -> list[str]:
    """Pages reachable from ``start`` by following links in the HTML files, sorted."""
    site = Path(site)
    seen: set[str] = set()
    todo = [start]
    while todo:
        page = todo.pop()
        if page in seen or not (site / page).is_file():
            continue
        seen.add(page)
        parsed = parse_html((site / page).read_text(encoding="utf-8", errors="replace"))
        for href in parsed.links:
            target = resolve_link(href, page)
            if target is None:
                continue
            path = target.path
            if (site / path).is_dir():
                path = f"{path}/index.html"
            if path.endswith(".html") and path not in seen:
                todo.append(path)
    return sorted(seen)


def broken_links(site: Path, pages: Mapping[str, ParsedPage]) -> list[str]:
    """Every internal link that does not resolve, as "page: href -> why".

    ``pages`` maps each page to its links and anchors (from the rendered DOM, so links and
    ids that scripts add count too). A target page missing from ``pages`` is parsed from
    its file. A fragment must name an element's id (or an ``<a name>``) on the target page.
    """
    site = Path(site)
    cache: dict[str, ParsedPage] = dict(pages)
    failures = []
    for page, parsed in sorted(pages.items()):
        for href in sorted(set(parsed.links)):
            target = resolve_link(href, page)
            if target is None:
                continue
            if not target_exists(site, target):
                failures.append(f"{page}: link {href!r} -> {target.path} does not exist")
                continue
            if not target.fragment or not target.path.endswith(".html"):
                continue
            if target.path not in cache:
                text = (site / target.path).read_text(encoding="utf-8", errors="replace")
                cache[target.path] = parse_html(text)
            if target.fragment not in cache[target.path].ids:
                failures.append(
                    f"{page}: link {href!r} -> no element with id {target.fragment!r} "
                    f"on {target.path}"
                )
    return failures


def local_href(url: str, origin: str) -> str | None:
    """An absolute URL of the served site as a site-relative href ("/a/b.html#x")."""
    if not bs.same_origin(url, origin) or not url.startswith(origin):
        return None
    return url[len(origin):] or "/"


# -- Lessons: which pages they became, and what they must show ------------------------------


def lesson_pages(pages: Iterable[str], lessons_dir: Path = REPO_ROOT / "lessons") -> dict[str, str | None]:
    """Each lesson notebook's stem -> the site page built from it (a page named after the
    notebook in a folder called ``lessons``), or ``None`` if the site has no such page."""
    pages = list(pages)
    out: dict[str, str | None] = {}
    for nb in sorted(Path(lessons_dir).glob("*.ipynb")):
        found = [p for p in pages
                 if PurePosixPath(p).stem == nb.stem and "lessons" in PurePosixPath(p).parts]  # fmt: skip
        out[nb.stem] = found[0] if found else None
    return out


def panel_calls(notebook: Path) -> int:
    """How many code cells of a notebook show a widget panel (call ``something_panel(``):
    the site shows each as a static chart, so the page must have at least that many."""
    import json

    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    pattern = re.compile(r"\b\w+_panel\(")
    return sum(1 for c in cells if c["cell_type"] == "code" and pattern.search("".join(c["source"])))


def words_unique_to(notebook: Path, others: Iterable[Path]) -> set[str]:
    """Lower-case words of a notebook's markdown that no other notebook's text contains."""
    import json

    def words(path: Path, markdown_only: bool) -> set[str]:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        text = " ".join("".join(c["source"]) for c in cells
                        if not markdown_only or c["cell_type"] == "markdown")  # fmt: skip
        return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}

    seen_elsewhere = set().union(*(words(p, False) for p in others)) if others else set()
    return words(notebook, True) - seen_elsewhere


# -- The accessibility audit ----------------------------------------------------------------


def axe_script(env: Mapping[str, str] | None = None) -> Path:
    """Where install_axe.sh puts axe.min.js (the file may not exist yet)."""
    env = os.environ if env is None else env
    base = env.get(AXE_DIR_ENV, "").strip()
    if not base:
        cache = env.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
        base = str(Path(cache) / "breaking-ranks" / "axe-core")
    return Path(base).expanduser() / AXE_VERSION / "node_modules" / "axe-core" / "axe.min.js"


def fails_audit(violation: dict) -> bool:
    """Serious or critical, or a rule the site has fixed (``AXE_FIXED_RULES``)."""
    return violation.get("impact") in AXE_FAILING_IMPACTS or violation.get("id") in AXE_FIXED_RULES


def axe_failures(page: str, violations: list[dict], *, max_targets: int = 3) -> list[str]:
    """One readable line per failing axe violation (impact serious or critical, or one of
    the rules the site has fixed) on a page:
    the page, the rule, its impact, axe's help text, how many elements and the first
    targets' CSS selectors (what a developer needs to find and fix it)."""
    lines = []
    for v in violations:
        if not fails_audit(v):
            continue
        nodes = v.get("nodes", [])
        targets = [" ".join(map(str, n.get("target", []))) for n in nodes[:max_targets]]
        more = f" (+{len(nodes) - max_targets} more)" if len(nodes) > max_targets else ""
        lines.append(
            f"{page}: [{v.get('impact')}] {v.get('id')}: {v.get('help')} - {len(nodes)} element(s): "
            + "; ".join(targets) + more
        )
    return lines


def axe_summary(results: Mapping[str, list[dict]]) -> dict[str, dict[str, int]]:
    """Rule id -> {impact, pages, elements}: the audit over the whole site in one table."""
    table: dict[str, dict] = {}
    for page, violations in results.items():
        for v in violations:
            row = table.setdefault(v["id"], {"impact": v.get("impact"), "pages": 0, "elements": 0})
            row["pages"] += 1
            row["elements"] += len(v.get("nodes", []))
    return dict(sorted(table.items()))


if __name__ == "__main__":  # serve a built site by hand
    import time

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    with StaticServer(folder) as server:
        print(server.url("index.html"), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
