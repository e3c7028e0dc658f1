"""Results as typed DataFrames and DataFrames as Results: where pandas meets malbas.result.

A result's columns get the dtypes of their kinds (malbas.result): NUMERIC as Float64, integers as Int64, dates and
timestamps as datetime64, booleans as boolean, the rest as objects/strings; NULL as <NA>/NaT. So `df.describe()`
and `df.plot()` work without casts. A DataFrame becomes a Result with each column's kind read from its dtype, so
that the writers (malbas.output) show a frame as they show the rows it was made from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from malbas.result import BOOLEAN, DATETIME, INTEGER, NUMBER, TEXT, Result, column_kind, missing


def typed_frame(rows: Sequence[Any], columns: list[str], kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame whose columns have the dtypes of their kinds (read from the values unless given)."""
    # Plain tuples: pandas probes each row object (a driver's Row) for field names, which costs more than the query.
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=columns)
    if kinds is None:
        kinds = [column_kind(row[i] for row in rows) for i in range(len(columns))]
    for i, kind in enumerate(kinds):  # by position: two columns may share a name
        frame.isetitem(i, _typed_column(frame.iloc[:, i], kind).array)
    return frame


def frame_of(result: Result) -> pd.DataFrame:
    return typed_frame(result.rows, list(result.columns), result.kinds)


def _typed_column(series: pd.Series, kind: str) -> pd.Series:
    if kind == BOOLEAN:
        return series.astype("boolean")
    if kind == INTEGER:
        return series.astype("Int64")
    if kind == NUMBER:
        return pd.Series(pd.array([None if missing(v) else float(v) for v in series.tolist()], dtype="Float64"))
    if kind == DATETIME:
        return pd.to_datetime(series)
    if all(missing(v) for v in series.tolist()):  # a list: iterating a Series costs more
        return series.astype(object).where(series.notna(), None)
    return series


def result_of(frame: pd.DataFrame) -> Result:
    """The frame's rows as plain values (NULL as None), each column's kind read from its dtype."""
    kinds = [_kind(frame.iloc[:, i]) for i in range(frame.shape[1])]
    rows = frame.to_dict(orient="split", index=False)["data"]
    return Result.of([str(c) for c in frame.columns], rows, kinds)


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or _holds_booleans(series):
        return BOOLEAN
    if pd.api.types.is_integer_dtype(dtype):
        return INTEGER
    if pd.api.types.is_numeric_dtype(dtype):
        return NUMBER
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATETIME
    return TEXT


def _holds_booleans(series: pd.Series) -> bool:
    """An object column of Python booleans (a pivot of verdicts, say)."""
    present = [v for v in series if not missing(v)]
    return bool(present) and all(isinstance(v, bool) for v in present)
