"""Print a handout page to PDF with a headless chromium or chrome, if one is installed.

Kept apart from ``defection.handouts`` because it is the one step that needs a program
outside Python; without a browser the handouts are still written as HTML.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_TIMEOUT = 120  # seconds per page
#: Chromium as root in a container or lab machine, doing nothing on its own behalf: no
#: sandbox (root), no GPU, no background fetches, updates, sync or first-run pages. The
#: course's browser tests start chromium with these too (tests/browser_support.py).
QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_chromium() -> str | None:
    """A chromium or chrome executable, or None. ``DEFECTION_CHROMIUM`` overrides the search."""
    override = os.environ.get("DEFECTION_CHROMIUM")
    if override:
        return override if Path(override).exists() or shutil.which(override) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def print_pdf(html_path: Path, pdf_path: Path, chromium: str) -> str | None:
    """Print a page to PDF with headless chromium. Returns None on success, else why not."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="handout-chromium-") as profile:
        cmd = [
            chromium,
            "--headless",
            *QUIET_FLAGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return f"chromium did not finish within {PDF_TIMEOUT} s"
        except OSError as exc:
            return f"could not start chromium: {exc}"
    if proc.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = " | ".join(line for line in proc.stderr.strip().splitlines()[-2:])
        return f"chromium exited with {proc.returncode}" + (f" ({tail})" if tail else "")
    return None
