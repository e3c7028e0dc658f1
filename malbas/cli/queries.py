"""Commands that answer questions: saved queries and full-text search.

Each saved query is a command of its own under `malbas query`, made from its SQL header: `malbas query NAME
--help` lists its parameters with the values they take, and the shell completes query names, parameter names
and values (indicator and committee names from the database when it answers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from malbas.cli.completion import complete_param
from malbas.cli.context import Context
from malbas.cli.errors import fail
from malbas.cli.formats import column_list, columns_option, csv_dialect_option, dialect

if TYPE_CHECKING:
    from malbas.catalogue import SavedQuery
    from malbas.result import Result


class SavedQueryCommand(click.Command):
    """One saved query; its help lists the parameters (`-p NAME=VALUE`) and what each accepts."""

    def __init__(self, saved: SavedQuery, **kwargs: Any) -> None:
        super().__init__(saved.name, **kwargs)
        self.saved = saved

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from malbas import catalogue as queries  # no pandas

        formatter.write_paragraph()
        formatter.write_text(self.saved.description)
        rows = []
        for p in self.saved.params:
            allowed = queries.allowed_values(p.name)
            rows.append(
                (f"{p.name}{' (required)' if p.required else ''}", p.description + (f" [{allowed}]" if allowed else ""))
            )
        if rows:
            with formatter.section("Parameters (-p NAME=VALUE)"):
                formatter.write_dl(rows)
        notes = []
        if self.saved.pivot is not None:
            pv = self.saved.pivot
            notes.append(f"--pivot: one row per {pv.index}, one column per {pv.columns} ({pv.values})")
        if self.saved.when_empty:
            notes.append(f"no rows when: {self.saved.when_empty}")
        if notes:
            with formatter.section("Notes"):
                for note in notes:
                    formatter.write_text(note)


def _note_periods(result: Result, pivoted: bool) -> None:
    """Say on stderr which periods a comparison across districts holds, when it holds more than one."""
    from malbas.pivot import periods
    from malbas.result import missing

    found = periods(result)
    if len(found) > 1 and "namnd" in result.columns and len({v for v in result.values("namnd") if not missing(v)}) > 1:
        where = "each column names its period" if pivoted else "each row says its period (ar, rapporttyp)"
        click.echo(f"note: rows from {len(found)} periods ({', '.join(found)}); {where}", err=True)


def _shown_columns(saved: SavedQuery, result: Result, chosen: list[str], *, table: bool) -> Result:
    """The columns asked for; else, in a table, the query's main ones; else all."""
    if chosen:
        return result.select(chosen)
    if table and saved.table_columns and not result.empty:
        return result.select([c for c in saved.table_columns if c in result.columns])
    return result


def _run_saved(
    obj: Context,
    saved: SavedQuery,
    params: tuple[str, ...],
    fmt: str | None,
    csv_dialect: str | None,
    output: Path | None,
    pivot: bool,
    columns: str | None,
) -> None:
    # psycopg and plain rows: neither SQLAlchemy nor pandas (only xlsx needs pandas), so a query answers at once
    from malbas import catalogue, execute
    from malbas import output as writers
    from malbas import pivot as pivoting

    try:
        values = catalogue.parse_params(params)
        fmt = writers.output_format(fmt, output)  # refuse a wrong extension before running anything
        if pivot:
            pivoting.require_pivot(saved)
        binds = catalogue.bind_values(saved, values)  # and bad parameters before connecting
        with execute.reading(obj.target()) as connection:
            result = execute.run(connection, saved, binds)
        if result.empty:
            reason = f": {saved.when_empty}" if saved.when_empty else ""
            click.echo(f"no rows{reason}", err=True)
        else:
            _note_periods(result, pivot)
        if pivot:
            result = pivoting.pivot(result, saved)
        result = _shown_columns(saved, result, column_list(columns), table=fmt == "table" and not pivot)
        writers.write(result, fmt, output, dialect=dialect(csv_dialect))
    except catalogue.QueryError as exc:
        fail(str(exc))


def _command_for(saved: SavedQuery) -> click.Command:
    from malbas import catalogue as queries  # no pandas

    accepted = {p.name: queries.choices(p.name) for p in saved.params}

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:  # noqa: ANN401
        return complete_param(ctx, incomplete, accepted)

    @click.pass_obj
    def callback(obj: Context, **options: Any) -> None:
        _run_saved(obj, saved, **options)

    command = SavedQueryCommand(saved, callback=callback, short_help=saved.description)
    command.params = [
        click.Option(
            ["-p", "--param", "params"],
            multiple=True,
            metavar="NAME=VALUE",
            help="A parameter of the query (repeatable; see Parameters).",
            shell_complete=complete,
        ),
        click.Option(
            ["--format", "fmt"],
            type=click.Choice(queries.formats()),
            default=None,
            help="Output format (default: the -o file's extension, else a table).",
        ),
        click.Option(["-o", "--output"], type=click.Path(path_type=Path), help="Write to a file (.csv, .xlsx, .json)."),
        click.Option(["--pivot"], is_flag=True, help="Spread the result out as the query declares."),
    ]
    csv_dialect_option(command)
    columns_option(command)
    return command


class SavedQueries(click.Group):
    """The saved queries as subcommands, read from the catalogue when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from malbas.catalogue import catalogue  # no pandas: listing and help stay quick

        return list(catalogue())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from malbas import catalogue

        try:
            return _command_for(catalogue.get(cmd_name))
        except catalogue.QueryError as exc:
            if ctx.resilient_parsing:  # completing, not running: offer nothing, say nothing
                return None
            fail(str(exc))


@click.group(cls=SavedQueries, invoke_without_command=True, subcommand_metavar="NAME [OPTIONS]")
@click.option("--list", "list_", is_flag=True, help="List the saved queries and their parameters.")
@click.pass_context
def query(ctx: click.Context, list_: bool) -> None:
    """Run a saved query: malbas query NAME -p KEY=VALUE … (see --list, or malbas query NAME --help)."""
    if ctx.invoked_subcommand is not None:
        return
    from malbas import catalogue as queries  # no pandas: listing stays quick

    for q in queries.catalogue().values():
        click.echo(f"{q.name:<28} {q.description}")
        for p in q.params:
            allowed = queries.allowed_values(p.name)
            required = "(required) " if p.required else ""
            click.echo(f"{'':<30}-p {p.name}=…  {required}{p.description}" + (f" [{allowed}]" if allowed else ""))
        if q.pivot is not None:
            click.echo(f"{'':<30}--pivot  one row per {q.pivot.index}, one column per {q.pivot.columns}")


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.pass_obj
def search(obj: Context, words: tuple[str, ...], limit: int) -> None:
    """Swedish full-text search over analysis texts, indicator comments, deviations and report sections.

    Web-search syntax: "a phrase", -excluded, or."""
    from malbas import queries
    from malbas.database import require_schema

    engine = obj.engine()
    require_schema(engine)
    frame = queries.search(engine, " ".join(words), limit=limit)
    if frame.empty:
        click.echo("no matches")
        return
    for row in frame.itertuples():
        click.echo(f"{row.namnd} · {row.period} · {row.var} · line {row.rad}")
        click.echo(f"    {row.utdrag}")


COMMANDS = (query, search)
