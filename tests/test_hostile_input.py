"""Hostile input that once loaded junk, printed a password or gave an unclear error: a report whose numbers are
all suppressed, URLs and DSNs of every form, a symbolic link loop in the inbox, an output file in no folder,
a reader role that cannot be one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from malbas.cli import main
from malbas.etl.load.runner import load_paths
from malbas.etl.parse.parser import parse_file
from tests.conftest import VB_NORRMALM

# ------------------------------------------------------------------------------- suppressed cells


def suppressed_copy(tmp_path):
    """004 with every number replaced by '<5', as in a report with privacy-suppressed cells; years (and the
    goal numbers on the goal markers' lines, which make the goal tree) kept."""
    out = []
    for line in VB_NORRMALM.read_text(encoding="utf-8").split("\n"):
        if "mål:" not in line and "mål för verksamhetsområdet" not in line:
            number = r"(?<!\S)-?\d+(?:,\d+)?(?=\s|$|%)"
            line = re.sub(number, lambda m: m.group(0) if re.fullmatch(r"(?:19|20)\d\d", m.group(0)) else "<5", line)
        out.append(line)
    path = tmp_path / "suppressed.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def test_suppressed_cells_are_text_cells_of_their_row_never_a_row(tmp_path):
    good = parse_file(VB_NORRMALM)
    suppressed = parse_file(suppressed_copy(tmp_path))
    # The report prints 90 indicator rows (README, the plausibility guard's example: indicator rows 90): with its
    # numbers suppressed it still has those 90, each on the line it starts on, and no more.
    assert len(good.indikatorer) == 90
    assert [r.rad for r in suppressed.indikatorer] == [r.rad for r in good.indikatorer]
    for row in suppressed.indikatorer:
        assert not row.namn.startswith(("<", "5")), row.namn
        assert "Tas fram" not in row.namn and "<5 %" not in row.namn, row.namn
    # 'Antal aspiranter som fått Stockholmsjobb' prints six values and its period: all six are text cells now.
    aspiranter = next(r for r in suppressed.indikatorer if r.namn == "Antal aspiranter som fått Stockholmsjobb")
    assert aspiranter.utfall is None and aspiranter.text["utfall"] == "<5 st"
    assert aspiranter.period == "VB 2021"


def test_indicator_identities_go_with_the_report_that_made_them(engine, database_url, tmp_path):
    def keys() -> set[str]:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT nyckel FROM indikator")).scalars())

    [good_alone] = load_paths(engine, [VB_NORRMALM])
    assert good_alone.status == "loaded"
    good_keys = keys()
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE rapport, indikator, laddning, namnd, period RESTART IDENTITY CASCADE"))
    # A version whose rows are named otherwise (as junk rows would be) loads first and makes identities of its
    # own; the good version replaces it, and those identities go with it.
    lines = VB_NORRMALM.read_text(encoding="utf-8").split("\n")
    for row in parse_file(VB_NORRMALM).indikatorer:
        first_word = row.namn.split()[0]
        lines[row.rad - 1] = lines[row.rad - 1].replace(first_word, f"Zyxwv qrstu {first_word}", 1)
    junk = tmp_path / "junk.txt"
    junk.write_text("\n".join(lines), encoding="utf-8")
    [first] = load_paths(engine, [junk])
    assert first.status == "loaded"
    assert keys() and not keys() & good_keys
    [second] = load_paths(engine, [VB_NORRMALM])
    assert second.status == "replaced"
    assert keys() == good_keys
    # Deleting the report takes its indicators with it.
    result = CliRunner().invoke(main, ["--database-url", database_url, "reports", "delete", str(second.rapport_id)])
    assert result.exit_code == 0, result.output
    assert keys() == set()


# ------------------------------------------------------------------------------- passwords

SECRET = "S3cretPw"
URLS = [
    f"mysql://root:{SECRET}@localhost/x",
    f"postgresq://malbas:{SECRET}@localhost/x",
    f"host=localhost password={SECRET} dbname=malbas",
    f"host=localhost password = '{SECRET} x' dbname=malbas",
    f"jdbc:postgresql://localhost:5432/malbas?user=u&password={SECRET}",
    f" postgresql://malbas:{SECRET}@127.0.0.1:1/malbas",
    f"postgresql://malbas:{SECRET}@127.0.0.1:1/malbas?sslpassword={SECRET}",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_no_form_of_url_or_dsn_prints_its_password(url, debug, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    for command in (["reports"], ["db", "status"], ["nightly", "--inbox", "/nonexistent", "--wait", "1"]):
        result = CliRunner().invoke(main, [*debug, *command])
        assert result.exit_code != 0
        assert SECRET not in result.output, result.output
        assert result.output.strip(), "an error says something"


def test_the_real_command_with_debug_prints_no_password():
    for url in (URLS[4], URLS[5]):
        done = subprocess.run(
            [str(Path(sys.executable).parent / "malbas"), "--debug", "reports"],
            env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert "Traceback" in done.stderr  # --debug shows where it failed …
        assert SECRET not in done.stdout + done.stderr  # … and never the password


# ------------------------------------------------------------------------------- the inbox


def test_a_symbolic_link_loop_in_the_inbox_is_skipped_with_a_note(engine, database_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(VB_NORRMALM.read_bytes())
    (inbox / "self").symlink_to(inbox / "self")
    (inbox / "ping").symlink_to(inbox / "pong")
    (inbox / "pong").symlink_to(inbox / "ping")
    result = CliRunner().invoke(main, ["--database-url", database_url, "nightly", "--inbox", str(inbox)])
    assert result.exit_code == 0, result.output
    for name in ("self", "ping", "pong"):
        assert re.search(rf"skipped +{re.escape(str(inbox / name))}: symbolic link loop; not read", result.output)
    assert "1 loaded" in result.output and "0 failed" in result.output


# ------------------------------------------------------------------------------- clear errors


def test_an_output_file_in_no_folder_is_refused_before_the_query_runs(monkeypatch):
    # No server listens on port 1: had the query run, the error would be a connection error.
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/x")
    for target, says in (
        ("/nonexistent/d/x.csv", "/nonexistent/d/x.csv: cannot write there, no folder /nonexistent/d"),
        ("/", "/: is a folder"),
    ):
        result = CliRunner().invoke(main, ["query", "indikator_per_namnd", "-o", target])
        assert result.exit_code == 1
        assert says in result.output, result.output
        assert "database error" not in result.output


@pytest.mark.parametrize(
    ("role", "says"),
    [
        ("Läsare", "invalid role name 'Läsare': use lower-case letters, digits and _"),
        ("1reader", "invalid role name '1reader'"),
        ("postgres", "is the role malbas itself connects as"),
    ],
)
def test_grant_reader_says_what_is_wrong_with_the_role(engine, database_url, role, says, monkeypatch):
    monkeypatch.setenv("MALBAS_READER_PASSWORD", "a reader's password")
    result = CliRunner().invoke(main, ["--database-url", database_url, "db", "grant-reader", role])
    assert result.exit_code == 1
    assert says in result.output, result.output
    assert "unexpected" not in result.output
