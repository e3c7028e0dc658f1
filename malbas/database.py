"""How to reach the chosen database through SQLAlchemy and how to migrate it. Each function does one of those
things:

* `engine_for` / `connect` make an engine (no migration: reading never writes);
* `migrate` brings the schema to the newest revision (the load commands and `malbas db upgrade` call it);
* `current_revision` / `require_schema` read and check the schema's revision (malbas.revision, without Alembic).

Which database that is (`configured_url`, `resolve`, `Target`) is malbas.target, which needs no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

# The database to use is chosen without SQLAlchemy (malbas.target); these names stay malbas.database's too.
from malbas.errors import DatabaseError
from malbas.revision import read_revision, require_head
from malbas.target import Target, configured_url, resolve  # noqa: F401
from malbas.urls import to_sqlalchemy_url

if TYPE_CHECKING:
    from alembic.config import Config


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
    connection = engine.raw_connection()
    try:
        return read_revision(connection)
    finally:
        connection.close()


def require_schema(engine: Engine) -> None:
    """Raise DatabaseError unless the database holds the newest malbas schema (a read-only check)."""
    require_head(current_revision(engine))
