"""Grade a class's exercise notebooks: LMS exports in, gradebooks and feedback out.

The package is split along the grader's seams, one job per module:

* :mod:`~defection.grading.collect`: find submissions in a folder or an LMS .zip
  (Canvas, Moodle, Blackboard names) and who sent each;
* :mod:`~defection.grading.roster`: roster, due date and ``grading.toml``; missing,
  duplicate and late flags;
* :mod:`~defection.grading.identify`: which lesson a notebook is (metadata, content, name);
* :mod:`~defection.grading.run` and :mod:`~defection.grading.worker`: run one notebook in
  its own kernel with limits; :mod:`~defection.grading.sandbox`: bubblewrap around it;
  :mod:`~defection.grading.transfer`: answer values back as plain data;
* :mod:`~defection.grading.recheck`: re-check with fresh checks, statuses, tampering;
* :mod:`~defection.grading.report`, :mod:`~defection.grading.export`,
  :mod:`~defection.grading.feedback`, :mod:`~defection.grading.summary`: the outputs;
* :mod:`~defection.grading.attempts`: which of a resubmitter's attempts counts (one
  policy for the gradebook, the LMS files and merge);
* :mod:`~defection.grading.merge`: written scores and weights into final totals and
  final-grade LMS imports, with :mod:`~defection.grading.late`'s late policy;
* :mod:`~defection.grading.pipeline` (one run) and :mod:`~defection.grading.cli`.

``python -m defection.grade`` and ``breaking-ranks-grade`` call :func:`cli.main`.
"""

from defection.grading.pipeline import GradingError, grade, resolve_registry
from defection.grading.recheck import Row, grade_one
from defection.grading.run import Settings

__all__ = ["GradingError", "Row", "Settings", "grade", "grade_one", "resolve_registry"]
