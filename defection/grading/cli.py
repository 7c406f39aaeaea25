"""The command line: ``python -m defection.grade`` (and ``breaking-ranks-grade``).

Two commands::

    python -m defection.grade SUBMISSIONS(.zip or folder) --out grades/gradebook.csv [...]
    python -m defection.grade merge --gradebook grades/gradebook.csv \\
        --written-scores grades/written_scores.csv [--other-scores other.csv] \\
        [--roster roster.csv] [--late-policy per_day=10,cap=30,grace=15] --out final.csv

Options may also come from a small ``grading.toml`` (``--config``, or found next to the
submissions); the command line wins. Bad input is reported in one line naming the file,
row or option, with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from defection.checks import load_questions
from defection.grading import late as lateness
from defection.grading.attempts import DEFAULT_POLICY, POLICIES, AttemptsError
from defection.grading.collect import CollectError
from defection.grading.merge import WEIGHTS, MergeError, load_settings, merge, parse_weights
from defection.grading.pipeline import GradingError, Registry, grade
from defection.grading.roster import RosterError, load_config, parse_time
from defection.grading.run import CELL_TIMEOUT, NOTEBOOK_TIMEOUT, REPO


def _grade_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m defection.grade",
        description=(
            "Run every submitted notebook in SUBMISSIONS (a folder or an LMS .zip; each in its "
            "own kernel, with time, output and memory limits, inside the bubblewrap sandbox when "
            "installed), re-check the answers with the course's own checks, and write a "
            "gradebook, a status sheet, Canvas and Moodle import files, written answers, a "
            "score sheet, feedback/ per student and a class summary. "
            "WARNING: without bubblewrap this runs student code with your rights; see "
            "INSTRUCTORS.md. Then: python -m defection.grade merge --help."
        ),
        epilog=(
            "Names understood: Canvas, Moodle and Blackboard export names, "
            "<student>__NN_topic.ipynb (two underscores), or one folder per student. "
            "Example: python -m defection.grade submissions.zip --out grades/gradebook.csv "
            "--roster roster.csv --due 2026-10-05T23:59 --jobs 2"
        ),
    )
    parser.add_argument("submissions", type=Path, nargs="?", help="folder or .zip of submissions")
    parser.add_argument("--out", type=Path, default=Path("gradebook.csv"),
                        help="gradebook CSV to write, outside SUBMISSIONS; the other outputs go "
                        "beside it (default: gradebook.csv)")
    parser.add_argument("--written", type=Path, default=None,
                        help="markdown file for written answers (default: written_answers.md "
                        "next to --out)")
    parser.add_argument("--config", type=Path, default=None,
                        help="grading.toml with due, roster, timeout, cell_timeout, jobs, ... "
                        "(default: grading.toml next to SUBMISSIONS, if there)")
    parser.add_argument("--roster", type=Path, default=None,
                        help="roster CSV (student_id,name[,email,login,lms_id,submitted_at])")
    parser.add_argument("--due", default=None,
                        help="due date and time, e.g. 2026-10-05T23:59 (local time)")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds allowed per notebook (default: {NOTEBOOK_TIMEOUT:g})")
    parser.add_argument("--cell-timeout", type=float, default=None,
                        help=f"seconds allowed per cell; a cell over it is interrupted and the "
                        f"next cells still run (default: {CELL_TIMEOUT:g})")
    parser.add_argument("--max-output-bytes", type=int, default=1_000_000,
                        help="printed output kept per notebook before it is noted as "
                        "truncated (default: 1000000)")
    parser.add_argument("--max-memory-mb", type=int, default=None,
                        help="memory (address space) per notebook, 0 for no limit; Linux and "
                        "macOS (default: 4096)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks graded in parallel (default: 1; 2 on a 2-core machine)")
    parser.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default=None,
                        help="auto: bubblewrap when it works (default); bwrap: require it; "
                        "none: run unsandboxed")
    parser.add_argument("--attempts", choices=POLICIES, default=None,
                        help="which of a student's attempts at a set counts in the gradebook "
                        "and the LMS files: latest (default) or best; the others are listed, "
                        "never counted")
    parser.add_argument("--checks-module", default=None,
                        help="use this module's QUESTIONS for every notebook instead of "
                        "defection.checks.lessonNN (for testing your own checks)")
    parser.add_argument("--path", action="append", default=[],
                        help="extra folder for Python imports, in the grader and the kernels; "
                        "repeatable")
    parser.add_argument("--exercises", type=Path, default=REPO / "exercises",
                        help="exercise notebooks, used to spot deleted or reordered cells "
                        "(default: the course's exercises/)")
    return parser


def _merge_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m defection.grade merge",
        description=(
            "Combine gradebooks, the filled written_scores.csv (Rubric A, out of 16 per answer) "
            "and other_scores.csv (student_id,memo,participation, out of 100) into final "
            "totals with INSTRUCTORS.md's weights, and write final_canvas_import.csv and "
            "final_moodle_import.csv beside them. Points are pooled within a part across sets, "
            "then the parts are weighted."
        ),
    )
    parser.add_argument("--config", type=Path, default=None,
                        help="grading.toml with [weights], [late_policy] and attempts "
                        "(the command line wins)")
    parser.add_argument("--roster", type=Path, default=None,
                        help="roster CSV: every student gets a row, e-mails fill the Moodle "
                        "import, and anyone not on it is reported")
    parser.add_argument("--attempts", choices=POLICIES, default=None,
                        help=f"which attempt at a set counts (default: {DEFAULT_POLICY}); use "
                        "the same as when grading")
    parser.add_argument("--late-policy", default=None,
                        help="apply the late policy, e.g. per_day=10,cap=30,grace=15: percent "
                        "of a set's points per started day late after grace minutes, at most "
                        "cap percent; times as the LMS shows them (no time-zone conversion)")
    parser.add_argument("--gradebook", type=Path, nargs="+", action="extend", default=[],
                        help="the grader's gradebook.csv of each exercise set (several after "
                        "one --gradebook, or repeat it)")
    parser.add_argument("--written-scores", type=Path, nargs="+", action="extend", default=[],
                        help="each set's filled written_scores.csv (several, or repeat it)")
    parser.add_argument("--other-scores", type=Path, default=None,
                        help="CSV with student_id, memo, participation (0-100)")
    parser.add_argument("--weights", default="",
                        help="e.g. auto=15,written=35,memo=35,participation=15 (the default: "
                        + ", ".join(f"{k} {v:g}%%" for k, v in WEIGHTS.items()) + ")")
    parser.add_argument("--out", type=Path, default=Path("final_totals.csv"),
                        help="final totals CSV (default: final_totals.csv)")
    return parser


def _merge_main(argv: list[str]) -> int:
    args = _merge_parser().parse_args(argv)
    if not args.gradebook and not args.written_scores and not args.other_scores:
        print("error: give at least one --gradebook, --written-scores or --other-scores",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        settings = load_settings(args.config) if args.config else {}
        weights = parse_weights(args.weights) if args.weights else settings.get("weights", WEIGHTS)
        late = (lateness.parse(args.late_policy) if args.late_policy is not None
                else settings.get("late_policy"))  # fmt: skip
        rows = merge(args.gradebook, args.written_scores, args.other_scores, args.out, weights,
                     attempts=args.attempts or settings.get("attempts", DEFAULT_POLICY),
                     late_policy=late, roster=args.roster)  # fmt: skip
    except (MergeError, lateness.LatePolicyError, AttemptsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {args.out}, final_canvas_import.csv and final_moodle_import.csv: final totals "
          f"for {len(rows)} student(s).", file=sys.stderr)
    if rows.problems:
        print(f"Could not apply ({len(rows.problems)}; also listed at the end of {args.out}):",
              file=sys.stderr)  # fmt: skip
        for problem in rows.problems:
            print(f"  - {problem}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["merge"]:
        return _merge_main(argv[1:])
    parser = _grade_parser()
    args = parser.parse_args(argv)
    if args.submissions is None:
        parser.error("SUBMISSIONS (a folder or an LMS .zip) is required")
    registry: Registry = None
    try:
        config_path = args.config
        if config_path is None:
            near = args.submissions if args.submissions.is_dir() else args.submissions.parent
            guess = near / "grading.toml"
            config_path = guess if guess.is_file() else None
        config = load_config(config_path) if config_path else {}
        due = parse_time(args.due, "--due") if args.due else config.get("due")
        for p in args.path:
            sys.path.insert(0, str(Path(p).resolve()))
        if args.checks_module:
            registry = load_questions(args.checks_module)
        pick = lambda name, default: (getattr(args, name) if getattr(args, name) is not None  # noqa: E731
                                      else config.get(name, default))  # fmt: skip
        grade(
            args.submissions,
            args.out,
            written=args.written,
            registry=registry,
            timeout=float(pick("timeout", NOTEBOOK_TIMEOUT)),
            cell_timeout=pick("cell_timeout", None),
            max_output_bytes=args.max_output_bytes,
            max_memory_mb=int(pick("max_memory_mb", 4096)),
            jobs=max(1, int(pick("jobs", 1))),
            extra_path=args.path,
            templates=args.exercises,
            roster=args.roster or config.get("roster"),
            due=due,
            sandbox=str(pick("sandbox", "auto")),
            attempts=str(pick("attempts", DEFAULT_POLICY)),
        )
    except (GradingError, CollectError, RosterError, ModuleNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
