"""Load report files: one transaction per report, skip what is already loaded, record every file in laddning.

Each file is a fault boundary: whatever goes wrong while handling it (bad input, a database error, a bug in
malbas) becomes that file's one-line error, its history row is finished, and the run goes on with the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from malbas.errors import describe
from malbas.etl.enrich.report import EnrichedReport
from malbas.etl.errors import ReportError
from malbas.etl.load import guard, history
from malbas.etl.load.ahead import PARSE_AHEAD, ParseAhead, ParseAheadSettings, Parsed, parse_ahead, parse_bytes
from malbas.etl.load.dimensions import prune_indicators
from malbas.etl.load.scan import Candidate, scan
from malbas.etl.load.writer import lock_report, write_report
from malbas.etl.parse.identity import Hints
from malbas.etl.parse.parser import PARSER_VERSION
from malbas.etl.parse.records import Report
from malbas.etl.read.source import read_raw
from malbas.models import Laddning, Rapport
from malbas.vocabulary import LaddningStatus

COVERAGE_WARNING = 0.99  # a parse that accounts for fewer of its table numbers is loaded with a warning


class LockTimeout(RuntimeError):
    """A lock the load needed stayed held by another session for longer than the load waits."""


@dataclass(frozen=True)
class LockWait:
    """How long a load's transaction waits, at most, for a lock another session holds: above all the lock of
    the same report (nämnd + period) held by another load, which may hang (a stopped process). Applied only
    where the connection sets no lock_timeout of its own."""

    seconds: float = 120.0


LOCK_WAIT = LockWait()
_FAILED = (LaddningStatus.FAILED, LaddningStatus.REFUSED, LaddningStatus.INTERRUPTED)


@dataclass
class FileResult:
    fil: str
    status: str  # a LaddningStatus other than running
    sha256: str | None = None
    antal: dict[str, int] = field(default_factory=dict)
    fel: str | None = None
    rapport_id: int | None = None
    sekunder: float = 0.0
    anmarkning: str | None = None  # why a file was skipped, when it is not simply unchanged
    known_since: datetime | None = None  # this unchanged file failed the same way before, first at this time
    tackning: float | None = None  # the parse's self-audit: share of the numbers in tables accounted for
    ej_redovisade: int = 0  # how many numbers in tables were left over
    historikfel: str | None = None  # the history row could not be finished, and why

    @property
    def failed(self) -> bool:
        return self.status in _FAILED

    @property
    def new_failure(self) -> bool:
        """A failure not seen before for this unchanged file: the nightly fails the run for these only."""
        return self.failed and self.known_since is None

    def line(self) -> str:
        """The one line per file the load commands print."""
        if self.historikfel:
            return f"{self._line()} (not recorded in laddning: {self.historikfel})"
        return self._line()

    def _line(self) -> str:
        if self.failed:
            known = f" (known failure, first seen {self.known_since:%Y-%m-%d})" if self.known_since else ""
            return f"{self.status:<9} {self.fil}: {self.fel}{known}"
        if self.anmarkning:
            return f"{self.status:<9} {self.fil}: {self.anmarkning}"
        return self._counts_line() + self._coverage_note()

    def _counts_line(self) -> str:
        """The status, the file and the counts of what it holds (those shown, and not zero)."""
        counts = ", ".join(f"{k} {v}" for k, v in self.antal.items() if k in _SHOWN and v)
        return f"{self.status:<9} {self.fil}" + (f" ({counts})" if counts else "")

    def _coverage_note(self) -> str:
        """The numbers in tables the parse left over, if any: a warning where its coverage is low."""
        if not self.ej_redovisade or self.tackning is None:
            return ""
        warning = "warning: " if self.tackning < COVERAGE_WARNING else ""
        return (
            f" — {warning}coverage {self.tackning:.1%}, {self.ej_redovisade} numbers in tables not read"
            " (datakvalitet typ ej_redovisat)"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "fil": self.fil,
            "status": self.status,
            "sha256": self.sha256,
            "rapport_id": self.rapport_id,
            "antal": self.antal,
            "fel": self.fel,
            "anmarkning": self.anmarkning,
            "known_since": self.known_since.isoformat() if self.known_since else None,
            "tackning": self.tackning,
            "sekunder": round(self.sekunder, 3),
        }


_SHOWN = ("mal", "indikatorrader", "utfall", "aktiviteter", "avvikelser", "ekonomiceller")


def report_files(paths: Iterable[Path]) -> list[Candidate]:
    """What a load of `paths` handles, in order (see `malbas.etl.load.scan`)."""
    return scan(list(paths))


def _version(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "0").split(".") if part.isdigit())


def _current(conn: Connection, locked: tuple[int, int]):  # noqa: ANN202 - a Row
    """The report now loaded for the nämnd + period whose lock is held: id, sha256, kalla, antal,
    parser_version; or None."""
    namnd_id, period_id = locked
    return conn.execute(
        select(Rapport.id, Rapport.sha256, Rapport.kalla, Rapport.antal, Rapport.parser_version).where(
            Rapport.namnd_id == namnd_id, Rapport.period_id == period_id
        )
    ).first()


def _superseded(conn: Connection, current, sha256: str) -> bool:  # noqa: ANN001
    """Whether this version was loaded before and a later load replaced it with the current one.

    A file never loaded before is a new version and loads (replacing the current one); a file the loader
    already replaced is an old version left in the inbox and is skipped, so re-runs do not flip-flop."""
    last = {
        sha: when
        for sha, when in conn.execute(
            select(Laddning.sha256, func.max(Laddning.avslutad))
            .where(
                Laddning.sha256.in_([sha256, current.sha256]),
                Laddning.status.in_([LaddningStatus.LOADED, LaddningStatus.REPLACED]),
            )
            .group_by(Laddning.sha256)
        )
    }
    mine, theirs = last.get(sha256), last.get(current.sha256)
    return mine is not None and theirs is not None and theirs > mine


def _parsed_counts(rapport: Report) -> dict[str, int]:
    return {"mal": len(rapport.mal), "indikatorrader": len(rapport.indikatorer), "ekonomiceller": len(rapport.ekonomi)}


def _load(  # noqa: PLR0913 - the file, how it is loaded and where its parse comes from
    engine: Engine,
    candidate: Candidate,
    result: FileResult,
    force: bool,
    hints: Hints | None,
    history_id: int | None,
    ahead: ParseAhead | None = None,
) -> None:
    """Read, parse and write one file, filling in `result`; raises on failure."""
    data = _read(candidate, result)
    if data is None:
        return
    result.sha256 = sha256 = hashlib.sha256(data).hexdigest()
    with engine.connect() as conn:
        existing = conn.execute(
            select(Rapport.id, Rapport.antal, Rapport.parser_version).where(Rapport.sha256 == result.sha256)
        ).first()
        verdict = history.last_verdict(conn, result.sha256) if existing is None else None
    if _skips_known_bytes(result, existing, verdict, force=force):
        return
    parsed = ahead.take(candidate.path, sha256) if ahead is not None else None
    if parsed is None:
        parsed = Parsed.of(sha256, *parse_bytes(data, sha256, kalla=candidate.path.name, hints=hints))
    result.tackning, result.ej_redovisade = parsed.tackning, parsed.ej_redovisade
    enriched = parsed.report()  # parsed and enriched (pure) before the transaction opens
    try:
        _write(engine, candidate, parsed.page_starts, enriched, result, existing is not None, force, history_id)
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise _lock_timeout(enriched.rapport) from exc


def _read(candidate: Candidate, result: FileResult) -> bytes | None:
    """The file's bytes; None (the file skipped) if a file a folder scan found is gone since."""
    try:
        return read_raw(candidate.path)
    except ReportError as exc:
        if candidate.scanned and str(exc) == "no such file":
            result.status, result.anmarkning = LaddningStatus.SKIPPED, "gone before it could be read"
            return None
        raise


def _skips_known_bytes(
    result: FileResult,
    existing,  # noqa: ANN001 - a Row: the report loaded from the same bytes, or None
    verdict: tuple[str, datetime] | None,
    *,
    force: bool,
) -> bool:
    """Whether these bytes need no load (filling in `result` with why): loaded already by this parser version,
    or their report deleted since (unless forced)."""
    # Unchanged file, parser not newer: nothing to do. A newer parser re-reads the file and replaces its rows.
    if existing is not None and _version(existing.parser_version) >= _version(PARSER_VERSION):
        result.status, result.rapport_id, result.antal = LaddningStatus.SKIPPED, existing.id, dict(existing.antal or {})
        return True
    if verdict is not None and verdict[0] == LaddningStatus.DELETED and not force:
        result.status = LaddningStatus.SKIPPED
        result.anmarkning = (
            f"its report was deleted on {verdict[1]:%Y-%m-%d} (malbas reports delete); load it with --force"
        )
        return True
    return False


def _lock_timeout(rapport: Report) -> LockTimeout:
    """The error for a lock not granted in time while writing the report: it names the report."""
    d = rapport.dokument
    return LockTimeout(
        f"database error: gave up waiting for a lock another session holds (another load of {d.namnd} "
        f"{d.rapporttyp} {d.ar}, or a statement holding its tables): lock timeout; try again later"
    )


def _write(  # noqa: PLR0913 - the pieces of one file's load
    engine: Engine,
    candidate: Candidate,
    page_starts: list[int] | None,
    enriched: EnrichedReport,
    result: FileResult,
    known: bool,
    force: bool,
    history_id: int | None,
) -> None:
    """Write the report unless the loaded version stays. The loaded version is read, and the guard applied,
    under the lock of the report's nämnd + period, in the transaction that writes: a load of the same report
    started a moment earlier is either done (and seen here) or waits for this one. The history row is finished
    in the same transaction, so it never points at a report that another load has replaced meanwhile."""
    rapport = enriched.rapport
    with engine.begin() as conn:
        _bound_lock_waits(conn)
        locked = lock_report(conn, rapport)
        if _keeps_current(conn, locked, rapport, result, known=known, force=force):
            return
        outcome = write_report(
            conn,
            enriched,
            kalla=candidate.path.name,
            parser_version=PARSER_VERSION,
            sidor=page_starts,
            locked=locked,
        )
        if outcome.replaced:
            prune_indicators(conn)
        status = LaddningStatus.REPLACED if outcome.replaced else LaddningStatus.LOADED
        done = replace(result, status=status, rapport_id=outcome.rapport_id, antal=outcome.antal)
        history.finish_in(conn, history_id, **_history_values(done))
    result.status, result.rapport_id, result.antal = done.status, done.rapport_id, done.antal


def _bound_lock_waits(conn: Connection) -> None:
    conn.execute(_BOUND_LOCK_WAITS, {"t": f"{int(LOCK_WAIT.seconds * 1000)}ms"})


# Where the connection sets no lock_timeout of its own, this transaction's is LOCK_WAIT (one round trip).
_BOUND_LOCK_WAITS = text(
    "SELECT set_config('lock_timeout', :t, true) WHERE current_setting('lock_timeout') IN ('0', '0ms')"
)


def _keeps_current(  # noqa: PLR0913 - the report, its lock and how this load was asked for
    conn: Connection, locked: tuple[int, int], rapport: Report, result: FileResult, *, known: bool, force: bool
) -> bool:
    """Whether the loaded version stays (filling in `result` with why): the same bytes loaded meanwhile, an
    older version, or a replacement the plausibility guard refuses. Called under the report's lock."""
    current = _current(conn, locked)
    if current is None:
        return False
    if _loaded_meanwhile(current, result):
        return True
    if force or current.sha256 == result.sha256:
        return False
    return _older_version(conn, current, result, known=known) or _guard_refuses(current, rapport, result)


def _loaded_meanwhile(current, result: FileResult) -> bool:  # noqa: ANN001 - current: a Row
    """The same file, loaded by another run since this one looked (by this parser version or a newer one)."""
    if current.sha256 == result.sha256 and _version(current.parser_version) >= _version(PARSER_VERSION):
        result.status, result.rapport_id, result.antal = LaddningStatus.SKIPPED, current.id, dict(current.antal or {})
        return True
    return False


def _older_version(conn: Connection, current, result: FileResult, *, known: bool) -> bool:  # noqa: ANN001
    """A file not loaded before under this report whose version a later load already replaced (see
    `_superseded`): skipped, so that re-runs do not flip-flop."""
    if not known and result.sha256 is not None and _superseded(conn, current, result.sha256):
        result.status = LaddningStatus.SKIPPED
        result.anmarkning = f"an older version of the report now loaded from {current.kalla} (load it with --force)"
        return True
    return False


def _guard_refuses(current, rapport: Report, result: FileResult) -> bool:  # noqa: ANN001 - current: a Row
    """Whether the plausibility guard refuses to replace the loaded report with this parse (the reason noted)."""
    reason = guard.refusal(current.kalla, current.antal or {}, _parsed_counts(rapport))
    if reason is None:
        return False
    result.status, result.fel = LaddningStatus.REFUSED, reason
    return True


def _known_since(engine: Engine, result: FileResult, history_id: int | None) -> datetime | None:
    """For a failure caused by the file's content (not the database): when the same file first failed so."""
    if result.sha256 is None or result.fel is None or result.fel.startswith("database error"):
        return None
    try:
        with engine.connect() as conn:
            return history.first_seen(
                conn, fil=result.fil, sha256=result.sha256, status=result.status, fel=result.fel, before=history_id
            )
    except SQLAlchemyError:
        return None


def load_file(  # noqa: PLR0913 - the file, its run and how it is loaded
    engine: Engine,
    path: Path | Candidate,
    run_id: uuid.UUID,
    *,
    force: bool = False,
    hints: Hints | None = None,
    ahead: ParseAhead | None = None,
) -> FileResult:
    """Handle one file (or one note or error from a folder scan) and record it in laddning."""
    candidate = path if isinstance(path, Candidate) else Candidate(path)
    result = FileResult(fil=str(candidate.path), status=LaddningStatus.FAILED)
    if candidate.note is not None:  # not read, so not part of the history
        result.status, result.anmarkning = LaddningStatus.SKIPPED, candidate.note
        return result
    started = history.now()
    history_id = history.start(engine, run_id, result.fil)
    try:
        if candidate.error is not None:
            result.fel = candidate.error
        else:
            _load(engine, candidate, result, force, hints, history_id, ahead)
    except KeyboardInterrupt:
        result.status, result.fel = LaddningStatus.INTERRUPTED, "interrupted while loading this file"
        _finish(engine, history_id, result, started)
        raise
    except Exception as exc:  # noqa: BLE001 - the fault boundary of one file
        result.status, result.fel = LaddningStatus.FAILED, describe(exc)
    if result.failed:
        result.known_since = _known_since(engine, result, history_id)
    _finish(engine, history_id, result, started)
    return result


def _history_values(result: FileResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "sha256": result.sha256,
        "rapport_id": result.rapport_id,
        "antal": result.antal or None,
        "fel": result.fel or result.anmarkning,
    }


def _finish(engine: Engine, history_id: int | None, result: FileResult, started: datetime) -> None:
    result.sekunder = (history.now() - started).total_seconds()
    if result.status in (LaddningStatus.LOADED, LaddningStatus.REPLACED):
        return  # recorded in the transaction that wrote the report
    result.historikfel = history.finish(engine, history_id, **_history_values(result))


def load_candidates(  # noqa: PLR0913 - what to load and how
    engine: Engine,
    candidates: Sequence[Candidate],
    *,
    run_id: uuid.UUID | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    force: bool = False,
    hints: Hints | None = None,
    parsing: ParseAheadSettings = PARSE_AHEAD,
) -> list[FileResult]:
    """Load every candidate, in order; a bad file never stops the others. Rows left `running` by dead runs are
    marked `interrupted` first, and this run is marked alive while it works. The files whose bytes the database
    does not hold yet are parsed ahead in worker processes (see malbas.etl.load.ahead)."""
    run_id = run_id or uuid.uuid4()
    results = []
    with (
        history.run_alive(engine, run_id),
        parse_ahead(_to_parse(engine, candidates, force, parsing), hints, parsing) as ahead,
    ):
        for candidate in candidates:
            result = load_file(engine, candidate, run_id, force=force, hints=hints, ahead=ahead)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def _to_parse(engine: Engine, candidates: Sequence[Candidate], force: bool, parsing: ParseAheadSettings) -> list[Path]:
    """The files a load will parse, judged by their bytes now: those not loaded yet by this parser version (nor
    deleted on purpose). Empty when there are too few to parse ahead, or the database cannot say."""
    files = [c.path for c in candidates if c.note is None and c.error is None]
    if not parsing.used_for(len(files)):
        return []
    shas = _hashes(files)
    try:
        with engine.connect() as conn:
            existing, verdicts = _known_bytes(conn, list(shas.values()))
    except SQLAlchemyError:
        return []
    return [
        path
        for path, sha in shas.items()
        if not _skips_known_bytes(FileResult(str(path), "running"), existing.get(sha), verdicts.get(sha), force=force)
    ]


def _hashes(files: list[Path]) -> dict[Path, str]:
    """The SHA-256 of each file that can be read (the load of a file that cannot says what is wrong with it)."""
    shas: dict[Path, str] = {}
    for path in files:
        with contextlib.suppress(ReportError):
            shas[path] = hashlib.sha256(read_raw(path)).hexdigest()
    return shas


def _known_bytes(conn: Connection, shas: list[str]) -> tuple[dict[str, Any], dict[str, tuple[str, datetime]]]:
    """The reports loaded from these bytes, and the last verdict on the bytes no report is loaded from."""
    query = select(Rapport.sha256, Rapport.id, Rapport.antal, Rapport.parser_version).where(Rapport.sha256.in_(shas))
    existing = {row.sha256: row for row in conn.execute(query)}
    return existing, history.last_verdicts(conn, [s for s in shas if s not in existing])


def load_paths(  # noqa: PLR0913 - what to load and how
    engine: Engine,
    paths: Iterable[Path],
    *,
    run_id: uuid.UUID | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    force: bool = False,
    hints: Hints | None = None,
    parsing: ParseAheadSettings = PARSE_AHEAD,
) -> list[FileResult]:
    """Load every report file under `paths`; a bad file never stops the others. `hints` give the identity of
    reports whose text does not say it (see malbas.etl.parse.identity.Hints)."""
    return load_candidates(
        engine, report_files(paths), run_id=run_id, on_result=on_result, force=force, hints=hints, parsing=parsing
    )


def totals(results: list[FileResult]) -> dict[str, int]:
    """Files by status (refused and interrupted only where there are any), and the known failures among them."""
    counts = {s: _with_status(results, s) for s in ("loaded", "replaced", "skipped", "failed")}
    for extra in ("refused", "interrupted"):
        if extra_count := _with_status(results, extra):
            counts[extra] = extra_count
    if known := _known_failures(results):
        counts["known failures"] = known
    return counts


def _with_status(results: list[FileResult], status: str) -> int:
    return sum(1 for r in results if r.status == status)


def _known_failures(results: list[FileResult]) -> int:
    """Failures seen before for the same unchanged file."""
    return sum(1 for r in results if r.failed and r.known_since is not None)


def rows_written(results: list[FileResult]) -> int:
    # "indikatorer" counts distinct indicator definitions, not rows written
    return sum(
        sum(v for k, v in r.antal.items() if k != "indikatorer") for r in results if r.status in ("loaded", "replaced")
    )


def totals_line(results: list[FileResult]) -> str:
    parts = ", ".join(f"{n} {s}" for s, n in totals(results).items())
    return f"total: {len(results)} files: {parts}; {rows_written(results)} rows written"
