"""What every command shares: the database the user chose, resolved once and only when a command needs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from malbas.cli.errors import fail
from malbas.urls import redact_in_text

if TYPE_CHECKING:  # imported when a command first needs the database: `malbas --help` stays quick
    from sqlalchemy import Engine

    from malbas.target import Target


class Context:
    def __init__(self, database_url: str | None, debug: bool) -> None:
        self.database_url = database_url
        self.debug = debug
        self._target: Target | None = None
        # How long to wait, at most, for another malbas starting the server or migrating (None: the defaults).
        self.lock_wait: float | None = None

    def target(self) -> Target:
        if self._target is None:
            from malbas.target import resolve

            try:
                self._target = resolve(self.database_url, wait_seconds=self.lock_wait)
            except ValueError as exc:  # a URL the URL parser cannot read (`[::1` …): the user's input, no fault
                fail(f"the database URL cannot be read: {redact_in_text(str(exc))}")
        return self._target

    def engine(self) -> Engine:
        """An engine on the chosen database, as it is (for reads)."""
        from malbas.database import engine_for

        return engine_for(self.target())

    def migrated_engine(self) -> Engine:
        """An engine on the chosen database after migrating it to the newest schema (for writes). A database
        already at the head is left alone without importing Alembic (a second off a short load)."""
        from malbas.database import current_revision, migrate
        from malbas.revision import HEAD_REVISION

        engine = self.engine()
        if current_revision(engine) != HEAD_REVISION:
            migrate(self.target(), wait_seconds=self.lock_wait)
        return engine


pass_ctx = click.make_pass_decorator(Context)
