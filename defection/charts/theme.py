"""One look for every chart, and one switch that makes charts render with no internet.

Why this renderer: altair 6's default renderer fetches Vega from a CDN and fails offline,
and its ``mimetype`` output is Vega-Lite 6, which JupyterLab 4's built-in renderer does not
draw. ``setup()`` therefore enables the course's own renderer (``defection.charts.live``):
every chart becomes a small widget whose pre-built Vega bundle ships inside the package,
so charts draw offline, as SVG (real text for screen readers), at no start-up cost.

For printable handouts, ``DEFECTION_STATIC_CHARTS=1`` switches to a static SVG
renderer (vl-convert, offline), so exported HTML shows every chart as an image. For the
course website, ``BREAKING_RANKS_STATIC_SITE=1`` switches to HTML that the site's own
Vega scripts draw, tooltips included (``defection.charts.site_html``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from defection.charts.after_import import when_imported
from defection.charts.modes import SITE_ENV, STATIC_ENV, site_mode, static_mode  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    import altair as alt

#: Okabe & Ito (2008) colour-blind-safe palette, in the order charts use it.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]

#: Fixed colours for categories that recur across lessons, so a colour means one thing.
CATEGORY_COLORS = {
    "regime": "#D55E00",
    "resistance": "#0072B2",
    "defection": "#009E73",
    "surrender": "#CC79A7",
    "economy": "#E69F00",
    "international": "#56B4E9",
    "repression": "#000000",
}

THEME_NAME = "breaking_ranks"
RENDERER = "breaking_ranks"
SITE_RENDERER = "breaking_ranks_site"


def _theme() -> dict:
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "font": "sans-serif",
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#444444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True, "gridOpacity": 0.4},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE, "ordinal": {"scheme": "viridis"}},
            "mark": {"tooltip": True, "color": PALETTE[0]},
        }
    }


def setup() -> None:
    """Enable the course theme and an offline renderer. Call once at the top of a notebook.

    >>> import defection
    >>> defection.setup()

    altair itself is configured the moment it is first imported (by a chart builder or by a
    student's ``import altair``), so this first cell does not pay for altair's import.
    """
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.max_colwidth", 120)
    when_imported("altair", configure_altair)
    if site_mode():
        _detach_widgets()
    # Plain-words notes before the tracebacks beginners meet most (no-op outside IPython).
    from defection import friendly_errors

    friendly_errors.install()


def _detach_widgets() -> None:
    """Site mode: widgets keep working in Python but send nothing to a front end.

    The website is built with no browser attached, and panels display as static HTML
    there; without this, every widget's state (the chart widget carries the 900 KB Vega
    bundle) would be recorded by the executing client and written into the page.
    """
    import comm

    def create_comm(*args, **kwargs):
        return comm.DummyComm(*args, **kwargs)

    comm.create_comm = create_comm


def configure_altair(alt) -> None:
    """The course theme, the offline renderer and the strict-JSON data transformer."""
    alt.theme.register(THEME_NAME, enable=True)(_theme)
    alt.renderers.register(RENDERER, _course_renderer)
    alt.renderers.register(SITE_RENDERER, _site_renderer)
    if site_mode():
        _ = alt.renderers.enable(SITE_RENDERER)
    elif static_mode():
        _ = alt.renderers.enable("svg")
    else:
        _ = alt.renderers.enable(RENDERER)
    # Course tables are small: inline them whole, as strict JSON (see json_safe_values).
    alt.data_transformers.register("course", json_safe_values)
    _ = alt.data_transformers.enable("course")


def _course_renderer(spec: dict, **metadata):
    # Imported here: defection.charts.live imports altair, which may be what called us.
    from defection.charts.live import course_renderer

    return course_renderer(spec, **metadata)


def _site_renderer(spec: dict, **metadata):
    from defection.charts.site_html import site_renderer

    return site_renderer(spec, **metadata)


def _json_safe(value):
    return None if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))) else value


def json_safe_values(data, **_options):
    """altair data transformer: inline rows as JSON that Jupyter can always send.

    Under pandas 3, altair can write missing text as NaN, which is not valid JSON; the
    front end then never receives the chart and a widget's output hangs. Missing and
    infinite values become null instead. Options such as ``max_rows`` are accepted and
    ignored: course tables are small and always inlined whole.
    """
    import altair as alt

    values = alt.to_values(data)
    if "values" in values:
        values["values"] = [{k: _json_safe(v) for k, v in row.items()} for row in values["values"]]
    return values



def fast_build(builder):
    """Decorator: build a chart without altair's per-object validation.

    ``to_dict()`` (and so every redraw, via ``defection.charts.live.chart_spec``) still
    validates the whole spec once, so nothing invalid slips through, but a slider redraw
    of a chart with many layers costs less.
    """
    import functools

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        from altair.utils.schemapi import debug_mode

        with debug_mode(False):
            return builder(*args, **kwargs)

    return wrapper


def finish(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    description: str,
    subtitle: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Give a chart its title and a text description (read aloud by screen readers).

    Every builder in ``defection.charts`` ends with ``return finish(chart, ...)`` so no
    chart leaves the package untitled or undescribed. Axis titles and tooltips are set
    by the builder, which knows what the fields mean.
    """
    import altair as alt

    if not title or not description:
        raise ValueError("every course chart needs a title and a text description")
    props: dict = {
        "title": alt.TitleParams(title, subtitle=subtitle) if subtitle else title,
        "description": description,
    }
    if width is not None:
        props["width"] = width
    if height is not None:
        props["height"] = height
    return chart.properties(**props)
