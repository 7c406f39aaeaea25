"""Start nbval's kernels again when one dies before answering, and always say why it died.

nbval starts one kernel per notebook and sends that kernel's stderr to /dev/null. When the
kernel dies during start-up, every cell of the notebook then errors with "Kernel died before
replying to kernel_info" and nothing tells you why. That happened to one notebook in about
fifteen in two CI runs on the two-core machine (once on 3.11, once in the 3.15 chroot), while
the same notebooks passed in every other run. The known cause is a race in how kernels get
their ports: jupyter_client picks five free TCP ports by binding port 0 and letting them go,
writes them to the connection file, and the kernel binds them a second or more later; on a
loaded machine, with other kernels, JupyterLab, JupyterHub and a browser starting beside it,
another process can take one of them first and the kernel exits with ZMQError "Address
already in use" (see statsmodels#4116, Debian bug 880245, for the same failure).

A kernel that dies before replying to kernel_info has run none of the notebook's code, so
starting a new one (with new ports) hides nothing about the notebook. What it would hide is a
kernel that can never start, so: at most ``ATTEMPTS`` starts; the kernel's stderr is kept
(not thrown away) and its last lines go into the warning for each retried start and into the
error if the last one fails too; and a retry is a pytest warning, shown in the run's summary.
Unlike the course's own rule (``defection.kernel_start``, for the grader, handouts and site),
a kernel silent past nbval's start-up timeout is started again too: in the test suite the
likely cause is a loaded CI machine, and there the retry costs only time, not a grade.
"""

from __future__ import annotations

import tempfile
import warnings

ATTEMPTS = 3  # as defection.kernel_start.KERNEL_STARTS
TAIL_LINES = 8


class KernelStartRetried(UserWarning):
    """A notebook's kernel died while starting and was started again."""


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    return "\n".join(lines[-TAIL_LINES:])


def retrying(start, attempts: int = ATTEMPTS):
    """Wrap nbval's ``start_new_kernel`` so a kernel that dies while starting is started again."""

    def start_new_kernel(*args, stderr=None, **kwargs):
        if stderr is not None and hasattr(stderr, "close"):
            stderr.close()  # nbval's /dev/null: we keep the kernel's stderr instead
        reasons = []
        for attempt in range(1, attempts + 1):
            # closed below on both paths; a with-block would close it before the kernel's end
            log = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
            try:
                started = start(*args, stderr=log, **kwargs)
            except RuntimeError as exc:
                said = _tail(log) or "(the kernel wrote nothing to stderr)"
                log.close()
                reasons.append(f"start {attempt} of {attempts}: {exc}\n{said}")
                if attempt < attempts:
                    warnings.warn(
                        KernelStartRetried(
                            f"kernel died while starting ({exc}); starting it again. "
                            f"The kernel's last words:\n{said}"
                        ),
                        stacklevel=2,
                    )
                continue
            log.close()  # the kernel keeps its own handle; its later stderr is not needed
            return started
        raise RuntimeError(
            f"the notebook's kernel died while starting, {attempts} times:\n\n"
            + "\n\n".join(reasons)
        )

    start_new_kernel.__wrapped__ = start
    return start_new_kernel


def install() -> None:
    """Put the retrying start into nbval (its RunningKernel looks the function up per call)."""
    try:
        import nbval.kernel
    except ImportError:  # nbval not installed: nothing to wrap
        return
    current = nbval.kernel.start_new_kernel
    if getattr(current, "__wrapped__", None) is None:
        nbval.kernel.start_new_kernel = retrying(current)
