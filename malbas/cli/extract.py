"""`malbas extract FILE.pdf`: the text malbas reads from a PDF, so a person can read what the parser read."""

from __future__ import annotations

from pathlib import Path

import click

from malbas.cli.errors import fail


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the text here (default: stdout)."
)
def extract(file: Path, output: Path | None) -> None:
    """Write the tabbed text read from a PDF report (the lines that `rad` counts; a form feed starts each page)."""
    from malbas.etl.errors import ReportError
    from malbas.etl.pdf import is_pdf
    from malbas.etl.pdf.extract import extract as extract_pdf

    try:
        if file.is_dir():
            fail(f"{file}: is a directory, not a PDF file")
        data = file.read_bytes()
        if not is_pdf(data):
            fail(f"{file}: not a PDF (no %PDF- header); text reports are read as they are")
        text = extract_pdf(data).text
    except ReportError as exc:
        fail(f"{file}: {exc}")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}")


COMMANDS = [extract]
