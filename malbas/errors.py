"""One line that says what went wrong, for people and for the load history.

No traceback, no SQL, no secrets: the driver's first line for database errors, the reason for everything else.
"""

from __future__ import annotations

from malbas.urls import redact_in_text


def describe(exc: BaseException) -> str:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    else:
        orig = getattr(exc, "orig", None)
        text = str(orig if orig is not None else exc)
    lines = text.strip().splitlines()
    first = (lines[0] if lines else type(exc).__name__).split(" (Background on this error")[0].strip()
    if isinstance(exc, DBAPIError | SQLAlchemyError):
        first = f"database error: {first}"
    elif not isinstance(exc, OSError) and not type(exc).__module__.startswith("malbas"):
        # Not one of malbas's own errors: a fault in malbas or a library, named so that it can be reported.
        first = f"unexpected {type(exc).__name__}: {first}" if lines else f"unexpected {type(exc).__name__}"
    return redact_in_text(first)
