"""Lesson 1 chart builders and panels: titles, descriptions, axes, tooltips, markers."""

import json

import pandas as pd
import pytest

from defection.charts.cohesion import (
    cascade_chart,
    navco_rates_chart,
    outcomes_chart,
    threshold_chart,
)
from defection.comparative import navco_rates, outcomes_by_defection
from defection.models.cascade import cascade, threshold_curve
from defection.widgets.cohesion import (
    CASCADE_DEFAULTS,
    cascade_caption,
    cascade_diagram,
    cascade_panel,
    cases_caption_text,
    cases_panel,
    cases_selection,
)

CASES = pd.DataFrame(
    {
        "case_id": ["a", "b", "c", "d"],
        "country": ["Philippines", "China", "Bahrain", "Myanmar"],
        "region": pd.Categorical(["Asia", "Asia", "Middle East & North Africa", "Asia"]),
        "year": pd.array([1986, 1989, 2011, 2021], dtype="Int64"),
        "method": pd.Categorical(["nonviolent", "nonviolent", "nonviolent", "mixed"]),
        "sf_defection": pd.Categorical(["major", "none", "none", "partial"]),
        "outcome": pd.Categorical(["ruler_fell", "ruler_survived", "ruler_survived", "ongoing"]),
    }
)


def layers(spec):
    return spec.get("layer", [spec])


def test_cascade_chart_draws_both_ranks_and_says_when_a_majority_is_out():
    r = cascade(repression=0.3)
    spec = cascade_chart(r).to_dict()
    assert spec["title"]["text"] == "Defection cascade in a threshold model"
    assert f"after {r.rounds_to_majority} rounds" in spec["description"]
    marks = [l["mark"]["type"] for l in layers(spec)]
    assert marks == ["line", "text"]
    line = layers(spec)[0]
    rows = spec["datasets"][line["data"]["name"]]
    assert {row["group"] for row in rows} == {"all soldiers", "officers", "rank and file"}
    shown = min(len(r.rounds), max(6, r.rounds_to_stop + 4))
    assert len(rows) == 3 * shown and shown < len(r.rounds), "only the rounds that matter"
    assert max(row["round"] for row in rows) > r.rounds_to_stop, "a flat tail shows the stop"
    assert line["encoding"]["x"]["title"] and line["encoding"]["y"]["title"]
    assert line["encoding"]["tooltip"]
    text = layers(spec)[1]
    dot, words = spec["datasets"][text["data"]["name"]]  # critical mass 0: no third label
    assert dot["label"] == "●" and dot["round"] == r.rounds_to_majority
    assert words["label"] == f"● majority out after {r.rounds_to_majority} rounds"
    # one legend: colour and dash share their domain
    dash = line["encoding"]["strokeDash"]["scale"]["domain"]
    assert dash == line["encoding"]["color"]["scale"]["domain"]


def test_cascade_chart_marks_the_critical_mass_of_a_stalled_cascade():
    r = cascade(repression=0.6, spread=0.25)
    spec = cascade_chart(r).to_dict()
    assert "No cascade" in spec["description"] and "Critical mass" in spec["description"]
    text = layers(spec)[1]
    stall, mass = spec["datasets"][text["data"]["name"]]
    assert stall["label"].startswith(f"stalls at {r.final_share:.0%}")
    assert mass == {"round": 0, "share": round(r.critical_mass, 4),
                    "label": f"● critical mass {r.critical_mass:.0%}"}


def test_cascade_chart_says_when_there_is_no_critical_mass():
    r = cascade(repression=1.0, incentives=0.0, exit_options=0.0, spread=0.1)
    spec = cascade_chart(r).to_dict()
    (row,) = spec["datasets"][layers(spec)[1]["data"]["name"]]
    assert row["label"].endswith("critical mass none short of a majority")
    assert "no push short of a majority" in spec["description"]


def test_threshold_chart():
    spec = threshold_chart(threshold_curve(cascade())).to_dict()
    assert spec["title"] and spec["description"]
    assert spec["mark"]["type"] == "line"
    assert "crosses the diagonal from below" in spec["description"]


def test_threshold_chart_marks_stop_and_critical_mass():
    r = cascade(repression=0.6, spread=0.25)
    spec = threshold_chart(threshold_curve(r), r).to_dict()
    marks = [l["mark"]["type"] for l in layers(spec)]
    assert marks == ["line", "text"]
    points = spec["datasets"][layers(spec)[1]["data"]["name"]]
    assert [p["share_out"] for p in points] == [r.stall_point, r.critical_mass]
    assert points[1]["label"] == f"● critical mass {r.critical_mass:.0%}"
    weighted = cascade(repression=0.6, officer_weight=5)
    spec = threshold_chart(threshold_curve(weighted), weighted).to_dict()
    assert "officers weighted" in layers(spec)[0]["encoding"]["x"]["title"]


def test_threshold_curve_includes_the_marked_points():
    r = cascade(repression=0.6, spread=0.25)
    xs = set(threshold_curve(r)["share_out"])
    assert r.stall_point in xs and r.critical_mass in xs


def test_outcomes_chart_counts_every_case_and_lists_them():
    table = outcomes_by_defection(CASES)
    spec = outcomes_chart(table).to_dict()
    assert "4 comparative cases" in spec["description"]
    enc = spec["encoding"]
    assert enc["x"]["title"] == "Number of cases" and enc["y"]["title"]
    assert "ruler fell" in enc["color"]["scale"]["domain"]
    assert any(t["field"] == "examples" for t in enc["tooltip"])
    rows = next(iter(spec["datasets"].values()))
    assert sum(r["cases"] for r in rows) == 4


def test_outcomes_chart_with_no_cases_still_builds():
    spec = outcomes_chart(outcomes_by_defection(CASES.iloc[0:0])).to_dict()
    assert "0 comparative cases" in spec["description"]


def test_navco_rates_chart():
    df = pd.DataFrame(
        {
            "defect": [1, 1, 0, 0, 1, 0],
            "success": [1, 0, 1, 0, 1, 0],
            "nonviol": [1, 1, 1, 1, 0, 0],
            "viol": [0, 0, 0, 0, 1, 1],
        }
    )
    spec = navco_rates_chart(navco_rates(df)).to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == "%"
    assert spec["title"] and spec["description"]


def test_cascade_panel_redraws_and_captions():
    panel = cascade_panel()
    assert panel.is_model and panel.redraws == 1
    assert set(panel.values) == set(CASCADE_DEFAULTS)
    before = panel.caption_text()
    assert "Critical mass" in before
    panel.controls["repression"].value = 0.2
    assert panel.redraws == 2
    assert panel.caption_text() != before and "The cascade tips" in panel.caption_text()
    assert "No cascade" in cascade_caption(0.9, 0.0, 0.0, 0.2, 500)


def test_cascade_panel_shows_information_control_and_ranks():
    panel = cascade_panel()
    panel.controls["repression"].value = 0.4
    assert "The cascade tips" in panel.caption_text()
    panel.controls["information_control"].value = 0.6
    assert "No cascade" in panel.caption_text()
    panel.controls["information_control"].value = 0.0
    panel.controls["repression"].value = 0.5
    panel.controls["officer_shift"].value = -0.15
    panel.controls["officer_weight"].value = 3.0
    assert "top-down" in panel.caption_text()
    assert "each officer counting as 3" in panel.caption_text()


def test_cascade_diagram_matches_the_panel_settings():
    spec = cascade_diagram(repression=0.6, spread=0.25).to_dict()
    r = cascade(repression=0.6, spread=0.25)
    assert f"Critical mass: {r.critical_mass:.0%}" in spec["description"]


def test_cases_panel_filters_and_captions():
    panel = cases_panel(CASES)
    assert panel.controls["decades"].options == ("1980s", "2010s", "2020s")
    assert "4 cases shown" in panel.caption_text()
    assert "fell in 1 of 1" in panel.caption_text()
    panel.controls["decades"].index = (1, 2)
    assert "2 cases shown" in panel.caption_text()
    assert panel.redraws == 2
    shown = cases_selection(CASES, ["Asia"], ["nonviolent"], ("1980s", "2020s"))
    assert list(shown["country"]) == ["Philippines", "China"]
    assert cases_caption_text(CASES.iloc[0:0]).startswith("No case matches")


def test_cases_caption_counts_a_coup_apart_from_defection():
    coup = pd.DataFrame({
        "case_id": ["e"], "country": ["Sudan"], "region": ["Africa"],
        "year": pd.array([2019], dtype="Int64"), "method": ["nonviolent"],
        "sf_defection": ["coup"], "outcome": ["ruler_fell"],
    })
    text = cases_caption_text(pd.concat([CASES.astype(object), coup], ignore_index=True))
    assert "fell in 1 of 1" in text  # the Philippines only: Sudan's fall is not a defection
    assert "with none, in 0 of 2" in text
    assert "1 coup by the army's own leadership counted apart" in text


@pytest.mark.parametrize("first", ["decades"])
def test_first_control_of_cases_panel_is_a_slider(first):
    # the browser test moves the first slider it finds
    assert next(iter(cases_panel(CASES).controls)) == first


@pytest.mark.parametrize("rep", [0.2, 0.45, 0.9])
def test_chart_specs_are_strict_json(rep):
    # NaN in a spec breaks Jupyter's message serialisation (the widget then hangs)
    r = cascade(repression=rep)
    charts = (
        cascade_chart(r),
        threshold_chart(threshold_curve(r)),
        threshold_chart(threshold_curve(r), r),
        outcomes_chart(outcomes_by_defection(CASES)),
    )
    for chart in charts:
        json.dumps(chart.to_dict(), allow_nan=False)
