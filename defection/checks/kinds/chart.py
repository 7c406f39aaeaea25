"""Chart questions: an altair chart checked by structure, data and labels, not pixels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from defection.checks.question import Question
from defection.checks.results import _NOT_GIVEN
from defection.checks.values import _describe

_TYPE_CODES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal", "G": "geojson"}
_DEFAULT_CHANNELS = (
    "x", "y", "x2", "y2", "color", "fill", "stroke", "size", "shape", "opacity",
    "theta", "radius", "row", "column", "facet", "text",
)  # fmt: skip


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


def _chart_to_dict(answer: Any) -> tuple[dict | None, str]:
    if isinstance(answer, Mapping):
        return dict(answer), ""
    mod = getattr(type(answer), "__module__", "") or ""
    to_dict = getattr(answer, "to_dict", None)
    if not mod.startswith("altair") or not callable(to_dict):
        return None, f"expected an altair chart, got {_describe(answer)}."
    try:
        import altair as alt

        with alt.data_transformers.enable(max_rows=None):
            spec = to_dict(validate=False)
    except Exception as exc:
        return None, (
            f"altair could not turn your chart into a spec ({type(exc).__name__}): show the "
            "chart in its own cell to see altair's message."
        )
    if not isinstance(spec, Mapping):
        return None, f"expected an altair chart, got {_describe(answer)}."
    return dict(spec), ""


def _data_fields(spec: Mapping[str, Any], datasets: Mapping[str, Any]) -> set[str]:
    fields: set[str] = set()
    data = spec.get("data")
    rows: Any = None
    if isinstance(data, Mapping):
        if isinstance(data.get("values"), list):
            rows = data["values"]
        elif isinstance(data.get("name"), str):
            rows = datasets.get(data["name"])
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
    """Flatten a spec to a list of (mark, encodings, fields) views; layers inherit
    their parent's encoding and data. Returns (views, structure) where structure is
    'single', 'layer' or 'concat'."""
    inherited = inherited or {"encoding": {}, "fields": set()}
    fields = _data_fields(spec, datasets) | inherited["fields"]
    enc = dict(inherited["encoding"])
    if isinstance(spec.get("encoding"), Mapping):
        enc.update(spec["encoding"])
    if "facet" in spec and isinstance(spec.get("spec"), Mapping):
        facet = spec["facet"]
        if isinstance(facet, Mapping):
            for key in ("row", "column"):
                if key in facet:
                    enc[key] = facet[key]
            if "field" in facet:
                enc["facet"] = facet
        views, _ = _single_views(spec["spec"], datasets, {"encoding": enc, "fields": fields})
        return views, "single" if len(views) == 1 else "layer"
    if isinstance(spec.get("layer"), list):
        views = []
        for sub in spec["layer"]:
            if isinstance(sub, Mapping):
                views.extend(_single_views(sub, datasets, {"encoding": enc, "fields": fields})[0])
        return views, "layer"
    for key in ("hconcat", "vconcat", "concat"):
        if isinstance(spec.get(key), list):
            views = []
            for sub in spec[key]:
                if isinstance(sub, Mapping):
                    views.extend(_single_views(sub, datasets, {"encoding": {}, "fields": fields})[0])
            return views, "concat"
    if "repeat" in spec and isinstance(spec.get("spec"), Mapping):
        return _single_views(spec["spec"], datasets, {"encoding": enc, "fields": fields})[0], "concat"
    encodings = {}
    for channel, value in enc.items():
        if isinstance(value, list):  # e.g. tooltip lists
            continue
        encodings[channel] = _parse_encoding(value)
    return [{"mark": _mark_type(spec), "encoding": encodings, "fields": fields}], "single"


class ChartQuestion(Question):
    """An altair chart (or its ``to_dict()``), checked by structure, not pixels.

    Give the expected structure either directly — ``mark="line"`` (or a set of
    acceptable marks), ``encodings={"x": "date:T", "y": "value:Q"}``, ``fields=[...]``
    that must be in the chart's data — or as ``expected=lambda: build_chart()``, from
    which mark and the ``channels`` encodings are read. For a layered answer expected,
    pass ``layers=[{"mark": ..., "encodings": ...}, ...]``.
    """

    kind = "chart"

    def __init__(
        self,
        *args: Any,
        mark: str | Iterable[str] | None = None,
        encodings: Mapping[str, Any] | None = None,
        fields: Iterable[str] = (),
        layers: Sequence[Mapping[str, Any]] | None = None,
        channels: Iterable[str] = ("x", "y", "color", "theta", "size", "shape", "row", "column"),
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.mark = {mark} if isinstance(mark, str) else (set(mark) if mark else None)
        self.encodings = {k: _parse_encoding(v) for k, v in (encodings or {}).items()}
        self.fields = [str(f) for f in fields]
        self.layers = [dict(layer) for layer in layers] if layers else None
        self.channels = tuple(channels)

    def expected_value(self) -> Any:
        if self._expected_source is None:
            if self.layers:
                return [
                    {
                        "mark": {layer["mark"]} if isinstance(layer.get("mark"), str)
                        else set(layer.get("mark") or []) or None,
                        "encoding": {
                            k: _parse_encoding(v) for k, v in (layer.get("encodings") or {}).items()
                        },
                    }
                    for layer in self.layers
                ]
            return [{"mark": self.mark, "encoding": self.encodings}]
        if self._expected_cache is _NOT_GIVEN:
            chart = super().expected_value()
            spec, problem = _chart_to_dict(chart)
            if spec is None:
                raise ValueError(problem)
            views, _ = _single_views(spec, spec.get("datasets") or {})
            self._expected_cache = [
                {
                    "mark": {v["mark"]} if v["mark"] else None,
                    "encoding": {
                        c: {k: e[k] for k in ("field", "type", "aggregate") if k in e}
                        for c, e in v["encoding"].items()
                        if c in self.channels
                    },
                }
                for v in views
            ]
        return self._expected_cache

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        spec, problem = _chart_to_dict(answer)
        if spec is None:
            return False, problem
        datasets = spec.get("datasets") if isinstance(spec.get("datasets"), Mapping) else {}
        views, structure = _single_views(spec, datasets)
        if not views:
            return False, "your chart has no marks to check."
        want_views = expected if isinstance(expected, list) else [expected]
        if len(want_views) == 1 and structure == "concat" and len(views) > 1:
            return False, (
                "this question asks for one chart, not several side by side or stacked "
                "(hconcat / vconcat / concat)."
            )
        if len(want_views) > 1 and len(views) < len(want_views):
            return False, (
                f"this question asks for a layered chart with {len(want_views)} layers "
                f"(alt.layer(...) or chart1 + chart2); yours has {len(views)}."
            )
        messages = []
        used: set[int] = set()
        for want in want_views:
            best = None
            for i, view in enumerate(views):
                if i in used:
                    continue
                msg = self._view_problem(view, want)
                if not msg:
                    best = (i, "")
                    break
                if best is None:
                    best = (i, msg)
            assert best is not None
            if best[1]:
                messages.append(best[1])
            else:
                used.add(best[0])
        if messages:
            prefix = "" if len(want_views) == 1 else "one of the layers: "
            return False, prefix + messages[0]
        all_fields = set().union(*(v["fields"] for v in views))
        if all_fields:
            missing = [f for f in self.fields if f not in all_fields]
            if missing:
                return False, (
                    "the chart's data lacks column(s) "
                    + ", ".join(repr(m) for m in missing)
                    + ": did you pass the right DataFrame to alt.Chart(...)?"
                )
        return True, ""

    @staticmethod
    def _view_problem(view: Mapping[str, Any], want: Mapping[str, Any]) -> str:
        marks = want.get("mark")
        if marks and view["mark"] is None:
            return "the chart has no mark: add .mark_line(), .mark_bar(), .mark_point()..."
        if marks and view["mark"] not in marks:
            return (
                f"the mark is {view['mark']!r}, which is not the kind of mark this question "
                "asks for: re-read the question (mark_line, mark_bar, mark_point...)."
            )
        for channel, enc in want.get("encoding", {}).items():
            got = view["encoding"].get(channel)
            if got is None:
                return f"the chart has no {channel!r} encoding: add {channel}=... to encode()."
            if "field" in enc and str(got.get("field", "")).casefold() != str(enc["field"]).casefold():
                shown = got.get("field", "nothing")
                return f"the {channel!r} channel shows {shown!r}, which is not the field asked for."
            if "aggregate" in enc and got.get("aggregate") != enc["aggregate"]:
                return f"the {channel!r} channel is not summarised the way the question asks."
            if "type" in enc and got.get("type") and got.get("type") != enc["type"]:
                return (
                    f"the {channel!r} channel is typed {got.get('type')!r}, which does not fit "
                    "this field (:Q quantitative, :N nominal, :O ordinal, :T temporal)."
                )
        return ""

