"""Plan evidence for the uncertain rows of stored follow-ups: the one derivation that needs another report.

An uncertain T1/T2/VB row is annotated with the targets the committee's plan (VP) for the year gives for the
same indicator (the note itself is etl/enrich/plan_evidence.plan_note). Run in the writer's transaction after
every write, so a plan loaded after its T1 annotates the T1 as loading it first would have.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, bindparam, select, update

from malbas.etl.enrich.plan_evidence import plan_note
from malbas.models import Indikator, Indikatorrad, Period, Rapport
from malbas.vocabulary import Rapporttyp


def _plan_targets(conn: Connection, namnd_id: int, ar: int) -> dict[str, tuple[float | None, float | None]]:
    """Årsmål and KF:s årsmål per indicator key from the committee's loaded plan for the year, if any."""
    rows = conn.execute(
        select(Indikator.nyckel, Indikatorrad.arsmal, Indikatorrad.kf_arsmal)
        .join(Indikatorrad, Indikatorrad.indikator_id == Indikator.id)
        .join(Rapport, Rapport.id == Indikatorrad.rapport_id)
        .join(Period, Period.id == Rapport.period_id)
        .where(Rapport.namnd_id == namnd_id, Period.ar == ar, Period.rapporttyp == Rapporttyp.VP)
        .order_by(Indikatorrad.rad)
    )
    return {k: (float(a) if a is not None else None, float(kf) if kf is not None else None) for k, a, kf in rows}


def annotate_follow_ups(conn: Connection, namnd_id: int, ar: int) -> int:
    """Re-annotate the uncertain rows of the committee's stored follow-ups of the year with what its plan
    (if loaded) says, so a plan loaded after its T1 annotates the T1 as loading it first would have."""
    plan = _plan_targets(conn, namnd_id, ar)
    rows = conn.execute(
        select(Indikatorrad.id, Indikatorrad.osaker, Indikatorrad.arsmal, Indikatorrad.kf_arsmal, Indikator.nyckel)
        .join(Indikator, Indikator.id == Indikatorrad.indikator_id)
        .join(Rapport, Rapport.id == Indikatorrad.rapport_id)
        .join(Period, Period.id == Rapport.period_id)
        .where(
            and_(Rapport.namnd_id == namnd_id, Period.ar == ar, Period.rapporttyp != Rapporttyp.VP),
            Indikatorrad.osaker.is_not(None),
        )
    ).all()
    changed = []
    for row_id, osaker, arsmal, kf_arsmal, key in rows:
        note = plan_note(
            osaker,
            float(arsmal) if arsmal is not None else None,
            float(kf_arsmal) if kf_arsmal is not None else None,
            plan.get(key),
        )
        if note != osaker:
            changed.append({"row_id": row_id, "note": note})
    if changed:
        conn.execute(
            update(Indikatorrad).where(Indikatorrad.id == bindparam("row_id")).values(osaker=bindparam("note")),
            changed,
        )
    return len(changed)
