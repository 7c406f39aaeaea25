"""What a student can reach from a question object, and how a check cell shows its calls.

Issue 19 found ``q8.expected_value()``, ``q8.solution_code`` and, on a lettered question,
``sorted(q3.feedback)`` (every option but the right one) one Tab away. For every question
of all five sets this walks ``dir(q)``: every public attribute, and every public method
that takes no argument (``solution()`` aside: it is the one meant to show the answer),
must neither be nor hold the answer, nor appear in ``repr``/``_repr_html_``.

A check cell holds ``qN.check()``, ``qN.hint()`` and ``qN.solution()``; Jupyter shows only
a cell's last value, so each call must show itself, once, in a live IPython shell.
"""

from __future__ import annotations

import copy
import inspect
import math
from collections.abc import Mapping

import pandas as pd
import pytest

from defection.checks import Question, load_questions
from defection.checks.answers import (
    expected_value,
    hint_texts,
    model_answer,
    option_feedback,
    solution_text,
)
from defection.checks.values import _norm_item

LESSONS = ("01", "02", "03", "04", "05")
ALL = [
    (lesson, q)
    for lesson in LESSONS
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False)
]
IDS = [f"{lesson}-{q.name}" for lesson, q in ALL]
STUDENT_CALLS = {"check", "hint", "solution", "evaluate"}  # need an answer, or show by design


def public_values(q: Question) -> dict[str, object]:
    """Every public attribute of ``q``, with no-argument methods called (on a copy)."""
    q = copy.copy(q)
    out = {}
    for name in dir(q):
        if name.startswith("_") or name in STUDENT_CALLS:
            continue
        value = getattr(q, name)
        if inspect.ismethod(value):
            required = [
                p for p in inspect.signature(value).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]  # fmt: skip
            if required:
                continue
            value = value()
        out[name] = value
    return out


def flattened(value: object, depth: int = 0) -> list[object]:
    items = [value]
    if depth < 2 and isinstance(value, Mapping):
        for k, v in value.items():
            items += flattened(k, depth + 1) + flattened(v, depth + 1)
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            items += flattened(v, depth + 1)
    return items


def is_answer(q: Question, value: object, answer: object) -> bool:
    if isinstance(answer, (pd.DataFrame, pd.Series)):
        return isinstance(value, type(answer)) and value.shape == answer.shape and bool(
            (value.astype(str).to_numpy() == answer.astype(str).to_numpy()).all()
        )
    if q.kind == "number":
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isclose(float(value), float(answer), rel_tol=1e-9, abs_tol=1e-12)
        )  # fmt: skip
    if q.kind == "set":
        try:
            return {_norm_item(v) for v in value} == {_norm_item(v) for v in answer}
        except TypeError:
            return False
    return False


def spellings(q: Question, answer: object) -> list[str]:
    """Text that would hand the answer over if a public string held it."""
    out = []
    if q.kind == "number":
        places = q.decimals if q.decimals is not None else 4
        for p in {places, places + 1, 6}:
            text = f"{float(answer):.{p}f}"
            if len(text.strip("0.-")) >= 2:
                out.append(text)
    lines = [line.strip() for line in solution_text(q).splitlines()]
    out += [line for line in lines if q.variable and line.startswith(f"{q.variable} =")]
    out += [h for h in hint_texts(q) if len(h) > 30]
    if model_answer(q):
        out.append(model_answer(q)[:80])
    return out


@pytest.mark.parametrize("lesson,q", ALL, ids=IDS)
def test_nothing_public_hands_over_the_answer(lesson, q):
    answer = expected_value(q) if q.auto and q.kind != "chart" else None
    texts = spellings(q, answer)
    for name, value in public_values(q).items():
        for item in flattened(value):
            if answer is not None and name != "options":  # a list to pick from holds it
                assert not is_answer(q, item, answer), (lesson, q.name, name)
            if isinstance(item, str):
                for text in texts:
                    assert text not in item, (lesson, q.name, name, text)
    for shown in (repr(q), q._repr_html_()):
        for text in texts:
            assert text not in shown, (lesson, q.name, text)


@pytest.mark.parametrize("lesson,q", [c for c in ALL if c[1].kind == "choice"],
                         ids=[i for i, c in zip(IDS, ALL) if c[1].kind == "choice"])
def test_no_public_mapping_leaves_out_only_the_right_option(lesson, q):
    """``sorted(q3.feedback)`` once listed every wrong option: the missing one won."""
    assert option_feedback(q), (lesson, q.name)  # the feedback is still there, privately
    wrong = {_norm_item(k) for k in q.options} - {_norm_item(expected_value(q))}
    for name, value in public_values(q).items():
        for item in flattened(value):
            if isinstance(item, (Mapping, list, tuple, set, frozenset)) and item:
                keys = {_norm_item(k) for k in item}
                assert keys != wrong, (lesson, q.name, name)


def test_the_names_from_the_issue_are_gone():
    q8 = load_questions("defection.checks.lesson02", fresh=False).by_name("q8")
    q3 = load_questions("defection.checks.lesson02", fresh=False).by_name("q3")
    for name in ("expected_value", "solution_code", "hints", "mistakes", "also"):
        assert not hasattr(q8, name), name
    assert not hasattr(q3, "feedback")
    w1 = load_questions("defection.checks.lesson02", fresh=False).by_name("w1")
    assert not hasattr(w1, "model_answer")
    assert model_answer(w1)[:40] in str(w1.solution())  # still shown, when asked for


# ---------------------------------------------------------------- check cells in IPython


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    try:
        yield sh
    finally:
        InteractiveShell.clear_instance()


def run_cell(shell, code: str):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        result = shell.run_cell(code, store_history=True)  # as a kernel runs a cell
    assert result.success, result.error_in_exec
    return captured


def test_check_hint_and_solution_all_show_in_one_cell(shell):
    run_cell(shell, "from defection.checks.lesson01 import q1\nsuccess_rate_with = 0.5")
    cap = run_cell(shell, "q1.check()\nq1.hint()\nq1.solution()")
    shown = [o.data["text/plain"] for o in cap.outputs]
    assert len(shown) == 3, shown  # none lost, none twice
    assert shown[0].startswith("✗ q1") and "Hint 1 of" in shown[1] and "Solution" in shown[2]
    assert all("text/html" in o.data for o in cap.outputs)
    cap = run_cell(shell, "q1.hint()")  # the next tier, shown once
    assert [o.data["text/plain"] for o in cap.outputs][0].count("Hint 2 of") == 1
    assert len(cap.outputs) == 1


def test_a_kept_result_still_shows_when_asked_again(shell):
    run_cell(shell, "from defection.checks.lesson01 import q2\nr = q2.check(0.1)")
    cap = run_cell(shell, "r")
    assert len(cap.outputs) == 1 and "q2" in cap.outputs[0].data["text/plain"]


def test_outside_ipython_nothing_is_displayed(capsys):
    q = load_questions("defection.checks.lesson01", fresh=False).by_name("q1")
    result = copy.copy(q).check(0.5)
    assert result.status == "incorrect"
    assert capsys.readouterr().out == ""
