"""The load history (`laddning`): one row per file per run, which must tell the truth.

`running` means running: every run holds a session advisory lock of its own while it works, so the next run
can tell rows left by a run that was killed (its lock is gone) from rows of a run still going, and marks the
former `interrupted`. Writing history is best effort once the database has gone away; the caller reports the
failure itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from malbas.errors import describe
from malbas.models import Laddning
from malbas.vocabulary import LaddningStatus

# Advisory locks "a malbas load run is alive": (this class, hashtext(run id)). Two int4 keys, so they never
# collide with the nightly lock's single bigint key.
RUN_LOCK_CLASS = 74_206_150
INTERRUPTED_REASON = "the load run ended before this file was done (killed or interrupted)"


def now() -> datetime:
    return datetime.now(UTC)


def _lock_args(run_id: uuid.UUID | str) -> dict[str, Any]:
    return {"c": RUN_LOCK_CLASS, "r": str(run_id)}


def mark_interrupted(conn: Connection, exclude: uuid.UUID | None = None) -> int:
    """Mark `running` rows of runs that are no longer alive as `interrupted`; returns how many."""
    marked = 0
    runs = conn.execute(select(Laddning.korning).where(Laddning.status == LaddningStatus.RUNNING).distinct()).scalars()
    for run in list(runs):
        if exclude is not None and str(run) == str(exclude):
            continue
        alive = not conn.execute(text("SELECT pg_try_advisory_lock(:c, hashtext(:r))"), _lock_args(run)).scalar_one()
        if alive:
            continue
        conn.execute(text("SELECT pg_advisory_unlock(:c, hashtext(:r))"), _lock_args(run))
        marked += conn.execute(
            update(Laddning)
            .where(Laddning.korning == run, Laddning.status == LaddningStatus.RUNNING)
            .values(status=LaddningStatus.INTERRUPTED, avslutad=func.now(), fel=INTERRUPTED_REASON)
        ).rowcount
    conn.commit()
    return marked


@contextmanager
def run_alive(engine: Engine, run_id: uuid.UUID) -> Iterator[None]:
    """Hold this run's liveness lock for the block, after marking the rows of dead runs `interrupted`.
    When the database cannot be reached the block runs anyway (every file then fails and says why)."""
    try:
        conn = engine.connect()
    except SQLAlchemyError:
        yield
        return
    try:
        try:
            conn.execute(text("SELECT pg_advisory_lock(:c, hashtext(:r))"), _lock_args(run_id))
            conn.commit()
            mark_interrupted(conn, exclude=run_id)
        except SQLAlchemyError:
            pass
        yield
    finally:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:c, hashtext(:r))"), _lock_args(run_id))
            conn.commit()
        except SQLAlchemyError:
            pass  # the connection is gone, and with it the lock
        conn.close()


def start(engine: Engine, run_id: uuid.UUID, fil: str) -> int | None:
    try:
        with engine.begin() as conn:
            return conn.execute(
                insert(Laddning)
                .values(korning=run_id, startad=now(), status=LaddningStatus.RUNNING, fil=fil)
                .returning(Laddning.id)
            ).scalar_one()
    except SQLAlchemyError:
        return None  # the database is unreachable: the load itself will fail and say why


def finish_in(conn: Connection, history_id: int | None, **values: Any) -> None:
    """Finish a history row in the caller's transaction (with the report it wrote, atomically)."""
    if history_id is not None:
        conn.execute(update(Laddning).where(Laddning.id == history_id).values(avslutad=now(), **values))


def finish(engine: Engine, history_id: int | None, **values: Any) -> str | None:
    """Finish a history row; returns why it could not be written (None when it was). A report the row points
    at that another load has replaced meanwhile is left out (the row keeps its status and counts)."""
    if history_id is None:
        return None
    try:
        try:
            with engine.begin() as conn:
                finish_in(conn, history_id, **values)
        except IntegrityError:
            with engine.begin() as conn:
                finish_in(conn, history_id, **(values | {"rapport_id": None}))
    except SQLAlchemyError as exc:
        return describe(exc)
    return None


def record(conn: Connection, **values: Any) -> None:
    """One finished history row, in the caller's transaction (for actions that are not a file load, such as
    deleting a report)."""
    conn.execute(insert(Laddning).values(startad=now(), avslutad=now(), **values))


def first_seen(
    conn: Connection, *, fil: str, sha256: str, status: str, fel: str, before: int | None
) -> datetime | None:
    """When this same file (path and bytes) first failed this same way, if it did in an earlier row."""
    query = select(func.min(Laddning.startad)).where(
        Laddning.fil == fil, Laddning.sha256 == sha256, Laddning.status == status, Laddning.fel == fel
    )
    if before is not None:
        query = query.where(Laddning.id < before)
    return conn.execute(query).scalar_one()


def last_verdict(conn: Connection, sha256: str) -> tuple[str, datetime] | None:
    """The last loaded/replaced/deleted row for these bytes: was the file's report last written or deleted?"""
    return last_verdicts(conn, [sha256]).get(sha256)


def last_verdicts(conn: Connection, shas: list[str]) -> dict[str, tuple[str, datetime]]:
    """`last_verdict` of many files' bytes at once, by SHA-256 (bytes without a verdict left out)."""
    rows = conn.execute(
        select(Laddning.sha256, Laddning.status, Laddning.avslutad)
        .where(
            Laddning.sha256.in_(shas),
            Laddning.status.in_([LaddningStatus.LOADED, LaddningStatus.REPLACED, LaddningStatus.DELETED]),
            Laddning.avslutad.is_not(None),
        )
        .order_by(Laddning.avslutad.desc(), Laddning.id.desc())
    )
    verdicts: dict[str, tuple[str, datetime]] = {}
    for sha, status, when in rows:
        if sha is not None and when is not None:
            verdicts.setdefault(sha, (status, when))
    return verdicts
