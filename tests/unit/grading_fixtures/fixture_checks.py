"""A tiny check module used only by tests/unit/test_grade.py (lesson "01" of a fake course)."""

from defection.checks import (
    ChartQuestion,
    ChoiceQuestion,
    FrameQuestion,
    NumberQuestion,
    SetQuestion,
    WrittenQuestion,
    register,
)


def _table():
    import pandas as pd

    return pd.DataFrame({"x": [1, 2], "when": pd.to_datetime(["2021-02-01", "2023-10-27"])})


q1 = NumberQuestion("q1", "answer_total", "sum of 0..9", expected=lambda: sum(range(10)), points=2)
q2 = FrameQuestion("q2", "answer_table", "a small table", expected=_table)
q3 = ChoiceQuestion("q3", "answer_choice", "pick b", options=["a", "b", "c"], expected="b")
q4 = SetQuestion("q4", "answer_items", "two countries", expected=["Egypt", "Tunisia"])
q5 = ChartQuestion("q5", "answer_chart", "a line chart", mark="line", encodings={"x": "a:Q", "y": "b:Q"})
w1 = WrittenQuestion("w1", "Why do armies split?", rubric="names a mechanism", min_words=5)

QUESTIONS = register(q1, q2, q3, q4, q5, w1, lesson="01")
