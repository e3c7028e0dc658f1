"""Alembic migrations of the malbas schema (package data; configured in code by malbas.database)."""
