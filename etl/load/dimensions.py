"""Shared dimensions that no report uses any more go with the report that made them.

An indicator identity (`indikator`) is made by the first report that prints it; when that report is replaced
or deleted and no other report has a row of it, the identity is junk (a damaged version may have made many)
and is removed in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

# Rows that another transaction holds (it is writing a report that uses the indicator) are skipped, never
# waited for: that report keeps them, and a later prune takes whatever is left.
_PRUNE = text(
    """
    DELETE FROM indikator WHERE id IN (
        SELECT i.id FROM indikator i
        WHERE NOT EXISTS (SELECT 1 FROM indikatorrad r WHERE r.indikator_id = i.id)
          AND NOT EXISTS (SELECT 1 FROM indikatoralias a WHERE a.indikator_id = i.id)
          AND NOT EXISTS (SELECT 1 FROM utfall u WHERE u.indikator_id = i.id)
        FOR UPDATE SKIP LOCKED
    )
    """
)


def prune_indicators(conn: Connection) -> int:
    """Delete the indicators no report row points at, in the caller's transaction; returns how many."""
    try:
        with conn.begin_nested():
            return conn.execute(_PRUNE).rowcount
    except IntegrityError:
        return 0  # something else points at them (a table this module does not know): they stay
