"""Lay out the site's source folder: copies of the notebooks, data pages, generated pages.

Sphinx reads a folder of documents; the course keeps its notebooks where students use them
(``lessons/``, ``exercises/``), its data notes in ``data/README.md``, and nothing else the
site needs. This module writes a staging copy that adds what a web page needs and a
notebook does not: an "at a glance" box at the top of each lesson (time, key points), links
from citations to the bibliography, and the generated pages. The source notebooks are never
changed; solutions are never copied.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from defection.site import bibliography, coursemap, datadict
from defection.site.chart_script import SITE_SCRIPT, site_script
from defection.site.notebook_meta import TIME, NotebookMeta, read

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CITATION_GROUP = re.compile(r"\[((?:\s*;?\s*@[A-Za-z][A-Za-z0-9_]*)+)\s*\]")
CITATION_KEY = re.compile(r"@([A-Za-z][A-Za-z0-9_]*)")
#: A MyST link to an in-page reference anchor, as the converted lessons write citations.
REF_LINK = re.compile(r"\[([^\[\]]+)\]\(#(ref-[A-Za-z0-9_\-]+)\)")


@dataclass
class Staged:
    """What was staged: the lessons' and exercise sets' metadata (for reports and tests)."""

    root: Path
    lessons: list[NotebookMeta]
    exercises: list[NotebookMeta]


def link_citations(
    text: str, shorts: dict[str, str], bibliography_url: str, *, in_page: bool = True
) -> str:
    """Citations in Markdown made into links to the bibliography (or kept in-page).

    ``[@a; @b]`` becomes ``(A 2021; B 2023)`` with each name linked to
    ``bibliography_url#ref-a``; an unknown key is left as written (the lessons' own
    citation test reports it). Links written as ``[Lee & McCarthy 2023](#ref-...)`` (a
    lesson's own reference list) are made plain HTML links so Sphinx keeps their ``#ref-``
    anchor as written; with ``in_page=False`` (text moved to a page without that list, such
    as the course map) they point into the bibliography instead.
    """

    def group(match: re.Match) -> str:
        keys = CITATION_KEY.findall(match.group(1))
        if not keys or any(k not in shorts for k in keys):
            return match.group(0)
        links = [
            f'<a href="{html.escape(bibliography_url, quote=True)}#ref-{k}">{html.escape(shorts[k])}</a>'
            for k in keys
        ]
        return "(" + "; ".join(links) + ")"

    text = CITATION_GROUP.sub(group, text)
    page = "" if in_page else html.escape(bibliography_url, quote=True)
    return REF_LINK.sub(lambda m: f'<a href="{page}#{m.group(2)}">{html.escape(m.group(1))}</a>', text)


def glance_cell(meta: NotebookMeta, exercise: NotebookMeta | None) -> dict:
    """The markdown cell put under a lesson's opening: time, exercise set and key points."""
    lines = [":::{admonition} This lesson at a glance", ":class: course-glance", ""]
    facts = [f"**Time:** {meta.short_time}"]
    if exercise is not None:
        facts.append(f"**Exercise set:** [{exercise.title}](../exercises/{exercise.stem}.ipynb)")
    lines.append(" · ".join(facts))
    lines += ["", "**Key points** (the lesson's own summary, [also at its end](#key-points)):", ""]
    lines += [f"- {point}" for point in meta.key_points]
    lines += ["", ":::"]
    return {"cell_type": "markdown", "metadata": {}, "source": "\n".join(lines)}


def exercise_note_cell(lesson: NotebookMeta | None) -> dict:
    """The box put under an exercise set's opening: how to answer it, since a page cannot."""
    follows = f" It follows [{lesson.title}](../lessons/{lesson.stem}.ipynb)." if lesson else ""
    lines = [
        ":::{admonition} Answering these questions",
        ":class: course-exercise-note",
        "",
        "This page shows the questions only. To write your answers and get instant feedback "
        "from the checks (✓, ✗ with a hint), run this notebook yourself: "
        "[install the course](../install.md) or [open it on Binder](../install.md#binder)."
        + follows,
        "Worked answers are not on the website: they are in the course folder's `solutions/`, "
        "and each question's `.solution()` shows one once you have tried.",
        ":::",
    ]
    return {"cell_type": "markdown", "metadata": {}, "source": "\n".join(lines)}


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _insert_after_time(notebook: dict, box: dict) -> None:
    """Put ``box`` right under the first cell's 'Estimated time' line (splitting that cell).

    The lessons open with title, summary and time, then objectives, prerequisites and key
    terms in the same cell; the box belongs with the time, before the long lists.
    """
    cells = notebook["cells"]
    first = "".join(cells[0]["source"]) if isinstance(cells[0]["source"], list) else cells[0]["source"]
    match = TIME.search(first)
    with_ids = (notebook.get("nbformat"), notebook.get("nbformat_minor", 0)) >= (4, 5)
    box = {"id": "course-site-box", **box} if with_ids else dict(box)
    if match is None:
        cells.insert(1, box)
        return
    head, rest = first[: match.end()], first[match.end() :].lstrip("\n")
    cells[0]["source"] = head + "\n"
    new = [box]
    if rest.strip():
        tail = {"cell_type": "markdown", "metadata": {}, "source": rest}
        new.append({"id": "course-site-opening-rest", **tail} if with_ids else tail)
    cells[1:1] = new


def stage_notebook(
    source: Path,
    target: Path,
    shorts: dict[str, str],
    *,
    extra_after_first: dict | None = None,
) -> None:
    """Copy one notebook to ``target`` with linked citations (and an optional second cell)."""
    notebook = _notebook(source)
    if extra_after_first is not None:
        _insert_after_time(notebook, extra_after_first)
    cells = notebook.get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = link_citations(text, shorts, "../bibliography.html")
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def stage(root: Path, project: Path = PROJECT_ROOT, *, binder_url: str = "") -> Staged:
    """Write the site's source folder under ``root`` from the course at ``project``."""
    root = Path(root)
    needed = [project / "README.md", project / "lessons", project / "exercises", project / "data" / "README.md"]
    absent = [str(p.relative_to(project)) for p in needed if not p.exists()]
    if absent:
        raise FileNotFoundError(
            f"the website is built from a copy of the course folder, but {project} lacks "
            + ", ".join(absent)
        )
    readme = (project / "README.md").read_text(encoding="utf-8")
    sources = bibliography.read_sources(project / "data" / "sources.csv")
    shorts = {row["source_id"]: row["short"] for row in sources}

    lessons = [read(p) for p in sorted((project / "lessons").glob("*.ipynb"))]
    exercises = [read(p, need_key_points=False) for p in sorted((project / "exercises").glob("*.ipynb"))]
    by_number = {m.number: m for m in exercises}
    for meta in lessons:
        stage_notebook(
            meta.path, root / "lessons" / meta.path.name, shorts,
            extra_after_first=glance_cell(meta, by_number.get(meta.number)),
        )
    lesson_by_number = {m.number: m for m in lessons}
    for meta in exercises:
        stage_notebook(
            meta.path, root / "exercises" / meta.path.name, shorts,
            extra_after_first=exercise_note_cell(lesson_by_number.get(meta.number)),
        )

    data_dir = root / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for csv_file in sorted((project / "data").glob("*.csv")) + [project / "data" / "datapackage.json"]:
        shutil.copy2(csv_file, data_dir / csv_file.name)  # README links them: served as downloads
    data_readme = (project / "data" / "README.md").read_text(encoding="utf-8")
    data_readme = link_citations(data_readme, shorts, "../bibliography.html")
    data_readme += "\n\n## The tables, one page each\n\nSee [the index of tables](tables/index.md).\n"
    (data_dir / "index.md").write_text(data_readme, encoding="utf-8")
    pages, index = datadict.generate(project / "data" / "datapackage.json")
    tables = root / datadict.FOLDER
    tables.mkdir(parents=True, exist_ok=True)
    (tables / "index.md").write_text(index, encoding="utf-8")
    for page in pages:
        (root / f"{page.docname}.md").write_text(page.text, encoding="utf-8")

    (root / f"{bibliography.PAGE}.md").write_text(bibliography.page(sources), encoding="utf-8")
    landing = coursemap.landing_page(readme, lessons, by_number)
    landing = link_citations(landing, shorts, f"{bibliography.PAGE}.html", in_page=False)
    (root / "index.md").write_text(landing, encoding="utf-8")
    (root / "install.md").write_text(coursemap.install_page(readme, binder_url), encoding="utf-8")
    static = root / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / SITE_SCRIPT).write_text(site_script(), encoding="utf-8")
    return Staged(root=root, lessons=lessons, exercises=exercises)
