"""Parsing ahead in worker processes (malbas.etl.load.ahead): the database ends exactly as when the loading process
parses every file itself, unchanged files are not parsed again, and stopping or killing a load leaves no worker
behind."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from malbas import models
from malbas.etl.load import ahead
from malbas.etl.load.ahead import ParseAhead, ParseAheadSettings
from malbas.etl.load.runner import load_paths
from tests.conftest import ALL_SAMPLES, T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY

AHEAD = ParseAheadSettings(workers=1, min_files=1)
HERE = ParseAheadSettings(workers=0)


def _inbox(folder: Path) -> Path:
    """The four samples, a second copy of one (the same bytes: skipped), an empty file and a text that names no
    committee (both failing), in this order."""
    folder.mkdir()
    for i, sample in enumerate(ALL_SAMPLES):
        shutil.copy(sample, folder / f"{i}.txt")
        os.utime(folder / f"{i}.txt", ns=(i * 10**9, i * 10**9))  # a folder loads oldest first: keep this order
    extras = {
        "4.txt": VB_HASSELBY.read_bytes(),
        "5.txt": b"",
        "6.txt": "Verksamhetsberättelse 2021\n\n1 2 3\n".encode(),
    }
    for i, (name, data) in enumerate(extras.items(), start=len(ALL_SAMPLES)):
        (folder / name).write_bytes(data)
        os.utime(folder / name, ns=(i * 10**9, i * 10**9))
    return folder


def _empty(engine) -> None:  # noqa: ANN001
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _contents(engine) -> dict[str, str]:  # noqa: ANN001
    """Every data table's rows, ids included, as a digest; only the time a report was loaded left out."""
    digests = {}
    with engine.connect() as conn:
        for table in models.Base.metadata.sorted_tables:
            if table.name == "laddning":
                continue
            digests[table.name] = conn.execute(
                text(
                    f"SELECT md5(coalesce(string_agg(j, '|' ORDER BY j), '')) FROM "  # noqa: S608 - our table names
                    f"(SELECT (to_jsonb(t) - 'laddad')::text AS j FROM {table.name} t) rows"
                )
            ).scalar_one()
    return digests


def _outcomes(results) -> list[tuple]:  # noqa: ANN001
    return [(Path(r.fil).name, r.status, r.fel, r.anmarkning, r.antal, r.tackning, r.ej_redovisade) for r in results]


def test_a_load_parsed_ahead_stores_exactly_what_a_load_parsed_here_stores(engine, tmp_path):
    inbox = _inbox(tmp_path / "inbox")
    ahead_results = load_paths(engine, [inbox], parsing=AHEAD)
    stored_ahead = _contents(engine)
    _empty(engine)
    here_results = load_paths(engine, [inbox], parsing=HERE)
    assert _outcomes(ahead_results) == _outcomes(here_results)
    assert [r.status for r in here_results] == ["loaded"] * 4 + ["skipped", "failed", "failed"]
    assert here_results[5].fel == "empty file"
    assert stored_ahead == _contents(engine)


def test_unchanged_files_are_not_given_to_the_workers_again(engine, tmp_path, monkeypatch):
    inbox = _inbox(tmp_path / "inbox")
    load_paths(engine, [inbox], parsing=AHEAD)
    asked: list[str] = []
    real = ahead._Worker.ask

    def counting(self, index, path, hints):  # noqa: ANN001, ANN202
        asked.append(path.name)
        return real(self, index, path, hints)

    monkeypatch.setattr(ahead._Worker, "ask", counting)
    assert {r.status for r in load_paths(engine, [inbox], parsing=AHEAD)[:5]} == {"skipped"}
    # The failing files are parsed again (their failure is said again); the loaded ones are not.
    assert sorted(asked) == ["5.txt", "6.txt"]
    asked.clear()
    corrected = inbox / "1.txt"
    corrected.write_bytes(corrected.read_bytes().replace(b"Budget", b"Budget ", 1))
    results = load_paths(engine, [inbox], parsing=AHEAD)
    assert sorted(asked) == ["1.txt", "5.txt", "6.txt"]
    assert {Path(r.fil).name: r.status for r in results}["1.txt"] == "replaced"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_parse_of_bytes_that_changed_since_is_not_used():
    pool = ParseAhead([VP_RINKEBY, T1_RINKEBY], None, AHEAD)
    try:
        assert pool.take(VP_RINKEBY, "0" * 64) is None  # the file the writer read is not the one parsed
        parsed = pool.take(T1_RINKEBY, _sha(T1_RINKEBY))
        assert parsed is not None and parsed.error is None
        assert parsed.report().rapport.dokument.rapporttyp == "T1"
        assert pool.take(T1_RINKEBY, _sha(T1_RINKEBY)) is None  # asked for once only
    finally:
        pool.close()


def test_a_worker_writes_its_answer_whole_while_the_writer_is_busy():
    """A parse pickled is hundreds of kB: the answer pipe holds it, so the worker does not wait for the writer to
    read before it parses the next file (a 64 kB pipe made it wait for every answer)."""
    pool = ParseAhead([VB_NORRMALM, VP_RINKEBY], None, AHEAD)
    try:
        [worker] = pool._workers
        waiting = 0
        deadline = time.monotonic() + 120
        while waiting <= 1 << 16 and time.monotonic() < deadline:
            time.sleep(0.2)
            waiting = struct.unpack("i", fcntl.ioctl(worker.process.stdout, termios.FIONREAD, b"\0" * 4))[0]
        assert waiting > 1 << 16  # more of the answer than a default pipe holds, nobody reading
        assert pool.take(VB_NORRMALM, _sha(VB_NORRMALM)) is not None
    finally:
        pool.close()


def test_what_a_killed_worker_was_asked_for_is_left_to_the_caller():
    pool = ParseAhead([VP_RINKEBY, T1_RINKEBY, VB_NORRMALM], None, AHEAD)
    try:
        [worker] = pool._workers
        worker.process.kill()
        worker.process.wait()
        assert pool.take(VP_RINKEBY, _sha(VP_RINKEBY)) is None
        assert pool.take(T1_RINKEBY, _sha(T1_RINKEBY)) is None
        assert pool.take(VB_NORRMALM, _sha(VB_NORRMALM)) is None
    finally:
        pool.close()


# A load of an inbox whose writing hangs (so that the workers have parsed ahead), stopped from outside.
_STUCK_LOAD = textwrap.dedent(
    """
    import signal, sys, time
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from malbas.etl.load import writer
    def stuck(conn, *args, **kwargs):
        print("writing", flush=True)
        time.sleep(120)
    writer._write_activities = stuck
    from malbas.cli import main
    main(["--database-url", sys.argv[1], "load", "--jobs", "2", sys.argv[2]])
    """
)


def _workers_of(marker: str) -> list[int]:
    """The pids of parse-ahead workers started with this marker in their environment."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if (
                b"parse_worker" in (proc / "cmdline").read_bytes()
                and marker.encode() in (proc / "environ").read_bytes()
            ):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _gone(marker: str, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while _workers_of(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _start_stuck(database_url: str, tmp_path: Path, marker: str) -> subprocess.Popen[str]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(8):  # enough files to parse ahead; the same bytes, so the first is stuck while being written
        shutil.copy(ALL_SAMPLES[i % 4], inbox / f"{i}.txt")
    child = subprocess.Popen(
        [sys.executable, "-c", _STUCK_LOAD, database_url, str(inbox)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"MALBAS_TEST_MARKER": marker},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    assert len(_workers_of(marker)) == 2
    return child


def test_a_stopped_load_stops_its_workers(engine, database_url, tmp_path):
    marker = uuid.uuid4().hex
    child = _start_stuck(database_url, tmp_path, marker)
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 130
    assert out.splitlines()[-1].startswith("total: 0 files")
    assert _gone(marker, seconds=0.5)  # stopped before the load's process ended


def test_a_killed_load_takes_its_workers_with_it(engine, database_url, tmp_path):
    marker = uuid.uuid4().hex
    child = _start_stuck(database_url, tmp_path, marker)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert _gone(marker)
