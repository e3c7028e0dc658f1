"""Faults against the real database: killed connections, timeouts, a stopped server. Nothing half-written survives."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from malbas.access import grant_reader
from malbas.etl.load import writer
from malbas.etl.load.runner import load_paths
from malbas.urls import to_sqlalchemy_url
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM
from tests.test_load import snapshot


def test_connection_killed_mid_load_rolls_back_and_next_run_succeeds(engine, monkeypatch):
    load_paths(engine, [VB_HASSELBY])
    before = snapshot(engine)

    def killed(conn, *args, **kwargs):
        conn.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    monkeypatch.setattr(writer, "_write_economy", killed)
    [result] = load_paths(engine, [T1_RINKEBY])
    assert result.status == "failed" and result.fel.startswith("database error: ")
    assert "\n" not in result.fel
    monkeypatch.undo()
    assert snapshot(engine) == before
    assert [r.status for r in load_paths(engine, [T1_RINKEBY])] == ["loaded"]


def test_statement_timeout_fails_cleanly(engine, monkeypatch):
    def slow(conn, *args, **kwargs):
        conn.execute(text("SET LOCAL statement_timeout = 50"))
        conn.execute(text("SELECT pg_sleep(2)"))

    monkeypatch.setattr(writer, "_write_activities", slow)
    [result] = load_paths(engine, [VB_NORRMALM])
    assert result.status == "failed" and "statement timeout" in result.fel
    assert snapshot(engine)["rapport"] == 0


def test_lock_timeout_fails_cleanly(engine, database_url):
    impatient = create_engine(to_sqlalchemy_url(database_url), connect_args={"options": "-c lock_timeout=200"})
    with psycopg.connect(database_url) as holder:
        holder.execute("LOCK TABLE namnd IN ACCESS EXCLUSIVE MODE")
        [result] = load_paths(impatient, [VB_NORRMALM])
    impatient.dispose()
    assert result.status == "failed" and "lock timeout" in result.fel
    assert snapshot(engine)["rapport"] == 0


def test_embedded_server_stopped_under_a_running_load(monkeypatch):
    from malbas import embedded
    from malbas.database import Target, migrate

    root = Path(tempfile.mkdtemp(prefix="malbas-stop-"))
    root.chmod(0o711)  # the server's user passes through it
    try:
        server = embedded.start(root)
        migrate(Target(url=server.url(), embedded=True, where="test"))
        engine = create_engine(to_sqlalchemy_url(server.url()))

        def stop_server(conn, *args, **kwargs):
            embedded.stop(root)
            conn.execute(text("SELECT 1"))

        monkeypatch.setattr(writer, "_write_activities", stop_server)
        [result] = load_paths(engine, [VB_NORRMALM])
        assert result.status == "failed" and result.fel.startswith("database error: ")
        monkeypatch.undo()
        engine.dispose()
        embedded.start(root)  # after a restart nothing of the interrupted load is visible
        with create_engine(to_sqlalchemy_url(server.url())).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM rapport")).scalar_one() == 0
    finally:
        embedded.stop(root)
        shutil.rmtree(root, ignore_errors=True)


def test_grant_reader_can_select_but_not_write(engine, database_url):
    load_paths(engine, [VB_NORRMALM])
    grant_reader(engine, "malbas_test_reader", "läs-bara:1")
    reader_url = make_url(to_sqlalchemy_url(database_url)).set(username="malbas_test_reader", password="läs-bara:1")
    reader = create_engine(reader_url)
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM indikatorrad")).scalar_one() == 90
        with pytest.raises(Exception, match="permission denied"), reader.begin() as conn:
            conn.execute(text("DELETE FROM utfall"))
    finally:
        reader.dispose()
    with pytest.raises(ValueError, match="invalid role name"):
        grant_reader(engine, "x; DROP TABLE namnd")


def test_grant_reader_refuses_the_loaders_own_role(engine):
    with engine.connect() as conn:
        me = conn.execute(text("SELECT current_user")).scalar_one()
    with pytest.raises(ValueError, match="the role malbas itself connects as"):
        grant_reader(engine, me)
    # the loader still works afterwards
    assert [r.status for r in load_paths(engine, [VB_NORRMALM])] == ["loaded"]


# 001 l.258: "  Andel barn som lever i familjer som har ekonomiskt bistånd\t3,1 %\t\t\t3,3 %…": the outcome cell
LINE_258 = "  Andel barn som lever i familjer som har ekonomiskt bistånd\t3,1 %\t\t\t3,3 %"


@pytest.mark.parametrize("cell", ["<5", ">5", "Q4", "x5"])
def test_a_strange_cell_is_text_not_a_crash(engine, tmp_path, cell):
    from tests.test_load import utfall_of

    odd = tmp_path / "odd.txt"
    odd.write_text(VB_HASSELBY.read_text(encoding="utf-8").replace(LINE_258, LINE_258.replace("3,1 %", cell)))
    [result] = load_paths(engine, [odd])
    assert result.status == "loaded", result.line()
    name = "Andel barn som lever i familjer som har ekonomiskt bistånd"
    assert utfall_of(engine, name) == [None]  # the cell is kept as text, with no number
    with engine.connect() as conn:
        assert (
            conn.execute(
                text(
                    "SELECT u.text FROM utfall u JOIN indikatorrad r ON r.id = u.indikatorrad_id "
                    "WHERE r.namn = :n AND u.kon = 'totalt'"
                ),
                {"n": name},
            ).scalar_one()
            == cell
        )


def test_any_exception_in_one_file_is_that_files_one_line_error(engine, tmp_path, monkeypatch):
    """A fault in malbas itself (here: a parser bug) fails that file only: one line naming it, its history row
    finished, the other files loaded."""
    from malbas.etl.load import ahead

    real = ahead.parse_reading

    def buggy(reading, **kwargs):
        if kwargs.get("kalla") == "b.txt":
            raise ValueError("could not convert string to float: '<5'\nsecond line")
        return real(reading, **kwargs)

    monkeypatch.setattr(ahead, "parse_reading", buggy)
    shutil.copy(VB_HASSELBY, tmp_path / "a.txt")
    shutil.copy(VB_NORRMALM, tmp_path / "b.txt")
    shutil.copy(T1_RINKEBY, tmp_path / "c.txt")
    results = load_paths(engine, [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"])
    assert [r.status for r in results] == ["loaded", "failed", "loaded"]
    assert results[1].fel == "unexpected ValueError: could not convert string to float: '<5'"
    with engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM laddning ORDER BY id")).scalars().all()
    assert statuses == ["loaded", "failed", "loaded"]


# The child restores Python's Ctrl-C handler: a process started with SIGINT ignored (a background job of a
# non-interactive shell, as pytest may be) would otherwise inherit the ignore, unlike malbas run at a terminal.
_CHILD_LOAD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from malbas.etl.load import writer
def stuck(conn, *args, **kwargs):
    print("writing", flush=True)
    time.sleep(120)
writer._write_activities = stuck
from malbas.cli import main
main(["--database-url", sys.argv[1], "load", sys.argv[2]])
"""


def _start_stuck_load(database_url, path):
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD_LOAD, database_url, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    return child


def _laddning(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT status, fel, avslutad IS NOT NULL FROM laddning ORDER BY id")).all()


def _wait_for_run_locks_to_go(engine, seconds: float = 20.0) -> None:
    """The server ends a killed client's session (and its locks) when it sees the socket closed: a moment later on
    a busy machine. The next run comes much later in real life; here it waits for that moment, bounded."""
    import time

    from malbas.etl.load.history import RUN_LOCK_CLASS

    deadline = time.monotonic() + seconds
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = :c")
    while True:
        with engine.connect() as conn:
            if conn.execute(query, {"c": RUN_LOCK_CLASS}).scalar_one() == 0:
                return
        assert time.monotonic() < deadline, "the killed run's session outlived its process"
        time.sleep(0.05)


def test_a_killed_run_leaves_no_row_running_after_the_next_run(engine, database_url):
    import signal

    load_paths(engine, [T1_RINKEBY])
    child = _start_stuck_load(database_url, VB_NORRMALM)
    try:
        # While it is alive, its row is running and another run (which only skips) leaves it so.
        assert [r.status for r in load_paths(engine, [T1_RINKEBY])] == ["skipped"]
        assert [s for s, _, _ in _laddning(engine)] == ["loaded", "running", "skipped"]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    _wait_for_run_locks_to_go(engine)
    load_paths(engine, [VB_HASSELBY])
    rows = _laddning(engine)
    assert rows[1] == ("interrupted", "the load run ended before this file was done (killed or interrupted)", True)
    assert [s for s, _, _ in rows] == ["loaded", "interrupted", "skipped", "loaded"]
    assert snapshot(engine)["rapport"] == 2  # nothing of the killed load is visible


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_an_interrupted_load_marks_its_file_and_says_so(engine, database_url, how):
    import signal

    child = _start_stuck_load(database_url, VB_NORRMALM)
    child.send_signal(getattr(signal, how))
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 130
    assert out.splitlines()[-1].startswith("total: 0 files")
    [(status, fel, finished)] = _laddning(engine)
    assert (status, fel, finished) == ("interrupted", "interrupted while loading this file", True)
    assert snapshot(engine)["rapport"] == 0


@pytest.mark.parametrize("command", ["load", "nightly"])
def test_database_down_mid_run_still_prints_every_file_and_the_totals(monkeypatch, tmp_path, command):
    """The server goes away after the first report is written: the remaining files fail with a database error,
    and the command still prints one line per file and the totals (the statistics refresh cannot run)."""
    from click.testing import CliRunner

    from malbas import embedded
    from malbas.cli import main
    from malbas.database import Target, migrate

    root = Path(tempfile.mkdtemp(prefix="malbas-down-"))
    root.chmod(0o711)  # the server's user passes through it
    try:
        server = embedded.start(root)
        migrate(Target(url=server.url(), embedded=True, where="test"))
        real = writer.write_report
        calls = []

        def write_then_stop(conn, *args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                embedded.stop(root)
            return real(conn, *args, **kwargs)

        monkeypatch.setattr("malbas.etl.load.runner.write_report", write_then_stop)
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        for i, sample in enumerate((VB_HASSELBY, T1_RINKEBY, VB_NORRMALM)):
            shutil.copy(sample, inbox / f"{i}.txt")
            os.utime(inbox / f"{i}.txt", (1_000_000 + i, 1_000_000 + i))
        args = ["load", str(inbox)] if command == "load" else ["nightly", "--inbox", str(inbox)]
        result = CliRunner().invoke(main, ["--database-url", server.url(), *args])
        assert result.exit_code == 1, result.output
        lines = result.output.splitlines()
        assert len(lines) == 5, result.output  # 3 files, a note, the totals; no traceback
        body = [line.split(" ", 3)[3] for line in lines] if command == "nightly" else lines
        assert body[0].startswith("loaded")
        assert body[1].startswith("failed") and "database error" in body[1]
        assert body[2].startswith("failed") and "database error" in body[2]
        assert body[3].startswith("note: statistics not refreshed: database error")
        assert body[4].startswith("total: 3 files: 1 loaded, 0 replaced, 0 skipped, 2 failed")
    finally:
        embedded.stop(root)
        shutil.rmtree(root, ignore_errors=True)


def _distinct_words(n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzåäö"
    out = []
    for i in range(n):
        word, k = "", i
        while True:
            word, k = letters[k % len(letters)] + word, k // len(letters)
            if k == 0:
                break
        out.append("ord" + word)
    return out


def test_a_paragraph_too_big_for_full_text_search_is_stored_whole_and_indexed_as_far_as_it_goes(engine, tmp_path):
    """PostgreSQL refuses a tsvector over 1 MB; a paragraph of 150,000 distinct words (about 1.3 MB) must not
    fail the report: the text is stored whole and its beginning is searchable."""
    from malbas import queries

    words = _distinct_words(150_000)
    paragraph = " ".join(words)
    # 004 l.504: the last line of the first nämndmål's description, before "Förväntat resultat" (l.506)
    anchor = "prioriterade grupper får vetskap om samt söker feriejobb i stadens regi. \n"
    source = VB_NORRMALM.read_text(encoding="utf-8")
    assert source.count(anchor) == 1
    big = tmp_path / "big.txt"
    big.write_text(source.replace(anchor, anchor + paragraph + "\n"), encoding="utf-8")
    [result] = load_paths(engine, [big])
    assert result.status == "loaded", result.line()
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT length(text) FROM maltext WHERE strpos(text, :w) > 0"), {"w": words[-1]}
        ).scalar_one()
    assert stored > len(paragraph)
    hits = queries.search(engine, words[10], limit=5)
    assert len(hits) == 1


def test_a_copy_the_database_refuses_is_a_database_error_and_writes_nothing(engine):
    from sqlalchemy.exc import IntegrityError

    from malbas.errors import describe
    from malbas.etl.enrich.report import enrich
    from malbas.etl.parse.parser import PARSER_VERSION, parse_file

    rapport = parse_file(VB_NORRMALM)
    rapport.mal[0].bedomning = "kanske"  # not in the vocabulary: the CHECK refuses the COPY
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        writer.write_report(conn, enrich(rapport), kalla="x.txt", parser_version=PARSER_VERSION)
    assert describe(caught.value).startswith('database error: new row for relation "mal" violates check constraint')
    assert snapshot(engine)["rapport"] == 0
