"""Commands that answer questions: saved queries and full-text search."""

from __future__ import annotations

from pathlib import Path

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the saved queries.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "xlsx"]),
    default=None,
    help="Output format (default: the -o file's extension, else a table).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file (.csv, .xlsx, .json).")
@click.option("--pivot", is_flag=True, help="Spread the result out as the query declares (e.g. indicator × district).")
@pass_ctx
def query(
    obj: Context,
    name: str | None,
    list_: bool,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    pivot: bool,
) -> None:
    """Run a saved query (see --list)."""
    if list_ or not name:
        from malbas.catalogue import catalogue  # listing needs neither pandas nor the database

        for q in catalogue().values():
            click.echo(f"{q.name:<28} {q.description}")
            for p in q.params:
                click.echo(f"{'':<30}-p {p.name}=…  {'(required) ' if p.required else ''}{p.description}")
            if q.pivot is not None:
                click.echo(f"{'':<30}--pivot  one row per {q.pivot.index}, one column per {q.pivot.columns}")
        return
    from malbas import queries
    from malbas.database import require_schema

    try:
        values = queries.parse_params(params)
        saved = queries.get(name)
        queries.output_format(fmt, output)  # refuse a wrong extension before running anything
        if pivot and saved.pivot is None:
            queries.pivot(queries.typed_frame([], []), saved)
        engine = obj.engine()
        require_schema(engine)
        frame = queries.run(name, engine=engine, **values)
        if frame.empty:
            reason = f": {saved.when_empty}" if saved.when_empty else ""
            click.echo(f"no rows{reason}", err=True)
        if pivot:
            frame = queries.pivot(frame, saved)
        queries.write(frame, fmt, output)
    except queries.QueryError as exc:
        fail(str(exc))


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@pass_ctx
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
        click.echo(f"{row.namnd} · {row.period} · {row.var} · rad {row.rad}")
        click.echo(f"    {row.utdrag}")


COMMANDS = (query, search)
