"""Checks of the checks for exercise set 03 (why soldiers defect).

The battery every set shares lives in check_harness.py; this file adds what is Lesson 3's.
"""

from __future__ import annotations

import ast
import math

import altair as alt
import check_harness as H
import nbformat
import pandas as pd
import pytest

from defection import coding, data
from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED
from defection.checks.answers import (
    expected_value,
    judge,
    model_answer,
    predicted_mistakes,
    solution_text,
)
from defection.checks import lesson03 as L
from defection.models.calculus import calculus, overall_share
from defection.sources import keys_in_text

STEM = "03_defection_motivations.ipynb"
SOLUTION = H.solution_path(STEM)
EXERCISE = H.exercise_path(STEM)
QS = L.QUESTIONS
AUTO = QS.auto
WITH_MISTAKES = [q for q in AUTO if predicted_mistakes(q)]


@pytest.fixture(scope="module")
def solution_ns():
    return H.run_code_cells(SOLUTION)


@pytest.fixture(scope="module")
def counts():
    return data.load("defection_counts")


def embrace_pair(counts) -> pd.DataFrame:
    keep = (
        counts["claimant"].astype(str).str.contains("Embrace")
        & (counts["who_counted"] == "soldiers")
        & (counts["measure"] == "cumulative")
    )
    return counts[keep].sort_values("as_of")


def reference_list() -> list[str]:
    s = data.load("statements")
    return [s.loc[s["statement_id"] == i, "reference_code"].iloc[0] for i in L.CODING_IDS]


def plausible_wrong(counts) -> dict:
    """At least two plausible wrong answers per auto question, computed from the data."""
    pair = embrace_pair(counts)
    (d0, v0), (d1, v1) = [(r.as_of, float(r.value)) for r in pair.itertuples()]
    days = (d1 - d0).days
    codebook = data.load("motivations")
    obstacles = codebook[codebook["type"] == "obstacle"]
    ref = reference_list()
    second = list(L.SECOND_CODER)
    run = calculus(**L.MODEL_SETTINGS).set_index("rank")
    totals = counts[(counts["who_counted"] == "soldiers") & (counts["measure"] == "cumulative")]
    base = alt.Chart(totals)
    return {
        "q1": [v1 / days, (v1 - v0) / 365, days / (v1 - v0), 100 * (v1 - v0) / days,
               v1 / (d1 - pd.Timestamp("2021-02-01")).days],  # fmt: skip
        "q2": ["a", "c", "d"],
        "q3": [
            counts["claimant_type"].value_counts(),
            counts.groupby("claimant_type", observed=False).size().reset_index(name="figures"),
            counts.groupby("claimant_type", observed=True)["value"].sum().reset_index(
                name="figures"
            ),
            counts.groupby("claimant_type", observed=True).size().reset_index(name="count"),
            counts.groupby("claimant", observed=True).size().reset_index(name="figures"),
        ],
        "q4": [
            base.mark_line().encode(x="as_of:T", y="value:Q", color="claimant:N"),
            base.mark_point().encode(x="as_of:T", y="value:Q", color="status:N"),
            base.mark_bar().encode(x="claimant:N", y="value:Q"),
            base.mark_point().encode(x="as_of:T", y="value:Q"),
            base.mark_point().encode(x="value:Q", y="as_of:T", color="claimant:N"),
        ],
        "q5": [
            sorted(obstacles["code"].astype(str)),
            sorted(obstacles.loc[obstacles["immediacy"] == "immediate", "code"].astype(str)),
            sorted(obstacles.loc[obstacles["immediacy"] == "structural", "label"].astype(str)),
            "economic_ties",
        ],
        "q6": [1 - coding.agreement(second, ref), 100 * coding.agreement(second, ref),
               coding.agreement(second, sorted(ref))],  # fmt: skip
        "q7": [
            coding.agreement(second, ref),
            coding.chance_agreement(second, ref),
            coding.agreement(second, ref) - coding.chance_agreement(second, ref),
            coding.cohens_kappa(ref, ref),
        ],
        "q8": [
            float(run.loc["private", "expected_defectors"]),
            float(calculus().set_index("rank").loc["private", "share"]),
            overall_share(run.reset_index()),
            100 * float(run.loc["private", "share"]),
        ],
        "q9": [
            float(run.loc["senior officer", "expected_defectors"]),
            float(run.loc["junior officer", "share"]),
            float(calculus().set_index("rank").loc["senior officer", "share"]),
        ],
        "q10": ["exit_support", "punishment_risk", "moral_cost", "family_risk"],
    }


# ------------------------------------------------------------------ the set as a whole


def test_question_set_shape():
    H.assert_question_set_shape(QS, "03")


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_solution_passes(q, solution_ns):
    H.assert_solution_passes(q, solution_ns)


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_worked_solutions_run_and_pass(q, solution_ns):
    """solution_text(q), run in the solution's namespace, gives a value that passes."""
    ns = dict(solution_ns)
    ns.pop(q.variable, None)
    exec(compile(solution_text(q), f"<{q.name}.solution>", "exec"), ns)
    assert judge(q, ns[q.variable]).status == CORRECT


# ------------------------------------------------------------ expected values, by hand


def test_daily_rate_from_the_two_embrace_totals(counts):
    pair = embrace_pair(counts)
    assert list(pair["count_id"]) == ["dc012", "dc018"]
    assert pair["claimant"].astype(str).nunique() == 2  # why the exercise needs startswith
    days = (pair["as_of"].iloc[1] - pair["as_of"].iloc[0]).days
    rate = (float(pair["value"].iloc[1]) - float(pair["value"].iloc[0])) / days
    assert math.isclose(expected_value(L.q1), rate)
    assert 0 < rate < 10
    # counting both end days is accepted, a rate per 365 days is not
    assert judge(L.q1, rate * days / (days + 1)).status == CORRECT
    assert judge(L.q1, rate * days / 365).status == INCORRECT


def test_query_with_text_date_finds_nothing_but_mask_does(counts):
    """The pitfall the exercise warns about (pandas 3): keep the warning true."""
    assert len(counts.query("as_of == '2021-12-01'")) == 0
    assert len(counts[counts["as_of"] == pd.Timestamp("2021-12-01")]) >= 1


def test_q2_rests_on_the_data(counts):
    pair = embrace_pair(counts)
    assert set(pair["qualifier"].astype(str)) == {"more_than", "about"}
    assert set(pair["who_counted"].astype(str)) == {"soldiers"}  # so option c is wrong
    assert pair["notes"].str.contains("Most left between").any()
    days = (pair["as_of"].iloc[1] - pair["as_of"].iloc[0]).days
    assert 12 * 30 < days < 14 * 31  # "about thirteen months"
    assert expected_value(L.q2) == "b"


def test_figures_by_type_counts_every_row_and_no_junta(counts):
    got = expected_value(L.q3)
    assert list(got.columns) == ["claimant_type", "figures"]
    assert got["figures"].sum() == len(counts)
    assert "junta" not in set(got["claimant_type"].astype(str))
    assert "junta" in set(counts["claimant_type"].cat.categories)  # a type with no rows
    # the row order a student gets after converting to text is accepted too
    as_text = counts.assign(claimant_type=counts["claimant_type"].astype(str))
    assert judge(L.q3, as_text.groupby("claimant_type").size().reset_index(name="figures")).passed


def test_w2_model_answer_dates_the_nug_totals_as_the_data_do(counts):
    """The model answer says how far apart the NUG's 20,000 and 15,000 were; the rows put
    them 99 days apart (it once said four months), and the solution cell says the same."""
    rows = counts.set_index("count_id")
    days = (rows.loc["dc025", "as_of"] - rows.loc["dc024", "as_of"]).days
    assert 80 <= days <= 110 and (rows.loc["dc024", "value"], rows.loc["dc025", "value"]) == (
        20000,
        15000,
    )
    w2 = QS.by_name("w2")
    assert "about three months" in model_answer(w2) and "four months" not in model_answer(w2)
    cell = H.written_cells(H.solution_path(STEM))["w2"]
    assert "about three months" in cell and "four months" not in cell


def test_structural_obstacles_by_hand():
    m = data.load("motivations")
    rows = m[(m["type"] == "obstacle") & (m["immediacy"] == "structural")]
    assert sorted(expected_value(L.q5)) == sorted(rows["code"].astype(str))
    assert len(rows) >= 2 and len(m[m["type"] == "obstacle"]) > len(rows)
    assert judge(L.q5, rows["code"].astype(str).str.upper().tolist()[::-1]).passed


def test_coding_values_by_hand():
    ref = reference_list()
    second = list(L.SECOND_CODER)
    p_o = sum(a == b for a, b in zip(second, ref)) / len(ref)
    share = {k: ref.count(k) / len(ref) for k in set(ref)}
    p_e = sum(share[k] * second.count(k) / len(second) for k in share)
    assert math.isclose(expected_value(L.q6), p_o)
    assert math.isclose(expected_value(L.q7), (p_o - p_e) / (1 - p_e))
    assert 0 < expected_value(L.q7) < expected_value(L.q6) < 1


def test_model_values_and_q10_by_hand():
    run = calculus(**L.MODEL_SETTINGS).set_index("rank")["share"]
    assert math.isclose(expected_value(L.q8), run["private"])
    assert math.isclose(expected_value(L.q9), run["senior officer"])
    assert expected_value(L.q9) < expected_value(L.q8)
    rises = {}
    for name, value in {"punishment_risk": 0.3, "family_risk": 0.3, "exit_support": 0.7,
                        "moral_cost": 0.8, "regime_survival": 0.4}.items():  # fmt: skip
        moved = calculus(**{**L.MODEL_SETTINGS, name: value}).set_index("rank")["share"]
        rises[name] = (moved - run).to_dict()
    senior = {k: v["senior officer"] for k, v in rises.items()}
    private = {k: v["private"] for k, v in rises.items()}
    assert expected_value(L.q10) == max(senior, key=senior.get)
    # with punishment weighted by survival, expected survival is every rank's strongest
    # lever; the notebook's "check the privates" contrast relies on exit support coming
    # second for privates only
    assert expected_value(L.q10) == "regime_survival" == max(private, key=private.get)
    second = lambda d: sorted(d, key=d.get)[-2]  # noqa: E731
    assert second(private) == "exit_support" != second(senior)
    assert all(v > 0 for v in senior.values())


# ------------------------------------------------------------------ wrong answers, junk


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_plausible_wrong_answers_fail_without_revealing(q, counts):
    H.assert_all_fail_without_revealing(q, plausible_wrong(counts)[q.name])


@pytest.mark.parametrize("q", WITH_MISTAKES, ids=H.ids(WITH_MISTAKES))
def test_every_mistake_gets_its_own_feedback(q):
    H.assert_mistakes_get_their_own_feedback(q)


def test_targeted_mistake_messages(counts):
    pair = embrace_pair(counts)
    v0, v1 = (float(v) for v in pair["value"])
    days = (pair["as_of"].iloc[1] - pair["as_of"].iloc[0]).days
    assert "difference" in judge(L.q1, v1 / days).message
    assert "per day" in judge(L.q1, (v1 - v0) / (days / 30.44)).message
    assert "observed=True" in judge(L.q3, 
        counts.groupby("claimant_type", observed=False).size().reset_index(name="figures")
    ).message
    assert "added up" in judge(L.q3, 
        counts.groupby("claimant_type", observed=True)["value"].sum().reset_index(name="figures")
    ).message
    assert "Series" in judge(L.q3, counts["claimant_type"].value_counts()).message
    assert "IMMEDIATE" in judge(L.q5, ["punishment_family", "isolation_information"]).message
    ref, second = reference_list(), list(L.SECOND_CODER)
    assert "100 times" in judge(L.q6, 100 * coding.agreement(second, ref)).message
    assert "chance" in judge(L.q7, coding.chance_agreement(second, ref)).message
    assert "plain agreement" in judge(L.q7, coding.agreement(second, ref)).message
    run = calculus(**L.MODEL_SETTINGS).set_index("rank")
    defectors = float(run.loc["private", "expected_defectors"])
    assert "number of soldiers" in judge(L.q8, defectors).message
    assert "default" in judge(L.q9, 
        float(calculus().set_index("rank").loc["senior officer", "share"])
    ).message
    assert "privates" in judge(L.q10, "exit_support").message
    assert judge(L.q10, "more exit support").status == INCORRECT  # labels work as answers
    assert judge(L.q10, "Lower expected regime survival").passed


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_placeholder_is_not_answered(q):
    H.assert_not_answered(q)


@pytest.mark.parametrize("q", AUTO, ids=H.ids(AUTO))
def test_junk_never_raises(q):
    H.assert_never_raises(q, huge_columns=["claimant_type", "figures", "x"])


# ------------------------------------------------------------------- written answers


@pytest.mark.parametrize("w", QS.written, ids=H.ids(QS.written))
def test_written_blank_placeholder_and_real_answer(w):
    H.assert_written_answer_behaviour(
        w,
        "A defector changes sides, a deserter hides and a surrenderer gives up in battle; "
        "mixing them inflates counts and confuses who should be vetted or held to account.",
    )


def test_written_cells_in_both_notebooks():
    H.assert_written_cells_in_both_notebooks(QS, STEM)


def test_model_answers_and_notebook_cite_known_sources():
    H.assert_model_answers_cite_known_sources(QS, at_least=1)  # w3 cites one reading
    known = set(data.load("sources")["source_id"])
    keys = set(keys_in_text(H.notebook_text(SOLUTION, "markdown")))
    assert keys and keys <= known, keys - known


# ------------------------------------------------------------------------- notebooks


def test_notebook_states_the_same_inputs_as_the_checks():
    """The second coder and the model settings are typed in the notebook for students
    to read; they must be the ones the checks use."""
    ns: dict = {}
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(("second_coder =", "settings =")):
            exec(cell.source, {"dict": dict}, ns)
        if cell.cell_type == "code" and cell.source.startswith("five ="):
            ns["five"] = ast.literal_eval(cell.source.splitlines()[0].split("=", 1)[1].strip())
    assert ns["second_coder"] == list(L.SECOND_CODER)
    assert ns["settings"] == L.MODEL_SETTINGS
    assert ns["five"] == list(L.CODING_IDS)


def test_solution_codes_freely_with_the_reference(solution_ns):
    assert solution_ns["my_codes"] == dict(zip(L.CODING_IDS, reference_list(), strict=True))


def test_solution_notebook_matches_the_questions():
    H.assert_solution_notebook_matches(QS, STEM)


def test_exercise_keeps_every_variable_as_placeholder():
    H.assert_exercise_hides_answers(QS, STEM)
    assert 'my_codes = {"st05": ...' in H.notebook_text(EXERCISE, "code")


def test_exercise_code_runs_and_answers_nothing():
    ns = H.run_code_cells(EXERCISE)  # raises if any cell fails without answers
    for q in QS.auto:
        assert ns[q.variable] is Ellipsis
        assert judge(q, ns[q.variable]).status == NOT_ANSWERED


def test_notebook_layout():
    nb = nbformat.read(SOLUTION, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# Exercise set 03 — Why soldiers defect")
    assert "Estimated time:" in first.source
    assert nb.cells[1].source == "import defection\ndefection.setup()"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        assert "nbval-check-output" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


@pytest.mark.slow
def test_grading_solution_full_marks_exercise_zero(tmp_path):
    by_student, out = H.grade_solution_and_exercise(tmp_path, STEM, cell_timeout=120)
    H.assert_solution_full_marks_exercise_zero(QS, by_student, out)
