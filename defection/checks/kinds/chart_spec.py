"""Reading a chart's Vega-Lite spec: its views, marks, encodings, inline rows and labels.

Kept apart from drawing and judging so the structure of an answer (what the student asked
altair for) can be read cheaply and the same way for a chart object and for the plain
dict the grader receives.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from defection.checks.values import _describe

_TYPE_CODES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal", "G": "geojson"}


def _parse_encoding(value: Any) -> dict[str, Any]:
    """'date:T' / 'count():Q' / {'field':..., 'type':...} -> {'field', 'type', 'aggregate'}."""
    if isinstance(value, str):
        out: dict[str, Any] = {}
        text = value
        m = re.fullmatch(r"(.*):([QNOTG])", text)
        if m:
            text, out["type"] = m.group(1), _TYPE_CODES[m.group(2)]
        m = re.fullmatch(r"(\w+)\((.*)\)", text)
        if m:
            out["aggregate"] = m.group(1)
            text = m.group(2)
        if text:
            out["field"] = text
        return out
    if isinstance(value, Mapping):
        out = {}
        for key in ("field", "type", "aggregate", "timeUnit"):
            if key in value and isinstance(value[key], (str, int, float)):
                out[key] = value[key]
        if "shorthand" in value and isinstance(value["shorthand"], str):
            out = {**_parse_encoding(value["shorthand"]), **out}
        return out
    return {}


def _mark_type(spec: Mapping[str, Any]) -> str | None:
    mark = spec.get("mark")
    if isinstance(mark, str):
        return mark
    if isinstance(mark, Mapping) and isinstance(mark.get("type"), str):
        return mark["type"]
    return None


def _first_line(text: str, limit: int = 220) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


@functools.lru_cache(maxsize=1)
def _schema_validator() -> Any:
    """One jsonschema validator for altair's Vega-Lite schema, built once: altair's own
    ``Root.validate`` deep-copies the whole schema on every call (about 0.7 s here)."""
    import altair as alt
    import jsonschema

    schema = alt.Root._rootschema
    return jsonschema.validators.validator_for(schema)(schema)


def _schema_problem(spec: Mapping[str, Any]) -> str:
    """What the Vega-Lite schema says is wrong with ``spec`` ("" when it is valid).

    The schema altair validates against when it displays a chart, applied to the spec as a
    plain dict, so the grader (which receives dicts) and the notebook reach the same verdict.
    """
    import jsonschema

    try:
        error = jsonschema.exceptions.best_match(_schema_validator().iter_errors(dict(spec)))
    except Exception as exc:  # a spec too odd for the validator itself
        return _first_line(str(exc))
    if error is None:
        return ""
    error = _deepest(error)
    where = "/".join(str(p) for p in error.absolute_path)
    if isinstance(error.instance, (Mapping, list)):
        text = "this part does not fit the Vega-Lite schema"
    else:
        text = _first_line(error.message, 160)
    return f"{text} (at {where})." if where else f"{text}."


def _deepest(error: Any) -> Any:
    """The most specific of a schema error's alternatives: the one deepest in the spec,
    preferring a plain value (``'wide'``) to a whole object."""
    found = [error]
    stack = list(error.context or [])
    while stack:
        sub = stack.pop()
        found.append(sub)
        stack.extend(sub.context or [])
    return max(
        found,
        key=lambda e: (len(e.absolute_path), not isinstance(e.instance, (Mapping, list))),
    )


def _chart_to_dict(answer: Any) -> tuple[dict | None, str]:
    """The chart as the Vega-Lite spec altair would display, or why it cannot be displayed."""
    if isinstance(answer, Mapping):
        spec = dict(answer)
        problem = _schema_problem(spec)
        if problem:
            return None, _not_rendering(problem)
        return spec, ""
    mod = getattr(type(answer), "__module__", "") or ""
    to_dict = getattr(answer, "to_dict", None)
    if not mod.startswith("altair") or not callable(to_dict):
        return None, f"expected an altair chart, got {_describe(answer)}."
    try:
        import altair as alt

        with alt.data_transformers.enable(max_rows=None):
            spec = to_dict(validate=True)
    except Exception as exc:
        if type(exc).__name__ in ("SchemaValidationError", "ValidationError"):
            return None, _not_rendering(_first_line(str(exc)))
        return None, (
            f"altair could not turn your chart into a spec ({type(exc).__name__}): show the "
            "chart in its own cell to see altair's message."
        )
    if not isinstance(spec, Mapping):
        return None, f"expected an altair chart, got {_describe(answer)}."
    return dict(spec), ""


def _not_rendering(problem: str) -> str:
    return (
        f"altair cannot display this chart: {problem} Show the chart in its own cell to see "
        "the full message, fix that part of the code, and check again."
    )


def _rows(spec: Mapping[str, Any], datasets: Mapping[str, Any]) -> list | None:
    """The data rows a view is drawn from, when they are inline (values or datasets)."""
    data = spec.get("data")
    if isinstance(data, Mapping):
        if isinstance(data.get("values"), list):
            return data["values"]
        if isinstance(data.get("name"), str) and isinstance(datasets.get(data["name"]), list):
            return datasets[data["name"]]
    return None


def _data_fields(spec: Mapping[str, Any], datasets: Mapping[str, Any]) -> set[str]:
    fields: set[str] = set()
    rows = _rows(spec, datasets)
    if isinstance(rows, list):
        for row in rows[:50]:
            if isinstance(row, Mapping):
                fields.update(str(k) for k in row)
    for t in spec.get("transform", []) or []:
        if isinstance(t, Mapping):
            val = t.get("as")
            if isinstance(val, str):
                fields.add(val)
            elif isinstance(val, list):
                fields.update(str(v) for v in val)
            for sub in ("aggregate", "window", "joinaggregate"):
                for item in t.get(sub, []) or []:
                    if isinstance(item, Mapping) and isinstance(item.get("as"), str):
                        fields.add(item["as"])
    return fields


def _single_views(spec: Mapping[str, Any], datasets: Mapping[str, Any], inherited=None):
    """Flatten a spec to a list of views (mark, encodings, data fields and rows, raw
    encodings, mark options); layers inherit their parent's encoding and data. Returns
    (views, structure) where structure is 'single', 'layer' or 'concat'."""
    inherited = inherited or {"encoding": {}, "fields": set(), "rows": None}
    fields = _data_fields(spec, datasets) | inherited["fields"]
    rows = _rows(spec, datasets)
    if rows is None:
        rows = inherited.get("rows")
    enc = dict(inherited["encoding"])
    if isinstance(spec.get("encoding"), Mapping):
        enc.update(spec["encoding"])
    down = {"encoding": enc, "fields": fields, "rows": rows}
    if "facet" in spec and isinstance(spec.get("spec"), Mapping):
        facet = spec["facet"]
        if isinstance(facet, Mapping):
            for key in ("row", "column"):
                if key in facet:
                    enc[key] = facet[key]
            if "field" in facet:
                enc["facet"] = facet
        views, _ = _single_views(spec["spec"], datasets, down)
        return views, "single" if len(views) == 1 else "layer"
    if isinstance(spec.get("layer"), list):
        views = []
        for sub in spec["layer"]:
            if isinstance(sub, Mapping):
                views.extend(_single_views(sub, datasets, down)[0])
        return views, "layer"
    for key in ("hconcat", "vconcat", "concat"):
        if isinstance(spec.get(key), list):
            views = []
            for sub in spec[key]:
                if isinstance(sub, Mapping):
                    views.extend(
                        _single_views(sub, datasets, {**down, "encoding": {}})[0]
                    )
            return views, "concat"
    if "repeat" in spec and isinstance(spec.get("spec"), Mapping):
        return _single_views(spec["spec"], datasets, down)[0], "concat"
    encodings = {}
    for channel, value in enc.items():
        if isinstance(value, list):  # e.g. tooltip lists
            continue
        encodings[channel] = _parse_encoding(value)
    mark = spec.get("mark")
    return [
        {
            "mark": _mark_type(spec),
            "encoding": encodings,
            "fields": fields,
            "rows": rows,
            "raw": enc,
            "mark_options": dict(mark) if isinstance(mark, Mapping) else {},
        }
    ], "single"


def _encoded_fields(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(channel, field) for every field a view's encodings use, tooltips included."""
    out = []
    for channel, value in raw.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            field = _parse_encoding(item).get("field") if isinstance(item, (str, Mapping)) else None
            if isinstance(field, str) and field:
                out.append((channel, field))
    return out


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_has_text(v) for v in value)
    if isinstance(value, Mapping):
        return _has_text(value.get("text"))
    return False


def _channel_title(raw: Mapping[str, Any], channel: str) -> bool:
    value = raw.get(channel)
    if not isinstance(value, Mapping):
        return False
    if _has_text(value.get("title")):
        return True
    for guide in ("axis", "legend", "header"):
        sub = value.get(guide)
        if isinstance(sub, Mapping) and _has_text(sub.get("title")):
            return True
    return False


def _tooltip_fields(view: Mapping[str, Any]) -> set[str] | None:
    """Fields in a view's tooltip; None when it has no tooltip at all. A mark with
    ``tooltip=True`` shows every field: returned as the view's data fields."""
    raw = view["raw"].get("tooltip")
    if raw is not None:
        items = raw if isinstance(raw, list) else [raw]
        found = set()
        for item in items:
            field = _parse_encoding(item).get("field") if isinstance(item, (str, Mapping)) else None
            if isinstance(field, str) and field:
                found.add(field)
        return found or None
    if view["mark_options"].get("tooltip") in (True, {"content": "data"}):
        return set(view["fields"])
    return None


def rows_of(frame: Any) -> list:
    """The rows altair would embed for ``frame`` (dates as ISO text), for comparing a
    chart's data with the table a task names."""
    import altair as alt

    with alt.data_transformers.enable(max_rows=None):
        spec = alt.Chart(frame).mark_point().to_dict(validate=False)
    rows = _rows(spec, spec.get("datasets") or {})
    return list(rows or [])
