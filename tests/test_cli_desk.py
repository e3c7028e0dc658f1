"""The command line at a Swedish desk and in a terminal: query help and completion, chosen columns, CSV for
Swedish Excel by flag or locale, a progress bar only in a terminal, user errors as one clear line, psql arguments."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner
from sqlalchemy import Engine

from malbas.cli import main
from malbas.cli.progress import FileProgress
from malbas.etl.load.runner import load_paths
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM

MALBAS = Path(sys.executable).parent / "malbas"
PERSONER = "Andel personer som har ekonomiskt bistånd i förhållande till befolkningen"


def _cli(database_url: str, *args: str, env: dict[str, str] | None = None):  # noqa: ANN202 - click's Result
    return CliRunner(env=env).invoke(main, ["--database-url", database_url, *args], catch_exceptions=False)


def _completions(args: list[str], incomplete: str) -> list[str]:
    return [
        item.value for item in ShellComplete(main, {}, "malbas", "_MALBAS_COMPLETE").get_completions(args, incomplete)
    ]


@pytest.fixture
def norrmalm(engine: Engine) -> Engine:
    """Norrmalm's VB 2021 (004) loaded."""
    assert [r.status for r in load_paths(engine, [VB_NORRMALM])] == ["loaded"]
    return engine


# --- help and completion -----------------------------------------------------------------------------------


def test_query_help_lists_the_parameters_and_their_values() -> None:
    result = CliRunner().invoke(main, ["query", "indikator_per_namnd", "--help"])
    assert result.exit_code == 0, result.output
    help_text = " ".join(result.output.split())  # click wraps lines
    assert "Parameters (-p NAME=VALUE):" in result.output
    assert "indikator (required) case-insensitive part of the indicator name" in help_text
    assert "rapporttyp VP, T1, T2 or VB (default: all) [VP | T1 | T2 | VB]" in help_text
    assert "[a year such as 2021]" in help_text and "senaste ja for each district's latest" in help_text
    assert "--csv-dialect [plain|sv]" in help_text and "--columns" in help_text
    niva = CliRunner().invoke(main, ["query", "malbedomningar", "--help"])
    assert "[inriktningsmal | verksamhetsomradesmal | namndmal]" in " ".join(niva.output.split())


def test_an_unknown_query_is_one_line() -> None:
    result = CliRunner().invoke(main, ["query", "no_such_query"])
    assert result.exit_code == 1
    assert result.output.startswith("malbas: unknown query 'no_such_query'; saved queries: ")
    assert result.output.count("\n") == 1


def test_completion_of_query_names_and_parameters() -> None:
    assert _completions(["query"], "indikator_") == [
        "indikator_jamforelse",
        "indikator_over_tid",
        "indikator_per_namnd",
    ]
    assert _completions(["query", "indikator_per_namnd", "-p"], "") == ["indikator=", "ar=", "rapporttyp=", "senaste="]
    assert _completions(["query", "indikator_per_namnd", "-p"], "rapporttyp=") == [
        "rapporttyp=VP",
        "rapporttyp=T1",
        "rapporttyp=T2",
        "rapporttyp=VB",
    ]


def test_completion_of_indicator_names_from_the_database(norrmalm: Engine, database_url: str, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    found = _completions(["query", "indikator_per_namnd", "-p"], "indikator=andel personer som har")
    assert f"indikator={PERSONER}" in found  # 004 l.355, completed whatever the case typed
    assert all(v.casefold().startswith("indikator=andel personer som har") for v in found)
    assert "namnd=Norrmalms stadsdelsnämnd" in _completions(["query", "indikator_over_tid", "-p"], "namnd=Norr")


def test_completion_fails_silently_without_a_database(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    started = time.monotonic()
    assert _completions(["query", "indikator_per_namnd", "-p"], "indikator=Andel") == []
    assert time.monotonic() - started < 10
    monkeypatch.setenv("DATABASE_URL", "not a url")
    assert _completions(["query", "indikator_per_namnd", "-p"], "indikator=") == []


# --- columns and CSV ---------------------------------------------------------------------------------------


def test_tables_are_narrow_and_columns_chosen(norrmalm: Engine, database_url: str) -> None:
    table = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}")
    assert table.exit_code == 0, table.output
    header = table.stdout.splitlines()[0]
    assert "arsmal_uppnatt_grund" in header and "kalla" not in header and "indikator_id" not in header
    assert max(len(line) for line in table.stdout.splitlines()) <= 160
    assert "| 0,48 |" in table.stdout.replace(" ", "").replace("|0,48|", "| 0,48 |")  # 004 l.355, decimal comma
    chosen = _cli(database_url, "query", "indikator_per_namnd", "-p", "indikator=bistånd", "--columns", "rad,namnd")
    assert chosen.stdout.splitlines()[0].split() == ["|", "rad", "|", "namnd", "|"]
    bad = _cli(database_url, "query", "indikator_per_namnd", "-p", "indikator=bistånd", "--columns", "nope")
    assert bad.exit_code == 1 and "no column nope in the result; its columns: namnd, ar" in bad.stderr


def _swedish_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_for_swedish_excel_by_locale_or_flag(norrmalm: Engine, database_url: str, tmp_path: Path) -> None:
    args = ["query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "--format", "csv"]
    swedish = {"LANG": "sv_SE.UTF-8", "LC_ALL": "", "LC_NUMERIC": ""}
    by_locale = _cli(database_url, *args, env=swedish)
    rows = _swedish_rows(by_locale.stdout_bytes)
    row = dict(zip(rows[0], rows[1], strict=True))
    # 004 l.355: 0,48 % (män 0,53, kvinnor 0,43) against årsmål 0,5: met.
    assert (row["namnd"], row["ar"], row["utfall"], row["utfall_man"], row["arsmal"]) == (
        "Norrmalm",
        "2021",
        "0,48",
        "0,53",
        "0,5",
    )
    assert row["arsmal_uppnatt"] == "yes"
    plain = _cli(database_url, *args, "--csv-dialect", "plain", env=swedish)
    assert plain.stdout.startswith("namnd,ar,") and ",0.48," in plain.stdout
    english = _cli(database_url, *args, env={"LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_NUMERIC": ""})
    assert english.stdout.startswith("namnd,ar,")
    out = tmp_path / "bistand.csv"
    to_file = _cli(database_url, *args[:-2], "--csv-dialect", "sv", "-o", str(out))
    assert to_file.exit_code == 0, to_file.output
    assert _swedish_rows(out.read_bytes())[1][4] == "0,48"


# --- progress --------------------------------------------------------------------------------------------


def test_the_progress_bar_counts_files_and_says_the_time_left(capsys) -> None:
    progress = FileProgress(2, bar=True)
    progress.done("loaded    a.txt")
    progress.done("loaded    b.txt")
    progress.close()
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["loaded    a.txt", "loaded    b.txt"]
    assert "loading" in captured.err and "0/2" in captured.err and "1/2" in captured.err
    assert "<" in captured.err  # tqdm's [elapsed<left]


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal of 120 columns
    process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True)
    os.close(terminal)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_load_in_a_terminal_shows_a_bar_and_in_a_pipe_lines_only(engine: Engine, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    shown = _run_in_terminal([str(MALBAS), "load", str(T1_RINKEBY), str(VB_HASSELBY)], env)
    assert "loading" in shown and "1/2" in shown and "<" in shown, shown
    assert "loaded    " in shown and "total: 2 files: 2 loaded" in shown
    piped = subprocess.run(
        [str(MALBAS), "load", str(T1_RINKEBY), str(VB_HASSELBY)], env=env, capture_output=True, text=True, check=False
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines()[0].startswith("skipped   ") and "loading" not in piped.stdout + piped.stderr


# --- user errors, psql, English ---------------------------------------------------------------------------


@pytest.mark.parametrize("env", [{}, {"MALBAS_READER_PASSWORD": "pw"}], ids=["no-password", "password"])
def test_grant_reader_names_a_bad_role_in_one_line(env: dict[str, str], database_url: str) -> None:
    result = CliRunner(env=env).invoke(main, ["--database-url", database_url, "db", "grant-reader", "bad name;drop"])
    assert result.exit_code == 1
    assert result.output == (
        "malbas: invalid role name 'bad name;drop': use lower-case letters, digits and _ (at most 63)\n"
    )


def test_grant_reader_refuses_the_loader_in_one_line(engine: Engine, database_url: str) -> None:
    from sqlalchemy.engine import make_url

    loader = make_url(engine.url).username
    result = _cli(database_url, "db", "grant-reader", str(loader), "--no-password")
    assert result.exit_code == 1 and "unexpected" not in result.output
    assert result.output.startswith(f"malbas: {loader} is the role malbas itself connects as")


def test_db_shell_passes_its_arguments_to_psql(norrmalm: Engine, database_url: str) -> None:
    result = subprocess.run(
        [
            str(MALBAS),
            "--database-url",
            database_url,
            "db",
            "shell",
            "-X",
            "-A",
            "-t",
            "-c",
            "SELECT count(*) FROM rapport",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


def test_search_speaks_english(norrmalm: Engine, database_url: str) -> None:
    result = _cli(database_url, "search", "ekonomiskt bistånd", "--limit", "1")
    assert result.exit_code == 0 and " · line " in result.stdout and " · rad " not in result.stdout


def test_parse_summary_speaks_english(tmp_path) -> None:  # noqa: ANN001
    text = T1_RINKEBY.read_text(encoding="utf-8")
    # 000 l.2834-2854, a survey table of bare counts, without its header 'Fråga Ja Ja delvis Nej Vet ej Ej svarat':
    # its rows are table rows nobody reads
    headless = tmp_path / "headless.txt"
    headless.write_text(text.replace("Fråga Ja Ja delvis Nej Vet ej Ej svarat", "", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(headless)])
    assert "    table row at line 2839: 0 of 5 numbers accounted for" in result.output
    assert "tabellrad" not in result.output
    # with its header, and l.2844 '16 2 1 2 2' one count short: the key-figure table leaves that row unread
    # (which column is empty cannot be known): its four counts and its question's number '4.' (l.2841)
    gap = tmp_path / "gap.txt"
    gap.write_text(text.replace("\n16 2 1 2 2", "\n16 2 1 2", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(gap)])
    assert "    key-figure table at line 2834: 18 of 23 numbers accounted for" in result.output
    assert "nyckeltal at" not in result.output


def test_reports_and_indicators_take_columns(norrmalm: Engine, database_url: str) -> None:
    listed = _cli(database_url, "reports", "--columns", "namnd,period,tackning")
    assert listed.exit_code == 0, listed.output
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in listed.stdout.splitlines()]
    assert rows[0] == ["namnd", "period", "tackning"] and rows[2:] == [["Norrmalm", "VB 2021", "100.0%"]]
    kf = _cli(database_url, "indikatorer", "--kf", "--format", "csv", "--csv-dialect", "plain", "--columns", "niva")
    assert set(kf.stdout.splitlines()[1:]) == {"KF"}
    bad = _cli(database_url, "indikatorer", "--columns", "nope")
    assert bad.exit_code == 1 and "no column nope in the result" in bad.stderr


@pytest.mark.parametrize("command", [["reports"], ["db", "status"], ["query", "malbedomningar"]], ids=" ".join)
def test_a_database_url_that_cannot_be_read_is_the_users_input(command: list[str]) -> None:
    result = CliRunner().invoke(main, ["--database-url", "postgresql://analyst:S3CRET@[::1/malbas", *command])
    assert result.exit_code == 1
    assert result.output == "malbas: the database URL cannot be read: Invalid IPv6 URL\n"
