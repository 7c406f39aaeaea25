"""Frame questions: a pandas DataFrame or Series, compared column by column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from defection.checks.question import Form, Question
from defection.checks.values import _describe, _norm_item


def _column_mismatches(a: Any, b: Any, rtol: float, atol: float) -> int:
    """Number of positions where two equally long Series differ (NA equals NA)."""
    import numpy as np
    import pandas as pd

    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    num = pd.api.types.is_numeric_dtype
    if (num(a.dtype) or pd.api.types.is_bool_dtype(a.dtype)) and (
        num(b.dtype) or pd.api.types.is_bool_dtype(b.dtype)
    ):
        x = pd.to_numeric(a, errors="coerce").astype("float64").to_numpy()
        y = pd.to_numeric(b, errors="coerce").astype("float64").to_numpy()
        close = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
        return int((~close).sum())
    dt = pd.api.types.is_datetime64_any_dtype
    if dt(a.dtype) or dt(b.dtype):
        x = pd.to_datetime(a, errors="coerce")
        y = pd.to_datetime(b, errors="coerce")
        if getattr(x.dt, "tz", None) is not None:
            x = x.dt.tz_localize(None)
        if getattr(y.dt, "tz", None) is not None:
            y = y.dt.tz_localize(None)
        same = (x == y) | (x.isna() & y.isna())
        return int((~same.to_numpy(dtype=bool)).sum())
    xa = a.astype(object)
    ya = b.astype(object)
    na_a = pd.isna(xa).to_numpy(dtype=bool)
    na_b = pd.isna(ya).to_numpy(dtype=bool)
    sa = np.array([_norm_item(v) if not n else None for v, n in zip(xa, na_a)], dtype=object)
    sb = np.array([_norm_item(v) if not n else None for v, n in zip(ya, na_b)], dtype=object)
    same = np.array([p == q for p, q in zip(sa, sb)], dtype=bool)
    return int((~same).sum())


def _kind_of(dtype: Any) -> str:
    import pandas as pd

    if pd.api.types.is_bool_dtype(dtype):
        return "True/False"
    if pd.api.types.is_numeric_dtype(dtype):
        return "numbers"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "dates"
    return "text"


class FrameQuestion(Question):
    """A pandas DataFrame or Series compared by type, columns, shape, index and values.

    Options: ``check_index`` (row labels must match; default True), ``ignore_row_order``
    (default False), ``check_column_order`` (default False), ``columns`` (compare only
    these columns; others may be present), ``rtol``/``atol`` for numbers, ``order`` (what to
    say when the rows are right but in another order, e.g. the order the prompt names).
    Messages name missing/extra columns and which column differs, never expected values.
    """

    kind = "frame"

    def __init__(
        self,
        *args: Any,
        check_index: bool = True,
        ignore_row_order: bool = False,
        check_column_order: bool = False,
        columns: Sequence[str] | None = None,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        order: str = "",
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.check_index = check_index
        self.ignore_row_order = ignore_row_order
        self.check_column_order = check_column_order
        self.columns = list(columns) if columns is not None else None
        self.rtol = rtol
        self.atol = atol
        self.order = order

    def _compare(self, answer: Any, expected: Any) -> tuple[bool, str]:
        import pandas as pd

        if isinstance(expected, pd.Series):
            if isinstance(answer, pd.DataFrame):
                if answer.shape[1] == 1:
                    answer = answer.iloc[:, 0]
                else:
                    return False, Form(
                        "expected a Series (one column), got a DataFrame with "
                        f"{answer.shape[1]} columns: select one column with df['name']."
                    )
            if not isinstance(answer, pd.Series):
                return False, Form(f"expected a pandas Series, got {_describe(answer)}.")
            return self._compare_frames(answer.to_frame("value"), expected.to_frame("value"), True)
        if isinstance(answer, pd.Series):
            return False, Form(
                "expected a DataFrame (table), got a Series: keep it a table, e.g. "
                "df[['col']] with double brackets, or .reset_index()."
            )
        if not isinstance(answer, pd.DataFrame):
            return False, Form(f"expected a pandas DataFrame, got {_describe(answer)}.")
        return self._compare_frames(answer, expected, False)

    def _compare_frames(self, got: Any, exp: Any, series: bool) -> tuple[bool, str]:
        import pandas as pd

        what = "Series" if series else "DataFrame"
        if not series:
            got_cols = [str(c) for c in got.columns]
            exp_cols = [str(c) for c in exp.columns]
            if len(set(got_cols)) != len(got_cols):
                return False, Form("your DataFrame has duplicate column names.")
            wanted = self.columns if self.columns is not None else exp_cols
            missing = [c for c in wanted if c not in got_cols]
            extra = [] if self.columns is not None else [c for c in got_cols if c not in exp_cols]
            if missing or extra:
                parts = []
                if missing:
                    parts.append("missing column(s): " + ", ".join(repr(c) for c in missing))
                if extra:
                    parts.append("unexpected column(s): " + ", ".join(repr(c) for c in extra))
                return False, Form("; ".join(parts) + ".")
            if self.check_column_order and self.columns is None and got_cols != exp_cols:
                return False, Form("the columns are right but in a different order.")
            got = got.set_axis(got_cols, axis=1)[wanted]
            exp = exp.set_axis(exp_cols, axis=1)[wanted]
        if len(got) != len(exp):
            more = "too many" if len(got) > len(exp) else "too few"
            return False, (
                f"your {what} has {len(got)} rows: that is {more}. Check your filter or grouping."
            )
        if len(got) == 0:
            return True, ""
        if self.ignore_row_order:
            got, exp = _sorted_rows(got), _sorted_rows(exp)
        elif self.check_index:
            gi = pd.Series(got.index.to_flat_index(), dtype=object).map(str)
            ei = pd.Series(exp.index.to_flat_index(), dtype=object).map(str)
            if _column_mismatches(gi, ei, 0, 0):
                if _column_mismatches(gi.sort_values(), ei.sort_values(), 0, 0) == 0:
                    # same labels, different order: maybe sorted differently
                    if self._values_match(got.loc[exp.index], exp):
                        return False, Form(
                            "the values are right but the rows are in a different order: "
                            "check sort_values / sort_index."
                        )
                return False, (
                    "the row labels (index) are not the expected ones: did you "
                    "set_index() / reset_index(), or group by the right column?"
                )
        bad = self._bad_columns(got, exp)
        if not bad:
            return True, ""
        if not self.ignore_row_order and not self._bad_columns(_sorted_rows(got), _sorted_rows(exp)):
            return False, Form(
                "the values are right but the rows are in a different order: "
                + (self.order or "check sort_values.")
            )
        col, n, kind_got, kind_exp = bad[0]
        where = "the values" if series else f"column {col!r}"
        if kind_got != kind_exp:
            msg = f"{where} holds {kind_got}; this question expects {kind_exp} there."
        else:
            msg = f"{where} differs in {n} of {len(got)} rows."
        if len(bad) > 1:
            msg += f" ({len(bad)} columns differ in all.)"
        return False, msg

    def _values_match(self, got: Any, exp: Any) -> bool:
        return not self._bad_columns(got, exp)

    def _bad_columns(self, got: Any, exp: Any) -> list[tuple[str, int, str, str]]:
        bad = []
        for i, col in enumerate(exp.columns):
            a = got.iloc[:, i]
            b = exp.iloc[:, i]
            n = _column_mismatches(a, b, self.rtol, self.atol)
            if n:
                bad.append((str(col), n, _kind_of(a.dtype), _kind_of(b.dtype)))
        return bad


def _sorted_rows(df: Any) -> Any:
    key = df.astype(str)
    order = key.sort_values(list(key.columns), kind="mergesort").index
    pos = [df.index.get_loc(i) for i in order] if df.index.is_unique else None
    if pos is None:
        tmp = df.reset_index(drop=True)
        k = tmp.astype(str)
        return tmp.loc[k.sort_values(list(k.columns), kind="mergesort").index].reset_index(
            drop=True
        )
    return df.iloc[pos].reset_index(drop=True)

