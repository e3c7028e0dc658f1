"""Write one parsed report into the database inside the caller's transaction.

Shared dimensions (namnd, period, indikator) are upserted with INSERT … ON CONFLICT; the fact tables are
written with COPY, one per table (rows that others point at get their ids from the table's sequence first, so
parents and children go in the same way). A report that already exists for
the same namnd + period is deleted first (its rows cascade), so a corrected report replaces the old one
within the same transaction: readers see the old rows or the new ones, never a mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import Connection, Numeric, and_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError

from malbas.etl.enrich.direction import direction_of
from malbas.etl.enrich.plan_evidence import plan_note
from malbas.etl.enrich.report import EnrichedCell, EnrichedReport, economy_tables, enrich
from malbas.etl.parse.goals import enclosing_goal
from malbas.etl.parse.records import EconomyCell, Report
from malbas.models import (
    Aktivitet,
    Avvikelse,
    Datakvalitet,
    Ekonomicell,
    Ekonomirad,
    Ekonomitabell,
    Indikator,
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
from malbas.vocabulary import Bedomning

_PERIOD_DATES = {"VP": (1, 12, 0), "T1": (1, 4, 1), "T2": (1, 8, 2), "VB": (1, 12, 3)}
_MONTH_END = {4: 30, 8: 31, 12: 31}
_DEVIATION_TARGETS = {"aktivitet_id": None, "indikatorrad_id": None, "mal_id": None, "ekonomirad_id": None}
_KON_COLUMNS = (("totalt", "utfall"), ("man", "utfall_man"), ("kvinnor", "utfall_kvinnor"))


@dataclass(frozen=True)
class WriteOutcome:
    rapport_id: int
    replaced: bool
    antal: dict[str, int]


def short_name(namn: str) -> str:
    """'Skarpnäcks stadsdelsnämnd' -> 'Skarpnäck'; a facknämnd keeps its name."""
    if not namn.endswith(" stadsdelsnämnd"):
        return namn
    base = namn[: -len(" stadsdelsnämnd")]
    return base[:-1] if base.endswith("s") and not base.endswith("ss") else base


def _upsert_namnd(conn: Connection, namn: str) -> int:
    typ = "stadsdelsnamnd" if "stadsdelsnämnd" in namn.lower() else "facknamnd"
    stmt = pg_insert(Namnd).values(namn=namn, kortnamn=short_name(namn), typ=typ)
    # Keyed on the short name: "Skärholmens stadsdelsnämnd" and "Skärholmen stadsdelsnämnd" are one committee.
    stmt = stmt.on_conflict_do_update(index_elements=[Namnd.kortnamn], set_={"kortnamn": stmt.excluded.kortnamn})
    return conn.execute(stmt.returning(Namnd.id)).scalar_one()


def _upsert_period(conn: Connection, ar: int, kind: str, label: str) -> int:
    first_month, last_month, order = _PERIOD_DATES[kind]
    stmt = pg_insert(Period).values(
        ar=ar,
        rapporttyp=kind,
        etikett=label,
        startdatum=date(ar, first_month, 1),
        slutdatum=date(ar, last_month, _MONTH_END[last_month]),
        ordning=order,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Period.ar, Period.rapporttyp], set_={"etikett": stmt.excluded.etikett}
    )
    return conn.execute(stmt.returning(Period.id)).scalar_one()


def _upsert_indicators(conn: Connection, enriched: EnrichedReport) -> dict[str, int]:
    """One indikator per identity key (canonical name, unit, level, direction); returns key -> id."""
    seen: dict[str, dict[str, Any]] = {}
    for e in enriched.indikatorer:
        row, identity = e.row, e.identitet
        indicator_direction = direction_of(identity.namn)
        entry = seen.setdefault(
            identity.nyckel,
            {
                "nyckel": identity.nyckel,
                "namn": identity.namn,
                "enhet": row.enhet,
                "niva": "namnd",
                "riktning": indicator_direction.riktning,
                "riktning_grund": indicator_direction.grund,
            },
        )
        if row.kf_indikator or identity.kf_referens:
            entry["niva"] = "KF"
        entry["enhet"] = entry["enhet"] or row.enhet
    if not seen:
        return {}
    # One set-based statement over arrays (compiled once, whatever the number of indicators).
    columns = ("nyckel", "namn", "enhet", "niva", "riktning", "riktning_grund")
    arrays = {c: [entry[c] for entry in seen.values()] for c in columns}
    return {key: id_ for id_, key in conn.execute(_UPSERT_INDICATORS, arrays)}


_UPSERT_INDICATORS = text(
    """
    INSERT INTO indikator (nyckel, namn, enhet, niva, riktning, riktning_grund)
    SELECT * FROM unnest(CAST(:nyckel AS text[]), CAST(:namn AS text[]), CAST(:enhet AS text[]),
                         CAST(:niva AS text[]), CAST(:riktning AS text[]), CAST(:riktning_grund AS text[]))
    ON CONFLICT (nyckel) DO UPDATE SET
        -- KF level is sticky: once any report lists the indicator under a KF goal it is a KF-indikator.
        niva = CASE WHEN indikator.niva = 'KF' OR excluded.niva = 'KF' THEN 'KF' ELSE 'namnd' END,
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
    levels = ("inriktningsmal", "verksamhetsomradesmal", "namndmal")
    order = [i for level in levels for i, m in enumerate(rapport.mal) if m.niva == level]
    ids: list[int | None] = [None] * len(rapport.mal)
    by_key: dict[tuple[str, str], int] = {}
    parent_level = {"verksamhetsomradesmal": "inriktningsmal", "namndmal": "verksamhetsomradesmal"}
    reserved = dict(zip(order, _new_ids(conn, Mal, len(order)), strict=True))
    rows = []
    for level in levels:
        idx = [i for i, m in enumerate(rapport.mal) if m.niva == level]
        for i in idx:
            m = rapport.mal[i]
            parent_id = None
            if level in parent_level and m.overordnat is not None:
                parent_id = by_key.get((parent_level[level], m.overordnat))
                if parent_id is None:
                    # Unnumbered or inconsistent parent: fall back to the nearest preceding goal one level up.
                    parent_id = _nearest_before(rapport, ids, i, parent_level[level])
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
    texts = [
        {"rapport_id": rapport_id, "mal_id": ids[i], "rubrik": t.rubrik, "text": t.text, "rad": t.rad}
        for i, m in enumerate(rapport.mal)
        for t in m.texter
    ]
    _insert(conn, Maltext, texts)
    return [i for i in ids if i is not None]


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
) -> tuple[int, int, int, list[dict]]:
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
    utfall = []
    for row_id, e in zip(ids, rows, strict=True):
        r = e.row
        for kon, column in _KON_COLUMNS:
            value = getattr(r, column)
            cell = r.celler.get(column) or r.text.get(column)
            if value is None and not cell:
                continue
            utfall.append(
                {
                    "rapport_id": rapport_id,
                    "indikatorrad_id": row_id,
                    "indikator_id": keys[e.identitet.nyckel],
                    "kon": kon,
                    "varde": value,
                    "text": cell if cell is not None else _format(value),
                    "rad": r.rad,
                }
            )
    _insert(conn, Utfall, utfall)
    deviations = [
        {
            "rapport_id": rapport_id,
            "typ": "indikator",
            "indikatorrad_id": row_id,
            "forklaring": e.row.analys,
            "rad": e.row.rad,
        }
        for row_id, e in zip(ids, rows, strict=True)
        if e.avvikelse
    ]
    return len(ids), len(utfall), len(keys), deviations


def _format(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def _write_activities(conn: Connection, rapport_id: int, rapport: Report, goal_for) -> tuple[int, list[dict]]:  # noqa: ANN001
    acts = rapport.aktiviteter
    ids = _insert_returning_ids(
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
            for a in acts
        ],
    )
    deviations = [
        {
            "rapport_id": rapport_id,
            "typ": "aktivitet",
            "aktivitet_id": act_id,
            "forklaring": a.avvikelse_text or a.analys,
            "rad": a.analys_rad or a.rad,
        }
        for act_id, a in zip(ids, acts, strict=True)
        if a.avvikelse
    ]
    return len(ids), deviations


def _goal_deviations(rapport_id: int, rapport: Report, goal_ids: list[int]) -> list[dict]:
    """A goal assessed as only partly or not met is a reported deviation; its Analys is the explanation."""
    out = []
    for goal_id, m in zip(goal_ids, rapport.mal, strict=True):
        if m.bedomning in (Bedomning.DELVIS, Bedomning.INTE):
            analys = next((t for t in m.texter if t.rubrik == "Analys"), m.texter[0] if m.texter else None)
            out.append(
                {
                    "rapport_id": rapport_id,
                    "typ": "mal",
                    "mal_id": goal_id,
                    "forklaring": analys.text if analys else None,
                    "rad": analys.rad if analys else m.rad,
                }
            )
    return out


def _write_economy(conn: Connection, rapport_id: int, enriched: EnrichedReport) -> tuple[int, list[dict]]:
    """Tables, rows (varav rows pointing at their parent) and cells with their column meanings; returns the
    cell count and the rows whose deviation for the report's year is not zero, as deviations."""
    meanings: dict[int, EnrichedCell] = {id(e.cell): e for e in enriched.ekonomi}
    tables = economy_tables(enriched.rapport.ekonomi)
    table_ids = _insert_returning_ids(
        conn, Ekonomitabell, [{"rapport_id": rapport_id, "rubrik": t, "rad": r} for t, r in tables]
    )
    cells, deviations, economy_rows = [], [], []
    row_ids_of = _economy_row_ids(conn, list(tables.values()))
    for table_id, (table, rows), row_ids in zip(table_ids, tables.items(), row_ids_of, strict=True):
        order = _column_order(rows.values())
        economy_rows += _economy_rows(rapport_id, table_id, rows, row_ids)
        for key, row_cells in rows.items():
            cells += [_cell_row(rapport_id, row_ids[key], order[c.kolumn], meanings[id(c)]) for c in row_cells]
            if (table, key) in enriched.ekonomiavvikelser:
                deviations.append(
                    {"rapport_id": rapport_id, "typ": "ekonomi", "ekonomirad_id": row_ids[key], "rad": key[1]}
                )
    _copy(conn, Ekonomirad, economy_rows)
    _insert(conn, Ekonomicell, cells)
    return len(cells), deviations


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
                "rad": rad,
            }
        )
    return payload


def _plan_targets(conn: Connection, namnd_id: int, ar: int) -> dict[str, tuple[float | None, float | None]]:
    """Årsmål and KF:s årsmål per indicator key from the committee's loaded plan for the year, if any."""
    rows = conn.execute(
        select(Indikator.nyckel, Indikatorrad.arsmal, Indikatorrad.kf_arsmal)
        .join(Indikatorrad, Indikatorrad.indikator_id == Indikator.id)
        .join(Rapport, Rapport.id == Indikatorrad.rapport_id)
        .join(Period, Period.id == Rapport.period_id)
        .where(Rapport.namnd_id == namnd_id, Period.ar == ar, Period.rapporttyp == "VP")
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
            and_(Rapport.namnd_id == namnd_id, Period.ar == ar, Period.rapporttyp != "VP"),
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


def write_report(
    conn: Connection, rapport: Report, *, kalla: str, parser_version: str, sidor: list[int] | None = None
) -> WriteOutcome:
    """Write `rapport` in the caller's transaction, replacing any report for the same namnd + period.
    `sidor`: for a PDF, the line of the extracted text on which each page begins."""
    d = rapport.dokument
    if d.namnd is None:
        raise ValueError(f"{d.kalla}: the report names no nämnd; it cannot be stored")
    namnd_id = _upsert_namnd(conn, d.namnd)
    period_id = _upsert_period(conn, d.ar, d.rapporttyp, d.period)
    # Serialise writers of the same namnd + period (two loads of corrected versions must not interleave).
    conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": namnd_id, "b": period_id})
    old = conn.execute(
        select(Rapport.id).where(Rapport.namnd_id == namnd_id, Rapport.period_id == period_id)
    ).scalar_one_or_none()
    if old is not None:
        conn.execute(delete(Rapport).where(Rapport.id == old))
    enriched = enrich(rapport)
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
    n_rows, n_utfall, n_ind, ind_devs = _write_indicators(conn, rapport_id, enriched, goal_for)
    n_acts, act_devs = _write_activities(conn, rapport_id, rapport, goal_for)
    n_cells, eco_devs = _write_economy(conn, rapport_id, enriched)
    goal_devs = _goal_deviations(rapport_id, rapport, goal_ids)
    deviations = [_DEVIATION_TARGETS | {"forklaring": None} | d for d in act_devs + ind_devs + goal_devs + eco_devs]
    _insert(conn, Avvikelse, deviations)
    _insert(
        conn,
        Textavsnitt,
        [
            {"rapport_id": rapport_id, "typ": t.typ or "ovrigt", "rubrik": t.rubrik, "text": t.text, "rad": t.rad}
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
        "indikatorrader": n_rows,
        "utfall": n_utfall,
        "indikatorer": n_ind,
        "aktiviteter": n_acts,
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
