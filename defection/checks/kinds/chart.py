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


def _first_line(text: str, limit: int = 220) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _schema_problem(spec: Mapping[str, Any]) -> str:
    """What the Vega-Lite schema says is wrong with ``spec`` ("" when it is valid).

    This is the validation altair runs when it displays a chart, applied to the spec as a
    plain dict, so the grader (which receives dicts) and the notebook reach the same verdict.
    """
    import altair as alt

    root = getattr(alt, "Root", None)
    if root is None:  # pragma: no cover - every supported altair has Root
        return ""
    try:
        root.validate(dict(spec))
    except Exception as exc:  # jsonschema.ValidationError and friends
        return _first_line(getattr(exc, "message", "") or str(exc))
    return ""


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


def _value_key(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(f"{float(value):.9g}")
    return str(value)


def _row_counter(rows: list, columns: Sequence[str]):
    from collections import Counter

    return Counter(
        tuple(_value_key(row.get(c)) if isinstance(row, Mapping) else None for c in columns)
        for row in rows
    )


def rows_of(frame: Any) -> list:
    """The rows altair would embed for ``frame`` (dates as ISO text), for comparing a
    chart's data with the table a task names."""
    import altair as alt

    with alt.data_transformers.enable(max_rows=None):
        spec = alt.Chart(frame).mark_point().to_dict(validate=False)
    rows = _rows(spec, spec.get("datasets") or {})
    return list(rows or [])


class ChartQuestion(Question):
    """An altair chart (or its ``to_dict()``), checked by structure, data and labels.

    A chart passes only if altair could display it: the spec is validated against the
    Vega-Lite schema (as altair does on display), and every field it encodes must be a
    column of its data. Then what the task asks for is checked:

    * the structure — ``mark="line"`` (or a set of acceptable marks),
      ``encodings={"x": "date:T", "y": "value:Q"}``, ``fields=[...]`` that must be in the
      chart's data — or ``expected=lambda: build_chart()``, from which mark and the
      ``channels`` encodings are read; ``layers=[{"mark": ..., "encodings": ...}, ...]``
      for a layered answer;
    * the rows — ``data=lambda: table`` (the table the task names): the chart's data must
      hold the same rows (compared on the columns both have, in any order);
      ``data_hint`` says in words which rows, for the message;
    * the labels — ``titles=("x", "y")`` channels that need a title, ``chart_title=True``
      for a chart title, ``tooltip=True`` (or a list of fields the tooltip must show).

    ``alternatives=[{...}, ...]`` accepts any of several structures (each a dict of the
    keyword arguments above: mark, encodings, fields, data); the labels and the hint are
    shared. The message comes from the alternative the answer got furthest with.
    """

    kind = "chart"
    _feedback_guard = False  # a chart cannot be steered to by its messages: they stay whole

    def __init__(
        self,
        *args: Any,
        mark: str | Iterable[str] | None = None,
        encodings: Mapping[str, Any] | None = None,
        fields: Iterable[str] = (),
        layers: Sequence[Mapping[str, Any]] | None = None,
        channels: Iterable[str] = ("x", "y", "color", "theta", "size", "shape", "row", "column"),
        data: Any = None,
        data_hint: str = "",
        titles: Iterable[str] = (),
        chart_title: bool = False,
        tooltip: bool | Iterable[str] = False,
        alternatives: Sequence[Mapping[str, Any]] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.mark = {mark} if isinstance(mark, str) else (set(mark) if mark else None)
        self.encodings = {k: _parse_encoding(v) for k, v in (encodings or {}).items()}
        self.fields = [str(f) for f in fields]
        self.layers = [dict(layer) for layer in layers] if layers else None
        self.channels = tuple(channels)
        self._data_source = data
        self._data_cache: Any = _NOT_GIVEN
        self.data_hint = data_hint
        self.titles = tuple(titles)
        self.chart_title = bool(chart_title)
        if isinstance(tooltip, bool):
            self.tooltip, self.tooltip_fields = tooltip, []
        else:
            self.tooltip_fields = [str(f) for f in tooltip]
            self.tooltip = True
        self.alternatives = [
            ChartQuestion(self.name, None, data_hint=data_hint, **dict(a))
            for a in (alternatives or [])
        ]

    # ---- what is expected ----------------------------------------------------------
    def _expected_value(self) -> Any:
        if self.alternatives:
            return [a._expected_value() for a in self.alternatives]
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
            chart = super()._expected_value()
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

    def _expected_rows(self) -> list | None:
        """The rows the task's table holds, as altair embeds them (None: not checked)."""
        if self._data_source is None:
            return None
        if self._data_cache is _NOT_GIVEN:
            src = self._data_source
            frame = src() if callable(src) else src
            self._data_cache = rows_of(frame)
        return self._data_cache

    # ---- comparing -----------------------------------------------------------------
    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        spec, problem = _chart_to_dict(answer)
        if spec is None:
            return False, problem
        datasets = spec.get("datasets") if isinstance(spec.get("datasets"), Mapping) else {}
        views, structure = _single_views(spec, datasets)
        if not views:
            return False, "your chart has no marks to check."
        missing = self._missing_fields(views)
        if missing:
            return False, missing
        if self.alternatives and isinstance(expected, list) and len(expected) == len(
            self.alternatives
        ):
            best = (-1, "")
            for alt_q, alt_views in zip(self.alternatives, expected):
                stage, message = alt_q._problem(spec, views, structure, alt_views)
                if not message:
                    best = (99, "")
                    break
                if stage > best[0]:
                    best = (stage, message)
            if best[1]:
                return False, best[1]
        else:
            _, message = self._problem(spec, views, structure, expected)
            if message:
                return False, message
        labels = self._label_problem(spec, views)
        if labels:
            return False, labels
        return True, ""

    def _problem(self, spec, views, structure, expected) -> tuple[int, str]:
        """(how far the answer got, what is wrong) against one expected structure."""
        want_views = expected if isinstance(expected, list) else [expected]
        if len(want_views) == 1 and structure == "concat" and len(views) > 1:
            return 0, (
                "this question asks for one chart, not several side by side or stacked "
                "(hconcat / vconcat / concat)."
            )
        if len(want_views) > 1 and len(views) < len(want_views):
            return 0, (
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
            return 1, prefix + messages[0]
        all_fields = set().union(*(v["fields"] for v in views))
        if all_fields:
            missing = [f for f in self.fields if f not in all_fields]
            if missing:
                return 2, (
                    "the chart's data lacks column(s) "
                    + ", ".join(repr(m) for m in missing)
                    + ": did you pass the right DataFrame to alt.Chart(...)?"
                )
        rows_message = self._rows_problem(views)
        if rows_message:
            return 3, rows_message
        return 4, ""

    def _mistake_message(self, answer: Any) -> str:
        """Chart mistakes are structures (``[{"mark": ..., "encoding": ...}]``, or a list of
        them): an answer matches one when its marks and encodings fit, whatever its data."""
        spec, _ = _chart_to_dict(answer)
        if spec is None:
            return ""
        datasets = spec.get("datasets") if isinstance(spec.get("datasets"), Mapping) else {}
        views, structure = _single_views(spec, datasets)
        probe = ChartQuestion(self.name, None)
        for wrong, message in self._mistakes:
            try:
                value = wrong() if callable(wrong) else wrong
            except Exception:
                continue
            several = isinstance(value, list) and value and isinstance(value[0], list)
            for option in value if several else [value]:
                if not probe._problem(spec, views, structure, option)[1]:
                    return message
        return ""

    @staticmethod
    def _missing_fields(views: Sequence[Mapping[str, Any]]) -> str:
        """A field the chart encodes that its data does not have: the chart would draw
        nothing (or nonsense) for it, so it does not really render."""
        for view in views:
            if not view["fields"] or view["rows"] is None:
                continue  # data given by URL or not at all: nothing to compare with
            for channel, field in _encoded_fields(view["raw"]):
                if field in view["fields"] or "." in field or "[" in field:
                    continue
                cols = ", ".join(repr(c) for c in sorted(view["fields"])[:12])
                return (
                    f"the {channel!r} channel uses the field {field!r}, but the chart's data "
                    f"has no column of that name (its columns: {cols}). Check the spelling, "
                    "or pass the table that has it to alt.Chart(...)."
                )
        return ""

    def _rows_problem(self, views: Sequence[Mapping[str, Any]]) -> str:
        want = self._expected_rows()
        if want is None:
            return ""
        got = next((v["rows"] for v in views if v["rows"] is not None), None)
        which = self.data_hint or "the table the task names"
        if got is None:
            return (
                f"I cannot see the rows your chart is drawn from: build it from {which} "
                "with alt.Chart(table)."
            )
        want_cols = {str(k) for r in want[:50] if isinstance(r, Mapping) for k in r}
        got_cols = {str(k) for r in got[:50] if isinstance(r, Mapping) for k in r}
        common = sorted(want_cols & got_cols)
        if len(got) != len(want):
            return (
                f"your chart is drawn from {len(got)} rows, which is not the set of rows the "
                f"task asks for: build it from {which}."
            )
        if not common or _row_counter(got, common) != _row_counter(want, common):
            return (
                f"your chart has as many rows as it should, but not the same ones (or not the "
                f"same values): build it from {which}, without changing its values."
            )
        return ""

    def _label_problem(self, spec: Mapping[str, Any], views: Sequence[Mapping[str, Any]]) -> str:
        if self.chart_title and not _has_text(spec.get("title")) and not any(
            _has_text(v.get("title")) for v in (spec.get("layer") or []) if isinstance(v, Mapping)
        ):
            return (
                "the chart has no title: the task asks for one. Add "
                '.properties(title="...") saying what the chart shows.'
            )
        for channel in self.titles:
            if not any(_channel_title(v["raw"], channel) for v in views if channel in v["raw"]):
                return (
                    f"the {channel!r} axis has no title of your own: the task asks for axis "
                    f'titles. Write {channel}=alt.{channel.upper()}("field:type", title="...").'
                )
        if self.tooltip:
            shown = [_tooltip_fields(v) for v in views]
            if all(s is None for s in shown):
                return (
                    "the chart has no tooltip: the task asks for one. Add "
                    'tooltip=["field1", "field2", ...] to .encode(...).'
                )
            fields = set().union(*(s for s in shown if s))
            lacking = [f for f in self.tooltip_fields if f not in fields]
            if lacking:
                return (
                    "the tooltip does not show "
                    + ", ".join(repr(f) for f in lacking)
                    + ", which the task asks it to show."
                )
        return ""

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
            want_field = str(enc.get("field", "")).casefold()
            if "field" in enc and str(got.get("field", "")).casefold() != want_field:
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
