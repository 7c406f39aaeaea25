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

import html
import importlib
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ANSWERED",
    "RECORDED",
    "SELF_CHECK_NOTE",
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
]

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ANSWERED = "not_answered"
RECORDED = "recorded"
STATUSES = (CORRECT, INCORRECT, NOT_ANSWERED, RECORDED)

SELF_CHECK_NOTE = "Self-check only — your instructor grades separately."

#: What the exercise generator puts where a written answer goes.
PLACEHOLDER_TEXT = "_Write your answer here._"

_LABELS = {
    CORRECT: ("✓", "Correct"),
    INCORRECT: ("✗", "Incorrect"),
    NOT_ANSWERED: ("○", "Not answered yet"),
    RECORDED: ("✎", "Recorded"),
}
_COLOURS = {CORRECT: "#009E73", INCORRECT: "#D55E00", NOT_ANSWERED: "#555555", RECORDED: "#0072B2"}

_NOT_GIVEN = object()


# --------------------------------------------------------------------------- display


@dataclass(repr=False)
class CheckResult:
    """The outcome of one check: plain data, rich display, same words in plain text."""

    question: str
    status: str
    points: float
    possible: float
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    @property
    def symbol(self) -> str:
        return _LABELS.get(self.status, ("?", self.status))[0]

    @property
    def label(self) -> str:
        return _LABELS.get(self.status, ("?", self.status))[1]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        head = f"{self.symbol} {self.question}: {self.label}"
        if self.status in (CORRECT, INCORRECT):
            head += f" ({_fmt_points(self.points)}/{_fmt_points(self.possible)} points)"
        text = f"{head}. {self.message}".rstrip()
        return f"{text}\n{SELF_CHECK_NOTE}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOURS.get(self.status, "#555555")
        head = f"{self.symbol} {self.question}: {self.label}"
        if self.status in (CORRECT, INCORRECT):
            head += f" ({_fmt_points(self.points)}/{_fmt_points(self.possible)} points)"
        return (
            f'<div role="status" class="defection-check defection-check-{self.status}" '
            f'style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
            f"<strong>{html.escape(head)}.</strong> {html.escape(self.message)}"
            f'<div style="font-size:85%;opacity:.8">{html.escape(SELF_CHECK_NOTE)}</div></div>'
        )


@dataclass(repr=False)
class Feedback:
    """A hint or a solution, shown as rich HTML with a plain-text twin."""

    question: str
    title: str
    body: str
    code: bool = False

    def __str__(self) -> str:
        return f"{self.question} — {self.title}:\n{self.body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = html.escape(self.body)
        body = f"<pre><code>{body}</code></pre>" if self.code else f"<div>{body}</div>"
        return (
            f'<div class="defection-feedback" style="border-left:4px solid #0072B2;'
            f'padding:4px 10px;margin:4px 0"><strong>{html.escape(self.question)} — '
            f"{html.escape(self.title)}:</strong>{body}</div>"
        )


def _sentence(message: str) -> str:
    message = str(message).strip()
    return message[:1].upper() + message[1:]


def _fmt_points(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------- helpers


def _type_name(value: Any) -> str:
    try:
        t = type(value)
        mod = getattr(t, "__module__", "") or ""
        name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "object")
        if not isinstance(name, str):
            name = "object"
        if mod.startswith("pandas"):
            return f"pandas {name}"
        if mod.startswith("numpy"):
            return f"numpy {name}"
        if mod.startswith("altair"):
            return f"altair {name}"
        return name
    except Exception:  # pragma: no cover - absurd metaclasses
        return "object"


def _describe(value: Any) -> str:
    """A short, student-friendly description of what kind of thing ``value`` is."""
    if value is None:
        return "None (nothing)"
    if value is Ellipsis:
        return "the placeholder ..."
    if isinstance(value, bool):
        return "True/False (a bool)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text (a str)"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a {type(value).__name__}"
    pd = sys.modules.get("pandas")
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            return "a DataFrame (table)"
        if isinstance(value, pd.Series):
            return "a Series (one column)"
    if isinstance(value, _Opaque):
        return f"an object of type {value._defection_type_name}"
    return f"an object of type {_type_name(value)}"


def _short_repr(value: Any, limit: int = 40) -> str:
    try:
        text = repr(value)
    except Exception:
        return f"<{_type_name(value)}>"
    if not isinstance(text, str):
        return f"<{_type_name(value)}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Opaque:
    """Stand-in for a value the grader could not transfer (keeps only its type name)."""

    def __init__(self, type_name: str, text: str = ""):
        self._defection_type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self._defection_type_name}>"


def _norm_text(value: Any) -> str:
    text = str(value)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text


def _norm_item(value: Any) -> Any:
    """Normalise one item for order-free, case/space-insensitive comparison."""
    try:
        import numpy as np

        if isinstance(value, np.generic):
            value = value.item()
    except Exception:
        pass
    if isinstance(value, str):
        return ("s", _norm_text(value))
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return ("nan", None)
        return ("n", round(float(value), 9))
    return ("s", _norm_text(value))


def _as_number(value: Any) -> tuple[float | None, str | None]:
    """Turn ``value`` into a float, or explain why it is not a single number."""
    if isinstance(value, bool):
        return None, f"expected a number, got {value!r} (True/False, a bool)"
    if isinstance(value, (int, float)):
        return float(value), None
    if isinstance(value, bytes):
        return None, "expected a number, got bytes"
    if isinstance(value, str):
        text = value
        try:
            float(text.strip().rstrip("%"))
        except ValueError:
            return None, f"expected a number, got text {_short_repr(text)}"
        return None, (
            f"expected a number, got text {_short_repr(text)}: remove the quotes so Python "
            "sees a number"
        )
    import numbers

    if isinstance(value, numbers.Real):
        return float(value), None
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        size = value.size
        if size == 1:
            return _as_number(value.to_numpy().ravel()[0])
        return None, (
            f"expected a single number, got {_describe(value)} with {size} values — "
            "reduce it to one number (e.g. .mean(), .sum(), len(...))"
        )
    if np is not None and isinstance(value, np.ndarray):
        if value.size == 1:
            return _as_number(value.ravel()[0])
        return None, f"expected a single number, got an array with {value.size} values"
    if pd is not None and value is pd.NA:
        return None, "your answer is a missing value (pd.NA), not a number"
    if isinstance(value, (list, tuple)):
        return None, f"expected a single number, got {_describe(value)} with {len(value)} items"
    return None, f"expected a number, got {_describe(value)}"


def _rough_percent(rel: float) -> str:
    pct = abs(rel) * 100
    if pct < 1:
        return "less than 1%"
    if pct >= 1000:
        return "more than ten times"
    digits = int(math.floor(math.log10(pct)))
    rounded = round(pct, -digits)
    return f"about {rounded:g}%"


def written_text(source: str, name: str | None = None) -> str:
    """The student's own words in a written-answer cell (header and placeholder removed)."""
    lines = str(source).splitlines()
    if lines and re.match(r"^\s*\*\*Your answer\s*(\([^)]*\))?\s*:?\s*\*\*", lines[0], re.I):
        first = re.sub(r"^\s*\*\*Your answer\s*(\([^)]*\))?\s*:?\s*\*\*", "", lines[0], flags=re.I)
        lines = [first, *lines[1:]]
    text = "\n".join(lines)
    text = text.replace(PLACEHOLDER_TEXT, "")
    text = re.sub(r"<!--\s*(BEGIN|END) SOLUTION\s*-->", "", text)
    return text.strip()


# --------------------------------------------------------------------------- Question


class Question:
    """One auto-checked question. Subclasses define :meth:`_compare`.

    Parameters
    ----------
    name:
        Short id used in notebooks and the gradebook: ``"q1"``.
    variable:
        The notebook variable holding the answer, e.g. ``"success_rate_with"``.
        The grader reads this variable from the executed submission.
    prompt:
        One-line summary of what is asked (shown in reports).
    expected:
        The right answer, or better a zero-argument callable computing it from the
        course's data and models; it is called once, the first time it is needed.
    hints:
        Tiered hints, gentlest first. Each ``hint()`` call shows the next one.
    solution:
        A worked solution as code text.
    points:
        Points for a correct answer.
    mistakes:
        Optional ``[(wrong_value_or_callable, message), ...]``: when an answer matches
        a known wrong answer, the check shows that targeted message.
    """

    kind = "question"

    def __init__(
        self,
        name: str,
        variable: str | None,
        prompt: str = "",
        expected: Any = None,
        *,
        hints: Sequence[str] = (),
        solution: str = "",
        points: float = 1.0,
        mistakes: Sequence[tuple[Any, str]] = (),
        success: str = "Well done.",
    ) -> None:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"question name must be a short identifier like 'q1', got {name!r}")
        if variable is not None and (
            not isinstance(variable, str) or not variable.isidentifier()
        ):
            raise ValueError(f"{name}: variable must be a Python name, got {variable!r}")
        if isinstance(hints, str):
            hints = [hints]
        self.name = name
        self.variable = variable
        self.prompt = prompt
        self._expected_source = expected
        self._expected_cache: Any = _NOT_GIVEN
        self.hints = list(hints)
        self.solution_code = solution
        self.points = float(points)
        self.mistakes = list(mistakes)
        self.success = success
        self._hint_index = 0

    # ---- expected value -------------------------------------------------------
    def expected_value(self) -> Any:
        """The expected value (computed once). For tests and authors, not for students."""
        if self._expected_cache is _NOT_GIVEN:
            src = self._expected_source
            self._expected_cache = src() if callable(src) else src
        return self._expected_cache

    # ---- public API -------------------------------------------------------------
    def check(self, answer: Any = _NOT_GIVEN) -> CheckResult:
        """Check an answer; never raises. Without an argument, reads ``self.variable``
        from the calling notebook's namespace."""
        try:
            if answer is _NOT_GIVEN:
                answer = self._lookup(sys._getframe(1))
                if answer is _NOT_GIVEN:
                    return self._result(
                        NOT_ANSWERED,
                        f"I could not find a variable called `{self.variable}`. Did you run "
                        "the cell that defines it, or rename it?",
                    )
            return self.evaluate(answer)
        except Exception:  # pragma: no cover - evaluate already guards
            return self._result(INCORRECT, f"could not check this answer: {_type_name(answer)}")

    def evaluate(self, answer: Any) -> CheckResult:
        """Like :meth:`check` but never looks up variables (used by the grader)."""
        try:
            if answer is Ellipsis:
                return self._result(
                    NOT_ANSWERED, "Replace the ... placeholder with your answer, then run the cell."
                )
            if isinstance(answer, _Opaque) and answer._defection_type_name == "missing":
                return self._result(
                    NOT_ANSWERED,
                    f"the variable `{self.variable}` was not defined (renamed or deleted?)",
                )
            try:
                expected = self.expected_value()
            except Exception as exc:
                return self._result(
                    INCORRECT,
                    "could not check this answer: the expected value could not be computed "
                    f"({type(exc).__name__}) — please tell your instructor",
                )
            ok, message = self._compare(answer, expected)
            if ok:
                return self._result(CORRECT, self.success)
            targeted = self._mistake_message(answer)
            if targeted:
                message = f"{message} {targeted}".strip() if message else targeted
            return self._result(INCORRECT, message or "That is not the expected answer.")
        except Exception:
            return self._result(INCORRECT, f"could not check this answer: {_type_name(answer)}")

    def hint(self) -> Feedback:
        """Show the next hint (the last one repeats)."""
        if not self.hints:
            return Feedback(self.name, "Hint", "No hint for this question: re-read the question.")
        i = min(self._hint_index, len(self.hints) - 1)
        self._hint_index = i + 1
        return Feedback(self.name, f"Hint {i + 1} of {len(self.hints)}", self.hints[i])

    def solution(self) -> Feedback:
        """Show the worked solution."""
        body = self.solution_code or "No worked solution is provided for this question."
        return Feedback(self.name, "Solution", body, code=bool(self.solution_code))

    # ---- for subclasses --------------------------------------------------------
    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        raise NotImplementedError

    def _mistake_message(self, answer: Any) -> str:
        for wrong, message in self.mistakes:
            try:
                value = wrong() if callable(wrong) else wrong
                if self._compare(answer, value)[0]:
                    return message
            except Exception:
                continue
        return ""

    def _result(self, status: str, message: str) -> CheckResult:
        earned = self.points if status == CORRECT else 0.0
        return CheckResult(self.name, status, earned, self.points, _sentence(message))

    def _lookup(self, frame: Any) -> Any:
        if self.variable is None:
            return _NOT_GIVEN
        names = frame.f_globals if frame is not None else {}
        return names.get(self.variable, _NOT_GIVEN)

    @property
    def auto(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {self.prompt or self.variable}>"

    def _repr_html_(self) -> str:
        return (
            f"<div><strong>{html.escape(self.name)}</strong> — {html.escape(self.prompt)} "
            f"<em>(use {html.escape(self.name)}.check(...), .hint(), .solution())</em></div>"
        )


# --------------------------------------------------------------------------- kinds


class NumberQuestion(Question):
    """A single number, right within ``abs_tol`` or ``rel_tol`` (math.isclose rules)."""

    kind = "number"

    def __init__(self, *args: Any, abs_tol: float = 0.0, rel_tol: float = 1e-3, **kw: Any):
        super().__init__(*args, **kw)
        self.abs_tol = float(abs_tol)
        self.rel_tol = float(rel_tol)

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        exp = float(expected)
        value, problem = _as_number(answer)
        if problem:
            return False, problem + "."
        assert value is not None
        if math.isnan(value):
            return False, "your answer is NaN (not a number): check for missing values or 0/0."
        if math.isinf(value):
            return False, "your answer is infinite: check for a division by zero."
        if math.isclose(value, exp, rel_tol=self.rel_tol, abs_tol=self.abs_tol):
            return True, ""
        direction = "too high" if value > exp else "too low"
        if exp == 0:
            return False, f"Your answer is {direction}."
        ratio = value / exp
        if math.isclose(ratio, 100, rel_tol=0.02):
            return False, (
                "Your answer is about 100 times too large: did you give a percentage where "
                "a share between 0 and 1 is asked for?"
            )
        if math.isclose(ratio, 0.01, rel_tol=0.02):
            return False, (
                "Your answer is about 100 times too small: did you give a share where a "
                "percentage is asked for?"
            )
        if math.isclose(ratio, -1, rel_tol=self.rel_tol, abs_tol=1e-12):
            return False, "Your answer has the wrong sign."
        rel = (value - exp) / abs(exp)
        if abs(rel) < 0.02:
            return False, (
                f"Very close but {direction} (by {_rough_percent(rel)}): do not round "
                "intermediate results, and check you used the right rows."
            )
        return False, f"Your answer is {direction} by {_rough_percent(rel)}."


class ChoiceQuestion(Question):
    """Pick one option. ``options`` is a list of strings/numbers or a dict key -> label;
    the student may answer with the key or the label (case and spaces ignored)."""

    kind = "choice"

    def __init__(
        self,
        *args: Any,
        options: Sequence[Any] | Mapping[Any, str] = (),
        feedback: Mapping[Any, str] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        if isinstance(options, Mapping):
            self.options = {k: v for k, v in options.items()}
        else:
            self.options = {o: o for o in options}
        if not self.options:
            raise ValueError(f"{self.name}: a choice question needs options")
        self.feedback = dict(feedback or {})

    def _key_for(self, answer: Any) -> Any:
        want = _norm_item(answer)
        for key, label in self.options.items():
            if _norm_item(key) == want or _norm_item(label) == want:
                return key
        return _NOT_GIVEN

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        if isinstance(answer, (list, tuple, set, frozenset, dict)):
            return False, f"give one option, not {_describe(answer)}."
        if not isinstance(answer, (str, int, float)) or isinstance(answer, bool):
            return False, f"expected one of the options as text, got {_describe(answer)}."
        key = self._key_for(answer)
        if key is _NOT_GIVEN:
            opts = ", ".join(repr(k) for k in self.options)
            return False, f"{_short_repr(answer)} is not one of the options: {opts}."
        exp_key = self._key_for(expected)
        if key == exp_key:
            return True, ""
        extra = self.feedback.get(key, "")
        return False, ("That is not the best choice. " + extra).strip()


class SetQuestion(Question):
    """Several items in any order (multiple choice, a set of names...). Strings are
    compared ignoring case and extra spaces; duplicates are ignored."""

    kind = "set"

    def __init__(self, *args: Any, options: Sequence[Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.options = list(options) if options is not None else None

    @staticmethod
    def _items(value: Any) -> tuple[list[Any] | None, str]:
        if isinstance(value, (str, bytes)):
            return None, (
                f"expected several items in a list, e.g. ['a', 'b'], got {_describe(value)}."
            )
        if isinstance(value, Mapping):
            return None, f"expected a list of items, got {_describe(value)}."
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(value, pd.DataFrame):
            return None, "expected a list of items, got a DataFrame: pick one column."
        if value is None or not isinstance(value, Iterable):
            return None, f"expected a list of items, got {_describe(value)}."
        items = []
        for i, item in enumerate(value):
            if i > 100_000:
                return None, "that list is far too long for this question."
            items.append(item)
        return items, ""

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        items, problem = self._items(answer)
        if items is None:
            return False, problem
        got = {_norm_item(x) for x in items}
        want = {_norm_item(x) for x in expected}
        if got == want:
            return True, ""
        right = len(got & want)
        extra = len(got - want)
        missing = len(want - got)
        parts = [f"{right} of your {len(got)} item(s) are right"]
        if extra:
            parts.append(f"{extra} should not be there")
        if missing:
            parts.append(f"{missing} item(s) are missing")
        return False, "; ".join(parts) + "."


class KeywordQuestion(Question):
    """Short text that must mention key words. ``expected`` is a list whose entries are
    a word or a tuple of alternative words; ``min_matches`` entries must appear."""

    kind = "keyword"

    def __init__(self, *args: Any, min_matches: int | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.min_matches = min_matches

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        if not isinstance(answer, str):
            return False, f"expected text in quotes, got {_describe(answer)}."
        text = _norm_text(answer)
        if not text:
            return False, "your answer is empty."
        groups = [g if isinstance(g, (tuple, list, set)) else (g,) for g in expected]
        hits = sum(
            any(re.search(r"\b" + re.escape(_norm_text(w)) + r"\b", text) for w in g)
            for g in groups
        )
        need = len(groups) if self.min_matches is None else self.min_matches
        if hits >= need:
            return True, ""
        return False, f"your answer mentions {hits} of the {need} key ideas this question needs."


# ---- DataFrame / Series ------------------------------------------------------------


def _column_mismatches(a: Any, b: Any, rtol: float, atol: float) -> int:
    """Number of positions where two equally long Series differ (NA equals NA)."""
    import numpy as np
    import pandas as pd

    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    num = pd.api.types.is_numeric_dtype
    if (num(a.dtype) or pd.api.types.is_bool_dtype(a.dtype)) and (
        num(b.dtype) or pd.api.types.is_bool_dtype(b.dtype)
    ):
        x = pd.to_numeric(a, errors="coerce").astype("float64").to_numpy()
        y = pd.to_numeric(b, errors="coerce").astype("float64").to_numpy()
        close = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
        return int((~close).sum())
    dt = pd.api.types.is_datetime64_any_dtype
    if dt(a.dtype) or dt(b.dtype):
        x = pd.to_datetime(a, errors="coerce")
        y = pd.to_datetime(b, errors="coerce")
        if getattr(x.dt, "tz", None) is not None:
            x = x.dt.tz_localize(None)
        if getattr(y.dt, "tz", None) is not None:
            y = y.dt.tz_localize(None)
        same = (x == y) | (x.isna() & y.isna())
        return int((~same.to_numpy(dtype=bool)).sum())
    xa = a.astype(object)
    ya = b.astype(object)
    na_a = pd.isna(xa).to_numpy(dtype=bool)
    na_b = pd.isna(ya).to_numpy(dtype=bool)
    sa = np.array([_norm_item(v) if not n else None for v, n in zip(xa, na_a)], dtype=object)
    sb = np.array([_norm_item(v) if not n else None for v, n in zip(ya, na_b)], dtype=object)
    same = np.array([p == q for p, q in zip(sa, sb)], dtype=bool)
    return int((~same).sum())


def _kind_of(dtype: Any) -> str:
    import pandas as pd

    if pd.api.types.is_bool_dtype(dtype):
        return "True/False"
    if pd.api.types.is_numeric_dtype(dtype):
        return "numbers"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "dates"
    return "text"


class FrameQuestion(Question):
    """A pandas DataFrame or Series compared by type, columns, shape, index and values.

    Options: ``check_index`` (row labels must match; default True), ``ignore_row_order``
    (default False), ``check_column_order`` (default False), ``columns`` (compare only
    these columns; others may be present), ``rtol``/``atol`` for numbers.
    Messages name missing/extra columns and which column differs, never expected values.
    """

    kind = "frame"

    def __init__(
        self,
        *args: Any,
        check_index: bool = True,
        ignore_row_order: bool = False,
        check_column_order: bool = False,
        columns: Sequence[str] | None = None,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.check_index = check_index
        self.ignore_row_order = ignore_row_order
        self.check_column_order = check_column_order
        self.columns = list(columns) if columns is not None else None
        self.rtol = rtol
        self.atol = atol

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        import pandas as pd

        if isinstance(expected, pd.Series):
            if isinstance(answer, pd.DataFrame):
                if answer.shape[1] == 1:
                    answer = answer.iloc[:, 0]
                else:
                    return False, (
                        "expected a Series (one column), got a DataFrame with "
                        f"{answer.shape[1]} columns: select one column with df['name']."
                    )
            if not isinstance(answer, pd.Series):
                return False, f"expected a pandas Series, got {_describe(answer)}."
            return self._compare_frames(answer.to_frame("value"), expected.to_frame("value"), True)
        if isinstance(answer, pd.Series):
            return False, (
                "expected a DataFrame (table), got a Series: keep it a table, e.g. "
                "df[['col']] with double brackets, or .reset_index()."
            )
        if not isinstance(answer, pd.DataFrame):
            return False, f"expected a pandas DataFrame, got {_describe(answer)}."
        return self._compare_frames(answer, expected, False)

    def _compare_frames(self, got: Any, exp: Any, series: bool) -> tuple[bool, str]:
        import pandas as pd

        what = "Series" if series else "DataFrame"
        if not series:
            got_cols = [str(c) for c in got.columns]
            exp_cols = [str(c) for c in exp.columns]
            if len(set(got_cols)) != len(got_cols):
                return False, "your DataFrame has duplicate column names."
            wanted = self.columns if self.columns is not None else exp_cols
            missing = [c for c in wanted if c not in got_cols]
            extra = [] if self.columns is not None else [c for c in got_cols if c not in exp_cols]
            if missing or extra:
                parts = []
                if missing:
                    parts.append("missing column(s): " + ", ".join(repr(c) for c in missing))
                if extra:
                    parts.append("unexpected column(s): " + ", ".join(repr(c) for c in extra))
                return False, "; ".join(parts) + "."
            if self.check_column_order and self.columns is None and got_cols != exp_cols:
                return False, "the columns are right but in a different order."
            got = got.set_axis(got_cols, axis=1)[wanted]
            exp = exp.set_axis(exp_cols, axis=1)[wanted]
        if len(got) != len(exp):
            more = "too many" if len(got) > len(exp) else "too few"
            return False, (
                f"your {what} has {len(got)} rows: that is {more}. Check your filter or grouping."
            )
        if len(got) == 0:
            return True, ""
        if self.ignore_row_order:
            got, exp = _sorted_rows(got), _sorted_rows(exp)
        elif self.check_index:
            gi = pd.Series(got.index.to_flat_index(), dtype=object).map(str)
            ei = pd.Series(exp.index.to_flat_index(), dtype=object).map(str)
            if _column_mismatches(gi, ei, 0, 0):
                if _column_mismatches(gi.sort_values(), ei.sort_values(), 0, 0) == 0:
                    # same labels, different order: maybe sorted differently
                    if self._values_match(got.loc[exp.index], exp):
                        return False, (
                            "the values are right but the rows are in a different order: "
                            "check sort_values / sort_index."
                        )
                return False, (
                    "the row labels (index) are not the expected ones: did you "
                    "set_index() / reset_index(), or group by the right column?"
                )
        bad = self._bad_columns(got, exp)
        if not bad:
            return True, ""
        if not self.ignore_row_order and not self._bad_columns(_sorted_rows(got), _sorted_rows(exp)):
            return False, (
                "the values are right but the rows are in a different order: check sort_values."
            )
        col, n, kind_got, kind_exp = bad[0]
        where = "the values" if series else f"column {col!r}"
        if kind_got != kind_exp:
            msg = f"{where} holds {kind_got}; this question expects {kind_exp} there."
        else:
            msg = f"{where} differs in {n} of {len(got)} rows."
        if len(bad) > 1:
            msg += f" ({len(bad)} columns differ in all.)"
        return False, msg

    def _values_match(self, got: Any, exp: Any) -> bool:
        return not self._bad_columns(got, exp)

    def _bad_columns(self, got: Any, exp: Any) -> list[tuple[str, int, str, str]]:
        bad = []
        for i, col in enumerate(exp.columns):
            a = got.iloc[:, i]
            b = exp.iloc[:, i]
            n = _column_mismatches(a, b, self.rtol, self.atol)
            if n:
                bad.append((str(col), n, _kind_of(a.dtype), _kind_of(b.dtype)))
        return bad


def _sorted_rows(df: Any) -> Any:
    key = df.astype(str)
    order = key.sort_values(list(key.columns), kind="mergesort").index
    pos = [df.index.get_loc(i) for i in order] if df.index.is_unique else None
    if pos is None:
        tmp = df.reset_index(drop=True)
        k = tmp.astype(str)
        return tmp.loc[k.sort_values(list(k.columns), kind="mergesort").index].reset_index(
            drop=True
        )
    return df.iloc[pos].reset_index(drop=True)


# ---- altair charts ----------------------------------------------------------------

_TYPE_CODES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal", "G": "geojson"}
_DEFAULT_CHANNELS = (
    "x", "y", "x2", "y2", "color", "fill", "stroke", "size", "shape", "opacity",
    "theta", "radius", "row", "column", "facet", "text",
)  # fmt: skip


def _parse_encoding(value: Any) -> dict[str, Any]:
    """'date:T' / 'count():Q' / {'field':..., 'type':...} -> {'field', 'type', 'aggregate'}."""
    if isinstance(value, str):
        out: dict[str, Any] = {}
        text = value
        m = re.fullmatch(r"(.*):([QNOTG])", text)
        if m:
            text, out["type"] = m.group(1), _TYPE_CODES[m.group(2)]
        m = re.fullmatch(r"(\w+)\((.*)\)", text)
        if m:
            out["aggregate"] = m.group(1)
            text = m.group(2)
        if text:
            out["field"] = text
        return out
    if isinstance(value, Mapping):
        out = {}
        for key in ("field", "type", "aggregate", "timeUnit"):
            if key in value and isinstance(value[key], (str, int, float)):
                out[key] = value[key]
        if "shorthand" in value and isinstance(value["shorthand"], str):
            out = {**_parse_encoding(value["shorthand"]), **out}
        return out
    return {}


def _mark_type(spec: Mapping[str, Any]) -> str | None:
    mark = spec.get("mark")
    if isinstance(mark, str):
        return mark
    if isinstance(mark, Mapping) and isinstance(mark.get("type"), str):
        return mark["type"]
    return None


def _chart_to_dict(answer: Any) -> tuple[dict | None, str]:
    if isinstance(answer, Mapping):
        return dict(answer), ""
    mod = getattr(type(answer), "__module__", "") or ""
    to_dict = getattr(answer, "to_dict", None)
    if not mod.startswith("altair") or not callable(to_dict):
        return None, f"expected an altair chart, got {_describe(answer)}."
    try:
        import altair as alt

        with alt.data_transformers.enable(max_rows=None):
            spec = to_dict(validate=False)
    except Exception as exc:
        return None, (
            f"altair could not turn your chart into a spec ({type(exc).__name__}): show the "
            "chart in its own cell to see altair's message."
        )
    if not isinstance(spec, Mapping):
        return None, f"expected an altair chart, got {_describe(answer)}."
    return dict(spec), ""


def _data_fields(spec: Mapping[str, Any], datasets: Mapping[str, Any]) -> set[str]:
    fields: set[str] = set()
    data = spec.get("data")
    rows: Any = None
    if isinstance(data, Mapping):
        if isinstance(data.get("values"), list):
            rows = data["values"]
        elif isinstance(data.get("name"), str):
            rows = datasets.get(data["name"])
    if isinstance(rows, list):
        for row in rows[:50]:
            if isinstance(row, Mapping):
                fields.update(str(k) for k in row)
    for t in spec.get("transform", []) or []:
        if isinstance(t, Mapping):
            val = t.get("as")
            if isinstance(val, str):
                fields.add(val)
            elif isinstance(val, list):
                fields.update(str(v) for v in val)
            for sub in ("aggregate", "window", "joinaggregate"):
                for item in t.get(sub, []) or []:
                    if isinstance(item, Mapping) and isinstance(item.get("as"), str):
                        fields.add(item["as"])
    return fields


def _single_views(spec: Mapping[str, Any], datasets: Mapping[str, Any], inherited=None):
    """Flatten a spec to a list of (mark, encodings, fields) views; layers inherit
    their parent's encoding and data. Returns (views, structure) where structure is
    'single', 'layer' or 'concat'."""
    inherited = inherited or {"encoding": {}, "fields": set()}
    fields = _data_fields(spec, datasets) | inherited["fields"]
    enc = dict(inherited["encoding"])
    if isinstance(spec.get("encoding"), Mapping):
        enc.update(spec["encoding"])
    if "facet" in spec and isinstance(spec.get("spec"), Mapping):
        facet = spec["facet"]
        if isinstance(facet, Mapping):
            for key in ("row", "column"):
                if key in facet:
                    enc[key] = facet[key]
            if "field" in facet:
                enc["facet"] = facet
        views, _ = _single_views(spec["spec"], datasets, {"encoding": enc, "fields": fields})
        return views, "single" if len(views) == 1 else "layer"
    if isinstance(spec.get("layer"), list):
        views = []
        for sub in spec["layer"]:
            if isinstance(sub, Mapping):
                views.extend(_single_views(sub, datasets, {"encoding": enc, "fields": fields})[0])
        return views, "layer"
    for key in ("hconcat", "vconcat", "concat"):
        if isinstance(spec.get(key), list):
            views = []
            for sub in spec[key]:
                if isinstance(sub, Mapping):
                    views.extend(_single_views(sub, datasets, {"encoding": {}, "fields": fields})[0])
            return views, "concat"
    if "repeat" in spec and isinstance(spec.get("spec"), Mapping):
        return _single_views(spec["spec"], datasets, {"encoding": enc, "fields": fields})[0], "concat"
    encodings = {}
    for channel, value in enc.items():
        if isinstance(value, list):  # e.g. tooltip lists
            continue
        encodings[channel] = _parse_encoding(value)
    return [{"mark": _mark_type(spec), "encoding": encodings, "fields": fields}], "single"


class ChartQuestion(Question):
    """An altair chart (or its ``to_dict()``), checked by structure, not pixels.

    Give the expected structure either directly — ``mark="line"`` (or a set of
    acceptable marks), ``encodings={"x": "date:T", "y": "value:Q"}``, ``fields=[...]``
    that must be in the chart's data — or as ``expected=lambda: build_chart()``, from
    which mark and the ``channels`` encodings are read. For a layered answer expected,
    pass ``layers=[{"mark": ..., "encodings": ...}, ...]``.
    """

    kind = "chart"

    def __init__(
        self,
        *args: Any,
        mark: str | Iterable[str] | None = None,
        encodings: Mapping[str, Any] | None = None,
        fields: Iterable[str] = (),
        layers: Sequence[Mapping[str, Any]] | None = None,
        channels: Iterable[str] = ("x", "y", "color", "theta", "size", "shape", "row", "column"),
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.mark = {mark} if isinstance(mark, str) else (set(mark) if mark else None)
        self.encodings = {k: _parse_encoding(v) for k, v in (encodings or {}).items()}
        self.fields = [str(f) for f in fields]
        self.layers = [dict(layer) for layer in layers] if layers else None
        self.channels = tuple(channels)

    def expected_value(self) -> Any:
        if self._expected_source is None:
            if self.layers:
                return [
                    {
                        "mark": {layer["mark"]} if isinstance(layer.get("mark"), str)
                        else set(layer.get("mark") or []) or None,
                        "encoding": {
                            k: _parse_encoding(v) for k, v in (layer.get("encodings") or {}).items()
                        },
                    }
                    for layer in self.layers
                ]
            return [{"mark": self.mark, "encoding": self.encodings}]
        if self._expected_cache is _NOT_GIVEN:
            chart = super().expected_value()
            spec, problem = _chart_to_dict(chart)
            if spec is None:
                raise ValueError(problem)
            views, _ = _single_views(spec, spec.get("datasets") or {})
            self._expected_cache = [
                {
                    "mark": {v["mark"]} if v["mark"] else None,
                    "encoding": {
                        c: {k: e[k] for k in ("field", "type", "aggregate") if k in e}
                        for c, e in v["encoding"].items()
                        if c in self.channels
                    },
                }
                for v in views
            ]
        return self._expected_cache

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        spec, problem = _chart_to_dict(answer)
        if spec is None:
            return False, problem
        datasets = spec.get("datasets") if isinstance(spec.get("datasets"), Mapping) else {}
        views, structure = _single_views(spec, datasets)
        if not views:
            return False, "your chart has no marks to check."
        want_views = expected if isinstance(expected, list) else [expected]
        if len(want_views) == 1 and structure == "concat" and len(views) > 1:
            return False, (
                "this question asks for one chart, not several side by side or stacked "
                "(hconcat / vconcat / concat)."
            )
        if len(want_views) > 1 and len(views) < len(want_views):
            return False, (
                f"this question asks for a layered chart with {len(want_views)} layers "
                f"(alt.layer(...) or chart1 + chart2); yours has {len(views)}."
            )
        messages = []
        used: set[int] = set()
        for want in want_views:
            best = None
            for i, view in enumerate(views):
                if i in used:
                    continue
                msg = self._view_problem(view, want)
                if not msg:
                    best = (i, "")
                    break
                if best is None:
                    best = (i, msg)
            assert best is not None
            if best[1]:
                messages.append(best[1])
            else:
                used.add(best[0])
        if messages:
            prefix = "" if len(want_views) == 1 else "one of the layers: "
            return False, prefix + messages[0]
        all_fields = set().union(*(v["fields"] for v in views))
        if all_fields:
            missing = [f for f in self.fields if f not in all_fields]
            if missing:
                return False, (
                    "the chart's data lacks column(s) "
                    + ", ".join(repr(m) for m in missing)
                    + ": did you pass the right DataFrame to alt.Chart(...)?"
                )
        return True, ""

    @staticmethod
    def _view_problem(view: Mapping[str, Any], want: Mapping[str, Any]) -> str:
        marks = want.get("mark")
        if marks and view["mark"] is None:
            return "the chart has no mark: add .mark_line(), .mark_bar(), .mark_point()..."
        if marks and view["mark"] not in marks:
            return (
                f"the mark is {view['mark']!r}, which is not the kind of mark this question "
                "asks for: re-read the question (mark_line, mark_bar, mark_point...)."
            )
        for channel, enc in want.get("encoding", {}).items():
            got = view["encoding"].get(channel)
            if got is None:
                return f"the chart has no {channel!r} encoding: add {channel}=... to encode()."
            if "field" in enc and str(got.get("field", "")).casefold() != str(enc["field"]).casefold():
                shown = got.get("field", "nothing")
                return f"the {channel!r} channel shows {shown!r}, which is not the field asked for."
            if "aggregate" in enc and got.get("aggregate") != enc["aggregate"]:
                return f"the {channel!r} channel is not summarised the way the question asks."
            if "type" in enc and got.get("type") and got.get("type") != enc["type"]:
                return (
                    f"the {channel!r} channel is typed {got.get('type')!r}, which does not fit "
                    "this field (:Q quantitative, :N nominal, :O ordinal, :T temporal)."
                )
        return ""


# ---- written answers ---------------------------------------------------------------

_PLACEHOLDER_WORDS = {
    "",
    "...",
    "…",
    _norm_text(PLACEHOLDER_TEXT),
    "write your answer here.",
    "write your answer here",
    "your answer here",
    "todo",
}


class WrittenQuestion(Question):
    """Free text read and graded by the instructor with the rubric; never auto-graded.

    ``check(text)`` says "recorded for your instructor" when the text has at least
    ``min_words`` words and "not answered yet" when it is blank or the placeholder.
    """

    kind = "written"

    def __init__(
        self,
        name: str,
        prompt: str = "",
        *,
        rubric: str = "",
        model_answer: str = "",
        hints: Sequence[str] = (),
        points: float = 1.0,
        min_words: int = 15,
    ) -> None:
        super().__init__(name, None, prompt, None, hints=hints, solution=model_answer, points=points)
        self.rubric = rubric
        self.model_answer = model_answer
        self.min_words = int(min_words)

    @property
    def auto(self) -> bool:
        return False

    def check(self, answer: Any = _NOT_GIVEN) -> CheckResult:
        if answer is _NOT_GIVEN:
            return self._result(
                NOT_ANSWERED,
                f"write your answer in the markdown cell that starts with "
                f"**Your answer ({self.name}):** — your instructor reads it.",
            )
        return self.evaluate(answer)

    def evaluate(self, answer: Any) -> CheckResult:
        try:
            if answer is None or answer is Ellipsis:
                return self._result(NOT_ANSWERED, "not answered yet.")
            if isinstance(answer, bytes):
                answer = answer.decode("utf-8", errors="replace")
            if not isinstance(answer, str):
                return self._result(
                    NOT_ANSWERED, f"could not check this answer: {_type_name(answer)} (expected text)."
                )
            text = written_text(answer)
            if _norm_text(text) in _PLACEHOLDER_WORDS:
                return self._result(NOT_ANSWERED, "not answered yet.")
            words = len(re.findall(r"\w+", text))
            if words < self.min_words:
                return self._result(
                    NOT_ANSWERED,
                    f"your answer has {words} word(s); write at least {self.min_words} so your "
                    "instructor has something to read.",
                )
            return self._result(
                RECORDED, f"recorded for your instructor ({words} words). It is graded by hand."
            )
        except Exception:
            return self._result(NOT_ANSWERED, f"could not check this answer: {_type_name(answer)}")

    def _result(self, status: str, message: str) -> CheckResult:
        return CheckResult(self.name, status, 0.0, self.points, _sentence(message))

    def solution(self) -> Feedback:
        body = self.model_answer or "There is no single right answer; see the rubric."
        if self.rubric:
            body += f"\n\nRubric: {self.rubric}"
        return Feedback(self.name, "One possible answer", body)


# --------------------------------------------------------------------------- registry


class QuestionSet(list):
    """The questions of one lesson, in order. A list, plus lookups and a summary."""

    def __init__(self, questions: Iterable[Question] = (), lesson: str | None = None):
        super().__init__(questions)
        self.lesson = lesson
        names: set[str] = set()
        variables: set[str] = set()
        for q in self:
            if not isinstance(q, Question):
                raise TypeError(f"QuestionSet holds Question objects, got {q!r}")
            if q.name in names:
                raise ValueError(f"duplicate question name {q.name!r}")
            names.add(q.name)
            if q.auto and q.variable:
                if q.variable in variables:
                    raise ValueError(f"two questions read the same variable {q.variable!r}")
                variables.add(q.variable)

    def by_name(self, name: str) -> Question:
        for q in self:
            if q.name == name:
                return q
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [q.name for q in self]

    @property
    def auto(self) -> list[Question]:
        return [q for q in self if q.auto]

    @property
    def written(self) -> list[Question]:
        return [q for q in self if not q.auto]

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.auto)

    def check_all(self, namespace: Mapping[str, Any] | None = None) -> _Summary:
        """Check every auto question against ``namespace`` (default: the caller's)."""
        if namespace is None:
            namespace = sys._getframe(1).f_globals
        results = []
        for q in self.auto:
            value = namespace.get(q.variable, _NOT_GIVEN) if q.variable else _NOT_GIVEN
            if value is _NOT_GIVEN:
                results.append(
                    q._result(NOT_ANSWERED, f"no variable called `{q.variable}` yet.")
                )
            else:
                results.append(q.evaluate(value))
        return _Summary(results)


class _Summary:
    def __init__(self, results: list[CheckResult]):
        self.results = results

    def __str__(self) -> str:
        lines = [f"{r.symbol} {r.question}: {r.label}. {r.message}" for r in self.results]
        got = sum(r.points for r in self.results)
        top = sum(r.possible for r in self.results)
        lines.append(f"{_fmt_points(got)}/{_fmt_points(top)} points on the self-checks.")
        lines.append(SELF_CHECK_NOTE)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self.results)


def register(*questions: Question, lesson: str | None = None) -> QuestionSet:
    """Build a lesson's ``QUESTIONS``: ``QUESTIONS = register(q1, q2, w1, lesson="01")``."""
    if len(questions) == 1 and not isinstance(questions[0], Question):
        questions = tuple(questions[0])  # register([q1, q2])
    return QuestionSet(questions, lesson=lesson)


def load_questions(module_name: str, *, fresh: bool = True) -> QuestionSet:
    """Import a check module (fresh, unless ``fresh=False``) and return its questions:
    its ``QUESTIONS``, or else every Question defined at module level, in order."""
    if fresh and module_name in sys.modules:
        module = importlib.reload(sys.modules[module_name])
    else:
        module = importlib.import_module(module_name)
    found = getattr(module, "QUESTIONS", None)
    if isinstance(found, QuestionSet):
        return found
    if found is not None:
        return QuestionSet(found, lesson=getattr(module, "LESSON", None))
    qs = [v for v in vars(module).values() if isinstance(v, Question)]
    return QuestionSet(qs, lesson=getattr(module, "LESSON", None))
