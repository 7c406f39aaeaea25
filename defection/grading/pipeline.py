"""One grading run, start to finish: collect, run and re-check, flag, write every output.

Why one function: the command line, the tests and the benchmark all grade the same way.
Outputs, all beside the gradebook (never inside the submissions)::

    gradebook.csv        points per question, total, max, tampering, notes
    status.csv           correct / wrong / not answered / error / recorded / short
    written_answers.md   every written answer, quoted, short ones marked
    written_scores.csv   the sheet you fill with Rubric A scores (then: grade merge)
    canvas_import.csv    Canvas "Import" gradebook
    moodle_import.csv    Moodle "CSV file" grade import
    feedback/<student>.md  one file per student to return
    summary.md, summary_chart.svg  where the class struggled
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from defection.checks import QuestionSet, load_questions
from defection.grading import attempts as attempting
from defection.grading import export, feedback, report, summary
from defection.grading import sandbox as sandboxing
from defection.grading.collect import Source, Submission, discover
from defection.grading.identify import lesson_from_name
from defection.grading.pool import KernelPool
from defection.grading.recheck import Row, finish, grade_one
from defection.grading.roster import Student, load_roster, match
from defection.grading.run import CELL_TIMEOUT, NOTEBOOK_TIMEOUT, REPO, Settings

Registry = QuestionSet | Mapping[str, QuestionSet] | Callable[[str], QuestionSet] | None


class GradingError(Exception):
    """The grading run cannot start (bad paths or options); never raised per submission."""


def resolve_registry(registry: Registry, lesson: str) -> QuestionSet | None:
    if isinstance(registry, QuestionSet):
        return registry
    if isinstance(registry, Mapping):
        return registry.get(lesson)
    if callable(registry):
        return registry(lesson)
    if not lesson:
        return None
    try:
        return load_questions(f"defection.checks.lesson{lesson}")
    except ModuleNotFoundError:
        return None


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def _late(sub: Submission, student: Student | None, due: datetime | None) -> tuple[str, datetime | None]:
    when = sub.submitted_at or (student.submitted_at if student else None)
    if sub.late_by_lms and (due is None or when is None):
        return "late (marked by Canvas)", when
    if due is not None and when is not None and when > due:
        minutes = int((when - due).total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        span = (f"{days} d " if days else "") + (f"{hours} h " if hours or days else "") + f"{mins} min"
        return f"late by {span}", when
    return "", when


def number_attempts(rows: list[Row], subs: dict[int, Submission], policy: str) -> list[str]:
    """Number each student's attempts at a set and mark the ones the policy does not count."""
    flags: list[str] = []
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.questions is not None:
            groups.setdefault((row.key, row.lesson), []).append(row)

    def order(row: Row) -> attempting.Order:
        sub = subs[id(row)]
        return attempting.Order(sub.attempt, row.submitted_at, sub.file_time, sub.path.name)

    for (key, lesson), group in groups.items():
        ranked, chosen = attempting.pick(group, lambda r: order(r).key(), lambda r: r.total, policy)
        for number, row in enumerate(ranked, start=1):
            row.attempt = number
        if len(group) == 1:
            continue
        rule = attempting.describe(policy)
        for row in ranked:
            row.duplicate = True
            row.counted = row is chosen
            row.notes.append(f"attempt {row.attempt} of {len(group)}: "
                             + ("counted" if row.counted else "not counted") + f" ({rule})")
        flags.append(f"{key}: {len(group)} attempts at lesson {lesson}; attempt {chosen.attempt} "
                     f"counts ({rule}); attempt(s) "
                     + ", ".join(str(r.attempt) for r in ranked if r is not chosen)
                     + " listed, not counted")  # fmt: skip
        orders = [order(r) for r in group]
        times = [o.submitted_at for o in orders]
        if not (any(o.lms_attempt for o in orders) or (all(times) and len(set(times)) == len(times))):
            flags.append(f"{key}: lesson {lesson}'s attempts carry no attempt number or "
                         "submission time; ordered by the files' times (check them)")
    return flags


def apply_roster(rows: list[Row], subs: dict[int, Submission], students: list[Student] | None,
                 due: datetime | None, lookup: Callable[[str], QuestionSet | None],
                 policy: str = attempting.DEFAULT_POLICY) -> list[str]:  # fmt: skip
    """Fill ids from the roster; flag late, resubmitted, unknown and missing (adds rows)."""
    flags: list[str] = []
    for row in rows:
        sub = subs[id(row)]
        st = match(students, sub.lms_id, sub.student) if students else None
        if st is not None:
            row.student_id, row.name, row.email = st.student_id, st.name, st.email
        elif students:
            row.notes.append("not on the roster")
            flags.append(f"{row.student} ({row.notebook}): not on the roster")
        row.late, row.submitted_at = _late(sub, st, due)
        if row.late:
            flags.append(f"{row.key} ({row.notebook}): {row.late}")
    flags += number_attempts(rows, subs, policy)
    if students:
        lessons = sorted({r.lesson for r in rows if r.questions is not None})
        have = {(r.student_id, r.lesson) for r in rows if r.student_id}
        for st in students:
            for lesson in lessons or [""]:
                if (st.student_id, lesson) in have:
                    continue
                row = Row(student=st.student_id, notebook="", lesson=lesson,
                          student_id=st.student_id, name=st.name, email=st.email)  # fmt: skip
                row.notes.append("missing: no submission")
                finish(row, lookup(lesson) if lesson else None, {})
                rows.append(row)
                flags.append(f"{st.student_id} {st.name}: missing (lesson {lesson or '?'})")
    return flags


def grade(
    submissions: Path | str,
    out: Path | str,
    *,
    written: Path | str | None = None,
    registry: Registry = None,
    timeout: float = NOTEBOOK_TIMEOUT,
    cell_timeout: float | None = None,
    max_output_bytes: int = 1_000_000,
    max_memory_mb: int = 4096,
    jobs: int = 1,
    extra_path: Iterable[str | Path] = (),
    templates: Path | str | None = REPO / "exercises",
    progress: Callable[[str], None] | None = None,
    roster: Path | str | None = None,
    due: datetime | None = None,
    sandbox: str = "auto",
    outputs: bool = True,
    attempts: str = attempting.DEFAULT_POLICY,
    prestart: int | None = None,
) -> list[Row]:
    """Grade every file in ``submissions`` (a folder or an LMS .zip) and write the outputs.

    ``registry`` overrides where questions come from: one QuestionSet for every notebook,
    a mapping lesson -> QuestionSet, or a callable lesson -> QuestionSet (default:
    ``defection.checks.lessonNN``, freshly imported). ``cell_timeout`` defaults to
    ``CELL_TIMEOUT`` (or the notebook limit, when that is shorter). ``attempts`` is the
    resubmission policy (:mod:`.attempts`): ``latest`` or ``best``. ``prestart`` kernels
    are started ahead of need (default: one per job; 0: none), each used by one student
    only (see :mod:`defection.grading.pool`).
    """
    submissions, out = Path(submissions), Path(out)
    try:
        attempts = attempting.check_policy(attempts)
    except attempting.AttemptsError as exc:
        raise GradingError(str(exc)) from exc
    written_path = Path(written) if written else out.with_name("written_answers.md")
    if not submissions.exists():
        raise GradingError(f"{submissions} does not exist (give a folder or an LMS .zip)")
    base = submissions if submissions.is_dir() else submissions.parent
    for target in (out, written_path):
        if submissions.is_dir() and _inside(target, submissions):
            raise GradingError(
                f"refusing to write {target} inside the submissions folder {submissions}: "
                "choose a path outside it"
            )
    say = progress or (lambda msg: print(msg, file=sys.stderr, flush=True))
    students = load_roster(roster) if roster else None
    try:
        box = sandboxing.choose(sandbox)
    except (RuntimeError, ValueError) as exc:
        raise GradingError(str(exc)) from exc
    if not box.active:
        say(sandboxing.UNSANDBOXED_WARNING + f" ({box.reason})")
    extra = tuple(str(Path(p).resolve()) for p in extra_path)
    for p in reversed(extra):
        if p not in sys.path:
            sys.path.insert(0, p)
    hidden = [str(base.resolve()), str(out.parent.resolve()), str(written_path.parent.resolve())]
    if roster:
        hidden.append(str(Path(roster).resolve().parent))
    settings = Settings(
        timeout=float(timeout),
        cell_timeout=float(cell_timeout if cell_timeout else min(CELL_TIMEOUT, float(timeout))),
        max_output_bytes=int(max_output_bytes),
        max_memory_mb=int(max_memory_mb),
        extra_path=extra,
        templates=Path(templates) if templates else None,
        sandbox=box,
        hidden=tuple(hidden),
    )
    cache: dict[str, QuestionSet | None] = {}
    lock = threading.Lock()

    def lookup(lesson: str) -> QuestionSet | None:
        with lock:
            if lesson not in cache:
                try:
                    cache[lesson] = resolve_registry(registry, lesson)
                except Exception as exc:
                    say(f"warning: cannot load checks for lesson {lesson}: {type(exc).__name__}: {exc}")
                    cache[lesson] = None
            return cache[lesson]

    with Source(submissions) as folder:
        files = discover(folder)
        # Import each lesson's questions once, fresh, in this process, before any notebook runs.
        for sub in files:
            lookup(lesson_from_name(sub.notebook))
        counter = {"done": 0}

        def work(sub: Submission) -> Row:
            row = grade_one(sub.path, sub.student, sub.notebook, lookup, settings)
            row.lms, row.lms_id = sub.lms, sub.lms_id
            with lock:
                counter["done"] += 1
                score = f"{report.fmt(row.total)}/{report.fmt(row.maximum)}" if row.maximum else "-"
                notes = f" - {'; '.join(row.notes)}" if row.notes else ""
                say(f"[{counter['done']}/{len(files)}] {row.student} {row.notebook}: {score}{notes}")
            return row

        ahead = max(jobs, 1) if prestart is None else prestart
        with KernelPool(settings, ahead, students=len(files)) as kernels:
            settings.pool = kernels if ahead > 0 else None
            if jobs > 1:
                with ThreadPoolExecutor(max_workers=jobs) as pool:
                    rows = list(pool.map(work, files))
            else:
                rows = [work(f) for f in files]
        settings.pool = None
    subs = {id(r): s for r, s in zip(rows, files)}
    flags = apply_roster(rows, subs, students, due, lookup, attempts)
    rows.sort(key=lambda r: (r.key.casefold(), r.notebook, r.lesson))

    if outputs:
        folder_out = out.parent
        report.atomic_write(out, report.gradebook_text(rows, due=due), bom=True)
        report.atomic_write(folder_out / "status.csv", report.status_text(rows, due=due), bom=True)
        report.atomic_write(written_path, report.written_md(rows))
        report.atomic_write(folder_out / "written_scores.csv", report.written_scores_text(rows), bom=True)
        report.atomic_write(folder_out / "canvas_import.csv", export.canvas_text(rows), bom=True)
        report.atomic_write(folder_out / "moodle_import.csv", export.moodle_text(rows), bom=True)
        feedback.write_all([r for r in rows if r.notebook], folder_out / "feedback")
        sandbox_text = box.reason if box.active else f"NONE - grading was unsandboxed ({box.reason})"
        summary.write(rows, folder_out, sandbox=sandbox_text, flags=flags)

    graded = [r for r in rows if r.graded]
    say(f"Graded {len(graded)} of {len(rows)} file(s); {sum(1 for r in rows if r.notes)} with notes; "
        f"{sum(1 for r in rows if r.tampering)} flagged for possible tampering.")
    for rec in summary.table(rows):
        if rec["kind"] == "written":
            say(f"  lesson {rec['lesson']} {rec['question']}: {rec['recorded'] + rec['short']} of "
                f"{rec['n']} written answer(s) recorded ({rec['short']} short)")
        else:
            say(f"  lesson {rec['lesson']} {rec['question']}: mean {rec['mean']:.2f} / "
                f"{report.fmt(rec['out_of'])}")
    for flag in flags:
        say(f"  roster: {flag}")
    if not box.active:
        say("Grading was UNSANDBOXED (see the warning above).")
    if outputs:
        say(f"Wrote {out}, status.csv, {written_path.name}, written_scores.csv, canvas_import.csv, "
            f"moodle_import.csv, feedback/ and summary.md in {out.parent}.")
    return rows
