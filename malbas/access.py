"""Read-only access for analysts and BI tools."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(role: str) -> None:
    """Raise ValueError unless `role` is a name malbas creates readers under (it is written into SQL unquoted
    by the server's rules, so only lower-case letters, digits and _)."""
    if not _ROLE_RE.match(role):
        raise ValueError(f"invalid role name {role!r}: use lower-case letters, digits and _ (at most 63)")


def grant_reader(engine: Engine, role: str, password: str | None = None) -> None:
    """Create ROLE if needed and let it SELECT from every table in the public schema, now and later."""
    check_role_name(role)
    with engine.begin() as conn:
        _refuse_writers(conn, role)
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        # Identifiers cannot be bound parameters; the name is validated above.
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        if password is not None:
            # The SCRAM verifier is computed here (libpq's PQencryptPasswordConn), so the password itself never
            # reaches the server: not in a statement, not in a log line.
            # Driver SQL: the verifier holds ':' and '$', which text() would read as bind parameters.
            conn.exec_driver_sql(f'ALTER ROLE "{role}" PASSWORD {_literal(conn, _verifier(conn, role, password))}')
        db = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "{role}"'))
        conn.execute(text(f'REVOKE CREATE ON SCHEMA public FROM "{role}"'))
        conn.execute(text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM "{role}"'))


def _refuse_writers(conn, role: str) -> None:  # noqa: ANN001
    """A reader must not be the role that loads: revoking its rights would lock the loader out."""
    if conn.execute(text("SELECT current_user = :r"), {"r": role}).scalar_one():
        raise ValueError(f"{role} is the role malbas itself connects as; choose another name for the reader")
    special = conn.execute(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).scalar_one_or_none()
    if special:
        raise ValueError(f"{role} is a superuser (or bypasses row security) and cannot be made read-only")
    owns = conn.execute(
        text("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = :r LIMIT 1"), {"r": role}
    ).first()
    if owns:
        raise ValueError(f"{role} owns malbas tables; a reader must be a role of its own")


def _verifier(conn, role: str, password: str) -> str:  # noqa: ANN001
    if not password:
        raise ValueError("the password is empty")
    pgconn = conn.connection.driver_connection.pgconn
    return pgconn.encrypt_password(password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256").decode("ascii")


def _literal(conn, value: str) -> str:  # noqa: ANN001
    return conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one()


def is_role_name(name: str) -> bool:
    """Whether `name` is a role name malbas creates and uses (lower-case letters, digits and _)."""
    return bool(_ROLE_RE.match(name))
