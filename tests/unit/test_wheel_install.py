"""The data ships inside the package: a wheel installed elsewhere loads every table.

Builds the wheel the way pip installs the course (an isolated build with setuptools from
the package index, which the install step needs anyway). Guards the promise that loading never depends on the working directory or on the
repository's layout (data/ is packaged as defection._data).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_and_its_files_are_declared():
    """A subpackage missing from pyproject.toml is missing from every non-editable install
    (a wheel, an instructor's ``pip install .``): the grader once was. Same for data files."""
    import tomllib

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    declared = set(setup["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "defection").rglob("__init__.py") if "__pycache__" not in p.parts}
    assert on_disk <= declared, f"not in pyproject.toml's packages: {sorted(on_disk - declared)}"
    from fnmatch import fnmatch

    patterns = setup.get("package-data", {})
    for path in (ROOT / "defection").rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        owner = max((pkg for pkg in on_disk
                     if path.is_relative_to(ROOT.joinpath(*pkg.split(".")))), key=len)
        rel = path.relative_to(ROOT.joinpath(*owner.split("."))).as_posix()
        assert any(fnmatch(rel, pat) for pat in patterns.get(owner, [])), \
            f"{path.relative_to(ROOT)} is not in pyproject.toml's package-data for {owner}"


@pytest.mark.slow
def test_tables_load_from_an_installed_wheel(tmp_path):
    wheels, site, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(wheels.glob("*.whl"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    probe = (
        "import json, defection; from defection import data; "
        "print(json.dumps({'file': defection.__file__, 'rows': dict(zip(data.tables()['table'], "
        "data.tables()['rows'].astype(int))), "
        "'bundle': len(__import__('defection.charts.live', fromlist=['x']).bundle_source())}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(result["file"]).is_relative_to(site), "the test imported the checkout, not the wheel"
    assert result["rows"]["campaigns"] == 389 and result["rows"]["events"] > 30
    assert result["bundle"] > 500_000, "the wheel must carry the offline chart bundle (js/*.js)"
