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


def test_check_constraints_in_the_database_are_the_vocabulary(engine):
    """Every CHECK the models generate from a vocabulary holds exactly that vocabulary's values in the migrated
    database (autogenerate does not compare CHECK constraints, so this does)."""
    import re

    from sqlalchemy import CheckConstraint

    from malbas import vocabulary

    enums = {
        "rapporttyp": vocabulary.Rapporttyp,
        "textform": vocabulary.Textform,
        "bedomning": vocabulary.Bedomning,
        "kon": vocabulary.Kon,
        "riktning": vocabulary.Riktning,
        "status": vocabulary.LaddningStatus,
        "datakvalitet.typ": vocabulary.KvalitetTyp,
        "namnd.typ": vocabulary.NamndTyp,
    }
    with engine.connect() as conn:
        in_db = dict(
            conn.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
                )
            ).all()
        )
    checked = 0
    for table in models.Base.metadata.tables.values():
        for constraint in table.constraints:
            if not isinstance(constraint, CheckConstraint) or " IN (" not in str(constraint.sqltext):
                continue
            column = str(constraint.sqltext).split(" IN ", 1)[0]
            wanted = set(re.findall(r"'([^']*)'", str(constraint.sqltext)))
            assert set(re.findall(r"'([^']*)'", in_db[constraint.name])) == wanted, constraint.name
            enum = enums.get(f"{table.name}.{column}", enums.get(column))
            if enum is not None:
                assert wanted == set(vocabulary.values(enum)), constraint.name
            checked += 1
    assert checked >= 9
