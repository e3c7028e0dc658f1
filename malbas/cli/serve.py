"""`malbas serve`: the read-only web view."""

from __future__ import annotations

from pathlib import Path

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free one)."
)
@click.option(
    "--role",
    envvar="MALBAS_SERVE_ROLE",
    help="Read as this read-only role (made with `malbas db grant-reader`); env MALBAS_SERVE_ROLE.",
)
@click.option(
    "--sources",
    "folders",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder holding the report files, to show a number's line when a file has moved (repeatable).",
)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Requests served at once.")
@pass_ctx
def serve(obj: Context, host: str, port: int, role: str | None, folders: tuple[Path, ...], threads: int) -> None:
    """Serve the read-only web view: compare districts in charts, every number linked to its source line."""
    from waitress import create_server

    from malbas.web import create_app
    from malbas.web.connection import readonly_engine
    from malbas.web.sources import SourceFinder

    target = obj.target()
    engine = readonly_engine(target, role)
    app = create_app(engine, SourceFinder(engine, folders))
    try:
        server = create_server(app, host=host, port=port, threads=threads)
    except OSError as exc:
        engine.dispose()
        fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"database: {target.where}{f' (as role {role})' if role else ''}, read-only")
    click.echo(f"serving http://{shown}:{server.effective_port}/  (Ctrl-C stops)", err=False)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        engine.dispose()


COMMANDS = (serve,)
