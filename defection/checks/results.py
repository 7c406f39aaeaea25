"""What a check returns and how it shows: statuses, :class:`CheckResult`, :class:`Feedback`.

Plain data with a rich HTML twin, kept apart from the question kinds so the grader and
the notebooks can read results without importing any checking logic.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any

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
    RECORDED: ("✎", "Ready to hand in"),
}
_COLOURS = {CORRECT: "#009E73", INCORRECT: "#D55E00", NOT_ANSWERED: "#555555", RECORDED: "#0072B2"}

_NOT_GIVEN = object()


# --------------------------------------------------------------------------- display


def _publish(obj: Any) -> None:
    from IPython.display import publish_display_data

    publish_display_data({"text/plain": str(obj), "text/html": obj._repr_html_()})


def show(result: Any) -> Any:
    """Display ``result`` at once in IPython, and return it.

    A check cell may hold ``q1.check()``, ``q1.hint()`` and ``q1.solution()`` together:
    Jupyter shows only a cell's last value, so each call shows its own result as it runs,
    and the result, if it is also the cell's last value, is not shown a second time.
    Outside IPython (the grader, scripts, tests) nothing is displayed.
    """
    try:
        from IPython import get_ipython
    except Exception:  # pragma: no cover - IPython is a course requirement
        return result
    shell = get_ipython()
    if shell is None:
        return result
    _publish(result)
    result._shown_in = getattr(shell, "execution_count", None)
    return result


class _ShowsOnce:
    """Rich display that skips the one repeat :func:`show` would otherwise cause: the
    result as the last value of the cell that already showed it."""

    _shown_in: Any = None

    def _ipython_display_(self) -> None:
        from IPython import get_ipython

        shell = get_ipython()
        if self._shown_in is not None and self._shown_in == getattr(shell, "execution_count", -1):
            return
        _publish(self)


@dataclass(repr=False)
class CheckResult(_ShowsOnce):
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
class Feedback(_ShowsOnce):
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

