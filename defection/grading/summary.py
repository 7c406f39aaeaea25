"""The class summary: where the class struggled, saved for the next seminar.

Why a file and a chart: the printed summary scrolls away. ``summary.md`` gives, per
question, the mean points and how many answers were correct, wrong, not answered or
errors, plus the roster flags (missing, duplicate, late) and the sandbox used;
``summary_chart.svg`` draws the status counts per question (offline, with vl-convert),
in the course's colour-blind-safe palette and with a text description.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from defection.grading.recheck import Row
from defection.grading.report import atomic_write, fmt, question_sets, set_label

STATUS_ORDER = ["correct", "wrong", "not answered", "error", "recorded", "short"]
# Okabe-Ito colours from the course theme, fixed per status so every summary reads alike.
STATUS_COLOURS = ["#009E73", "#D55E00", "#999999", "#000000", "#0072B2", "#E69F00"]


def table(rows: Sequence[Row]) -> list[dict]:
    """One record per question: lesson, question, kind, mean, out of, status counts."""
    out = []
    for qs in question_sets(rows):
        mine = [r for r in rows if r.questions is qs]
        lesson = set_label(qs, rows)
        for q in qs:
            counts = Counter(r.statuses.get(q.name, "") for r in mine)
            rec = {"lesson": lesson, "question": q.name, "kind": "auto" if q.auto else "written",
                   "n": len(mine), "out_of": q.points if q.auto else None,
                   "mean": (sum(float(r.scores.get(q.name, 0) or 0) for r in mine) / len(mine)
                            if q.auto and mine else None)}  # fmt: skip
            rec.update({s: counts.get(s, 0) for s in STATUS_ORDER})
            out.append(rec)
    return out


def chart(records: list[dict]):
    import altair as alt
    import pandas as pd

    from defection.charts.theme import finish

    long = pd.DataFrame(
        [{"question": f"{r['lesson']}:{r['question']}", "status": s, "answers": r[s]}
         for r in records for s in STATUS_ORDER if r[s]]  # fmt: skip
    )
    if long.empty:
        long = pd.DataFrame({"question": ["-"], "status": ["not answered"], "answers": [0]})
    worst = sorted(records, key=lambda r: -(r["wrong"] + r["not answered"] + r["error"]))
    hardest = ", ".join(f"{r['lesson']}:{r['question']}" for r in worst[:3]) or "none"
    base = alt.Chart(long).mark_bar().encode(
        y=alt.Y("question:N", title="Question (lesson:question)", sort=None),
        x=alt.X("answers:Q", title="Number of answers", stack="zero"),
        color=alt.Color("status:N", title="Status",
                        scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS)),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("question:N", title="Question"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("answers:Q", title="Answers")],
    ).transform_calculate(status_rank=f"indexof({STATUS_ORDER!r}, datum.status)")  # fmt: skip
    return finish(
        base,
        title="Where the class struggled",
        subtitle="Answers per question by status, as re-checked by the grader",
        description=(
            "Horizontal stacked bars, one per question, counting answers that were correct, "
            f"wrong, not answered or errors (written answers: recorded or short). Most "
            f"trouble: {hardest}."
        ),
        width=420,
    )


def summary_md(rows: Sequence[Row], records: list[dict], *, sandbox: str, flags: list[str],
               chart_file: str | None) -> str:  # fmt: skip
    graded = [r for r in rows if r.graded]
    lines = ["# Class summary", "",
             f"{len(rows)} file(s), {len(graded)} graded; {sum(1 for r in rows if r.notes)} with "
             f"notes; {sum(1 for r in rows if r.tampering)} flagged for possible tampering.", "",
             f"Sandbox: {sandbox}.", ""]  # fmt: skip
    if flags:
        lines += ["## Roster", "", *[f"- {f}" for f in flags], ""]
    lines += ["## Per question", "",
              "| lesson | question | mean | correct | wrong | not answered | error | recorded | short |",
              "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in records:
        mean = f"{r['mean']:.2f} / {fmt(r['out_of'])}" if r["mean"] is not None else "-"
        lines.append(f"| {r['lesson']} | {r['question']} | {mean} | " + " | ".join(
            str(r[s]) for s in STATUS_ORDER) + " |")  # fmt: skip
    if chart_file:
        lines += ["", f"![Where the class struggled]({chart_file})"]
    return "\n".join(lines) + "\n"


def write(rows: Sequence[Row], folder: Path, *, sandbox: str, flags: list[str]) -> tuple[Path, str]:
    """Write summary.md (and summary_chart.svg); return its path and a short text version."""
    records = table(rows)
    chart_name: str | None = "summary_chart.svg"
    try:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(chart(records).to_json())
        atomic_write(folder / chart_name, svg)
    except Exception as exc:  # the summary itself matters more than its picture
        chart_name = None
        flags = [*flags, f"chart not drawn: {type(exc).__name__}: {str(exc)[:80]}"]
    text = summary_md(rows, records, sandbox=sandbox, flags=flags, chart_file=chart_name)
    atomic_write(folder / "summary.md", text)
    return folder / "summary.md", text
