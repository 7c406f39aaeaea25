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


class LabServer:
    """A JupyterLab server on 127.0.0.1 with a random port and token, isolated settings.

    Use as a context manager; ``stop()`` always terminates the server (then kills it),
    after shutting down every kernel through the REST API.
    """

    def __init__(self, root_dir: Path, *, startup_timeout: float = 60.0) -> None:
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
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.open_browser=False",
            # The test drives Lab through window.jupyterapp (its command registry).
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
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
        """URL that opens ``notebook`` alone (``reset`` drops any restored workspace)."""
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


if __name__ == "__main__":  # pragma: no cover - manual development aid
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT
    with LabServer(root) as server:
        print(server.lab_url(discover_lessons(root)[0] if discover_lessons(root) else ""))
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


# -- JavaScript run in the page (needs --LabApp.expose_app_in_browser=True) ---------------

#: True once the notebook at ``path`` is the current widget of the Lab shell.
JS_PANEL = """(path) => {
  const a = window.jupyterapp, w = a && a.shell && a.shell.currentWidget;
  return !!(w && w.sessionContext && w.content && w.context && w.context.path === path);
}"""

#: Text of an open dialog (kernel chooser, error...), or "".
JS_DIALOG = "() => { const d = document.querySelector('.jp-Dialog'); return d ? d.innerText : ''; }"

#: Kernel connected and idle, and "Run All Cells" enabled (Run All silently does nothing
#: before the kernel is connected).
JS_READY = """() => {
  const app = window.jupyterapp, w = app.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && k.connectionStatus === 'connected'
            && app.commands.isEnabled('notebook:run-all-cells'));
}"""

#: Start Run All; the command's promise resolves when every cell has run (or one failed).
JS_RUN_ALL = """() => {
  window.__btRunDone = false;
  window.jupyterapp.commands.execute('notebook:run-all-cells')
    .then(r => { window.__btRunResult = String(r); })
    .catch(e => { window.__btRunResult = 'error: ' + e; })
    .finally(() => { window.__btRunDone = true; });
}"""

#: Finished: the command resolved, the kernel is idle, and no prompt shows [*].
JS_RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const busy = Array.from(w.content.node.querySelectorAll('.jp-InputPrompt'))
                    .some(p => p.textContent.includes('*'));
  return window.__btRunDone === true && !!k && k.status === 'idle' && !busy;
}"""

#: Collapse the side panels so screenshots show the notebook.
JS_TIDY = "() => { const s = window.jupyterapp.shell; s.collapseLeft(); s.collapseRight(); }"

#: A report on every code cell and its outputs, read from the notebook model (what the
#: kernel sent) and from the DOM (what the page shows). Python decides what is a failure.
JS_REPORT = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const WIDGET = 'application/vnd.jupyter.widget-view+json';
  const VEGA = /^application\/vnd\.vega(lite)?\.v\d+\+json$/;
  const cells = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const src = cell.model.sharedModel.getSource();
    const outs = cell.model.outputs.toJSON();
    const children = cell.outputArea ? cell.outputArea.widgets : [];
    const outputs = outs.map((o, i) => {
      const node = children[i] ? children[i].node : null;
      const keys = Object.keys(o.data || {});
      const embeds = node ? Array.from(node.querySelectorAll('.vega-embed')) : [];
      return {
        output_type: o.output_type,
        name: o.name || null,
        ename: o.ename || null,
        evalue: o.evalue || null,
        text: o.output_type === 'stream' ? String(Array.isArray(o.text) ? o.text.join('') : o.text).slice(0, 2000) : null,
        is_widget: keys.includes(WIDGET),
        // A course chart is a widget output (defection.charts.live) holding one chart view.
        is_chart: keys.some(k => VEGA.test(k)) ||
                  (!!node && !!node.querySelector('.course-chart') && !node.querySelector('.widget-box')),
        rendered: !!node,
        dom_text: node ? node.innerText.slice(0, 4000) : '',
        widget_views: node ? node.querySelectorAll('.jupyter-widgets, .course-chart').length : 0,
        // Every course chart carries its title (drawn as HTML above the SVG).
        charts_untitled: node ? Array.from(node.querySelectorAll('.course-chart'))
          .filter(c => c.querySelector('.vega-embed') &&
                       !(c.querySelector('.course-chart-title-text') || {}).textContent).length : 0,
        charts: embeds.length,
        charts_drawn: embeds.filter(e => {
          const svg = e.querySelector('svg');
          return !!svg && !!svg.querySelector('.role-title-text, .role-mark, .mark-line, .mark-rect, .mark-symbol, .mark-area, .mark-text, .mark-rule');
        }).length,
        sliders: node ? node.querySelectorAll('.widget-slider .noUi-handle').length : 0,
      };
    });
    cells.push({index, exec: cell.model.executionCount,
                source: src.split('\n').slice(0, 2).join(' / ').slice(0, 120), outputs});
  });
  const all = Array.from(w.content.node.querySelectorAll('.vega-embed'));
  return {
    cells,
    page_charts: all.length,
    page_charts_drawn: all.filter(e => { const s = e.querySelector('svg'); return !!s && !!s.querySelector('.role-title-text, .role-mark'); }).length,
    loading_widgets: (w.content.node.innerText.match(/Loading widget/g) || []).length,
  };
}"""

#: Mark the first slider handle and the chart(s) of each panel that has both; returns
#: one entry per panel. A panel is a top-level widget output of a cell (a Panel's VBox).
JS_MARK_PANELS = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const WIDGET = 'application/vnd.jupyter.widget-view+json';
  const panels = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code' || !cell.outputArea) return;
    const outs = cell.model.outputs.toJSON();
    cell.outputArea.widgets.forEach((child, i) => {
      const o = outs[i];
      if (!o || !Object.keys(o.data || {}).includes(WIDGET)) return;
      if (!child.node.querySelector('.widget-box')) return;  // a lone chart, not a panel
      const k = panels.length;
      const handle = child.node.querySelector('.widget-slider .noUi-handle');
      const embeds = Array.from(child.node.querySelectorAll('.vega-embed'));
      const title = child.node.querySelector('.widget-html b');
      const entry = {k, cell: index, title: title ? title.innerText : '',
                     has_slider: !!handle, charts: embeds.length};
      child.node.setAttribute('data-bt-panel', String(k));
      if (handle) {
        handle.setAttribute('data-bt-slider', String(k));
        entry.value = handle.getAttribute('aria-valuenow');
        entry.max = handle.getAttribute('aria-valuemax');
        const label = handle.closest('.widget-slider').querySelector('.widget-label');
        entry.label = label ? label.innerText : '';
      }
      embeds.forEach(e => e.setAttribute('data-bt-stale', String(k)));
      entry.svg = embeds.map(e => (e.querySelector('svg') || {}).innerHTML || '').join('|').length;
      panels.push(entry);
    });
  });
  return panels;
}"""

#: Arm the redraw timer for panel k: the clock starts at the key press on its slider (a
#: capture-phase keydown listener) and stops when any of its charts reports a new draw
#: (the view bumps its data-draws attribute once the new SVG is in the page).
JS_ARM_REDRAW = r"""(k) => {
  const p = document.querySelector(`[data-bt-panel="${k}"]`);
  const handle = document.querySelector(`[data-bt-slider="${k}"]`);
  const total = () => Array.from(p.querySelectorAll('.course-chart'))
                          .reduce((n, e) => n + Number(e.dataset.draws || 0), 0);
  const r = {k, before: total(), t0: null, t1: null, mode: null};
  window.__btRedraw = r;
  handle.addEventListener('keydown', () => { r.t0 = performance.now(); }, {once: true, capture: true});
  const obs = new MutationObserver(() => {
    if (r.t1 === null && total() > r.before) {
      r.t1 = performance.now();
      const charts = Array.from(p.querySelectorAll('.course-chart'));
      r.mode = charts.map(e => e.dataset.drawMode).join(',');
      r.draw_ms = Math.max(...charts.map(e => Number(e.dataset.drawMs || 0)));
      obs.disconnect();
    }
  });
  obs.observe(p, {attributes: true, subtree: true, attributeFilter: ['data-draws']});
}"""

#: Has the armed panel redrawn, with a drawn SVG? Then the redraw time in ms, else null.
JS_REDRAW_MS = r"""() => {
  const r = window.__btRedraw;
  if (!r || r.t1 === null || r.t0 === null) return null;
  const p = document.querySelector(`[data-bt-panel="${r.k}"]`);
  const ok = Array.from(p.querySelectorAll('.vega-embed')).every(e => {
    const s = e.querySelector('svg'); return !!s && !!s.querySelector('.role-title-text, .role-mark'); });
  return ok ? {ms: r.t1 - r.t0, mode: r.mode, draw_ms: r.draw_ms} : null;
}"""


#: Hover the marks of the first drawn chart until Vega's tooltip shows; returns its text
#: (or null). Marks are tried in order: points and bars answer anywhere, a line only on it.
JS_SHOW_FIRST_CHART = r"""() => {
  const svg = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .course-chart .vega-embed svg');
  if (svg) svg.scrollIntoView({block: 'center'});
  return !!svg;
}"""

#: Centres of the first chart's marks, to hover. Call after JS_SHOW_FIRST_CHART and a
#: frame or two: JupyterLab skips laying out cells off screen (content-visibility), so
#: their marks have no size until they are scrolled into view and drawn.
JS_MARK_TARGETS = r"""() => {
  const svg = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .course-chart .vega-embed svg');
  if (!svg) return [];
  // Points, bars and areas first (a tooltip answers anywhere on them), rules last.
  const order = ['.mark-symbol > path', '.mark-rect > path', '.mark-area > path', '.mark-arc > path',
                 '.mark-line > path', '.mark-text > text', '.mark-rule > line'];
  const items = order.flatMap(sel => Array.from(svg.querySelectorAll(sel)))
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0).slice(0, 60);
  return items.map(r => ({x: r.x + r.width / 2, y: r.y + r.height / 2}));
}"""

JS_TOOLTIP_TEXT = r"""() => {
  const t = document.querySelector('#vg-tooltip-element');
  return t && t.classList.contains('visible') && t.innerText.trim() ? t.innerText.trim() : null;
}"""


#: Height of the notebook's content, for a screenshot of the whole notebook.
JS_CONTENT_HEIGHT = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = 0;
  const top = w.content.node.getBoundingClientRect().top;
  const bottom = document.querySelector('#jp-bottom-panel, .jp-LabShell-statusBar, #jp-main-statusbar');
  return Math.ceil(scroller.scrollHeight + top + (bottom ? bottom.getBoundingClientRect().height : 30) + 40);
}"""


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

#: Scroll the notebook to its first cell.
JS_SCROLL_TOP = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = 0;
}"""

#: Code cells still running or queued ("[*]"), as "cell N: first line".
JS_BUSY_CELLS = r"""() => {
  const w = window.jupyterapp.shell.currentWidget, out = [];
  w.content.widgets.forEach((cell, index) => {
    const p = cell.node.querySelector('.jp-InputPrompt');
    if (cell.model.type === 'code' && p && p.textContent.includes('*'))
      out.push(`cell ${index}: ${cell.model.sharedModel.getSource().split('\n')[0].slice(0, 80)}`);
  });
  return out;
}"""
