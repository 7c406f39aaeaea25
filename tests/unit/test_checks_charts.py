"""Every chart question in all five sets fails a broken or wrong chart, saying what is wrong.

A student once reached ✓ with a chart altair could not display, with a chart of a column
that does not exist, with a chart of every row instead of the subset the task names, and
with no titles or tooltip although the task asked for them. Each case is built here from
the solution notebook's own chart, for every chart question, both as the chart object
(the notebook's self-check) and as its ``to_dict()`` (what the grader receives).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

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


# ---- what is drawn, not what is written (issue 19) -----------------------------------
# Each chart below is the solution's own chart with one change that alters what Vega draws
# but not the spec's data or encodings, which is what the checks used to read.


def _numbered(chart, keep: str):
    """The solution chart keeping only the rows whose running number passes ``keep``."""
    return chart.transform_window(row_no="row_number()").transform_filter(keep)


def _with_mark(chart, **props) -> dict:
    """The solution chart's spec with ``props`` added to its mark (mark_...(opacity=0))."""
    spec = chart.to_dict()
    mark = spec["mark"] if isinstance(spec["mark"], dict) else {"type": spec["mark"]}
    spec["mark"] = {**mark, **props}
    return spec


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_chart_vega_cannot_parse_fails_saying_so(lesson, q):
    chart = solution_chart(lesson, q).transform_filter("datum.year >>> ")
    assert_fails_naming(q, chart, "cannot draw")
    result = q.evaluate(chart)
    assert "Unexpected end of input" in result.message
    assert "https://" not in result.message and "\n    at " not in result.message


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_filter_keeping_no_row_fails(lesson, q):
    assert_fails_naming(q, solution_chart(lesson, q).transform_filter("false"), "draws nothing")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_filter_on_a_misspelt_column_names_it(lesson, q):
    chart = solution_chart(lesson, q).transform_filter("datum.no_such_column > 0")
    assert_fails_naming(q, chart, "datum.no_such_column")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_filter_keeping_one_row_fails(lesson, q):
    assert_fails_naming(q, _numbered(solution_chart(lesson, q), "datum.row_no == 1"),
                        "draws 1 mark ")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_filter_keeping_some_rows_fails(lesson, q):
    assert_fails_naming(q, _numbered(solution_chart(lesson, q), "datum.row_no % 2 == 0"),
                        "leaves rows out")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_sample_of_the_rows_fails(lesson, q):
    assert_fails_naming(q, solution_chart(lesson, q).transform_sample(1), "transform_sample")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_a_filter_keeping_every_row_passes(lesson, q):
    chart = solution_chart(lesson, q)
    kept = _numbered(chart, "datum.row_no >= 1").transform_sample(100_000)
    assert q.evaluate(kept).passed, str(q.evaluate(kept))
    assert q.evaluate(kept.to_dict()).passed


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_marks_that_cannot_be_seen_fail(lesson, q):
    chart = solution_chart(lesson, q)
    for hidden, words in (
        (_with_mark(chart, opacity=0), ("opacity 0",)),
        (chart.encode(opacity=alt.value(0)), ("opacity 0",)),
        (chart.encode(size=alt.value(0)), ("size 0", "zero width")),
    ):
        assert_fails_naming(q, hidden, "can be seen", *words)
        result = q.evaluate(hidden)
        assert any(w in result.message for w in words), result.message


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_positions_that_are_all_missing_fail(lesson, q):
    """Vega leaves out marks with no valid quantitative position: nothing is drawn."""
    chart = solution_chart(lesson, q)
    encodings = (q.alternatives[0] if q.alternatives else q).encodings
    number = next(e["field"] for e in encodings.values() if e.get("type") == "quantitative")
    assert number in chart.data.columns
    assert_fails_naming(q, chart.transform_calculate(**{number: "null"}), "draws nothing")


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_an_invalid_type_fails_plainly(lesson, q):
    spec = solution_chart(lesson, q).to_dict()
    spec["encoding"]["y"] = {**spec["encoding"]["y"], "type": "Z"}
    result = q.evaluate(spec)
    assert result.status == INCORRECT and "cannot display" in result.message
    assert len(result.message.splitlines()) == 1


def test_set_02_q5_filters_from_the_issue_fail():
    q = load_questions("defection.checks.lesson02", fresh=False).by_name("q5")
    chart = solution_chart("02", q)
    years = sorted(chart.data["year"])
    assert_fails_naming(q, chart.transform_filter(f"datum.year == {years[-1]}"), "draws 1 mark ")
    assert_fails_naming(q, chart.transform_filter("datum.year > 3000"), "draws nothing")
    assert_fails_naming(q, chart.transform_filter("datum.year >>> "), "cannot draw")


def test_set_03_q4_filters_from_the_issue_fail():
    q = load_questions("defection.checks.lesson03", fresh=False).by_name("q4")
    chart = solution_chart("03", q)
    counts = chart.data["claimant"].astype(str).value_counts()
    present = [c for c in counts.index if counts[c] > 0]
    claimant = next((c for c in present if "'" in c), present[-1])  # quoting, as in the issue
    only = chart.transform_filter(alt.datum.claimant == claimant)
    assert_fails_naming(q, only, "leaves rows out")
    three = _numbered(chart, "datum.row_no <= 3")
    assert_fails_naming(q, three, "draws 3 marks")


def test_set_05_q5_filters_from_the_issue_fail():
    q = load_questions("defection.checks.lesson05", fresh=False).by_name("q5")
    chart = solution_chart("05", q)
    table = chart.data
    assert table["split_at_top"].sum() >= 1
    assert_fails_naming(q, chart.transform_filter("datum.split_at_top"), "leaves rows out")
    longest = float(table["senior_defection"].max())
    dropped = chart.transform_filter(f"datum.senior_defection < {longest!r}")
    assert_fails_naming(q, dropped, "leaves rows out")


def test_set_01_q7_accepts_the_mean_drawn_from_the_whole_table():
    """The drawn rows of y='mean(success):Q' are the aggregated ones: compared as such."""
    q = load_questions("defection.checks.lesson01", fresh=False).by_name("q7")
    ns = _NAMESPACES.get("01") or (solution_chart("01", q) and _NAMESPACES["01"])
    chart = solution_chart("01", q)
    whole = alt.Chart(ns["nonviolent"]).mark_bar().encode(
        x=alt.X("defect:N", title="Defected"), y=alt.Y("mean(success):Q", title="Success rate"),
        tooltip=["defect:N", "mean(success):Q"],
    )
    assert q.evaluate(whole).passed, str(q.evaluate(whole))
    assert_fails_naming(q, whole.transform_filter("datum.year > 3000"), "draws nothing")
    assert q.evaluate(chart).passed


def test_a_filter_that_only_picks_the_task_rows_from_a_bigger_table_passes():
    """Judged by what is drawn: the right rows drawn from a bigger table are right."""
    q = load_questions("defection.checks.lesson04", fresh=False).by_name("q8")
    chart = solution_chart("04", q)
    claimed_ids = sorted(chart.data["count_id"])
    every = chart.copy(deep=False)
    every.data = _NAMESPACES["04"]["counts"]
    picked = every.transform_filter(alt.FieldOneOfPredicate(field="count_id", oneOf=claimed_ids))
    assert q.evaluate(picked).passed, str(q.evaluate(picked))


# ---- the grader gives no point for a chart that draws the wrong thing -----------------


def _through_the_grader(lesson: str, q, answer) -> tuple[float, str]:
    """Score ``answer`` the way the grader does: dumped by the cell it appends to the
    student's notebook, decoded, and re-checked with freshly imported questions."""
    import tempfile
    from pathlib import Path

    from defection.grading.recheck import Row, finish
    from defection.grading.transfer import decode, dump_cell_source

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.json"
        exec(dump_cell_source([q.variable], str(path)), {q.variable: answer, "__name__": "x"})
        raw = json.loads(path.read_text(encoding="utf-8"))
    values = {name: decode(json.loads(text)) for name, text in raw.items()}
    questions = load_questions(f"defection.checks.lesson{lesson}", fresh=True)
    row = finish(Row(student="s", notebook=f"{lesson}.ipynb"), questions, values)
    return row.scores[q.name], row.feedback[q.name]


@pytest.mark.parametrize("lesson,q", CASES, ids=IDS)
def test_the_grader_gives_no_point_for_a_chart_that_draws_the_wrong_thing(lesson, q):
    chart = solution_chart(lesson, q)
    assert _through_the_grader(lesson, q, chart)[0] == q.points
    for broken, words in (
        (chart.transform_filter("datum.year >>> "), "cannot draw"),
        (chart.transform_filter("false"), "draws nothing"),
        (_numbered(chart, "datum.row_no == 1"), "draws 1 mark "),
        (chart.transform_sample(1), "leaves rows out"),
        (chart.encode(opacity=alt.value(0)), "can be seen"),
    ):
        score, feedback = _through_the_grader(lesson, q, broken)
        assert score == 0, (q.name, words, feedback)
        assert words in feedback, feedback


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_a_check_in_a_kernel_with_capped_memory_reads_the_spec_instead_of_aborting(tmp_path):
    """The grader caps each kernel's address space (4096 MB); Vega's engine aborts the
    whole process under such a cap, which would lose every later answer. There the check
    reads the spec (as before), and the grader, which can draw, judges the drawing."""
    q = load_questions("defection.checks.lesson02", fresh=False).by_name("q5")
    chart = solution_chart("02", q)
    (tmp_path / "good.json").write_text(json.dumps(chart.to_dict()))
    (tmp_path / "bad.json").write_text(json.dumps(chart.transform_filter("false").to_dict()))
    code = (
        "import json, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4096 * 2**20, 4096 * 2**20))\n"
        "from defection.checks import load_questions\n"
        "q = load_questions('defection.checks.lesson02', fresh=True).by_name('q5')\n"
        "for name in ('good', 'bad'):\n"
        "    spec = json.load(open(sys.argv[1] + '/' + name + '.json'))\n"
        "    print(name, q.evaluate(spec).status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=300, cwd=H.ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["good", "correct", "bad", "correct"], done.stdout
    # The same bad chart, where the engine can start (the grader's own process): ✗.
    assert q.evaluate(json.loads((tmp_path / "bad.json").read_text())).status == INCORRECT


def test_data_from_a_file_or_web_address_is_refused_without_fetching_it():
    q = load_questions("defection.checks.lesson02", fresh=False).by_name("q5")
    spec = solution_chart("02", q).to_dict()
    spec.pop("datasets", None)
    spec["data"] = {"url": "https://example.invalid/spending.csv"}
    assert_fails_naming(q, spec, "web address")
    spec["data"] = {"sequence": {"start": 0, "stop": 1e12, "as": "year"}}
    assert_fails_naming(q, spec, "very long sequence")


def test_value_labels_layered_on_the_bars_still_pass():
    """Judging the drawing must not punish a second mark drawn from the same rows."""
    q = load_questions("defection.checks.lesson02", fresh=False).by_name("q5")
    chart = solution_chart("02", q)
    labelled = alt.layer(chart, chart.mark_text(dy=-6).encode(text="value:Q")).properties(
        title=chart.title
    )
    assert q.evaluate(labelled).passed, str(q.evaluate(labelled))
    assert q.evaluate(labelled.to_dict()).passed
