"""Load report files: one transaction per report, skip what is already loaded, record every file in laddning."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from etl.load.writer import write_report
from etl.parse.errors import ParseError
from etl.parse.parser import PARSER_VERSION, parse_text
from etl.parse.source import read_report
from malbas.database import redact
from models import Laddning, Rapport


@dataclass
class FileResult:
    fil: str
    status: str  # loaded | skipped | replaced | failed
    sha256: str | None = None
    antal: dict[str, int] = field(default_factory=dict)
    fel: str | None = None
    rapport_id: int | None = None
    sekunder: float = 0.0

    def line(self) -> str:
        """The one line per file the load commands print."""
        if self.status == "failed":
            return f"failed    {self.fil}: {self.fel}"
        counts = ", ".join(f"{k} {v}" for k, v in self.antal.items() if k in _SHOWN and v)
        return f"{self.status:<9} {self.fil}" + (f" ({counts})" if counts else "")


_SHOWN = ("mal", "indikatorrader", "utfall", "aktiviteter", "avvikelser", "ekonomiceller")


def report_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their report files (sorted, hidden files skipped); keep other paths as given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        else:
            out.append(path)
    return out


def _now() -> datetime:
    return datetime.now(UTC)


def _db_error(exc: Exception) -> str:
    """One line, no secrets: the driver's first line without the SQL statement."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    first = first.split(" (Background on this error")[0]
    return "database error: " + redact_urls(first)


def redact_urls(message: str) -> str:
    import re

    return re.sub(r"postgres(?:ql)?(?:\+\w+)?://\S+", lambda m: redact(m.group(0)), message)


def _start_history(engine: Engine, run_id: uuid.UUID, fil: str) -> int | None:
    try:
        with engine.begin() as conn:
            return conn.execute(
                insert(Laddning)
                .values(korning=run_id, startad=_now(), status="running", fil=fil)
                .returning(Laddning.id)
            ).scalar_one()
    except SQLAlchemyError:
        return None  # the database is unreachable: the load itself will fail and say why


def _finish_history(engine: Engine, history_id: int | None, result: FileResult) -> None:
    if history_id is None:
        return
    try:
        with engine.begin() as conn:
            conn.execute(
                update(Laddning)
                .where(Laddning.id == history_id)
                .values(
                    avslutad=_now(),
                    status=result.status,
                    sha256=result.sha256,
                    rapport_id=result.rapport_id,
                    antal=result.antal or None,
                    fel=result.fel,
                )
            )
    except SQLAlchemyError:
        pass  # history is best effort once the database has gone away; the caller reports the failure


def load_file(engine: Engine, path: Path, run_id: uuid.UUID) -> FileResult:
    started = _now()
    result = FileResult(fil=str(path), status="failed")
    history_id = _start_history(engine, run_id, str(path))
    try:
        data, text = read_report(path)
        result.sha256 = hashlib.sha256(data).hexdigest()
        with engine.connect() as conn:
            existing = conn.execute(
                select(Rapport.id, Rapport.antal, Rapport.parser_version).where(Rapport.sha256 == result.sha256)
            ).first()
        # Unchanged file, same parser: nothing to do. A newer parser re-reads the file and replaces its rows.
        if existing is not None and existing.parser_version == PARSER_VERSION:
            result.status, result.rapport_id, result.antal = "skipped", existing.id, dict(existing.antal or {})
        else:
            rapport = parse_text(text, kalla=path.name, sha256=result.sha256)
            if rapport.dokument.namnd is None:
                # Without its nämnd a report cannot be told apart from others of the same period.
                raise ParseError("cannot tell which nämnd the report belongs to (no name in the text)")
            with engine.begin() as conn:
                outcome = write_report(conn, rapport, kalla=path.name, parser_version=PARSER_VERSION)
            result.status = "replaced" if outcome.replaced else "loaded"
            result.rapport_id, result.antal = outcome.rapport_id, outcome.antal
    except ParseError as exc:
        result.fel = str(exc)
    except OSError as exc:
        result.fel = exc.strerror or str(exc)
    except (DBAPIError, SQLAlchemyError) as exc:
        result.fel = _db_error(exc)
    result.sekunder = (_now() - started).total_seconds()
    _finish_history(engine, history_id, result)
    return result


def load_paths(
    engine: Engine,
    paths: Iterable[Path],
    *,
    run_id: uuid.UUID | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load every report file under `paths`; a bad file never stops the others."""
    run_id = run_id or uuid.uuid4()
    results = []
    for path in report_files(paths):
        result = load_file(engine, path, run_id)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def totals_line(results: list[FileResult]) -> str:
    by_status = {s: sum(1 for r in results if r.status == s) for s in ("loaded", "replaced", "skipped", "failed")}
    rows = sum(sum(r.antal.values()) for r in results if r.status in ("loaded", "replaced"))
    parts = ", ".join(f"{n} {s}" for s, n in by_status.items())
    return f"total: {len(results)} files: {parts}; {rows} rows written"
