"""Which database to use and how to reach it: --database-url, then DATABASE_URL, then the embedded server."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


@dataclass(frozen=True)
class Target:
    url: str  # libpq URL (psql, pandas, psycopg)
    embedded: bool
    where: str  # human description, passwords hidden

    @property
    def sqlalchemy_url(self) -> str:
        return to_sqlalchemy_url(self.url)


SCHEME = re.compile(r"^postgres(?:ql)?(?:\+\w+)?://")
_URL_IN_TEXT = re.compile(r"postgres(?:ql)?(?:\+\w+)?://\S+")


def to_sqlalchemy_url(url: str) -> str:
    """postgresql://… -> postgresql+psycopg://… (SQLAlchemy's default driver would be psycopg2)."""
    return SCHEME.sub("postgresql+psycopg://", url)


def to_libpq_url(url: str) -> str:
    return SCHEME.sub("postgresql://", url)


def redact(url: str) -> str:
    """The URL with any password replaced by ***, safe for logs, errors and laddning."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL must still never leak a secret
        return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def one_line_error(exc: BaseException) -> str:
    """An exception as one line for the user: the driver's first line, no SQL, no passwords."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    first = (lines[0] if lines else type(exc).__name__).split(" (Background on this error")[0]
    if isinstance(exc, DBAPIError | SQLAlchemyError):
        first = f"database error: {first}"
    return _URL_IN_TEXT.sub(lambda m: redact(m.group(0)), first)


def resolve(explicit: str | None = None, *, start_embedded: bool = True) -> Target:
    url = explicit or os.environ.get("DATABASE_URL")
    if url:
        if not SCHEME.match(url):
            raise ValueError(f"DATABASE_URL must be a PostgreSQL URL (postgresql://…), got {redact(url)!r}")
        libpq = to_libpq_url(url)
        return Target(url=libpq, embedded=False, where=redact(libpq))
    from malbas import embedded

    server = embedded.start() if start_embedded else embedded.status()
    if server is None:
        raise RuntimeError("the embedded PostgreSQL is not running (start it with `malbas db start`)")
    return Target(url=server.url(), embedded=True, where=f"embedded PostgreSQL in {server.pgdata}")


def engine_for(target: Target, **kwargs: object) -> Engine:
    return create_engine(target.sqlalchemy_url, **kwargs)  # type: ignore[arg-type]


def alembic_config(url: str):  # noqa: ANN201 - alembic.config.Config
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["url"] = to_sqlalchemy_url(url)
    return cfg


def upgrade(target: Target, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(target.url), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
