"""The exercise generator: markers, written answers, byte-identical output, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from defection import exercises
from defection.exercises import ExerciseError, generate, out_of_date

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def solution_notebook() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    code = new_code_cell(
        "import pandas as pd\n"
        "# BEGIN SOLUTION: success_rate_with = ...\n"
        "with_defection = campaigns[campaigns.defect == 1]\n"
        "success_rate_with = with_defection.success.mean()\n"
        "# END SOLUTION\n"
        "print('done')"
    )
    code.outputs = [new_output("stream", name="stdout", text="0.52\n")]
    code.execution_count = 3
    code.metadata["tags"] = ["nbval-check-output", "keep-me"]
    code.metadata["execution"] = {"iopub.status.idle": "2026-01-01"}
    plain = new_code_cell("def f(x):\n    # BEGIN SOLUTION\n    return x * 2\n    # END SOLUTION")
    md = new_markdown_cell(
        "**Your answer (w1):**\n<!-- BEGIN SOLUTION -->\nA model answer with [@kyed_2024].\n"
        "<!-- END SOLUTION -->",
        metadata={"defection": {"answer": "w1"}},
    )
    check = new_code_cell("q1.check(success_rate_with)")
    nb.cells = [new_markdown_cell("# Lesson 1 exercises"), code, plain, md, check]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


@pytest.fixture
def dirs(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "exercises"
    src.mkdir()
    nbformat.write(solution_notebook(), src / "01_regime_cohesion.ipynb")
    return src, dst


def test_markers_are_replaced(dirs):
    src, dst = dirs
    written = generate(src, dst)
    assert [p.name for p in written] == ["01_regime_cohesion.ipynb"]
    nb = nbformat.read(dst / "01_regime_cohesion.ipynb", as_version=4)
    nbformat.validate(nb)
    code = nb.cells[1]
    assert code.source == "import pandas as pd\nsuccess_rate_with = ...\nprint('done')"
    assert code.outputs == [] and code.execution_count is None
    assert code.metadata["tags"] == ["keep-me"] and "execution" not in code.metadata
    assert nb.cells[2].source == "def f(x):\n    ...  # your code here"
    md = nb.cells[3]
    assert md.source == "**Your answer (w1):**\n_Write your answer here._"
    assert md.metadata["defection"] == {"answer": "w1"}
    assert "model answer" not in (dst / "01_regime_cohesion.ipynb").read_text()
    assert [c["id"] for c in nb.cells] == [f"cell-{i}" for i in range(5)]
    assert nb.metadata["kernelspec"] == KERNELSPEC
    assert nb.metadata["defection"]["lesson"] == "01"


def test_regeneration_is_byte_identical(dirs):
    src, dst = dirs
    generate(src, dst)
    first = (dst / "01_regime_cohesion.ipynb").read_bytes()
    assert first.endswith(b"}\n") and b'\n "cells": [\n' in first  # indent=1
    assert generate(src, dst) == []
    assert (dst / "01_regime_cohesion.ipynb").read_bytes() == first
    assert out_of_date(src, dst) == []


def test_cells_without_ids_get_stable_ids(tmp_path):
    src = tmp_path / "s"
    src.mkdir()
    raw = json.loads(nbformat.writes(solution_notebook()))
    raw["nbformat_minor"] = 4
    for cell in raw["cells"]:
        del cell["id"]
    (src / "02_x.ipynb").write_text(json.dumps(raw))
    generate(src, tmp_path / "a")
    generate(src, tmp_path / "b")
    assert (tmp_path / "a" / "02_x.ipynb").read_bytes() == (tmp_path / "b" / "02_x.ipynb").read_bytes()


def test_out_of_date_lists_changed_missing_and_orphan_files(dirs):
    src, dst = dirs
    assert out_of_date(src, dst) == ["01_regime_cohesion.ipynb (missing)"]
    generate(src, dst)
    nb = solution_notebook()
    nb.cells[0].source = "# Changed title"
    nbformat.write(nb, src / "01_regime_cohesion.ipynb")
    (dst / "09_orphan.ipynb").write_text("{}")
    stale = out_of_date(src, dst)
    assert stale[0].startswith("01_regime_cohesion.ipynb (differs")
    assert stale[1].startswith("09_orphan.ipynb (no matching")


def test_cli_check_exit_codes(dirs, capsys):
    src, dst = dirs
    cmd = [sys.executable, "-m", "defection.exercises", "--src", str(src), "--dst", str(dst)]
    stale = subprocess.run([*cmd, "--check"], capture_output=True, text=True)
    assert stale.returncode == 1 and "01_regime_cohesion.ipynb" in stale.stderr
    args = ["--src", str(src), "--dst", str(dst)]
    assert exercises.main(args) == 0 and "wrote" in capsys.readouterr().out
    assert exercises.main([*args, "--check"]) == 0
    nb = solution_notebook()
    nb.cells[2].source = "# BEGIN SOLUTION"
    nbformat.write(nb, src / "01_regime_cohesion.ipynb")
    assert exercises.main(args) == 2
    assert "01_regime_cohesion.ipynb, cell 3" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("x = 1\n# BEGIN SOLUTION\nx = 2", "no matching '# END SOLUTION'"),
        ("x = 1\n# END SOLUTION", "has no '# BEGIN SOLUTION'"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "comes before"),
    ],
)
def test_unbalanced_code_markers_name_notebook_and_cell(tmp_path, source, words):
    nb = solution_notebook()
    nb.cells[2].source = source
    src = tmp_path / "s"
    src.mkdir()
    nbformat.write(nb, src / "03_defection_motivations.ipynb")
    with pytest.raises(ExerciseError) as err:
        generate(src, tmp_path / "e")
    msg = str(err.value)
    assert "03_defection_motivations.ipynb, cell 3" in msg and words in msg
    assert not (tmp_path / "e" / "03_defection_motivations.ipynb").exists()


@pytest.mark.parametrize(
    "source",
    ["<!-- BEGIN SOLUTION -->\nanswer", "answer\n<!-- END SOLUTION -->",
     "<!-- BEGIN SOLUTION --> a <!-- BEGIN SOLUTION --> b <!-- END SOLUTION -->"],
)  # fmt: skip
def test_unbalanced_markdown_markers(source):
    with pytest.raises(ExerciseError, match="nb.ipynb, cell 4"):
        exercises.strip_markdown(source, "nb.ipynb, cell 4")


def test_markdown_inline_and_several_blocks():
    text = "Before <!-- BEGIN SOLUTION -->secret<!-- END SOLUTION --> mid\n<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->"
    assert exercises.strip_markdown(text) == "Before _Write your answer here._ mid\n_Write your answer here._"


def test_course_exercises_are_in_sync_with_solutions():
    """exercises/ is generated from solutions/: run `python -m defection.exercises` after
    editing a solution notebook."""
    if not exercises.REPO.joinpath("solutions").is_dir():
        pytest.skip("no solutions/ folder in this checkout")
    assert out_of_date() == [], "run `python -m defection.exercises`"
