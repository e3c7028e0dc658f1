"""Options every command that writes a result shares: --format, --csv-dialect and --columns."""

from __future__ import annotations

from collections.abc import Callable

import click

from malbas.output import DIALECTS, CsvDialect, default_dialect


def csv_dialect_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--csv-dialect",
        "csv_dialect",
        type=click.Choice(sorted(DIALECTS)),
        default=None,
        help="CSV for Swedish Excel (sv: ';' between fields, decimal comma, UTF-8 BOM) or for other tools "
        "(plain: ',' and '.'). Default: sv under a Swedish locale (LC_ALL, LC_NUMERIC or LANG sv_*), else plain.",
    )(command)


def columns_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--columns",
        metavar="A,B,…",
        default=None,
        help="The columns to show, in order (default: all; a table shows the query's main columns).",
    )(command)


def dialect(name: str | None) -> CsvDialect:
    return DIALECTS[name] if name else default_dialect()


def column_list(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]
