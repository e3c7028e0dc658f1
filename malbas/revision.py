"""The schema revision this package's migrations end at, known without importing Alembic: a read command checks
the database's `alembic_version` against it (tests/test_migrations.py proves it is the migrations' head)."""

HEAD_REVISION = "0012"
