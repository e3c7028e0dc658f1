"""Commands that read reports: parse, load, nightly, reports, demo."""

from __future__ import annotations

import json
import signal
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from malbas.cli.context import Context, pass_ctx
from malbas.cli.errors import fail, fail_line, printable
from malbas.cli.formats import column_list, columns_option, csv_dialect_option, dialect
from malbas.cli.progress import file_progress
from malbas.errors import describe
from malbas.vocabulary import Rapporttyp, values

if TYPE_CHECKING:
    import pandas as pd


def identity_options(command: Callable[..., None]) -> Callable[..., None]:
    """--namnd, --rapporttyp, --ar: the identity of a report whose text does not say it (or says it wrongly)."""
    command = click.option(
        "--ar", type=click.IntRange(1990, 2100), help="The report's year, if the text does not say."
    )(command)
    command = click.option(
        "--rapporttyp",
        type=click.Choice(values(Rapporttyp), case_sensitive=False),
        help="The report kind, if the text does not say.",
    )(command)
    return click.option("--namnd", help="The committee, e.g. 'Skarpnäcks stadsdelsnämnd', if the text does not say.")(
        command
    )


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full parse as JSON (the export contract).")
@identity_options
def parse(file: Path, as_json: bool, namnd: str | None, rapporttyp: str | None, ar: int | None) -> None:
    """Parse one report and print a summary with its coverage and data-quality notes (or --json: parse and
    enrichment)."""
    from malbas.etl.enrich.report import enrich
    from malbas.etl.errors import ReportError
    from malbas.etl.export import summary_lines, to_export
    from malbas.etl.parse.identity import Hints
    from malbas.etl.parse.parser import parse_file

    try:
        report = parse_file(file, Hints.given(namnd, rapporttyp, ar))
    except ReportError as exc:
        fail(f"{file}: {exc}")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    if as_json:
        click.echo(json.dumps(to_export(enrich(report)), ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(summary_lines(report)))


def _print_result(result) -> None:  # noqa: ANN001 - FileResult
    click.echo(printable(result.line()))


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (systemd stopping the service, `kill`) ends a load like Ctrl-C: the file being loaded is rolled
    back and recorded as interrupted, instead of the process vanishing with a `running` history row."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _refresh_statistics(engine, results) -> str | None:  # noqa: ANN001
    """VACUUM (ANALYZE) after writes; a database gone by now must not hide the per-file lines and totals."""
    from sqlalchemy.exc import SQLAlchemyError

    from malbas.errors import describe
    from malbas.etl.load.maintenance import vacuum_analyze_after

    try:
        vacuum_analyze_after(engine, results)
    except SQLAlchemyError as exc:
        return f"statistics not refreshed: {describe(exc)}"
    return None


def _jobs_option(command):  # noqa: ANN001, ANN202 - a click command
    return click.option(
        "--jobs",
        type=click.IntRange(min=0),
        default=None,
        help="Worker processes that parse the next files while one is written "
        "(default: one fewer than the cores, at least 1; 0: parse in the loading process).",
    )(command)


def _parsing(jobs: int | None):  # noqa: ANN202 - ParseAheadSettings, imported when a load runs
    from malbas.etl.load.ahead import PARSE_AHEAD

    return PARSE_AHEAD if jobs is None else replace(PARSE_AHEAD, workers=jobs)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Load even an older version of a report, a deleted one, or one the plausibility guard refuses.",
)
@identity_options
@_jobs_option
@pass_ctx
def load(  # noqa: PLR0913 - the command's options
    obj: Context,
    paths: tuple[Path, ...],
    force: bool,
    namnd: str | None,
    rapporttyp: str | None,
    ar: int | None,
    jobs: int | None,
) -> None:
    """Load report files and directories (one transaction per report; unchanged files are skipped).

    In a terminal a progress bar shows files done and the time left; otherwise one line per file."""
    from malbas.etl.load.runner import FileResult, load_candidates, report_files, totals_line
    from malbas.etl.parse.identity import Hints

    engine = obj.migrated_engine()
    candidates = report_files(list(paths))
    results: list[FileResult] = []
    try:
        with _terminate_as_interrupt(), file_progress(len(candidates)) as progress:

            def on_result(result: FileResult) -> None:
                results.append(result)
                progress.done(result.line())

            load_candidates(
                engine,
                candidates,
                on_result=on_result,
                force=force,
                hints=Hints.given(namnd, rapporttyp, ar),
                parsing=_parsing(jobs),
            )
    except KeyboardInterrupt:
        click.echo(totals_line(results))
        fail("interrupted", 130)
    note = _refresh_statistics(engine, results)
    if note:
        click.echo(f"note: {note}")
    click.echo(totals_line(results))
    if any(r.failed for r in results):
        sys.exit(1)


def _stamp() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@click.command()
@click.option("--inbox", required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--wait", default=60.0, show_default=True, help="Seconds to wait for a running load to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary of the run instead of lines.")
@_jobs_option
@pass_ctx
def nightly(obj: Context, inbox: Path, wait: float, as_json: bool, jobs: int | None) -> None:
    """Scheduled entry point: load new and changed files from INBOX, one run at a time.

    Each line starts with a timestamp and the run id. A file that fails (or is refused) fails the run the
    first night; the same unchanged file failing the same way later is listed as a known failure and does not
    fail the run again. Exit 0 when nothing new failed, 1 otherwise, 75 when another run holds the lock."""
    from malbas.etl.load.nightly import LockBusy, run_nightly
    from malbas.etl.load.runner import FileResult, report_files, rows_written, totals, totals_line

    run_id = uuid.uuid4()
    tag = f"run {run_id.hex[:8]}"
    started = _stamp()

    def stamped(line: str) -> str:
        return f"{_stamp()} {tag} {line}"

    def say(line: str) -> None:
        if not as_json:
            click.echo(printable(stamped(line)))

    obj.lock_wait = wait  # starting the server and migrating wait no longer than the run's own lock
    try:
        engine = obj.migrated_engine()
    except Exception as exc:  # noqa: BLE001 - the run's one error line, with its time and run id
        fail_line(f"{_stamp()} {tag} error: {describe(exc)}", 1)
    candidates = report_files([inbox])
    results: list[FileResult] = []
    interrupted = False
    try:
        with _terminate_as_interrupt(), file_progress(0 if as_json else len(candidates), label=stamped) as progress:

            def on_result(result: FileResult) -> None:
                results.append(result)
                if not as_json:
                    progress.done(result.line())

            run_nightly(
                engine, candidates, wait_seconds=wait, on_result=on_result, run_id=run_id, parsing=_parsing(jobs)
            )
    except LockBusy as exc:
        fail_line(f"{_stamp()} {tag} error: {exc}", 75)
    except KeyboardInterrupt:
        interrupted = True
    note = None if interrupted else _refresh_statistics(engine, results)
    code = 130 if interrupted else (1 if any(r.new_failure for r in results) else 0)
    if as_json:
        summary = {
            "run_id": str(run_id),
            "inbox": str(inbox),
            "started": started,
            "finished": _stamp(),
            "totals": totals(results),
            "rows_written": rows_written(results),
            "new_failures": sum(1 for r in results if r.new_failure),
            "interrupted": interrupted,
            "note": note,
            "exit_code": code,
            "files": [r.as_dict() for r in results],
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        if note:
            say(f"note: {note}")
        say(totals_line(results) + ("; interrupted" if interrupted else ""))
    sys.exit(code)


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@csv_dialect_option
@columns_option
@click.pass_context
def reports(ctx: click.Context, fmt: str, csv_dialect: str | None, columns: str | None) -> None:
    """List the loaded reports (id, nämnd, period, source file, SHA-256, load time, counts, coverage)."""
    if ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from malbas import queries
    from malbas.database import require_schema
    from malbas.etl.load.reports import loaded_reports

    engine = ctx.ensure_object(Context).engine()
    require_schema(engine)
    rows = [
        {
            "id": r.id,
            "namnd": r.namnd,
            "period": r.period,
            "kalla": printable(r.kalla),
            "sha256": r.sha256[:12],
            "laddad": r.laddad.astimezone().strftime("%Y-%m-%d %H:%M"),
            "mal": r.antal.get("mal", 0),
            "indikatorrader": r.antal.get("indikatorrader", 0),
            "aktiviteter": r.antal.get("aktiviteter", 0),
            "ekonomiceller": r.antal.get("ekonomiceller", 0),
            "tackning": None if r.tackning is None else (f"{r.tackning:.1%}" if fmt == "table" else r.tackning),
        }
        for r in loaded_reports(engine)
    ]
    listed = ["id", "namnd", "period", "kalla", "sha256", "laddad", "mal", "indikatorrader", "aktiviteter"]
    frame = pd.DataFrame(rows, columns=[*listed, "ekonomiceller", "tackning"])
    try:
        if column_list(columns):
            frame = queries.select_columns(frame, column_list(columns))
    except queries.QueryError as exc:
        fail(str(exc))
    queries.write(frame, fmt, None, dialect=dialect(csv_dialect))


@reports.command("delete")
@click.argument("report")
@pass_ctx
def reports_delete(obj: Context, report: str) -> None:
    """Delete a loaded report by its id (see `malbas reports`) or its file; recorded in laddning.

    A later load of the same file skips it unless given --force."""
    from malbas.etl.load.reports import ReportNotFound, delete_report

    engine = obj.migrated_engine()
    try:
        gone = delete_report(engine, report)
    except ReportNotFound as exc:
        fail(str(exc))
    click.echo(printable(f"deleted report {gone.id}: {gone.namnd} {gone.period} from {gone.kalla}"))


@click.command()
@click.option(
    "--reports",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="Folder of reports to load (default: the sample reports shipped with malbas).",
)
@pass_ctx
def demo(obj: Context, reports: Path | None) -> None:
    """Load the sample reports and compare a KF indicator across districts, period by period."""
    from malbas import queries, samples
    from malbas.etl.load.runner import FileResult, load_candidates, report_files, totals_line

    target = obj.target()
    click.echo(f"database: {target.where}")
    engine = obj.migrated_engine()
    candidates = report_files([reports] if reports else samples.paths())
    results: list[FileResult] = []
    with file_progress(len(candidates)) as progress:

        def on_result(result: FileResult) -> None:
            results.append(result)
            progress.done(result.line())

        load_candidates(engine, candidates, on_result=on_result)
    click.echo(totals_line(results))
    indicator = queries.common_kf_indicator(engine)
    if indicator is None:
        click.echo("no KF indicator is present in every loaded report yet")
        return
    frame = queries.run("indikator_per_namnd", engine=engine, indikator=indicator, senaste="ja")
    frame = frame[frame["indikator"] == indicator]
    for line in comparison_lines(indicator, frame):
        click.echo(line)
    click.echo('\nNext: malbas query --list · psql "$(malbas db url)" · malbas search "ekonomiskt bistånd"')


WIDTH = 110  # the demo's text lines: as wide as its tables


def comparison_lines(indicator: str, frame: pd.DataFrame) -> Iterator[str]:
    """The demo's comparison, year by year: each district's latest report of the year in a narrow table, the
    period in every row, then the reason for every verdict (and every doubt about a row) under it."""
    import textwrap

    from malbas import output

    yield f"\nKF indicator: {indicator}"
    yield from textwrap.wrap(
        "Compared across districts year by year, each district with its latest report of the year (a VB, or a "
        "tertial report where the VB is not loaded); the period column says which. The KF target (kf_arsmal) is "
        "the city's, the same for every district; arsmal is the district's own.",
        width=WIDTH,
    )
    for year, rows in frame.groupby("ar", sort=True):
        shown = rows.assign(period=rows["rapporttyp"] + " " + rows["ar"].astype(str))
        columns = ["namnd", "period", "utfall", "utfall_kvinnor", "utfall_man", "arsmal", "kf_arsmal", "arsmal_uppnatt"]
        yield f"\n{year}:"
        yield output.table(shown[columns].rename(columns={"utfall_kvinnor": "kvinnor", "utfall_man": "man"}))
        for row in shown.itertuples():
            why = f"{row.namnd} {row.period}: arsmal_uppnatt {output.boolean_text(row.arsmal_uppnatt) or 'unknown'}"
            if isinstance(row.arsmal_uppnatt_grund, str):
                why += f" ({row.arsmal_uppnatt_grund})"
            if isinstance(row.osaker, str):
                why += f"; row uncertain: {row.osaker}"
            yield from textwrap.wrap(why, width=WIDTH, initial_indent="  ", subsequent_indent="    ")


COMMANDS = (parse, load, nightly, reports, demo)
