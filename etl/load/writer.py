"""Write one enriched report into the database inside the caller's transaction.

The writer decides nothing: what a report says is parsed (etl/parse), what malbas derives from it is enriched
(etl/enrich), and the writer stores both. Its only rules are storage ones.

Shared dimensions (namnd, period, indikator) are upserted with INSERT … ON CONFLICT; the fact tables are
written with COPY, one per table (rows that others point at get their ids from the table's sequence first, so
parents and children go in the same way). A report that already exists for
the same namnd + period is deleted first (its rows cascade), so a corrected report replaces the old one
within the same transaction: readers see the old rows or the new ones, never a mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import Connection, Numeric, delete, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError

from malbas.etl.enrich.report import Deviation, EnrichedCell, EnrichedReport, economy_tables
from malbas.etl.load.plan_evidence import annotate_follow_ups
from malbas.etl.parse.goals import enclosing_goal
from malbas.etl.parse.records import EconomyCell, Report
from malbas.etl.parse.sections import DEFAULT_SECTION
from malbas.models import (
    Aktivitet,
    Avvikelse,
    Datakvalitet,
    Ekonomicell,
    Ekonomirad,
    Ekonomitabell,
    Indikatoralias,
    Indikatorrad,
    Mal,
    Maltext,
    Namnd,
    Nyckeltal,
    Period,
    Rapport,
    Textavsnitt,
    Utfall,
)
from malbas.models.base import Keyed
from malbas.vocabulary import AvvikelseTyp, IndikatorNiva, NamndTyp, Niva, Rapporttyp, kortnamn

# The column of avvikelse that points at what deviates, by kind of deviation.
_DEVIATION_TARGET = {
    AvvikelseTyp.AKTIVITET: "aktivitet_id",
    AvvikelseTyp.INDIKATOR: "indikatorrad_id",
    AvvikelseTyp.MAL: "mal_id",
    AvvikelseTyp.EKONOMI: "ekonomirad_id",
}


@dataclass(frozen=True)
class WriteOutcome:
    rapport_id: int
    replaced: bool
    antal: dict[str, int]


def _upsert_namnd(conn: Connection, namn: str) -> int:
    stmt = pg_insert(Namnd).values(namn=namn, kortnamn=kortnamn(namn), typ=NamndTyp.of(namn))
    # Keyed on the short name: "Skärholmens stadsdelsnämnd" and "Skärholmen stadsdelsnämnd" are one committee.
    stmt = stmt.on_conflict_do_update(index_elements=[Namnd.kortnamn], set_={"kortnamn": stmt.excluded.kortnamn})
    return conn.execute(stmt.returning(Namnd.id)).scalar_one()


def _upsert_period(conn: Connection, ar: int, kind: Rapporttyp, label: str) -> int:
    stmt = pg_insert(Period).values(
        ar=ar,
        rapporttyp=kind,
        etikett=label,
        startdatum=kind.startdatum(ar),
        slutdatum=kind.slutdatum(ar),
        ordning=kind.ordning,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Period.ar, Period.rapporttyp], set_={"etikett": stmt.excluded.etikett}
    )
    return conn.execute(stmt.returning(Period.id)).scalar_one()


def _upsert_indicators(conn: Connection, enriched: EnrichedReport) -> dict[str, int]:
    """One indikator per identity key (canonical name, unit, level, direction); returns key -> id. An identity
    the report prints more than once takes the first unit given, and the KF level if any of its rows has it."""
    seen: dict[str, dict[str, Any]] = {}
    for e in enriched.indikatorer:
        entry = seen.setdefault(
            e.identitet.nyckel,
            {
                "nyckel": e.identitet.nyckel,
                "namn": e.identitet.namn,
                "enhet": e.row.enhet,
                "niva": e.niva,
                "riktning": e.riktning.riktning,
                "riktning_grund": e.riktning.grund,
            },
        )
        if e.niva is IndikatorNiva.KF:
            entry["niva"] = IndikatorNiva.KF
        entry["enhet"] = entry["enhet"] or e.row.enhet
    if not seen:
        return {}
    # One set-based statement over arrays (compiled once, whatever the number of indicators).
    columns = ("nyckel", "namn", "enhet", "niva", "riktning", "riktning_grund")
    arrays = {c: [entry[c] for entry in seen.values()] for c in columns}
    return {key: id_ for id_, key in conn.execute(_UPSERT_INDICATORS, arrays | {"kf": IndikatorNiva.KF})}


_UPSERT_INDICATORS = text(
    """
    INSERT INTO indikator (nyckel, namn, enhet, niva, riktning, riktning_grund)
    SELECT * FROM unnest(CAST(:nyckel AS text[]), CAST(:namn AS text[]), CAST(:enhet AS text[]),
                         CAST(:niva AS text[]), CAST(:riktning AS text[]), CAST(:riktning_grund AS text[]))
    ON CONFLICT (nyckel) DO UPDATE SET
        -- KF level is sticky: once any report lists the indicator under a KF goal it is a KF-indikator.
        niva = CASE WHEN indikator.niva = :kf THEN indikator.niva ELSE excluded.niva END,
        enhet = coalesce(indikator.enhet, excluded.enhet),
        riktning = coalesce(excluded.riktning, indikator.riktning),
        riktning_grund = CASE WHEN excluded.riktning IS NOT NULL THEN excluded.riktning_grund
                              ELSE coalesce(indikator.riktning_grund, excluded.riktning_grund) END
    RETURNING id, nyckel
    """
)


def _write_aliases(conn: Connection, rapport_id: int, enriched: EnrichedReport, keys: dict[str, int]) -> None:
    """Every spelling of an indicator this report prints, with how it matched (first line it appears on)."""
    spellings: dict[str, dict[str, Any]] = {}
    for e in enriched.indikatorer:
        spellings.setdefault(
            e.row.namn,
            {
                "rapport_id": rapport_id,
                "indikator_id": keys[e.identitet.nyckel],
                "namn": e.row.namn,
                "grund": e.identitet.grund,
                "rad": e.row.rad,
            },
        )
    _insert(conn, Indikatoralias, list(spellings.values()))


def _new_ids(conn: Connection, model: type[Keyed], n: int) -> list[int]:
    """`n` ids from the table's own sequence, ascending (rows keep their report order by id)."""
    if n == 0:
        return []
    table = model.__table__.name  # type: ignore[attr-defined]
    ids = conn.execute(
        text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"), {"t": table, "n": n}
    ).scalars()
    return sorted(ids)


def _copy(conn: Connection, model: type, rows: Sequence[dict[str, Any]]) -> None:
    """COPY the rows (dicts with the same keys) into the model's table, in the caller's transaction."""
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    columns = list(rows[0])
    convert = {c: _COPY_FORMS[type(table.c[c].type)] for c in columns if type(table.c[c].type) in _COPY_FORMS}
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([convert[c](row[c]) if c in convert and row[c] is not None else row[c] for c in columns])
    except psycopg.Error as exc:
        # The driver's error, as SQLAlchemy wraps it for every other statement: a database error like the rest.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _numeric(value: Any) -> Any:
    """A float as PostgreSQL's float8 -> numeric cast writes it (15 significant digits: 29.0 -> 29, not 29.0),
    so COPY stores exactly what a bound INSERT parameter stored."""
    return format(value, ".15g") if isinstance(value, float) else value


_COPY_FORMS: dict[type, Callable[[Any], Any]] = {JSONB: Jsonb, Numeric: _numeric}


def _insert_returning_ids(conn: Connection, model: type[Keyed], rows: Sequence[dict[str, Any]]) -> list[int]:
    """COPY rows that other rows point at; returns their ids in the order given."""
    ids = _new_ids(conn, model, len(rows))
    _copy(conn, model, [{"id": id_} | row for id_, row in zip(ids, rows, strict=True)])
    return ids


def _insert(conn: Connection, model: type, rows: Sequence[dict[str, Any]]) -> None:
    _copy(conn, model, rows)


def _write_goals(conn: Connection, rapport_id: int, rapport: Report) -> list[int]:
    """Insert goals level by level so each can point at its parent; returns ids in report order."""
    levels = list(Niva)
    order = [i for level in levels for i in _at_level(rapport, level)]
    ids: list[int | None] = [None] * len(rapport.mal)
    by_key: dict[tuple[str, str], int] = {}
    reserved = dict(zip(order, _new_ids(conn, Mal, len(order)), strict=True))
    rows = []
    for level in levels:
        idx = _at_level(rapport, level)
        for i in idx:
            m = rapport.mal[i]
            parent_id = _goal_parent(rapport, ids, by_key, i, level)
            rows.append(
                {
                    "id": reserved[i],
                    "rapport_id": rapport_id,
                    "overordnat_id": parent_id,
                    "niva": level,
                    "nummer": m.nummer,
                    "titel": m.titel,
                    "bedomning": m.bedomning,
                    "rad": m.rad,
                }
            )
        # A level's goals are known to the next level only, as when each level was written in turn.
        for i in idx:
            ids[i] = reserved[i]
            m = rapport.mal[i]
            by_key[(level, m.nummer or m.titel)] = reserved[i]
    _copy(conn, Mal, rows)
    _insert(conn, Maltext, _goal_texts(rapport_id, rapport, ids))
    return [i for i in ids if i is not None]


def _at_level(rapport: Report, level: Niva) -> list[int]:
    """The indexes of the report's goals at one level, in report order."""
    return [i for i, m in enumerate(rapport.mal) if m.niva == level]


def _goal_parent(
    rapport: Report, ids: list[int | None], by_key: dict[tuple[str, str], int], i: int, level: Niva
) -> int | None:
    """The id of goal i's parent: the goal one level up that it names (by number or title), written before."""
    m = rapport.mal[i]
    parent_level = level.overordnad
    if parent_level is None or m.overordnat is None:
        return None
    parent_id = by_key.get((parent_level, m.overordnat))
    if parent_id is None:
        # Unnumbered or inconsistent parent: fall back to the nearest preceding goal one level up.
        parent_id = _nearest_before(rapport, ids, i, parent_level)
    return parent_id


def _goal_texts(rapport_id: int, rapport: Report, ids: list[int | None]) -> list[dict[str, Any]]:
    """The rows of every goal's texts, each pointing at its goal."""
    return [
        {"rapport_id": rapport_id, "mal_id": ids[i], "rubrik": t.rubrik, "text": t.text, "rad": t.rad}
        for i, m in enumerate(rapport.mal)
        for t in m.texter
    ]


def _nearest_before(rapport: Report, ids: list[int | None], i: int, level: str) -> int | None:
    for j in range(i - 1, -1, -1):
        if rapport.mal[j].niva == level:
            return ids[j]
    return None


def _goal_lookup(rapport: Report, goal_ids: list[int]):  # noqa: ANN202
    goal_lines = [m.rad for m in rapport.mal]

    def goal_for(rad: int) -> int | None:
        k = enclosing_goal(goal_lines, rad)
        return None if k is None else goal_ids[k]

    return goal_for


def _write_indicators(  # noqa: ANN001
    conn: Connection, rapport_id: int, enriched: EnrichedReport, goal_for
) -> tuple[list[int], int, int]:
    """Indicator rows and their outcomes; returns the rows' ids, the outcome count and the indicator count."""
    keys = _upsert_indicators(conn, enriched)
    _write_aliases(conn, rapport_id, enriched, keys)
    rows = enriched.indikatorer
    ids = _insert_returning_ids(
        conn,
        Indikatorrad,
        [
            {
                "rapport_id": rapport_id,
                "indikator_id": keys[e.identitet.nyckel],
                "mal_id": goal_for(r.rad),
                "namn": r.namn,
                "kf_indikator": r.kf_indikator,
                "enhet": r.enhet,
                "period": r.period,
                "periodicitet": r.periodicitet,
                "foregaende_utfall": r.foregaende_utfall,
                "prognos": r.prognos,
                "arsmal": r.arsmal,
                "kf_arsmal": r.kf_arsmal,
                "text": r.text,
                "celler": r.celler,
                "analys": r.analys,
                "osaker": r.osaker,
                "riktning": e.verdict.riktning,
                "arsmal_uppnatt": e.verdict.uppnatt,
                "arsmal_uppnatt_grund": e.verdict.grund,
                "rad": r.rad,
            }
            for e in rows
            for r in [e.row]
        ],
    )
    utfall = [
        {
            "rapport_id": rapport_id,
            "indikatorrad_id": row_id,
            "indikator_id": keys[e.identitet.nyckel],
            "kon": outcome.kon,
            "varde": outcome.varde,
            "text": outcome.text,
            "rad": e.row.rad,
        }
        for row_id, e in zip(ids, rows, strict=True)
        for outcome in e.utfall
    ]
    _insert(conn, Utfall, utfall)
    return ids, len(utfall), len(keys)


def _write_activities(conn: Connection, rapport_id: int, rapport: Report, goal_for) -> list[int]:  # noqa: ANN001
    return _insert_returning_ids(
        conn,
        Aktivitet,
        [
            {
                "rapport_id": rapport_id,
                "mal_id": goal_for(a.rad),
                "namn": a.namn,
                "kf_uppdrag": a.kf_uppdrag,
                "startdatum": a.startdatum,
                "slutdatum": a.slutdatum,
                "status": a.status,
                "avvikelse": a.avvikelse,
                "analys": a.analys,
                "rad": a.rad,
            }
            for a in rapport.aktiviteter
        ],
    )


def _deviation_rows(rapport_id: int, deviations: Iterable[Deviation], ids: dict[AvvikelseTyp, Any]) -> list[dict]:
    """avvikelse rows: each points at its goal, activity, indicator row or economy row by the id it got."""
    rows = []
    for d in deviations:
        target = {column: None for column in _DEVIATION_TARGET.values()}
        key = d.ekonomirad if d.typ is AvvikelseTyp.EKONOMI else d.index
        target[_DEVIATION_TARGET[d.typ]] = ids[d.typ][key]
        rows.append({"rapport_id": rapport_id, "typ": d.typ, "forklaring": d.forklaring, "rad": d.rad} | target)
    return rows


def _write_economy(
    conn: Connection, rapport_id: int, enriched: EnrichedReport
) -> tuple[int, dict[tuple[Any, Any], int]]:
    """Tables, rows (varav rows pointing at their parent) and cells with their column meanings; returns the
    cell count and the id of each economy row by its (table, row) key."""
    meanings: dict[int, EnrichedCell] = {id(e.cell): e for e in enriched.ekonomi}
    tables = economy_tables(enriched.rapport.ekonomi)
    table_ids = _insert_returning_ids(
        conn, Ekonomitabell, [{"rapport_id": rapport_id, "rubrik": t, "rad": r} for t, r in tables]
    )
    cells, economy_rows = [], []
    ids_by_key: dict[tuple[Any, Any], int] = {}
    row_ids_of = _economy_row_ids(conn, list(tables.values()))
    for table_id, (table, rows), row_ids in zip(table_ids, tables.items(), row_ids_of, strict=True):
        order = _column_order(rows.values())
        economy_rows += _economy_rows(rapport_id, table_id, rows, row_ids)
        for key, row_cells in rows.items():
            cells += [_cell_row(rapport_id, row_ids[key], order[c.kolumn], meanings[id(c)]) for c in row_cells]
            ids_by_key[(table, key)] = row_ids[key]
    _copy(conn, Ekonomirad, economy_rows)
    _insert(conn, Ekonomicell, cells)
    return len(cells), ids_by_key


def _write_key_figures(conn: Connection, rapport_id: int, rapport: Report) -> int:
    """The figures of the key-figure tables, as the parser read them (one row per cell)."""
    rows = [
        {
            "rapport_id": rapport_id,
            "tabell": f.tabell,
            "radnamn": f.rad_namn,
            "kolumn": f.kolumn,
            "varde": f.varde,
            "enhet": f.enhet,
            "kon": f.kon,
            "text": f.text,
            "rad": f.rad,
            "tabell_rad": f.tabell_rad,
        }
        for f in rapport.nyckeltal
    ]
    _insert(conn, Nyckeltal, rows)
    return len(rows)


def _cell_row(rapport_id: int, ekonomirad_id: int, kolumn_nr: int, e: EnrichedCell) -> dict[str, Any]:
    c, meaning = e.cell, e.betydelse
    return {
        "rapport_id": rapport_id,
        "ekonomirad_id": ekonomirad_id,
        "kolumn": c.kolumn,
        "kolumn_nr": kolumn_nr,
        "storhet": meaning.storhet,
        "matt": meaning.matt,
        "resultatoverforing": meaning.resultatoverforing,
        "kolumn_ar": meaning.ar,
        "jamforelse_roll": e.roll,
        "varde": c.varde,
        "enhet": c.enhet,
        "text": c.text,
        "rad": c.rad,
    }


def _column_order(rows: Iterable[list[EconomyCell]]) -> dict[str, int]:
    """Column positions (from 1) by first appearance; cells come left to right within each row."""
    order: dict[str, int] = {}
    for row_cells in rows:
        for c in row_cells:
            order.setdefault(c.kolumn, len(order) + 1)
    return order


def _economy_row_order(rows: dict[tuple[str, int], list[EconomyCell]]) -> list[tuple[str, int]]:
    """A table's row keys: ordinary rows first, then varav rows (which point at an ordinary row)."""
    return [k for varav in (False, True) for k, c in rows.items() if (c[0].overordnad_rad is not None) == varav]


def _economy_row_ids(
    conn: Connection, tables: list[dict[tuple[str, int], list[EconomyCell]]]
) -> list[dict[tuple[str, int], int]]:
    """Ids for every economy row of every table, taken from the sequence at once, in writing order."""
    keys = [_economy_row_order(rows) for rows in tables]
    ids = iter(_new_ids(conn, Ekonomirad, sum(len(k) for k in keys)))
    return [{k: next(ids) for k in table_keys} for table_keys in keys]


def _economy_rows(
    rapport_id: int, table_id: int, rows: dict[tuple[str, int], list[EconomyCell]], ids: dict[tuple[str, int], int]
) -> list[dict[str, Any]]:
    """A table's rows: varav rows point at the nearest ordinary row above with the label they name."""
    ordinary = [k for k, c in rows.items() if c[0].overordnad_rad is None]
    payload = []
    for name, rad in _economy_row_order(rows):
        parent = rows[(name, rad)][0].overordnad_rad
        above = [k for k in ordinary if parent is not None and k[0] == parent and k[1] <= rad]
        payload.append(
            {
                "id": ids[(name, rad)],
                "rapport_id": rapport_id,
                "tabell_id": table_id,
                "foralder_id": ids[max(above, key=lambda k: k[1])] if above else None,
                "namn": name,
                "overordnad": parent,
                "rad": rad,
            }
        )
    return payload


def lock_report(conn: Connection, rapport: Report) -> tuple[int, int]:
    """Take the lock of the report's namnd + period for the caller's transaction; returns their ids.

    Every writer of the same namnd + period holds it, so whoever reads the loaded version under it (the
    plausibility guard) sees what it will replace. Taken again by the same transaction, it is a no-op."""
    d = rapport.dokument
    if d.namnd is None:
        raise ValueError(f"{d.kalla}: the report names no nämnd; it cannot be stored")
    namnd_id = _upsert_namnd(conn, d.namnd)
    period_id = _upsert_period(conn, d.ar, Rapporttyp(d.rapporttyp), d.period)
    conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": namnd_id, "b": period_id})
    return namnd_id, period_id


def write_report(  # noqa: PLR0913 - the report and what is stored beside it
    conn: Connection,
    enriched: EnrichedReport,
    *,
    kalla: str,
    parser_version: str,
    sidor: list[int] | None = None,
    locked: tuple[int, int] | None = None,
) -> WriteOutcome:
    """Write the enriched report in the caller's transaction, replacing any report for the same namnd + period.
    `sidor`: for a PDF, the line of the extracted text on which each page begins. `locked`: the ids lock_report
    returned when the caller holds the report's lock already (else it is taken here)."""
    rapport = enriched.rapport
    d = rapport.dokument
    namnd_id, period_id = locked or lock_report(conn, rapport)
    old = conn.execute(
        select(Rapport.id).where(Rapport.namnd_id == namnd_id, Rapport.period_id == period_id)
    ).scalar_one_or_none()
    if old is not None:
        conn.execute(delete(Rapport).where(Rapport.id == old))
    rapport_id = conn.execute(
        insert(Rapport)
        .values(
            namnd_id=namnd_id,
            period_id=period_id,
            kalla=kalla,
            sha256=d.sha256,
            textform=d.textform,
            sidor=sidor,
            parser_version=parser_version,
            antal={},
            varningar=rapport.varningar,
            tackning=round(rapport.tackning.andel, 4),
        )
        .returning(Rapport.id)
    ).scalar_one()
    goal_ids = _write_goals(conn, rapport_id, rapport)
    goal_for = _goal_lookup(rapport, goal_ids)
    row_ids, n_utfall, n_ind = _write_indicators(conn, rapport_id, enriched, goal_for)
    act_ids = _write_activities(conn, rapport_id, rapport, goal_for)
    n_cells, economy_row_ids = _write_economy(conn, rapport_id, enriched)
    ids = {
        AvvikelseTyp.AKTIVITET: act_ids,
        AvvikelseTyp.INDIKATOR: row_ids,
        AvvikelseTyp.MAL: goal_ids,
        AvvikelseTyp.EKONOMI: economy_row_ids,
    }
    deviations = _deviation_rows(rapport_id, enriched.avvikelser, ids)
    _insert(conn, Avvikelse, deviations)
    _insert(
        conn,
        Textavsnitt,
        [
            {
                "rapport_id": rapport_id,
                "typ": t.typ or DEFAULT_SECTION,
                "rubrik": t.rubrik,
                "text": t.text,
                "rad": t.rad,
            }
            for t in rapport.avsnitt
        ],
    )
    n_key_figures = _write_key_figures(conn, rapport_id, rapport)
    _insert(
        conn,
        Datakvalitet,
        [{"rapport_id": rapport_id, "typ": k.typ, "meddelande": k.meddelande, "rad": k.rad} for k in rapport.kvalitet],
    )
    antal = {
        "mal": len(goal_ids),
        "maltexter": sum(len(m.texter) for m in rapport.mal),
        "indikatorrader": len(row_ids),
        "utfall": n_utfall,
        "indikatorer": n_ind,
        "aktiviteter": len(act_ids),
        "avvikelser": len(deviations),
        "ekonomiceller": n_cells,
        "nyckeltal": n_key_figures,
        "textavsnitt": len(rapport.avsnitt),
        "datakvalitet": len(rapport.kvalitet),
    }
    conn.execute(update(Rapport).where(Rapport.id == rapport_id).values(antal=antal))
    # Plan evidence for uncertain rows, whichever of the plan and its follow-ups came first.
    annotate_follow_ups(conn, namnd_id, d.ar)
    return WriteOutcome(rapport_id=rapport_id, replaced=old is not None, antal=antal)
