"""Notebooks are committed clean, numbered, structured, cited and self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from defection import data
from defection.sources import keys_in_text

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("lessons", "exercises", "solutions")
NOTEBOOKS = sorted(p for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]
SETUP = "import defection\ndefection.setup()"
NETWORK = re.compile(r"\b(requests|urllib|http\.client|socket|httpx|aiohttp)\b|https?://\S+\.(csv|json|xlsx)")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_there_are_lessons():
    assert [p.name[:2] for p in LESSONS][:1] == ["00"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_valid_and_clean(path):
    nb = read(path)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {i} has stored outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_is_python3(path):
    spec = read(path).metadata.get("kernelspec", {})
    assert spec.get("name") == "python3" and spec.get("language") == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_sets_up_the_course(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    assert code and code[0].source.strip().startswith(SETUP), (
        f"{path.name}: the first code cell must start with:\n{SETUP}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_network_and_no_shared_folder(path):
    for i, cell in enumerate(read(path).cells, 1):
        if cell.cell_type == "code":
            assert not NETWORK.search(cell.source), f"{path.name} cell {i} reaches for the network"
        assert "shared/" not in cell.source, f"{path.name} cell {i} refers to the course authors' shared/ folder"


def test_lessons_numbered_in_sequence():
    numbers = [int(p.name[:2]) for p in LESSONS]
    assert numbers == list(range(len(numbers))), [p.name for p in LESSONS]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", p.name) for p in LESSONS)


def test_exercises_and_solutions_pair_up_with_lessons():
    solutions = sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))
    exercises = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert solutions == exercises
    lesson_names = {p.name for p in LESSONS}
    assert set(solutions) <= lesson_names
    numbers = [int(n[:2]) for n in solutions]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_structure(path):
    cells = read(path).cells
    assert cells[0].cell_type == "markdown"
    first = cells[0].source
    assert re.search(r"Estimated time:?\**:?\s*\d+", first), f"{path.name}: first cell must state 'Estimated time: N minutes'"
    headings = [line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("#")]
    assert any("Learning objectives" in h for h in headings), f"{path.name}: no 'Learning objectives' heading"
    assert any("Key points" in h for h in headings), f"{path.name}: no 'Key points' heading"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_cited_sources_exist(path):
    known = set(data.load("sources")["source_id"])
    text = "\n".join(c.source for c in read(path).cells)
    unknown = sorted(set(keys_in_text(text)) - known)
    assert not unknown, f"{path.name} cites keys missing from data/sources.csv: {unknown}"


def test_docs_cite_existing_sources():
    known = set(data.load("sources")["source_id"])
    for doc in ("README.md", "INSTRUCTORS.md", "data/README.md"):
        path = ROOT / doc
        if path.exists():
            unknown = sorted(set(keys_in_text(path.read_text(encoding="utf-8"))) - known)
            assert not unknown, f"{doc} cites keys missing from data/sources.csv: {unknown}"


def test_every_key_figure_is_recorded():
    recorded_path = ROOT / "tests" / "key_figures.json"
    recorded = json.loads(recorded_path.read_text(encoding="utf-8")) if recorded_path.exists() else {}
    missing = []
    for path in NOTEBOOKS:
        rel = path.relative_to(ROOT).as_posix()
        for cell in read(path).cells:
            if "nbval-check-output" in cell.metadata.get("tags", []) and cell.get("id") not in recorded.get(rel, {}):
                missing.append(f"{rel} cell {cell.get('id')}")
    assert not missing, "record these with `python tests/key_figures.py`: " + ", ".join(missing)


def test_every_lesson_checks_at_least_one_key_figure():
    for path in LESSONS[1:]:
        tags = [t for c in read(path).cells for t in c.metadata.get("tags", [])]
        assert "nbval-check-output" in tags, f"{path.name} prints no checked key figure"


def test_package_never_reads_the_authors_shared_folder():
    for path in list((ROOT / "defection").rglob("*.py")) + list((ROOT / "tests").rglob("*.py")):
        if path.name == "test_notebook_hygiene.py":
            continue
        assert "../shared" not in path.read_text(encoding="utf-8"), path
