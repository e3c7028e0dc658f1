"""Which database to use and its URL, without SQLAlchemy (a read through psycopg alone needs no more):

* `configured_url` reads --database-url / DATABASE_URL (nothing else);
* `resolve` picks the target: the configured URL, else the embedded server (started on request).

Making engines and migrating is malbas.database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from malbas.errors import DatabaseError
from malbas.urls import SCHEME, escape_userinfo, redact, remember_secrets, to_libpq_url, to_sqlalchemy_url


@dataclass(frozen=True)
class Target:
    url: str  # libpq URL (psql, pandas, psycopg)
    embedded: bool
    where: str  # human description, passwords hidden

    @property
    def sqlalchemy_url(self) -> str:
        return to_sqlalchemy_url(self.url)


def configured_url(explicit: str | None = None) -> str | None:
    """The URL given with --database-url or DATABASE_URL, as a libpq URL; None when neither is set."""
    url = (explicit or os.environ.get("DATABASE_URL") or "").strip()
    if not url:
        return None
    remember_secrets(url)  # whatever its form, valid or not: no message may show its password
    if not SCHEME.match(url):
        raise DatabaseError(f"DATABASE_URL must be a PostgreSQL URL (postgresql://…), got {redact(url)!r}")
    return to_libpq_url(escape_userinfo(url))


def resolve(explicit: str | None = None, *, start_embedded: bool = True, wait_seconds: float | None = None) -> Target:
    """The configured server, else the embedded one (started when `start_embedded`, else it must be running;
    `wait_seconds` bounds the wait for another malbas starting it)."""
    url = configured_url(explicit)
    if url:
        if "://" in url:
            urlsplit(url.strip()).port  # noqa: B018 - raises ValueError for a URL that cannot be read ('[::1')
        return Target(url=url, embedded=False, where=redact(url))
    from malbas import embedded

    server = embedded.start(wait_seconds=wait_seconds) if start_embedded else embedded.status()
    if server is None:
        raise DatabaseError("the embedded PostgreSQL is not running (start it with `malbas db start`)")
    return Target(url=server.url(), embedded=True, where=f"embedded PostgreSQL in {server.pgdata}")
