"""Contain student code with bubblewrap (``bwrap``) when the machine has it.

Why: grading runs every submitted notebook. With Debian's ``bubblewrap`` installed
(``apt-get install bubblewrap``), each submission's worker and kernel run in their own
namespaces: no network (only a private loopback), a read-only view of the system, a
private empty ``/tmp``, the instructor's home replaced by an empty folder, the course
repository hidden except the code and data the checks need (read-only), and every process
killed when the worker ends. The submission's own throwaway folder is the only place it
can write. Without ``bwrap`` (or on macOS and Windows) grading still works, but
unsandboxed, and the grader says so at the start and in the summary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UNSANDBOXED_WARNING = (
    "WARNING: grading is UNSANDBOXED: student code runs with your account's rights and can "
    "read your files and use the network. Install bubblewrap (Debian/Ubuntu: "
    "apt-get install bubblewrap) or grade in a container; see INSTRUCTORS.md."
)


@dataclass(frozen=True)
class Sandbox:
    """How submissions are run: ``kind`` is "bwrap" or "none"; ``reason`` says why."""

    kind: str
    reason: str

    @property
    def active(self) -> bool:
        return self.kind == "bwrap"


@lru_cache(maxsize=1)
def _bwrap_works(exe: str) -> str:
    """"" when bwrap can make namespaces here, else the reason it cannot."""
    try:
        proc = subprocess.run(
            [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "--unshare-pid",
             "--die-with-parent", "true"],
            capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bwrap failed to start: {exc}"
    if proc.returncode != 0:
        return f"bwrap cannot create namespaces here: {proc.stderr.strip()[:160]}"
    return ""


def choose(mode: str = "auto") -> Sandbox:
    """Pick the sandbox: ``auto`` (bwrap when it works), ``bwrap`` (required) or ``none``."""
    if mode not in ("auto", "bwrap", "none"):
        raise ValueError(f"--sandbox must be auto, bwrap or none, not {mode!r}")
    if mode == "none":
        return Sandbox("none", "sandbox switched off (--sandbox none)")
    exe = shutil.which("bwrap")
    if not sys.platform.startswith("linux"):
        reason = f"bubblewrap runs only on Linux (this is {sys.platform})"
    elif exe is None:
        reason = "bwrap (bubblewrap) is not installed"
    else:
        reason = _bwrap_works(exe)
    if not reason:
        return Sandbox("bwrap", "bubblewrap: no network, read-only system, private /tmp")
    if mode == "bwrap":
        raise RuntimeError(f"--sandbox bwrap asked for, but {reason}")
    return Sandbox("none", reason)


def _existing(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p).resolve()
        if p.exists() and p not in out:
            out.append(p)
    return out


def wrap(
    argv: list[str],
    *,
    workdir: Path,
    course: Path,
    readable: Iterable[Path | str] = (),
    hidden: Iterable[Path | str] = (),
) -> list[str]:
    """The bwrap command line that runs ``argv`` contained.

    ``workdir`` is the only writable folder. ``course`` (the repository) is hidden except
    its ``defection/`` and ``data/`` folders and the ``readable`` paths (the Python
    environment, ``--path`` folders), which come back read-only. ``hidden`` folders (the
    submissions, the output folder) are replaced by empty ones.
    """
    exe = shutil.which("bwrap") or "bwrap"
    workdir, course = Path(workdir).resolve(), Path(course).resolve()
    home = Path(os.path.expanduser("~")).resolve()
    cmd = [
        exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
        "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/dev/shm",
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--hostname", "grader",
    ]  # fmt: skip
    covered = [Path("/tmp"), Path("/var/tmp")]
    # Outermost folders first, and none inside another: a tmpfs mounted over a parent
    # would bury the one inside it.
    for folder in sorted(_existing([home, course, *hidden]), key=lambda p: len(p.parts)):
        if folder == Path("/") or any(folder == c or c in folder.parents for c in covered[2:]):
            continue
        cmd += ["--tmpfs", str(folder)]
        covered.append(folder)
    # Put back, read-only, what the kernel needs to import the course and Python itself.
    keep = _existing([course / "defection", course / "data", sys.prefix, sys.base_prefix,
                      *readable])  # fmt: skip
    for path in keep:
        if any(path == c or c in path.parents for c in covered):
            cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--bind", str(workdir), str(workdir)]
    # The empty stand-ins become read-only too, so a write outside the submission's own
    # folder fails loudly (and is noted in its row) instead of vanishing into a tmpfs.
    for folder in covered:
        cmd += ["--remount-ro", str(folder)]
    cmd += ["--chdir", str(workdir), "--setenv", "HOME", str(workdir),
            "--setenv", "TMPDIR", str(workdir / "tmp"), "--"]  # fmt: skip
    return cmd + list(argv)
