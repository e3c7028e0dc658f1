"""The saved queries as files (queries/*.sql, shipped as the package data malbas.sql): reading the catalogue and
each query's header (description, parameters, pivot, why it can be empty) and checking the values given for its
parameters. No database and no pandas here, so
that listing the queries is quick; running them is malbas.queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

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
    def driver_sql(self) -> str:
        """The SQL for psycopg (malbas.execute runs it): psql variables (:'ar') as DB-API binds (%(ar)s), the SQL's
        own % doubled."""
        return _PSQL_VARIABLE.sub(r"%(\1)s", self.sql.replace("%", "%%"))


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
    """The query's binds from the values given: every parameter named, each value checked, yes/no as SQL."""
    _check_names(query, values)
    for name, value in values.items():
        if value not in (None, ""):
            _check_value(query.name, name, str(value))
    binds = {p.name: (values.get(p.name) if values.get(p.name) != "" else None) for p in query.params}
    for name in _YES_NO_PARAMS:
        if binds.get(name) is not None:
            binds[name] = _BOOLEAN[str(binds[name]).strip().lower()]
    return binds


def _check_names(query: SavedQuery, values: dict[str, Any]) -> None:
    """Refuse a parameter the query does not take, and a required one left out."""
    known = [p.name for p in query.params]  # in the header's order: the message reads the same every time
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (it takes: {', '.join(known)})")
    missing = [p.name for p in query.params if p.required and values.get(p.name) in (None, "")]
    if missing:
        raise QueryError(f"query {query.name} needs parameter {', '.join(missing)} (-p {missing[0]}=…)")


def formats() -> tuple[str, ...]:
    """The forms a saved query's result can be written in."""
    return ("table", "csv", "json", "xlsx")
