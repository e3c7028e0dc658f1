"""Commands that read reports: parse, load, nightly, demo."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail, printable
from malbas.etl.parse.identity import Hints
from malbas.vocabulary import Rapporttyp, values


def identity_options(command: Callable[..., None]) -> Callable[..., None]:
    """--namnd, --rapporttyp, --ar: the identity of a report whose text does not say it (or says it wrongly)."""
    command = click.option("--ar", type=click.IntRange(1990, 2100), help="The report's year, if the text does not say.")(
        command
    )
    command = click.option(
        "--rapporttyp",
        type=click.Choice(values(Rapporttyp), case_sensitive=False),
        help="The report kind, if the text does not say.",
    )(command)
    return click.option("--namnd", help="The committee, e.g. 'Skarpnäcks stadsdelsnämnd', if the text does not say.")(
        command
    )


def hints_from(namnd: str | None, rapporttyp: str | None, ar: int | None) -> Hints | None:
    if namnd is None and rapporttyp is None and ar is None:
        return None
    return Hints(namnd=namnd, rapporttyp=Rapporttyp(rapporttyp.upper()) if rapporttyp else None, ar=ar)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full parse as JSON (the export contract).")
@identity_options
def parse(file: Path, as_json: bool, namnd: str | None, rapporttyp: str | None, ar: int | None) -> None:
    """Parse one report and print a summary with its coverage and data-quality notes (or --json: parse and
    enrichment)."""
    from malbas.etl.enrich.report import enrich
    from malbas.etl.export import summary_lines, to_export
    from malbas.etl.parse.errors import ParseError
    from malbas.etl.parse.parser import parse_file
    from malbas.etl.pdf import is_pdf
    from malbas.vocabulary import Textform

    try:
        report = parse_file(file, hints_from(namnd, rapporttyp, ar))
        with file.open("rb") as head:
            if is_pdf(head.read(1024)):
                report.dokument.textform = Textform.PDF
    except ParseError as exc:
        fail(f"{file}: {exc}")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    if as_json:
        click.echo(json.dumps(to_export(enrich(report)), ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(summary_lines(report)))


def _print_result(result) -> None:  # noqa: ANN001 - FileResult
    click.echo(printable(result.line()))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_ctx
def load(obj: Context, paths: tuple[Path, ...]) -> None:
    """Load report files and directories (one transaction per report; unchanged files are skipped)."""
    from malbas.etl.load.maintenance import vacuum_analyze_after
    from malbas.etl.load.runner import load_paths, totals_line

    engine = obj.migrated_engine()
    results = load_paths(engine, list(paths), on_result=_print_result)
    vacuum_analyze_after(engine, results)
    click.echo(totals_line(results))
    if any(r.status == "failed" for r in results):
        sys.exit(1)


@click.command()
@click.option("--inbox", required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--wait", default=60.0, show_default=True, help="Seconds to wait for a running load to finish.")
@pass_ctx
def nightly(obj: Context, inbox: Path, wait: float) -> None:
    """Scheduled entry point: load new and changed files from INBOX, one run at a time."""
    from malbas.etl.load.maintenance import vacuum_analyze_after
    from malbas.etl.load.nightly import LockBusy, run_nightly
    from malbas.etl.load.runner import FileResult, report_files, totals_line

    engine = obj.migrated_engine()
    files = report_files([inbox])
    results: list[FileResult] = []
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=len(files), label="loading", file=sys.stderr) as bar:

                def on_result(result: FileResult) -> None:
                    results.append(result)
                    bar.update(1)

                run_nightly(engine, files, wait_seconds=wait, on_result=on_result)
            for r in results:
                _print_result(r)
        else:
            results = run_nightly(engine, files, wait_seconds=wait, on_result=_print_result)
    except LockBusy as exc:
        fail(str(exc), 75)
    vacuum_analyze_after(engine, results)
    click.echo(totals_line(results))
    if any(r.status == "failed" for r in results):
        sys.exit(1)


@click.command()
@click.option(
    "--reports",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="Folder of reports to load (default: the sample reports shipped with malbas).",
)
@pass_ctx
def demo(obj: Context, reports: Path | None) -> None:
    """Load the sample reports and print a cross-district comparison of a KF indicator."""
    from malbas import queries, samples
    from malbas.etl.load.runner import load_paths, totals_line

    target = obj.target()
    click.echo(f"database: {target.where}")
    engine = obj.migrated_engine()
    paths = [reports] if reports else samples.paths()
    results = load_paths(engine, paths, on_result=_print_result)
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
    click.echo('\nNext: malbas query --list · psql "$(malbas db url)" · malbas search "ekonomiskt bistånd"')


COMMANDS = (parse, load, nightly, demo)
