"""The `malbas` command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import click

from malbas.database import Target, engine_for, one_line_error, resolve, upgrade


class Context:
    def __init__(self, database_url: str | None, debug: bool) -> None:
        self.database_url = database_url
        self.debug = debug
        self._target: Target | None = None

    def target(self) -> Target:
        if self._target is None:
            self._target = resolve(self.database_url)
        return self._target

    def migrated_engine(self):  # noqa: ANN201 - sqlalchemy Engine
        target = self.target()
        upgrade(target)
        return engine_for(target)


pass_ctx = click.make_pass_decorator(Context)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"malbas: {message}", err=True)
    sys.exit(code)


class MalbasGroup(click.Group):
    """Turns any unexpected exception into a one-line error (the traceback only with --debug)."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (`malbas … | head`): not an error; keep Python from complaining at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the CLI boundary
            if "--debug" in sys.argv or os.environ.get("MALBAS_DEBUG"):
                traceback.print_exc()
            fail(one_line_error(exc))


@click.group(cls=MalbasGroup)
@click.option("--database-url", envvar="DATABASE_URL", help="PostgreSQL URL (default: the embedded server).")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="malbas")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, debug: bool) -> None:
    """malbas: goal follow-up database for Stockholm's district committees."""
    ctx.obj = Context(database_url, debug)


# --- parse -------------------------------------------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full parse as JSON (the export contract).")
def parse(file: Path, as_json: bool) -> None:
    """Parse one report and print a summary (or --json)."""
    from etl.parse.errors import ParseError
    from etl.parse.export import summary_lines, to_export
    from etl.parse.parser import parse_file

    try:
        rapport = parse_file(file)
    except ParseError as exc:
        fail(f"{file}: {exc}")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    if as_json:
        click.echo(json.dumps(to_export(rapport), ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(summary_lines(rapport)))


# --- load / nightly ----------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_ctx
def load(obj: Context, paths: tuple[Path, ...]) -> None:
    """Load report files and directories (one transaction per report; unchanged files are skipped)."""
    from etl.load.maintenance import vacuum_analyze_after
    from etl.load.runner import load_paths, totals_line

    engine = obj.migrated_engine()
    results = load_paths(engine, list(paths), on_result=lambda r: click.echo(r.line()))
    vacuum_analyze_after(engine, results)
    click.echo(totals_line(results))
    if any(r.status == "failed" for r in results):
        sys.exit(1)


@main.command()
@click.option("--inbox", required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--wait", default=60.0, show_default=True, help="Seconds to wait for a running load to finish.")
@pass_ctx
def nightly(obj: Context, inbox: Path, wait: float) -> None:
    """Scheduled entry point: load new and changed files from INBOX, one run at a time."""
    from etl.load.maintenance import vacuum_analyze_after
    from etl.load.nightly import LockBusy, run_nightly
    from etl.load.runner import report_files, totals_line

    engine = obj.migrated_engine()
    files = report_files([inbox])
    results = []
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=len(files), label="loading", file=sys.stderr) as bar:

                def on_result(result) -> None:  # noqa: ANN001
                    results.append(result)
                    bar.update(1)

                run_nightly(engine, files, wait_seconds=wait, on_result=on_result)
            for r in results:
                click.echo(r.line())
        else:
            results = run_nightly(engine, files, wait_seconds=wait, on_result=lambda r: click.echo(r.line()))
    except LockBusy as exc:
        fail(str(exc), 75)
    vacuum_analyze_after(engine, results)
    click.echo(totals_line(results))
    if any(r.status == "failed" for r in results):
        sys.exit(1)


# --- queries and search ------------------------------------------------------------------------------------


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the saved queries.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@pass_ctx
def query(obj: Context, name: str | None, list_: bool, params: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Run a saved query from queries/ (see --list)."""
    from malbas import queries

    if list_ or not name:
        for q in queries.catalogue().values():
            click.echo(f"{q.name:<28} {q.description}")
            for p in q.params:
                click.echo(f"{'':<30}-p {p.name}=…  {'(required) ' if p.required else ''}{p.description}")
        return
    try:
        values = queries.parse_params(params)
        frame = queries.run(name, engine=obj.migrated_engine(), **values)
    except queries.QueryError as exc:
        fail(str(exc))
    queries.write(frame, fmt, output)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@pass_ctx
def search(obj: Context, words: tuple[str, ...], limit: int) -> None:
    """Swedish full-text search over analysis texts, indicator comments, deviations and report sections.

    Web-search syntax: "a phrase", -excluded, or."""
    from malbas import queries

    frame = queries.search(obj.migrated_engine(), " ".join(words), limit=limit)
    if frame.empty:
        click.echo("no matches")
        return
    for row in frame.itertuples():
        click.echo(f"{row.namnd} · {row.period} · {row.var} · rad {row.rad}")
        click.echo(f"    {row.utdrag}")


# --- demo --------------------------------------------------------------------------------------------------


@main.command()
@click.option("--reports", type=click.Path(path_type=Path, exists=True), default=None)
@pass_ctx
def demo(obj: Context, reports: Path | None) -> None:
    """Load sample_reports/ and print a cross-district comparison of a KF indicator."""
    from etl.load.runner import load_paths, totals_line
    from malbas import queries
    from malbas.database import PROJECT_ROOT

    target = obj.target()
    click.echo(f"database: {target.where}")
    engine = obj.migrated_engine()
    folder = reports or PROJECT_ROOT / "sample_reports"
    results = load_paths(engine, [folder], on_result=lambda r: click.echo(r.line()))
    click.echo(totals_line(results))
    indicator = queries.common_kf_indicator(engine)
    if indicator is None:
        click.echo("no KF indicator is present in every loaded report yet")
        return
    click.echo(f"\nindikator_per_namnd — {indicator}")
    frame = queries.run("indikator_per_namnd", engine=engine, indikator=indicator)
    frame["osaker"] = frame["osaker"].notna().map({True: "ja", False: ""})
    columns = ["namnd", "ar", "rapporttyp", "utfall", "utfall_kvinnor", "utfall_man", "foregaende_utfall"]
    columns += ["prognos", "arsmal", "kf_arsmal", "arsmal_uppnatt", "osaker", "kalla", "rad"]
    queries.write(frame[columns], "table", None)
    click.echo(f'\nNext: malbas query --list · psql "$(malbas db url)" · malbas search "{"ekonomiskt bistånd"}"')


# --- db ----------------------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database: migrate, connect, inspect, start/stop the embedded server."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(obj: Context) -> None:
    """Migrate the database to the newest schema."""
    target = obj.target()
    upgrade(target)
    click.echo(f"schema at head · {target.where}")


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
    click.echo(url)


@db.command("shell")
@pass_ctx
def db_shell(obj: Context) -> None:
    """Open psql on the database."""
    import shutil

    from malbas import embedded

    psql = shutil.which("psql") or str(embedded.psql_path())
    sys.exit(subprocess.call([psql, obj.target().url]))


@db.command("status")
@pass_ctx
def db_status(obj: Context) -> None:
    """Show where the database is, its schema revision and row counts per table."""
    from sqlalchemy import func, select

    import models
    from malbas.database import current_revision

    target = obj.target()
    engine = engine_for(target)
    click.echo(f"database: {target.where}")
    if target.embedded:
        from malbas import embedded

        server = embedded.status()
        if server:
            click.echo(f"tcp:      {server.tcp_url()}  (JDBC: jdbc:postgresql://127.0.0.1:{server.port}/malbas)")
    click.echo(f"revision: {current_revision(engine) or '(not migrated: run malbas db upgrade)'}")
    if current_revision(engine):
        with engine.connect() as conn:
            for table in models.Base.metadata.sorted_tables:
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


@db.command("grant-reader")
@click.argument("role")
@click.option("--password", default=None, help="Let the role log in with this password.")
@pass_ctx
def db_grant_reader(obj: Context, role: str, password: str | None) -> None:
    """Create or update ROLE so that it can only read (SELECT) — for analysts and BI tools."""
    from malbas.access import grant_reader

    engine = obj.migrated_engine()
    grant_reader(engine, role, password)
    click.echo(f"role {role} can read every malbas table (SELECT only)")


if __name__ == "__main__":
    main()
