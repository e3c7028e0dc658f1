"""Faults against the real database: killed connections, timeouts, a stopped server. Nothing half-written survives."""

from __future__ import annotations

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
    grant_reader(engine, "malbas_test_reader")
    reader_url = make_url(to_sqlalchemy_url(database_url)).set(username="malbas_test_reader", password=None)
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
