"""The README's two commands are the ones CI runs, and they stay copy-pasteable."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import readme_commands

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPEN_LESSON_00 = ".venv/bin/jupyter lab --ServerApp.root_dir=. lessons/00_start_here.ipynb"


def readme_command(name: str) -> str:
    return readme_commands.readme_command(README, name)


def test_ci_runs_exactly_the_readme_commands():
    out = subprocess.run(["bash", ".ci/run", "--print-commands"], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = dict(line.split(": ", 1) for line in out.stdout.strip().splitlines())
    install = readme_command("install-and-open")
    # .ci/run strips the open part at " && .venv/bin/jupyter lab", whatever options follow.
    assert install == lines["install"] + " && " + OPEN_LESSON_00
    assert lines["test"] == readme_command("test")
    assert lines["site"] == readme_command("site")


def test_install_command_uses_requirements_and_opens_lesson_00():
    install = readme_command("install-and-open")
    assert "pip install -r requirements.txt" in install
    # root_dir=. serves the whole course folder (test_readme_opens_course.py starts it).
    assert install.endswith(" && " + OPEN_LESSON_00)
    assert (ROOT / "lessons" / "00_start_here.ipynb").exists()


def test_instructors_guide_gives_the_readme_open_commands():
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    install = readme_command("install-and-open")
    assert f"`{install}`" in guide
    windows = install.split(" && ")[-1]
    assert readme_commands.windows_form(windows) in guide
    assert "jupyter lab lessons/00_start_here.ipynb`" not in guide


SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")
PIN = re.compile(r"(?P<name>[A-Za-z0-9_.\-\[\]]+)==(?P<version>[A-Za-z0-9_.+\-]+)(?:\s*;\s*(?P<marker>.+))?")


def requirement_lines(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def pins(lines: list[str]) -> list[re.Match]:
    matches = []
    for line in lines:
        match = PIN.fullmatch(line)
        assert match, f"not pinned exactly: {line}"
        matches.append(match)
    return matches


def test_requirements_pin_everything_and_install_the_package():
    lines = requirement_lines(ROOT / "requirements.txt")
    assert lines[-1] == "-e ."
    names = {m["name"].lower() for m in pins(lines[:-1])}
    for needed in ("jupyterlab", "pandas", "altair", "ipywidgets", "anywidget", "numpy",
                   "vl-convert-python"):  # the chart checks draw charts with it
        assert needed in names
    # The student's install carries no test tooling: the test command adds it.
    for test_only in ("nbval", "pytest", "pytest-xdist", "playwright"):
        assert test_only not in names, f"{test_only} belongs in tests/requirements.txt"


def test_markers_give_every_supported_python_exactly_one_version():
    from packaging.markers import Marker

    by_name: dict[str, list[re.Match]] = {}
    for match in pins(requirement_lines(ROOT / "requirements.txt")[:-1]):
        by_name.setdefault(match["name"].lower(), []).append(match)
    platforms = {  # what the markers see on each OS the course supports
        "linux": {"sys_platform": "linux", "os_name": "posix", "platform_system": "Linux"},
        "macos": {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin"},
        "windows": {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows"},
    }
    for name, matches in by_name.items():
        os_only = all(m["marker"] and "python_version" not in m["marker"] for m in matches)
        for python in SUPPORTED_PYTHONS:
            for system, env in platforms.items():
                env = {**env, "python_version": python, "python_full_version": python + ".0"}
                chosen = [
                    m["version"] for m in matches if m["marker"] is None or Marker(m["marker"]).evaluate(env)
                ]
                if os_only and not chosen:
                    continue  # e.g. pywinpty: Windows only
                assert len(chosen) == 1, f"{name} on Python {python}, {system}: {chosen or 'no version'}"
    assert any(m["marker"] and "win32" in m["marker"] for ms in by_name.values() for m in ms)


def test_test_requirements_add_the_test_tools_on_top_of_the_course():
    lines = requirement_lines(ROOT / "tests" / "requirements.txt")
    assert lines[:2] == ["-r ../requirements.txt", "-r ../defection/site/requirements.txt"]
    names = {m["name"].lower() for m in pins(lines[2:])}
    assert {"nbval", "pytest", "pytest-xdist", "playwright"} <= names
    course = {m["name"].lower() for m in pins(requirement_lines(ROOT / "requirements.txt")[:-1])}
    assert not names & course, f"pinned twice: {sorted(names & course)}"


def test_site_requirements_pin_exactly_and_agree_with_the_other_files():
    site = {m["name"].lower(): m.group(0) for m in pins(
        requirement_lines(ROOT / "defection" / "site" / "requirements.txt"))}
    assert {"sphinx", "myst-nb", "sphinx-book-theme"} <= set(site)
    others = {}
    for path in (ROOT / "requirements.txt", ROOT / "tests" / "requirements.txt"):
        for m in pins([line for line in requirement_lines(path) if not line.startswith("-")]):
            others[m["name"].lower()] = m.group(0)
    clash = sorted(f"{site[n]} vs {others[n]}" for n in set(site) & set(others) if site[n] != others[n])
    assert not clash, f"pinned differently: {clash}"


def test_test_command_installs_the_test_tools_then_runs_pytest():
    test = readme_command("test")
    assert "pip install" in test and "-r tests/requirements.txt" in test
    assert test.endswith("-m pytest")


def test_supported_range_is_stated_alike_in_readme_and_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject
    for python in SUPPORTED_PYTHONS:
        assert f"Programming Language :: Python :: {python}" in pyproject
    assert "Python 3.11 to 3.15" in README


def test_readme_course_map_lists_every_lesson():
    for lesson in sorted((ROOT / "lessons").glob("*.ipynb")):
        assert f"lessons/{lesson.name}" in README, f"README course map lacks {lesson.name}"


def test_site_command_installs_the_site_tools_then_builds():
    site = readme_command("site")
    install, build = site.split(" && ")
    assert install.endswith("pip install -q -r defection/site/requirements.txt")
    assert build == ".venv/bin/python -m defection.site"
    assert site in (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8"), "INSTRUCTORS.md gives another site command"
