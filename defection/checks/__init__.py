"""Self-checks for the exercises: one ``Question`` per auto-checked answer, per lesson.

How to write a lesson check module (``defection/checks/lessonNN.py``)::

    \"\"\"Self-checks for lesson 01, regime cohesion.\"\"\"
    from defection import data
    from defection.checks import (
        ChartQuestion, ChoiceQuestion, FrameQuestion, NumberQuestion, SetQuestion,
        WrittenQuestion, register,
    )

    def _rate_with():                      # expected values are computed, never typed in
        c = data.load("campaigns")
        return float(c.loc[c["defect"] == 1, "success"].mean())

    q1 = NumberQuestion(
        "q1", variable="success_rate_with",
        prompt="Share of campaigns with security-force defection that succeeded",
        expected=_rate_with, decimals=3,       # the prompt says "to three decimal places"
        hints=["Keep the rows where defect == 1.", "Then take the mean of 'success'.",
               "Fill in: campaigns.loc[campaigns['defect'] == ..., ...].mean()"],
        solution='success_rate_with = campaigns.loc[campaigns["defect"] == 1, "success"].mean()',
        mistakes=[(lambda: 100 * _rate_with(), "Give a share between 0 and 1.")],
        points=1,
    )
    q2 = ChoiceQuestion("q2", variable="answer_q2", prompt="...", options=["a", "b", "c"],
                        expected="b", feedback={"a": "That confuses correlation with cause."})
    q3 = SetQuestion("q3", variable="cases_with_defection", prompt="...",
                     expected=lambda: sorted(...))           # order-free, case-insensitive
    q4 = FrameQuestion("q4", variable="counts_by_claimant", prompt="...",
                       expected=lambda: ..., check_index=True, ignore_row_order=False)
    q5 = ChartQuestion("q5", variable="timeline_chart", prompt="...",
                       mark="line", encodings={"x": "as_of:T", "y": "value:Q"},
                       fields=["as_of", "value"], data=_timeline_rows,   # the rows asked for
                       data_hint="the table `timeline` prepared above",
                       titles=("x", "y"), tooltip=True)          # what the task asks for
    q6 = NumberQuestion("q6", variable="lowest_level", prompt="...", expected=_lowest,
                        options=[0.5, 0.6, 0.7], recheck="run the model at each level ...")
    w1 = WrittenQuestion("w1", prompt="Could defections end the dictatorship?",
                         rubric="2 pts: uses evidence ...", model_answer="...",
                         hints=["A strong answer ...", "Then ..."], points=4)

    QUESTIONS = register(q1, q2, q3, q4, q5, q6, w1, lesson="01")

In the solution notebook: ``from defection.checks.lesson01 import q1, q2, w1`` then, after
the student's cell, a cell ``q1.check(success_rate_with)``; ``q1.hint()``; ``q1.solution()``
(each call displays its own result, so all three can share one cell).
The variable named by ``variable=`` is what the grader reads from the executed notebook,
so the exercise must keep that assignment (see ``defection.exercises``:
``# BEGIN SOLUTION: success_rate_with = ...``). Written answers: see
``defection.checks.core`` (cell metadata ``{"defection": {"answer": "w1"}}`` and a first
line ``**Your answer (w1):**``).

Rules every question keeps (tests in ``tests/unit/test_checks_*.py`` hold them for all five
sets): the solution value passes, plausible wrong values fail without revealing the expected
value, and ``...`` gives "not answered". A number states its precision in the prompt
(``decimals=``, a whole number with ``decimals=0``, or ``options=`` for a pick from a list)
and is accepted at exactly that precision; its feedback never states an invertible size
(see ``defection.checks.kinds.number``). A chart is validated as altair does on display and
checked for the rows, fields, mark, titles and tooltip its task asks for. Hints are tiered:
the first helps, the last is the solution with blanks (``...``) to fill, none is the answer
line itself. Written questions have hints saying what a strong answer addresses.

What a student can reach is only ``check()``, ``hint()``, ``solution()`` and metadata
(name, points, prompt): expected values, worked solutions, hint texts, predicted mistakes
and per-option feedback are private, and the grader, the tests and authors read them
through :mod:`defection.checks.answers` (``expected_value(q)``, ``judge(q, answer)``...).
Feedback is built so that searching is no faster than the task: after three wrong values
a question stops giving direction or counts (``Question._guarded``), a number hears which
way only on a first far-off value, and a list of every candidate hears no names
(running a cell again with the same value is not a new try).

The kinds live in ``defection.checks.kinds`` (one module each); ``defection.checks.core``
re-exports every name for older imports.
"""

from defection.checks.core import (
    CORRECT,
    INCORRECT,
    NOT_ANSWERED,
    RECORDED,
    SELF_CHECK_NOTE,
    ChartQuestion,
    CheckResult,
    ChoiceQuestion,
    Feedback,
    FrameQuestion,
    KeywordQuestion,
    NumberQuestion,
    Question,
    QuestionSet,
    SetQuestion,
    WrittenQuestion,
    load_questions,
    register,
)

__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ANSWERED",
    "RECORDED",
    "SELF_CHECK_NOTE",
    "ChartQuestion",
    "CheckResult",
    "ChoiceQuestion",
    "Feedback",
    "FrameQuestion",
    "KeywordQuestion",
    "NumberQuestion",
    "Question",
    "QuestionSet",
    "SetQuestion",
    "WrittenQuestion",
    "load_questions",
    "register",
]
