"""One line that says what went wrong, for people and for the load history.

No traceback, no SQL, no secrets: the driver's first line for database errors (through SQLAlchemy or psycopg
alone), the reason for everything else.
"""

from __future__ import annotations

import sys

from malbas.urls import redact_in_text


class DatabaseError(RuntimeError):
    """The database cannot be used as asked (bad URL, server not running, schema missing)."""


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    else:
        orig = getattr(exc, "orig", None)
        text = str(orig if orig is not None else exc)
    lines = text.strip().splitlines()
    first = (lines[0] if lines else type(exc).__name__).split(" (Background on this error")[0].strip()
    if _from_the_database(exc):
        first = f"database error: {first}"
    elif not isinstance(exc, OSError) and not type(exc).__module__.startswith("malbas"):
        # Not one of malbas's own errors: a fault in malbas or a library, named so that it can be reported.
        first = f"unexpected {type(exc).__name__}: {first}" if lines else f"unexpected {type(exc).__name__}"
    return redact_in_text(first)


def _from_the_database(exc: BaseException) -> bool:
    """An error of psycopg or SQLAlchemy. Neither is imported to tell: an error cannot come from a library that
    was never loaded, and a read that failed without SQLAlchemy should not wait for it to say so."""
    psycopg, sqlalchemy = sys.modules.get("psycopg"), sys.modules.get("sqlalchemy.exc")
    kinds = (psycopg.Error if psycopg else None, sqlalchemy.SQLAlchemyError if sqlalchemy else None)
    return isinstance(exc, tuple(k for k in kinds if k is not None))
