"""Read-only access for analysts and BI tools."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_reader(engine: Engine, role: str, password: str | None = None) -> None:
    """Create ROLE if needed and let it SELECT from every table in the public schema, now and later."""
    if not _ROLE_RE.match(role):
        raise ValueError(f"invalid role name {role!r}: use lower-case letters, digits and _")
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        # Identifiers cannot be bound parameters; the name is validated above.
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        if password is not None:
            conn.execute(text(f'ALTER ROLE "{role}" PASSWORD {_literal(conn, password)}'))
        db = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "{role}"'))
        conn.execute(text(f'REVOKE CREATE ON SCHEMA public FROM "{role}"'))
        conn.execute(text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM "{role}"'))


def _literal(conn, value: str) -> str:  # noqa: ANN001
    return conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one()
