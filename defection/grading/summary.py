"""The class summary: where the class struggled, saved for the next seminar.

Why a file and a chart: the printed summary scrolls away. ``summary.md`` gives, per
question, the mean points and how many answers were correct, wrong, not answered or
errors, plus the roster flags (missing, duplicate, late) and the sandbox used;
``summary_chart.svg`` draws the status counts per question (plain SVG written here, so
it needs nothing an instructor's install lacks), in the course's colour-blind-safe palette
and with a text description. Only the attempt that counts enters the numbers; superseded
attempts are listed under "Resubmissions".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path

from defection.grading.recheck import Row
from defection.grading.report import atomic_write, fmt, question_sets, set_label

STATUS_ORDER = ["correct", "wrong", "not answered", "error", "recorded", "short"]
# Okabe-Ito colours from the course theme, fixed per status so every summary reads alike.
STATUS_COLOURS = ["#009E73", "#D55E00", "#999999", "#000000", "#0072B2", "#E69F00"]


def table(rows: Sequence[Row]) -> list[dict]:
    """One record per question: lesson, question, kind, mean, out of, status counts."""
    rows = [r for r in rows if r.counted]
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


def _ticks(top: int) -> list[int]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2, 5, 10, 20, 50 ..."""
    top = max(int(top), 1)
    step, mult = 1, 1
    while top / step > 6:
        for s in (1, 2, 5):
            step = s * mult
            if top / step <= 6:
                break
        else:
            mult *= 10
            continue
        break
    last = -(-top // step) * step
    return list(range(0, last + 1, step))


def chart_svg(records: list[dict]) -> str:
    """The status counts per question as a stacked bar chart, written as plain SVG.

    Why by hand: the class summary must draw on an instructor's machine with nothing more
    than the course installed (vl-convert is a test tool), and it is a handful of
    rectangles. It keeps the course's chart habits: a title saying what to see, a text
    description for screen readers, the fixed colour per status, and direct labels.
    """
    bars = [(f"{r['lesson']}:{r['question']}", [(s, r[s]) for s in STATUS_ORDER if r[s]])
            for r in records]  # fmt: skip
    top = max((sum(n for _, n in parts) for _, parts in bars), default=0)
    ticks = _ticks(top)
    left, plot_w, row_h, head = 130, 420, 22, 84
    height = head + row_h * max(len(bars), 1) + 46
    width = left + plot_w + 20
    scale = plot_w / ticks[-1] if ticks[-1] else 0
    worst = sorted(records, key=lambda r: -(r["wrong"] + r["not answered"] + r["error"]))
    hardest = ", ".join(f"{r['lesson']}:{r['question']}" for r in worst[:3]) or "none"
    desc = ("Horizontal stacked bars, one per question, counting answers that were correct, "
            "wrong, not answered or errors (written answers: recorded or short). "
            f"Most trouble: {hardest}.")  # fmt: skip
    e = lambda s: escape(str(s), quote=True)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           '<title id="t">Where the class struggled</title>', f'<desc id="d">{e(desc)}</desc>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           '<text x="10" y="22" font-size="16" font-weight="bold">Where the class struggled</text>',
           '<text x="10" y="40" fill="#444444">Answers per question by status, as re-checked '
           'by the grader</text>']  # fmt: skip
    x = 10
    for status, colour in zip(STATUS_ORDER, STATUS_COLOURS):
        out.append(f'<rect x="{x}" y="52" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="62">{e(status)}</text>')  # fmt: skip
        x += 22 + 7 * len(status)
    base = head + row_h * max(len(bars), 1)
    for tick in ticks:
        tx = left + tick * scale
        out.append(f'<line x1="{tx:.1f}" y1="{head - 4}" x2="{tx:.1f}" y2="{base}" '
                   f'stroke="#dddddd"/><text x="{tx:.1f}" y="{base + 14}" '
                   f'text-anchor="middle">{tick}</text>')  # fmt: skip
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{base + 34}" text-anchor="middle">'
               'Number of answers</text>')
    for i, (label, parts) in enumerate(bars):
        y = head + i * row_h
        out.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{e(label)}</text>')
        x0 = float(left)
        for status, n in parts:
            w = n * scale
            colour = STATUS_COLOURS[STATUS_ORDER.index(status)]
            out.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                       f'fill="{colour}"><title>{e(label)}: {n} {e(status)}</title></rect>')
            x0 += w
    if not bars:
        out.append(f'<text x="{left}" y="{head + 15}">No graded questions.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def summary_md(rows: Sequence[Row], records: list[dict], *, sandbox: str, flags: list[str],
               chart_file: str | None) -> str:  # fmt: skip
    graded = [r for r in rows if r.graded]
    lines = ["# Class summary", "",
             f"{len(rows)} file(s), {len(graded)} graded; {sum(1 for r in rows if r.notes)} with "
             f"notes; {sum(1 for r in rows if r.tampering)} flagged for possible tampering.", "",
             f"Sandbox: {sandbox}.", ""]  # fmt: skip
    if flags:
        lines += ["## Roster", "", *[f"- {f}" for f in flags], ""]
    superseded = [r for r in rows if not r.counted]
    if superseded:
        lines += ["## Resubmissions", "", "Attempts listed in the gradebook but not counted "
                  "(`counted` = no):", ""]
        lines += [f"- {r.key}, lesson {r.lesson}: attempt {r.attempt} (`{r.notebook}`), "
                  f"{fmt(r.total)} of {fmt(r.maximum)} auto-checked points" for r in superseded]
        lines.append("")
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
    chart_name = "summary_chart.svg"
    atomic_write(folder / chart_name, chart_svg(records))
    text = summary_md(rows, records, sandbox=sandbox, flags=flags, chart_file=chart_name)
    atomic_write(folder / "summary.md", text)
    return folder / "summary.md", text
