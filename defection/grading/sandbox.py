"""Contain student code with bubblewrap (``bwrap``) when the machine has it.

Why: grading runs every submitted notebook, and a notebook is code a student wrote. With
Debian's ``bubblewrap`` installed (``apt-get install bubblewrap``), each submission's worker
and kernel run in their own namespaces, and see:

- no network (only a private loopback) and no other process (a private process table;
  every process is killed when the worker ends);
- not the machine's file system but a new, empty root with only what Python and the
  course need put back read-only: ``/usr`` and the library folders, a short list of
  world-readable ``/etc`` files (:data:`ETC_FILES`: the loader cache, time zone, passwd,
  fonts...; never ``/etc/shadow``), the Python installation and its ``sys.path``, and the
  course's ``defection/`` and ``data/`` folders. ``/root``, the instructor's home, the
  submissions and the outputs are simply not there;
- an unprivileged user. Run by a normal user, bwrap maps that user to ``nobody`` in a user
  namespace (``--unshare-user``): the kernel can read no more than the instructor could,
  and only inside what is put back. Run by root, bwrap sets the mounts up as root (so a
  Python installed under ``/root`` can still be put back) and the worker then drops to the
  real ``nobody`` account (:data:`SANDBOX_USER`) before it reads anything, so a root-only
  file stays unreadable even where it is bound;
- a minimal environment (:func:`kernel_environment`): an allow-list of what Python and
  Jupyter need, never the grader's own variables (an LMS API token in the instructor's
  shell stays there).

The submission's own throwaway folder is the only place it can write. Without ``bwrap``
(or on macOS and Windows) grading still works, unsandboxed but with the same minimal
environment, and the grader says so at the start and in the summary. Unsandboxed, that
environment is only a first line: code running as the instructor can still read any of the
instructor's files, including the grader process's own environment under ``/proc``.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UNSANDBOXED_WARNING = (
    "WARNING: grading is UNSANDBOXED: student code runs with your account's rights and can "
    "read your files and use the network. Install bubblewrap (Debian/Ubuntu: "
    "apt-get install bubblewrap) or grade in a container; see INSTRUCTORS.md."
)
#: The unprivileged account student code runs as inside the sandbox (uid, gid).
SANDBOX_USER = (65534, 65534)
#: What the kernel may see of /etc: what the loader, Python, time zones and fonts read.
#: Each is bound only when it exists and everyone may read it.
ETC_FILES = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/host.conf",
    "/etc/gai.conf", "/etc/mime.types", "/etc/locale.alias", "/etc/fonts", "/etc/alternatives",
    "/etc/ssl/openssl.cnf", "/etc/ssl/certs", "/etc/matplotlibrc",
)  # fmt: skip
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: Variables passed through from the grader's environment, when set. Everything else is
#: dropped; HOME, TMPDIR and the Jupyter/IPython/matplotlib folders point into the
#: submission's own folder.
PASSED_VARIABLES = ("LANG", "LANGUAGE", "TZ", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONUTF8",
                    "PYTHONIOENCODING", "VIRTUAL_ENV", "JUPYTER_PLATFORM_DIRS",
                    "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT",
                    "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE")  # fmt: skip


@dataclass(frozen=True)
class Sandbox:
    """How submissions are run: ``kind`` is "bwrap" or "none"; ``reason`` says why."""

    kind: str
    reason: str

    @property
    def active(self) -> bool:
        return self.kind == "bwrap"


def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def kernel_environment(workdir: Path, pythonpath: Iterable[str] = (),
                       source: Mapping[str, str] | None = None) -> dict[str, str]:  # fmt: skip
    """The whole environment of a submission's worker and kernel: an allow-list.

    Why an allow-list: the grader's own environment holds whatever the instructor's shell
    holds (LMS tokens, cloud keys). Only locale, time zone and the variables that find
    Python's packages pass; every folder a library writes to is inside ``workdir``.
    """
    source = os.environ if source is None else source
    env = {k: v for k, v in source.items() if k in PASSED_VARIABLES or k.startswith("LC_")}
    work = Path(workdir)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(dict.fromkeys(
        [bindir, "/usr/local/bin", "/usr/bin", "/bin"] if os.name == "posix"
        else [bindir, *source.get("PATH", "").split(os.pathsep)]))  # fmt: skip
    paths = [*pythonpath, source.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    if not env["PYTHONPATH"]:
        del env["PYTHONPATH"]
    tmp = str(work / "tmp")
    env.update({
        "HOME": str(work), "USERPROFILE": str(work), "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp,
        "APPDATA": str(work / "appdata"), "LOCALAPPDATA": str(work / "appdata"),
        "XDG_CACHE_HOME": str(work / "cache"), "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "share"), "XDG_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTER_DATA_DIR": str(work / "jupyter"),
        "JUPYTER_CONFIG_DIR": str(work / "jupyter-config"), "IPYTHONDIR": str(work / "ipython"),
        "MPLCONFIGDIR": str(work / "mpl"), "MPLBACKEND": "Agg", "DEFECTION_GRADING": "1",
        # The course's own bytecode cannot be written from inside (read-only), and a write
        # attempt would look like a hostile one in the notes.
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
    })  # fmt: skip
    env.setdefault("LANG", "C.UTF-8")
    return env


def _world_readable(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
    return mode & need == need


def python_paths(course: Path | None = None) -> list[Path]:
    """Folders the kernel's Python needs: its installation and its ``sys.path`` folders.

    A ``sys.path`` folder outside the installation is left out when it is the course (or
    holds it: the working folder or a test runner's root would bring back the solutions),
    or lies in the home folder (the kernel has no user site), or is the root.
    """
    prefixes = _existing([sys.prefix, sys.base_prefix, sys.exec_prefix,
                          os.path.dirname(os.path.realpath(sys.executable))])  # fmt: skip
    course = Path(course or Path(__file__).resolve().parents[2]).resolve()
    home = Path(os.path.expanduser("~")).resolve()
    found = list(prefixes)
    for p in _existing(p for p in sys.path if p and os.path.isdir(p)):
        if _within(p, prefixes):
            found.append(p)
        elif p != Path("/") and not _within(p, [course, home]) and not _within(course, [p]):
            found.append(p)
    return _existing(found)


@lru_cache(maxsize=1)
def _bwrap_works(exe: str) -> str:
    """"" when bwrap can make namespaces here (and run this Python inside), else why not."""
    work = Path(tempfile.mkdtemp(prefix="defection-probe-"))
    try:
        if as_root():
            os.chown(work, *SANDBOX_USER)
        argv = [sys.executable, "-c", _DROP + "import json, nbclient, ipykernel"]
        cmd = wrap(argv, workdir=work, course=Path(__file__).resolve().parents[2], exe=exe)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                              env=kernel_environment(work))  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bwrap failed to start: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return f"bwrap cannot run this Python in a sandbox here: {(lines or ['?'])[-1][:160]}"
    return ""


#: Run first in the sandbox when the grader is root: become ``nobody`` for good.
_DROP = (f"import os\nif os.geteuid() == 0:\n    os.setgroups([]); os.setgid({SANDBOX_USER[1]}); "
         f"os.setuid({SANDBOX_USER[0]})\n")  # fmt: skip


def drop_privileges() -> None:
    """Called by the worker first thing: root inside the sandbox becomes ``nobody``."""
    if as_root():
        os.setgroups([])
        os.setgid(SANDBOX_USER[1])
        os.setuid(SANDBOX_USER[0])


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
        who = "as 'nobody'" if as_root() else "as 'nobody' in a user namespace"
        return Sandbox("bwrap", f"bubblewrap: no network, only the course and Python visible "
                                f"(read-only), {who}, minimal environment")  # fmt: skip
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


def _within(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def readable_paths(course: Path, readable: Iterable[Path | str] = ()) -> list[Path]:
    """Everything the sandbox puts back read-only (besides the system folders and /etc)."""
    course = Path(course).resolve()
    return _existing([course / "defection", course / "data", *python_paths(course), *readable])


def wrap(
    argv: list[str],
    *,
    workdir: Path,
    course: Path,
    readable: Iterable[Path | str] = (),
    hidden: Iterable[Path | str] = (),
    exe: str | None = None,
) -> list[str]:
    """The bwrap command line that runs ``argv`` contained.

    ``workdir`` is the only writable folder. The root is empty except the system folders,
    :data:`ETC_FILES`, the Python installation, the course's ``defection/`` and ``data/``
    and the ``readable`` paths (``--path`` folders), all read-only. ``hidden`` folders (the
    submissions, the output folder) are covered by empty read-only ones should they lie
    inside something put back.
    """
    exe = exe or shutil.which("bwrap") or "bwrap"
    workdir = Path(workdir).resolve()
    cmd = [exe, "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
           "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session", "--hostname", "grader"]  # fmt: skip
    if as_root():
        # Mounts are made as root; the worker then drops to nobody (drop_privileges).
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-user", "--uid", str(SANDBOX_USER[0]), "--gid", str(SANDBOX_USER[1]),
                "--cap-drop", "ALL"]  # fmt: skip
    for name in SYSTEM_DIRS:
        if os.path.islink(name):
            cmd += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            cmd += ["--ro-bind", name, name]
    for name in ETC_FILES:
        if os.path.exists(name) and _world_readable(name):
            cmd += ["--ro-bind", name, name]
    for pattern in ("/etc/python3*",):
        for name in sorted(glob.glob(pattern)):
            if _world_readable(name):
                cmd += ["--ro-bind", name, name]
    keep = [p for p in readable_paths(course, readable) if not _within(p, [Path(d) for d in SYSTEM_DIRS])]
    made: set[Path] = {Path("/")}
    for path in sorted(keep, key=lambda p: len(p.parts)):
        # Parents bwrap creates would copy restrictive modes (/root is 0700): make them
        # 0755 first so the unprivileged user can reach what is put back.
        for parent in reversed(path.parents):
            if parent not in made and not _within(parent, keep):
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        cmd += ["--ro-bind", str(path), str(path)]
    covered = [Path("/tmp")]
    for folder in sorted(_existing(hidden), key=lambda p: len(p.parts)):
        if _within(folder, keep) and not _within(folder, covered) and not _within(workdir, [folder]):
            cmd += ["--tmpfs", str(folder)]
            covered.append(folder)
    cmd += ["--bind", str(workdir), str(workdir)]
    # The empty stand-ins become read-only too, so a write outside the submission's own
    # folder fails loudly (and is noted in its row) instead of vanishing into a tmpfs.
    for folder in covered:
        cmd += ["--remount-ro", str(folder)]
    # Root without capabilities may not enter nobody's folder: the worker goes there itself
    # once it is nobody.
    cmd += [] if as_root() else ["--chdir", str(workdir)]
    return cmd + ["--", *argv]
