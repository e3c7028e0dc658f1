"""The scheduled load: one run at a time, guarded by a PostgreSQL advisory lock."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from malbas.etl.load.ahead import PARSE_AHEAD, ParseAheadSettings
from malbas.etl.load.runner import FileResult, load_candidates, report_files
from malbas.etl.load.scan import Candidate

# An arbitrary constant identifying "the malbas nightly load" among advisory locks.
NIGHTLY_LOCK_KEY = 7_420_615_001


class LockBusy(RuntimeError):
    pass


@contextmanager
def nightly_lock(engine: Engine, wait_seconds: float) -> Iterator[None]:
    """Hold the nightly lock for the duration of the block; wait at most `wait_seconds` for it."""
    conn = engine.connect()
    try:
        deadline = time.monotonic() + wait_seconds
        while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": NIGHTLY_LOCK_KEY}).scalar_one():
            conn.rollback()
            if time.monotonic() >= deadline:
                raise LockBusy(
                    f"another nightly load is running (waited {wait_seconds:g} s for its lock); try again later"
                )
            time.sleep(0.2)
        conn.commit()
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": NIGHTLY_LOCK_KEY})
                conn.commit()
            except SQLAlchemyError:
                pass  # the database went away during the run, and the lock with its session
    finally:
        conn.close()


def run_nightly(
    engine: Engine,
    inbox: Path | list[Path] | list[Candidate],
    *,
    wait_seconds: float = 60.0,
    on_result: Callable[[FileResult], None] | None = None,
    run_id: uuid.UUID | None = None,
    parsing: ParseAheadSettings = PARSE_AHEAD,
) -> list[FileResult]:
    """Load the inbox folder (or its already listed candidates) while holding the nightly lock."""
    items = [inbox] if isinstance(inbox, Path) else inbox
    candidates = [c for item in items for c in ([item] if isinstance(item, Candidate) else report_files([item]))]
    with nightly_lock(engine, wait_seconds):
        return load_candidates(engine, candidates, on_result=on_result, run_id=run_id, parsing=parsing)
