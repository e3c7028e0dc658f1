"""Comparing across periods: the periods a result's rows come from, and a saved query's declared pivot (--pivot),
which names the period in each column header when the rows come from more than one ("Norrmalm (VB 2021)"), so
that a T1 is never set beside a VB unmarked. On Results, without pandas (malbas.queries offers both on
DataFrames)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from malbas.catalogue import QueryError, SavedQuery, catalogue
from malbas.result import Result, missing
from malbas.vocabulary import Rapporttyp
from malbas.vocabulary import values as vocabulary_values

# The columns that say which period a row comes from (the same names in every saved query).
PERIOD_COLUMNS = ("rapporttyp", "ar")

_KIND_ORDER = {kind: i for i, kind in enumerate(vocabulary_values(Rapporttyp))}  # VP, T1, T2, VB


def periods(result: Result) -> list[str]:
    """The periods a result's rows come from, as "VB 2021", oldest first; [] when it has no period columns."""
    if result.empty or not set(PERIOD_COLUMNS) <= set(result.columns):
        return []
    pairs = zip(result.values("rapporttyp"), result.values("ar"), strict=True)
    found = {(int(year), str(kind)) for kind, year in pairs if not missing(kind) and not missing(year)}
    return [f"{kind} {year}" for year, kind in sorted(found, key=lambda p: (p[0], _KIND_ORDER.get(p[1], 0)))]


def require_pivot(query: SavedQuery) -> None:
    """Refuse --pivot on a query that declares none, naming those that do."""
    if query.pivot is None:
        raise QueryError(
            f"query {query.name} has no pivot; queries with one: "
            + ", ".join(q.name for q in catalogue().values() if q.pivot is not None)
        )


def pivot(result: Result, query: SavedQuery) -> Result:
    """The query's declared pivot: one row per `index` value (sorted), one column per `columns` value, each cell
    the first value given for it. Columns are ordered by period, then name. Two different values for one cell
    are refused, not picked from. No rows: the result as it is."""
    require_pivot(query)
    assert query.pivot is not None
    if result.empty:
        return result
    p = query.pivot
    at = {name: i for i, name in reversed(list(enumerate(result.columns)))}
    index, column, value = at[p.index], at[p.columns], at[p.values]
    dated = len(periods(result)) > 1

    def header(row: Sequence[Any]) -> str:
        name = str(row[column])
        return f"{name} ({row[at['rapporttyp']]} {row[at['ar']]})" if dated else name

    cells: dict[tuple[Any, str], Any] = {}
    seen: dict[tuple[Any, str], set[Any]] = {}
    first_row: dict[str, Sequence[Any]] = {}
    for row in result.rows:
        h = header(row)
        first_row.setdefault(h, row)
        if missing(row[index]):
            continue
        key = (row[index], h)
        cells.setdefault(key, None)
        if not missing(row[value]):
            seen.setdefault(key, set()).add(row[value])
            if cells[key] is None:
                cells[key] = row[value]
    clashes = sorted(key for key, values in seen.items() if len(values) > 1)
    if clashes:
        row_name, column_name = clashes[0]
        raise QueryError(
            f"query {query.name}: {row_name} has more than one {p.values} for {column_name}; narrow it with -p "
            "(e.g. ar, rapporttyp) before pivoting"
        )
    headers = sorted(first_row, key=lambda h: (*_period_key(result.columns, first_row[h]), h))
    headers = [h for h in headers if any(key[1] == h for key in cells)]
    rows = [(i, *(cells.get((i, h)) for h in headers)) for i in sorted({key[0] for key in cells})]
    kinds = (result.kinds[index], *(result.kinds[value] for _ in headers))
    return Result((p.index, *headers), kinds, tuple(rows))


def _period_key(columns: Sequence[str], row: Sequence[Any]) -> tuple[int, int]:
    if "ar" not in columns or "rapporttyp" not in columns:
        return (0, 0)
    return (int(row[columns.index("ar")]), _KIND_ORDER.get(str(row[columns.index("rapporttyp")]), 0))
