"""A query's result as plain Python: column names, each column's kind, and rows of values. No pandas here, so
that `malbas query` answers without importing it; malbas.frames turns a Result into a typed DataFrame and back.

A column's kind is read from its values as the database driver returns them, and decides how every writer shows
it (malbas.output) and which dtype a DataFrame gives it (malbas.frames):

* boolean: bools                                   (pandas boolean)
* integer: ints, none of them NULL                 (Int64: years, counts, lines)
* number:  Decimals and floats, or ints with a NULL (Float64, as pandas has always read such a column)
* datetime: dates and timestamps                   (datetime64)
* text: anything else, and a column of NULLs only

NULL is None in every kind; a number is held as a float.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from malbas.catalogue import QueryError

BOOLEAN, INTEGER, NUMBER, DATETIME, TEXT = "boolean", "integer", "number", "datetime", "text"
NUMERIC_KINDS = (INTEGER, NUMBER)


def missing(value: object) -> bool:
    """NULL as a driver or pandas gives it: None, NaN, pandas' NA and NaT."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pd = sys.modules.get("pandas")  # a value from a DataFrame; without pandas loaded there is none
    return pd is not None and (value is pd.NA or value is pd.NaT)


def column_kind(values: Iterable[Any]) -> str:
    """The kind of a column of driver values (see the module docstring)."""
    values = list(values)
    present = [v for v in values if not missing(v)]
    types = {type(v) for v in present}
    if not types:
        return TEXT
    if types <= {bool}:
        return BOOLEAN
    if types <= {int}:
        return INTEGER if len(present) == len(values) else NUMBER
    if types <= {int, float, Decimal}:
        return NUMBER
    if types <= {date, datetime}:
        return DATETIME
    return TEXT


def _typed(value: object, kind: str) -> object:
    if missing(value):
        return None
    return float(value) if kind == NUMBER else value  # type: ignore[arg-type]


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, columns: Sequence[str], rows: Iterable[Sequence[Any]], kinds: Sequence[str] | None = None) -> Result:
        """A result from a driver's rows; each column's kind read from its values unless given."""
        rows = [tuple(r) for r in rows]
        if kinds is None:
            kinds = [column_kind(r[i] for r in rows) for i in range(len(columns))]
        typed = tuple(tuple(_typed(v, k) for v, k in zip(r, kinds, strict=True)) for r in rows)
        return cls(tuple(columns), tuple(kinds), typed)

    @property
    def empty(self) -> bool:
        return not self.rows or not self.columns

    def values(self, column: str) -> list[Any]:
        i = self.columns.index(column)
        return [r[i] for r in self.rows]

    def select(self, columns: Sequence[str]) -> Result:
        """The named columns, in that order (see check_columns)."""
        check_columns(self.columns, columns)
        at = [self.columns.index(c) for c in columns]
        return Result(
            tuple(columns), tuple(self.kinds[i] for i in at), tuple(tuple(r[i] for i in at) for r in self.rows)
        )


def check_columns(available: Sequence[str], wanted: Sequence[str]) -> None:
    """A name the result lacks is an error that lists the ones it has."""
    unknown = [c for c in wanted if c not in available]
    if unknown:
        raise QueryError(f"no column {', '.join(unknown)} in the result; its columns: {', '.join(map(str, available))}")
