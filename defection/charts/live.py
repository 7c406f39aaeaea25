"""Live charts in JupyterLab with no internet: one small widget that draws every course chart.

Why a widget of our own: altair 6's default renderer loads Vega from a CDN (fails offline),
and its ``mimetype`` output is Vega-Lite 6, which JupyterLab 4 does not draw. altair's own
offline widget (``JupyterChart``) works, but builds its 900 KB JavaScript bundle at every
kernel start (about 3 s) and redraws a whole chart on every slider move. ``CourseChart``
ships the same bundle pre-built inside the package (``js/course_chart.bundle.js``, made
by ``python -m defection.charts.bundle``), and its front end swaps only the data of the
chart already on screen when that is all that changed. Charts are drawn as SVG, so titles,
axis labels and the chart's description are text a screen reader and a browser test can read.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import altair as alt
import anywidget
import traitlets

#: How vega-embed draws: SVG (readable text), no "..." action menu (it offers downloads
#: that need a network editor).
EMBED_OPTIONS: dict[str, Any] = {"renderer": "svg", "actions": False}

BUNDLE = "course_chart.bundle.js"
DATASET_PREFIX = "course_data_"
INLINE_PREFIX = "course_inline_"
#: Top-level params whose name starts with this are pushed into the drawn chart as Vega
#: signals when they change (see ``live_param`` and js/course_chart.js).
LIVE_PREFIX = "live_"


def bundle_source() -> str:
    """The pre-built front-end bundle shipped with the package (vega, vega-lite, vega-embed)."""
    return resources.files("defection.charts").joinpath("js", BUNDLE).read_text(encoding="utf-8")


def _rename(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _rename(value, names) for key, value in node.items()}
    if isinstance(node, list):
        return [_rename(value, names) for value in node]
    if isinstance(node, str):
        return names.get(node, node)
    return node


def _hoist_inline(node: Any, found: list) -> Any:
    """Replace every inline ``data: {values: [...]}`` by a named dataset (rows into ``found``)."""
    if isinstance(node, list):
        return [_hoist_inline(value, found) for value in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "data" and isinstance(value, dict) and "values" in value:
            rows, fmt = value["values"], dict(value.get("format") or {})
            if isinstance(rows, str) and fmt.get("type", "json") == "json":
                rows = json.loads(rows)  # altair's one-JSON-string trick for fast validation
                fmt.pop("type", None)
            if isinstance(rows, list):
                name = f"{INLINE_PREFIX}{len(found)}"
                found.append((name, rows))
                out[key] = {"name": name, **({"format": fmt} if fmt else {})}
                continue
        out[key] = _hoist_inline(value, found)
    return out


def stable_spec(spec: dict) -> dict:
    """Give a spec's data names that do not change when only the rows do.

    altair names each dataset by a hash of its rows (and some builders inline rows in the
    layer), so every slider move would look like a new chart. Naming them
    ``course_data_0``, ``course_data_1``... in order lets the front end see that only the
    data changed and update the chart in place.
    """
    found: list = []
    body = _hoist_inline({k: v for k, v in spec.items() if k != "datasets"}, found)
    datasets = dict(spec.get("datasets") or {})
    datasets.update(found)
    if not datasets:
        return spec
    names = {old: f"{DATASET_PREFIX}{i}" for i, old in enumerate(datasets)}
    body = {key: _rename(value, names) for key, value in body.items()}
    body["datasets"] = {names[old]: rows for old, rows in datasets.items()}
    return body


def live_param(name: str, value: Any) -> alt.Parameter:
    """A value a chart may change on a redraw without being drawn anew (a Vega signal).

    Use it where a slider changes a setting rather than rows, e.g. a scale's domain or
    a legend's list: ``domain=alt.ExprRef(name)`` with ``.add_params(live_param(name, v))``.
    The front end pushes the new value into the chart on screen.
    """
    return alt.param(name=LIVE_PREFIX + name if not name.startswith(LIVE_PREFIX) else name, value=value)


def chart_spec(chart: alt.TopLevelMixin, *, validate: bool = True) -> dict:
    """The Vega-Lite dict a course chart is drawn from: validated, themed, stably named.

    Validation is altair's own (the same that runs when a chart is displayed), so a chart
    that could not be drawn fails here with altair's message, in Python, not as a blank box.
    A panel validates its first draw only: later redraws come from the same builder with
    other rows, and skipping the schema walk saves about 10 ms a slider move.
    """
    return stable_spec(chart.to_dict(validate=validate))


def describe(spec: dict) -> str:
    """A one-line plain-text stand-in for a chart (consoles, logs, screen-reader fallbacks)."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    description = spec.get("description", "")
    parts = [p for p in (str(title).strip(), str(description).strip()) if p]
    return "Chart: " + (" — ".join(parts) if parts else "(untitled)")


class CourseChart(anywidget.AnyWidget):
    """A chart on screen that redraws in place when ``spec`` changes.

    >>> view = CourseChart(spec=chart_spec(some_chart))
    >>> view.spec = chart_spec(other_chart)   # the same view, new data
    """

    _esm = bundle_source()
    spec = traitlets.Dict().tag(sync=True)
    embed_options = traitlets.Dict(EMBED_OPTIONS).tag(sync=True)
    #: Bumped by ``show``: the front end redraws on it, so an unchanged spec still redraws.
    revision = traitlets.Int(0).tag(sync=True)

    def show(self, chart: alt.TopLevelMixin, *, validate: bool = True) -> None:
        """Draw ``chart`` in this view (in place when only its data differ)."""
        spec = chart_spec(chart, validate=validate)
        with self.hold_sync():  # spec and revision reach the front end in one message
            self.spec = spec
            self.revision += 1

    def __repr__(self) -> str:
        return describe(self.spec)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict] | None:
        result = super()._repr_mimebundle_(**kwargs)
        if result is None:
            return None
        data, metadata = result
        data["text/plain"] = describe(self.spec)
        return data, metadata


def course_renderer(spec: dict, **_metadata: Any) -> tuple[dict, dict]:
    """altair renderer (``setup()`` enables it): every chart shown in a cell becomes a ``CourseChart``."""
    result = CourseChart(spec=stable_spec(spec))._repr_mimebundle_()
    assert result is not None  # a DOMWidget always has a view
    return result

