"""Hints in all five sets are tiered: the first one helps, the last is a near-solution with
blanks to fill, and none is the answer itself; every written question has real hints and a
model answer behind .solution()."""

from __future__ import annotations

import re

import pytest

from defection.checks import load_questions

LESSONS = ("01", "02", "03", "04", "05", "06")
SETS = {n: load_questions(f"defection.checks.lesson{n}", fresh=False) for n in LESSONS}
AUTO = [(lesson, q) for lesson, qs in SETS.items() for q in qs.auto]
WRITTEN = [(lesson, w) for lesson, qs in SETS.items() for w in qs.written]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace('"', "'"))


def answer_line(q) -> str:
    """The right-hand side of the solution's last assignment to the question's variable."""
    rhs = ""
    for line in q.solution_code.splitlines():
        m = re.match(rf"\s*{re.escape(q.variable)}\s*=(?!=)(.*)", line)
        if m:
            rhs = m.group(1).split("#")[0]
    return squash(rhs)


@pytest.mark.parametrize("lesson,q", AUTO, ids=[f"{n}-{q.name}" for n, q in AUTO])
def test_hints_are_tiered_and_never_the_answer(lesson, q):
    assert 2 <= len(q.hints) <= 3, q.name
    assert len(set(q.hints)) == len(q.hints), q.name
    rhs = answer_line(q)
    for i, hint in enumerate(q.hints, 1):
        if len(rhs) >= 20:  # short generic ends like pd.DataFrame(rows) may be shown
            assert rhs not in squash(hint), (lesson, q.name, i, hint)
    if q.kind != "choice":
        assert "..." in q.hints[-1], (lesson, q.name, "the last hint is a near-solution")
        assert not q.hints[0].startswith("Fill in"), (lesson, q.name, "the first hint helps")
    else:
        for hint in q.hints:
            assert f'"{q.expected_value()}"' not in hint and f"'{q.expected_value()}'" not in hint


@pytest.mark.parametrize("lesson,w", WRITTEN, ids=[f"{n}-{w.name}" for n, w in WRITTEN])
def test_written_questions_have_real_hints_and_a_model_answer(lesson, w):
    assert len(w.hints) >= 2, w.name
    shown = [str(w.hint()) for _ in w.hints]
    for text in shown:
        assert "No hint" not in text and "re-read the question" not in text
        assert len(text.split()) >= 25, text
    assert "strong answer" in shown[0].casefold() or "strong memo" in shown[0].casefold()
    solution = str(w.solution())
    assert w.model_answer[:80] in solution and "Rubric:" in solution


def test_a_written_question_without_hints_falls_back_to_its_rubric():
    from defection.checks import WrittenQuestion

    w = WrittenQuestion("wx", prompt="p", rubric="2 pts: uses evidence.", model_answer="m")
    assert "uses evidence" in str(w.hint())
