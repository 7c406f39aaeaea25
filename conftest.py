"""Repository-wide pytest set-up: paths, a guard that no test edits data/, and key figures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"


def _digest(folder: Path) -> str:
    """The data files' names and bytes. Hidden files are not data: the grading-security test
    briefly leaves a private ``.secret-*`` file there (inside what the sandbox shows a
    notebook) while other xdist workers may be starting or ending their sessions."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def data_folder_untouched():
    """Fail the run if any test changed a file in data/ (tests must work on copies)."""
    before = _digest(DATA)
    yield
    assert _digest(DATA) == before, "a test modified files in data/; tests must corrupt copies in tmp_path"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


# ---------------------------------------------------------------------------- key figures
# Notebooks are committed without outputs, yet the figures a lesson prints must not change
# unnoticed. Cells tagged ``nbval-check-output`` get their expected output from
# tests/key_figures.json (recorded by ``python tests/key_figures.py``), and nbval compares.

import json  # noqa: E402
import sys  # noqa: E402

# Under xdist the controller loads only this conftest, so the browser test's summary
# (which notebooks ran in chromium, where the screenshots are) is registered here.
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_summary import pytest_terminal_summary  # noqa: E402,F401

# nbval's kernels: start again one that dies before answering, and keep what it said.
sys.path.insert(0, str(ROOT / "tests"))
import nbval_kernel  # noqa: E402

nbval_kernel.install()

KEY_FIGURES = ROOT / "tests" / "key_figures.json"


def _recorded() -> dict:
    if KEY_FIGURES.exists():
        return json.loads(KEY_FIGURES.read_text(encoding="utf-8"))
    return {}


def pytest_collection_modifyitems(session, config, items):
    recorded = _recorded()
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or "nbval-check-output" not in cell.get("metadata", {}).get("tags", []):
            continue
        notebook = Path(str(item.fspath)).resolve().relative_to(ROOT).as_posix()
        expected = recorded.get(notebook, {}).get(cell.get("id", ""))
        if expected is None:
            # Run the cell (later cells need its state) but do not compare; the hygiene
            # test fails and says to record the figure.
            item.options["check"] = False
            continue
        import nbformat

        cell.outputs = [nbformat.from_dict(o) for o in expected]
        cell.execution_count = 1  # nbval compares only cells that look run
