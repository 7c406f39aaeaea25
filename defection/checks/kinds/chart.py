"""Chart questions: an altair chart judged by what Vega draws, its structure and labels.

The spec says what the student asked for (mark, encodings, titles); the drawing says what
they will see (the rows left after every transform, whether anything is visible). Both
are needed: a right-looking spec with a filter that keeps no row draws an empty frame.
Reading specs lives in :mod:`chart_spec`, drawing in :mod:`chart_drawn`, verdicts on the
drawing in :mod:`chart_judge`; this module holds the question and what it asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from defection.checks.kinds.chart_drawn import (
    CannotDrawHere,
    DrawError,
    DrawnMark,
    draw,
    vega_field_name,
)
from defection.checks.kinds.chart_judge import judge_drawing, rows_problem, spec_rows_problem
from defection.checks.kinds.chart_spec import (
    _channel_title,
    _chart_to_dict,
    _encoded_fields,
    _has_text,
    _parse_encoding,
    _single_views,
    _tooltip_fields,
    rows_of,
)
from defection.checks.question import Question
from defection.checks.results import _NOT_GIVEN

__all__ = ["ChartQuestion", "rows_of"]


class ChartQuestion(Question):
    """An altair chart (or its ``to_dict()``), judged by what it draws and how it is built.

    A chart passes only if altair could display it (the spec fits the Vega-Lite schema,
    and every field it encodes is a column of its data) and Vega can draw it: the chart
    is drawn offline (:mod:`chart_drawn`), and it must draw something, something visible,
    with every field its marks use present in the drawn rows. Then what the task asks:

    * the structure — ``mark="line"`` (or a set of acceptable marks),
      ``encodings={"x": "date:T", "y": "value:Q"}``, ``fields=[...]`` that must be in the
      chart's data — or ``expected=lambda: build_chart()``, from which mark and the
      ``channels`` encodings are read; ``layers=[{"mark": ..., "encodings": ...}, ...]``
      for a layered answer;
    * the rows — ``data=lambda: table`` (the table the task names): the rows the chart
      draws, after every filter, sample or aggregate, must be those the asked-for chart
      of that table draws (compared on the encoded fields, in any order);
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
        self._table_cache: Any = _NOT_GIVEN
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

    def _asked(self) -> tuple[str, dict[str, dict[str, Any]]]:
        """The mark and encodings the task asks for (a layered task: its first layer)."""
        if self.layers:
            first = self.layers[0]
            mark = first.get("mark")
            marks = [mark] if isinstance(mark, str) else sorted(mark or [])
            encodings = {k: _parse_encoding(v) for k, v in (first.get("encodings") or {}).items()}
        else:
            marks, encodings = sorted(self.mark or []), self.encodings
        return (marks[0] if marks else "point"), encodings

    def _compare_keys(self) -> list[str]:
        """The drawn fields the task's encodings name (``mean(success)`` draws
        ``mean_success``): the drawn rows are compared on these."""
        names = (vega_field_name(e) for e in self._asked()[1].values())
        return list(dict.fromkeys(n for n in names if n))

    def _drawn_keys(self) -> list[str]:
        keys = self._compare_keys()
        for alt_q in self.alternatives:
            keys.extend(alt_q._compare_keys())
        return list(dict.fromkeys(keys))

    def _table_rows(self) -> list:
        """The task's table as altair embeds it (dates as ISO text)."""
        if self._table_cache is _NOT_GIVEN:
            src = self._data_source
            self._table_cache = rows_of(src() if callable(src) else src)
        return self._table_cache

    def _expected_rows(self) -> list | None:
        """The rows Vega draws for the task's table with the asked-for mark and encodings,
        on :meth:`_compare_keys` (None: rows not checked). Drawn, not read from the table,
        so that rows Vega leaves out (no valid value) are left out on both sides."""
        if self._data_source is None:
            return None
        if self._data_cache is _NOT_GIVEN:
            mark, encodings = self._asked()
            spec = {
                "data": {"values": self._table_rows()},
                "mark": {"type": mark},
                "encoding": {c: dict(e) for c, e in encodings.items()},
            }
            keys = self._compare_keys()
            self._data_cache = [
                {k: row.get(k) for k in keys} for m in draw(spec, keys) for row in m.rows
            ]
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
        drawn: Sequence[DrawnMark] | None
        try:
            drawn = draw(spec, self._drawn_keys())
        except CannotDrawHere:
            drawn = None  # the spec's own rows are compared instead
        except DrawError as exc:
            return False, str(exc)
        if self.alternatives and isinstance(expected, list) and len(expected) == len(
            self.alternatives
        ):
            best = (-1, "")
            for alt_q, alt_views in zip(self.alternatives, expected):
                stage, message = alt_q._problem(spec, views, structure, alt_views, drawn)
                if not message:
                    best = (99, "")
                    break
                if stage > best[0]:
                    best = (stage, message)
            if best[1]:
                return False, best[1]
        else:
            _, message = self._problem(spec, views, structure, expected, drawn)
            if message:
                return False, message
        labels = self._label_problem(spec, views)
        if labels:
            return False, labels
        return True, ""

    def _problem(
        self, spec, views, structure, expected, drawn: Sequence[DrawnMark] | None = None,
        rows: bool = True,
    ) -> tuple[int, str]:
        """(how far the answer got, what is wrong) against one expected structure; the
        rows are compared unless ``rows`` is false (predicted mistakes are structures):
        the drawn ones, or the spec's own when ``drawn`` is None (cannot draw here)."""
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
        if drawn is not None and rows:  # the structure is right: is it drawn, and seen?
            drawing = judge_drawing(spec, drawn, all_fields)
            if drawing:
                return 3, drawing
        rows_message = self._rows_problem(views, drawn) if rows else ""
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
                if not probe._problem(spec, views, structure, option, rows=False)[1]:
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

    def _rows_problem(
        self, views: Sequence[Mapping[str, Any]], drawn: Sequence[DrawnMark] | None
    ) -> str:
        if self._data_source is None:
            return ""
        which = self.data_hint or "the table the task names"
        if drawn is None:
            got = next((v["rows"] for v in views if v["rows"] is not None), None)
            return spec_rows_problem(got, self._table_rows(), which)
        return rows_problem(drawn, self._expected_rows(), self._compare_keys(), which)

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
