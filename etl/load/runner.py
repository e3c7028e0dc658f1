"""Load report files: one transaction per report, skip what is already loaded, record every file in laddning.

Each file is a fault boundary: whatever goes wrong while handling it (bad input, a database error, a bug in
malbas) becomes that file's one-line error, its history row is finished, and the run goes on with the next.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from malbas.errors import describe
from malbas.etl.enrich.report import enrich
from malbas.etl.errors import ReportError
from malbas.etl.load import guard, history
from malbas.etl.load.scan import Candidate, scan
from malbas.etl.load.writer import write_report
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.identity import Hints
from malbas.etl.parse.parser import PARSER_VERSION, parse_reading
from malbas.etl.parse.records import Report
from malbas.etl.read.source import read_file
from malbas.models import Laddning, Namnd, Period, Rapport
from malbas.vocabulary import LaddningStatus, kortnamn

COVERAGE_WARNING = 0.99  # a parse that accounts for fewer of its table numbers is loaded with a warning
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

    @property
    def failed(self) -> bool:
        return self.status in _FAILED

    @property
    def new_failure(self) -> bool:
        """A failure not seen before for this unchanged file: the nightly fails the run for these only."""
        return self.failed and self.known_since is None

    def line(self) -> str:
        """The one line per file the load commands print."""
        if self.failed:
            known = f" (known failure, first seen {self.known_since:%Y-%m-%d})" if self.known_since else ""
            return f"{self.status:<9} {self.fil}: {self.fel}{known}"
        if self.anmarkning:
            return f"{self.status:<9} {self.fil}: {self.anmarkning}"
        counts = ", ".join(f"{k} {v}" for k, v in self.antal.items() if k in _SHOWN and v)
        line = f"{self.status:<9} {self.fil}" + (f" ({counts})" if counts else "")
        if self.ej_redovisade and self.tackning is not None:
            warning = "warning: " if self.tackning < COVERAGE_WARNING else ""
            line += (
                f" — {warning}coverage {self.tackning:.1%}, {self.ej_redovisade} numbers in tables not read"
                " (datakvalitet typ ej_redovisat)"
            )
        return line

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


def _current(engine: Engine, rapport: Report):  # noqa: ANN202 - a Row
    """The report now loaded for the same nämnd + period: id, sha256, kalla, antal; or None."""
    d = rapport.dokument
    with engine.connect() as conn:
        return conn.execute(
            select(Rapport.id, Rapport.sha256, Rapport.kalla, Rapport.antal)
            .join(Namnd, Namnd.id == Rapport.namnd_id)
            .join(Period, Period.id == Rapport.period_id)
            .where(Namnd.kortnamn == kortnamn(d.namnd or ""), Period.ar == d.ar, Period.rapporttyp == d.rapporttyp)
        ).first()


def _superseded(engine: Engine, current, sha256: str) -> bool:  # noqa: ANN001
    """Whether this version was loaded before and a later load replaced it with the current one.

    A file never loaded before is a new version and loads (replacing the current one); a file the loader
    already replaced is an old version left in the inbox and is skipped, so re-runs do not flip-flop."""
    with engine.connect() as conn:
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


def _load(engine: Engine, candidate: Candidate, result: FileResult, force: bool, hints: Hints | None) -> None:
    """Read, parse and write one file, filling in `result`; raises on failure."""
    try:
        data, reading = read_file(candidate.path)
    except ReportError as exc:
        if candidate.scanned and str(exc) == "no such file":
            result.status, result.anmarkning = LaddningStatus.SKIPPED, "gone before it could be read"
            return
        raise
    result.sha256 = hashlib.sha256(data).hexdigest()
    with engine.connect() as conn:
        existing = conn.execute(
            select(Rapport.id, Rapport.antal, Rapport.parser_version).where(Rapport.sha256 == result.sha256)
        ).first()
        verdict = history.last_verdict(conn, result.sha256) if existing is None else None
    # Unchanged file, parser not newer: nothing to do. A newer parser re-reads the file and replaces its rows.
    if existing is not None and _version(existing.parser_version) >= _version(PARSER_VERSION):
        result.status, result.rapport_id, result.antal = LaddningStatus.SKIPPED, existing.id, dict(existing.antal or {})
        return
    if verdict is not None and verdict[0] == LaddningStatus.DELETED and not force:
        result.status = LaddningStatus.SKIPPED
        result.anmarkning = (
            f"its report was deleted on {verdict[1]:%Y-%m-%d} (malbas reports delete); load it with --force"
        )
        return
    rapport = parse_reading(reading, kalla=candidate.path.name, sha256=result.sha256, hints=hints)
    result.tackning, result.ej_redovisade = rapport.tackning.andel, len(rapport.tackning.ej_redovisade)
    if rapport.dokument.namnd is None:
        # Without its nämnd a report cannot be told apart from others of the same period.
        raise ParseError("cannot tell which nämnd the report belongs to (no name in the text)")
    current = _current(engine, rapport)
    if current is not None and current.sha256 != result.sha256 and not force:
        if existing is None and _superseded(engine, current, result.sha256):
            result.status = LaddningStatus.SKIPPED
            result.anmarkning = f"an older version of the report now loaded from {current.kalla} (load it with --force)"
            return
        reason = guard.refusal(current.kalla, current.antal or {}, _parsed_counts(rapport))
        if reason is not None:
            result.status, result.fel = LaddningStatus.REFUSED, reason
            return
    enriched = enrich(rapport)  # pure: done before the transaction opens
    with engine.begin() as conn:
        outcome = write_report(
            conn,
            enriched,
            kalla=candidate.path.name,
            parser_version=PARSER_VERSION,
            sidor=reading.page_starts,
        )
    result.status = LaddningStatus.REPLACED if outcome.replaced else LaddningStatus.LOADED
    result.rapport_id, result.antal = outcome.rapport_id, outcome.antal


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


def load_file(
    engine: Engine, path: Path | Candidate, run_id: uuid.UUID, *, force: bool = False, hints: Hints | None = None
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
            _load(engine, candidate, result, force, hints)
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


def _finish(engine: Engine, history_id: int | None, result: FileResult, started: datetime) -> None:
    result.sekunder = (history.now() - started).total_seconds()
    history.finish(
        engine,
        history_id,
        status=result.status,
        sha256=result.sha256,
        rapport_id=result.rapport_id,
        antal=result.antal or None,
        fel=result.fel or result.anmarkning,
    )


def load_candidates(
    engine: Engine,
    candidates: Sequence[Candidate],
    *,
    run_id: uuid.UUID | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    force: bool = False,
    hints: Hints | None = None,
) -> list[FileResult]:
    """Load every candidate; a bad file never stops the others. Rows left `running` by dead runs are marked
    `interrupted` first, and this run is marked alive while it works."""
    run_id = run_id or uuid.uuid4()
    results = []
    with history.run_alive(engine, run_id):
        for candidate in candidates:
            result = load_file(engine, candidate, run_id, force=force, hints=hints)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def load_paths(
    engine: Engine,
    paths: Iterable[Path],
    *,
    run_id: uuid.UUID | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    force: bool = False,
    hints: Hints | None = None,
) -> list[FileResult]:
    """Load every report file under `paths`; a bad file never stops the others. `hints` give the identity of
    reports whose text does not say it (see malbas.etl.parse.identity.Hints)."""
    return load_candidates(engine, report_files(paths), run_id=run_id, on_result=on_result, force=force, hints=hints)


def totals(results: list[FileResult]) -> dict[str, int]:
    counts = {s: sum(1 for r in results if r.status == s) for s in ("loaded", "replaced", "skipped", "failed")}
    for extra in ("refused", "interrupted"):
        if any(r.status == extra for r in results):
            counts[extra] = sum(1 for r in results if r.status == extra)
    known = sum(1 for r in results if r.failed and r.known_since is not None)
    if known:
        counts["known failures"] = known
    return counts


def rows_written(results: list[FileResult]) -> int:
    # "indikatorer" counts distinct indicator definitions, not rows written
    return sum(
        sum(v for k, v in r.antal.items() if k != "indikatorer") for r in results if r.status in ("loaded", "replaced")
    )


def totals_line(results: list[FileResult]) -> str:
    parts = ", ".join(f"{n} {s}" for s, n in totals(results).items())
    return f"total: {len(results)} files: {parts}; {rows_written(results)} rows written"
