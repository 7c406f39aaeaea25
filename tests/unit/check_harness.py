"""The battery every exercise set's checks must pass, shared by test_checks_lessonNN.py.

A plain helper module (no ``test_`` functions, so pytest does not collect it). Each
lesson's test file supplies what is its own (the notebook stem, plausible wrong answers,
a sample written paragraph, lesson-specific expected values) and calls these helpers:

* ``assert_question_set_shape``: enough questions of every kind, hints, solutions;
* ``assert_solution_passes`` / ``assert_not_answered``: the worked value passes, ``...``
  counts as not answered;
* ``assert_fails_without_revealing`` / ``assert_all_fail_without_revealing`` /
  ``assert_mistakes_get_their_own_feedback``: wrong answers fail, and their feedback never
  gives the expected value away;
* ``assert_never_raises``: junk input (see ``junk``) gives a result, never an exception;
* ``assert_written_answer_behaviour`` / ``assert_model_answers_cite_known_sources``;
* notebook checks (``assert_solution_notebook_matches``, ``assert_exercise_hides_answers``,
  ``assert_written_cells_in_both_notebooks``) and the slow grading run
  (``grade_solution_and_exercise``, ``assert_solution_full_marks_exercise_zero``).
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import altair as alt
import nbformat
import numpy as np
import pandas as pd

from defection import data
from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED, RECORDED, CheckResult
from defection.checks.answers import (
    expected_value,
    hint_texts,
    judge,
    model_answer,
    predicted_mistakes,
    solution_text,
)
from defection.checks.core import written_text
from defection.sources import keys_in_text

ROOT = Path(__file__).resolve().parents[2]
BLANK = "_Write your answer here._"


def ids(questions: Iterable) -> list[str]:
    """Test ids for a parametrisation over questions."""
    return [q.name for q in questions]


def solution_path(stem: str) -> Path:
    return ROOT / "solutions" / stem


def exercise_path(stem: str) -> Path:
    return ROOT / "exercises" / stem


# --------------------------------------------------------------------------- namespaces


def run_worked_solutions(questions: Iterable, namespace: dict) -> dict:
    """Run every question's worked solution, in order, in one namespace (as the notebook does)."""
    for q in questions:
        exec(solution_text(q), namespace)  # noqa: S102 - our own solution text
    return namespace


def run_code_cells(path: Path) -> dict:
    """Execute a notebook's code cells in order (no kernel); return the namespace."""
    ns: dict = {"__name__": "__main__"}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, f"<{path.name}:{cell.get('id')}>", "exec"), ns)  # noqa: S102
    return ns


# --------------------------------------------------------------------------- the set


def assert_question_set_shape(qs, lesson: str) -> None:
    assert qs.lesson == lesson
    kinds = {q.kind for q in qs.auto}
    assert len(qs.auto) >= 6 and len(qs.written) >= 2
    assert {"number", "choice", "set", "frame", "chart"} <= kinds
    for q in qs.auto:
        assert 2 <= len(hint_texts(q)) <= 3, q.name
        assert solution_text(q).strip(), q.name
        assert q.variable and q.variable in solution_text(q), q.name
    for w in qs.written:
        assert w.rubric and len(model_answer(w).split()) > 80, w.name
        assert len(hint_texts(w)) >= 2, f"{w.name}: say what a strong answer addresses"


def assert_solution_passes(q, namespace: dict) -> None:
    assert q.variable in namespace, f"the solution never defines {q.variable}"
    result = judge(q, namespace[q.variable])
    assert result.status == CORRECT, str(result)
    assert result.points == q.points


def assert_not_answered(q) -> None:
    assert judge(q, ...).status == NOT_ANSWERED
    assert q.check(...).status == NOT_ANSWERED


# --------------------------------------------------------------------------- wrong answers


def formats(value: float) -> list[str]:
    """Ways a message could spell out an expected number (each matched as a number on its own)."""
    v = float(value)
    out = {f"{v:.3g}", f"{v:.4g}", f"{v:.2f}", f"{v:.1f}", f"{v:,.0f}", f"{v:.0f}"}
    if 0 < abs(v) < 1:
        out |= {f"{100 * v:.0f}%", f"{100 * v:.1f}%", f"{v:.3f}"}
    return sorted(s for s in out if s not in {"0", "1", "0.0", "1.0", "0.00", "1.00"})


def leaks(value: float) -> list[str]:
    """Spellings of an expected number that must not appear anywhere in a message."""
    x = float(value)
    return [f"{x:.2f}", f"{x:.3f}", f"{x:.4f}", f"{100 * x:.1f}"]


def reveals(text: str, value: float) -> bool:
    """True if ``text`` contains ``value`` written out as a number on its own, or as a leak."""
    for s in formats(value):
        if re.search(r"(?<![\d.,])" + re.escape(s) + r"(?![\d])", text):
            return True
    return any(s in text for s in leaks(value))


def assert_fails_without_revealing(q, answer, expected) -> CheckResult:
    """``answer`` is marked incorrect, with real feedback that does not give ``expected`` away."""
    result = judge(q, answer)
    assert result.status == INCORRECT, (q.name, answer, str(result))
    text = str(result)
    assert len(result.message) > 20, (q.name, text)
    if q.kind == "number" or isinstance(expected, float):
        # the result's label "q4:" names the question, and a pick-from-a-list question may
        # repeat the list the prompt gives: neither can give a value away
        public = text.replace(f"{q.name}:", "", 1)
        if getattr(q, "options", None) is not None and q.kind == "number":
            public = public.replace(", ".join(f"{o:g}" for o in q.options), "")
        assert not reveals(public, expected), (q.name, text)
    elif q.kind == "choice":
        assert f"'{expected}'" not in text and f'"{expected}"' not in text, (q.name, text)
        assert q.options[expected][:30] not in text, (q.name, text)
        if len(str(expected)) > 2:  # a one-letter key would match ordinary words
            assert str(expected) not in text, (q.name, text)
    elif q.kind == "set":
        for item in expected:
            assert str(item) not in text, (q.name, item, text)
    return result


def assert_all_fail_without_revealing(q, answers: Sequence) -> None:
    """At least two plausible wrong answers, each failing without revealing."""
    assert len(answers) >= 2, q.name
    expected = expected_value(q)
    for answer in answers:
        assert_fails_without_revealing(q, answer, expected)


def assert_mistakes_get_their_own_feedback(q) -> None:
    """Every predicted mistake fails quietly and shows the message written for it."""
    expected = expected_value(q)
    for wrong, message in predicted_mistakes(q):
        value = wrong() if callable(wrong) else wrong
        result = assert_fails_without_revealing(q, value, expected)
        assert message in result.message, (q.name, value, result.message)


# --------------------------------------------------------------------------- junk input


def junk(huge_columns: Sequence[str]) -> list:
    """Values no answer should be: each must give a result, never an exception. ``huge`` is
    a 200,000-row frame with the lesson's own column names (so it gets past the first look)."""
    huge = pd.DataFrame(np.zeros((200_000, len(huge_columns))), columns=list(huge_columns))
    tiny = pd.DataFrame({"a": [1]})
    pair = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    return [
        None, float("nan"), float("inf"), "abc", "", [], {}, b"x", (), set(), True,
        pd.DataFrame(), huge, pd.Series(dtype=float), np.arange(5), pd.NA,
        alt.Chart(tiny).mark_arc().encode(theta="a:Q"),
        alt.Chart(pair).mark_arc().encode(theta="a:Q"),
        alt.Chart(pair).mark_point().encode(x="a:Q", y="b:Q"),
        alt.Chart(tiny).mark_bar().encode(x="a:Q") | alt.Chart().mark_line(),
        {"mark": 3, "encoding": "x"}, {"mark": 3}, object(), [[1, 2], [3]], -1, 10**30,
        [None], {"st05": ...},
    ]  # fmt: skip


def assert_never_raises(q, huge_columns: Sequence[str]) -> None:
    for value in junk(huge_columns):
        result = judge(q, value)
        assert isinstance(result, CheckResult)
        assert result.status in (INCORRECT, NOT_ANSWERED), (q.name, type(value), str(result))
        assert isinstance(result.message, str) and result.message, (q.name, type(value))
        str(result)
        result._repr_html_()
    for _ in range(4):
        str(q.hint())
    str(q.solution())


# --------------------------------------------------------------------------- written answers


def assert_written_answer_behaviour(w, paragraph: str) -> None:
    """Blanks and placeholders are not answered; a real ``paragraph`` (with or without the
    answer header) and the model answer are recorded; the rubric comes with the solution."""
    header = f"**Your answer ({w.name}):**"
    for blank in ("", "   ", BLANK, "...", None, ..., header, f"{header}\n\n{BLANK}"):
        assert judge(w, blank).status == NOT_ANSWERED, (w.name, blank)
    assert w.check().status == NOT_ANSWERED
    assert judge(w, paragraph).status == RECORDED
    assert judge(w, f"{header}\n\n{paragraph}").status == RECORDED
    assert judge(w, model_answer(w)).status == RECORDED
    assert judge(w, "Too short to count.").status == NOT_ANSWERED
    assert w.rubric and model_answer(w) and w.points > 0
    assert w.rubric in str(w.solution())


def assert_model_answers_cite_known_sources(qs, at_least: int) -> None:
    known = set(data.load("sources")["source_id"])
    for w in qs.written:
        keys = set(keys_in_text(model_answer(w)))
        assert len(keys) >= at_least and keys <= known, (w.name, keys - known)


# --------------------------------------------------------------------------- notebooks


def notebook_text(path: Path, cell_type: str | None = None) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if cell_type in (None, c.cell_type))


def written_cells(path: Path) -> dict:
    """Written-answer cells of a notebook, by question name."""
    nb = nbformat.read(path, as_version=4)
    return {
        c.metadata["defection"]["answer"]: c.source
        for c in nb.cells
        if c.cell_type == "markdown" and "answer" in c.metadata.get("defection", {})
    }


def assert_solution_notebook_matches(qs, stem: str) -> None:
    """Every task has its check call and solution marker; written cells in question order;
    no cell compares printed output."""
    nb = nbformat.read(solution_path(stem), as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for q in qs.auto:
        assert f"{q.name}.check({q.variable})" in text, q.name
        assert f"# BEGIN SOLUTION: {q.variable} = ..." in text, q.name
    answers = [
        c.metadata.get("defection", {}).get("answer") for c in nb.cells if c.cell_type == "markdown"
    ]
    assert [a for a in answers if a] == [w.name for w in qs.written]
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "nbval-check-output" not in tags


def assert_exercise_hides_answers(qs, stem: str) -> None:
    """The exercise keeps each variable as a placeholder and its check call, and no solution."""
    path = exercise_path(stem)
    everything, code = notebook_text(path), notebook_text(path, "code")
    assert "BEGIN SOLUTION" not in everything and "END SOLUTION" not in everything
    for q in qs.auto:
        assert f"{q.variable} = ..." in code, q.variable
        assert f"{q.name}.check({q.variable})" in code, q.name


def assert_written_cells_in_both_notebooks(qs, stem: str) -> None:
    sol, ex = written_cells(solution_path(stem)), written_cells(exercise_path(stem))
    assert set(sol) == set(ex) == {w.name for w in qs.written}
    for w in qs.written:
        assert sol[w.name].startswith(f"**Your answer ({w.name}):**")
        assert ex[w.name].startswith(f"**Your answer ({w.name}):**")
        assert judge(qs.by_name(w.name), sol[w.name]).status == RECORDED
        assert judge(qs.by_name(w.name), ex[w.name]).status == NOT_ANSWERED
        # the cell holds the model answer word for word (a trailing newline aside)
        assert written_text(sol[w.name]) == model_answer(w).strip()


# --------------------------------------------------------------------------- grading


def grade_solution_and_exercise(tmp_path: Path, stem: str, **options) -> tuple[dict, Path]:
    """Grade the solution (as student alice) and the untouched exercise (bob) with the real
    grader; return the rows by student and the gradebook path. ``options`` go to grade()."""
    from defection.grade import grade

    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(solution_path(stem), subs / f"alice__{stem}")
    shutil.copy(exercise_path(stem), subs / f"bob__{stem}")
    out = tmp_path / "out" / "gradebook.csv"
    rows = grade(subs, out, timeout=300, progress=lambda msg: None, **options)
    return {r.student: r for r in rows}, out


def assert_solution_full_marks_exercise_zero(qs, by_student: dict, out: Path) -> None:
    alice, bob = by_student["alice"], by_student["bob"]
    assert alice.graded and bob.graded, (alice.notes, bob.notes)
    assert alice.maximum == qs.max_points == bob.maximum
    assert alice.total == qs.max_points, (alice.scores, alice.notes)
    assert not math.isnan(alice.total)
    assert bob.total == 0, (bob.scores, bob.notes)
    for w in qs.written:
        assert alice.scores.get(w.name) == "recorded"
        assert bob.scores.get(w.name) != "recorded"
    assert out.exists() and (out.parent / "written_answers.md").exists()
    with open(out, newline="", encoding="utf-8-sig") as fh:  # a BOM, for Excel
        table = {r["student"]: r for r in csv.DictReader(fh)}
    assert table["alice"]["total"] == table["alice"]["max"]
    assert table["bob"]["total"] == "0"
