"""`malbas indikatorer`: the indicators stored, and which spellings were merged into one."""

from __future__ import annotations

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail
from malbas.cli.formats import column_list, columns_option, csv_dialect_option, dialect


@click.command()
@click.option("--alias", "aliases", is_flag=True, help="List the indicators printed in more than one spelling.")
@click.option("--kf", "kf_only", is_flag=True, help="Only KF indicators.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@csv_dialect_option
@columns_option
@pass_ctx
def indikatorer(
    obj: Context, aliases: bool, kf_only: bool, fmt: str, csv_dialect: str | None, columns: str | None
) -> None:
    """The indicators: one per indicator whatever its spelling, with the number of reports and districts.

    With --alias: every spelling merged into an indicator, how it matched (referens, alias, stavning, namn)
    and the reports it comes from."""
    from malbas import catalogue, execute, output

    name = "indikatoralias" if aliases else "indikatorer"
    query = catalogue.get(name)
    with execute.reading(obj.target()) as connection:
        result = execute.run(
            connection, query, catalogue.bind_values(query, {"kf_indikator": "ja" if kf_only else None})
        )
    shown = column_list(columns) or (query.table_columns if fmt == "table" else ())
    try:
        if shown:
            result = result.select([*shown])
    except catalogue.QueryError as exc:
        fail(str(exc))
    output.write(result, fmt, None, dialect=dialect(csv_dialect))


COMMANDS = (indikatorer,)
