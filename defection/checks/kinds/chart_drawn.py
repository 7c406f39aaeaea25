"""What Vega actually draws for a chart: every mark item after all transforms, with its row.

A chart's spec can look right while drawing nothing: a filter Vega cannot parse, a filter
that keeps one row, a sample, opacity 0. Reading the spec cannot see that, and evaluating
Vega's transforms and expression language by hand would drift from Vega. So the chart is
drawn by Vega itself, offline, through vl-convert (the same Vega and Vega-Lite that
altair's renderers use): the spec is compiled to Vega, each data mark is told to carry
the fields we ask for in its item (through the item's ``description``, which the
scenegraph keeps), and the scenegraph lists every item that would be on screen.

No data is fetched: external URLs are refused, so a chart built from a file or web
address says so instead of reaching the network (the grader draws charts too).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: What an item carries for a field its row does not have (JSON has no "undefined").
MISSING = "\u0000missing"
#: Largest generated sequence (alt.sequence) drawn; bigger ones are refused, not computed.
MAX_SEQUENCE = 100_000

_DATUM_FIELD = re.compile(r'datum\[\\?"((?:[^"\\]|\\.)*?)\\?"\]')


#: Address space Vega's engine (V8 in vl-convert) reserves at start: under a smaller
#: RLIMIT_AS it aborts the whole process (measured: fails at 64 GB, starts at 256 GB).
ENGINE_ADDRESS_SPACE = 256 * 2**30


class DrawError(Exception):
    """Vega cannot draw the chart; ``str(exc)`` is a plain sentence for the student."""


class CannotDrawHere(DrawError):
    """This process cannot start Vega's engine (its address space is capped, as in the
    grader's kernels): the caller falls back to reading the spec. Raised before trying,
    because the engine's failure there is an abort that no ``except`` can catch."""


def engine_blocked() -> str:
    """Why Vega's engine cannot start in this process ("" when it can)."""
    if os.name != "posix":
        return ""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, ValueError, OSError):
        return ""
    if soft == resource.RLIM_INFINITY or soft >= ENGINE_ADDRESS_SPACE:
        return ""
    return f"this process's address space is capped at {soft // 2**20} MB"


@dataclass
class DrawnMark:
    """One data mark as drawn: its kind and, per item, the requested fields and look."""

    name: str
    marktype: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    reads: set[str] = field(default_factory=set)


def vega_field_name(enc: Mapping[str, Any]) -> str | None:
    """The name Vega-Lite gives the field an encoding draws (``mean(value)`` draws
    ``mean_value``, ``count()`` draws ``__count``), for reading it back from drawn rows."""
    agg = enc.get("aggregate")
    name = enc.get("field")
    if agg == "count":
        return "__count"
    if not isinstance(name, str) or not name:
        return None
    if isinstance(agg, str) and agg:
        return f"{agg}_{name}"
    if isinstance(enc.get("timeUnit"), str):
        return f"{enc['timeUnit']}_{name}"
    return name


def _vl_version() -> str | None:
    """The Vega-Lite version altair writes, when vl-convert carries it (else its latest)."""
    import altair as alt
    import vl_convert as vlc

    wanted = str(getattr(alt, "SCHEMA_VERSION", "")).lstrip("v").split(".")[:2]
    have = vlc.get_vegalite_versions()
    key = ".".join(wanted)
    return key if key in have else None


def _plain_error(exc: Exception) -> str:
    """The sentence Vega said, without the JavaScript stack or bundle addresses."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("at ") or "conversion failed" in line:
            continue
        line = re.sub(r"^(Error|TypeError|SyntaxError|ReferenceError):\s*", "", line)
        line = re.sub(r"https?://\S+", "", line).strip()
        if line:
            return line if len(line) <= 200 else line[:199] + "…"
    return type(exc).__name__


def _cannot_draw(exc: Exception) -> str:
    said = _plain_error(exc)
    where = (
        " Look at the expressions in your transforms (transform_filter, "
        "transform_calculate...): each must be a complete condition or formula on fields "
        'of the table, such as "datum.year >= 2021".'
        if re.search(r"(?i)unexpected|expression|parse|token|unknown|not defined", said)
        else " Show the chart in its own cell to see where it fails."
    )
    return f"Vega cannot draw your chart (it says: {said.rstrip('.')}).{where}"


def _refuse_unsafe_data(spec: Any) -> None:
    """Data the checker will not draw: files and web addresses (never fetched) and huge
    generated sequences (which would tie up the notebook or the grader)."""
    if isinstance(spec, Mapping):
        data = spec.get("data")
        if isinstance(data, Mapping):
            if isinstance(data.get("url"), str):
                raise DrawError(
                    f"your chart reads its data from {data['url']!r}, a file or web address "
                    "the check cannot open: build it from the table itself, alt.Chart(table)."
                )
            seq = data.get("sequence")
            if isinstance(seq, Mapping):
                try:
                    span = (float(seq.get("stop", 0)) - float(seq.get("start", 0))) / float(
                        seq.get("step", 1) or 1
                    )
                except (TypeError, ValueError):
                    span = math.inf
                if not math.isfinite(span) or span > MAX_SEQUENCE:
                    raise DrawError(
                        "your chart generates a very long sequence of rows: build it from "
                        "the table the task names instead."
                    )
        for value in spec.values():
            _refuse_unsafe_data(value)
    elif isinstance(spec, list):
        for value in spec:
            _refuse_unsafe_data(value)


def _data_marks(marks: Iterable[Any]):
    """Every mark of a Vega spec drawn from data (not a group), however deeply nested."""
    for mark in marks or []:
        if not isinstance(mark, dict):
            continue
        if mark.get("type") == "group":
            yield from _data_marks(mark.get("marks"))
        elif isinstance(mark.get("from"), Mapping):
            yield mark


def _without_guides(node: dict) -> None:
    """Drop axes, legends and titles: they never change what the data marks draw, and
    laying out their text is nine tenths of Vega's drawing time (330 ms -> 20 ms)."""
    for key in ("axes", "legends", "title"):
        node.pop(key, None)
    for mark in node.get("marks", []) or []:
        if isinstance(mark, dict) and mark.get("type") == "group":
            _without_guides(mark)


def _fields_read(mark: Mapping[str, Any]) -> set[str]:
    """The row fields a compiled mark's encodings read (positions, colour, tooltip...)."""
    found: set[str] = set()
    encode = mark.get("encode")

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if isinstance(node.get("field"), str):
                found.add(node["field"])
            if isinstance(node.get("signal"), str):
                for raw in _DATUM_FIELD.findall(node["signal"]):
                    found.add(json.loads(f'"{raw}"'))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(encode)
    return {f for f in found if f}


def _instrument(vega: dict, keys: Sequence[str]) -> dict[str, set[str]]:
    """Make each data mark carry ``keys`` (and the fields it reads) in its items'
    description; returns what each mark reads, by mark name."""
    reads: dict[str, set[str]] = {}
    for i, mark in enumerate(_data_marks(vega.get("marks"))):
        name = str(mark.get("name") or f"mark_{i}")
        mark["name"] = name
        own = _fields_read(mark)
        reads[name] = own
        wanted = list(dict.fromkeys([*keys, *sorted(own)]))
        parts = [
            f"(isDefined(datum[{json.dumps(k)}]) ? datum[{json.dumps(k)}] : {json.dumps(MISSING)})"
            for k in wanted
        ]
        signal = "[" + ", ".join(parts) + "]"
        encode = mark.setdefault("encode", {})
        update = encode.setdefault("update", {})
        update["description"] = {"signal": signal}
        mark["aria"] = True
        mark["_keys"] = wanted
    return reads


def _collect(node: Any, out: list[dict]) -> None:
    if isinstance(node, Mapping):
        if node.get("role") == "mark" and node.get("marktype") != "group":
            out.append(node)
        for item in node.get("items", []) or []:
            _collect(item, out)


def draw(spec: Mapping[str, Any], keys: Sequence[str] = ()) -> list[DrawnMark]:
    """Draw a Vega-Lite spec with Vega; the data marks as drawn, each item with ``keys``.

    Raises :class:`DrawError` with a plain sentence when Vega cannot draw it.
    """
    try:
        import vl_convert as vlc
    except ImportError as exc:  # the course pins it; an old install may lack it
        raise DrawError(
            "the chart check draws your chart with the package vl-convert-python, which "
            "is not installed here: install the course's requirements again "
            "(pip install -r requirements.txt) and restart the kernel."
        ) from exc
    _refuse_unsafe_data(spec)
    blocked = engine_blocked()
    if blocked:
        raise CannotDrawHere(blocked)
    try:
        vega = vlc.vegalite_to_vega(dict(spec), vl_version=_vl_version())
    except Exception as exc:
        raise DrawError(_cannot_draw(exc)) from exc
    _without_guides(vega)
    reads = _instrument(vega, keys)
    names = {}
    for mark in _data_marks(vega.get("marks")):
        names[mark["name"]] = mark.pop("_keys")
    try:
        scene = vlc.vega_to_scenegraph(vega, allowed_base_urls=[])
    except Exception as exc:
        raise DrawError(_cannot_draw(exc)) from exc
    found: list[dict] = []
    _collect(scene.get("scenegraph"), found)
    drawn: dict[str, DrawnMark] = {}
    for node in found:
        name = str(node.get("name") or "")
        wanted = names.get(name)
        if wanted is None:
            continue  # axes, legends, titles: not the student's data
        mark = drawn.setdefault(
            name, DrawnMark(name, str(node.get("marktype")), reads=reads.get(name, set()))
        )
        for item in node.get("items", []) or []:
            if not isinstance(item, Mapping):
                continue
            values = item.get("description")
            row = (
                dict(zip(wanted, values))
                if isinstance(values, list) and len(values) == len(wanted)
                else {}
            )
            mark.rows.append(row)
            mark.items.append({k: v for k, v in item.items() if k != "description"})
    for name in names:  # a mark with no item at all still counts, as drawing nothing
        if name not in drawn:
            drawn[name] = DrawnMark(name, "", reads=reads.get(name, set()))
    return list(drawn.values())


def _number(value: Any, default: float) -> float:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, (int, float)):
        return float(value)
    return default


def _no_paint(colour: Any) -> bool:
    return colour is None or str(colour).strip().lower() in ("", "none", "transparent")


def invisible_reason(marktype: str, item: Mapping[str, Any]) -> str:
    """Why one drawn item cannot be seen ("" when it can)."""
    if _number(item.get("opacity"), 1.0) <= 0:
        return "opacity 0"
    for axis in ("x", "y"):
        if axis in item and (
            item[axis] is None
            or (isinstance(item[axis], float) and not math.isfinite(item[axis]))
        ):
            return f"no {axis} position"
    if marktype == "symbol" and _number(item.get("size"), 64.0) <= 0:
        return "size 0"
    if marktype == "text":
        text = item.get("text")
        if text is None or not str(text).strip():
            return "no text"
    if marktype == "rect" and (
        _number(item.get("width"), 1.0) <= 0 or _number(item.get("height"), 1.0) <= 0
    ):
        return "zero width or height"
    fill_shows = not _no_paint(item.get("fill")) and _number(item.get("fillOpacity"), 1.0) > 0
    stroke_shows = (
        not _no_paint(item.get("stroke"))
        and _number(item.get("strokeOpacity"), 1.0) > 0
        and _number(item.get("strokeWidth"), 1.0) > 0
    )
    if marktype in ("line", "rule") and not stroke_shows:
        return "no visible stroke"
    if marktype not in ("line", "rule", "text", "image") and not (fill_shows or stroke_shows):
        return "no visible fill or stroke"
    return ""


def value_key(value: Any) -> Any:
    """A drawn value in a form that compares equal when it looks equal on screen."""
    if value is None or value == MISSING or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(f"{float(value):.9g}")
    return str(value)
