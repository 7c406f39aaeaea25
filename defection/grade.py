"""Grade submitted exercise notebooks: ``python -m defection.grade SUBMISSIONS --out FILE``.

The grader lives in :mod:`defection.grading` (one module per job: collecting, running,
sandboxing, re-checking, reporting, feedback, summary, merging); this module keeps the
documented command and the ``breaking-ranks-grade`` entry point, and re-exports the names
older scripts and tests import from here. ``python -m defection.grade --help`` lists
every option; INSTRUCTORS.md, "Grading submissions", walks through a real class.
"""

from __future__ import annotations

import sys

from defection.grading.cli import main
from defection.grading.collect import discover
from defection.grading.pipeline import GradingError, grade, resolve_registry
from defection.grading.recheck import Row, grade_one
from defection.grading.run import Settings, execution_notes, run_notebook, syntax_problem
from defection.grading.transfer import decode, dump_cell_source

_execution_notes = execution_notes  # the name the first tests used

__all__ = [
    "GradingError", "Row", "Settings", "decode", "discover", "dump_cell_source", "execution_notes",
    "grade", "grade_one", "main", "resolve_registry", "run_notebook", "syntax_problem",
]  # fmt: skip

if __name__ == "__main__":
    sys.exit(main())
