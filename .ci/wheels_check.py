#!/usr/bin/env python3
"""Wheels-only check of the student install for every supported Python on Windows, macOS, Linux.

Why: a pin with no wheel for some Python or OS makes a student's ``pip install`` try to
compile (and fail) on their laptop; CI runs on Linux with one Python and would never notice.
This asks PyPI, for each (Python, platform) pair, whether ``requirements.txt`` resolves from
pre-built wheels alone, without that interpreter or OS:

    pip install --dry-run --ignore-installed --only-binary=:all: --no-compile
        --python-version X --implementation cp --platform P [--platform ...]
        --target TMP --report REPORT.json -r <requirements without "-e .">

``--dry-run`` installs nothing. Where the index serves PEP 658 metadata files (pypi.org's
``data-core-metadata``), pip reads just those; the PyPI mirror this CI machine reaches serves
none, so pip fetches each wheel into memory to read its metadata (``--no-cache-dir``: measured
12.6 s a pair against 23 s when it also writes pip's cache; nothing is kept). Measured here on
2 loaded cores, 20 pairs: 236-365 s with --jobs 3-4 when all pass, 423 s when pins are
missing (each missing pin costs one more resolution). The ``-e .`` line (the course's own
package, pure Python) is left out: it is built from the checkout, not fetched.

pip evaluates environment markers (``; sys_platform == "win32"``, ``python_version < "3.13"``)
for the interpreter that runs pip, not for ``--python-version``/``--platform`` (pypa/pip#11010,
#10050, #13296). So each run starts pip with the target's marker environment patched into
``pip._vendor.packaging.markers.default_environment``: marker lines in requirements.txt and
platform-only dependencies (pywin32 on Windows, appnope on macOS...) are judged as a student's
machine would judge them. Dependencies pip adds that requirements.txt does not pin are listed
in the note (they install, but unpinned).

Platform tags (what a realistic current machine accepts; PyPI wheels are tagged with the oldest
OS they support, so listing older tags is what the machine itself would do):
  win_amd64         64-bit Windows 10/11 on x86-64
  macosx_arm64      Apple silicon on macOS 14 Sonoma: macosx_{14..11}_0_{arm64,universal2}
  macosx_x86_64     Intel Mac on macOS 14: macosx_{14..11}_0 and 10_{16..9}, {x86_64,universal2,intel}
  manylinux_x86_64  glibc 2.35 (Ubuntu 22.04 LTS; Debian 12 has 2.36): manylinux_2_{35..17}, 2014, 2010, 1

Usage:
  python3 .ci/wheels_check.py [--requirements requirements.txt] [--results FILE]
                              [--python 3.11 ...] [--platform win_amd64 ...] [--jobs 4]
Writes a TSV (python, platform, result, note); result is ok, no-wheel, error, or with
--require-pins "unpinned" when pip adds a dependency requirements.txt does not pin (e.g.
pywinpty on Windows). Exit 1 if any pair is not ok (the message names each pin with no
wheel), 2 on bad arguments.
Standard library only. The resolving is done by a pinned pip (PIP_PIN below) in a small venv
cached under $BREAKING_RANKS_CACHE (default ~/.cache/breaking-ranks), made on first use
(about 10 s): Python 3.11's bundled pip 23.2 judges Requires-Python by the interpreter running
it, so asked about 3.15 it wrongly rejected numpy 2.5 ("Packages require a different Python.
3.11.7 not in '>=3.12'"), and a pinned pip keeps the check's answer from drifting with the
machine. --pip-python uses another interpreter's pip instead.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")
INDEX_URL = "https://pypi.org/simple"
PIP_PIN = "pip==26.3"
MAX_MISSING = 12  # stop looking for further pins with no wheel after this many


def _macos_tags(arch: str, oldest_10: int | None) -> list[str]:
    """Tags a macOS 14 machine accepts for ``arch``, newest first (as pip's own order)."""
    arches = {"arm64": ["arm64", "universal2"], "x86_64": ["x86_64", "universal2", "intel"]}[arch]
    tags = [f"macosx_{major}_0_{a}" for major in range(14, 10, -1) for a in arches]
    if oldest_10 is not None:  # Intel Macs also run wheels built for macOS 10.x
        tags += [f"macosx_10_{minor}_{a}" for minor in range(16, oldest_10 - 1, -1) for a in arches]
    return tags


def _manylinux_tags(glibc_minor: int) -> list[str]:
    tags = [f"manylinux_2_{minor}_x86_64" for minor in range(glibc_minor, 16, -1)]
    return tags + ["manylinux2014_x86_64", "manylinux_2_12_x86_64", "manylinux2010_x86_64",
                   "manylinux_2_5_x86_64", "manylinux1_x86_64"]


@dataclass(frozen=True)
class Target:
    """One operating system and CPU: the wheel tags it accepts and its PEP 508 marker values."""

    name: str
    tags: tuple[str, ...]
    markers: dict = field(hash=False)


TARGETS = {
    t.name: t
    for t in (
        Target("win_amd64", ("win_amd64",),
               {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                "platform_machine": "AMD64", "platform_release": "10", "platform_version": "10.0.22631"}),
        Target("macosx_arm64", tuple(_macos_tags("arm64", None)),
               {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                "platform_machine": "arm64", "platform_release": "23.6.0", "platform_version": ""}),
        Target("macosx_x86_64", tuple(_macos_tags("x86_64", 9)),
               {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                "platform_machine": "x86_64", "platform_release": "23.6.0", "platform_version": ""}),
        Target("manylinux_x86_64", tuple(_manylinux_tags(35)),
               {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                "platform_machine": "x86_64", "platform_release": "6.1.0", "platform_version": ""}),
    )
}


def marker_environment(python: str, target: Target) -> dict[str, str]:
    """PEP 508 marker values of CPython ``python`` ("3.15", or "3.11.2" for a patch) on ``target``.

    "3.11" means 3.11.0, as it does to pip's ``--python-version``: the strictest reading, so a
    pin that needs a later patch release (Requires-Python >=3.11.5) is reported.
    """
    parts = python.split(".")
    full = python if len(parts) == 3 else f"{parts[0]}.{parts[1]}.0"
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "platform_python_implementation": "CPython",
        "python_version": f"{parts[0]}.{parts[1]}",
        "python_full_version": full,
        **target.markers,
    }


# Runs inside the pip subprocess: argv[1] is the marker environment (JSON), the rest pip's args.
PIP_WITH_TARGET_MARKERS = """\
import json, sys
import pip._vendor.packaging.markers as markers
_target = json.loads(sys.argv[1])
_host = markers.default_environment
def _target_environment():
    env = _host()
    env.update(_target)
    return env
markers.default_environment = _target_environment
try:
    import pip._internal.models.installation_report as report
    report.default_environment = _target_environment
except ImportError:
    pass
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def student_requirements(text: str, base: Path | None = None) -> list[str]:
    """The requirement lines of requirements.txt without comments and the local ``-e .``.

    ``-r``/``-c`` lines keep working from a temporary copy: their relative paths are made
    absolute against ``base`` (the folder of the file read).
    """
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if re.fullmatch(r"(-e|--editable)\s+\.(\[.*\])?/?", line) or line in (".", "./"):
            continue  # the course's own package: built from the checkout, not from PyPI
        include = re.fullmatch(r"(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
        if include and base is not None and not Path(include.group(2)).is_absolute():
            line = f"{include.group(1)} {(base / include.group(2)).resolve()}"
        lines.append(line)
    return lines


def requirements_file(template: str, python: str) -> Path:
    """The requirements file for ``python``: ``template`` with {python} filled in, if it has one.

    One file for every Python is the README's way; a lock per Python
    (``--requirements 'locks/py{python}.txt'``) is checked the same way.
    """
    return Path(template.replace("{python}", python))


def pin_name(line: str) -> str:
    """Normalised project name of a requirement line ("Jinja2==3.1.6; ..." -> "jinja2")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else line


def pip_command(python: str, target: Target, requirements: Path, workdir: Path,
                index_url: str, pip_python: str) -> list[str]:
    cmd = [pip_python, "-c", PIP_WITH_TARGET_MARKERS, json.dumps(marker_environment(python, target)),
           "install", "--dry-run", "--ignore-installed", "--only-binary=:all:", "--no-compile",
           "--disable-pip-version-check", "--no-input", "--quiet", "--no-cache-dir",
           "--python-version", python, "--implementation", "cp",
           "--index-url", index_url,
           "--target", str(workdir / "target"), "--report", str(workdir / "report.json")]
    for tag in target.tags:
        cmd += ["--platform", tag]
    return cmd + ["-r", str(requirements)]


def missing_pin(stderr: str) -> tuple[str, str] | None:
    """(pin, why) from pip's "No matching distribution found for X", or None for other errors.

    ``why`` names the Requires-Python that rules the pinned version out, else the newest
    version that does have a usable wheel, else is empty.
    """
    found = re.search(r"No matching distribution found for (\S+)", stderr)
    if not found:
        return None
    pin = found.group(1)
    version = pin.split("==", 1)[1] if "==" in pin else None
    ignored = re.search(r"require a different python version: (.*)", stderr)
    if version and ignored:
        for entry in ignored.group(1).split(";"):
            got = re.fullmatch(r"\s*(\S+) Requires-Python (.+?)\s*", entry)
            if got and got.group(1) == version:
                return pin, f"it requires Python {got.group(2)}"
    versions = re.search(rf"requirement {re.escape(pin)}\s*\(from versions: ([^)]*)\)", stderr)
    if versions and versions.group(1).strip() not in ("", "none"):
        return pin, f"newest with one: {versions.group(1).split(',')[-1].strip()}"
    return pin, ""


def pip_environment() -> dict[str, str]:
    """The caller's environment minus pip configuration that would hide PyPI's real answer.

    Local wheel folders or extra indexes (find-links, extra-index-url in a CI machine's pip.conf)
    could supply a wheel PyPI lacks; a student has only PyPI. Certificates and the index URL
    passed on the command line are kept.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") or k in ("PIP_CERT", "PIP_CLIENT_CERT", "PIP_DEFAULT_TIMEOUT",
                                               "PIP_CACHE_DIR", "PIP_PROXY", "PIP_TRUSTED_HOST")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf at all: PyPI only
    return env


def tool_pip(cache: Path) -> str:
    """Python of a cached venv holding exactly PIP_PIN (made once, about 10 s)."""
    venv = cache / f"wheels-check-{PIP_PIN.replace('==', '-')}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv / ".complete"
    if marker.is_file() and python.exists():
        return str(python)
    print(f"== making a venv with {PIP_PIN} for the check in {venv}", flush=True)
    for cmd in ([sys.executable, "-m", "venv", "--clear", str(venv)],
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PIP_PIN]):
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"wheels_check: could not make the pip venv ({' '.join(cmd)}):\n"
                             + proc.stderr.strip()[-1500:])
    marker.write_text(PIP_PIN + "\n", encoding="utf-8")
    return str(python)


@dataclass
class Outcome:
    python: str
    platform: str
    result: str  # ok, no-wheel, unpinned (only with --require-pins) or error
    note: str
    seconds: float = 0.0


def check_pair(python: str, target: Target, lines: list[str], index_url: str,
               pip_python: str, require_pins: bool = False) -> Outcome:
    """Resolve ``lines`` for one pair; on a pin with no wheel, drop it and look for more.

    With ``require_pins``, a dependency pip adds that ``lines`` do not pin (a Windows-only
    pywinpty, say) makes the pair "unpinned" rather than "ok".
    """
    start = time.monotonic()
    lines = list(lines)
    missing: list[str] = []
    seen_pins: list[str] = []
    pinned = {pin_name(line) for line in lines}
    with tempfile.TemporaryDirectory(prefix=f"wheels-{python}-{target.name}-") as tmp:
        work = Path(tmp)
        while True:
            reqs = work / "requirements.txt"
            reqs.write_text("\n".join(lines) + "\n", encoding="utf-8")
            proc = subprocess.run(
                pip_command(python, target, reqs, work, index_url, pip_python),
                capture_output=True, text=True, env=pip_environment(), check=False)
            if proc.returncode == 0:
                break
            gap = missing_pin(proc.stderr)
            if gap is None:
                tail = " | ".join(l.strip() for l in proc.stderr.strip().splitlines()[-3:])
                note = "; ".join(missing + [f"pip failed: {tail or 'exit ' + str(proc.returncode)}"])
                return Outcome(python, target.name, "error" if not missing else "no-wheel",
                               note[:600], time.monotonic() - start)
            pin, why = gap
            if any(pin_name(pin) == pin_name(seen) for seen in seen_pins):
                break  # still wanted after we dropped it: another pin depends on it
            seen_pins.append(pin)
            if why.startswith("it requires Python"):
                missing.append(f"{pin} {why[3:]}")  # a wheel exists, but not for this Python
            else:
                missing.append(f"no wheel for {pin}" + (f" ({why})" if why else ""))
            kept = [line for line in lines if pin_name(line) != pin_name(pin)]
            if len(kept) == len(lines) or len(missing) >= MAX_MISSING:
                break  # pip's complaint is about a dependency we do not pin: nothing to drop
            lines = kept
        seconds = time.monotonic() - start
        if missing:
            return Outcome(python, target.name, "no-wheel", "; ".join(missing), seconds)
        report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    installs = report.get("install", [])
    extra = sorted(f"{item['metadata']['name']}=={item['metadata']['version']}"
                   for item in installs if pin_name(item["metadata"]["name"]) not in pinned)
    note = f"{len(installs)} wheels"
    if extra:
        note += "; unpinned dependencies: " + ", ".join(extra)
    return Outcome(python, target.name, "unpinned" if extra and require_pins else "ok", note, seconds)


def write_tsv(path: Path, outcomes: list[Outcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = ["python\tplatform\tresult\tnote"]
    rows += [f"{o.python}\t{o.platform}\t{o.result}\t{o.note.replace(chr(9), ' ')}" for o in outcomes]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Check that requirements.txt installs from wheels alone on every supported "
                    "Python and platform (asks PyPI; downloads metadata only).")
    parser.add_argument("--requirements", default=str(ROOT / "requirements.txt"),
                        help="requirements file (default: the repository's); {python} in the "
                             "name is replaced by each Python, for a lock per Python")
    parser.add_argument("--results", type=Path,
                        default=Path(os.environ.get("BREAKING_RANKS_WHEELS_RESULTS",
                                                    ROOT / ".ci" / "wheels-results.tsv")))
    parser.add_argument("--python", action="append", dest="pythons", metavar="X.Y[.Z]",
                        help=f"Python to check (repeatable; default {' '.join(PYTHONS)}; "
                             "X.Y means X.Y.0)")
    parser.add_argument("--platform", action="append", dest="platforms", choices=sorted(TARGETS),
                        help="platform to check (repeatable; default all)")
    parser.add_argument("--index-url", default=os.environ.get("PIP_INDEX_URL", INDEX_URL))
    parser.add_argument("--pip-python", default=None,
                        help=f"interpreter whose pip does the resolving (default: a cached venv with {PIP_PIN})")
    parser.add_argument("--jobs", type=int, default=4, help="pairs checked at once (default 4)")
    parser.add_argument("--require-pins", action="store_true",
                        help="fail a pair when pip adds a dependency that requirements.txt does not pin")
    parser.add_argument("--list-tags", action="store_true", help="print each platform's tags and exit")
    args = parser.parse_args(argv)
    args.pythons = args.pythons or list(PYTHONS)
    for python in args.pythons:
        if not re.fullmatch(r"3\.\d+(\.\d+)?", python):
            parser.error(f"--python wants a version like 3.14 or 3.11.2, got {python!r}")
    args.platforms = args.platforms or list(TARGETS)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list_tags:
        for name in args.platforms:
            print(f"{name}: {' '.join(TARGETS[name].tags)}")
        return 0
    per_python: dict[str, list[str]] = {}
    for python in args.pythons:
        path = requirements_file(args.requirements, python)
        try:
            lines = student_requirements(path.read_text(encoding="utf-8"), path.resolve().parent)
        except OSError as exc:
            print(f"wheels_check: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        if not lines:
            print(f"wheels_check: {path} has no requirement lines", file=sys.stderr)
            return 2
        per_python[python] = lines
    pip_python = args.pip_python or tool_pip(
        Path(os.environ.get("BREAKING_RANKS_CACHE", Path.home() / ".cache" / "breaking-ranks")))
    pairs = [(p, TARGETS[t]) for p in args.pythons for t in args.platforms]
    sizes = sorted({len(lines) for lines in per_python.values()})
    print(f"== wheels-only resolution of {args.requirements} ({'/'.join(map(str, sizes))} lines, "
          f"without -e .) for {len(pairs)} Python x platform pairs against {args.index_url}", flush=True)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(check_pair, p, t, per_python[p], args.index_url, pip_python,
                               args.require_pins) for p, t in pairs]
        outcomes = []
        for future in futures:
            outcome = future.result()
            outcomes.append(outcome)
            print(f"== Python {outcome.python} {outcome.platform}: {outcome.result} "
                  f"({outcome.seconds:.0f} s) {outcome.note}", flush=True)
    write_tsv(args.results, outcomes)
    bad = [o for o in outcomes if o.result != "ok"]
    width = max(len(name) for name in args.platforms)
    print(f"== wheels check: {len(outcomes) - len(bad)} of {len(outcomes)} pairs ok in "
          f"{time.monotonic() - start:.0f} s (results: {args.results})")
    for python in args.pythons:
        cells = [f"{o.platform:<{width}} {o.result}" for o in outcomes if o.python == python]
        print(f"   {python}  " + "   ".join(cells))
    if bad:
        print("wheels_check: the student install needs a compiler (or fails) on:", file=sys.stderr)
        for o in bad:
            print(f"  Python {o.python} on {o.platform}: {o.note}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
