"""Say plainly what is missing before a site build starts, instead of an ImportError later.

The website's tools (Sphinx, MyST-NB, the book theme) are not part of a student's install;
they live in ``defection/site/requirements.txt``. A build without them stops here with the
names of the missing packages and the one command that installs them.
"""

from __future__ import annotations

import importlib.util

#: Import name -> the distribution to install (as named in defection/site/requirements.txt).
REQUIRED = {
    "sphinx": "Sphinx",
    "myst_parser": "myst-parser",
    "myst_nb": "myst-nb",
    "sphinx_book_theme": "sphinx-book-theme",
    "pydata_sphinx_theme": "pydata-sphinx-theme",
    "jupyter_cache": "jupyter-cache",
    "nbclient": "nbclient",
}

INSTALL_COMMAND = ".venv/bin/python -m pip install -r defection/site/requirements.txt"


class MissingSiteDependencies(RuntimeError):
    """One or more packages the site build needs are not installed."""


def missing(required: dict[str, str] | None = None) -> list[str]:
    """Distribution names of the required packages that cannot be imported."""
    required = REQUIRED if required is None else required
    return [dist for module, dist in required.items() if importlib.util.find_spec(module) is None]


def check(required: dict[str, str] | None = None) -> None:
    """Raise ``MissingSiteDependencies`` naming every missing package and the install command."""
    absent = missing(required)
    if absent:
        raise MissingSiteDependencies(
            "Building the course website needs "
            + ", ".join(absent)
            + f", which {'is' if len(absent) == 1 else 'are'} not installed in this Python. "
            + f"Install the site tools from the course folder with:\n    {INSTALL_COMMAND}"
        )
