"""The live chart widget: stable dataset names, validation, the renderer, the offline bundle."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

import defection
from defection.charts import bundle, live

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _chart(values, title="Shares", subtitle=None):
    frame = pd.DataFrame({"x": list(range(len(values))), "y": values})
    chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q", tooltip=["x", "y"])
    return chart.properties(
        title=alt.TitleParams(title, subtitle=subtitle) if subtitle else title, description="A line."
    )


def test_stable_names_do_not_depend_on_the_rows():
    a = live.chart_spec(_chart([1, 2, 3]))
    b = live.chart_spec(_chart([5, 1, 9, 4]))
    assert list(a["datasets"]) == list(b["datasets"]) == ["course_data_0"]
    assert a["data"] == b["data"] == {"name": "course_data_0"}
    strip = lambda s: {k: v for k, v in s.items() if k != "datasets"}  # noqa: E731
    assert strip(a) == strip(b), "only the rows may differ, so the front end can swap data in place"
    assert a["datasets"] != b["datasets"]


def test_layered_chart_datasets_are_renamed_everywhere():
    base = _chart([1, 2, 3])
    rule = alt.Chart(pd.DataFrame({"y": [2]})).mark_rule().encode(y="y:Q")
    spec = live.chart_spec(alt.layer(base, rule).properties(title="T", description="D"))
    assert set(spec["datasets"]) == {"course_data_0", "course_data_1"}
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    assert "data-" not in text.replace("course_data_", ""), "a hashed dataset name was left behind"


def test_a_spec_without_inline_data_is_left_alone():
    spec = {"mark": "point", "data": {"url": "x.csv"}}
    assert live.stable_spec(spec) is spec


def test_an_invalid_chart_fails_in_python_with_altairs_message():
    broken = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x=alt.X("x:Q", bin="yes"))
    with pytest.raises(Exception, match="bin"):
        live.chart_spec(broken)


def test_describe_gives_title_subtitle_free_text():
    spec = live.chart_spec(_chart([1, 2], title="Who defected", subtitle="by year"))
    assert live.describe(spec) == "Chart: Who defected — A line."
    assert live.describe({}) == "Chart: (untitled)"
    assert live.describe({"title": ["Two", "lines"]}) == "Chart: Two lines"


def test_setup_makes_every_displayed_chart_a_course_chart_widget(monkeypatch):
    monkeypatch.delenv("DEFECTION_STATIC_CHARTS", raising=False)
    defection.setup()
    assert alt.renderers.active == "breaking_ranks"
    data, _metadata = _chart([1, 2, 3])._repr_mimebundle_()
    assert WIDGET_MIME in data
    assert data["text/plain"] == "Chart: Shares — A line."


def test_static_mode_still_draws_svg_for_handouts(monkeypatch):
    monkeypatch.setenv("DEFECTION_STATIC_CHARTS", "1")
    try:
        defection.setup()
        bundle_ = _chart([1, 2, 3])._repr_mimebundle_()
        data = bundle_[0] if isinstance(bundle_, tuple) else bundle_
        assert "image/svg+xml" in data and WIDGET_MIME not in data
    finally:
        monkeypatch.delenv("DEFECTION_STATIC_CHARTS")
        defection.setup()


def test_show_bumps_the_revision_even_for_the_same_chart():
    view = live.CourseChart()
    view.show(_chart([1, 2]))
    first = view.revision
    view.show(_chart([1, 2]))
    assert view.revision == first + 1, "the front end redraws on revision, so it must always move"
    assert view.spec["datasets"]["course_data_0"][0] == {"x": 0, "y": 1}


def test_the_widget_ships_the_offline_bundle():
    source = live.bundle_source()
    assert len(source) > 500_000, "the bundle should contain vega, vega-lite and vega-embed"
    assert "cdn.jsdelivr" not in source and "esm.sh" not in source
    assert live.CourseChart()._esm == source


def test_committed_bundle_matches_its_source():
    """Rebuild with vl-convert and compare: a stale bundle would hide an edit to course_chart.js."""
    assert bundle.main(["--check"]) == 0, "run: python -m defection.charts.bundle"


def test_inline_rows_become_named_datasets_too():
    rows = [{"x": 1}, {"x": 2}]
    spec = {"layer": [{"mark": "point"}], "data": {"values": json.dumps(rows), "format": {"type": "json"}}}
    out = live.stable_spec(spec)
    assert out["data"] == {"name": "course_data_0"}
    assert out["datasets"] == {"course_data_0": rows}
    plain = live.stable_spec({"mark": "bar", "data": {"values": rows}})
    assert plain["data"] == {"name": "course_data_0"} and plain["datasets"]["course_data_0"] == rows


def test_live_params_keep_the_shape_of_a_chart_when_a_setting_moves():
    def chart(domain):
        base = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(
            x=alt.X("x:Q", scale=alt.Scale(domain=alt.ExprRef("live_xs")))
        )
        return base.add_params(live.live_param("xs", domain)).properties(title="t", description="d")

    a, b = live.chart_spec(chart([0, 5])), live.chart_spec(chart([0, 9]))
    assert [p["name"] for p in a["params"]] == ["live_xs"]
    assert a["params"][0]["value"] == [0, 5] and b["params"][0]["value"] == [0, 9]
    # the front end compares everything but rows, titles and live_* values
    strip = lambda s: {**{k: v for k, v in s.items() if k not in ("datasets", "params")},  # noqa: E731
                       "params": [{**p, "value": None} for p in s["params"]]}
    assert strip(a) == strip(b)
