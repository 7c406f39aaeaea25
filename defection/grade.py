"""Grade a folder of submitted exercise notebooks into gradebook.csv and written_answers.md.

Usage::

    python -m defection.grade SUBMISSIONS/ --out gradebook.csv
        [--written written_answers.md] [--timeout 120] [--cell-timeout 60]
        [--max-output-bytes 1000000] [--jobs 1] [--checks-module MODULE] [--path DIR]

Naming submissions (both work; use one per course):

* ``SUBMISSIONS/<student>__NN_topic.ipynb`` (two underscores), or
* ``SUBMISSIONS/<student>/NN_topic.ipynb`` (one folder per student).

The lesson is read from the notebook metadata ``{"defection": {"lesson": "NN"}}`` (set
by ``python -m defection.exercises``) or else from ``NN_`` in the file name.

How a notebook is graded: it is copied into its own temporary folder and run top to
bottom by a separate worker process that starts its own Jupyter kernel (the grader's
own Python), with a time limit per cell and per notebook and a cap on stored output;
errors do not stop the run (only the answers that depend on them are lost). A final
cell added by the grader saves the values of each question's variable as JSON. The
grader then checks those values with its **own, freshly imported** Question objects
(``defection.checks.lessonNN``), so redefining ``q1.check`` in a notebook gains nothing.
Written answers (markdown cells tagged ``{"defection": {"answer": "w1"}}`` or starting
with ``**Your answer (w1):**``) are copied into ``written_answers.md`` by question.

Warning: grading RUNS STUDENT CODE with your user's rights. Time, output and memory are
limited and each notebook runs in a throwaway folder, but this is not a sandbox: grade
inside a container or a throwaway user account when in doubt.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defection.checks import runner
from defection.checks.core import (
    NOT_ANSWERED,
    RECORDED,
    Question,
    QuestionSet,
    _Opaque,
    load_questions,
    written_text,
)

REPO = Path(__file__).resolve().parent.parent
ANSWERS_FILE = "answers.json"
MAX_NOTEBOOK_BYTES = 25_000_000
MAX_ANSWERS_BYTES = 64_000_000
MAX_VALUE_BYTES = 5_000_000
_ANSWER_HEADER = re.compile(r"^\s*\*\*Your answer\s*\((?P<name>[A-Za-z_]\w*)\)\s*:?\s*\*\*", re.I)
_LESSON_IN_NAME = re.compile(r"(?:^|[^0-9])(\d{2})_[A-Za-z]")


class GradingError(Exception):
    """The grading run cannot start (bad paths or options); never raised per submission."""


Registry = QuestionSet | Mapping[str, QuestionSet] | Callable[[str], QuestionSet] | None


@dataclass
class Row:
    """One line of the gradebook."""

    student: str
    notebook: str
    lesson: str = ""
    scores: dict[str, Any] = field(default_factory=dict)
    total: float = 0.0
    maximum: float = 0.0
    notes: list[str] = field(default_factory=list)
    written: dict[str, str | None] = field(default_factory=dict)
    graded: bool = False
    questions: QuestionSet | None = field(default=None, repr=False)


# --------------------------------------------------------------------------- discovery


def discover(folder: Path) -> list[tuple[Path, str, str]]:
    """Every file under ``folder`` as (path, student, notebook name); hidden files and
    ``.ipynb_checkpoints`` are skipped."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if not path.is_file():
            continue
        if len(rel.parts) > 1:
            student, name = rel.parts[0], "/".join(rel.parts[1:])
        elif "__" in path.name:
            student, name = path.name.split("__", 1)
        else:
            student, name = path.stem, path.name
        found.append((path, student, name))
    return found


def lesson_of(nb: Any, name: str) -> str:
    meta = nb.get("metadata", {}) if isinstance(nb, Mapping) else {}
    lesson = meta.get("defection", {}).get("lesson") if isinstance(meta.get("defection"), Mapping) else None
    if isinstance(lesson, (str, int)) and re.fullmatch(r"\d{1,2}", str(lesson)):
        return f"{int(lesson):02d}"
    m = _LESSON_IN_NAME.search(Path(name).name)
    return m.group(1) if m else ""


def _lesson_from_name(name: str) -> str:
    m = _LESSON_IN_NAME.search(Path(name).name)
    return m.group(1) if m else ""


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


# --------------------------------------------------------------------------- kernel side

# The cell the grader appends. It only reads variables and writes one JSON file; any
# failure becomes a marker for that variable.
_DUMP_CELL = r'''
def __defection_grader_dump(names, path, limit):
    import json, math, sys
    ns = globals()

    def tname(v):
        t = type(v)
        mod = (getattr(t, "__module__", "") or "").split(".")[0]
        name = getattr(t, "__qualname__", "object")
        return name if mod in ("builtins", "") else mod + " " + name

    def enc(v, depth=0):
        if depth > 20:
            return {"__opaque__": tname(v)}
        if v is Ellipsis:
            return {"__ellipsis__": 1}
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if abs(v) < 10**300 else float("inf") if v > 0 else float("-inf")
        if isinstance(v, float):
            return v
        mod = (getattr(type(v), "__module__", "") or "").split(".")[0]
        if mod == "numpy":
            np = sys.modules["numpy"]
            if isinstance(v, np.generic):
                return enc(v.item(), depth + 1)
            if isinstance(v, np.ndarray):
                return {"__list__": [enc(x, depth + 1) for x in v.ravel()[:200000].tolist()]}
        if mod == "pandas":
            pd = sys.modules["pandas"]
            if isinstance(v, pd.DataFrame):
                if v.size > 5_000_000:
                    return {"__opaque__": "pandas DataFrame (too large)"}
                return {"__frame__": v.to_json(orient="split", date_format="iso",
                                                default_handler=str, double_precision=15),
                        "dtypes": [str(d) for d in v.dtypes],
                        "index_dtype": str(v.index.dtype),
                        "index_names": [None if n is None else str(n) for n in v.index.names]}
            if isinstance(v, pd.Series):
                if v.size > 5_000_000:
                    return {"__opaque__": "pandas Series (too large)"}
                return {"__series__": v.to_json(orient="split", date_format="iso",
                                                 default_handler=str, double_precision=15),
                        "dtype": str(v.dtype), "index_dtype": str(v.index.dtype),
                        "index_names": [None if n is None else str(n) for n in v.index.names]}
            if isinstance(v, pd.Timestamp):
                return {"__timestamp__": v.isoformat()}
            if v is pd.NA or v is pd.NaT:
                return None
        if mod == "altair" and hasattr(v, "to_dict"):
            alt = sys.modules["altair"]
            with alt.data_transformers.enable(max_rows=None):
                return {"__chart__": v.to_dict(validate=False)}
        if isinstance(v, (list, tuple)):
            if len(v) > 200000:
                return {"__opaque__": tname(v) + " (too long)"}
            return {"__list__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, (set, frozenset)):
            if len(v) > 200000:
                return {"__opaque__": tname(v) + " (too long)"}
            return {"__set__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            if len(v) > 200000:
                return {"__opaque__": "dict (too long)"}
            return {"__dict__": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        return {"__opaque__": tname(v)}

    out = {}
    for name in names:
        try:
            if name not in ns:
                out[name] = json.dumps({"__missing__": 1})
                continue
            text = json.dumps(enc(ns[name]), allow_nan=True)
            if len(text) > limit:
                text = json.dumps({"__opaque__": tname(ns[name]) + " (too large)"})
            out[name] = text
        except BaseException as exc:
            out[name] = json.dumps({"__opaque__": tname(ns.get(name)), "__error__": type(exc).__name__})
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh)  # each value is itself a JSON text

__defection_grader_dump(__NAMES__, __PATH__, __LIMIT__)
del __defection_grader_dump
'''


def dump_cell_source(names: list[str], path: str, limit: int = MAX_VALUE_BYTES) -> str:
    return (
        _DUMP_CELL.replace("__NAMES__", repr(list(names)))
        .replace("__PATH__", repr(str(path)))
        .replace("__LIMIT__", str(int(limit)))
    )


def decode(obj: Any) -> Any:
    """Turn the kernel's JSON back into values the checks understand (data only)."""
    if isinstance(obj, list):
        return [decode(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    if "__missing__" in obj:
        return _Opaque("missing")
    if "__ellipsis__" in obj:
        return Ellipsis
    if "__list__" in obj:
        return [decode(x) for x in obj["__list__"]]
    if "__set__" in obj:
        items = [decode(x) for x in obj["__set__"]]
        try:
            return set(items)
        except TypeError:
            return items
    if "__dict__" in obj:
        out = {}
        for key, value in obj["__dict__"]:
            key = decode(key)
            try:
                out[key] = decode(value)
            except TypeError:
                out[str(key)] = decode(value)
        return out
    if "__timestamp__" in obj:
        import pandas as pd

        return pd.Timestamp(obj["__timestamp__"])
    if "__chart__" in obj:
        return obj["__chart__"]
    if "__frame__" in obj or "__series__" in obj:
        return _decode_pandas(obj)
    if "__opaque__" in obj:
        return _Opaque(str(obj["__opaque__"]))
    return {k: decode(v) for k, v in obj.items()}


def _restore(values: Any, dtype: str) -> Any:
    import pandas as pd

    s = pd.Series(values, dtype=object)
    try:
        if "datetime" in dtype:
            out = pd.to_datetime(s, errors="coerce", utc="UTC" in dtype or "tz" in dtype)
            return out
        if dtype.lower().startswith(("int", "uint", "float")):
            num = pd.to_numeric(s, errors="coerce")
            return num.astype(dtype) if dtype[0].isupper() else num
        if dtype == "bool" or dtype == "boolean":
            return s.astype("boolean") if s.isna().any() else s.astype(bool)
    except Exception:
        return s
    return s


def _index(values: list, dtype: str, names: list) -> Any:
    import pandas as pd

    if values and all(isinstance(v, list) for v in values):
        return pd.MultiIndex.from_tuples([tuple(v) for v in values], names=names or None)
    idx = pd.Index(_restore(values, dtype))
    if names:
        idx.name = names[0]
    return idx


def _decode_pandas(obj: dict) -> Any:
    import pandas as pd

    if "__frame__" in obj:
        split = json.loads(obj["__frame__"])
        cols = split.get("columns", [])
        rows = split.get("data", [])
        dtypes = obj.get("dtypes") or ["object"] * len(cols)
        columns = {}
        for i, _ in enumerate(cols):
            columns[i] = _restore([r[i] for r in rows], dtypes[i] if i < len(dtypes) else "object")
        df = pd.DataFrame({i: c.reset_index(drop=True) for i, c in columns.items()})
        if not columns:
            df = pd.DataFrame(index=range(len(split.get("index", []))))
        df.columns = [tuple(c) if isinstance(c, list) else c for c in cols] if cols else df.columns
        df.index = _index(split.get("index", []), obj.get("index_dtype", "object"), obj.get("index_names"))
        return df
    split = json.loads(obj["__series__"])
    s = _restore(split.get("data", []), obj.get("dtype", "object")).reset_index(drop=True)
    s.index = _index(split.get("index", []), obj.get("index_dtype", "object"), obj.get("index_names"))
    s.name = split.get("name")
    return s


# --------------------------------------------------------------------------- worker


# --------------------------------------------------------------------------- one submission


@dataclass
class Settings:
    timeout: float = 120.0
    cell_timeout: float = 60.0
    max_output_bytes: int = 1_000_000
    max_memory_mb: int = 4096
    extra_path: tuple[str, ...] = ()
    templates: Path | None = None


def _snippet(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 30 else line[:29] + "…"
    return ""


def _cell_label(nb: Any, index: int) -> str:
    try:
        snip = _snippet(nb.cells[index].source)
    except Exception:
        snip = ""
    return f"cell {index + 1}" + (f" ({snip})" if snip else "")


def _written_answers(nb: Any, names: Iterable[str]) -> dict[str, str | None]:
    wanted = set(names)
    found: dict[str, list[str]] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        meta = cell.get("metadata", {}).get("defection", {})
        name = meta.get("answer") if isinstance(meta, Mapping) else None
        if not isinstance(name, str):
            m = _ANSWER_HEADER.match(source)
            name = m.group("name") if m else None
        if name in wanted:
            found.setdefault(name, []).append(written_text(source))
    return {n: ("\n\n".join(t for t in found[n] if t) or None) if n in found else None for n in names}


def _structure_notes(nb: Any, name: str, lesson: str, templates: Path | None) -> list[str]:
    if templates is None or not templates.is_dir():
        return []
    candidates = [templates / Path(name).name] + sorted(templates.glob(f"{lesson}_*.ipynb"))
    template = next((p for p in candidates if p.is_file()), None)
    if template is None:
        return []
    try:
        t_ids = [c.get("id") for c in json.loads(template.read_text())["cells"]]
    except Exception:
        return []
    position = {cid: i for i, cid in enumerate(t_ids) if cid}
    seen = [position[c.get("id")] for c in nb.cells if c.get("id") in position]
    notes = []
    missing = len(position) - len(set(seen))
    if missing:
        notes.append(f"{missing} cell(s) of the exercise missing (deleted?)")
    if any(b < a for a, b in zip(seen, seen[1:])):
        notes.append("cells reordered")
    return notes


def _kill_group(pgid: Any) -> None:
    if not pgid or os.name != "posix":
        return
    try:
        os.killpg(int(pgid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError, ValueError, OSError):
        pass


def run_notebook(nb: Any, variables: list[str], settings: Settings) -> tuple[dict, dict]:
    """Execute ``nb`` in a fresh folder and kernel; return (worker report, raw answers)."""
    import nbformat
    from nbformat.v4 import new_code_cell

    work = Path(tempfile.mkdtemp(prefix="defection-grade-"))
    try:
        run = nbformat.from_dict(json.loads(json.dumps(nb)))
        for cell in run.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        dump = new_code_cell(dump_cell_source(variables, str(work / ANSWERS_FILE)))
        dump.metadata["defection"] = {"grader": True}
        run.cells.append(dump)
        nb_path = work / "submission.ipynb"
        nbformat.write(run, nb_path)
        reserve = min(15.0, max(3.0, 0.25 * settings.timeout))
        job = {
            "workdir": str(work),
            "notebook": str(nb_path),
            "timeout": settings.timeout,
            "cell_timeout": min(settings.cell_timeout, settings.timeout),
            "reserve": reserve,
            "max_output_bytes": settings.max_output_bytes,
            "max_memory_mb": settings.max_memory_mb,
        }
        (work / runner.JOB_FILE).write_text(json.dumps(job))
        env = dict(os.environ)
        paths = [*settings.extra_path, env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        env["DEFECTION_GRADING"] = "1"
        env["MPLBACKEND"] = "Agg"
        env.pop("JUPYTER_RUNTIME_DIR", None)
        env["JUPYTER_RUNTIME_DIR"] = str(work / "runtime")
        hard_limit = settings.timeout + reserve + 60
        proc = subprocess.Popen(
            [sys.executable, str(Path(runner.__file__)), str(work / runner.JOB_FILE)],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        killed = False
        try:
            proc.wait(timeout=hard_limit)
        except subprocess.TimeoutExpired:
            killed = True
        report: dict[str, Any] = {}
        try:
            report = json.loads((work / runner.REPORT_FILE).read_text())
        except Exception:
            report = {"cells": [], "error": "the grader's worker wrote no report"}
        _kill_group(report.get("kernel_pgid"))
        _kill_group(proc.pid)
        if killed:
            proc.wait()
            report["killed"] = hard_limit
        answers: dict[str, Any] = {}
        path = work / ANSWERS_FILE
        if path.is_file():
            if path.stat().st_size > MAX_ANSWERS_BYTES:
                report["answers_error"] = "answers too large to read"
            else:
                try:
                    answers = json.loads(path.read_text(encoding="utf-8"))
                    if not isinstance(answers, dict):
                        answers, report["answers_error"] = {}, "answers file malformed"
                except Exception:
                    report["answers_error"] = "answers file malformed"
        else:
            report["answers_error"] = "no answers collected"
        return report, answers
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _execution_notes(nb: Any, report: Mapping[str, Any], settings: Settings) -> list[str]:
    notes = []
    skipped = []
    for entry in report.get("cells", []):
        if entry.get("final"):
            if entry.get("status") == "timeout":
                notes.append("timed out while collecting answers")
            continue
        index = int(entry.get("index", 0))
        status = entry.get("status")
        label = _cell_label(nb, index)
        if status == "error":
            ename = entry.get("ename", "Error")
            if ename in ("SyntaxError", "IndentationError", "TabError"):
                notes.append(f"syntax error in {label}")
            elif ename == "CellTimeoutError":
                notes.append(f"timed out in {label}")
            else:
                notes.append(f"exception in {label}: {ename}")
        elif status == "timeout":
            notes.append(f"timed out after {entry.get('limit', settings.cell_timeout):g}s in {label}")
        elif status == "dead":
            notes.append(f"kernel stopped in {label} (exit, crash or memory limit?)")
        elif status == "skipped":
            skipped.append(index + 1)
    if skipped:
        notes.append(
            f"{len(skipped)} cell(s) not run: notebook time limit of {settings.timeout:g}s reached"
        )
    if report.get("killed"):
        notes.append(f"timed out after {settings.timeout:g}s (stopped by the grader)")
    if report.get("error"):
        notes.append(f"could not run notebook: {report['error']}")
    if report.get("output_bytes", 0) > settings.max_output_bytes:
        notes.append(f"output truncated (more than {settings.max_output_bytes} bytes printed)")
    if report.get("answers_error") and not report.get("killed") and not report.get("error"):
        notes.append(report["answers_error"])
    return notes


def grade_one(
    path: Path, student: str, name: str, registry: Registry, settings: Settings
) -> Row:
    """Grade one file. Never raises: every problem becomes a note on the row."""
    import nbformat

    row = Row(student=student, notebook=name, lesson=_lesson_from_name(name))
    questions = None
    try:
        if path.suffix != ".ipynb":
            row.notes.append("not a notebook")
            questions = resolve_registry(registry, row.lesson) if row.lesson else None
            return _finish(row, questions, {})
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            row.notes.append(f"notebook file too large ({size // 1_000_000} MB)")
            questions = resolve_registry(registry, row.lesson) if row.lesson else None
            return _finish(row, questions, {})
        try:
            raw = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            row.notes.append(f"malformed JSON (line {exc.lineno}): not a readable notebook")
            questions = resolve_registry(registry, row.lesson) if row.lesson else None
            return _finish(row, questions, {})
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("cells", None), list):
                raise ValueError("no list of cells")
            nb = nbformat.reads(json.dumps(raw), as_version=4)
        except Exception as exc:
            row.notes.append(f"not a valid notebook ({str(exc)[:80]})")
            questions = resolve_registry(registry, row.lesson) if row.lesson else None
            return _finish(row, questions, {})
        row.lesson = lesson_of(nb, name) or row.lesson
        questions = resolve_registry(registry, row.lesson)
        if questions is None:
            row.notes.append(
                f"no checks for lesson {row.lesson!r}" if row.lesson
                else "cannot tell the lesson (name the file NN_topic.ipynb)"
            )
            return _finish(row, None, {})
        row.written = _written_answers(nb, [q.name for q in questions.written])
        row.notes.extend(_structure_notes(nb, name, row.lesson, settings.templates))
        variables = [q.variable for q in questions.auto if q.variable]
        report, answers = run_notebook(nb, variables, settings)
        row.notes.extend(_execution_notes(nb, report, settings))
        values = {}
        for var in variables:
            if var not in answers:
                continue
            try:
                values[var] = decode(json.loads(answers[var]))
            except Exception:
                values[var] = _Opaque("value that could not be read")
        collected = bool(answers)
        for q in questions.auto:
            v = values.get(q.variable)
            if collected and isinstance(v, _Opaque) and v._defection_type_name == "missing":
                row.notes.append(f"{q.name}: variable {q.variable} missing (renamed/deleted?)")
        row.graded = True
        return _finish(row, questions, values)
    except Exception as exc:  # a bug or an absurd file: cost this row only
        row.notes.append(f"could not grade: {type(exc).__name__}: {str(exc)[:120]}")
        return _finish(row, questions, {})


def _finish(row: Row, questions: QuestionSet | None, values: Mapping[str, Any]) -> Row:
    row.questions = questions
    if questions is None:
        return row
    for q in questions:
        if q.auto:
            if q.variable in values:
                result = q.evaluate(values[q.variable])
                row.scores[q.name] = result.points
            else:
                row.scores[q.name] = 0.0
            row.maximum += q.points
        else:
            text = row.written.get(q.name) if row.written else None
            result = q.evaluate(text)
            row.scores[q.name] = "recorded" if result.status == RECORDED else (
                "not answered" if result.status == NOT_ANSWERED else result.status
            )
    row.total = sum(v for v in row.scores.values() if isinstance(v, (int, float)))
    return row


# --------------------------------------------------------------------------- outputs


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def _question_sets(rows: list[Row]) -> list[QuestionSet]:
    sets: list[QuestionSet] = []
    for row in rows:
        if row.questions is not None and not any(row.questions is s for s in sets):
            sets.append(row.questions)
    return sets


def _set_label(qs: QuestionSet, rows: list[Row]) -> str:
    if qs.lesson:
        return str(qs.lesson)
    return next((r.lesson for r in rows if r.questions is qs and r.lesson), "?")


def gradebook_text(rows: list[Row]) -> str:
    """CSV text: student, notebook, lesson, one column per question, total, max, notes.
    Question columns are ``q1`` ...; when several lessons are graded together, ``01:q1``."""
    sets = _question_sets(rows)
    columns = [(qs, q.name) for qs in sets for q in qs]
    header = ["student", "notebook", "lesson"]
    if len(sets) <= 1:
        header += [name for _, name in columns]
    else:
        header += [f"{_set_label(qs, rows)}:{name}" for qs, name in columns]
    header += ["total", "max", "notes"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = [row.student, row.notebook, row.lesson]
        for qs, name in columns:
            mine = row.questions is qs and name in row.scores
            cells.append(_fmt(row.scores[name]) if mine else "")
        cells += [_fmt(row.total), _fmt(row.maximum), "; ".join(row.notes)]
        writer.writerow(cells)
    return buf.getvalue()


def written_text_md(rows: list[Row]) -> str:
    """Markdown: every written question, then each student's answer quoted."""
    lines = [
        "# Written answers",
        "",
        "Collected by `python -m defection.grade`: the students' own words, quoted as written.",
        "Grade them with each question's rubric.",
        "",
    ]
    for qs in _question_sets(rows):
        lesson = _set_label(qs, rows)
        for q in qs.written:
            lines += [f"## Lesson {lesson} — {q.name}: {q.prompt}".rstrip(": "), ""]
            if getattr(q, "rubric", ""):
                lines += [f"*Rubric ({_fmt(q.points)} points):* {q.rubric}", ""]
            for row in rows:
                if row.questions is not qs:
                    continue
                text = row.written.get(q.name) if row.written else None
                lines += [f"### {row.student} — {row.notebook}", ""]
                if text:
                    lines += ["> " + line if line.strip() else ">" for line in text.splitlines()]
                else:
                    lines.append("_(no answer)_")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def grade(
    submissions: Path | str,
    out: Path | str,
    *,
    written: Path | str | None = None,
    registry: Registry = None,
    timeout: float = 120.0,
    cell_timeout: float | None = None,
    max_output_bytes: int = 1_000_000,
    max_memory_mb: int = 4096,
    jobs: int = 1,
    extra_path: Iterable[str | Path] = (),
    templates: Path | str | None = REPO / "exercises",
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Grade every file in ``submissions``; write ``out`` (CSV) and the written answers.

    ``registry`` overrides where questions come from: one QuestionSet for every
    notebook, a mapping lesson -> QuestionSet, or a callable lesson -> QuestionSet
    (default: ``defection.checks.lessonNN``, freshly imported).
    """
    submissions, out = Path(submissions), Path(out)
    written_path = Path(written) if written else out.with_name("written_answers.md")
    if not submissions.is_dir():
        raise GradingError(f"{submissions} is not a folder")
    for target in (out, written_path):
        if _inside(target, submissions):
            raise GradingError(
                f"refusing to write {target} inside the submissions folder {submissions}: "
                "choose a path outside it"
            )
    say = progress or (lambda msg: print(msg, file=sys.stderr, flush=True))
    extra = tuple(str(Path(p).resolve()) for p in extra_path)
    for p in reversed(extra):
        if p not in sys.path:
            sys.path.insert(0, p)
    settings = Settings(
        timeout=float(timeout),
        cell_timeout=float(cell_timeout or timeout),
        max_output_bytes=int(max_output_bytes),
        max_memory_mb=int(max_memory_mb),
        extra_path=extra,
        templates=Path(templates) if templates else None,
    )
    files = discover(submissions)
    # Import each lesson's questions once, fresh, in this process, before any notebook runs.
    cache: dict[str, QuestionSet | None] = {}

    def lookup(lesson: str) -> QuestionSet | None:
        if lesson not in cache:
            try:
                cache[lesson] = resolve_registry(registry, lesson)
            except Exception as exc:
                say(f"warning: cannot load checks for lesson {lesson}: {type(exc).__name__}: {exc}")
                cache[lesson] = None
        return cache[lesson]

    for _, _, name in files:
        lookup(_lesson_from_name(name))

    counter = {"done": 0}
    total = len(files)
    lock = threading.Lock()

    def work(item: tuple[Path, str, str]) -> Row:
        row = grade_one(item[0], item[1], item[2], lookup, settings)
        with lock:
            counter["done"] += 1
            score = f"{_fmt(row.total)}/{_fmt(row.maximum)}" if row.maximum else "-"
            notes = f" — {'; '.join(row.notes)}" if row.notes else ""
            say(f"[{counter['done']}/{total}] {row.student} {row.notebook}: {score}{notes}")
        return row

    if jobs > 1:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            rows = list(pool.map(work, files))
    else:
        rows = [work(f) for f in files]
    rows.sort(key=lambda r: (r.student.casefold(), r.notebook))

    _atomic_write(out, gradebook_text(rows))
    _atomic_write(written_path, written_text_md(rows))

    graded = [r for r in rows if r.graded]
    problems = [r for r in rows if r.notes]
    say(f"Graded {len(graded)} of {len(rows)} file(s); {len(problems)} with notes.")
    for qs in _question_sets(rows):
        mine = [r for r in rows if r.questions is qs]
        lesson = _set_label(qs, rows)
        for q in qs:
            if not q.auto:
                n = sum(1 for r in mine if r.scores.get(q.name) == "recorded")
                say(f"  lesson {lesson} {q.name}: {n} of {len(mine)} written answer(s) recorded")
                continue
            got = [r.scores.get(q.name, 0.0) for r in mine]
            mean = sum(got) / len(got) if got else 0.0
            say(f"  lesson {lesson} {q.name}: mean {mean:.2f} / {_fmt(q.points)}")
    say(f"Wrote {out} and {written_path}.")
    return rows


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defection.grade",
        description=(
            "Run every submitted notebook in SUBMISSIONS (each in its own kernel, with time, "
            "output and memory limits), re-check the answers with the course's own checks, "
            "and write a gradebook CSV plus a markdown file of written answers. "
            "WARNING: this runs student code with your rights; see INSTRUCTORS.md."
        ),
        epilog=(
            "Name files <student>__NN_topic.ipynb (two underscores) or put each student's "
            "notebooks in a folder named after the student. Other files are listed as "
            "'not a notebook'. Example: python -m defection.grade submissions/ "
            "--out grades/gradebook.csv --timeout 180"
        ),
    )
    parser.add_argument("submissions", type=Path, nargs="?", help="folder of submitted notebooks")
    parser.add_argument("--out", type=Path, default=Path("gradebook.csv"),
                        help="gradebook CSV to write, outside SUBMISSIONS (default: gradebook.csv)")
    parser.add_argument("--written", type=Path, default=None,
                        help="markdown file for written answers (default: written_answers.md "
                        "next to --out)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per notebook (default: 120)")
    parser.add_argument("--cell-timeout", type=float, default=None,
                        help="seconds allowed per cell (default: same as --timeout)")
    parser.add_argument("--max-output-bytes", type=int, default=1_000_000,
                        help="printed output kept per notebook before it is noted as "
                        "truncated (default: 1000000)")
    parser.add_argument("--max-memory-mb", type=int, default=4096,
                        help="memory (address space) per notebook, 0 for no limit; Linux and "
                        "macOS (default: 4096)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks graded in parallel (default: 1)")
    parser.add_argument("--checks-module", default=None,
                        help="use this module's QUESTIONS for every notebook instead of "
                        "defection.checks.lessonNN (for testing your own checks)")
    parser.add_argument("--path", action="append", default=[],
                        help="extra folder for Python imports, in the grader and the kernels; "
                        "repeatable")
    parser.add_argument("--exercises", type=Path, default=REPO / "exercises",
                        help="exercise notebooks, used to spot deleted or reordered cells "
                        "(default: the course's exercises/)")
    args = parser.parse_args(argv)
    if args.submissions is None:
        parser.error("SUBMISSIONS folder is required")
    registry: Registry = None
    try:
        for p in args.path:
            sys.path.insert(0, str(Path(p).resolve()))
        if args.checks_module:
            registry = load_questions(args.checks_module)
        grade(
            args.submissions,
            args.out,
            written=args.written,
            registry=registry,
            timeout=args.timeout,
            cell_timeout=args.cell_timeout,
            max_output_bytes=args.max_output_bytes,
            max_memory_mb=args.max_memory_mb,
            jobs=max(1, args.jobs),
            extra_path=args.path,
            templates=args.exercises,
        )
    except (GradingError, ModuleNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
