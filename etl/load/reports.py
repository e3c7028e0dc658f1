"""The loaded reports: list them, delete one. Deleting is recorded in laddning like every load."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, select

from malbas.etl.load import history
from malbas.etl.load.dimensions import prune_indicators
from malbas.models import Namnd, Period, Rapport
from malbas.vocabulary import LaddningStatus


class ReportNotFound(LookupError):
    pass


@dataclass(frozen=True)
class LoadedReport:
    id: int
    namnd: str
    period: str
    kalla: str
    sha256: str
    laddad: datetime
    antal: dict[str, int]
    tackning: float | None = None  # the parse's self-audit; None for reports loaded before it existed


def loaded_reports(engine: Engine) -> list[LoadedReport]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Rapport.id,
                Namnd.kortnamn,
                Period.etikett,
                Rapport.kalla,
                Rapport.sha256,
                Rapport.laddad,
                Rapport.antal,
                Rapport.tackning,
            )
            .join(Namnd, Namnd.id == Rapport.namnd_id)
            .join(Period, Period.id == Rapport.period_id)
            .order_by(Namnd.kortnamn, Period.ar, Period.ordning)
        ).all()
    return [
        LoadedReport(r[0], r[1], r[2], r[3], r[4], r[5], dict(r[6] or {}), None if r[7] is None else float(r[7]))
        for r in rows
    ]


def _find(engine: Engine, spec: str) -> LoadedReport:
    """The report named by its id, by a file holding the same bytes, or by its source file name."""
    reports = loaded_reports(engine)
    if spec.isdigit():
        return _by_id(reports, spec)
    path = Path(spec)
    if path.is_file() and (same := _by_bytes(reports, path)) is not None:
        return same
    return _by_file_name(reports, path, spec)


def _by_id(reports: list[LoadedReport], spec: str) -> LoadedReport:
    match = [r for r in reports if r.id == int(spec)]
    if not match:
        raise ReportNotFound(f"no loaded report has id {spec} (see `malbas reports`)")
    return match[0]


def _by_bytes(reports: list[LoadedReport], path: Path) -> LoadedReport | None:
    """The report loaded from a file with the same bytes as `path`, if any."""
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    match = [r for r in reports if r.sha256 == sha256]
    return match[0] if match else None


def _by_file_name(reports: list[LoadedReport], path: Path, spec: str) -> LoadedReport:
    """The one report loaded from a file of this name; an error if there is none, or more than one."""
    match = [r for r in reports if r.kalla == path.name]
    if len(match) == 1:
        return match[0]
    if match:
        ids = ", ".join(str(r.id) for r in match)
        raise ReportNotFound(f"{len(match)} loaded reports come from files named {path.name} (ids {ids}); give the id")
    raise ReportNotFound(f"no loaded report comes from {spec} (see `malbas reports`)")


def delete_report(engine: Engine, spec: str) -> LoadedReport:
    """Delete the report (its rows cascade) and record it in laddning. A later load of the same file skips it
    unless forced, so a nightly does not bring back what was deleted on purpose."""
    report = _find(engine, spec)
    with engine.begin() as conn:
        conn.execute(delete(Rapport).where(Rapport.id == report.id))
        prune_indicators(conn)
        history.record(
            conn,
            korning=uuid.uuid4(),
            status=LaddningStatus.DELETED,
            fil=report.kalla,
            sha256=report.sha256,
            antal=report.antal,
            fel=f"deleted report {report.id} ({report.namnd} {report.period}) with malbas reports delete",
        )
    return report
