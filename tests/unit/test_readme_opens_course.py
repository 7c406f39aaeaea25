"""Every command the README gives for opening the course serves the whole course folder.

Why this test exists: ``jupyter lab lessons/00_start_here.ipynb`` makes ``lessons/`` the
server's root, so a student's first session cannot reach ``exercises/`` ("outside root
contents directory") until they restart Jupyter. Each open command is read from README.md
and started the way a student starts it, from the course folder, changing only what a test
must: its own port and token, private config/runtime/settings folders, ``--allow-root``
when run as root, and a stand-in browser that records the address Jupyter would open
(instead of ``--no-browser``, so the address a student's browser receives is checked too).
HTTP only, no real browser: it runs wherever the course is installed, CI included.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from readme_commands import JupyterFromReadme, open_commands, readme_command, windows_form

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LESSON_00 = "lessons/00_start_here.ipynb"

OPEN_COMMANDS = open_commands(README)


def test_readme_gives_the_open_commands_this_test_runs():
    """The install command's open part, the reopen commands and the Notebook 7 form."""
    install_open = readme_command(README, "install-and-open").split(" && ")[-1]
    assert install_open in OPEN_COMMANDS
    apps = {shlex.split(c)[1] for c in OPEN_COMMANDS}
    assert apps == {"lab", "notebook"}, OPEN_COMMANDS
    assert any(LESSON_00 in c and " notebook " in c for c in OPEN_COMMANDS)


def test_every_windows_open_command_is_the_posix_one_with_windows_paths():
    """The Windows forms cannot run here; each must be its POSIX twin, path for path."""
    for command in OPEN_COMMANDS:
        if LESSON_00 in command and "--port" not in command:  # the port tip is POSIX-only
            assert windows_form(command) in README, f"README lacks the Windows form of {command}"
    install = readme_command(README, "install-and-open")
    windows_install = ("py -m venv .venv && .venv\\Scripts\\python -m pip install -r requirements.txt && "
                       + windows_form(install.split(" && ")[-1]))
    assert windows_install in README


@pytest.mark.parametrize("command", OPEN_COMMANDS)
def test_open_command_serves_exercises_and_opens_where_it_says(command, tmp_path):
    with JupyterFromReadme(command, ROOT, tmp_path) as server:
        exercises = server.get_json("/api/contents/exercises?content=1")
        assert exercises["type"] == "directory"
        served = {item["name"] for item in exercises["content"]}
        on_disk = {p.name for p in (ROOT / "exercises").glob("*.ipynb")}
        assert on_disk and on_disk <= served, f"{command}: exercises/ lacks {sorted(on_disk - served)}"
        lesson = server.get_json(f"/api/contents/{LESSON_00}?content=0")
        assert lesson["type"] == "notebook"

        opened = server.opened_url()
        landed, status, page = server.follow(opened)
        assert status == 200 and "jupyter-config-data" in page, f"{command}: {landed} gave {status}"
        app = shlex.split(command)[1]
        if LESSON_00 in command:
            assert landed == ("/lab/tree/" if app == "lab" else "/notebooks/") + LESSON_00, (
                f"{command} opens {opened.path}, which lands on {landed}")
            if app == "lab":
                assert re.search(r'"treePath":\s*"lessons/00_start_here.ipynb"', page)
        else:
            assert landed == ("/lab" if app == "lab" else "/tree"), f"{command} lands on {landed}"


def test_a_lesson_path_alone_hides_the_exercises(tmp_path):
    """The harness can fail: the old command serves lessons/ only, and exercises/ is a 404."""
    with JupyterFromReadme(f".venv/bin/jupyter lab {LESSON_00}", ROOT, tmp_path) as server:
        assert server.status("/api/contents/exercises") == 404
        assert server.opened_url().path == "/lab/tree/00_start_here.ipynb"


def test_harness_changes_only_what_a_test_must(tmp_path):
    server = JupyterFromReadme(".venv/bin/jupyter lab --port 8899 --ServerApp.root_dir=. x.ipynb", ROOT, tmp_path)
    argv = server.argv()
    assert argv[:3] == [sys.executable, "-m", "jupyter"]
    assert argv[3:6] == ["lab", "--ServerApp.root_dir=.", "x.ipynb"]  # the README's own words, in order
    assert "8899" not in " ".join(argv) and "--no-browser" not in argv
    with pytest.raises(ValueError, match="does not start with .venv/bin/jupyter"):
        JupyterFromReadme("jupyter lab", ROOT, tmp_path).argv()
