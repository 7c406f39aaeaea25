"""Commands read from README.md, and a Jupyter server started the way one of them starts it.

Shared by test_readme_and_ci.py (the commands CI runs) and test_readme_opens_course.py (the
commands that open the course): the README is what students copy, so the tests read the
commands from it rather than keep a second copy that could drift.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # tests/, for browser_support
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser_support import free_port  # noqa: E402

class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # report the redirect instead of following it
        return None


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)

#: A command that opens the course, as README shows it in inline code or a fenced block.
_OPEN = re.compile(r"\.venv/bin/jupyter (?:lab|notebook)\b[^`\n]*")


def readme_command(readme: str, name: str) -> str:
    """The first line of the fenced block after ``<!-- command: NAME -->``."""
    match = re.search(rf"<!-- command: {name} -->\s*```\w*\n(.+?)\n```", readme)
    if not match:
        raise AssertionError(f"README has no command block marked {name}")
    return match.group(1)


def open_commands(readme: str) -> list[str]:
    """Every distinct ``.venv/bin/jupyter lab|notebook ...`` command in the README, in order."""
    found: list[str] = []
    for match in _OPEN.finditer(readme):
        command = match.group(0).strip().rstrip(".,;")
        if command not in found:
            found.append(command)
    return found


def windows_form(command: str) -> str:
    """The Command Prompt twin of a POSIX open command: ``.venv\\Scripts\\`` and ``\\`` paths."""
    words = command.replace(".venv/bin/", ".venv\\Scripts\\", 1).split(" ")
    return " ".join(w if w.startswith("--") else w.replace("/", "\\") for w in words)


class JupyterFromReadme:
    """``jupyter lab|notebook`` started from ``root`` with a README command's own arguments.

    Changed, because a test must: ``.venv/bin/jupyter`` becomes this interpreter's
    ``-m jupyter`` (the same environment when the README's test command runs it); any
    ``--port`` is replaced by a free one on 127.0.0.1 with a random token; config, runtime,
    data-free settings and workspaces folders are private; ``--allow-root`` as root; and the
    browser is a stand-in that writes down the address Jupyter asks it to open.
    """

    def __init__(self, command: str, root: Path, tmp: Path, *, startup_timeout: float = 90.0) -> None:
        self.command = command
        self.root = root
        self.tmp = Path(tmp)
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.opened_file = self.tmp / "browser-opened.txt"
        self.log_path = self.tmp / "server.log"

    def argv(self) -> list[str]:
        words = shlex.split(self.command)
        if not words or words[0] != ".venv/bin/jupyter":
            raise ValueError(f"{self.command!r} does not start with .venv/bin/jupyter")
        kept: list[str] = []
        skip = False
        for word in words[1:]:
            if skip:
                skip = False
                continue
            if word == "--port":
                skip = True  # its value follows
                continue
            if word.startswith("--port="):
                continue
            kept.append(word)
        self.port = self.port or free_port()
        recorder = self.tmp / "record_browser.py"
        recorder.write_text(
            "import sys, pathlib\n"
            f"pathlib.Path({str(self.opened_file)!r}).write_text(sys.argv[1], encoding='utf-8')\n",
            encoding="utf-8",
        )
        argv = [sys.executable, "-m", "jupyter", *kept,
                "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.browser={shlex.quote(sys.executable)} {shlex.quote(str(recorder))} %s"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            argv.append("--allow-root")
        return argv

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
            (self.tmp / sub).mkdir(parents=True, exist_ok=True)
            env[name] = str(self.tmp / sub)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def __enter__(self) -> JupyterFromReadme:
        argv = self.argv()
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=self.root, env=self._environment(), stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.command}: Jupyter exited with {self.proc.returncode}:\n"
                                     f"{self.log_tail()}")
            try:
                self.get_json("/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        self.__exit__(None, None, None)
        raise AssertionError(f"{self.command}: no answer within {self.startup_timeout:.0f} s:\n"
                             f"{self.log_tail()}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()

    # -- HTTP ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _request(self, path: str, timeout: float):
        sep = "&" if "?" in path else "?"
        return urllib.request.urlopen(f"{self.base_url}{path}{sep}token={self.token}", timeout=timeout)

    def get_json(self, path: str, timeout: float = 10):
        with self._request(path, timeout) as resp:
            return json.loads(resp.read())

    def status(self, path: str) -> int:
        try:
            with self._request(path, 10) as resp:
                return resp.status
        except urllib.error.HTTPError as err:
            return err.code

    def follow(self, url: SplitResult, hops: int = 5) -> tuple[str, int, str]:
        """GET the page a browser lands on from ``url``: (final path, status, body).

        Redirects are followed by hand, adding the token on each hop as a browser's cookie
        would (Notebook 7 sends ``/tree/<file>`` on to ``/notebooks/<file>``).
        """
        path = url.path + (f"?{url.query}" if url.query else "")
        for _ in range(hops):
            sep = "&" if "?" in path else "?"
            request = urllib.request.Request(f"{self.base_url}{path}{sep}token={self.token}")
            try:
                with _NO_REDIRECTS.open(request, timeout=30) as resp:
                    return urlsplit(path).path, resp.status, resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as err:
                if err.code not in (301, 302, 303, 307, 308):
                    return urlsplit(path).path, err.code, ""
                target = urlsplit(err.headers["Location"])
                path = target.path + (f"?{target.query}" if target.query else "")
        raise AssertionError(f"more than {hops} redirects from {url.geturl()}")

    def opened_url(self, timeout: float = 30) -> SplitResult:
        """The address Jupyter sent the browser, followed through its redirect file."""
        deadline = time.monotonic() + timeout
        while not self.opened_file.exists() or not self.opened_file.read_text(encoding="utf-8"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.command}: Jupyter never asked a browser to open a page:\n"
                                     f"{self.log_tail()}")
            time.sleep(0.2)
        url = self.opened_file.read_text(encoding="utf-8").strip()
        if url.startswith("file:"):  # jpserver-PID-open.html: a page that redirects at once
            page = Path(urllib.request.url2pathname(urlsplit(url).path)).read_text(encoding="utf-8")
            match = re.search(r'url=([^"]+)"', page)
            assert match, f"no redirect in {url}:\n{page}"
            url = html.unescape(match.group(1))
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) in (("127.0.0.1", self.port), ("localhost", self.port)), url
        return parts

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
