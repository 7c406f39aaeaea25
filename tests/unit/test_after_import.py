"""The post-import hook that lets ``defection.setup()`` configure altair without importing it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from defection.charts.after_import import _AfterImportFinder, when_imported


def _fake_module(tmp_path, name, body="VALUE = 42\n"):
    (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
    return name


def test_callback_runs_after_a_later_import(tmp_path, monkeypatch):
    name = _fake_module(tmp_path, "br_fake_later")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    when_imported(name, lambda m: seen.append(m.VALUE))
    assert seen == []
    __import__(name)
    assert seen == [42]
    assert not any(isinstance(f, _AfterImportFinder) and f.name == name for f in sys.meta_path)
    sys.modules.pop(name, None)


def test_callback_runs_at_once_when_already_imported():
    seen = []
    when_imported("json", lambda m: seen.append(m.__name__))
    assert seen == ["json"]


def test_two_callbacks_share_one_hook_and_both_run(tmp_path, monkeypatch):
    name = _fake_module(tmp_path, "br_fake_twice")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    when_imported(name, lambda m: seen.append("a"))
    when_imported(name, lambda m: seen.append("b"))
    assert sum(isinstance(f, _AfterImportFinder) and f.name == name for f in sys.meta_path) == 1
    __import__(name)
    assert seen == ["a", "b"]
    sys.modules.pop(name, None)


def test_a_missing_module_still_raises_import_error(monkeypatch):
    when_imported("br_no_such_module_anywhere", lambda m: None)
    try:
        __import__("br_no_such_module_anywhere")
    except ModuleNotFoundError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a missing module must not import")


def test_setup_leaves_altair_unimported_until_a_chart_needs_it():
    script = textwrap.dedent("""
        import sys, defection
        defection.setup()
        assert "altair" not in sys.modules, "setup() imported altair"
        import altair as alt
        assert alt.renderers.active == "breaking_ranks", alt.renderers.active
        assert alt.theme.active == "breaking_ranks", alt.theme.active
        assert alt.data_transformers.active == "course"
        import importlib.resources
        assert importlib.resources.files("altair").joinpath("jupyter").is_dir()
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
