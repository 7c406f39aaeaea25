"""Charts for the course website: HTML that draws with the site's own Vega scripts.

Why a third display mode: a static web page has no kernel, so the live ``CourseChart``
widget (``defection.charts.live``) cannot draw there, and the handouts' SVG images
(``DEFECTION_STATIC_CHARTS``) lose the tooltips. With ``BREAKING_RANKS_STATIC_SITE=1`` (set
by ``python -m defection.site`` for the kernels it runs) ``defection.setup()`` makes every
chart display as ``text/html``: an empty figure, the chart's spec as inert JSON and its text
description. The site's ``course_site_charts.js`` (served from the site's ``_static/``, never
a CDN) then draws each figure with the very code JupyterLab uses, so the SVG carries the same
title heading and ``aria-label``. The ``text/plain`` part of the output is the one-line
description, which is what a reader without JavaScript (or a console) gets.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from typing import Any

from defection.charts.live import describe, stable_spec
from defection.charts.modes import SITE_ENV, site_mode

__all__ = ["SITE_ENV", "chart_html", "site_bundle", "site_mode", "site_renderer"]

#: The attribute ``course_site_charts.js`` looks for; its value is the id of the spec's JSON.
HOST_ATTRIBUTE = "data-course-chart-spec"

_counter = itertools.count()


def _json_for_script(spec: dict) -> str:
    """The spec as JSON that cannot end its ``<script>`` element early."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c")  # still valid JSON; no "</script>" or "<!--" left


def _description(spec: dict) -> str:
    description = spec.get("description", "")
    return str(description).strip() if description else describe(spec)


def chart_html(spec: dict, *, show_description: bool = True) -> str:
    """A figure the site draws, with its text alternative.

    ``spec`` is a Vega-Lite dict (``chart.to_dict()``). The description is the figure's
    accessible name (its visible ``figcaption``, or an ``aria-label`` when
    ``show_description`` is off, as a panel does when its caption already says the same
    thing) and is copied onto the SVG as ``aria-label`` when the chart is drawn. Ids are a
    hash of the spec plus a running number, so two identical charts on one page never share
    one and reruns give the same page.
    """
    spec = stable_spec(spec)
    body = _json_for_script(spec)
    digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:10]
    chart_id = f"course-chart-{digest}-{next(_counter)}"
    description = _description(spec)
    caption = (
        f'<figcaption class="course-chart-description">{html.escape(description)}</figcaption>'
        if show_description
        else ""
    )
    # With a visible caption the figcaption names the figure; without, the label does.
    label = "" if show_description else f' aria-label="{html.escape(description, quote=True)}"'
    return (
        f'<figure class="course-chart-static"{label}>'
        f'<div class="course-chart-host" {HOST_ATTRIBUTE}="{chart_id}-spec">'
        f'<noscript><p>{html.escape(describe(spec))}</p></noscript></div>'
        f'<script type="application/json" id="{chart_id}-spec">{body}</script>'
        f"{caption}</figure>"
    )


def site_bundle(spec: dict, **_metadata: Any) -> dict[str, str]:
    """The output of one chart on the site: HTML for browsers, a sentence for everything else."""
    return {"text/html": chart_html(spec), "text/plain": describe(spec)}


def site_renderer(spec: dict, **metadata: Any) -> dict[str, str]:
    """altair renderer that ``setup()`` enables in site mode."""
    return site_bundle(spec, **metadata)
