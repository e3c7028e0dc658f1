"""The saved queries as files (queries/*.sql, shipped as the package data malbas.sql): reading the catalogue and
each query's header (description, parameters, pivot, why it can be empty). No database and no pandas here, so
that listing the queries is quick; running them is malbas.queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

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
