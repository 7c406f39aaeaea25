"""Self-check questions for the exercises: check an answer, give hints, show a solution.

A :class:`Question` is a small declarative object: which notebook variable it reads,
how to compute the expected value (lazily, from the course's own data and models —
never typed in), how close is close enough, tiered hints, a worked solution and points.
In a notebook a student writes::

    q1.check(success_rate_with)   # ✓ / ✗ / "not answered yet", never an exception
    q1.hint()                     # hint 1, then 2, ... then the last one again
    q1.solution()                 # the worked solution (code)

``check`` returns a :class:`CheckResult`, a plain dataclass (question, status, points,
possible, message) that displays as rich HTML in Jupyter and as the same words in plain
text (consoles, logs, nbval). Failures say *what* is wrong — the type, the shape, a
missing column, "too high by about 20%" — but never the expected value. These are
public self-checks: ``python -m defection.grade`` re-runs fresh copies of the same
questions on each submission, so changing ``check`` in a notebook changes nothing.

Kinds: :class:`NumberQuestion`, :class:`ChoiceQuestion`, :class:`SetQuestion`,
:class:`KeywordQuestion`, :class:`FrameQuestion` (DataFrame or Series),
:class:`ChartQuestion` (altair chart spec) and :class:`WrittenQuestion` (free text read
by the instructor, never auto-graded).

Written answers — how lesson authors write them
-----------------------------------------------
A written answer lives in a markdown cell of ``solutions/NN_*.ipynb`` that

* carries the cell metadata ``{"defection": {"answer": "w1"}}``, and
* starts with the line ``**Your answer (w1):**``, followed by a model answer between
  ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` lines.

``python -m defection.exercises`` keeps the metadata and the first line and replaces
the model answer with ``_Write your answer here._``. The grader collects these cells
(by metadata, or by the first line if a student's editor dropped the metadata) into
``written_answers.md``. Declare the question in the lesson's check module as
``w1 = WrittenQuestion("w1", prompt=..., rubric=..., model_answer=..., points=...)``.
"""

from __future__ import annotations

# The implementation lives in small modules (results, values, question, kinds/*, registry);
# this module keeps the names other code and tests import from ``defection.checks.core``.
from defection.checks.kinds import (  # noqa: E402
    ChartQuestion,
    ChoiceQuestion,
    FrameQuestion,
    KeywordQuestion,
    NumberQuestion,
    SetQuestion,
    WrittenQuestion,
)
from defection.checks.question import Question  # noqa: E402
from defection.checks.registry import QuestionSet, _Summary, load_questions, register  # noqa: E402
from defection.checks.results import (  # noqa: E402
    CORRECT,
    INCORRECT,
    NOT_ANSWERED,
    PLACEHOLDER_TEXT,
    RECORDED,
    SELF_CHECK_NOTE,
    STATUSES,
    CheckResult,
    Feedback,
)
from defection.checks.values import _Opaque, written_text  # noqa: E402

__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ANSWERED",
    "RECORDED",
    "SELF_CHECK_NOTE",
    "STATUSES",
    "CheckResult",
    "Feedback",
    "Question",
    "NumberQuestion",
    "ChoiceQuestion",
    "SetQuestion",
    "KeywordQuestion",
    "FrameQuestion",
    "ChartQuestion",
    "WrittenQuestion",
    "QuestionSet",
    "register",
    "load_questions",
    "written_text",
    "PLACEHOLDER_TEXT",
    "_Opaque",
    "_Summary",
]
