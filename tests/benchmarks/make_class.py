"""Make a realistic class of submissions, as an LMS would hand it over, for grading runs.

Why: a benchmark that grades one worked solution 300 times measures a class nobody has.
Real classes mix finished, half-finished and untouched notebooks, code that does not
compile or raises, and now and then a loop that never ends, spread over several
assignments. This builds such a class from the course's own notebooks (``solutions/`` and
the handed-out ``exercises/``, which share cell ids), deterministically from a seed, as
one Canvas "Download Submissions" zip (or a folder).

The mix (shares of the class, rounded so they add up to ``n``; see :data:`MIX`):

==========  =====  ==============================================================
kind        share  what the notebook is
==========  =====  ==============================================================
good        50 %   the worked solution, every answer given
partial     22 %   the solution with 30-70 % of its answer cells still blank
blank       10 %   the exercise as handed out
syntax       6 %   partial, one answer cell does not compile (a bracket lost)
exception    8 %   partial, one answer cell raises (a misspelt name: NameError)
endless      4 %   partial, one answer cell loops until the cell time limit
==========  =====  ==============================================================

Sets 01-05 take turns (student *i* hands in set ``i % 5 + 1``); kinds are dealt by a
seeded shuffle, and about one file in twelve is marked late by Canvas. Run it alone to
look at a class::

    .venv/bin/python tests/benchmarks/make_class.py --n 300 --out /tmp/class.zip
"""

from __future__ import annotations

import argparse
import io
import json
import keyword
import random
import re
import sys
import tokenize
import zipfile
from collections import Counter
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
SETS = ("01_regime_cohesion", "02_military_economy", "03_defection_motivations",
        "04_surrender_dynamics", "05_synthesis")  # fmt: skip
MIX = {"good": 0.50, "partial": 0.22, "blank": 0.10, "syntax": 0.06, "exception": 0.08,
       "endless": 0.04}  # fmt: skip
ENDLESS = "count = 0\nwhile count < 5:\n    total = count * 2  # forgot: count += 1\n"
LATE_EVERY = 12


def kinds_for(n: int, seed: int) -> list[str]:
    """``n`` kinds in :data:`MIX` proportions (largest remainders), shuffled by ``seed``."""
    exact = {k: share * n for k, share in MIX.items()}
    counts = {k: int(v) for k, v in exact.items()}
    short = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:short]:
        counts[k] += 1
    kinds = [k for k, c in counts.items() for _ in range(c)]
    random.Random(seed).shuffle(kinds)
    return kinds


def _answer_cells(good: nbformat.NotebookNode, blank: nbformat.NotebookNode) -> list[int]:
    """Indexes of the cells a student fills in (they differ between solution and exercise)."""
    by_id = {c.get("id"): c for c in blank.cells}
    return [i for i, c in enumerate(good.cells)
            if c.get("id") in by_id and by_id[c.get("id")].source != c.source]  # fmt: skip


def _compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec")
    except SyntaxError:
        return False
    return True


def _lose_bracket(source: str) -> str:
    """The last closing bracket of the code (not of a string) dropped: a SyntaxError."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
    closing = [t for t in tokens if t.type == tokenize.OP and t.string in ")]}"]
    if closing:
        lines = source.splitlines(keepends=True)
        row, col = closing[-1].start
        lines[row - 1] = lines[row - 1][:col] + lines[row - 1][col + 1 :]
        broken = "".join(lines)
        if not _compiles(broken):
            return broken
    return source.rstrip() + " +\n"


def _misspell(source: str) -> str:
    """The first name read on the right of an ``=`` misspelt: a NameError when it runs."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
    right = False
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL):
            right = False
        elif tok.type == tokenize.OP and tok.string == "=":
            right = True
        elif right and tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            lines = source.splitlines(keepends=True)
            line = lines[tok.start[0] - 1]
            lines[tok.start[0] - 1] = line[: tok.start[1]] + tok.string + "_" + line[tok.end[1] :]
            return "".join(lines)
    return "undefined_total = undefined_value + 1\n" + source


_MARKER = re.compile(r"^[ \t]*# (BEGIN|END) SOLUTION.*\n?", re.M)


def _as_student(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """What a student's own copy shows: no solution markers around the answers."""
    for cell in nb.cells:
        cell.source = _MARKER.sub("", cell.source)
    return nb


def make_notebook(kind: str, good: nbformat.NotebookNode, blank: nbformat.NotebookNode,
                  rng: random.Random) -> nbformat.NotebookNode:  # fmt: skip
    """One student's notebook of ``kind`` (see :data:`MIX`)."""
    if kind == "blank":
        return nbformat.from_dict(json.loads(json.dumps(blank)))
    nb = _as_student(nbformat.from_dict(json.loads(json.dumps(good))))
    if kind == "good":
        return nb
    answers = _answer_cells(good, blank)
    undone = rng.sample(answers, round(len(answers) * rng.uniform(0.3, 0.7)))
    for i in undone:
        nb.cells[i].source = blank.cells[i].source
    code = [i for i in answers if i not in undone and nb.cells[i].cell_type == "code"
            and "Scratch" not in nb.cells[i].source]  # fmt: skip
    if kind != "partial" and code:
        i = rng.choice(code)
        source = nb.cells[i].source
        nb.cells[i].source = {"syntax": _lose_bracket, "exception": _misspell,
                              "endless": lambda s: ENDLESS + s}[kind](source)  # fmt: skip
    return nb


def build(n: int, seed: int = 20) -> list[tuple[str, str, nbformat.NotebookNode]]:
    """(Canvas file name, kind, notebook) for ``n`` students."""
    rng = random.Random(seed)
    books = {s: (nbformat.read(REPO / "solutions" / f"{s}.ipynb", as_version=4),
                 nbformat.read(REPO / "exercises" / f"{s}.ipynb", as_version=4))
             for s in SETS}  # fmt: skip
    out = []
    for i, kind in enumerate(kinds_for(n, seed)):
        name = SETS[i % len(SETS)]
        late = "_LATE" if rng.randrange(LATE_EVERY) == 0 else ""
        file = f"student{i:04d}{late}_{10000 + i}_{90000 + i}_{name}.ipynb"
        out.append((file, kind, make_notebook(kind, *books[name], rng)))
    return out


def write(n: int, out: Path, seed: int = 20) -> Counter:
    """Write the class to ``out`` (a ``.zip`` file or a folder); return the kinds' counts."""
    made = build(n, seed)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for file, _, nb in made:
                zf.writestr(file, nbformat.writes(nb))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for file, _, nb in made:
            nbformat.write(nb, out / file)
    return Counter(kind for _, kind, _ in made)


def describe(counts: Counter) -> str:
    return ", ".join(f"{counts[k]} {k}" for k in MIX if counts.get(k))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="students (default: 300)")
    parser.add_argument("--seed", type=int, default=20, help="random seed (default: 20)")
    parser.add_argument("--out", type=Path, required=True, help="a .zip file or a folder")
    args = parser.parse_args(argv)
    counts = write(args.n, args.out, args.seed)
    print(f"wrote {args.n} submissions to {args.out}: {describe(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
