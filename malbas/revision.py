"""The schema revision this package's migrations end at, and the check of a database against it, without Alembic
or SQLAlchemy: a read command reads the database's `alembic_version` over any DB-API connection and compares it
with HEAD_REVISION (tests/test_migrations.py proves it is the migrations' head)."""

from __future__ import annotations

from typing import Any

from malbas.errors import DatabaseError

HEAD_REVISION = "0014"


def read_revision(connection: Any) -> str | None:  # noqa: ANN401 - any DB-API connection
    """The revision in `alembic_version`, None without one."""
    cursor = connection.cursor()
    try:
        cursor.execute("SELECT to_regclass('alembic_version')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT version_num FROM alembic_version")
        row = cursor.fetchone()
        return None if row is None else row[0]
    finally:
        cursor.close()


def require_head(current: str | None) -> None:
    """Raise DatabaseError unless `current` is the newest malbas schema."""
    if current is None:
        raise DatabaseError("the database has no malbas schema yet: run `malbas db upgrade` or load reports")
    if current != HEAD_REVISION:
        raise DatabaseError(f"the database schema is at {current}, not {HEAD_REVISION}: run `malbas db upgrade`")
