"""`malbas db …`: migrate, connect, inspect, start and stop the embedded server, grant read access."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail


@click.group()
def db() -> None:
    """Database: migrate, connect, inspect, start/stop the embedded server."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(obj: Context) -> None:
    """Migrate the database to the newest schema."""
    from malbas.database import migrate

    target = obj.target()
    migrate(target)
    click.echo(f"schema at head · {target.where}")


@db.command("rederive")
@pass_ctx
def db_rederive(obj: Context) -> None:
    """Derive again, for every stored report, what malbas derives on loading: indicator identities, verdicts and
    their reasons, deviations, economy column meanings, plan evidence. `db upgrade` does it when a migration
    asks for it; run it after a change of those rules without reloading the files."""
    from malbas.etl.load.rederive import rederive

    engine = obj.migrated_engine()
    with engine.begin() as conn:
        rederive(conn)
    click.echo(f"derived columns derived again · {obj.target().where}")


@db.command("url")
@click.option("--tcp", is_flag=True, help="Print the 127.0.0.1 TCP URL (for JDBC tools) of the embedded server.")
@click.option("--jdbc", is_flag=True, help="Print a JDBC URL for DBeaver / Metabase.")
@pass_ctx
def db_url(obj: Context, tcp: bool, jdbc: bool) -> None:
    """Print a libpq URL for psql and pandas (starts the embedded server if needed)."""
    target = obj.target()
    url = target.url
    if (tcp or jdbc) and target.embedded:
        from malbas import embedded

        server = embedded.status()
        assert server is not None
        url = server.tcp_url()
    if jdbc:
        from sqlalchemy.engine import make_url

        u = make_url(url)
        # JDBC has no Unix sockets: a socket URL (host=/dir in the query) means the server on this machine.
        socket = not u.host or u.host.startswith("/")
        host = "127.0.0.1" if socket else u.host
        port = u.port or u.query.get("port") or 5432
        ssl = f"&sslmode={u.query['sslmode']}" if "sslmode" in u.query else ""
        url = f"jdbc:postgresql://{host}:{port}/{u.database}?user={u.username or ''}{ssl}"
        if target.embedded:
            from malbas import embedded

            # On stderr, so that `$(malbas db url --jdbc)` stays the URL alone.
            click.echo(
                f"password: the last field of {embedded.passfile()} (or a reader: malbas db grant-reader)", err=True
            )
    click.echo(url)


@db.command("shell", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
@pass_ctx
def db_shell(obj: Context, psql_args: tuple[str, ...]) -> None:
    """Open psql on the database; the arguments after it go to psql as they are
    (`malbas db shell -c 'SELECT count(*) FROM rapport'`, `malbas db shell -f queries/malbedomningar.sql`)."""
    import shutil

    from malbas import embedded

    psql = shutil.which("psql") or str(embedded.psql_path())
    sys.exit(subprocess.call([psql, obj.target().url, *psql_args]))


@db.command("status")
@pass_ctx
def db_status(obj: Context) -> None:
    """Show where the database is, its schema revision and row counts per table."""
    from sqlalchemy import func, select

    from malbas.database import current_revision
    from malbas.models import Base

    target = obj.target()
    engine = obj.engine()
    click.echo(f"database: {target.where}")
    if target.embedded:
        from malbas import embedded

        server = embedded.status()
        if server:
            click.echo(f"tcp:      {server.tcp_url()}  (JDBC: jdbc:postgresql://127.0.0.1:{server.port}/malbas)")
    revision = current_revision(engine)
    click.echo(f"revision: {revision or '(not migrated: run malbas db upgrade)'}")
    if revision:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                n = conn.execute(select(func.count()).select_from(table)).scalar_one()
                click.echo(f"  {table.name:<16} {n:>8}")


@db.command("start")
def db_start() -> None:
    """Start the embedded PostgreSQL (it keeps running until `malbas db stop`)."""
    from malbas import embedded

    server = embedded.start()
    click.echo(f"embedded PostgreSQL running in {server.pgdata}")
    click.echo(f"  socket: {server.url()}")
    click.echo(f"  tcp:    {server.tcp_url()}")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL."""
    from malbas import embedded

    click.echo("stopped" if embedded.stop() else "the embedded PostgreSQL was not running")


PASSWORD_ENV = "MALBAS_READER_PASSWORD"


def _reader_password(role: str, from_stdin: bool, keep: bool) -> str | None:
    """The reader's password from the environment, standard input or a prompt; never from the command line
    (a command line is visible to every user in `ps` and stays in shell history)."""
    if keep:
        return None
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("no password on standard input")
        return password
    if sys.stdin.isatty():
        return click.prompt(f"Password for {role}", hide_input=True, confirmation_prompt=True)
    fail(f"give the password on a terminal prompt, with --password-stdin or in {PASSWORD_ENV} (or --no-password)")


@db.command("grant-reader")
@click.argument("role")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--no-password", "keep", is_flag=True, help="Leave the role's password as it is.")
@click.option("--password", "password_argument", hidden=True, default=None)
@pass_ctx
def db_grant_reader(obj: Context, role: str, password_stdin: bool, keep: bool, password_argument: str | None) -> None:
    """Create or update ROLE so that it can only read (SELECT) — for analysts and BI tools.

    The password is read from MALBAS_READER_PASSWORD, standard input (--password-stdin) or a prompt."""
    from malbas.access import check_role_name, grant_reader

    if password_argument is not None:
        fail("a password on the command line shows in `ps`: use the prompt, --password-stdin or " + PASSWORD_ENV)
    try:
        check_role_name(role)  # before asking for a password
        password = _reader_password(role, password_stdin, keep)
        engine = obj.migrated_engine()
        grant_reader(engine, role, password)
    except ValueError as exc:  # the role or password given cannot be used: the user's input, not a fault
        fail(str(exc))
    click.echo(f"role {role} can read every malbas table (SELECT only)" + ("" if keep else ", with the new password"))
