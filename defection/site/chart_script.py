"""The site's chart script: the course's own chart bundle, made loadable as a plain script.

Why not a second bundle: ``defection/charts/js/course_chart.bundle.js`` already holds Vega,
Vega-Lite, vega-embed and the course's render function (what JupyterLab draws with), so the
site reuses it byte for byte instead of committing 900 KB more that could drift. It is an ES
module whose only export is its last statement; as a module it would not load from a page
opened straight from disk (``file://``), so the build wraps it in a function and hands the
render function to ``window.BreakingRanksChart`` instead. If the bundle ever changes shape,
the build stops with a message rather than writing a site whose charts silently fail.
"""

from __future__ import annotations

import re

from defection.charts.live import bundle_source

SITE_SCRIPT = "course_chart.site.js"
GLOBAL_NAME = "BreakingRanksChart"
_EXPORT = re.compile(r"export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\}\s*;?\s*$")


class BundleShapeError(RuntimeError):
    """The chart bundle no longer ends with the one default export the site relies on."""


def classic_script(module_source: str) -> str:
    """``module_source`` (an ES module ending ``export{x as default};``) as a plain script."""
    body = module_source.rstrip()
    match = _EXPORT.search(body)
    if match is None:
        raise BundleShapeError(
            "defection/charts/js/course_chart.bundle.js does not end with "
            "'export{<name> as default};', so the website cannot load it as a plain script. "
            "Rebuild it with: python -m defection.charts.bundle"
        )
    head = body[: match.start()]
    if re.search(r"\bexport\s*(\{|default\b)", head) or "import.meta" in head:
        raise BundleShapeError(
            "defection/charts/js/course_chart.bundle.js has imports or exports besides its "
            "final default export; the website's plain-script copy would not run."
        )
    return (
        "// Built by defection.site from defection/charts/js/course_chart.bundle.js: do not edit.\n"
        '(function () {\n"use strict";\n'
        f"{head}\nwindow.{GLOBAL_NAME} = {match.group(1)};\n}})();\n"
    )


def site_script() -> str:
    """The chart script the site serves (``_static/course_chart.site.js``)."""
    return classic_script(bundle_source())
