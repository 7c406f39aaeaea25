"""``python -m defection.site``: the folder is the last line of stdout; failures are one message."""

from __future__ import annotations

from pathlib import Path

import pytest

from defection.site import __main__ as cli
from defection.site import builder as build_module
from defection.site.deps import MissingSiteDependencies


def _fake_report(tmp_path: Path, warnings=()):
    return build_module.BuildReport(tmp_path, 12.3, 29, 170, 8_900_000, list(warnings))


def test_the_last_line_of_stdout_is_the_absolute_site_folder(monkeypatch, tmp_path, capsys):
    calls = {}

    def fake(out, *, execute, verbose, progress):
        calls.update(out=out, execute=execute, verbose=verbose)
        progress("Preparing pages ...")
        return _fake_report(tmp_path.resolve())

    monkeypatch.setattr(build_module, "build_report", fake)
    assert cli.main(["--out", str(tmp_path), "--no-execute"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == str(tmp_path.resolve()) and Path(lines[-1]).is_absolute()
    assert lines[0] == "Preparing pages ..." and len(lines) <= 4, "progress stays short"
    assert "Built 29 pages (8.9 MB in 170 files) in 12 s." in lines
    assert calls == {"out": tmp_path, "execute": False, "verbose": False}


def test_sphinx_warnings_go_to_stderr_and_the_path_is_still_last(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(
        build_module, "build_report",
        lambda out, **_: _fake_report(tmp_path, ["lessons/01.ipynb: WARNING: something odd"]),
    )
    assert cli.main([]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines()[-1] == str(tmp_path)
    assert "1 warning(s) from Sphinx" in captured.err and "something odd" in captured.err


@pytest.mark.parametrize("error", [
    MissingSiteDependencies("Building the course website needs Sphinx ..."),
    build_module.SiteBuildError("the site build failed: lessons/03 cell 12"),
])
def test_a_failed_build_exits_1_with_one_message_and_no_traceback(monkeypatch, capsys, error):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(build_module, "build_report", fail)
    assert cli.main([]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and str(error) in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_the_default_folder_is_build_site_in_the_course(monkeypatch):
    root = Path(__file__).resolve().parents[2]
    assert build_module.DEFAULT_OUT == root / "build" / "site"
    assert "build/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_course_folder_missing_its_parts_is_reported_as_a_build_error(monkeypatch, tmp_path):
    from defection.site import stage

    monkeypatch.setattr(stage, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(stage.stage, "__defaults__", (tmp_path,))
    with pytest.raises(build_module.SiteBuildError, match=r"cannot prepare the site's pages: .*lacks README.md, lessons"):
        build_module.build_report(tmp_path / "out", execute=False)
