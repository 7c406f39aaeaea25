"""Grade one submission: run it, re-check its answers with fresh checks, explain every mark.

Why re-check: the checks a student ran live in their own kernel, where they can be
rebound (``q1.check = lambda *a: "correct"``). The grader reads only the answer values and
checks them with Question objects it imported itself (``defection.checks.lessonNN``,
through their public ``evaluate``), so tampering earns nothing; and because an
instructor needs something to point to, tampering is also *detected*: code that rebinds
anything in the checks or hooks into the kernel, saved outputs claiming a ✓ the re-check
does not give, and, at run time, checks that differ at the end of the run from what they
were before the first cell (:mod:`defection.grading.integrity`). The student's feedback
says so too: a flag is never a silent penalty.

Every question gets a status: correct, wrong, not answered or error (auto-checked), and
recorded, short or not answered (written). Written answers are always recorded, however
short; a short one says so with its word count.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from defection.checks import CORRECT, INCORRECT, NOT_ANSWERED, QuestionSet
from defection.checks.answers import judge
from defection.checks.core import _Opaque, written_text
from defection.grading import integrity
from defection.grading import run as running
from defection.grading.identify import identify, lesson_from_name
from defection.grading.transfer import decode

MAX_NOTEBOOK_BYTES = 25_000_000
_ANSWER_HEADER = re.compile(r"^\s*\*\*Your answer\s*\((?P<name>[A-Za-z_]\w*)\)\s*:?\s*\*\*", re.I)
_CLAIMED_CORRECT = re.compile(r"✓\s+(?P<name>[A-Za-z_]\w*):\s*Correct")

# Statuses, as written in the status sheet and the feedback.
S_CORRECT, S_WRONG, S_BLANK, S_ERROR = "correct", "wrong", "not answered", "error"
S_RECORDED, S_SHORT = "recorded", "short"

Lookup = Callable[[str], QuestionSet | None]


@dataclass
class Row:
    """One submitted file: who, which lesson, a score and status per question, and why."""

    student: str
    notebook: str
    lesson: str = ""
    lesson_found_by: str = ""
    student_id: str = ""
    name: str = ""
    email: str = ""
    lms: str = ""
    lms_id: str = ""
    submitted_at: datetime | None = None
    late: str = ""  # "", "late (Canvas)", "late by 2 h 5 min"
    duplicate: bool = False
    attempt: int = 0  # 1, 2, ... among this student's files for this set (0: not numbered)
    counted: bool = True  # False for an attempt the attempts policy does not count
    scores: dict[str, Any] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)  # the check's own message
    total: float = 0.0
    maximum: float = 0.0
    notes: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    written: dict[str, str | None] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    graded: bool = False
    questions: QuestionSet | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        """The student as the gradebook names them: roster id when known."""
        return self.student_id or self.student


# --------------------------------------------------------------------------- reading


def written_answers(nb: Any, names: Iterable[str]) -> dict[str, str | None]:
    """Each written question's text (tagged cell or ``**Your answer (w1):**`` header)."""
    wanted = list(names)
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
    return {n: ("\n\n".join(t for t in found[n] if t) or None) if n in found else None for n in wanted}


def structure_notes(nb: Any, name: str, lesson: str, templates: Path | None) -> list[str]:
    """Cells of the handed-out exercise that are missing or out of order."""
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


# --------------------------------------------------------------------------- tampering


def _code(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def rebinding(nb: Any, modules: Iterable[str]) -> list[str]:
    """Cells that assign to, delete or ``setattr`` anything reached through the checks.

    ``modules`` are the module names to watch ("defection" and the check module's); names
    bound anywhere in the notebook by ``import`` / ``from ... import`` of them are followed.
    """
    watch = set(modules) | {m.split(".")[0] for m in modules}
    trees: list[tuple[int, ast.AST]] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        try:
            trees.append((index, ast.parse(_code(str(cell.get("source", ""))))))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    bound: set[str] = set()
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in watch or a.name.split(".")[0] in watch:
                        bound.add((a.asname or a.name).split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in watch or node.module.split(".")[0] in watch:
                    bound |= {a.asname or a.name for a in node.names}
    found = []
    for index, tree in trees:
        hits = set()
        for node in ast.walk(tree):
            targets: list[ast.AST] = []
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("setattr", "delattr") and node.args):  # fmt: skip
                if _root(node.args[0]) in bound:
                    hits.add(f"{node.func.id}({ast.unparse(node.args[0])}, ...)")
            for t in targets:
                if isinstance(t, (ast.Attribute, ast.Subscript)):
                    text = ast.unparse(t)
                    if _root(t) in bound or text.startswith("sys.modules["):
                        hits.add(text)
        if hits:
            found.append(f"{running.cell_label(nb, index)} rebinds {', '.join(sorted(hits)[:3])}")
    return found


#: What code needs to reach into the kernel's own machinery (and so around the run-time
#: check): trace and audit hooks, IPython's event and input hooks, raw memory, object walks.
_HOOKS = {"settrace", "setprofile", "addaudithook", "_getframe", "get_objects", "get_referrers",
          "get_referents", "input_transformers_cleanup", "input_transformers_post",
          "ast_transformers", "pre_run_cell", "post_run_cell", "pre_execute", "post_execute",
          "_defection_audit", "_defection_probe"}  # fmt: skip


def hooks(nb: Any) -> list[str]:
    """Cells that hook into the kernel: what forging the run-time check would need."""
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_code(str(cell.get("source", ""))))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        hits = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in _HOOKS:
                hits.add(node.attr)
            elif isinstance(node, ast.Name) and node.id in _HOOKS:
                hits.add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in _HOOKS:
                hits.add(node.value)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                hits |= {"ctypes" for n in names if n and n.split(".")[0] == "ctypes"}
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for t in targets:
                    if isinstance(t, (ast.Attribute, ast.Subscript)) and _root(t) in ("builtins", "__builtins__"):
                        hits.add("builtins")
        if hits:
            found.append(f"{running.cell_label(nb, index)} hooks into the kernel ({', '.join(sorted(hits)[:3])})")
    return found


def claimed_correct(nb: Any) -> set[str]:
    """Questions the notebook's own saved outputs show as ✓ Correct."""
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []) or []:
            texts = [out.get("text", "")]
            data = out.get("data", {}) or {}
            texts += [data.get("text/plain", ""), data.get("text/html", "")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else str(text)
                text = re.sub(r"<[^>]+>", "", text)
                names |= {m["name"] for m in _CLAIMED_CORRECT.finditer(text)}
    return names


def check_modules(questions: QuestionSet) -> set[str]:
    """Modules whose ``QUESTIONS`` is this set (the check module), plus "defection"."""
    found = {"defection"}
    for name, module in list(sys.modules.items()):
        if getattr(module, "QUESTIONS", None) is questions:
            found.add(name)
    return found


# --------------------------------------------------------------------------- grading


def _assigning_cell(nb: Any, variable: str) -> int | None:
    pattern = re.compile(rf"(?m)^\s*{re.escape(variable)}\s*(?::[^=]*)?=(?!=)")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and pattern.search(str(cell.source)):
            return index
    return None


def _not_gradable(row: Row, note: str, lookup: Lookup) -> Row:
    row.notes.append(note)
    questions = lookup(row.lesson) if row.lesson else None
    return finish(row, questions, {}, reason=S_ERROR)


def grade_one(path: Path, student: str, name: str, lookup: Lookup,
              settings: running.Settings) -> Row:  # fmt: skip
    """Grade one file. Never raises: every problem becomes a note on the row."""
    import nbformat

    row = Row(student=student, notebook=name, lesson=lesson_from_name(name))
    if row.lesson:
        row.lesson_found_by = "file name"
    questions = None
    try:
        if path.suffix.lower() != ".ipynb":
            return _not_gradable(row, "not a notebook", lookup)
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return _not_gradable(row, f"notebook file too large ({size // 1_000_000} MB)", lookup)
        try:
            raw = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            return _not_gradable(row, f"malformed JSON (line {exc.lineno}): not a readable notebook",
                                 lookup)  # fmt: skip
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("cells", None), list):
                raise ValueError("no list of cells")
            nb = nbformat.reads(json.dumps(raw), as_version=4)
        except Exception as exc:
            return _not_gradable(row, f"not a valid notebook ({str(exc)[:80]})", lookup)
        lesson, how = identify(nb, name)
        if lesson:
            row.lesson, row.lesson_found_by = lesson, how
        questions = lookup(row.lesson) if row.lesson else None
        if questions is None:
            row.notes.append(
                f"no checks for lesson {row.lesson!r}" if row.lesson
                else "cannot tell the lesson (no lesson in the notebook's metadata, no "
                "check module imported, no NN_ in the file name)"
            )
            return finish(row, None, {})
        row.written = written_answers(nb, [q.name for q in questions.written])
        row.notes.extend(structure_notes(nb, name, row.lesson, settings.templates))
        variables = [q.variable for q in questions.auto if q.variable]
        modules = tuple(sorted(check_modules(questions) - {"defection"}))
        report, answers = running.run_notebook(nb, variables, settings, modules)
        row.notes.extend(running.execution_notes(nb, report, settings))
        values: dict[str, Any] = {}
        for var in variables:
            if var in answers:
                try:
                    values[var] = decode(json.loads(answers[var]))
                except Exception:
                    values[var] = _Opaque("value that could not be read")
        failed = set(running.failed_cells(report))
        ran = {int(e.get("index", -1)) for e in report.get("cells", []) if e.get("status") != "skipped"}
        errors: dict[str, str] = {}
        for q in questions.auto:
            v = values.get(q.variable)
            missing = q.variable not in values or (
                isinstance(v, _Opaque) and v._defection_type_name == "missing"
            )
            if not missing:
                continue
            cell = _assigning_cell(nb, q.variable)
            if cell is not None and (cell in failed or cell not in ran or not answers):
                errors[q.name] = f"not scored: {running.cell_label(nb, cell)} did not finish"
            elif cell is None and failed:
                stuck = ", ".join(running.cell_label(nb, i) for i in sorted(failed)[:2])
                errors[q.name] = f"not scored: {q.variable} was never set; {stuck} did not finish"
            elif answers:
                row.notes.append(f"{q.name}: variable {q.variable} missing (renamed/deleted?)")
        row.graded = True
        finish(row, questions, values, errors=errors)
        # Tampering: code that rebinds the checks, or saved ✓ the re-check does not give.
        row.tampering.extend(rebinding(nb, check_modules(questions)))
        row.tampering.extend(hooks(nb))
        row.tampering.extend(integrity.tampering(report))
        for qname in sorted(claimed_correct(nb)):
            if qname in row.statuses and row.statuses[qname] != S_CORRECT:
                row.tampering.append(
                    f"saved output shows {qname} correct; the re-check says {row.statuses[qname]}"
                )
        if row.tampering:
            row.notes.append("possible tampering: " + "; ".join(row.tampering))
        return row
    except Exception as exc:  # a bug or an absurd file: cost this row only
        row.notes.append(f"could not grade: {type(exc).__name__}: {str(exc)[:120]}")
        return finish(row, questions, {}, reason=S_ERROR)


def finish(row: Row, questions: QuestionSet | None, values: Mapping[str, Any], *,
           errors: Mapping[str, str] | None = None, reason: str = S_BLANK) -> Row:  # fmt: skip
    """Score every question; ``reason`` is the status of answers that could not be read."""
    row.questions = questions
    row.scores, row.statuses, row.feedback = {}, {}, {}
    row.total = row.maximum = 0.0
    if questions is None:
        return row
    errors = errors or {}
    for q in questions:
        if q.auto:
            row.maximum += q.points
            if q.name in errors:
                row.scores[q.name], row.statuses[q.name] = 0.0, S_ERROR
                row.feedback[q.name] = errors[q.name]
                continue
            if q.variable not in values:
                row.scores[q.name] = 0.0
                row.statuses[q.name] = reason if not row.graded else S_BLANK
                row.feedback[q.name] = ("the notebook could not be run" if reason == S_ERROR
                                        else "no answer found")  # fmt: skip
                continue
            result = judge(q, values[q.variable])  # full feedback, no count of tries
            row.scores[q.name] = float(result.points)
            row.statuses[q.name] = {CORRECT: S_CORRECT, INCORRECT: S_WRONG,
                                    NOT_ANSWERED: S_BLANK}.get(result.status, S_ERROR)  # fmt: skip
            row.feedback[q.name] = str(result.message)
        else:
            text = row.written.get(q.name) if row.written else None
            words = len(re.findall(r"\w+", text or ""))
            if text and words:
                row.words[q.name] = words
                minimum = int(getattr(q, "min_words", 0) or 0)
                if words < minimum:
                    row.scores[q.name] = f"short ({words} words)"
                    row.statuses[q.name] = S_SHORT
                else:
                    row.scores[q.name] = "recorded"
                    row.statuses[q.name] = S_RECORDED
            else:
                row.scores[q.name], row.statuses[q.name] = "not answered", S_BLANK
    row.total = sum(v for v in row.scores.values() if isinstance(v, (int, float)))
    return row
