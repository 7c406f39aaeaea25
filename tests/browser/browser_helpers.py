"""Helpers for the real-browser test: a throwaway JupyterLab server and chromium checks.

Kept apart from the test file so that the decisions (skip or fail without chromium,
which lessons to run) can be unit-tested without a browser, and so the server can be
started by hand while developing::

    .venv/bin/python tests/browser/browser_helpers.py /tmp/some_root   # prints the URL

Nothing here touches the user's Jupyter set-up: the server gets its own runtime,
config, user-settings and workspaces directories under a temporary folder.
"""

from __future__ import annotations

import json
import re
import os
import secrets
import shutil
import signal
import subprocess
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Chromium's path and flags, the CI rule for missing tools and a free port are shared with
# tests/hub/ and tests/site/ (tests/browser_support.py); re-exported here under the names
# this module's callers and tests have always used.
if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
from browser_support import (  # noqa: E402,F401
    CHROMIUM,
    CHROMIUM_ARGS,
    SKIP_BROWSER_ENV,
    chromium_problem,
    free_port,
    in_ci,
)
# The JavaScript run in the page lives in browser_js.py; re-exported so callers keep
# writing bh.JS_REPORT and the like.
from browser_js import *  # noqa: E402,F401,F403

#: Environment variables the test reads.
ROOT_ENV = "BROWSER_ROOT"  # serve and test the lessons of another folder (development)
SCREENSHOTS_ENV = "BROWSER_SCREENSHOTS"  # where screenshots go
DEFAULT_SCREENSHOTS = REPO_ROOT / "tests" / "browser" / "screenshots"

#: User settings written into the server's private settings folder (plugin -> values).
#: The news/update pop-up would cover the page; windowing mode "none" renders every
#: cell, so nothing below the fold is left as an empty placeholder; the extension
#: manager would try to reach PyPI; autosave off, so outputs of the test run are never
#: written back into the committed (output-free) notebooks.
LAB_SETTINGS: dict[str, dict] = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "scrollPastEnd": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}


#: jupyter_server_config.py for the test server. The lessons are committed without
#: outputs, so the browser run must never write them back: every save is refused with an
#: HTTP error (JupyterLab shows "save failed") and recorded, and the test fails if its
#: notebook was saved. JupyterLab also copies each opened file to a checkpoint; those go
#: to a temporary folder instead of lessons/.ipynb_checkpoints/.
SERVER_CONFIG = """\
from tornado.web import HTTPError

def _refuse_save(model=None, path=None, contents_manager=None, **kwargs):
    with open({saves_log!r}, "a", encoding="utf-8") as log:
        log.write(str(path) + "\\n")
    raise HTTPError(403, "the browser test never saves notebooks")

c.FileContentsManager.pre_save_hook = _refuse_save
c.FileCheckpoints.checkpoint_dir = {checkpoints!r}
"""


def screenshots_dir(env: Mapping[str, str] | None = None) -> Path:
    """Folder for screenshots: $BROWSER_SCREENSHOTS or tests/browser/screenshots/."""
    env = os.environ if env is None else env
    value = env.get(SCREENSHOTS_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else DEFAULT_SCREENSHOTS


#: Test ids, screenshots and timing files of the Notebook 7 runs start with this.
NOTEBOOK7_PREFIX = "nb7-"

#: Per-notebook redraw timings, written by the browser test beside the screenshots.
REDRAW_SUFFIX = ".redraw.json"


def read_redraw_timings(folder: Path, stems: list[str]) -> list[dict]:
    """The timing rows the browser test wrote for these notebooks, one row per panel."""
    rows: list[dict] = []
    for stem in stems:
        path = folder / f"{stem}{REDRAW_SUFFIX}"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        rows += [{"notebook": stem, **panel} for panel in data.get("panels", [])]
    return rows


def format_redraw_timings(rows: list[dict]) -> list[str]:
    """Readable lines, slowest first, then the median over all panels."""
    lines = [
        f"{row['median_ms']:7.1f} ms  (drawing {row.get('draw_median_ms', float('nan')):5.1f})  "
        f"{row['notebook']} cell {row['cell']}: {row['panel'] or '(untitled)'}"
        for row in sorted(rows, key=lambda r: -r["median_ms"])
    ]
    if rows:
        overall = statistics.median(r["median_ms"] for r in rows)
        lines.append(f"{overall:7.1f} ms  median over {len(rows)} panels (drawing = the browser's "
                     "share: Vega updating the SVG; the rest is the kernel and the round trip)")
    return lines


def lessons_root(env: Mapping[str, str] | None = None) -> Path:
    """Folder served by JupyterLab: $BROWSER_ROOT (for development) or the repository."""
    env = os.environ if env is None else env
    value = env.get(ROOT_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else REPO_ROOT


def discover_lessons(root: Path) -> list[str]:
    """Notebook paths relative to ``root`` (``lessons/NN_x.ipynb``), sorted."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "lessons").glob("*.ipynb"))


#: The front ends the test drives, with the options each needs: the test reads the notebook
#: through ``window.jupyterapp`` (its command registry and models), which each exposes only
#: when asked; JupyterLab must also never look for updates (no network in the test).
APPS: dict[str, tuple[str, ...]] = {
    "lab": ("--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"),
    "notebook": ("--JupyterNotebookApp.expose_app_in_browser=True",),
}


class LabServer:
    """A JupyterLab (or Notebook 7) server on 127.0.0.1: random port and token, own settings.

    Use as a context manager; ``stop()`` always terminates the server (then kills it),
    after shutting down every kernel through the REST API.
    """

    def __init__(self, root_dir: Path, *, app: str = "lab", startup_timeout: float = 60.0) -> None:
        if app not in APPS:
            raise ValueError(f"app must be one of {sorted(APPS)}, not {app!r}")
        self.app = app
        self.root_dir = Path(root_dir).resolve()
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="browser-lab-"))
        self.log_path = self.tmp / "server.log"
        self.saves_log = self.tmp / "save_attempts.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    # -- life cycle ---------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_RUNTIME_DIR": self.tmp / "runtime",
            "JUPYTER_CONFIG_DIR": self.tmp / "config",
            "JUPYTERLAB_SETTINGS_DIR": self.tmp / "user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": self.tmp / "workspaces",
            "IPYTHONDIR": self.tmp / "ipython",
        }
        for name, path in dirs.items():
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        # User settings: one JSON file per plugin, at <dir>/<package>/<plugin>.jupyterlab-settings
        for plugin_id, values in LAB_SETTINGS.items():
            package, plugin = plugin_id.split(":")
            target = dirs["JUPYTERLAB_SETTINGS_DIR"] / package / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values, indent=2), encoding="utf-8")
        # Server config: refuse (and record) every save, keep checkpoints out of the repo.
        (dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.py").write_text(
            SERVER_CONFIG.format(
                saves_log=str(self.saves_log), checkpoints=str(self.tmp / "checkpoints")
            ),
            encoding="utf-8",
        )
        env.pop("JUPYTER_TOKEN", None)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            self.app,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.open_browser=False",
            *APPS[self.app],
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def start(self) -> LabServer:
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.root_dir,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: kernels included in a kill
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode} during start-up.\n"
                    f"Server log (tail):\n{self.log_tail()}"
                )
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"JupyterLab did not answer {self.base_url}/api/status within "
            f"{self.startup_timeout:.0f} s.\nServer log (tail):\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.shutdown_kernels()
            except Exception:  # noqa: BLE001 - best effort; the kill below is what counts
                pass
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self.cleanup()

    # -- REST -----------------------------------------------------------------------
    def api(self, method: str, path: str, *, timeout: float = 10):
        sep = "&" if "?" in path else "?"
        req = urllib.request.Request(
            f"{self.base_url}{path}{sep}token={self.token}", method=method
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Delete every session (which shuts its kernel down), then any stray kernel."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.HTTPError:
                pass

    def lab_url(self, notebook: str) -> str:
        """URL that opens ``notebook`` alone: in JupyterLab ``/lab/tree/`` (``reset`` drops
        any restored workspace), in Notebook 7 its one-notebook page ``/notebooks/``."""
        if self.app == "notebook":
            return f"{self.base_url}/notebooks/{notebook}?token={self.token}"
        return f"{self.base_url}/lab/tree/{notebook}?token={self.token}&reset"

    def save_attempts(self) -> list[str]:
        """Paths JupyterLab tried to save (all refused), oldest first."""
        try:
            return self.saves_log.read_text(encoding="utf-8").split()
        except OSError:
            return []

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


# -- Deciding what the page shows is a failure (pure functions, unit-tested) ----------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: "ValueError: ..." / "KeyError: ..." at the start of a line: how a traceback ends.
_ERROR_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Interrupt)\b:?", re.M)
#: Text that means a renderer failed in the page, whatever the output type.
BROKEN_RENDER_TEXT = (
    "Error displaying widget",
    "Error loading script",
    "Javascript Error",
    "<VegaLite",
    "<Chart object>",
    "Model not found",
    "This chart could not be drawn",
)


def looks_like_traceback(text: str) -> bool:
    """True for stderr text that is an exception report rather than a warning.

    Python warnings also go to stderr (``/path.py:3: UserWarning: ...``), so stderr alone
    is not an error: a traceback has "Traceback (most recent call last)" or a line that
    starts with an exception name followed by a colon.
    """
    clean = _ANSI.sub("", text)
    if "Traceback (most recent call last)" in clean:
        return True
    return any(
        not m.group(0).rstrip(":").endswith("Warning") for m in _ERROR_LINE.finditer(clean)
    )


def assess(report: dict) -> tuple[list[str], list[str]]:
    """Turn a ``JS_REPORT`` result into (failures, warnings), each a readable line.

    Failures: an error output (``output_type == "error"``: the way the kernel reports an
    exception, rendered as stderr text in the page), a traceback printed to stderr, a
    code cell left unexecuted (Run All stops at the first error), a widget that did not
    render, a chart without a drawn SVG, or a renderer's error text. Warnings (stderr
    text that is not a traceback, e.g. a ``FutureWarning``) are returned separately: they
    are worth fixing, but they are not broken lessons.
    """
    failures: list[str] = []
    warnings: list[str] = []
    for cell in report["cells"]:
        where = f"cell {cell['index']} ({cell['source']!r})"
        if cell["exec"] is None:
            failures.append(f"{where}: not executed (Run All stopped before it)")
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                failures.append(f"{where}: {out['ename']}: {out['evalue']}")
                continue
            if out["output_type"] == "stream" and out["name"] == "stderr":
                text = out["text"] or ""
                if looks_like_traceback(text):
                    failures.append(f"{where}: traceback on stderr: {text.strip()[-300:]}")
                elif text.strip():
                    warnings.append(f"{where}: stderr: {text.strip()[:300]}")
                continue
            if not out["rendered"]:
                failures.append(f"{where}: an output ({out['output_type']}) is not in the page")
                continue
            for bad in BROKEN_RENDER_TEXT:
                if bad in out["dom_text"]:
                    failures.append(f"{where}: the page shows {bad!r}")
            if out["is_widget"]:
                if "Loading widget" in out["dom_text"]:
                    failures.append(f"{where}: widget still shows 'Loading widget...'")
                elif out["widget_views"] == 0:
                    failures.append(f"{where}: widget output has no rendered widget view")
            if out["is_chart"] and out["charts"] == 0:
                failures.append(f"{where}: chart output has no .vega-embed")
            if out.get("charts_untitled"):
                failures.append(f"{where}: {out['charts_untitled']} chart(s) have no title")
            if out["charts_drawn"] < out["charts"]:
                failures.append(
                    f"{where}: {out['charts'] - out['charts_drawn']} of {out['charts']} "
                    "chart(s) have no drawn SVG (.vega-embed svg with marks or title)"
                )
    if report["loading_widgets"]:
        failures.append(f"{report['loading_widgets']} widget(s) still show 'Loading widget...'")
    return failures, warnings


def render_settled(report: dict) -> bool:
    """Widgets and charts have finished drawing (used to poll before asserting)."""
    if report["loading_widgets"]:
        return False
    for cell in report["cells"]:
        for out in cell["outputs"]:
            if out["is_widget"] and out["widget_views"] == 0:
                return False
            if out["is_chart"] and out["charts_drawn"] == 0:
                return False
            if out["charts_drawn"] < out["charts"]:
                return False
    return True


if __name__ == "__main__":  # pragma: no cover - manual development aid
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT
    with LabServer(root) as server:
        print(server.lab_url(discover_lessons(root)[0] if discover_lessons(root) else ""))
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
