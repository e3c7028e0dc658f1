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
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from malbas import output as output_formats
from malbas.vocabulary import Niva, Rapporttyp
from malbas.vocabulary import values as vocabulary_values

_PARAM_RE = re.compile(r"^--\s*param\s+(\w+)\s*(\(required\))?\s*:\s*(.*)$")
_PIVOT_RE = re.compile(r"^--\s*pivot:\s*index=(\w+)\s+columns=(\w+)\s+values=(\w+)\s*$")
_TABLE_RE = re.compile(r"^--\s*table:\s*(.+)$")
_PSQL_VARIABLE = re.compile(r":'(\w+)'")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class Pivot:
    index: str
    columns: str
    values: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sql: str
    when_empty: str | None = None
    pivot: Pivot | None = None
    table_columns: tuple[str, ...] = ()  # the columns a terminal table shows unless asked for others

    @property
    def bound_sql(self) -> str:
        """The SQL with psql variables (:'ar') as SQLAlchemy binds (:ar)."""
        return _PSQL_VARIABLE.sub(r":\1", self.sql)


def _read(path: Traversable) -> SavedQuery:
    sql = path.read_text(encoding="utf-8")
    description, params, when_empty, pivot = "", [], None, None
    table_columns: tuple[str, ...] = ()
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if m := _TABLE_RE.match(line):
            table_columns = tuple(c.strip() for c in m.group(1).split(",") if c.strip())
        elif m := _PARAM_RE.match(line):
            params.append(Param(m.group(1), bool(m.group(2)), m.group(3).strip()))
        elif m := _PIVOT_RE.match(line):
            pivot = Pivot(m.group(1), m.group(2), m.group(3))
        elif line.lower().startswith("-- description:"):
            description = line.split(":", 1)[1].strip()
        elif line.lower().startswith("-- empty:"):
            when_empty = line.split(":", 1)[1].strip()
    name = path.name.removesuffix(".sql")
    return SavedQuery(name, description, tuple(params), sql, when_empty, pivot, table_columns)


@cache
def catalogue() -> dict[str, SavedQuery]:
    """All saved queries by name, read once from the package. An installation without them is broken."""
    try:
        found = sorted((p for p in files("malbas.sql").iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    except ModuleNotFoundError:
        found = []
    if not found:
        raise QueryError("the saved queries are missing from this installation of malbas (package malbas.sql)")
    return {q.name: q for q in map(_read, found)}


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"parameter {pair!r} is not KEY=VALUE")
        out[key.strip()] = value
    return out


def get(name: str) -> SavedQuery:
    # Names are looked up in the catalogue, never used as paths.
    if not _NAME_RE.match(name) or name not in catalogue():
        known = ", ".join(catalogue())
        raise QueryError(f"unknown query {name!r}; saved queries: {known}")
    return catalogue()[name]


# Yes/no parameters accept Swedish and English; the SQL gets 'true' / 'false'.
_BOOLEAN = {"ja": "true", "nej": "false", "yes": "true", "no": "false", "true": "true", "false": "false"}
_YES_NO_PARAMS = ("kf_indikator", "senaste")
# Parameters with a fixed form, by name (the names mean the same in every saved query).
_CHOICES = {
    "rapporttyp": vocabulary_values(Rapporttyp),
    "niva": vocabulary_values(Niva),
    **{name: tuple(_BOOLEAN) for name in _YES_NO_PARAMS},
}


def choices(name: str) -> tuple[str, ...]:
    """The fixed values a parameter takes; () for free text and years."""
    return _CHOICES.get(name, ())


def allowed_values(name: str) -> str | None:
    """What a parameter accepts, in words, for help texts; None for free text."""
    if name == "ar":
        return "a year such as 2021"
    if name in _YES_NO_PARAMS:
        return "ja/nej (or yes/no, true/false)"
    if name in _CHOICES:
        return " | ".join(_CHOICES[name])
    return None


def _check_value(query: str, name: str, value: str) -> None:
    if name == "ar" and not re.fullmatch(r"(19|20)\d\d", value.strip()):
        raise QueryError(f"query {query}: ar must be a year such as 2021, not {value!r}")
    choices = _CHOICES.get(name)
    if choices and value.strip().lower() not in {c.lower() for c in choices}:
        raise QueryError(f"query {query}: {name} must be one of {', '.join(choices)}, not {value!r}")


def bind_values(query: SavedQuery, values: dict[str, Any]) -> dict[str, Any]:
    known = {p.name for p in query.params}
    unknown = sorted(set(values) - known)
    if unknown:
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (it takes: {', '.join(known)})")
    missing = [p.name for p in query.params if p.required and values.get(p.name) in (None, "")]
    if missing:
        raise QueryError(f"query {query.name} needs parameter {', '.join(missing)} (-p {missing[0]}=…)")
    for name, value in values.items():
        if value not in (None, ""):
            _check_value(query.name, name, str(value))
    binds = {p.name: (values.get(p.name) if values.get(p.name) != "" else None) for p in query.params}
    for name in _YES_NO_PARAMS:
        if binds.get(name) is not None:
            binds[name] = _BOOLEAN[str(binds[name]).strip().lower()]
    return binds


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
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in columns:
        frame[column] = _typed_column(frame[column])
    return frame


def _typed_column(series: pd.Series) -> pd.Series:
    present = [v for v in series if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:
        return series.astype(object).where(series.notna(), None)
    kinds = {type(v) for v in present}
    if kinds <= {bool}:
        return series.astype("boolean")
    if kinds <= {int}:
        return series.astype("Int64")
    if kinds <= {int, float, Decimal}:
        return pd.array([None if v is None else float(v) for v in series], dtype="Float64")  # type: ignore[return-value]
    if kinds <= {date, datetime}:
        return pd.to_datetime(series)
    return series


def formats() -> tuple[str, ...]:
    return ("table", "csv", "json", "xlsx")


_EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: the one asked for, else the one the output file's extension names, else a table.
    An extension that names another format than --format is refused rather than silently mislabelled."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if output is not None and implied is None and fmt is None:
        raise QueryError(f"{output}: cannot tell the format from the extension; use .csv, .xlsx or .json, or --format")
    if fmt is not None and implied is not None and fmt != implied:
        raise QueryError(f"{output}: the extension says {implied} but --format says {fmt}")
    if fmt == "xlsx" and output is None:
        raise QueryError("--format xlsx needs -o FILE")
    return fmt or implied or "table"


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


_SEARCH_SQL = """
WITH q AS (SELECT websearch_to_tsquery('swedish', :q) AS q)
SELECT n.namn AS namnd, p.etikett AS period, hit.var, hit.rad,
       ts_headline('swedish', hit.text, q.q, 'MaxWords=30, MinWords=12, StartSel=«, StopSel=»') AS utdrag,
       ts_rank(hit.tsv, q.q) AS rank, ra.id AS rapport_id, ra.kalla
FROM q, (
    SELECT t.rapport_id, 'mål ' || coalesce(m.nummer, m.titel) || ' · ' || t.rubrik AS var, t.rad, t.text, t.tsv
    FROM maltext t JOIN mal m ON m.id = t.mal_id
    UNION ALL
    SELECT r.rapport_id, 'indikator ' || r.namn, r.rad, r.namn || ' ' || coalesce(r.analys, ''), r.tsv
    FROM indikatorrad r
    UNION ALL
    SELECT a.rapport_id, 'avvikelse (' || a.typ || ')', a.rad, coalesce(a.forklaring, ''), a.tsv FROM avvikelse a
    UNION ALL
    SELECT s.rapport_id, s.typ || ' · ' || s.rubrik, s.rad, s.text, s.tsv FROM textavsnitt s
) AS hit
JOIN rapport ra ON ra.id = hit.rapport_id
JOIN namnd n ON n.id = ra.namnd_id
JOIN period p ON p.id = ra.period_id
WHERE hit.tsv @@ q.q
ORDER BY rank DESC, n.namn, p.ar, p.ordning, hit.rad
LIMIT :limit
"""


def search(engine: Engine, query: str, *, limit: int = 20) -> pd.DataFrame:
    """Swedish full-text search (stemmed, websearch syntax: "exact phrase", -exclude, or)."""
    with engine.connect() as conn:
        result = conn.execute(text(_SEARCH_SQL), {"q": query, "limit": limit})
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
