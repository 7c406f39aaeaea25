"""Build the course website: stage the sources, run Sphinx, report where the site is.

One function does it all so that the command line, the test suite and the benchmark build
the same site: ``build()`` returns the folder holding ``index.html``. Lessons run in fresh
kernels with ``BREAKING_RANKS_STATIC_SITE=1`` so their charts come out as HTML the site
draws itself (``defection.charts.site_html``). Sphinx's own log goes to a file in the
staging folder unless ``verbose``; a failure prints its last lines, so a broken lesson
names its cell instead of leaving a bare traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from defection.site import deps, page_fixes

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = PROJECT_ROOT / "build" / "site"
CONF_DIR = Path(__file__).resolve().parent
BINDER_ENV = "BREAKING_RANKS_SITE_BINDER_URL"


class SiteBuildError(RuntimeError):
    """The site could not be built; the message says why and where."""


@dataclass
class BuildReport:
    """What one build wrote and how long it took (for the benchmark)."""

    out_dir: Path
    seconds: float
    pages: int
    files: int
    bytes: int
    warnings: list[str]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: Written into the output folder first, so that a later build knows it may clear it.
MARKER = ".breaking-ranks-site"


@contextlib.contextmanager
def _stderr_to(path: Path, enabled: bool) -> Iterator[None]:
    """Send this process's stderr (and so the lesson kernels', which inherit it) to ``path``.

    Kernels print start-up notices there that say nothing to someone building the site.
    """
    if not enabled:
        yield
        return
    import sys

    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@contextlib.contextmanager
def _quiet_deprecations() -> Iterator[None]:
    """Hide the theme's and MyST's notices about Sphinx APIs they have yet to update."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(sphinx|myst)")
        warnings.filterwarnings("ignore", message=r".*is deprecated. Check CHANGES for Sphinx API")
        yield


_SOURCE_MAP_COMMENT = re.compile(r"\n?/[/*]# sourceMappingURL=[^\s*]+(\s*\*/)?\s*$")


def _trim_static(out: Path) -> None:
    """Drop what the themes copy into ``_static/`` that no reader's page uses.

    ``webpack-macros.html`` and ``sbt-webpack-macros.html`` are Jinja templates, not pages;
    copied as-is they hold unrendered ``{{ pathto(...) }}`` links that lead nowhere. The
    ``.map`` files (3.4 MB, about 40% of the site) only serve a developer's browser tools;
    the comments pointing to them go too, so no page refers to a missing file.
    """
    static = out / "_static"
    theme_css = static / "styles" / "theme.css"
    basic_css = static / "basic.css"
    if theme_css.is_file() and basic_css.is_file():
        # theme.css pulls basic.css in with @import "../basic.css"; tools that rebuild the
        # style sheets (axe-core's colour checks) resolve that against the page instead and
        # ask for a /basic.css that does not exist. Inlined, there is nothing to resolve.
        text = theme_css.read_text(encoding="utf-8")
        inlined = text.replace('@import "../basic.css";', basic_css.read_text(encoding="utf-8"))
        theme_css.write_text(inlined, encoding="utf-8")
    for stray in static.glob("*.html"):
        stray.unlink()
    for source_map in static.rglob("*.map"):
        source_map.unlink()
        script = source_map.with_suffix("")
        if script.is_file() and script.suffix in (".js", ".css"):
            text = script.read_text(encoding="utf-8")
            script.write_text(_SOURCE_MAP_COMMENT.sub("\n", text), encoding="utf-8")


def _prepare_out(out: Path) -> None:
    """Empty ``out`` if it holds an earlier site; refuse to clear any other folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SiteBuildError(
                f"{out} is not empty and does not hold an earlier build of the site; "
                "choose an empty or new folder with --out"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Built by python -m defection.site; rebuilt in place.\n", encoding="utf-8")


def measure(out: Path) -> tuple[int, int, int]:
    """(HTML pages, files, bytes) under ``out``."""
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return pages, len(files), sum(p.stat().st_size for p in files)


def build_report(
    out_dir: Path | None = None, *, execute: bool = True, verbose: bool = False, progress=None
) -> BuildReport:
    """Build the site and say what was written (``build`` returns just the folder)."""
    deps.check()
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError

    from defection.site.kernel_retry import kernel_starts_retried
    from defection.site.stage import stage
    from defection.widgets.core import BINDER_URL_ENV, INSTALL_URL_ENV

    say = progress or (lambda _message: None)
    out = Path(out_dir).resolve() if out_dir is not None else DEFAULT_OUT
    started = time.perf_counter()
    _prepare_out(out)
    binder = os.environ.get(BINDER_ENV, "")
    with tempfile.TemporaryDirectory(prefix="breaking-ranks-site-") as work:
        work_dir = Path(work)
        src = work_dir / "src"
        say("Preparing pages from lessons/, exercises/ and data/ ...")
        try:
            staged = stage(src, binder_url=binder)
        except (OSError, ValueError, RuntimeError) as exc:  # each names its file and part
            raise SiteBuildError(f"cannot prepare the site's pages: {exc}") from exc
        if execute:
            say(f"Running {len(staged.lessons)} lessons in fresh kernels (a few minutes) ...")
        log_path = work_dir / "sphinx.log"
        messages = io.StringIO()
        env = {
            "BREAKING_RANKS_STATIC_SITE": "1",
            INSTALL_URL_ENV: "../install.html",
            BINDER_URL_ENV: binder,
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        overrides = {
            "html_static_path": [str(CONF_DIR / "_static"), str(src / "_static")],
            "nb_execution_mode": "force" if execute else "off",
        }
        try:
            with (
                _environment(env),
                _stderr_to(log_path, not verbose),
                _quiet_deprecations(),
                kernel_starts_retried(),
            ):
                app = Sphinx(
                    srcdir=str(src),
                    confdir=str(CONF_DIR),
                    outdir=str(out),
                    doctreedir=str(work_dir / "doctrees"),
                    buildername="html",
                    confoverrides=overrides,
                    status=None if not verbose else __import__("sys").stdout,
                    warning=messages,
                    freshenv=True,
                )
                app.build(force_all=True)
        except (SphinxError, Exception) as exc:  # noqa: BLE001 - reported with context below
            logged = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
            tail = "\n".join((logged + messages.getvalue()).strip().splitlines()[-30:])
            raise SiteBuildError(
                f"the site build failed: {type(exc).__name__}: {exc}"
                + (f"\nLast warnings from Sphinx:\n{tail}" if tail else "")
            ) from exc
        if app.statuscode != 0:
            raise SiteBuildError(f"Sphinx reported failure:\n{messages.getvalue()[-3000:]}")
    _trim_static(out)
    page_fixes.fix_pages(out)
    found = _readable_warnings(messages.getvalue(), src)
    pages, files, size = measure(out)
    return BuildReport(out, time.perf_counter() - started, pages, files, size, found)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _readable_warnings(text: str, src: Path) -> list[str]:
    """Sphinx's warnings without colour codes, naming pages relative to the site's sources."""
    lines = [_ANSI.sub("", line) for line in text.splitlines()]
    prefix = str(src) + os.sep
    return [line.replace(prefix, "") for line in lines if "WARNING" in line or "ERROR" in line]


def build(out_dir: Path | None = None, *, execute: bool = True) -> Path:
    """Build the course website and return the folder that holds its ``index.html``.

    ``out_dir`` defaults to ``build/site/`` in the course folder (git ignores ``build/``).
    ``execute=False`` skips running the lessons (their pages then show code without
    outputs): a quick check of the pages' structure, not a site to publish.
    """
    return build_report(out_dir, execute=execute).out_dir
