"""Saved SQL queries (queries/*.sql, shipped as the package data malbas.sql) for notebooks and scripts: running
them into typed DataFrames, pivoting and writing those; and full-text search.

Each file starts with a header comment:

    -- description: what the query answers
    -- param indikator (required): case-insensitive part of the indicator name
    -- param ar: year
    -- empty: why the query can return no rows (printed when it does)
    -- pivot: index=indikator columns=namnd values=utfall   (what --pivot spreads out)
    -- table: namnd, ar, rapporttyp, utfall                  (the columns a terminal table shows by default)

Parameters are written psql-style, :'name', so the same file runs in psql (`-v ar=2020 -v rapporttyp=VB`,
text values quoted by psql) and here, where :'name' becomes a named bind, always bound, never formatted into the
SQL text. An omitted parameter is NULL here and '' in psql (`-v niva=`); the SQL reads both as "all" with
NULLIF(:'x', '').

Results come back typed: numbers as floats (pandas Float64), counts as Int64, dates as datetime64, flags as
boolean, so `df.describe()` and `df.plot()` work without casts (malbas.frames).

A comparison across districts never mixes periods unmarked: every comparing query returns the period (`ar` and
`rapporttyp`) in every row, and a pivot whose rows come from more than one period names the period in each
column header ("Norrmalm (VB 2021)").

The pieces live in modules of their own, without pandas, so that `malbas query` answers quickly: the catalogue
(malbas.catalogue), running a query (malbas.execute), results (malbas.result), periods and pivots (malbas.pivot)
and the writers (malbas.output). This module is their DataFrame face; the names below stay its API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from malbas import execute
from malbas import pivot as pivoting

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
from malbas.frames import frame_of, result_of, typed_frame  # noqa: F401
from malbas.output import output_format, to_json, write  # noqa: F401
from malbas.pivot import PERIOD_COLUMNS  # noqa: F401
from malbas.result import check_columns


def run(name: str, *, engine: Engine | None = None, **params: Any) -> pd.DataFrame:
    """Run a saved query by name into a typed DataFrame. Without an engine: DATABASE_URL, else the embedded
    server. A read never migrates: a database without the malbas schema is an error that says what to do."""
    query = get(name)
    binds = bind_values(query, {k: (None if v is None else str(v)) for k, v in params.items()})
    if engine is None:
        from malbas.database import connect, require_schema

        engine = connect()
        require_schema(engine)
    connection = engine.raw_connection()
    try:
        frame = frame_of(execute.run(connection, query, binds))
    finally:
        connection.close()
    frame.attrs["query"] = name
    return frame


def periods(frame: pd.DataFrame) -> list[str]:
    """The periods a result's rows come from, as "VB 2021", oldest first; [] when it has no period columns."""
    return pivoting.periods(result_of(frame))


def pivot(frame: pd.DataFrame, query: SavedQuery) -> pd.DataFrame:
    """The query's declared pivot: one row per `index` value, one column per `columns` value. When the rows
    come from more than one period, each column header names its period ("Norrmalm (VB 2021)"), so that a
    T1 is never set beside a VB unmarked. Two different values for one cell are refused, not picked from."""
    pivoting.require_pivot(query)
    if frame.empty:
        return frame
    return frame_of(pivoting.pivot(result_of(frame), query))


def select_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The named columns, in that order; a name the result lacks is an error that lists the ones it has."""
    check_columns([str(c) for c in frame.columns], columns)
    return frame[list(columns)]


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
