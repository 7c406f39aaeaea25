"""Hints in all five sets are tiered: the first one helps, the last is a near-solution with
blanks to fill, and none is the answer itself; every written question has real hints and a
model answer behind .solution()."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from defection.checks import load_questions
from defection.checks.answers import expected_value, hint_texts, model_answer, solution_text

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ("01", "02", "03", "04", "05", "06")
SETS = {n: load_questions(f"defection.checks.lesson{n}", fresh=False) for n in LESSONS}
AUTO = [(lesson, q) for lesson, qs in SETS.items() for q in qs.auto]
WRITTEN = [(lesson, w) for lesson, qs in SETS.items() for w in qs.written]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace('"', "'"))


def answer_line(q) -> str:
    """The right-hand side of the solution's last assignment to the question's variable."""
    rhs = ""
    for line in solution_text(q).splitlines():
        m = re.match(rf"\s*{re.escape(q.variable)}\s*=(?!=)(.*)", line)
        if m:
            rhs = m.group(1).split("#")[0]
    return squash(rhs)


@pytest.mark.parametrize("lesson,q", AUTO, ids=[f"{n}-{q.name}" for n, q in AUTO])
def test_hints_are_tiered_and_never_the_answer(lesson, q):
    assert 2 <= len(hint_texts(q)) <= 3, q.name
    assert len(set(hint_texts(q))) == len(hint_texts(q)), q.name
    rhs = answer_line(q)
    for i, hint in enumerate(hint_texts(q), 1):
        if len(rhs) >= 20:  # short generic ends like pd.DataFrame(rows) may be shown
            assert rhs not in squash(hint), (lesson, q.name, i, hint)
    if q.kind != "choice":
        assert "..." in hint_texts(q)[-1], (lesson, q.name, "the last hint is a near-solution")
        assert not hint_texts(q)[0].startswith("Fill in"), (lesson, q.name, "the first hint helps")
    else:
        for hint in hint_texts(q):
            assert f'"{expected_value(q)}"' not in hint and f"'{expected_value(q)}'" not in hint


@pytest.mark.parametrize("lesson,w", WRITTEN, ids=[f"{n}-{w.name}" for n, w in WRITTEN])
def test_written_questions_have_real_hints_and_a_model_answer(lesson, w):
    assert len(hint_texts(w)) >= 2, w.name
    shown = [str(w.hint()) for _ in hint_texts(w)]
    for text in shown:
        assert "No hint" not in text and "re-read the question" not in text
        assert len(text.split()) >= 25, text
    assert "strong answer" in shown[0].casefold() or "strong memo" in shown[0].casefold()
    solution = str(w.solution())
    assert model_answer(w)[:80] in solution and "Rubric:" in solution


def test_a_written_question_without_hints_falls_back_to_its_rubric():
    from defection.checks import WrittenQuestion

    w = WrittenQuestion("wx", prompt="p", rubric="2 pts: uses evidence.", model_answer="m")
    assert "uses evidence" in str(w.hint())


def _names_defined(code: str) -> set[str]:
    """Names a piece of code assigns, loops over or imports (read, not run)."""
    names = set(re.findall(r"(?<![\w.\[])([A-Za-z_]\w*)\s*=(?!=)", code))
    for pair in re.findall(r"([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*(?:=(?!=)|\s+in\b)", code):
        names |= set(pair)
    names |= set(re.findall(r"\bfor\s+([A-Za-z_]\w*)\s+in\b", code))
    names |= set(re.findall(r"\bimport\s+(?:[\w.]+\s+as\s+)?([A-Za-z_]\w*)", code))
    # "from m import a, b" ends at the line's end; "from m import (a,\n b)" at its ")"
    for paren, plain in re.findall(r"\bfrom\s+[\w.]+\s+import\s+(?:\(([\w,\s]+)\)|([\w, \t]+))", code):
        names |= {n.strip() for n in (paren or plain).split(",") if n.strip()}
    return names


@pytest.mark.parametrize("lesson", LESSONS)
def test_fill_in_hints_use_only_names_the_exercise_or_the_hint_defines(lesson):
    """Hint 3 of 03 q1 and 05 q7 once used `embrace` and `options`, defined by no cell."""
    import builtins

    path = next((ROOT / "exercises").glob(f"{lesson}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    known = _names_defined(code) | set(dir(builtins))
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False).auto:
        last = hint_texts(q)[-1]
        if not last.startswith("Fill in"):
            continue
        used = set(re.findall(r"(?<![\w.'\"])([A-Za-z_]\w*)(?=\.[A-Za-z_]|\[)", last))
        unknown = sorted(used - known - _names_defined(last))
        assert not unknown, (lesson, q.name, unknown, last)
