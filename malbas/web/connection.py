"""The web view's database connection: read-only whatever the login, and as the reader role when one is named.

Every transaction of the view is READ ONLY (PostgreSQL refuses any write in it). With a role (`malbas serve
--role`, made with `malbas db grant-reader`) each connection also takes that role (SET ROLE), so the view has
exactly the reader's rights: it logs in as the configured user (the embedded server's owner by default, whose
password stays in its password file) but reads as the reader. A login that is itself the reader role
(DATABASE_URL=postgresql://reader@…) needs no --role.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql
from sqlalchemy import Engine, event, text

from malbas.access import is_role_name
from malbas.database import DatabaseError, Target, engine_for, require_schema


def readonly_engine(target: Target, role: str | None = None) -> Engine:
    """An engine whose sessions are read-only, and run as `role` when given (checked to be able only to read)."""
    if role is not None and not is_role_name(role):
        raise DatabaseError(f"invalid role name {role!r}: use lower-case letters, digits and _")
    if role is not None:
        checking = engine_for(target)
        try:
            _check_reader(checking, role)
        finally:
            checking.dispose()
    engine = engine_for(target, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            if role is not None:
                cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.commit()

    require_schema(engine)
    return engine


def _check_reader(engine: Engine, role: str) -> None:
    """The role exists, the login may act as it, it can read the reports and can write none of them."""
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None:
            raise DatabaseError(f"there is no role {role}: create it with `malbas db grant-reader {role}`")
        if not conn.execute(text("SELECT pg_has_role(current_user, :r, 'MEMBER')"), {"r": role}).scalar_one():
            raise DatabaseError(f"the user malbas connects as may not act as role {role} (SET ROLE)")
        writes = conn.execute(
            text(
                "SELECT coalesce(bool_or(has_table_privilege(:r, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')), false)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ),
            {"r": role},
        ).scalar_one()
        reads = conn.execute(
            text(
                "SELECT CASE WHEN to_regclass('public.rapport') IS NULL THEN false"
                " ELSE has_table_privilege(:r, 'public.rapport', 'SELECT') END"
            ),
            {"r": role},
        ).scalar_one()
    if writes:
        raise DatabaseError(f"role {role} can change malbas tables; the web view reads as a read-only role only")
    if not reads:
        raise DatabaseError(f"role {role} cannot read the malbas tables: run `malbas db grant-reader {role}`")
