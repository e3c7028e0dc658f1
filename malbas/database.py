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

from sqlalchemy import Engine, create_engine

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
    url = explicit or os.environ.get("DATABASE_URL")
    if not url:
        return None
    remember_secrets(url)
    if not SCHEME.match(url):
        raise DatabaseError(f"DATABASE_URL must be a PostgreSQL URL (postgresql://…), got {redact(url)!r}")
    return to_libpq_url(escape_userinfo(url))


def resolve(explicit: str | None = None, *, start_embedded: bool = True) -> Target:
    """The configured server, else the embedded one (started when `start_embedded`, else it must be running)."""
    url = configured_url(explicit)
    if url:
        return Target(url=url, embedded=False, where=redact(url))
    from malbas import embedded

    server = embedded.start() if start_embedded else embedded.status()
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


def migrate(target: Target, revision: str = "head") -> None:
    """Upgrade the schema of `target` to `revision` (default: the newest). When the upgrade passes a revision
    that changed the meaning of derived columns (REDERIVE = True in it), they are derived again from the stored
    rows (etl/load/rederive.py): migrations themselves never run application code."""
    from alembic import command

    engine = engine_for(target)
    try:
        before = current_revision(engine)
        command.upgrade(alembic_config(target.url), revision)
        if before is not None and _passes_a_rederive(before, revision):
            from malbas.etl.load.rederive import rederive

            with engine.begin() as conn:
                rederive(conn)
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
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def require_schema(engine: Engine) -> None:
    """Raise DatabaseError unless the database holds the newest malbas schema (a read-only check)."""
    current, head = current_revision(engine), head_revision()
    if current is None:
        raise DatabaseError("the database has no malbas schema yet: run `malbas db upgrade` or load reports")
    if current != head:
        raise DatabaseError(f"the database schema is at {current}, not {head}: run `malbas db upgrade`")
