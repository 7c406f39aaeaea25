"""Run a lesson again when its kernel died before answering, during the site build.

MyST-NB runs each lesson through jupyter-cache's ``single_nb_execution`` and fails the
whole build on the first error. One error has nothing to do with the lesson: jupyter_client
picks the kernel's five TCP ports by binding port 0 and releasing them, and on a busy
machine another process can take one before the kernel binds it, so the kernel exits
("Address already in use") and the lesson fails with "Kernel died before replying to
kernel_info" before any cell ran. The rule for starting again is ``defection.kernel_start``'s,
as for the grader and the handouts: for that case only, at most ``KERNEL_STARTS`` times, so
a kernel that can never start still fails the build.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from defection.kernel_start import KERNEL_STARTS, died_while_starting, ran_no_cell


def died_before_running(nb, err: BaseException) -> bool:
    """``err`` says the kernel died while starting, and no cell of ``nb`` has run."""
    return died_while_starting(err) and ran_no_cell(nb)


def retrying(run, starts: int = KERNEL_STARTS):
    """Wrap ``single_nb_execution`` so a kernel that dies while starting is started again.

    jupyter-cache returns a cell's error in its result but lets a failed kernel start
    raise, so the start is what is retried; the last failure is raised as it was.
    """

    def single_nb_execution(nb, *args, **kwargs):
        for attempt in range(1, starts):
            try:
                return run(nb, *args, **kwargs)
            except RuntimeError as exc:
                if not died_before_running(nb, exc):
                    raise
        return run(nb, *args, **kwargs)

    single_nb_execution.__wrapped__ = run
    return single_nb_execution


@contextlib.contextmanager
def kernel_starts_retried() -> Iterator[None]:
    """Within the block, MyST-NB's direct executor starts a dead kernel again."""
    from myst_nb.core.execute import direct

    original = direct.single_nb_execution
    direct.single_nb_execution = retrying(original)
    try:
        yield
    finally:
        direct.single_nb_execution = original
