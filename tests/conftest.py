"""Test fixtures: a real PostgreSQL for every database test.

TEST_DATABASE_URL points at a server to use; otherwise an embedded PostgreSQL is started in a temporary
directory for the session. Each session migrates a fresh database once; each test starts from empty tables.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from malbas import models
from malbas.database import Target, migrate
from malbas.urls import to_libpq_url, to_sqlalchemy_url

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"
T1_RINKEBY = SAMPLES / "000_649e5dab5eff6cea.txt"
VB_HASSELBY = SAMPLES / "001_b4dd1f5a7ed00e2b.txt"
VP_RINKEBY = SAMPLES / "003_130f0561e7be4d6d.txt"
VB_NORRMALM = SAMPLES / "004_ef35c64e421e5e72.txt"
ALL_SAMPLES = [T1_RINKEBY, VB_HASSELBY, VP_RINKEBY, VB_NORRMALM]


@cache
def sample_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def goal_part_end(lines: list[str]) -> int:
    """Index of the 'Uppföljning av ekonomi' heading: table parsers are tested on the goal part before it."""
    for i, line in enumerate(lines):
        if re.sub(r"[#*\s]", "", line) == "Uppföljningavekonomi":
            return i
    raise AssertionError("no economy heading")


EMBEDDED_ROOT: list[Path] = []  # the test server's data directory, when the tests started one


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """libpq URL of a maintenance database on a real server."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield to_libpq_url(given)
        return
    from malbas import embedded

    root = Path(tempfile.mkdtemp(prefix="malbas-test-"))
    root.chmod(0o711)  # the server's user passes through it
    server = embedded.start(root)
    EMBEDDED_ROOT.append(root)
    try:
        yield server.url("postgres")
    finally:
        embedded.stop(root)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A fresh, migrated database for this test session (dropped afterwards)."""
    name = f"malbas_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(hide_password=False)
    migrate(Target(url=to_libpq_url(url), embedded=False, where="test"))
    try:
        yield to_libpq_url(url)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def session_engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(to_sqlalchemy_url(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def engine(session_engine: Engine) -> Iterator[Engine]:
    """The session's engine, with every table emptied after the test."""
    yield session_engine
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with session_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def portable_login(database_url: str) -> tuple[str, dict[str, str]]:
    """(URL, environment) with which another local user reaches the test database: over TCP with the password
    in PGPASSWORD for the embedded test server (its password file is the owner's alone), else as configured."""
    if not EMBEDDED_ROOT:
        return database_url, {}
    from malbas import embedded

    u = make_url(to_sqlalchemy_url(database_url))
    url = f"postgresql://postgres@127.0.0.1:{u.query['port']}/{u.database}"
    return url, {"PGPASSWORD": embedded.owner_password(EMBEDDED_ROOT[0])}
