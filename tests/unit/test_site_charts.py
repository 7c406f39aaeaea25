"""Charts and panels on the static website: HTML that draws locally, with text alternatives."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import altair as alt
import pandas as pd
import pytest

from defection.charts import site_html, theme
from defection.charts.live import chart_spec
from defection.site import chart_script, deps


def _chart(title="Who left", description="Bars of defectors by year."):
    frame = pd.DataFrame({"year": ["2021", "2022"], "n": [2000, 3000]})
    chart = alt.Chart(frame).mark_bar().encode(x="year:N", y="n:Q", tooltip=["year", "n"])
    return chart.properties(title=title, description=description)


def _spec_json(markup: str) -> dict:
    host = re.search(r'data-course-chart-spec="([^"]+)"', markup).group(1)
    body = re.search(rf'<script type="application/json" id="{host}">(.*?)</script>', markup, re.DOTALL)
    assert body, "the host names a spec that is not in the markup"
    return json.loads(body.group(1))


def test_chart_html_holds_the_spec_and_a_visible_description_and_loads_nothing():
    markup = site_html.chart_html(chart_spec(_chart()))
    assert '<figcaption class="course-chart-description">Bars of defectors by year.</figcaption>' in markup
    assert "<noscript>" in markup, "readers without JavaScript get the one-line description"
    assert not re.search(r"<script[^>]*\bsrc=", markup), "the chart must not load a script itself"
    assert not re.search(r"https?://(?!vega\.github\.io/schema)", markup), "no address outside the spec's $schema"
    spec = _spec_json(markup)
    assert spec["title"] == "Who left" and spec["datasets"], "the whole spec travels with the page"


def test_without_a_visible_description_the_figure_is_labelled():
    markup = site_html.chart_html(chart_spec(_chart()), show_description=False)
    assert "<figcaption" not in markup
    assert '<figure class="course-chart-static" aria-label="Bars of defectors by year.">' in markup


def test_markup_in_a_title_cannot_break_out_of_the_page():
    markup = site_html.chart_html(chart_spec(_chart(title="</script><b>x</b>", description="<i>d</i> & e")))
    assert "</script><b>" not in markup
    assert _spec_json(markup)["title"] == "</script><b>x</b>", "the JSON still reads back exactly"
    assert "&lt;i&gt;d&lt;/i&gt; &amp; e" in markup


def test_two_identical_charts_on_one_page_get_different_ids():
    spec = chart_spec(_chart())
    first, second = site_html.chart_html(spec), site_html.chart_html(spec)
    ids = [re.search(r'id="([^"]+)"', m).group(1) for m in (first, second)]
    assert ids[0] != ids[1]


def test_site_mode_makes_altair_display_html_with_a_text_fallback(monkeypatch):
    monkeypatch.setenv(theme.SITE_ENV, "1")
    theme.configure_altair(alt)
    try:
        bundle = _chart()._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert set(data) == {"text/html", "text/plain"}, "no widget view: a static page has no kernel"
        assert data["text/plain"] == "Chart: Who left — Bars of defectors by year."
        assert "data-course-chart-spec" in data["text/html"]
    finally:
        monkeypatch.delenv(theme.SITE_ENV)
        theme.configure_altair(alt)
    assert alt.renderers.active == theme.RENDERER


def test_a_panel_on_the_site_shows_chart_caption_settings_and_how_to_run_it(monkeypatch):
    monkeypatch.setenv(theme.SITE_ENV, "1")
    from defection.widgets.cohesion import cascade_panel

    panel = cascade_panel()
    markup = panel.site_html()
    assert markup.startswith('<section class="course-panel">')
    assert "Shown at its starting settings:" in markup and "Soldiers in the model: 1000" in markup
    assert f'<p class="course-panel-caption">{panel.caption_text()[:40]}' in markup
    assert "This is a teaching model" in markup
    assert ('This panel is interactive when you run the lesson: <a href="../install.html">install the '
            'course</a> or <a href="../install.html#binder">open it on Binder</a>.') in markup
    assert _spec_json(markup)["description"], "the panel's chart keeps its text description"
    monkeypatch.setenv("BREAKING_RANKS_SITE_BINDER_URL", "https://binder.example/v2/gh/o/r/HEAD")
    assert '<a href="https://binder.example/v2/gh/o/r/HEAD">open it on Binder</a>' in panel.site_html()


def test_a_panel_displays_its_site_html_in_site_mode(monkeypatch):
    monkeypatch.setenv(theme.SITE_ENV, "1")
    from defection.widgets import core
    from defection.widgets.timeline import timeline_panel

    shown = []
    monkeypatch.setattr(core, "display", lambda obj, raw=False: shown.append((obj, raw)))
    panel = timeline_panel()
    panel._ipython_display_()
    (bundle, raw), = shown
    assert raw and set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"].startswith(panel.title)


def test_the_site_script_is_the_course_bundle_as_a_plain_script():
    module = "const a=1;function r(){return a}const __default={render:r};export{__default as default};\n"
    script = chart_script.classic_script(module)
    assert "export" not in script
    assert script.rstrip().endswith("window.BreakingRanksChart = __default;\n})();")
    with pytest.raises(chart_script.BundleShapeError, match="python -m defection.charts.bundle"):
        chart_script.classic_script("export default 1;")
    with pytest.raises(chart_script.BundleShapeError, match="besides its final default export"):
        chart_script.classic_script("export{x};const __d=1;export{__d as default};")
    real = chart_script.site_script()
    assert "window.BreakingRanksChart = __default;" in real and "export{" not in real[-2000:]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_site_script_runs_as_a_plain_script(tmp_path):
    path = tmp_path / "site.js"
    path.write_text(chart_script.site_script(), encoding="utf-8")
    probe = f"global.window = {{}}; require({json.dumps(str(path))}); " \
            "console.log(typeof window.BreakingRanksChart.render)"
    result = subprocess.run(["node", "-e", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "function", result.stderr


def test_a_missing_site_tool_is_named_with_the_install_command():
    with pytest.raises(deps.MissingSiteDependencies) as info:
        deps.check({"sphinx": "Sphinx", "no_such_module_here": "no-such-package"})
    message = str(info.value)
    assert message.startswith("Building the course website needs no-such-package, which is not installed")
    assert deps.INSTALL_COMMAND in message
    assert deps.missing({"json": "json"}) == []
