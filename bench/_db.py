"""Shared by the benchmarks: a fresh, migrated database that is dropped afterwards.

DATABASE_URL names the server to use (the bench creates and drops its own database there; the role needs
CREATEDB); without it a throwaway embedded PostgreSQL is started in a temporary directory and removed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from malbas import embedded  # noqa: E402
from malbas.database import Target, engine_for, migrate  # noqa: E402
from malbas.urls import redact, to_libpq_url, to_sqlalchemy_url  # noqa: E402

SAMPLES = sorted(p for p in (ROOT / "sample_reports").iterdir() if p.is_file() and not p.name.startswith("."))


@contextmanager
def server() -> Iterator[tuple[str, bool]]:
    """(libpq URL of the server's maintenance database, whether it is a throwaway embedded server)."""
    given = os.environ.get("DATABASE_URL")
    if given:
        yield to_libpq_url(given), False
        return
    root = Path(tempfile.mkdtemp(prefix="malbas-bench-"))
    root.chmod(0o711)  # the server's user passes through it
    try:
        yield embedded.start(root).url("postgres"), True
    finally:
        embedded.stop(root)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def database(server_url: str, embedded_server: bool) -> Iterator[tuple[Engine, str, str]]:
    """(engine, libpq URL, description) of a new migrated database on `server_url`, dropped on exit."""
    name = f"malbas_bench_{uuid.uuid4().hex[:8]}"
    engine: Engine | None = None
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = to_libpq_url(make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(False))
        target = Target(url=url, embedded=embedded_server, where=redact(url))
        migrate(target)
        engine = engine_for(target)
        where = f"{'embedded PostgreSQL (temporary)' if embedded_server else 'DATABASE_URL server'}, database {name}"
        yield engine, url, where
    finally:
        if engine is not None:
            engine.dispose()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database() -> Iterator[tuple[Engine, str]]:
    """(engine, description) of a new migrated database; dropped (and the embedded server stopped) on exit."""
    with server() as (url, is_embedded), database(url, is_embedded) as (engine, _, where):
        yield engine, where


def server_version(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SHOW server_version").scalar_one()
