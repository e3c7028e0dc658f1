"""Running a saved query: its SQL over a DB-API connection into a Result (malbas.result). The one way malbas runs
one, for `malbas query` over a psycopg connection of its own (no SQLAlchemy, no pandas: it answers in a blink) and
for malbas.queries.run over an engine's connection (into a DataFrame)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from malbas.catalogue import SavedQuery
from malbas.result import Result
from malbas.revision import read_revision, require_head

if TYPE_CHECKING:
    import psycopg

    from malbas.target import Target


def run(connection: Any, query: SavedQuery, binds: dict[str, Any]) -> Result:  # noqa: ANN401 - any DB-API connection
    """The query's rows, its parameters bound (bind_values), never formatted into the SQL."""
    cursor = connection.cursor()
    try:
        cursor.execute(query.driver_sql, binds)
        columns = [d[0] for d in cursor.description]
        return Result.of(columns, cursor.fetchall())
    finally:
        cursor.close()


@contextlib.contextmanager
def reading(target: Target) -> Iterator[psycopg.Connection]:
    """A psycopg connection on `target` for reads, once the database is known to hold the newest schema; closed
    (nothing committed) at the end."""
    import psycopg

    connection = psycopg.connect(target.url)
    try:
        require_head(read_revision(connection))
        yield connection
    finally:
        connection.close()
