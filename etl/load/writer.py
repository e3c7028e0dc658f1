"""Write one parsed report into the database inside the caller's transaction.

Shared dimensions (namnd, period, indikator) are upserted with INSERT … ON CONFLICT; the fact tables are
written with COPY, one per table (rows that others point at get their ids from the table's sequence first, so
parents and children go in the same way). A report that already exists for
the same namnd + period is deleted first (its rows cascade), so a corrected report replaces the old one
within the same transaction: readers see the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import Connection, Numeric, delete, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError

from malbas.etl.enrich.direction import direction
from malbas.etl.enrich.identity import indicator_key
from malbas.etl.enrich.plan_evidence import apply_plan_evidence
from malbas.etl.enrich.verdicts import misses_target, target_met
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
    Indikatorrad,
    Mal,
    Maltext,
    Namnd,
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


def _upsert_indicators(conn: Connection, rapport: Report) -> dict[str, int]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rapport.indikatorer:
        key = indicator_key(row.namn)
        if not key:
            continue
        entry = seen.setdefault(
            key,
            {
                "nyckel": key,
                "namn": row.namn,
                "enhet": row.enhet,
                "niva": "namnd",
                "riktning": direction(row.namn, row.text),
            },
        )
        if row.kf_indikator:
            entry["niva"] = "KF"
        entry["enhet"] = entry["enhet"] or row.enhet
    if not seen:
        return {}
    # One set-based statement over arrays (compiled once, whatever the number of indicators).
    columns = ("nyckel", "namn", "enhet", "niva", "riktning")
    arrays = {c: [entry[c] for entry in seen.values()] for c in columns}
    return {key: id_ for id_, key in conn.execute(_UPSERT_INDICATORS, arrays)}


_UPSERT_INDICATORS = text(
    """
    INSERT INTO indikator (nyckel, namn, enhet, niva, riktning)
    SELECT * FROM unnest(CAST(:nyckel AS text[]), CAST(:namn AS text[]), CAST(:enhet AS text[]),
                         CAST(:niva AS text[]), CAST(:riktning AS text[]))
    ON CONFLICT (nyckel) DO UPDATE SET
        -- KF level is sticky: once any report lists the indicator under a KF goal it is a KF-indikator.
        niva = CASE WHEN indikator.niva = 'KF' OR excluded.niva = 'KF' THEN 'KF' ELSE 'namnd' END,
        enhet = coalesce(indikator.enhet, excluded.enhet)
    RETURNING id, nyckel
    """
)


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
    conn: Connection, rapport_id: int, rapport: Report, goal_for
) -> tuple[int, int, int, list[dict]]:
    keys = _upsert_indicators(conn, rapport)
    rows = [r for r in rapport.indikatorer if indicator_key(r.namn) in keys]
    ids = _insert_returning_ids(
        conn,
        Indikatorrad,
        [
            {
                "rapport_id": rapport_id,
                "indikator_id": keys[indicator_key(r.namn)],
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
                "arsmal_uppnatt": target_met(r, rapport.dokument.rapporttyp),
                "rad": r.rad,
            }
            for r in rows
        ],
    )
    utfall = []
    for row_id, r in zip(ids, rows, strict=True):
        for kon, column in _KON_COLUMNS:
            value = getattr(r, column)
            cell = r.celler.get(column) or r.text.get(column)
            if value is None and not cell:
                continue
            utfall.append(
                {
                    "rapport_id": rapport_id,
                    "indikatorrad_id": row_id,
                    "indikator_id": keys[indicator_key(r.namn)],
                    "kon": kon,
                    "varde": value,
                    "text": cell if cell is not None else _format(value),
                    "rad": r.rad,
                }
            )
    _insert(conn, Utfall, utfall)
    deviations = [
        {"rapport_id": rapport_id, "typ": "indikator", "indikatorrad_id": row_id, "forklaring": r.analys, "rad": r.rad}
        for row_id, r in zip(ids, rows, strict=True)
        if misses_target(r, rapport.dokument.rapporttyp)
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


def _write_economy(conn: Connection, rapport_id: int, rapport: Report) -> tuple[int, list[dict]]:
    """Tables, rows (varav rows pointing at their parent) and cells; returns the cell count and the rows whose
    printed Avvikelse for the report's year is not zero, as deviations."""
    tables: dict[tuple[str, int | None], dict[tuple[str, int], list[EconomyCell]]] = {}
    for c in rapport.ekonomi:
        tables.setdefault((c.tabell, c.tabell_rad), {}).setdefault((c.rad_namn, c.rad), []).append(c)
    table_ids = _insert_returning_ids(
        conn, Ekonomitabell, [{"rapport_id": rapport_id, "rubrik": t, "rad": r} for t, r in tables]
    )
    cells, deviations, economy_rows = [], [], []
    row_ids_of = _economy_row_ids(conn, list(tables.values()))
    for table_id, rows, row_ids in zip(table_ids, tables.values(), row_ids_of, strict=True):
        order = _column_order(rows.values())
        economy_rows += _economy_rows(rapport_id, table_id, rows, row_ids)
        for key, row_cells in rows.items():
            cells += [
                {
                    "rapport_id": rapport_id,
                    "ekonomirad_id": row_ids[key],
                    "kolumn": c.kolumn,
                    "kolumn_nr": order[c.kolumn],
                    "varde": c.varde,
                    "enhet": c.enhet,
                    "text": c.text,
                    "rad": c.rad,
                }
                for c in row_cells
            ]
            # A plan's "Differens" compares budget years; only follow-ups report deviations.
            follow_up = rapport.dokument.rapporttyp != "VP"
            if follow_up and row_cells[0].overordnad_rad is None and _reports_deviation(row_cells, rapport.dokument.ar):
                deviations.append(
                    {"rapport_id": rapport_id, "typ": "ekonomi", "ekonomirad_id": row_ids[key], "rad": key[1]}
                )
    _copy(conn, Ekonomirad, economy_rows)
    _insert(conn, Ekonomicell, cells)
    return len(cells), deviations


def _column_order(rows: Iterable[list[EconomyCell]]) -> dict[str, int]:
    """Column positions (from 1) by first appearance; cells come left to right within each row."""
    order: dict[str, int] = {}
    for row_cells in rows:
        for c in row_cells:
            order.setdefault(c.kolumn, len(order) + 1)
    return order


_DEVIATION_COLUMN = re.compile(r"^(avvikelse|differens)", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)\b")


def _reports_deviation(row_cells: list[EconomyCell], year: int) -> bool:
    """A row whose Avvikelse (or Differens) column for the report's year, in money, is not zero."""
    for c in row_cells:
        years = _YEAR.findall(c.kolumn)
        if _DEVIATION_COLUMN.match(c.kolumn) and c.enhet != "%" and (not years or str(year) in years):
            return abs(c.varde) > 0
    return False


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
    )
    return {k: (float(a) if a is not None else None, float(kf) if kf is not None else None) for k, a, kf in rows}


def write_report(conn: Connection, rapport: Report, *, kalla: str, parser_version: str) -> WriteOutcome:
    """Write `rapport` in the caller's transaction, replacing any report for the same namnd + period."""
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
    if d.rapporttyp != "VP":
        apply_plan_evidence(rapport.indikatorer, _plan_targets(conn, namnd_id, d.ar), indicator_key)
    rapport_id = conn.execute(
        insert(Rapport)
        .values(
            namnd_id=namnd_id,
            period_id=period_id,
            kalla=kalla,
            sha256=d.sha256,
            textform=d.textform,
            parser_version=parser_version,
            antal={},
            varningar=rapport.varningar,
        )
        .returning(Rapport.id)
    ).scalar_one()
    goal_ids = _write_goals(conn, rapport_id, rapport)
    goal_for = _goal_lookup(rapport, goal_ids)
    n_rows, n_utfall, n_ind, ind_devs = _write_indicators(conn, rapport_id, rapport, goal_for)
    n_acts, act_devs = _write_activities(conn, rapport_id, rapport, goal_for)
    n_cells, eco_devs = _write_economy(conn, rapport_id, rapport)
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
        "textavsnitt": len(rapport.avsnitt),
        "datakvalitet": len(rapport.kvalitet),
    }
    conn.execute(update(Rapport).where(Rapport.id == rapport_id).values(antal=antal))
    return WriteOutcome(rapport_id=rapport_id, replaced=old is not None, antal=antal)
