"""When a kernel that failed to start may be started again: one rule for the course.

jupyter_client picks a kernel's five TCP ports by binding port 0 and releasing them; the
kernel binds them a second or more later. On a busy machine another process can take one
first, and the kernel exits ("Address already in use") before it answers: jupyter_client
then raises ``RuntimeError("Kernel died before replying to kernel_info")``. Such a kernel
ran none of the notebook, so a new one (new ports) hides nothing about the notebook. A
kernel that is alive but silent is not retried: it has already used its start-up time.

The handout builder and the site build use this; the grader's worker applies the same rule
in its own words, because it imports nothing from the package (it starts by path, maybe in
a sandbox).
"""

from __future__ import annotations

from collections.abc import Mapping

#: Starts tried in all before giving up (the first and two more).
KERNEL_STARTS = 3


def died_while_starting(exc: BaseException) -> bool:
    """``exc`` says the kernel process ended before it answered."""
    return isinstance(exc, RuntimeError) and "died" in str(exc)


def ran_no_cell(nb: Mapping) -> bool:
    """No code cell of ``nb`` has run (no execution count, no output)."""
    return not any(
        cell.get("execution_count") or cell.get("outputs")
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
    )
