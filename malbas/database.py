"""Which database to use, how to reach it and how to migrate it. Each function does one of those things:

* `configured_url` reads --database-url / DATABASE_URL (nothing else);
* `resolve` picks the target: the configured URL, else the embedded server (started on request);
* `engine_for` / `connect` make an engine (no migration: reading never writes);
* `migrate` brings the schema to the newest revision (the load commands and `malbas db upgrade` call it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from malbas.urls import SCHEME, escape_userinfo, redact, remember_secrets, to_libpq_url, to_sqlalchemy_url

if TYPE_CHECKING:
    from alembic.config import Config


class DatabaseError(RuntimeError):
    """The database cannot be used as asked (bad URL, server not running, schema missing)."""


@dataclass(frozen=True)
class Target:
    url: str  # libpq URL (psql, pandas, psycopg)
    embedded: bool
    where: str  # human description, passwords hidden

    @property
    def sqlalchemy_url(self) -> str:
        return to_sqlalchemy_url(self.url)


def configured_url(explicit: str | None = None) -> str | None:
    """The URL given with --database-url or DATABASE_URL, as a libpq URL; None when neither is set."""
    url = (explicit or os.environ.get("DATABASE_URL") or "").strip()
    if not url:
        return None
    remember_secrets(url)  # whatever its form, valid or not: no message may show its password
    if not SCHEME.match(url):
        raise DatabaseError(f"DATABASE_URL must be a PostgreSQL URL (postgresql://…), got {redact(url)!r}")
    return to_libpq_url(escape_userinfo(url))


def resolve(explicit: str | None = None, *, start_embedded: bool = True, wait_seconds: float | None = None) -> Target:
    """The configured server, else the embedded one (started when `start_embedded`, else it must be running;
    `wait_seconds` bounds the wait for another malbas starting it)."""
    url = configured_url(explicit)
    if url:
        if "://" in url:
            urlsplit(url.strip()).port  # noqa: B018 - raises ValueError for a URL that cannot be read ('[::1')
        return Target(url=url, embedded=False, where=redact(url))
    from malbas import embedded

    server = embedded.start(wait_seconds=wait_seconds) if start_embedded else embedded.status()
    if server is None:
        raise DatabaseError("the embedded PostgreSQL is not running (start it with `malbas db start`)")
    return Target(url=server.url(), embedded=True, where=f"embedded PostgreSQL in {server.pgdata}")


def engine_for(target: Target, **kwargs: object) -> Engine:
    return create_engine(target.sqlalchemy_url, **kwargs)


def connect(url: str | None = None) -> Engine:
    """An engine on the malbas database: `url`, else DATABASE_URL, else the embedded server (started if needed).

    Nothing is migrated; use `migrate` (or `malbas db upgrade`) for that."""
    return engine_for(resolve(url))


def migrations_dir() -> Path:
    return Path(str(files("malbas.migrations")))


def alembic_config(url: str) -> Config:
    """Alembic configured in code: works from any directory and from an installed wheel."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["url"] = to_sqlalchemy_url(url)
    return cfg


@dataclass(frozen=True)
class MigrationLock:
    """Creating the schema and migrating it happen under a PostgreSQL advisory lock, one process at a time
    (four loads started at once on a new database would otherwise create the same tables together).

    key: the advisory lock's key, an arbitrary constant naming "malbas migrates this database".
    wait_seconds: how long a process waits, at most, for another one migrating before it gives up and says so.
    """

    key: int = 7_420_615_002
    wait_seconds: float = 300.0


MIGRATION_LOCK = MigrationLock()


def migrate(target: Target, revision: str = "head", *, wait_seconds: float | None = None) -> None:
    """Upgrade the schema of `target` to `revision` (default: the newest), holding the migration lock;
    a database already at the newest revision is left alone without waiting for the lock. When the upgrade
    passes a revision that changed the meaning of derived columns (REDERIVE = True in it), they are derived
    again from the stored rows under the same lock (etl/load/rederive.py): migrations never run malbas code."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    wait = MIGRATION_LOCK.wait_seconds if wait_seconds is None else wait_seconds
    engine = engine_for(target, poolclass=NullPool)
    try:
        if revision == "head" and current_revision(engine) == head_revision():
            return
        with engine.connect() as conn:
            conn.execute(text("SELECT set_config('lock_timeout', :t, false)"), {"t": f"{int(wait * 1000)}ms"})
            try:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK.key})
            except OperationalError as exc:
                if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
                    raise
                raise DatabaseError(
                    f"waited {wait:g} s for another malbas migrating the database (advisory lock "
                    f"{MIGRATION_LOCK.key}); if that process hangs, end it, then try again"
                ) from None
            conn.execute(text("SELECT set_config('lock_timeout', '0', false)"))
            conn.commit()
            try:
                before = MigrationContext.configure(conn).get_current_revision()
                cfg = alembic_config(target.url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if before is not None and _passes_a_rederive(before, revision):
                    from malbas.etl.load.rederive import rederive

                    rederive(conn)
                conn.commit()
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK.key})
                conn.commit()
    finally:
        engine.dispose()


def _passes_a_rederive(before: str, revision: str) -> bool:
    """Whether upgrading from `before` to `revision` applies a migration that asks for a rederive."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrations_dir()))
    applied = scripts.iterate_revisions(revision, before)
    return any(getattr(script.module, "REDERIVE", False) for script in applied if script.revision != before)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(migrations_dir())).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision in `alembic_version` (None without one), read in plain SQL: reads need not import Alembic."""
    with engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def require_schema(engine: Engine) -> None:
    """Raise DatabaseError unless the database holds the newest malbas schema (a read-only check)."""
    from malbas.revision import HEAD_REVISION

    current, head = current_revision(engine), HEAD_REVISION
    if current is None:
        raise DatabaseError("the database has no malbas schema yet: run `malbas db upgrade` or load reports")
    if current != head:
        raise DatabaseError(f"the database schema is at {current}, not {head}: run `malbas db upgrade`")
