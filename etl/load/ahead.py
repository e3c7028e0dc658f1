"""Parse ahead: worker processes read, parse and enrich the next files of a load while the main process writes
the current one, in file order.

Parsing is most of a load's time and needs nothing but the file (bytes → enriched report); writing stays with
the main process, one transaction per report under the report's lock, in the order the files were given. The
runner hands over only the files whose bytes the database does not hold yet, so an unchanged inbox stays a
quick skip. A file the workers were not given, or whose bytes changed after a worker read them, is parsed in
the main process as before; so is every file a worker was asked for when it died (killed). A worker's failure is
the file's failure, said in the same words as when the main process parses it (`describe`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import subprocess
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from malbas.errors import describe
from malbas.etl.enrich.report import EnrichedReport, enrich
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.identity import Hints
from malbas.etl.parse.parser import parse_reading
from malbas.etl.read.reading import Reading
from malbas.etl.read.source import read_bytes, read_raw


@dataclass(frozen=True)
class ParseAheadSettings:
    """How many processes parse ahead of the writer. Measured on 2 cores (bench/README.md): one worker beside the
    writing main process took 0.57 × the sequential time, two workers 0.67 × (the database server needs the
    other core while the main process writes)."""

    workers: int | None = None  # None: one fewer than the cores this process may use, at least one; 0: none
    min_files: int = 6  # fewer files to parse than this: parsed in the main process (a worker's start costs more)
    ahead_per_worker: int = 2  # files handed to each worker beyond the one being written (bounds the memory held)
    # What a worker's answer pipe holds: a parse (a few hundred kB pickled) is written whole while the writer is
    # busy with the file before it, and the worker goes on to the next file. With Linux's default (64 kB) it
    # waited for the writer to read every answer: 120 reports loaded in 17.7–20.1 s, with 1 MiB in 15.6–16.4 s.
    # The kernel caps it (/proc/sys/fs/pipe-max-size, 1 MiB by default).
    answer_pipe_bytes: int = 1 << 20

    def worker_count(self) -> int:
        if self.workers is not None:
            return max(0, self.workers)
        return max(1, len(os.sched_getaffinity(0)) - 1)

    def used_for(self, files: int) -> bool:
        """Whether a load that parses this many files parses them ahead."""
        return files >= self.min_files and self.worker_count() > 0


PARSE_AHEAD = ParseAheadSettings()


class WorkerFailure(Exception):
    """A file's failure in a parse-ahead worker, carried to the main process as the line `describe` gave it
    there (`describe` leaves it as it is: the error is malbas's own)."""


@dataclass(frozen=True)
class Parsed:
    """What parsing a file gave: the enriched report, or the one-line reason it failed (`error`)."""

    sha256: str
    page_starts: list[int] | None
    tackning: float | None  # the parse's self-audit, when the parse got that far
    ej_redovisade: int
    enriched: EnrichedReport | None
    error: str | None = None

    @classmethod
    def of(cls, sha256: str, reading: Reading, enriched: EnrichedReport) -> Parsed:
        audit = enriched.rapport.tackning
        return cls(sha256, reading.page_starts, audit.andel, len(audit.ej_redovisade), enriched)

    def report(self) -> EnrichedReport:
        """The enriched report; raises the file's failure if there is none."""
        if self.enriched is None:
            raise WorkerFailure(self.error or "parse failed")
        return self.enriched


def parse_bytes(data: bytes, sha256: str, *, kalla: str, hints: Hints | None) -> tuple[Reading, EnrichedReport]:
    """Read, parse and enrich a report's bytes (pure); raises with a one-line reason. The one way a load
    parses, in the main process and in the workers."""
    reading = read_bytes(data)
    rapport = parse_reading(reading, kalla=kalla, sha256=sha256, hints=hints)
    if rapport.dokument.namnd is None:
        # Without its nämnd a report cannot be told apart from others of the same period.
        raise ParseError("cannot tell which nämnd the report belongs to (no name in the text)")
    return reading, enrich(rapport)


def parse_file(path: str, kalla: str, hints: Hints | None) -> Parsed | None:
    """A worker's task: the file's parse; None when the file cannot be read (the main process says why)."""
    try:
        data = read_raw(Path(path))
    except Exception:  # noqa: BLE001 - the main process reads the file itself and reports what is wrong
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return Parsed.of(sha256, *parse_bytes(data, sha256, kalla=kalla, hints=hints))
    except Exception as exc:  # noqa: BLE001 - the fault boundary of one file, as in the main process
        return Parsed(sha256, None, None, 0, None, error=describe(exc))


class _Worker:
    """One worker process (malbas.etl.load.parse_worker): requests go down its stdin, answers come back on its
    stdout in the order asked. A program of its own, so that it never runs the caller's main module."""

    def __init__(self, answer_pipe_bytes: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "malbas.etl.load.parse_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.asked: deque[int] = deque()  # the files asked for whose answers are not read yet, in order
        _widen(self._stdout, answer_pipe_bytes)

    def ask(self, index: int, path: Path, hints: Hints | None) -> bool:
        """Ask for a file's parse; False when the worker is gone."""
        try:
            pickle.dump((str(path), path.name, hints), self._stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._stdin.flush()
        except OSError:
            return False
        self.asked.append(index)
        return True

    def answer(self, index: int) -> Parsed | None:
        """The answer for a file asked for (answers to files asked before it are read and dropped); raises
        EOFError when the worker is gone."""
        while self.asked:
            asked = self.asked.popleft()
            parsed = pickle.load(self._stdout)  # noqa: S301 - our own worker's answer, over a pipe
            if asked == index:
                return parsed
        return None

    @property
    def _stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def stop(self) -> None:
        """Stop at once: a parse under way is abandoned."""
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close() if pipe else None


def _widen(pipe: IO[bytes], size: int) -> None:
    """Let the pipe hold `size` bytes where the system allows (Linux; elsewhere the default pipe still works)."""
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, size)


def _start_workers(count: int, answer_pipe_bytes: int) -> list[_Worker]:
    """Up to `count` workers: as many as could be started (none where no process can be started: the caller
    then parses every file itself)."""
    workers: list[_Worker] = []
    if not sys.executable:
        return workers
    with contextlib.suppress(OSError):
        for _ in range(count):
            workers.append(_Worker(answer_pipe_bytes))
    return workers


class ParseAhead:
    """The parses of `paths` (in the order the writer needs them), running in worker processes."""

    def __init__(self, paths: Sequence[Path], hints: Hints | None, settings: ParseAheadSettings) -> None:
        self._paths = list(dict.fromkeys(paths))
        self._position = {path: i for i, path in enumerate(self._paths)}
        self._next = 0  # the first file the writer has not asked for yet
        self._asked = 0  # the first file no worker was asked for yet
        self._hints = hints
        self._workers = _start_workers(settings.worker_count(), settings.answer_pipe_bytes)
        self._owner: dict[int, _Worker] = {}
        self._window = len(self._workers) * (1 + settings.ahead_per_worker)
        self._top_up()

    def take(self, path: Path, sha256: str) -> Parsed | None:
        """The parse of `path` if a worker made it from these bytes; None when the caller must parse it."""
        i = self._position.get(path, -1)
        if i < self._next:
            return None
        self._next = i + 1
        worker = self._owner.pop(i, None)
        parsed = self._answer(worker, i) if worker is not None else None
        self._top_up()
        return parsed if parsed is not None and parsed.sha256 == sha256 else None

    def _answer(self, worker: _Worker, i: int) -> Parsed | None:
        try:
            return worker.answer(i)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._retire(worker)  # killed, or broken: what it was asked for is parsed by the caller
            return None

    def _top_up(self) -> None:
        self._asked = max(self._asked, self._next)
        while self._workers and self._asked < min(self._next + self._window, len(self._paths)):
            worker = min(self._workers, key=lambda w: len(w.asked))
            if worker.ask(self._asked, self._paths[self._asked], self._hints):
                self._owner[self._asked] = worker
            else:
                self._retire(worker)
                continue
            self._asked += 1

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)
        self._owner = {i: w for i, w in self._owner.items() if w is not worker}

    def close(self) -> None:
        """Stop the workers at once (a parse under way is abandoned)."""
        for worker in self._workers:
            worker.stop()
        self._workers = []
        self._owner.clear()


@contextlib.contextmanager
def parse_ahead(
    paths: Sequence[Path], hints: Hints | None, settings: ParseAheadSettings = PARSE_AHEAD
) -> Iterator[ParseAhead | None]:
    """Parse `paths` ahead in worker processes for the block; None (everything parsed by the caller) when there
    are too few files for a worker to pay for its start."""
    if not settings.used_for(len(paths)):
        yield None
        return
    ahead = ParseAhead(paths, hints, settings)
    try:
        yield ahead
    finally:
        ahead.close()
