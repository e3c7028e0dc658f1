"""Load report files: one transaction per report, skip what is already loaded, record every file in laddning."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from malbas.errors import describe
from malbas.etl.load.writer import short_name, write_report
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.parser import PARSER_VERSION, parse_text
from malbas.etl.parse.source import read_report
from malbas.etl.pdf import is_pdf, page_starts
from malbas.models import Laddning, Namnd, Period, Rapport
from malbas.vocabulary import Textform


@dataclass
class FileResult:
    fil: str
    status: str  # loaded | skipped | replaced | failed
    sha256: str | None = None
    antal: dict[str, int] = field(default_factory=dict)
    fel: str | None = None
    rapport_id: int | None = None
    sekunder: float = 0.0
    anmarkning: str | None = None  # why a file was skipped, when it is not simply unchanged

    def line(self) -> str:
        """The one line per file the load commands print."""
        if self.status == "failed":
            return f"failed    {self.fil}: {self.fel}"
        if self.anmarkning:
            return f"{self.status:<9} {self.fil}: {self.anmarkning}"
        counts = ", ".join(f"{k} {v}" for k, v in self.antal.items() if k in _SHOWN and v)
        return f"{self.status:<9} {self.fil}" + (f" ({counts})" if counts else "")


_SHOWN = ("mal", "indikatorrader", "utfall", "aktiviteter", "avvikelser", "ekonomiceller")


def report_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their report files, subfolders included and hidden ones skipped, oldest first:
    when a folder holds a report and its corrected version, the newer file is loaded last and stays current.
    Other paths are kept as given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            out.extend(sorted(found, key=lambda p: (p.stat().st_mtime_ns, str(p))))
        else:
            out.append(path)
    return out


def _version(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "0").split(".") if part.isdigit())


def _superseded_by(engine: Engine, rapport, sha256: str) -> str | None:  # noqa: ANN001
    """The file that replaced this one, when this version was loaded before and a later load replaced it.

    A file never loaded before is a new version and loads (replacing the current one); a file the loader
    already replaced is an old version left in the inbox and is skipped, so re-runs do not flip-flop."""
    d = rapport.dokument
    with engine.connect() as conn:
        current = conn.execute(
            select(Rapport.sha256, Rapport.kalla)
            .join(Namnd, Namnd.id == Rapport.namnd_id)
            .join(Period, Period.id == Rapport.period_id)
            .where(Namnd.kortnamn == short_name(d.namnd), Period.ar == d.ar, Period.rapporttyp == d.rapporttyp)
        ).first()
        if current is None or current.sha256 == sha256:
            return None
        last = {
            sha: when
            for sha, when in conn.execute(
                select(Laddning.sha256, func.max(Laddning.avslutad))
                .where(Laddning.sha256.in_([sha256, current.sha256]), Laddning.status.in_(["loaded", "replaced"]))
                .group_by(Laddning.sha256)
            )
        }
    mine, theirs = last.get(sha256), last.get(current.sha256)
    return current.kalla if mine is not None and theirs is not None and theirs > mine else None


def _now() -> datetime:
    return datetime.now(UTC)


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
        # Unchanged file, parser not newer: nothing to do. A newer parser re-reads the file and replaces its rows.
        if existing is not None and _version(existing.parser_version) >= _version(PARSER_VERSION):
            result.status, result.rapport_id, result.antal = "skipped", existing.id, dict(existing.antal or {})
        else:
            rapport = parse_text(text, kalla=path.name, sha256=result.sha256)
            pdf = is_pdf(data)
            if pdf:
                rapport.dokument.textform = Textform.PDF  # read from the PDF into the tabbed form
            if rapport.dokument.namnd is None:
                # Without its nämnd a report cannot be told apart from others of the same period.
                raise ParseError("cannot tell which nämnd the report belongs to (no name in the text)")
            newer = _superseded_by(engine, rapport, result.sha256) if existing is None else None
            if newer is not None:
                result.status = "skipped"
                result.anmarkning = f"an older version of the report now loaded from {newer}"
            else:
                with engine.begin() as conn:
                    outcome = write_report(
                        conn,
                        rapport,
                        kalla=path.name,
                        parser_version=PARSER_VERSION,
                        sidor=page_starts(text) if pdf else None,
                    )
                result.status = "replaced" if outcome.replaced else "loaded"
                result.rapport_id, result.antal = outcome.rapport_id, outcome.antal
    except ParseError as exc:
        result.fel = str(exc)
    except OSError as exc:
        result.fel = exc.strerror or str(exc)
    except (DBAPIError, SQLAlchemyError) as exc:
        result.fel = describe(exc)
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
    # "indikatorer" counts distinct indicator definitions, not rows written
    rows = sum(
        sum(v for k, v in r.antal.items() if k != "indikatorer") for r in results if r.status in ("loaded", "replaced")
    )
    parts = ", ".join(f"{n} {s}" for s, n in by_status.items())
    return f"total: {len(results)} files: {parts}; {rows} rows written"
