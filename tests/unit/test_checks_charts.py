"""Every chart question in all five sets fails a broken or wrong chart, saying what is wrong.

A student once reached ✓ with a chart altair could not display, with a chart of a column
that does not exist, with a chart of every row instead of the subset the task names, and
with no titles or tooltip although the task asked for them. Each case is built here from
the solution notebook's own chart, for every chart question, both as the chart object
(the notebook's self-check) and as its ``to_dict()`` (what the grader receives).
"""

from __future__ import annotations

import copy

import altair as alt
import check_harness as H
import pytest

from defection.checks import INCORRECT, load_questions

STEMS = {
    "01": "01_regime_cohesion.ipynb",
    "02": "02_military_economy.ipynb",
    "03": "03_defection_motivations.ipynb",
    "04": "04_surrender_dynamics.ipynb",
    "05": "05_synthesis.ipynb",
    "06": "06_replication_lab.ipynb",
}
CASES = [
    (lesson, q)
    for lesson in STEMS
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False).auto
    if q.kind == "chart"
]
IDS = [f"{lesson}-{q.name}" for lesson, q in CASES]
_NAMESPACES: dict[str, dict] = {}


def solution_chart(lesson: str, q) -> alt.TopLevelMixin:
    if lesson not in _NAMESPACES:
        _NAMESPACES[lesson] = H.run_code_cells(H.solution_path(STEMS[lesson]))
    return _NAMESPACES[lesson][q.variable]


def assert_fails_naming(q, answer, *words: str) -> None:
    for value in (answer, answer.to_dict(validate=False)) if hasattr(answer, "to_dict") else (
        answer,
    ):
        result = q.evaluate(value)
        assert result.status == INCORRECT, (q.name, str(result))
        text = result.message.casefold()
        assert any(w.casefold() in text for w in words), (q.name, words, result.message)


def without(spec: dict, key: str) -> dict:
    """A copy of a chart spec with ``key`` removed from the top level and every encoding."""
    spec = copy.deepcopy(spec)

    def strip(node):
        if isinstance(node, dict):
            if key == "title":
                node.pop("title", None)
            for channel, enc in list((node.get("encoding") or {}).items()):
                if channel == key:
                    del node["encoding"][channel]
                elif isinstance(enc, dict) and key == "title":
                    enc.pop("title", None)
                    for guide in ("axis", "legend"):
                        if isinstance(enc.get(guide), dict):
                            enc[guide].pop("title", None)
            for sub in node.get("layer", []) or []:
                strip(sub)

    strip(spec)
    return spec


def test_every_set_has_a_chart_question():
    assert {lesson for lesson, _ in CASES} == set(STEMS)


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_the_solution_chart_passes_as_object_and_as_dict(lesson, q):
    chart = solution_chart(lesson, q)
    assert q.evaluate(chart).passed, str(q.evaluate(chart))
    assert q.evaluate(chart.to_dict()).passed


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_altair_cannot_display_fails(lesson, q):
    chart = solution_chart(lesson, q).copy(deep=True)
    chart.width = "wide"  # set directly, so only display-time validation catches it
    with pytest.raises(Exception):
        chart.to_dict(validate=True)
    assert_fails_naming(q, chart, "cannot display")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_of_a_column_that_does_not_exist_fails(lesson, q):
    chart = solution_chart(lesson, q)
    bad = chart.encode(tooltip=["no_such_column:N"])
    assert_fails_naming(q, bad, "no_such_column")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_of_the_wrong_rows_fails(lesson, q):
    chart = solution_chart(lesson, q)
    fewer = chart.copy(deep=False)
    fewer.data = chart.data.iloc[:-1]
    assert_fails_naming(q, fewer, "rows")
    changed = chart.copy(deep=False)
    table = chart.data.copy()
    field = q.alternatives[0].encodings["y"]["field"] if q.alternatives else None
    column = field or next(c for c in ("value", "senior_defection", "odds_ratio") if c in table.columns)
    table[column] = table[column] * 2
    changed.data = table
    assert_fails_naming(q, changed, "not the same")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_without_the_titles_the_task_asks_for_fails(lesson, q):
    assert q.titles, f"{q.name}: every chart task asks for axis titles"
    spec = solution_chart(lesson, q).to_dict()
    assert_fails_naming(q, without(spec, "title"), "title")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_without_the_tooltip_the_task_asks_for_fails(lesson, q):
    assert q.tooltip, f"{q.name}: every chart task asks for a tooltip"
    spec = solution_chart(lesson, q).to_dict()
    assert_fails_naming(q, without(spec, "tooltip"), "tooltip")


def test_set_04_q8_rejects_every_count_instead_of_the_claimed_ones():
    q = load_questions("defection.checks.lesson04", fresh=False).by_name("q8")
    chart = solution_chart("04", q)
    every = chart.copy(deep=False)
    every.data = _NAMESPACES["04"]["counts"]
    assert_fails_naming(q, every, "claimed")


def test_set_03_q4_tooltip_must_show_what_the_task_names():
    q = load_questions("defection.checks.lesson03", fresh=False).by_name("q4")
    chart = solution_chart("03", q).encode(tooltip=["claimant:N", "as_of:T"])
    assert_fails_naming(q, chart, "'status'")


def test_set_02_q5_needs_a_chart_title():
    q = load_questions("defection.checks.lesson02", fresh=False).by_name("q5")
    spec = solution_chart("02", q).to_dict()
    spec.pop("title", None)
    assert_fails_naming(q, spec, "no title")
