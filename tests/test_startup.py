"""A command imports only what it uses: `malbas --help` and `query --list` start without the heavy libraries
(SQLAlchemy, the parser, pandas). Checked in a fresh interpreter by what it imported, never by timing."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

_PROBE = """
import json, sys
from malbas.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'pandas', 'numpy', 'alembic'}
                        or m.startswith(('malbas.etl.parse', 'malbas.models')))))
"""


def _imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_imports_neither_sqlalchemy_nor_the_parser() -> None:
    imported = _imported("--help")
    assert "sqlalchemy" not in imported
    assert not {m for m in imported if m.startswith(("malbas.etl.parse", "malbas.models"))}


@pytest.mark.parametrize("args", [("query", "--list"), ("query", "--help"), ("load", "--help")])
def test_listing_and_help_import_no_pandas_or_database_library(args: tuple[str, ...]) -> None:
    imported = _imported(*args)
    assert not imported & {"pandas", "numpy", "sqlalchemy", "alembic"}


def test_a_load_into_a_database_at_the_head_revision_does_not_import_alembic(database_url, tmp_path) -> None:
    # The schema is checked in SQL against malbas.revision.HEAD_REVISION; Alembic is for databases behind it.
    imported = _imported("--database-url", database_url, "load", str(tmp_path))
    assert "alembic" not in imported


@pytest.mark.parametrize(
    "args",
    [("--format", "table"), ("--format", "csv"), ("--format", "json"), ("--pivot",), ("--columns", "namnd,ar")],
    ids=" ".join,
)
def test_a_saved_query_answers_without_pandas_or_sqlalchemy(database_url, args: tuple[str, ...]) -> None:
    # psycopg runs the query and malbas.output writes its rows; pandas only for xlsx and the Python API.
    imported = _imported("--database-url", database_url, "query", "indikator_per_namnd", "-p", "indikator=x", *args)
    assert not imported & {"pandas", "numpy", "sqlalchemy", "alembic"}


def test_a_database_without_the_schema_is_told_without_pandas_or_sqlalchemy(server_url) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from malbas.urls import to_libpq_url, to_sqlalchemy_url

    name = f"malbas_startup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = to_libpq_url(make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(False))
        probe = [sys.executable, "-c", _PROBE, "--database-url", url, "query", "malbedomningar"]
        done = subprocess.run(probe, capture_output=True, text=True, check=True)
        assert "the database has no malbas schema yet" in done.stderr
        imported = set(json.loads(done.stdout.strip().splitlines()[-1]))
        assert not imported & {"pandas", "numpy", "sqlalchemy", "alembic"}
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
