"""Nothing lost under concurrency: real processes against a real server, each timing repeated, every wait bounded.

- Two loads of the same nämnd + period (the good file and a damaged one) started a moment apart, in both
  orders, many times: the end state is always that of some serial order, the guard refuses the damaged file
  whenever the good one is there, and every laddning row is finished and true.
- Concurrent first use: `malbas load` processes started together on a new data directory, `malbas nightly`
  runs started together on a new database: all succeed.
- A stopped (SIGSTOP) malbas holding the start lock or the migration lock blocks no one for longer than asked.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from malbas import embedded
from malbas.database import MIGRATION_LOCK
from malbas.urls import to_libpq_url, to_sqlalchemy_url
from tests.conftest import VB_NORRMALM
from tests.test_guard import damaged_copy

MALBAS = str(Path(sys.executable).parent / "malbas")
RACE_TRIES = 30  # per order: 60 tries of the race in all
DEADLINE = 120.0  # seconds for all tries of the race together, however busy the machine

# A loader process: loads its file each time it reads a delay on standard input (after sleeping that long),
# and answers with the result. Two of them, fed at the same moment, race for the same report. The whole load
# runs each time (read, history, guard, write) except the parse, which is kept from the first time so that a
# try costs what the database work costs (the race is between the transactions; a parse only delays them).
_LOADER = textwrap.dedent(
    """
    import json, sys, time, uuid
    from pathlib import Path
    from sqlalchemy import create_engine
    from malbas.etl.load import ahead
    from malbas.etl.load.runner import load_file
    from malbas.urls import to_sqlalchemy_url

    parse = ahead.parse_reading
    parsed = {}
    ahead.parse_reading = lambda reading, **kw: parsed.get(kw["sha256"]) or parsed.setdefault(
        kw["sha256"], parse(reading, **kw)
    )
    engine = create_engine(to_sqlalchemy_url(sys.argv[1]))
    path = Path(sys.argv[2])
    print("ready", flush=True)
    for line in sys.stdin:
        time.sleep(float(line))
        r = load_file(engine, path, uuid.uuid4())
        print(json.dumps({"status": r.status, "fel": r.fel, "historikfel": getattr(r, "historikfel", None)}), flush=True)
    """
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MALBAS_DATA_DIR")}
    return env | extra


class Loader:
    def __init__(self, database_url: str, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LOADER, database_url, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def go(self, delay: float) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{delay}\n")
        self.process.stdin.flush()

    def result(self) -> dict:
        assert self.process.stdout is not None
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def _reset(engine) -> None:
    with engine.begin() as conn:  # the reports' rows cascade; the dimensions may stay
        conn.execute(text("DELETE FROM laddning; DELETE FROM rapport"))


def test_the_guard_cannot_be_raced_and_nothing_is_lost(engine, database_url, tmp_path):
    good, damaged = VB_NORRMALM, damaged_copy(tmp_path)
    good_sha = hashlib.sha256(good.read_bytes()).hexdigest()
    loaders = {"good": Loader(database_url, good), "damaged": Loader(database_url, damaged)}
    rng = random.Random(23)
    overlapped = 0
    started = time.monotonic()
    try:
        for name in ("good", "damaged"):  # warm up: each loader's first load imports and compiles what it needs
            loaders[name].go(0)
            loaders[name].result()
            _reset(engine)
        for attempt in range(2 * RACE_TRIES):
            assert time.monotonic() - started < DEADLINE, f"the race took too long: {attempt} tries"
            first, second = ("good", "damaged") if attempt % 2 == 0 else ("damaged", "good")
            loaders[first].go(0)
            loaders[second].go(rng.uniform(0.0, 0.2))  # started a moment later, while the first may be writing
            answers = {name: loaders[name].result() for name in (first, second)}
            with engine.connect() as conn:
                reports = conn.execute(text("SELECT id, sha256 FROM rapport")).all()
                history = {
                    row.fil: row
                    for row in conn.execute(text("SELECT fil, status, rapport_id, startad, avslutad FROM laddning"))
                }
            where = f"try {attempt} ({first} first): {answers}"
            # The good version is what stays, whichever order the loads took.
            assert [sha for _, sha in reports] == [good_sha], where
            good_row, damaged_row = history[str(good)], history[str(damaged)]
            outcome = (good_row.status, damaged_row.status)
            # Only the outcomes of a serial order: good then damaged (refused), or damaged then good (replaced).
            assert outcome in (("loaded", "refused"), ("replaced", "loaded")), where
            assert good_row.rapport_id == reports[0].id, where
            assert damaged_row.rapport_id is None, where  # refused, or its report replaced since
            assert {a["status"] for a in answers.values()} == set(outcome), where
            assert not any(a["historikfel"] for a in answers.values()), where
            if max(good_row.startad, damaged_row.startad) < min(good_row.avslutad, damaged_row.avslutad):
                overlapped += 1
            _reset(engine)
    finally:
        for loader in loaders.values():
            loader.close()
    # The two loads ran at the same time in many tries (else this test would prove nothing about the race); how
    # many depends on the machine's load, so a third of the pairs is asked for (ten real races at least).
    assert overlapped >= RACE_TRIES // 3, overlapped


# ------------------------------------------------------------------------------------- first use


@pytest.fixture
def fresh_database(server_url: str) -> Iterator[str]:
    """An empty database (no schema) on the test server, dropped afterwards."""
    name = f"malbas_fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(hide_password=False)
    try:
        yield to_libpq_url(url)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start_together(commands: list[list[str]], env: dict[str, str], stagger: float) -> list[subprocess.Popen]:
    processes = []
    for command in commands:
        processes.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        time.sleep(stagger)
    return processes


def _finish(processes: list[subprocess.Popen], timeout: float) -> list[tuple[int, str, str]]:
    deadline = time.monotonic() + timeout
    out = []
    for p in processes:
        try:
            stdout, stderr = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for q in processes:
                q.kill()
            raise AssertionError("a process did not finish in time") from None
        out.append((p.returncode, stdout, stderr))
    return out


def test_four_nightly_runs_on_a_new_database_all_succeed(server_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(VB_NORRMALM, inbox / "vb.txt")
    for round_, stagger in enumerate((0.0, 0.1)):
        name = f"malbas_fresh_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = to_libpq_url(
            make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(hide_password=False)
        )
        try:
            runs = _start_together(
                [[MALBAS, "nightly", "--inbox", str(inbox), "--wait", "120"]] * 4, _env(DATABASE_URL=url), stagger
            )
            results = _finish(runs, 240)
            for code, stdout, stderr in results:
                assert code == 0, f"round {round_}: {stdout}{stderr}"
            engine = create_engine(to_sqlalchemy_url(url))
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM rapport")).scalar_one() == 1
                statuses = sorted(conn.execute(text("SELECT status FROM laddning")).scalars())
            engine.dispose()
            assert statuses == ["loaded", "skipped", "skipped", "skipped"], f"round {round_}"
        finally:
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="malbas-concurrent-"))
    root.chmod(0o711)  # the server's user (as root) passes through it
    return root


def test_four_loads_on_a_new_data_directory_all_succeed(tmp_path):
    for round_, stagger in enumerate((0.0,)):  # each round makes a cluster (initdb): one is what time allows
        root = _server_root()
        try:
            data = root / "data"
            loads = _start_together([[MALBAS, "load", str(VB_NORRMALM)]] * 4, _env(MALBAS_DATA_DIR=str(data)), stagger)
            results = _finish(loads, 300)
            for code, stdout, stderr in results:
                assert code == 0, f"round {round_}: {stdout}{stderr}"
            lines = sorted(stdout.split()[0] for _, stdout, _ in results)
            assert lines == ["loaded", "skipped", "skipped", "skipped"], results
        finally:
            embedded.stop(root / "data")
            shutil.rmtree(root, ignore_errors=True)


def test_the_error_line_of_nightly_has_its_time_and_run_id(tmp_path):
    done = subprocess.run(
        [MALBAS, "nightly", "--inbox", str(tmp_path), "--wait", "2"],
        env=_env(DATABASE_URL="postgresql://malbas@127.0.0.1:1/malbas"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d run [0-9a-f]{8} error: database error: .+\n", done.stderr
    )


# ------------------------------------------------------------------------------------- bounded waits


_HOLD_START_LOCK = textwrap.dedent(
    """
    import fcntl, os, sys, time
    f = open(sys.argv[1], "a+")
    fcntl.flock(f, fcntl.LOCK_EX)
    f.truncate(0); f.write(f"{os.getpid()}\\n"); f.flush()
    print("locked", flush=True)
    time.sleep(600)
    """
)
_HOLD_MIGRATION_LOCK = textwrap.dedent(
    """
    import sys, time, psycopg
    conn = psycopg.connect(sys.argv[1], autocommit=True)
    conn.execute("SELECT pg_advisory_lock(%s)", (int(sys.argv[2]),))
    print("locked", flush=True)
    time.sleep(600)
    """
)


def _stopped_holder(script: str, *args: str) -> subprocess.Popen:
    """A process that takes a lock and is then stopped (SIGSTOP), as a malbas hung in the middle would be."""
    holder = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGSTOP)
    return holder


def _end(holder: subprocess.Popen) -> None:
    holder.kill()
    holder.wait(timeout=10)


def _nightly(inbox: Path, env: dict[str, str], wait: int = 3, timeout: float = 90) -> tuple[int, str, float]:
    begun = time.monotonic()
    done = subprocess.run(
        [MALBAS, "nightly", "--inbox", str(inbox), "--wait", str(wait)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - begun


def test_a_stopped_malbas_never_hangs_a_nightly_run(tmp_path, fresh_database):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    root = _server_root()
    data = root / "data"
    env = _env(MALBAS_DATA_DIR=str(data))
    try:
        embedded.start(data)
        # The server runs: a malbas stopped while holding the start lock is no reason to wait at all.
        holder = _stopped_holder(_HOLD_START_LOCK, str(data / ".lock"))
        try:
            code, out, _ = _nightly(inbox, env)
            assert code == 0, out
            # The server is down: starting it needs the lock, and the wait for it is bounded and said.
            embedded._pg_ctl_stop(data / "pgdata")  # behind malbas's back: the lock is held
            code, out, seconds = _nightly(inbox, env)
            assert code == 1
            assert f"waited 3 s for {data / '.lock'}: another malbas (pid {holder.pid})" in out, out
            assert re.match(r"\d{4}-\d\d-\d\dT\S+ run [0-9a-f]{8} error: ", out), out
            assert seconds < 60
        finally:
            _end(holder)
        code, out, _ = _nightly(inbox, env)  # the holder is gone: all is well again
        assert code == 0, out
    finally:
        embedded.stop(data)
        shutil.rmtree(root, ignore_errors=True)
    # A malbas stopped while migrating a new database: the next run waits as long as asked, then says why.
    holder = _stopped_holder(_HOLD_MIGRATION_LOCK, fresh_database, str(MIGRATION_LOCK.key))
    try:
        code, out, seconds = _nightly(inbox, _env(DATABASE_URL=fresh_database))
        assert code == 1
        assert "waited 3 s for another malbas migrating the database" in out, out
        assert seconds < 60
    finally:
        _end(holder)
    code, out, _ = _nightly(inbox, _env(DATABASE_URL=fresh_database))
    assert code == 0, out


def test_a_load_waits_for_another_load_of_the_same_report_no_longer_than_its_bound(
    engine, database_url, monkeypatch, tmp_path
):
    from malbas.etl.load import runner
    from malbas.etl.load.runner import LockWait, load_paths

    [first] = load_paths(engine, [VB_NORRMALM])
    with engine.connect() as conn:
        namnd_id, period_id = conn.execute(text("SELECT namnd_id, period_id FROM rapport")).one()
    # Another session (a load that hangs) holds the report's lock in an open transaction.
    with psycopg.connect(database_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (namnd_id, period_id))
        monkeypatch.setattr(runner, "LOCK_WAIT", LockWait(seconds=1.0))
        begun = time.monotonic()
        corrected = tmp_path / "corrected.txt"
        corrected.write_bytes(VB_NORRMALM.read_bytes() + b"\n")
        [result] = load_paths(engine, [corrected])
        assert time.monotonic() - begun < 30
    assert result.status == "failed"
    assert "gave up waiting for a lock another session holds (another load of Norrmalms stadsdelsnämnd VB 2021" in (
        result.fel or ""
    )
    with engine.connect() as conn:  # nothing lost, and the history says what happened
        assert conn.execute(text("SELECT id FROM rapport")).scalar_one() == first.rapport_id
        assert conn.execute(text("SELECT status FROM laddning ORDER BY id DESC LIMIT 1")).scalar_one() == "failed"
