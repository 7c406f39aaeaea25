"""A throwaway JupyterHub on 127.0.0.1 and a git server for this course, for tests/hub/.

Why: universities run courses on JupyterHub and hand material out with nbgitpuller
links. This starts the real thing from PyPI (JupyterHub, with configurable-http-proxy
from npm), with the dummy authenticator and the simple local spawner (every user's home
is a folder under a temporary directory), and serves a bare clone of this repository
with ``git daemon``. :data:`HUB_CONFIG` is the
configuration INSTRUCTORS.md quotes; :func:`pull_link` builds the nbgitpuller link.

Everything is stopped by :meth:`Hub.stop` (the hub, its proxy and every user's server
and kernels, found as the hub's descendants) and :meth:`GitServer.stop`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
# Chromium's path and flags and a free port: shared with tests/browser/ and tests/site/.
from browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, launch_chromium  # noqa: E402,F401

COURSE_DIR = "breaking-ranks"  # the folder nbgitpuller clones into, in each user's home

#: jupyterhub_config.py for the test, the same settings INSTRUCTORS.md shows.
HUB_CONFIG = """\
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
c.JupyterHub.db_url = "sqlite:///{db}"
c.JupyterHub.cookie_secret_file = {cookie!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
# Anyone may log in with the shared password: a test, never a real course.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
# Each user's server runs as the hub's own account, in its own home folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {environment!r}
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_tools() -> list[str]:
    """What the hub test needs and this machine lacks, each with how to get it."""
    missing = []
    try:
        import jupyterhub  # noqa: F401
        import nbgitpuller  # noqa: F401
    except ImportError:
        missing.append("jupyterhub and nbgitpuller (pip install -r tests/requirements.txt)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -r requirements.txt)")
    if shutil.which("configurable-http-proxy") is None:
        missing.append("configurable-http-proxy (npm install -g configurable-http-proxy@5.3.0)")
    if shutil.which("git") is None:
        missing.append("git (apt-get install git)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Debian chromium at {CHROMIUM} (apt-get install chromium)")
    if not (Path(sys.executable).parent / "jupyterhub-singleuser").exists():
        missing.append("jupyterhub-singleuser next to this Python (pip install jupyterhub)")
    return missing


def pull_link(hub_url: str, repo_url: str, branch: str, notebook: str) -> str:
    """The nbgitpuller link a course page would give students."""
    query = urlencode({"repo": repo_url, "branch": branch, "targetpath": COURSE_DIR,
                       "urlpath": f"lab/tree/{COURSE_DIR}/{notebook}"})  # fmt: skip
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


def _wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error page
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


class GitServer:
    """This repository's committed HEAD as ``git://127.0.0.1:<port>/breaking-ranks.git``,
    branch ``main``, served by ``git daemon`` (nbgitpuller makes shallow clones, which
    git's "dumb" HTTP cannot serve; a course would use GitHub or GitLab over HTTPS)."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="hub-git-"))
        self.port = free_port()
        self.url = f"git://127.0.0.1:{self.port}/{COURSE_DIR}.git"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> GitServer:
        bare = self.tmp / f"{COURSE_DIR}.git"
        git = ["git", "-c", "init.defaultBranch=main"]
        subprocess.run([*git, "init", "--quiet", "--bare", str(bare)], check=True)
        subprocess.run(["git", "-C", str(REPO_ROOT), "push", "--quiet", str(bare),
                        "HEAD:refs/heads/main"], check=True)  # fmt: skip
        self.proc = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={self.tmp}",
             "--listen=127.0.0.1", f"--port={self.port}", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            probe = subprocess.run(["git", "ls-remote", self.url], capture_output=True)
            if probe.returncode == 0:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"git daemon did not serve {self.url}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Hub:
    """JupyterHub with its proxy; users log in with any name and :attr:`password`."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="hub-"))
        self.homes = self.tmp / "homes"
        self.homes.mkdir()
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_hex(8)
        self.log_path = self.tmp / "hub.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def config_text(self) -> str:
        settings = self.tmp / "user-settings"
        for rel, text in {
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                '{"fetchNews": "false", "checkForUpdates": false}',
            "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
            "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
        }.items():  # fmt: skip
            (settings / rel).parent.mkdir(parents=True, exist_ok=True)
            (settings / rel).write_text(text, encoding="utf-8")
        args = ["--LabApp.expose_app_in_browser=True",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        return HUB_CONFIG.format(
            port=self.port, hub_port=self.hub_port, proxy_api_port=self.proxy_api_port,
            proxy_pid=str(self.tmp / "proxy.pid"), db=self.tmp / "hub.sqlite",
            cookie=str(self.tmp / "cookie_secret"), password=self.password,
            homes=str(self.homes), singleuser=str(Path(sys.executable).parent / "jupyterhub-singleuser"),
            args=args, environment={"JUPYTERLAB_SETTINGS_DIR": str(settings),
                                    "JUPYTERLAB_WORKSPACES_DIR": str(self.tmp / "workspaces")},
        )  # fmt: skip

    def start(self, timeout: float = 90) -> Hub:
        config = self.tmp / "jupyterhub_config.py"
        config.write_text(self.config_text(), encoding="utf-8")
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        for key in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN", "JUPYTER_CONFIG_DIR"):
            env.pop(key, None)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.tmp, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            _wait_http(f"{self.url}/hub/api", timeout, self.proc)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"JupyterHub did not start: {exc}\n{self.log_tail()}") from None
        return self

    def _descendants(self) -> list:
        import psutil

        if self.proc is None:
            return []
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> list[int]:
        """Stop the hub (which stops users' servers and the proxy), then kill whatever
        of its descendants is left; returns the pids that had to be killed."""
        import psutil

        killed: list[int] = []
        if self.proc is not None and self.proc.poll() is None:
            children = self._descendants()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            gone, alive = psutil.wait_procs(children, timeout=15)
            for p in alive:
                try:
                    p.kill()
                    killed.append(p.pid)
                except psutil.NoSuchProcess:
                    pass
        if self._log is not None:
            self._log.close()
            self._log = None
        return killed

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"


# -- JavaScript run in each user's JupyterLab (needs --LabApp.expose_app_in_browser) -------

JS_PANEL = """(path) => {
  const a = window.jupyterapp, w = a && a.shell && a.shell.currentWidget;
  return !!(w && w.sessionContext && w.context && w.context.path === path);
}"""
JS_READY = """() => {
  const app = window.jupyterapp, w = app.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && k.connectionStatus === 'connected'
            && app.commands.isEnabled('notebook:run-all-cells'));
}"""
JS_RUN_ALL = """() => {
  window.__hubRunDone = false;
  window.jupyterapp.commands.execute('notebook:run-all-cells')
    .finally(() => { window.__hubRunDone = true; });
}"""
JS_RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const busy = Array.from(w.content.node.querySelectorAll('.jp-InputPrompt'))
                    .some(p => p.textContent.includes('*'));
  return window.__hubRunDone === true && !!k && k.status === 'idle' && !busy;
}"""
#: Per code cell: its execution count and any error output (name, value).
JS_CELLS = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.filter(c => c.model.type === 'code').map((c, i) => ({
    index: i, exec: c.model.executionCount,
    errors: c.model.outputs.toJSON().filter(o => o.output_type === 'error')
             .map(o => `${o.ename}: ${o.evalue}`),
    source: c.model.sharedModel.getSource().slice(0, 80),
  }));
}"""
JS_SHUTDOWN = """async () => { await window.jupyterapp.commands.execute('kernelmenu:shutdown'); }"""
