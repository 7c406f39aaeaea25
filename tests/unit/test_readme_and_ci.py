"""The README's two commands are the ones CI runs, and they stay copy-pasteable."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(name: str) -> str:
    match = re.search(rf"<!-- command: {name} -->\s*```\w*\n(.+?)\n```", README)
    assert match, f"README has no command block marked {name}"
    return match.group(1)


def test_ci_runs_exactly_the_readme_commands():
    out = subprocess.run(["bash", ".ci/run", "--print-commands"], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = dict(line.split(": ", 1) for line in out.stdout.strip().splitlines())
    install = readme_command("install-and-open")
    assert install.startswith(lines["install"] + " && .venv/bin/jupyter lab lessons/00_start_here.ipynb")
    assert lines["test"] == readme_command("test")


def test_install_command_uses_requirements_and_opens_lesson_00():
    install = readme_command("install-and-open")
    assert "pip install -r requirements.txt" in install
    assert install.endswith("lessons/00_start_here.ipynb")
    assert (ROOT / "lessons" / "00_start_here.ipynb").exists()


def test_requirements_pin_everything_and_install_the_package():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "-e ."
    for line in lines[:-1]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), f"not pinned exactly: {line}"
    names = {line.split("==")[0].lower() for line in lines[:-1]}
    for needed in ("jupyterlab", "pandas", "altair", "ipywidgets", "nbval", "pytest", "pytest-xdist", "playwright"):
        assert needed in names


def test_readme_course_map_lists_every_lesson():
    for lesson in sorted((ROOT / "lessons").glob("*.ipynb")):
        assert f"lessons/{lesson.name}" in README, f"README course map lacks {lesson.name}"
