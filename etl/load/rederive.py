"""Derive again, for the rows already stored, what the enrich layer derives when a report is loaded.

A migration that changes the meaning of derived columns (it says REDERIVE = True) leaves them to this module:
malbas.database.migrate runs `rederive` after upgrading past it, and `malbas db rederive` runs it on demand.
So no migration imports application code, and the stored rows end as a reload with this version would leave
them: indicators merged by their identity key (the lowest id of a group kept), every spelling with its report,
verdicts with their reasons and the indicator deviations that follow, economy column meanings and the economy
deviations picked by them, and the plan evidence of uncertain follow-up rows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from malbas.etl.enrich.direction import direction_of
from malbas.etl.enrich.economy import column_meaning, comparison_roles, reports_deviation
from malbas.etl.enrich.identity import identify
from malbas.etl.enrich.verdicts import target_verdict
from malbas.etl.load.plan_evidence import annotate_follow_ups
from malbas.etl.parse.records import EconomyCell, IndicatorRow
from malbas.vocabulary import IndikatorNiva, JamforelseRoll, Rapporttyp


def rederive(conn: sa.Connection) -> None:
    """Derive every derived column again from the stored rows, in the caller's transaction."""
    _merge_indicator_identities(conn)
    _fill_aliases(conn)
    _rederive_verdicts(conn)
    _describe_economy_columns(conn)
    for namnd_id, ar in conn.execute(
        sa.text("SELECT DISTINCT ra.namnd_id, p.ar FROM rapport ra JOIN period p ON p.id = ra.period_id")
    ):
        annotate_follow_ups(conn, namnd_id, ar)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _merge_indicator_identities(conn: sa.Connection) -> None:
    """One indikator per identity key: rows are regrouped by the key of the name they print; each group keeps
    the lowest id among its old indicators (a new row where that id went to another group)."""

    old = {
        id_: (niva, enhet) for id_, niva, enhet in conn.execute(sa.text("SELECT id, niva, enhet FROM indikator")).all()
    }
    groups = _identity_groups(conn, old)
    conn.execute(sa.text("UPDATE indikator SET nyckel = 'gammal:' || id"))
    taken: set[int] = set()
    moves = []
    for key in sorted(groups):
        group = groups[key]
        keep = _keep_indicator(conn, group, _indicator_values(key, group, old), taken)
        taken.add(keep)
        moves += [{"row": row_id, "ind": keep} for row_id in group["rows"]]
    if moves:
        conn.execute(sa.text("UPDATE indikatorrad SET indikator_id = :ind WHERE id = :row"), moves)
    conn.execute(
        sa.text(
            "UPDATE utfall u SET indikator_id = r.indikator_id FROM indikatorrad r "
            "WHERE r.id = u.indikatorrad_id AND u.indikator_id <> r.indikator_id"
        )
    )
    # Indicators no row points at any more (merged into another, or left over from deleted reports).
    conn.execute(sa.text("DELETE FROM indikator WHERE nyckel LIKE 'gammal:%'"))


def _identity_groups(conn: sa.Connection, old: dict[int, tuple[str, str | None]]) -> dict[str, dict[str, Any]]:
    """The indicator rows grouped by the identity key of the name they print: each group's identity, rows,
    old indicators, and whether any of them makes it a KF indicator."""
    rows = conn.execute(sa.text("SELECT id, namn, kf_indikator, indikator_id FROM indikatorrad ORDER BY id")).all()
    groups: dict[str, dict[str, Any]] = {}
    for row_id, namn, kf, indikator_id in rows:
        identity = identify(namn)
        group = groups.setdefault(identity.nyckel, {"identity": identity, "rows": [], "old": set(), "kf": False})
        group["rows"].append(row_id)
        group["old"].add(indikator_id)
        group["kf"] |= bool(kf) or identity.kf_referens or old[indikator_id][0] == IndikatorNiva.KF
    return groups


def _indicator_values(key: str, group: dict[str, Any], old: dict[int, tuple[str, str | None]]) -> dict[str, Any]:
    """The columns of a group's indicator: its name's, and the unit of the first of its old indicators that
    has one."""
    identity = group["identity"]
    direction = direction_of(identity.namn)
    return {
        "nyckel": key,
        "namn": identity.namn,
        "niva": IndikatorNiva.of(group["kf"]),
        "enhet": next((old[i][1] for i in sorted(group["old"]) if old[i][1]), None),
        "riktning": direction.riktning,
        "grund": direction.grund,
    }


def _keep_indicator(conn: sa.Connection, group: dict[str, Any], values: dict[str, Any], taken: set[int]) -> int:
    """The id a group keeps: the lowest of its old indicators not yet kept by another group (updated to
    `values`), or a new indicator's."""
    free = sorted(i for i in group["old"] if i not in taken)
    if free:
        conn.execute(
            sa.text(
                "UPDATE indikator SET nyckel = :nyckel, namn = :namn, niva = :niva, enhet = :enhet, "
                "riktning = :riktning, riktning_grund = :grund WHERE id = :id"
            ),
            values | {"id": free[0]},
        )
        return free[0]
    return conn.execute(
        sa.text(
            "INSERT INTO indikator (nyckel, namn, niva, enhet, riktning, riktning_grund) "
            "VALUES (:nyckel, :namn, :niva, :enhet, :riktning, :grund) RETURNING id"
        ),
        values,
    ).scalar_one()


def _fill_aliases(conn: sa.Connection) -> None:
    """Every spelling of an indicator each report prints (the first line it appears on), written afresh."""
    conn.execute(sa.text("DELETE FROM indikatoralias"))

    spellings = conn.execute(
        sa.text("SELECT rapport_id, namn, min(indikator_id), min(rad) FROM indikatorrad GROUP BY rapport_id, namn")
    ).all()
    rows = [
        {"rapport_id": r, "indikator_id": i, "namn": n, "grund": identify(n).grund.value, "rad": rad}
        for r, n, i, rad in spellings
    ]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO indikatoralias (rapport_id, indikator_id, namn, grund, rad) "
                "VALUES (:rapport_id, :indikator_id, :namn, :grund, :rad)"
            ),
            rows,
        )


def _rederive_verdicts(conn: sa.Connection) -> None:
    """Verdicts with reasons, and the indicator deviations that follow from them."""

    rows = conn.execute(
        sa.text(
            """
            SELECT r.id, r.rapport_id, r.namn, r.rad, r.prognos, r.arsmal, r.kf_arsmal, r.text, r.osaker,
                   r.analys, p.rapporttyp,
                   (SELECT u.varde FROM utfall u WHERE u.indikatorrad_id = r.id AND u.kon = 'totalt') AS utfall
            FROM indikatorrad r JOIN rapport ra ON ra.id = r.rapport_id JOIN period p ON p.id = ra.period_id
            """
        )
    ).mappings()
    updates, deviations = [], []
    for r in rows:
        row = IndicatorRow(
            namn=r["namn"],
            rad=r["rad"],
            utfall=_num(r["utfall"]),
            prognos=_num(r["prognos"]),
            arsmal=_num(r["arsmal"]),
            kf_arsmal=_num(r["kf_arsmal"]),
            text=dict(r["text"] or {}),
            osaker=r["osaker"],
        )
        verdict = target_verdict(row, r["rapporttyp"])
        updates.append(
            {
                "id": r["id"],
                "riktning": verdict.riktning.value if verdict.riktning else None,
                "uppnatt": verdict.uppnatt,
                "grund": verdict.grund,
            }
        )
        if verdict.uppnatt is False:
            deviations.append(
                {"rapport_id": r["rapport_id"], "id": r["id"], "forklaring": r["analys"], "rad": r["rad"]}
            )
    if updates:
        conn.execute(
            sa.text(
                "UPDATE indikatorrad SET riktning = :riktning, arsmal_uppnatt = :uppnatt, "
                "arsmal_uppnatt_grund = :grund WHERE id = :id"
            ),
            updates,
        )
    conn.execute(sa.text("DELETE FROM avvikelse WHERE typ = 'indikator'"))
    if deviations:
        conn.execute(
            sa.text(
                "INSERT INTO avvikelse (rapport_id, typ, indikatorrad_id, forklaring, rad) "
                "VALUES (:rapport_id, 'indikator', :id, :forklaring, :rad)"
            ),
            deviations,
        )


def _describe_economy_columns(conn: sa.Connection) -> None:
    """Column meanings and budget-comparison roles per table; economy deviations picked by them."""
    updates: list[dict[str, Any]] = []
    deviations: list[dict[str, Any]] = []
    for table_cells in _economy_tables(conn).values():
        table_updates, table_deviations = _table_meanings(table_cells)
        updates += table_updates
        deviations += table_deviations
    if updates:
        conn.execute(
            sa.text(
                "UPDATE ekonomicell SET storhet = :storhet, matt = :matt, resultatoverforing = :fe, "
                "kolumn_ar = :ar, jamforelse_roll = :roll WHERE id = :id"
            ),
            updates,
        )
    conn.execute(sa.text("DELETE FROM avvikelse WHERE typ = 'ekonomi'"))
    if deviations:
        conn.execute(
            sa.text(
                "INSERT INTO avvikelse (rapport_id, typ, ekonomirad_id, rad) VALUES (:rapport_id, 'ekonomi', :rad_id, :rad)"
            ),
            deviations,
        )


def _economy_tables(conn: sa.Connection) -> dict[int, list[tuple[Any, EconomyCell]]]:
    """Every stored economy cell, as its row and its record, by table, in table order."""
    cells = conn.execute(
        sa.text(
            """
            SELECT c.id, c.kolumn, c.varde, c.enhet, c.rad, er.id AS rad_id, er.namn AS rad_namn, er.rad AS rad_rad,
                   er.foralder_id, er.overordnad, t.id AS tabell_id, t.rubrik, t.rad AS tabell_rad, ra.id AS rapport_id,
                   p.rapporttyp, p.ar
            FROM ekonomicell c
            JOIN ekonomirad er ON er.id = c.ekonomirad_id
            JOIN ekonomitabell t ON t.id = er.tabell_id
            JOIN rapport ra ON ra.id = t.rapport_id
            JOIN period p ON p.id = ra.period_id
            ORDER BY t.id, er.rad, c.kolumn_nr, c.id
            """
        )
    ).mappings()
    tables: dict[int, list[tuple[Any, EconomyCell]]] = {}
    for c in cells:
        tables.setdefault(c["tabell_id"], []).append((c, _economy_record(c)))
    return tables


def _economy_record(c: Any) -> EconomyCell:  # noqa: ANN401 - a row mapping
    """The parse record of a stored economy cell, as the enrich layer reads it."""
    return EconomyCell(
        tabell=c["rubrik"],
        rad_namn=c["rad_namn"],
        kolumn=c["kolumn"],
        varde=float(c["varde"]),
        enhet=c["enhet"],
        rad=c["rad_rad"],
        tabell_rad=c["tabell_rad"],
        # Rows stored before ekonomirad.overordnad existed are known as details by their parent row only.
        overordnad_rad=c["overordnad"] if c["overordnad"] is not None or c["foralder_id"] is None else "",
    )


def _table_meanings(table_cells: list[tuple[Any, EconomyCell]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One table's cell updates (meaning and comparison role) and its economy deviations (none in a VP)."""
    first = table_cells[0][0]
    roles = comparison_roles([rec for _, rec in table_cells], first["rapporttyp"], first["ar"])
    updates = []
    by_row: dict[int, list[EconomyCell]] = {}
    for c, rec in table_cells:
        updates.append(_meaning_update(c["id"], rec, roles))
        by_row.setdefault(c["rad_id"], []).append(rec)
    if first["rapporttyp"] == Rapporttyp.VP:
        return updates, []
    deviations = [
        {"rapport_id": first["rapport_id"], "rad_id": rad_id, "rad": recs[0].rad}
        for rad_id, recs in by_row.items()
        if reports_deviation(recs, roles)
    ]
    return updates, deviations


def _meaning_update(cell_id: int, rec: EconomyCell, roles: dict[str, JamforelseRoll]) -> dict[str, Any]:
    """The derived columns of one economy cell: its column's meaning and its comparison role."""
    meaning = column_meaning(rec.kolumn)
    role = roles.get(rec.kolumn)
    return {
        "id": cell_id,
        "storhet": meaning.storhet.value,
        "matt": meaning.matt.value if meaning.matt else None,
        "fe": meaning.resultatoverforing.value if meaning.resultatoverforing else None,
        "ar": meaning.ar,
        "roll": role.value if role else None,
    }
