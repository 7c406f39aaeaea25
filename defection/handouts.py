"""Printable handouts: run every lesson and save it as one static HTML page (and PDF).

Why this exists: some students read on paper, on a phone, or on a machine where they
cannot install or run Jupyter; some classrooms have no projector for a live notebook.
A handout is the lesson as it looks after running top to bottom: the full narrative,
every table, and every chart drawn as inline SVG, so the page opens in any browser with
no internet, no JavaScript and no Python. Widgets cannot move on paper, so each panel is
printed at its default settings (see ``defection.widgets.core.Panel``), and citation keys
such as ``[@kyed_2024]`` are printed as "(Kyed 2024)".

Usage (from the repository root)::

    python -m defection.handouts                      # all lessons -> handouts/NN_name.html
    python -m defection.handouts 00 03                # only lessons 00 and 03
    python -m defection.handouts --with-code          # keep the code cells
    python -m defection.handouts --pdf                # also NN_name.pdf, via headless chromium
    python -m defection.handouts --out /tmp/print --lessons-dir lessons

How it works: each lesson runs in a fresh ``python3`` kernel started with this same Python
(``sys.executable``) and ``DEFECTION_STATIC_CHARTS=1``, so ``defection.setup()`` switches
altair to the static SVG renderer (vl-convert, offline). nbconvert's HTML exporter then
writes the page with a template that inlines each SVG (its default would wrap it in a
base64 ``<img>``, which screen readers and text search cannot see into).

A lesson that fails is reported by name and cell; the other lessons still get their
handouts, and the command exits non-zero at the end. ``--pdf`` needs a chromium or chrome
browser; without one, PDFs are skipped with a message and HTML handouts are still made.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as _dt
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from traitlets import default

from defection.charts.modes import STATIC_ENV
from defection.kernel_start import KERNEL_STARTS, died_while_starting
from defection.pdf import CHROMIUM_NAMES, find_chromium, print_pdf
from defection.sources import CITATION_GROUP, CITATION_KEY

KERNEL_NAME = "python3"
SVG_MIME = "image/svg+xml"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
VEGALITE_MIME = re.compile(r"application/vnd\.vegalite\.v(\d+)(\.\d+)*\+json")
DEFAULT_TIMEOUT = 300  # seconds per cell

WIDGET_NOTE = "*(Interactive control: open the notebook in Jupyter to use it.)*"

# nbconvert's lab template, changed in three ways: SVG outputs are written inline as <svg>
# (the SVG comes from our own charts, run on our own lessons, so it is trusted markup);
# script tags that would fetch from a CDN are left out; and a little print CSS is added.
_TEMPLATE_NAME = "breaking_ranks_handout.html.j2"
_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{% block extra_css %}
<style type="text/css">
  .jp-RenderedSVG svg { max-width: 100%; height: auto; }
  .br-handout-note { border-left: 4px solid #0072B2; padding: 0.3em 0.8em; color: #333; }
  @media print {
    .jp-RenderedSVG, .jp-RenderedHTMLCommon table, .jp-Cell-outputWrapper { break-inside: avoid; }
    h1, h2, h3 { break-after: avoid; }
  }
</style>
{% endblock extra_css %}
{#- Nothing on the page needs a script: no require.js, no mermaid, and MathJax only when the
    lesson has maths. A handout makes no requests to a CDN when it is opened. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}
{%- if resources.handout_needs_mathjax -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
{{ output.data['image/svg+xml'] }}
</div>
{%- endblock data_svg %}
"""



# --------------------------------------------------------------------------- kernel


class _SamePythonKernelSpecs(KernelSpecManager):
    """Resolve ``python3`` to this interpreter, whatever kernel.json or PATH say.

    A venv's kernel.json says ``"python"``, which means whichever python is first on PATH;
    running ``.venv/bin/python -m defection.handouts`` without activating the venv would
    then start a kernel that cannot import the course package.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == KERNEL_NAME:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (ipykernel)",
                language="python",
            )
        return super().get_kernel_spec(kernel_name)


class _SamePythonKernelManager(AsyncKernelManager):
    @default("kernel_spec_manager")
    def _default_ksm(self) -> KernelSpecManager:
        return _SamePythonKernelSpecs(data_dir=self.data_dir)


# --------------------------------------------------------------------------- results


class LessonFailed(Exception):
    """A lesson did not run to the end; says which cell and why."""

    def __init__(self, lesson: str, cell: int | None, total: int, reason: str, source: str = ""):
        self.lesson = lesson
        self.cell = cell  # 1-based position among all cells, as a reader counts them
        self.total = total
        self.reason = reason
        self.source = source
        where = f"cell {cell} of {total}" if cell else "before any cell finished"
        super().__init__(f"{lesson}: {where}: {reason}")


@dataclass
class HandoutResult:
    """What happened to one lesson."""

    lesson: str  # file name, e.g. "00_start_here.ipynb"
    title: str = ""
    html: Path | None = None
    pdf: Path | None = None
    charts: int = 0  # chart outputs found in the executed lesson
    svgs: int = 0  # inline <svg> elements in the written page
    seconds: float = 0.0
    error: LessonFailed | None = None
    problems: list[str] = field(default_factory=list)  # page-level faults (charts missing, PDF)
    notes: list[str] = field(default_factory=list)  # harmless remarks (warnings left out)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems


# --------------------------------------------------------------------------- steps


def find_lessons(lessons_dir: Path, selected: Sequence[str] = ()) -> list[Path]:
    """The lesson notebooks to build, in course order.

    ``selected`` items may be a number ("3", "03"), a stem ("03_defection_motivations"),
    a file name, or a path to any notebook. Raises ``FileNotFoundError`` naming what is
    available when an item matches nothing.
    """
    available = sorted(p for p in Path(lessons_dir).glob("*.ipynb") if p.is_file())
    if not selected:
        return available
    chosen: list[Path] = []
    for item in selected:
        path = Path(item)
        if path.suffix == ".ipynb" and path.is_file():
            matches = [path]
        else:
            key = path.stem if path.suffix == ".ipynb" else str(item)
            if key.isdigit():
                key = f"{int(key):02d}_"
            matches = [p for p in available if p.stem == key or p.stem.startswith(key)]
        if not matches:
            names = ", ".join(p.name for p in available) or "none"
            raise FileNotFoundError(f"no lesson matches {item!r} in {lessons_dir} (found: {names})")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def lesson_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of the notebook (the lesson's title)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


def execute_lesson(path: Path, *, timeout: int = DEFAULT_TIMEOUT) -> nbformat.NotebookNode:
    """Run a lesson top to bottom in a fresh kernel with static charts; return it with outputs.

    Raises ``LessonFailed`` naming the cell that raised, timed out or killed the kernel.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env[STATIC_ENV] = "1"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    started: list[int] = []  # index of each cell as it begins to run
    # A kernel that died before it answered ran none of the lesson (defection.kernel_start).
    for attempt in range(1, KERNEL_STARTS + 1):
        client = NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            kernel_manager_class=_SamePythonKernelManager,
            timeout=timeout,
            startup_timeout=120,
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent.resolve())}},
            on_cell_execute=lambda cell, cell_index: started.append(cell_index),
        )
        with tempfile.TemporaryFile("w+") as kernel_log:
            try:
                client.execute(env=env, stderr=kernel_log)
            except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError) as exc:
                # nbclient has already cleaned up; its exit hook would only fail noisily later
                atexit.unregister(client._cleanup_kernel)
                if not started and died_while_starting(exc) and attempt < KERNEL_STARTS:
                    continue
                kernel_log.seek(0)
                current = started[-1] if started else None
                raise _failure(path.name, nb, exc, kernel_log.read(), current) from exc
        return nb
    raise AssertionError("unreachable: the last attempt returns or raises")


def _failure(
    name: str, nb: nbformat.NotebookNode, exc: Exception, kernel_log: str, current: int | None
) -> LessonFailed:
    """Describe a failed run. ``current`` is the cell that was running when it stopped."""
    total = len(nb.cells)
    index = current
    for i, cell in enumerate(nb.cells):
        outputs = cell.get("outputs", [])
        if cell.cell_type == "code" and any(o.output_type == "error" for o in outputs):
            index = i
            break
    if isinstance(exc, CellExecutionError):
        reason = f"{exc.ename}: {exc.evalue}".strip().rstrip(":")
    elif isinstance(exc, CellTimeoutError):
        reason = "timed out (a cell ran longer than the time limit)"
    elif isinstance(exc, DeadKernelError):
        tail = " | ".join(kernel_log.strip().splitlines()[-3:])
        reason = "the kernel died" + (f" ({tail})" if tail else "")
    else:
        reason = f"{type(exc).__name__}: {exc}"
    source = _first_line(nb.cells[index].source) if index is not None else ""
    return LessonFailed(name, index + 1 if index is not None else None, total, reason, source)


def _vegalite_to_svg(spec: dict, major: str) -> str | None:
    """Draw a Vega-Lite spec as SVG offline (a chart that bypassed the static renderer)."""
    try:
        import altair as alt
        import vl_convert as vlc

        # vl-convert wants "MAJOR.MINOR": take it from the spec's $schema, else from altair.
        found = re.search(r"/v(\d+)\.(\d+)", str(spec.get("$schema", "")))
        ours = re.match(r"v(\d+)\.(\d+)", alt.SCHEMA_VERSION)
        if found:
            version = f"{found.group(1)}.{found.group(2)}"
        elif ours and ours.group(1) == major:
            version = f"{ours.group(1)}.{ours.group(2)}"
        else:
            version = None  # vl-convert's newest
        return vlc.vegalite_to_svg(spec, vl_version=version)
    except Exception:  # noqa: BLE001 - any failure means "could not draw"; reported by caller
        return None


def _short_citations() -> dict[str, str]:
    """source_id -> short form ("Kyed & Ah Lynn 2021"); empty if the table cannot be read."""
    try:
        from defection import data

        table = data.load("sources")
        return {str(k): str(v) for k, v in zip(table["source_id"], table["short"], strict=True)}
    except Exception:  # noqa: BLE001 - without the table, keys are simply left as they are
        return {}


def format_citations(text: str, shorts: dict[str, str]) -> str:
    """Turn ``[@a; @b]`` into ``(Short a; Short b)``; groups with an unknown key stay as written."""

    def replace(match: re.Match) -> str:
        keys = CITATION_KEY.findall(match.group(1))
        if not keys or any(k not in shorts for k in keys):
            return match.group(0)
        return "(" + "; ".join(shorts[k] for k in keys) + ")"

    return CITATION_GROUP.sub(replace, text)


def prepare_for_print(nb: nbformat.NotebookNode, *, source: str, today: str | None = None) -> dict:
    """Make an executed lesson print-ready, in place. Returns counts for the report.

    - live Vega-Lite outputs (if any slipped past the static renderer) become SVG;
    - widget views (which need JavaScript and a kernel) become a one-line note;
    - warning text on stderr is left out (it is not part of the lesson);
    - saved widget state is dropped, so the page loads no widget JavaScript from a CDN;
    - citation keys in the prose, ``[@kyed_2024]``, read as "(Kyed 2024)" on paper;
    - a short note under the title says this is a printed copy.
    """
    counts = {"charts": 0, "widgets": 0, "warnings": 0, "undrawable": 0}
    shorts = _short_citations()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = format_citations(cell.source, shorts)
            continue
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.get("name") == "stderr":
                counts["warnings"] += 1
                continue
            data = out.get("data")
            if data is not None:
                for mime in list(data):
                    match = VEGALITE_MIME.fullmatch(mime)
                    if match and SVG_MIME not in data:
                        svg = _vegalite_to_svg(data[mime], match.group(1))
                        if svg is None:
                            counts["undrawable"] += 1
                        else:
                            data[SVG_MIME] = svg
                    if match:
                        del data[mime]
                if WIDGET_MIME in data:
                    counts["widgets"] += 1
                    note = {"text/markdown": WIDGET_NOTE}
                    out = nbformat.v4.new_output("display_data", data=note)
                    data = out.data
                if SVG_MIME in data:
                    counts["charts"] += 1
            kept.append(out)
        cell.outputs = kept
    nb.metadata.pop("widgets", None)
    day = today or _dt.date.today().isoformat()
    note = nbformat.v4.new_markdown_cell(
        f'<div class="br-handout-note">Printed handout of <code>{source}</code> '
        f"(Breaking Ranks), made {day}. Interactive panels appear at their default "
        "settings; open the notebook in Jupyter to move the controls.</div>"
    )
    position = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(position, note)
    return counts


MATHS = re.compile(r"\$\$|\\\(|\\\[|(?<![\w$])\$[^\s$][^$\n]*[^\s$]\$(?![\w$])")


def has_maths(nb: nbformat.NotebookNode) -> bool:
    """True if a markdown cell holds LaTeX maths ($x$, $$...$$, \\(...\\)) for MathJax."""
    return any(c.cell_type == "markdown" and MATHS.search(c.source) for c in nb.cells)


def export_html(nb: nbformat.NotebookNode, *, title: str, with_code: bool = False) -> str:
    """One self-contained HTML page: inline CSS, inline SVG charts, no scripts (bar MathJax)."""
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        exclude_input=not with_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        theme="light",
    )
    resources = {"metadata": {"name": title}, "handout_needs_mathjax": has_maths(nb)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    # nbconvert re-serialises the page with an HTML parser that lower-cases attribute
    # names; browsers repair "viewbox" inside <svg>, but other SVG readers do not.
    return re.sub(r"(<svg\b[^>]*?)\sviewbox=", r"\1 viewBox=", body)


def count_svgs(html: str) -> int:
    """Inline SVG elements in a page."""
    return len(re.findall(r"<svg\b", html))


# --------------------------------------------------------------------------- driver


def build_handout(
    path: Path,
    out_dir: Path,
    *,
    with_code: bool = False,
    timeout: int = DEFAULT_TIMEOUT,
) -> HandoutResult:
    """Run one lesson and write ``out_dir/<stem>.html``. Never raises for a broken lesson."""
    path = Path(path)
    out_dir = Path(out_dir)
    result = HandoutResult(lesson=path.name)
    target = out_dir / f"{path.stem}.html"
    start = time.perf_counter()
    try:
        nb = execute_lesson(path, timeout=timeout)
    except LessonFailed as exc:
        result.error = exc
    except Exception as exc:  # noqa: BLE001 - a tooling fault in one lesson must not stop the rest
        reason = f"could not run: {type(exc).__name__}: {exc}"
        result.error = LessonFailed(path.name, None, 0, reason)
    if result.error is not None:
        target.unlink(missing_ok=True)  # never leave an old page that looks current
        result.seconds = time.perf_counter() - start
        return result
    result.title = lesson_title(nb, fallback=path.stem)
    source = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    counts = prepare_for_print(nb, source=source)
    html = export_html(nb, title=result.title, with_code=with_code)
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    result.html = target
    result.charts = counts["charts"]
    result.svgs = count_svgs(html)
    if result.svgs < result.charts:
        result.problems.append(
            f"{result.charts} charts in the lesson but only {result.svgs} inline SVGs in the page"
        )
    if counts["undrawable"]:
        result.problems.append(f"{counts['undrawable']} live chart(s) could not be drawn as SVG")
    if counts["widgets"]:
        result.notes.append(f"{counts['widgets']} bare widget(s) shown as a note")
    if counts["warnings"]:
        result.notes.append(f"{counts['warnings']} warning message(s) left out")
    result.seconds = time.perf_counter() - start
    return result


def build_handouts(
    lessons: Iterable[Path],
    out_dir: Path,
    *,
    with_code: bool = False,
    pdf: bool = False,
    timeout: int = DEFAULT_TIMEOUT,
    log: Callable[[str], None] = print,
) -> list[HandoutResult]:
    """Build every handout, reporting progress through ``log``; one failure stops nothing."""
    lessons = list(lessons)
    chromium = find_chromium() if pdf else None
    if pdf and chromium is None:
        log(
            "PDF: skipped - no chromium or chrome browser found (looked for "
            + ", ".join(CHROMIUM_NAMES)
            + "; set DEFECTION_CHROMIUM=/path/to/browser to use another). "
            "HTML handouts are still made; print them from any browser."
        )
    results = []
    for number, path in enumerate(lessons, start=1):
        prefix = f"[{number}/{len(lessons)}] {Path(path).name}"
        log(f"{prefix} ... running")
        result = build_handout(path, out_dir, with_code=with_code, timeout=timeout)
        if result.error is not None:
            err = result.error
            where = f"cell {err.cell} of {err.total}" if err.cell else "before any cell finished"
            log(f"{prefix} FAILED at {where}: {err.reason}")
            if err.source:
                log(f"      that cell starts: {err.source}")
        else:
            if chromium and result.html is not None:
                pdf_path = result.html.with_suffix(".pdf")
                why = print_pdf(result.html, pdf_path, chromium)
                if why is None:
                    result.pdf = pdf_path
                else:
                    result.problems.append(f"PDF not made: {why}")
            made = ", ".join(str(p) for p in (result.html, result.pdf) if p is not None)
            extra = "; ".join(result.problems + result.notes)
            status = "ok" if result.ok else "PROBLEM"
            charts = _plural(result.charts, "chart")
            log(
                f"{prefix} {status} ({result.seconds:.1f} s, {charts}) -> {made}"
                + (f"  [{extra}]" if extra else "")
            )
        results.append(result)
    log(summary(results, out_dir))
    return results


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(results: Sequence[HandoutResult], out_dir: Path) -> str:
    """A few lines saying what was written and what failed."""
    written = [r for r in results if r.html is not None]
    charts = sum(r.charts for r in written)
    pdfs = sum(1 for r in results if r.pdf is not None)
    lines = [
        f"Summary: {len(written)} of {len(results)} handouts written to {out_dir}/ "
        f"({charts} charts as inline SVG" + (f", {pdfs} PDFs" if pdfs else "") + ")."
    ]
    for r in results:
        if r.error is not None:
            where = f"cell {r.error.cell}" if r.error.cell else "start-up"
            lines.append(f"  FAILED  {r.lesson} ({where}): {r.error.reason}")
        for problem in r.problems:
            lines.append(f"  PROBLEM {r.lesson}: {problem}")
    return "\n".join(lines)


def missing_renderer() -> str | None:
    """Why static charts cannot be drawn here (vl-convert absent), or None if they can.

    vl-convert is part of the course's install (the chart checks draw with it too), so this
    only fires in an environment built some other way, or where its install failed.
    """
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        return (
            "printable handouts draw charts with vl-convert, which this Python environment "
            "lacks. Install the course's requirements again: .venv/bin/python -m pip install "
            "-r requirements.txt (or just: .venv/bin/python -m pip install "
            "vl-convert-python==1.9.0.post1)"
        )
    return None


def _default_lessons_dir() -> Path:
    here = Path.cwd() / "lessons"
    return here if here.is_dir() else Path(__file__).resolve().parents[1] / "lessons"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defection.handouts",
        description="Run each lesson and save it as a static HTML handout (charts as inline SVG).",
    )
    add = parser.add_argument
    add("lessons", nargs="*", metavar="LESSON",
        help="lesson numbers, names or paths (default: all)")
    add("--out", type=Path, default=Path("handouts"), help="output folder (default: handouts/)")
    add("--lessons-dir", type=Path, default=None, help="where lessons live (default: ./lessons)")
    add("--with-code", action="store_true",
        help="keep the code cells (default: narrative and outputs only)")
    add("--pdf", action="store_true", help="also print each page to PDF with headless chromium")
    add("--timeout", type=int, default=DEFAULT_TIMEOUT,
        help=f"seconds allowed per cell (default: {DEFAULT_TIMEOUT})")
    args = parser.parse_args(argv)
    missing = missing_renderer()
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    lessons_dir = args.lessons_dir or _default_lessons_dir()
    try:
        lessons = find_lessons(lessons_dir, args.lessons)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not lessons:
        print(f"error: no lesson notebooks (*.ipynb) in {lessons_dir}", file=sys.stderr)
        return 2
    results = build_handouts(
        lessons, args.out, with_code=args.with_code, pdf=args.pdf, timeout=args.timeout
    )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
