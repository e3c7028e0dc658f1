"""What every command shares: the database the user chose, resolved once and only when a command needs it."""

from __future__ import annotations

import click
from sqlalchemy import Engine

from malbas.cli.errors import fail
from malbas.database import Target, engine_for, migrate, resolve
from malbas.urls import redact_in_text


class Context:
    def __init__(self, database_url: str | None, debug: bool) -> None:
        self.database_url = database_url
        self.debug = debug
        self._target: Target | None = None

    def target(self) -> Target:
        if self._target is None:
            try:
                self._target = resolve(self.database_url)
            except ValueError as exc:  # a URL the URL parser cannot read (`[::1` …): the user's input, no fault
                fail(f"the database URL cannot be read: {redact_in_text(str(exc))}")
        return self._target

    def engine(self) -> Engine:
        """An engine on the chosen database, as it is (for reads)."""
        return engine_for(self.target())

    def migrated_engine(self) -> Engine:
        """An engine on the chosen database after migrating it to the newest schema (for writes)."""
        migrate(self.target())
        return self.engine()


pass_ctx = click.make_pass_decorator(Context)
