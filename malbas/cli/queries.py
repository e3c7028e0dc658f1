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
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@pass_ctx
def query(obj: Context, name: str | None, list_: bool, params: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Run a saved query (see --list)."""
    from malbas import queries
    from malbas.database import require_schema

    if list_ or not name:
        for q in queries.catalogue().values():
            click.echo(f"{q.name:<28} {q.description}")
            for p in q.params:
                click.echo(f"{'':<30}-p {p.name}=…  {'(required) ' if p.required else ''}{p.description}")
        return
    try:
        values = queries.parse_params(params)
        queries.get(name)
        engine = obj.engine()
        require_schema(engine)
        frame = queries.run(name, engine=engine, **values)
    except queries.QueryError as exc:
        fail(str(exc))
    queries.write(frame, fmt, output)


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
