"""The course as a static website, built offline from the same notebooks students run.

    python -m defection.site [--out DIR]     # prints the folder holding index.html

>>> from defection.site import build
>>> build()            # doctest: +SKIP
PosixPath('.../build/site')

Why Sphinx (with MyST-NB and sphinx-book-theme) rather than Jupyter Book 2: Jupyter Book 2
(mystmd) fetches its site template from the network at build time and fails offline; the
Sphinx stack builds with no network and writes pages that load nothing from elsewhere.
The site's tools are pinned in ``defection/site/requirements.txt``, apart from the course.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["build", "build_report"]


def build(out_dir: Path | None = None, *, execute: bool = True) -> Path:
    """Build the site and return the folder holding ``index.html`` (see ``defection.site.builder.build``)."""
    from defection.site.builder import build as _build

    return _build(out_dir, execute=execute)


def build_report(out_dir: Path | None = None, *, execute: bool = True, verbose: bool = False, progress=None):
    """Build the site and return a ``BuildReport`` (folder, seconds, pages, files, bytes, warnings)."""
    from defection.site.builder import build_report as _build_report

    return _build_report(out_dir, execute=execute, verbose=verbose, progress=progress)
