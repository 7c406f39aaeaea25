"""Carry answer values from the student's kernel to the grader as plain JSON data.

Why: the grader must never unpickle or eval anything a submission produced. The cell
appended to each notebook turns every answer variable into tagged JSON (numbers, text,
lists, pandas frames in "split" form, chart specs); :func:`decode` rebuilds only data the
checks understand, and anything else becomes an opaque stand-in that keeps its type name.
"""

from __future__ import annotations

import json
from typing import Any

from defection.checks.core import _Opaque

MAX_VALUE_BYTES = 5_000_000

# The cell the grader appends. It only reads variables and writes one JSON file; any
# failure becomes a marker for that variable.
_DUMP_CELL = r'''
def __defection_grader_dump(names, path, limit):
    import json, math, sys
    ns = globals()

    def tname(v):
        t = type(v)
        mod = (getattr(t, "__module__", "") or "").split(".")[0]
        name = getattr(t, "__qualname__", "object")
        return name if mod in ("builtins", "") else mod + " " + name

    def enc(v, depth=0):
        if depth > 20:
            return {"__opaque__": tname(v)}
        if v is Ellipsis:
            return {"__ellipsis__": 1}
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if abs(v) < 10**300 else float("inf") if v > 0 else float("-inf")
        if isinstance(v, float):
            return v
        mod = (getattr(type(v), "__module__", "") or "").split(".")[0]
        if mod == "numpy":
            np = sys.modules["numpy"]
            if isinstance(v, np.generic):
                return enc(v.item(), depth + 1)
            if isinstance(v, np.ndarray):
                return {"__list__": [enc(x, depth + 1) for x in v.ravel()[:200000].tolist()]}
        if mod == "pandas":
            pd = sys.modules["pandas"]
            if isinstance(v, pd.DataFrame):
                if v.size > 5_000_000:
                    return {"__opaque__": "pandas DataFrame (too large)"}
                return {"__frame__": v.to_json(orient="split", date_format="iso",
                                                default_handler=str, double_precision=15),
                        "dtypes": [str(d) for d in v.dtypes],
                        "index_dtype": str(v.index.dtype),
                        "index_names": [None if n is None else str(n) for n in v.index.names]}
            if isinstance(v, pd.Series):
                if v.size > 5_000_000:
                    return {"__opaque__": "pandas Series (too large)"}
                return {"__series__": v.to_json(orient="split", date_format="iso",
                                                 default_handler=str, double_precision=15),
                        "dtype": str(v.dtype), "index_dtype": str(v.index.dtype),
                        "index_names": [None if n is None else str(n) for n in v.index.names]}
            if isinstance(v, pd.Timestamp):
                return {"__timestamp__": v.isoformat()}
            if v is pd.NA or v is pd.NaT:
                return None
        if mod == "altair" and hasattr(v, "to_dict"):
            alt = sys.modules["altair"]
            with alt.data_transformers.enable(max_rows=None):
                return {"__chart__": v.to_dict(validate=False)}
        if isinstance(v, (list, tuple)):
            if len(v) > 200000:
                return {"__opaque__": tname(v) + " (too long)"}
            return {"__list__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, (set, frozenset)):
            if len(v) > 200000:
                return {"__opaque__": tname(v) + " (too long)"}
            return {"__set__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            if len(v) > 200000:
                return {"__opaque__": "dict (too long)"}
            return {"__dict__": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        return {"__opaque__": tname(v)}

    out = {}
    for name in names:
        try:
            if name not in ns:
                out[name] = json.dumps({"__missing__": 1})
                continue
            text = json.dumps(enc(ns[name]), allow_nan=True)
            if len(text) > limit:
                text = json.dumps({"__opaque__": tname(ns[name]) + " (too large)"})
            out[name] = text
        except BaseException as exc:
            out[name] = json.dumps({"__opaque__": tname(ns.get(name)), "__error__": type(exc).__name__})
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh)  # each value is itself a JSON text

__defection_grader_dump(__NAMES__, __PATH__, __LIMIT__)
del __defection_grader_dump
'''


def dump_cell_source(names: list[str], path: str, limit: int = MAX_VALUE_BYTES) -> str:
    return (
        _DUMP_CELL.replace("__NAMES__", repr(list(names)))
        .replace("__PATH__", repr(str(path)))
        .replace("__LIMIT__", str(int(limit)))
    )


def decode(obj: Any) -> Any:
    """Turn the kernel's JSON back into values the checks understand (data only)."""
    if isinstance(obj, list):
        return [decode(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    if "__missing__" in obj:
        return _Opaque("missing")
    if "__ellipsis__" in obj:
        return Ellipsis
    if "__list__" in obj:
        return [decode(x) for x in obj["__list__"]]
    if "__set__" in obj:
        items = [decode(x) for x in obj["__set__"]]
        try:
            return set(items)
        except TypeError:
            return items
    if "__dict__" in obj:
        out = {}
        for key, value in obj["__dict__"]:
            key = decode(key)
            try:
                out[key] = decode(value)
            except TypeError:
                out[str(key)] = decode(value)
        return out
    if "__timestamp__" in obj:
        import pandas as pd

        return pd.Timestamp(obj["__timestamp__"])
    if "__chart__" in obj:
        return obj["__chart__"]
    if "__frame__" in obj or "__series__" in obj:
        return _decode_pandas(obj)
    if "__opaque__" in obj:
        return _Opaque(str(obj["__opaque__"]))
    return {k: decode(v) for k, v in obj.items()}


def _restore(values: Any, dtype: str) -> Any:
    import pandas as pd

    s = pd.Series(values, dtype=object)
    try:
        if "datetime" in dtype:
            out = pd.to_datetime(s, errors="coerce", utc="UTC" in dtype or "tz" in dtype)
            return out
        if dtype.lower().startswith(("int", "uint", "float")):
            num = pd.to_numeric(s, errors="coerce")
            return num.astype(dtype) if dtype[0].isupper() else num
        if dtype == "bool" or dtype == "boolean":
            return s.astype("boolean") if s.isna().any() else s.astype(bool)
    except Exception:
        return s
    return s


def _index(values: list, dtype: str, names: list) -> Any:
    import pandas as pd

    if values and all(isinstance(v, list) for v in values):
        return pd.MultiIndex.from_tuples([tuple(v) for v in values], names=names or None)
    idx = pd.Index(_restore(values, dtype))
    if names:
        idx.name = names[0]
    return idx


def _decode_pandas(obj: dict) -> Any:
    import pandas as pd

    if "__frame__" in obj:
        split = json.loads(obj["__frame__"])
        cols = split.get("columns", [])
        rows = split.get("data", [])
        dtypes = obj.get("dtypes") or ["object"] * len(cols)
        columns = {}
        for i, _ in enumerate(cols):
            columns[i] = _restore([r[i] for r in rows], dtypes[i] if i < len(dtypes) else "object")
        df = pd.DataFrame({i: c.reset_index(drop=True) for i, c in columns.items()})
        if not columns:
            df = pd.DataFrame(index=range(len(split.get("index", []))))
        df.columns = [tuple(c) if isinstance(c, list) else c for c in cols] if cols else df.columns
        df.index = _index(split.get("index", []), obj.get("index_dtype", "object"), obj.get("index_names"))
        return df
    split = json.loads(obj["__series__"])
    s = _restore(split.get("data", []), obj.get("dtype", "object")).reset_index(drop=True)
    s.index = _index(split.get("index", []), obj.get("index_dtype", "object"), obj.get("index_names"))
    s.name = split.get("name")
    return s
