"""The embedded server after things went wrong around it: a stale postmaster.pid naming another live process,
its data directory deleted while it runs; and, as root, a home directory it must never open."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from malbas import embedded

MALBAS = str(Path(sys.executable).parent / "malbas")
AS_ROOT = os.geteuid() == 0


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"MALBAS_DATA_DIR": str(data)}
    return subprocess.run([MALBAS, *args], env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def data() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="malbas-faults-"))
    root.chmod(0o711)  # the server's user (as root) passes through it
    try:
        embedded.start(root / "data")
        yield root / "data"
    finally:
        embedded.stop(root / "data")
        shutil.rmtree(root, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether a process runs (a zombie whose parent has not reaped it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _answers(data: Path) -> bool:
    server = embedded.status(data)
    assert server is not None
    with psycopg.connect(server.url(), connect_timeout=10) as conn:
        return conn.execute("SELECT 1").fetchone() == (1,)


def test_a_stale_pid_file_naming_another_live_process_is_recognised_and_recovered(data):
    embedded.start(data)
    pid_file = data / "pgdata" / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    embedded.stop(data)
    # After a crash the file stays behind, and its pid is later reused by an unrelated process.
    unrelated = subprocess.Popen(["sleep", "300"])
    try:
        pid_file.write_text("\n".join([str(unrelated.pid), *lines[1:]]) + "\n")
        assert embedded.status(data) is None  # not our server: nothing runs
        done = _cli("db", "stop", data=data)
        assert done.returncode == 0 and "was not running" in done.stdout
        assert unrelated.poll() is None  # and the unrelated process was left alone
        done = _cli("db", "status", data=data)
        assert done.returncode == 0, done.stderr
        assert _answers(data)
        assert unrelated.poll() is None
    finally:
        unrelated.kill()
        unrelated.wait()


def test_a_data_directory_deleted_under_a_running_server(data):
    embedded.start(data)
    pid = embedded.server_pid(data)
    secret = embedded.owner_password(data)
    shutil.rmtree(data / "pgdata")
    done = _cli("db", "status", data=data)
    assert done.returncode == 1
    assert f"{data / 'pgdata'} was deleted while its server (pid {pid}) still runs" in done.stderr, done.stderr
    assert "malbas db stop" in done.stderr
    assert embedded.owner_password(data) == secret  # pgpass not overwritten
    done = _cli("db", "stop", data=data)
    assert done.returncode == 0 and done.stdout.strip() == "stopped", done.stdout + done.stderr
    assert not _running(pid)
    # Run again: a new, empty database, reachable with the password the tools already hold.
    done = _cli("db", "start", data=data)
    assert done.returncode == 0, done.stderr
    assert embedded.owner_password(data) == secret
    assert _answers(data)


def test_a_failed_start_says_why_from_the_servers_log(data, monkeypatch):
    embedded.start(data)
    port = embedded.status(data).port
    embedded.stop(data)
    # Another server already listens on the port: the real cause, not "database system is shut down".
    other = Path(tempfile.mkdtemp(prefix="malbas-other-"))
    other.chmod(0o711)
    try:
        monkeypatch.setenv("MALBAS_PG_PORT", str(port))
        embedded.start(other / "data")
        with pytest.raises(embedded.EmbeddedError) as caught:
            embedded.start(data)
        assert "Address already in use" in str(caught.value) or "could not" in str(caught.value), caught.value
        assert "database system is shut down" not in str(caught.value)
    finally:
        embedded.stop(other / "data")
        shutil.rmtree(other, ignore_errors=True)
    embedded.start(data)
    assert _answers(data)


# ------------------------------------------------------------------------------------------- root


@pytest.mark.skipif(not AS_ROOT, reason="what malbas does as root")
def test_as_root_no_home_directory_is_opened(monkeypatch):
    base = Path(tempfile.mkdtemp(prefix="malbas-root-"))
    base.chmod(0o711)
    home = base / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    try:
        # A data directory inside a private home: refused, saying what to do, the home left as it was.
        monkeypatch.setenv("MALBAS_DATA_DIR", str(home / "malbas"))
        with pytest.raises(embedded.EmbeddedError) as caught:
            embedded.start()
        message = str(caught.value)
        assert f"{home} is closed to other users (mode 0700)" in message
        assert f"chmod o+x {home}" in message and "MALBAS_DATA_DIR" in message
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        # The default as root is a system folder (here one under the test's own folder), made by malbas.
        monkeypatch.delenv("MALBAS_DATA_DIR")
        monkeypatch.setattr(embedded, "SYSTEM_DATA_DIR", base / "var" / "lib" / "malbas")
        server = embedded.start()
        assert server.pgdata == base / "var" / "lib" / "malbas" / "pgdata"
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE(base.stat().st_mode) == 0o711  # not malbas's to change either
        with psycopg.connect(server.url(), connect_timeout=10) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("postgres",)
        embedded.stop()
        # A database an earlier version kept in root's home is not silently left behind: it says how to move it.
        (home / ".local" / "share" / "malbas" / "pgdata").mkdir(parents=True)
        (home / ".local" / "share" / "malbas" / "pgdata" / "PG_VERSION").write_text("18\n")
        monkeypatch.setattr(embedded, "SYSTEM_DATA_DIR", base / "elsewhere")
        with pytest.raises(embedded.EmbeddedError) as caught:
            embedded.start()
        assert f"mv {home / '.local' / 'share' / 'malbas'} {base / 'elsewhere'}" in str(caught.value)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
    finally:
        embedded.stop(base / "var" / "lib" / "malbas")
        shutil.rmtree(base, ignore_errors=True)
