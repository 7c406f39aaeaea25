"""The landing page and the install page, generated from the notebooks and README.md.

The course map lists each lesson with its time, what it is about and what the reader will
be able to do, taken from the lesson's own first cell (``notebook_meta``), with the exercise
set that follows it. The welcome text and the install steps are README.md's own sections,
so the site says what the repository says, and nothing is written twice by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from defection.site.notebook_meta import NotebookMeta

HEADING2 = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


class ReadmeSectionError(ValueError):
    """README.md lacks a section the site is built from."""


def readme_intro(readme: str) -> str:
    """README's text between its title and its first ``##`` section."""
    lines = readme.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ReadmeSectionError("README.md should start with a '# Title' line")
    match = HEADING2.search(readme)
    body = readme[len(lines[0]) : match.start() if match else len(readme)]
    return body.strip()


def readme_section(readme: str, title: str) -> str:
    """The body of README's ``## title`` section (up to the next ``##``)."""
    matches = list(HEADING2.finditer(readme))
    for i, match in enumerate(matches):
        if match.group(1).strip().lower() == title.lower():
            end = matches[i + 1].start() if i + 1 < len(matches) else len(readme)
            return readme[match.end() : end].strip()
    raise ReadmeSectionError(f"README.md has no '## {title}' section")


def _objectives(meta: NotebookMeta) -> list[str]:
    return [f"  - {item}" for item in meta.objectives]


def landing_page(
    readme: str, lessons: list[NotebookMeta], exercises: dict[str, NotebookMeta]
) -> str:
    """``index.md``: welcome, course map, and the hidden toctrees that build the navigation."""
    out = ["# Breaking Ranks", "", readme_intro(readme), "", "## The course map", ""]
    out.append(
        f"{len(lessons)} lessons, read in order. Each page below shows the lesson with its "
        "tables and charts already drawn; run it yourself to move the sliders "
        "([install the course](install.md))."
    )
    out.append("")
    for meta in lessons:
        out.append(f"### [{meta.title}](lessons/{meta.stem}.ipynb)")
        out.append("")
        out.append(f"**Time:** {meta.short_time}")
        out.append("")
        if meta.summary:
            out += [meta.summary, ""]
        if meta.objectives:
            out.append("**You will be able to:**")
            out.append("")
            out += [line.replace("  - ", "- ", 1) for line in _objectives(meta)]
            out.append("")
        exercise = exercises.get(meta.number)
        if exercise is not None:
            out.append(
                f"**Practise:** [{exercise.title}](exercises/{exercise.stem}.ipynb) ({exercise.short_time})"
            )
            out.append("")
    out += [
        "## Also on this site",
        "",
        "- [The data](data/index.md): what each table holds, and a page per table with its "
        "columns, units, allowed values and sources.",
        "- [Bibliography](bibliography.md): every source the course cites.",
        "- [Run the course yourself](install.md): install it, or open it on Binder.",
        "",
        "Use the search box to find a word anywhere in the lessons and data pages.",
        "",
    ]
    out += _toctree("Lessons", [f"lessons/{m.stem}" for m in lessons])
    out += _toctree("Exercise sets", [f"exercises/{m.stem}" for m in exercises.values()])
    out += _toctree("Data and sources", ["data/index", "data/tables/index", "bibliography"])
    out += _toctree("Running the course", ["install"])
    return "\n".join(out) + "\n"


def _toctree(caption: str, entries: list[str]) -> list[str]:
    return ["```{toctree}", ":hidden:", f":caption: {caption}", ":maxdepth: 1", "", *entries, "```", ""]


def install_page(readme: str, binder_url: str = "") -> str:
    """``install.md``: README's install steps, and how to run the course on Binder."""
    out = ["# Run the course yourself", ""]
    out.append(
        "The website shows every lesson as it looks after running, with charts you can hover "
        "over. To move the sliders, answer the exercises and get feedback, run the notebooks "
        "yourself, on your own computer or on Binder."
    )
    out += ["", "## Install the course", "", readme_section(readme, "Start in two commands"), ""]
    out += ["(binder)=", "## Open it on Binder", ""]
    if binder_url:
        out.append(f"[Open the course on Binder]({binder_url}): nothing to install.")
    out.append(
        "Binder starts a temporary copy of the course in your browser from its public git "
        "repository, with nothing installed on your computer; the first start can take a few "
        "minutes, and your changes are lost when the tab is closed, so download any notebook "
        "you want to keep. The repository's `runtime.txt` and `requirements.txt` tell Binder "
        "what to install. Your instructor can give you a link to the course's Binder; "
        "`INSTRUCTORS.md` explains how to make one for a copy of the course."
    )
    out += ["", "## Troubleshooting", "", readme_section(readme, "Troubleshooting"), ""]
    return "\n".join(out) + "\n"
