"""Alembic environment. The URL comes from the caller (malbas.database.alembic_config), else DATABASE_URL,
else the embedded server: the last two serve `alembic upgrade head` / `alembic check` run from a checkout."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from malbas.models import Base

config = context.config
if config.config_file_name is not None and not config.attributes.get("url"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    given = config.attributes.get("url")
    if given:
        return given
    from malbas import database, embedded, urls

    configured = database.configured_url()
    return urls.to_sqlalchemy_url(configured or embedded.start().url())


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
