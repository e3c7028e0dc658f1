"""Saved SQL queries (queries/*.sql, shipped as the package data malbas.sql): catalogue, parameters, running into a DataFrame, writing results.

Each file starts with a header comment:

    -- description: what the query answers
    -- param indikator (required): case-insensitive part of the indicator name
    -- param ar: year

Parameters are named binds (:indikator) and always bound, never formatted into the SQL text.
Optional parameters default to NULL; the SQL casts them (CAST(:ar AS integer)) so NULL is typed.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from malbas.vocabulary import Niva, Rapporttyp
from malbas.vocabulary import values as vocabulary_values

_PARAM_RE = re.compile(r"^--\s*param\s+(\w+)\s*(\(required\))?\s*:\s*(.*)$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sql: str


def _read(path: Traversable) -> SavedQuery:
    sql = path.read_text(encoding="utf-8")
    description, params = "", []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if m := _PARAM_RE.match(line):
            params.append(Param(m.group(1), bool(m.group(2)), m.group(3).strip()))
        elif line.lower().startswith("-- description:"):
            description = line.split(":", 1)[1].strip()
    return SavedQuery(path.name.removesuffix(".sql"), description, tuple(params), sql)


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


# Parameters with a fixed form, by name (the names mean the same in every saved query).
_CHOICES = {
    "rapporttyp": vocabulary_values(Rapporttyp),
    "niva": vocabulary_values(Niva),
    "kf_indikator": ("true", "false"),
}


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
    return {p.name: (values.get(p.name) if values.get(p.name) != "" else None) for p in query.params}


def run(name: str, *, engine: Engine | None = None, **params: Any) -> pd.DataFrame:
    """Run a saved query by name into a DataFrame. Without an engine: DATABASE_URL, else the embedded server.

    A read never migrates: a database without the malbas schema is an error that says what to do."""
    query = get(name)
    binds = bind_values(query, {k: (None if v is None else str(v)) for k, v in params.items()})
    if engine is None:
        from malbas.database import connect, require_schema

        engine = connect()
        require_schema(engine)
    with engine.connect() as conn:
        result = conn.execute(text(query.sql), binds)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def write(frame: pd.DataFrame, fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        if output is None:
            raise QueryError("--format xlsx needs -o FILE")
        frame.to_excel(output, index=False)
        return
    if fmt == "csv":
        data = frame.to_csv(index=False)
    elif fmt == "json":
        data = frame.to_json(orient="records", force_ascii=False, date_format="iso", indent=1) + "\n"
    else:
        shown = frame.astype(object).where(frame.notna(), "")  # empty cells, not "nan"
        data = (shown.to_markdown(index=False, floatfmt="g") if not frame.empty else "(no rows)") + "\n"
    if output is None:
        sys.stdout.write(data)
    else:
        output.write_text(data, encoding="utf-8")


_SEARCH_SQL = """
WITH q AS (SELECT websearch_to_tsquery('swedish', :q) AS q)
SELECT n.namn AS namnd, p.etikett AS period, hit.var, hit.rad,
       ts_headline('swedish', hit.text, q.q, 'MaxWords=30, MinWords=12, StartSel=«, StopSel=»') AS utdrag,
       ts_rank(hit.tsv, q.q) AS rank
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
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


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
