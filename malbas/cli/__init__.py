"""The `malbas` command line. Each command group lives in a module of its own; this one wires them up."""

from __future__ import annotations

import os
import sys
import traceback

import click

from malbas.cli.context import Context
from malbas.cli.errors import fail, fail_with


class MalbasGroup(click.Group):
    """Turns any unexpected exception into a one-line error (the traceback only with --debug)."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's own return type
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
            fail_with(exc)


@click.group(cls=MalbasGroup)
@click.option("--database-url", envvar="DATABASE_URL", help="PostgreSQL URL (default: the embedded server).")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="malbas")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, debug: bool) -> None:
    """malbas: goal follow-up database for Stockholm's district committees."""
    ctx.obj = Context(database_url, debug)


def _register() -> None:
    from malbas.cli import db, extract, indicators, queries, reports, serve

    for command in (
        *reports.COMMANDS,
        *extract.COMMANDS,
        *queries.COMMANDS,
        *indicators.COMMANDS,
        *serve.COMMANDS,
        db.db,
    ):
        main.add_command(command)


_register()

if __name__ == "__main__":
    main()
