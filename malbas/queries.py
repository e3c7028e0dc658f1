"""Saved SQL queries (queries/*.sql, shipped as the package data malbas.sql): catalogue, parameters, running into a DataFrame, writing results.

Each file starts with a header comment:

    -- description: what the query answers
    -- param indikator (required): case-insensitive part of the indicator name
    -- param ar: year
    -- empty: why the query can return no rows (printed when it does)
    -- pivot: index=indikator columns=namnd values=utfall   (what --pivot spreads out)
    -- table: namnd, ar, rapporttyp, utfall                  (the columns a terminal table shows by default)

Parameters are written psql-style, :'name', so the same file runs in psql (`-v ar=2020 -v rapporttyp=VB`,
text values quoted by psql) and here, where :'name' becomes a named bind (:name), always bound, never
formatted into the SQL text. An omitted parameter is NULL here and '' in psql (`-v niva=`); the SQL reads
both as "all" with NULLIF(:'x', '').

Results come back typed: numbers as floats (pandas Float64), counts as Int64, dates as datetime64, flags as
boolean, so `df.describe()` and `df.plot()` work without casts.

A comparison across districts never mixes periods unmarked: every comparing query returns the period (`ar` and
`rapporttyp`) in every row, and a pivot whose rows come from more than one period names the period in each
column header ("Norrmalm (VB 2021)").
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api.extensions import ExtensionArray
from sqlalchemy import Engine, text

from malbas import output as output_formats

# The catalogue is read without pandas (malbas.catalogue); these names stay malbas.queries' API too.
from malbas.catalogue import (  # noqa: F401
    Param,
    Pivot,
    QueryError,
    SavedQuery,
    allowed_values,
    bind_values,
    catalogue,
    choices,
    formats,
    get,
    parse_params,
)
from malbas.vocabulary import Rapporttyp
from malbas.vocabulary import values as vocabulary_values


def run(name: str, *, engine: Engine | None = None, **params: Any) -> pd.DataFrame:
    """Run a saved query by name into a typed DataFrame. Without an engine: DATABASE_URL, else the embedded
    server. A read never migrates: a database without the malbas schema is an error that says what to do."""
    query = get(name)
    binds = bind_values(query, {k: (None if v is None else str(v)) for k, v in params.items()})
    if engine is None:
        from malbas.database import connect, require_schema

        engine = connect()
        require_schema(engine)
    with engine.connect() as conn:
        result = conn.execute(text(query.bound_sql), binds)
        frame = typed_frame(result.fetchall(), list(result.keys()))
    frame.attrs["query"] = name
    return frame


def typed_frame(rows: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    """A DataFrame whose columns have the types of their values: NUMERIC as Float64, integers as Int64, dates
    and timestamps as datetime64, booleans as boolean, the rest as objects/strings; NULL as <NA>/NaT."""
    # Plain tuples: pandas probes each SQLAlchemy Row for field names, which costs more than the query.
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=columns)
    for position in range(len(columns)):  # by position: two columns may share a name
        frame.isetitem(position, _typed_column(frame.iloc[:, position]))
    return frame


def _kinds(values: list[Any]) -> set[type]:
    """The types of the values that are not NULL (None, or a float NaN where pandas made NULL a NaN)."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if any(issubclass(kind, float) for kind in kinds):  # NaN is no value: look at each float
        kinds = {type(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))}
    return kinds


def _typed_column(series: pd.Series) -> ExtensionArray:
    values = series.tolist()  # the values iteration gives, without iterating a Series
    kinds = _kinds(values)
    if not kinds:
        return series.astype(object).where(series.notna(), None).array
    if kinds <= {bool}:
        return series.astype("boolean").array
    if kinds <= {int}:
        return series.astype("Int64").array
    if kinds <= {int, float, Decimal}:
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    if kinds <= {date, datetime}:
        return pd.to_datetime(series).array
    return series.array


_EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: the one asked for, else the one the output file's extension names, else a table.
    An extension that names another format than --format is refused rather than silently mislabelled, and a
    file that cannot be written where it is asked for is refused before any query runs."""
    implied = None
    if output is not None:
        _check_writable(output)
        implied = _EXTENSIONS.get(output.suffix.lower())
        if implied is None and fmt is None:
            raise QueryError(
                f"{output}: cannot tell the format from the extension; use .csv, .xlsx or .json, or --format"
            )
    if fmt is not None and implied is not None and fmt != implied:
        raise QueryError(f"{output}: the extension says {implied} but --format says {fmt}")
    if fmt == "xlsx" and output is None:
        raise QueryError("--format xlsx needs -o FILE")
    return fmt or implied or "table"


def _check_writable(output: Path) -> None:
    """Refuse an output file in no folder, a folder, or a folder malbas may not write in."""
    if not output.parent.is_dir():
        raise QueryError(f"{output}: cannot write there, no folder {output.parent}")
    if output.is_dir():
        raise QueryError(f"{output}: is a folder; give a file name")
    if not os.access(output.parent, os.W_OK | os.X_OK):
        raise QueryError(f"{output}: cannot write there, the folder {output.parent} is not writable")


# The columns that say which period a row comes from (the same names in every saved query).
PERIOD_COLUMNS = ("rapporttyp", "ar")


_KIND_ORDER = {kind: i for i, kind in enumerate(vocabulary_values(Rapporttyp))}  # VP, T1, T2, VB


def periods(frame: pd.DataFrame) -> list[str]:
    """The periods a result's rows come from, as "VB 2021", oldest first; [] when it has no period columns."""
    if frame.empty or not set(PERIOD_COLUMNS) <= set(frame.columns):
        return []
    found = {(int(year), str(kind)) for kind, year in frame[list(PERIOD_COLUMNS)].dropna().itertuples(index=False)}
    return [f"{kind} {year}" for year, kind in sorted(found, key=lambda p: (p[0], _KIND_ORDER.get(p[1], 0)))]


def _period_key(row: pd.Series) -> tuple[int, int]:
    if "ar" not in row or "rapporttyp" not in row:
        return (0, 0)
    return (int(row["ar"]), _KIND_ORDER.get(str(row["rapporttyp"]), 0))


def pivot(frame: pd.DataFrame, query: SavedQuery) -> pd.DataFrame:
    """The query's declared pivot: one row per `index` value, one column per `columns` value. When the rows
    come from more than one period, each column header names its period ("Norrmalm (VB 2021)"), so that a
    T1 is never set beside a VB unmarked. Two different values for one cell are refused, not picked from."""
    if query.pivot is None:
        raise QueryError(
            f"query {query.name} has no pivot; queries with one: "
            + ", ".join(q.name for q in catalogue().values() if q.pivot is not None)
        )
    p = query.pivot
    if frame.empty:
        return frame
    headers = frame[p.columns].astype(str)
    if len(periods(frame)) > 1:
        headers = headers + " (" + frame["rapporttyp"].astype(str) + " " + frame["ar"].astype(str) + ")"
    cells = frame.assign(_header=headers)
    clashes = cells.groupby([p.index, "_header"])[p.values].nunique()
    if (clashes > 1).any():
        (row, column) = clashes[clashes > 1].index[0]
        raise QueryError(
            f"query {query.name}: {row} has more than one {p.values} for {column}; narrow it with -p (e.g. ar, "
            "rapporttyp) before pivoting"
        )
    order = sorted(set(headers), key=lambda h: (*_period_key(cells[headers == h].iloc[0]), h))
    wide = cells.pivot_table(index=p.index, columns="_header", values=p.values, aggfunc="first", dropna=False)
    wide = wide.reindex(columns=[h for h in order if h in wide.columns])
    wide.columns.name = None
    return wide.reset_index()


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_json(frame: pd.DataFrame) -> str:
    """Records with JSON numbers, booleans and nulls, and dates as ISO dates (2020-01-01)."""
    records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def select_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The named columns, in that order; a name the result lacks is an error that lists the ones it has."""
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        raise QueryError(
            f"no column {', '.join(unknown)} in the result; its columns: {', '.join(map(str, frame.columns))}"
        )
    return frame[list(columns)]


def write(
    frame: pd.DataFrame, fmt: str | None, output: Path | None, *, dialect: output_formats.CsvDialect | None = None
) -> None:
    """Write a result as a table, csv, json or xlsx, to `output` or stdout (see output_format). CSV is written in
    `dialect`, by default the locale's (Swedish Excel's `;`, decimal comma and BOM under an sv_* locale)."""
    fmt = output_format(fmt, output)
    if fmt == "xlsx":
        assert output is not None
        output_formats.write_xlsx(frame, output)
        return
    if fmt == "csv":
        data = output_formats.csv_text(frame, dialect or output_formats.default_dialect())
    elif fmt == "json":
        data = to_json(frame)
    else:
        data = output_formats.table(frame) + "\n"
    if output is None:
        sys.stdout.write(data)
    else:
        output.write_text(data, encoding="utf-8")


@dataclass(frozen=True)
class SearchSettings:
    """How full-text search bounds its work, so that a common word in a decade of reports still answers at once.

    Finding the matches in the GIN indexes is cheap; ranking reads each match's search vector (ts_rank), and an
    excerpt parses and stems every word of the text it is given (ts_headline). So only the `candidates` newest
    matches of each kind of text (goal texts, indicator rows, deviations, report sections; newest = the latest
    loaded report) are ranked, only the `limit` shown get an excerpt, and the excerpt is chosen from the part of
    the text around the words searched for: from `excerpt_before` characters before the first occurrence of the
    first of them to `excerpt_after` after the first occurrence of the last, at most `excerpt_max` characters
    (the whole text when the words are not found by their stems)."""

    candidates: int = 200
    excerpt_before: int = 600
    excerpt_after: int = 1500
    excerpt_max: int = 8000


SEARCH = SearchSettings()

# Each branch finds its matches through the GIN index and keeps the newest (a top-N sort on ids, no search
# vector read); ranking and excerpts then work on those rows alone. The tsquery is written out each time so
# that the planner sees its value (and estimates the matches) instead of a CTE's opaque result.
_SEARCH_SQL = """
WITH hit AS (
    (SELECT 'maltext' AS slag, t.id, t.rapport_id, t.rad, t.tsv FROM maltext t
     WHERE t.tsv @@ websearch_to_tsquery('swedish', :q) ORDER BY t.rapport_id DESC, t.id LIMIT :candidates)
    UNION ALL
    (SELECT 'indikatorrad', r.id, r.rapport_id, r.rad, r.tsv FROM indikatorrad r
     WHERE r.tsv @@ websearch_to_tsquery('swedish', :q) ORDER BY r.rapport_id DESC, r.id LIMIT :candidates)
    UNION ALL
    (SELECT 'avvikelse', a.id, a.rapport_id, a.rad, a.tsv FROM avvikelse a
     WHERE a.tsv @@ websearch_to_tsquery('swedish', :q) ORDER BY a.rapport_id DESC, a.id LIMIT :candidates)
    UNION ALL
    (SELECT 'textavsnitt', s.id, s.rapport_id, s.rad, s.tsv FROM textavsnitt s
     WHERE s.tsv @@ websearch_to_tsquery('swedish', :q) ORDER BY s.rapport_id DESC, s.id LIMIT :candidates)
),
best AS MATERIALIZED (
    SELECT hit.slag, hit.id, hit.rad, ts_rank(hit.tsv, websearch_to_tsquery('swedish', :q)) AS rank,
           n.namn AS namnd, p.etikett AS period, p.ar, p.ordning, ra.id AS rapport_id, ra.kalla
    FROM hit
    JOIN rapport ra ON ra.id = hit.rapport_id
    JOIN namnd n ON n.id = ra.namnd_id
    JOIN period p ON p.id = ra.period_id
    ORDER BY rank DESC, n.namn, p.ar, p.ordning, hit.rad
    LIMIT :limit
),
-- The stems searched for (not the excluded ones): where in a text its excerpt is chosen.
stems AS MATERIALIZED (
    SELECT coalesce(array_agg(m[1]), '{}') AS stem
    FROM regexp_matches(regexp_replace(querytree(websearch_to_tsquery('swedish', :q)), '!''[^'']*''', '', 'g'),
                        '''([^'']+)''', 'g') AS m
)
SELECT b.namnd, b.period, shown.var, b.rad,
       ts_headline('swedish',
                   CASE WHEN at.first IS NULL THEN shown.text
                        ELSE substr(shown.text, greatest(1, at.first - :before),
                                    least(:max, at.last - greatest(1, at.first - :before) + :after)) END,
                   websearch_to_tsquery('swedish', :q), 'MaxWords=30, MinWords=12, StartSel=«, StopSel=»') AS utdrag,
       b.rank, b.rapport_id, b.kalla
FROM best b
CROSS JOIN stems
CROSS JOIN LATERAL (
    SELECT 'mål ' || coalesce(m.nummer, m.titel) || ' · ' || t.rubrik AS var, t.text
    FROM maltext t JOIN mal m ON m.id = t.mal_id WHERE b.slag = 'maltext' AND t.id = b.id
    UNION ALL
    SELECT 'indikator ' || r.namn, r.namn || ' ' || coalesce(r.analys, '')
    FROM indikatorrad r WHERE b.slag = 'indikatorrad' AND r.id = b.id
    UNION ALL
    SELECT 'avvikelse (' || a.typ || ')', coalesce(a.forklaring, '')
    FROM avvikelse a WHERE b.slag = 'avvikelse' AND a.id = b.id
    UNION ALL
    SELECT s.typ || ' · ' || s.rubrik, s.text FROM textavsnitt s WHERE b.slag = 'textavsnitt' AND s.id = b.id
) AS shown
CROSS JOIN LATERAL (
    SELECT min(found) AS first, max(found) AS last
    FROM unnest(stems.stem) AS stem, nullif(strpos(lower(shown.text), stem), 0) AS found
) AS at
ORDER BY b.rank DESC, b.namnd, b.ar, b.ordning, b.rad
"""


def search(engine: Engine, query: str, *, limit: int = 20, settings: SearchSettings = SEARCH) -> pd.DataFrame:
    """Swedish full-text search (stemmed, websearch syntax: "exact phrase", -exclude, or): the best `limit` of
    the newest matches (see SearchSettings)."""
    with engine.connect() as conn:
        binds = {
            "q": query,
            "limit": limit,
            "candidates": settings.candidates,
            "before": settings.excerpt_before,
            "after": settings.excerpt_after,
            "max": settings.excerpt_max,
        }
        result = conn.execute(text(_SEARCH_SQL), binds)
        return typed_frame(result.fetchall(), list(result.keys()))


def common_kf_indicator(engine: Engine) -> str | None:
    """A KF indicator reported with an outcome in every loaded follow-up report, for the demo."""
    sql = """
        SELECT i.namn
        FROM indikator i JOIN indikatorrad r ON r.indikator_id = i.id
        WHERE i.niva = 'KF'
        GROUP BY i.id, i.namn
        HAVING count(DISTINCT r.rapport_id) = (SELECT count(*) FROM rapport)
        ORDER BY count(*) FILTER (WHERE EXISTS (SELECT 1 FROM utfall u WHERE u.indikatorrad_id = r.id
                                                 AND u.kon <> 'totalt')) DESC,
                 i.namn
        LIMIT 1
    """
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one_or_none()
