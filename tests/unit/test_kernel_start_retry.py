"""A kernel that dies while starting is started again: in the grader, and in nbval's runs.

The failure is real and was reproduced here: with other processes taking and releasing
local ports, a kernel loses one of its five ports to them before it binds it and exits with
``ZMQError: Address already in use``. These tests make a kernel die the same way on demand:
a stand-in ``ipykernel_launcher`` module, found first on ``PYTHONPATH``, exits with that
message the first N times it is run and then starts the real kernel.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import warnings
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from defection.grading import worker
from defection.grading.run import Settings, execution_notes, run_notebook
from defection.grading.transfer import decode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nbval_kernel  # noqa: E402

DYING_LAUNCHER = textwrap.dedent(
    """
    import os, sys
    # Set up through files beside this one, not the environment: the grader gives its
    # kernels only an allow-list of variables.
    here = os.path.dirname(os.path.abspath(__file__))
    count = os.path.join(here, "starts.txt")
    n = int(open(count).read()) if os.path.exists(count) else 0
    with open(count, "w") as fh:
        fh.write(str(n + 1))
    if n < int(open(os.path.join(here, "deaths.txt")).read()):
        sys.stderr.write("zmq.error.ZMQError: Address already in use (test kernel %d)\\n" % (n + 1))
        sys.exit(1)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()
    """
)


@pytest.fixture
def dying_kernel(tmp_path):
    """Make the next kernels die ``deaths`` times before one starts; return a start counter."""
    launcher = tmp_path / "launcher"
    launcher.mkdir()
    (launcher / "ipykernel_launcher.py").write_text(DYING_LAUNCHER, encoding="utf-8")
    count = launcher / "starts.txt"

    def arrange(deaths: int):
        (launcher / "deaths.txt").write_text(str(deaths))
        return launcher, lambda: int(count.read_text()) if count.exists() else 0

    return arrange


def _notebook():
    return new_notebook(cells=[new_code_cell("answer = 41 + 1")])


# ----------------------------------------------------------------------------- the grader


@pytest.mark.slow
def test_grader_starts_a_new_kernel_when_one_dies_starting(dying_kernel):
    launcher, starts = dying_kernel(deaths=1)
    report, answers = run_notebook(
        _notebook(), ["answer"], Settings(timeout=120, extra_path=(str(launcher),))
    )
    assert starts() == 2
    assert report["error"] is None
    assert len(report["failed_kernel_starts"]) == 1
    assert "died" in report["failed_kernel_starts"][0]
    assert [c["status"] for c in report["cells"] if not c.get("final")] == ["ok"]
    assert decode(json.loads(answers["answer"])) == 42
    assert execution_notes(_notebook(), report, Settings()) == []


@pytest.mark.slow
def test_grader_gives_up_after_three_deaths_and_says_so(dying_kernel):
    launcher, starts = dying_kernel(deaths=10)
    report, answers = run_notebook(
        _notebook(), ["answer"], Settings(timeout=120, extra_path=(str(launcher),))
    )
    assert starts() == worker.KERNEL_STARTS == 3
    assert answers == {}
    (note,) = [n for n in execution_notes(_notebook(), report, Settings()) if "could not run" in n]
    assert note.startswith(
        "could not run notebook: the kernel did not start (3 tries; last: RuntimeError"
    )
    assert "died" in note


# ----------------------------------------------------------------------------- nbval


def test_nbval_start_is_wrapped_once():
    import nbval.kernel

    nbval_kernel.install()
    nbval_kernel.install()
    wrapped = nbval.kernel.start_new_kernel
    assert wrapped.__wrapped__ is not None
    assert getattr(wrapped.__wrapped__, "__wrapped__", None) is None


def test_nbval_retry_keeps_what_the_kernel_said_and_warns():
    calls = []

    def start(*, stderr, **kwargs):
        calls.append(kwargs)
        if len(calls) < 3:
            stderr.write(f"zmq.error.ZMQError: Address already in use (call {len(calls)})\n")
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "km", "kc"

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        devnull = open(os.devnull, "w")  # noqa: SIM115 - the wrapper closes it, as nbval's would be
        assert nbval_kernel.retrying(start)(kernel_name="python3", stderr=devnull) == ("km", "kc")
    assert devnull.closed
    assert len(calls) == 3 and all(c == {"kernel_name": "python3"} for c in calls)
    assert [w.category for w in seen] == [nbval_kernel.KernelStartRetried] * 2
    assert "Address already in use (call 1)" in str(seen[0].message)
    assert "Address already in use (call 2)" in str(seen[1].message)


def test_nbval_kernel_that_never_starts_fails_with_its_own_words(tmp_path, monkeypatch):
    """A real kernel, started through nbval's own function, that exits at once every time."""
    import nbval.kernel

    spec = tmp_path / "kernels" / "always-dies"
    spec.mkdir(parents=True)
    say_and_exit = "import sys; sys.stderr.write('cannot import course\\n'); sys.exit(3)"
    argv = [sys.executable, "-c", say_and_exit, "{connection_file}"]
    kernel = {"argv": argv, "display_name": "dies", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    start = nbval_kernel.retrying(
        getattr(nbval.kernel.start_new_kernel, "__wrapped__", nbval.kernel.start_new_kernel)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nbval_kernel.KernelStartRetried)
        with pytest.raises(RuntimeError) as err:
            start(startup_timeout=30, kernel_name="always-dies", stderr=None)
    text = str(err.value)
    assert "died while starting, 3 times" in text
    assert text.count("cannot import course") == 3
    assert "start 3 of 3: Kernel died before replying to kernel_info" in text


# ----------------------------------------------------------------------------- handouts


@pytest.mark.slow
def test_handout_run_starts_a_new_kernel_when_one_dies_starting(
    dying_kernel, tmp_path, monkeypatch
):
    from defection import handouts

    launcher, starts = dying_kernel(deaths=1)
    monkeypatch.setenv("PYTHONPATH", str(launcher))
    lesson = tmp_path / "00_tiny.ipynb"
    nbformat.write(_notebook(), lesson)
    nb = handouts.execute_lesson(lesson, timeout=60)
    assert starts() == 2
    assert nb.cells[0].execution_count == 1


@pytest.mark.slow
def test_handout_run_names_a_kernel_that_never_starts(dying_kernel, tmp_path, monkeypatch):
    from defection import handouts

    launcher, starts = dying_kernel(deaths=10)
    monkeypatch.setenv("PYTHONPATH", str(launcher))
    lesson = tmp_path / "00_tiny.ipynb"
    nbformat.write(_notebook(), lesson)
    with pytest.raises(handouts.LessonFailed) as err:
        handouts.execute_lesson(lesson, timeout=60)
    assert starts() == handouts.KERNEL_STARTS == 3
    assert "00_tiny.ipynb" in str(err.value) and "died" in str(err.value)


# ----------------------------------------------------------------------------- the site build


def test_site_retries_only_a_kernel_that_died_before_any_cell():
    from defection.site.kernel_retry import died_before_running

    fresh = new_notebook(cells=[new_code_cell("x = 1")])
    ran = new_notebook(cells=[new_code_cell("x = 1", execution_count=1)])
    died = RuntimeError("Kernel died before replying to kernel_info")
    assert died_before_running(fresh, died)
    assert not died_before_running(ran, died)  # died in a cell: the lesson's own fault
    assert not died_before_running(fresh, RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not died_before_running(fresh, ValueError("died"))


@pytest.mark.slow
@pytest.mark.parametrize("deaths, starts_expected, fails", [(1, 2, False), (10, 3, True)])
def test_site_build_runs_a_lesson_again_when_its_kernel_died(
    dying_kernel, tmp_path, monkeypatch, deaths, starts_expected, fails
):
    pytest.importorskip(
        "myst_nb",
        reason="the site tools are not installed (pip install -r defection/site/requirements.txt)",
    )
    import nbclient.client
    from myst_nb.core.execute import direct

    from defection.site.kernel_retry import kernel_starts_retried

    launcher, starts = dying_kernel(deaths=deaths)
    monkeypatch.setenv("PYTHONPATH", str(launcher))
    # nbclient registers an exit hook per client; after a failed start it can only fail
    # noisily when the test process exits ("assert self.km is not None"). Not ours to run.
    monkeypatch.setattr(
        nbclient.client,
        "atexit",
        SimpleNamespace(register=lambda f: None, unregister=lambda f: None),
    )
    nb = _notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    plain = direct.single_nb_execution
    with kernel_starts_retried():
        if fails:
            with pytest.raises(RuntimeError, match="died"):
                direct.single_nb_execution(nb, cwd=str(tmp_path), timeout=60, allow_errors=False)
        else:
            result = direct.single_nb_execution(
                nb, cwd=str(tmp_path), timeout=60, allow_errors=False
            )
            assert result.err is None and nb.cells[0].execution_count == 1
    assert direct.single_nb_execution is plain  # put back after the build
    assert starts() == starts_expected


def test_one_rule_for_when_a_kernel_is_started_again():
    from defection import handouts, kernel_start
    from defection.site import kernel_retry

    assert kernel_start.died_while_starting(
        RuntimeError("Kernel died before replying to kernel_info")
    )
    assert not kernel_start.died_while_starting(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not kernel_start.died_while_starting(ValueError("died"))
    assert kernel_start.ran_no_cell(_notebook())
    assert not kernel_start.ran_no_cell(new_notebook(cells=[new_code_cell("x", execution_count=1)]))
    # the worker restates the number (it imports nothing from the package): keep them equal
    assert worker.KERNEL_STARTS == handouts.KERNEL_STARTS == kernel_retry.KERNEL_STARTS
    assert kernel_retry.KERNEL_STARTS == kernel_start.KERNEL_STARTS == nbval_kernel.ATTEMPTS
