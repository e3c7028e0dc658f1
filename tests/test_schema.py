"""The database schema: Alembic migrations and the ORM agree, and analysts see comments everywhere."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from malbas import models


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), models.Base.metadata)
    assert diff == []


def test_every_table_and_column_has_a_comment(engine):
    inspector = inspect(engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(models.Base.metadata.tables)
    for table in tables:
        assert inspector.get_table_comment(table)["text"], table
        for column in inspector.get_columns(table):
            assert column.get("comment"), f"{table}.{column['name']}"


def test_check_constraints_guard_enums(engine):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO namnd (namn, kortnamn, typ) VALUES ('x', 'x', 'kommun')"))
