"""The course as a static website, built offline from the same notebooks students run.

    python -m defection.site [--out DIR]     # prints the folder holding index.html

>>> from defection.site import build
>>> build()            # doctest: +SKIP
PosixPath('.../build/site')

Why Sphinx (with MyST-NB and sphinx-book-theme) rather than Jupyter Book 2: Jupyter Book 2
(mystmd) fetches its site template from the network at build time and fails offline; the
Sphinx stack builds with no network and writes pages that load nothing from elsewhere.
The site's tools are pinned in ``defection/site/requirements.txt``, apart from the course.

Why the printable handouts (``defection.handouts``) keep a path of their own: a handout is
one self-contained HTML file per lesson that needs no JavaScript (charts inlined as SVG by
vl-convert), so it prints to PDF as it is and opens from an e-mail or a USB stick; a site
page needs JavaScript for its tooltips and shares its scripts with every other page. The two
share everything above the last step: the same notebooks run the same way in fresh kernels,
the same chart builders and themes, the same panels at their default settings
(``Panel.settings_text``), the same sources for citations. Printing site pages instead would
need a browser driver at handout time; drawing site charts as SVG would add vl-convert (84 MB)
to the site build and lose the tooltips.
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
