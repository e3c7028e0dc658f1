"""What the web pages show, read from the flat views and tables (read-only SQL; no page writes).

A comparison across districts is of one period: one year and one report kind, or each district's latest
follow-up (T1, T2 or VB) of one year, where every row carries its own period (`Period.senaste`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, RowMapping, bindparam, text

from malbas.vocabulary import Rapporttyp, values

RAPPORTTYPER = values(Rapporttyp)
LATEST = "senaste"
_PERIOD_RE = re.compile(r"^((?:19|20)\d\d)-(" + "|".join(RAPPORTTYPER) + "|" + LATEST + r")$")


class PageError(ValueError):
    """A page was asked for something it cannot show (bad parameter, unknown id): said to the user as is."""

    status = 400


class NotFound(PageError):
    status = 404


@dataclass(frozen=True)
class Period:
    """A period to compare districts in: `ar` and a report kind, or each district's latest follow-up of `ar`."""

    ar: int
    rapporttyp: str  # VP, T1, T2, VB or LATEST

    @property
    def key(self) -> str:
        return f"{self.ar}-{self.rapporttyp}"

    @property
    def senaste(self) -> bool:
        return self.rapporttyp == LATEST

    @property
    def label(self) -> str:
        if self.senaste:
            return f"{self.ar}, varje nämnds senaste uppföljning"
        return f"{self.rapporttyp} {self.ar}"

    @classmethod
    def parse(cls, key: str) -> Period:
        match = _PERIOD_RE.match(key.strip())
        if not match:
            raise PageError(f"okänd period {key!r}: skriv år-rapporttyp, t.ex. 2020-VB eller 2020-{LATEST}")
        return cls(int(match.group(1)), match.group(2))


@dataclass(frozen=True)
class PeriodChoice:
    period: Period
    namnder: int  # districts that have rows in it


def _rows(engine: Engine, sql: str, params: dict[str, Any] | None = None, *expanding: str) -> list[RowMapping]:
    statement = text(sql)
    if expanding:
        statement = statement.bindparams(*(bindparam(name, expanding=True) for name in expanding))
    with engine.connect() as conn:
        return list(conn.execute(statement, params or {}).mappings())


# ------------------------------------------------------------------------------------------------- indicators


def indicators(engine: Engine) -> list[RowMapping]:
    """Every indicator with rows, KF indicators first, with how many districts report an outcome of it."""
    return _rows(
        engine,
        """
        SELECT i.id, i.namn, i.niva, i.enhet,
               count(DISTINCT v.namnd) AS namnder,
               count(DISTINCT v.namnd) FILTER (WHERE v.utfall IS NOT NULL) AS namnder_med_utfall
        FROM indikator i JOIN v_indikatorrad v ON v.indikator_id = i.id
        GROUP BY i.id, i.namn, i.niva, i.enhet
        ORDER BY i.niva = 'KF' DESC, i.namn
        """,
    )


def indicator(engine: Engine, indikator_id: int) -> RowMapping:
    found = _rows(
        engine,
        "SELECT id, namn, niva, enhet, riktning, riktning_grund FROM indikator WHERE id = :id",
        {"id": indikator_id},
    )
    if not found:
        raise NotFound(f"ingen indikator med id {indikator_id}")
    return found[0]


def default_indicator(engine: Engine) -> int | None:
    """The indicator with outcomes in the most districts, preferring KF indicators and outcomes by kön."""
    found = _rows(
        engine,
        """
        SELECT v.indikator_id
        FROM v_indikatorrad v
        WHERE v.utfall IS NOT NULL
        GROUP BY v.indikator_id, v.indikator
        ORDER BY count(DISTINCT v.namnd) DESC, bool_or(v.kf_indikator) DESC,
                 count(*) FILTER (WHERE v.utfall_kvinnor IS NOT NULL) DESC, v.indikator
        LIMIT 1
        """,
    )
    return found[0]["indikator_id"] if found else None


def comparison_periods(engine: Engine, indikator_id: int) -> list[PeriodChoice]:
    """The periods an indicator can be compared in: each year + report kind it has rows in, and each year's
    latest follow-up per district where the year has follow-ups of more than one kind."""
    exact = _rows(
        engine,
        """
        SELECT ar, rapporttyp, min(periodordning) AS ordning, count(DISTINCT namnd) AS namnder
        FROM v_indikatorrad WHERE indikator_id = :id
        GROUP BY ar, rapporttyp ORDER BY ar DESC, ordning DESC
        """,
        {"id": indikator_id},
    )
    choices: list[PeriodChoice] = []
    for ar in sorted({r["ar"] for r in exact}, reverse=True):
        follow_ups = [r for r in exact if r["ar"] == ar and r["rapporttyp"] != Rapporttyp.VP]
        if len(follow_ups) > 1:
            districts = _rows(
                engine,
                "SELECT count(DISTINCT namnd) AS n FROM v_indikatorrad"
                " WHERE indikator_id = :id AND ar = :ar AND rapporttyp <> 'VP'",
                {"id": indikator_id, "ar": ar},
            )[0]["n"]
            choices.append(PeriodChoice(Period(ar, LATEST), districts))
        choices.extend(PeriodChoice(Period(ar, r["rapporttyp"]), r["namnder"]) for r in exact if r["ar"] == ar)
    return choices


def default_period(choices: Sequence[PeriodChoice]) -> Period | None:
    """The period with the most districts; among equals the latest year, an exact period before `senaste`."""
    if not choices:
        return None
    return max(choices, key=lambda c: (c.namnder, c.period.ar, not c.period.senaste)).period


_ROW_COLUMNS = """
    v.indikatorrad_id, v.rapport_id, v.namnd, v.ar, v.rapporttyp, v.period, v.periodordning, v.mal,
    v.indikator, v.indikator_som_tryckt, v.enhet, v.utfall, v.utfall_kvinnor, v.utfall_man, v.foregaende_utfall,
    v.prognos, v.arsmal, v.kf_arsmal, v.textceller, v.arsmal_uppnatt, v.arsmal_uppnatt_grund, v.osaker,
    v.kalla, v.rad
"""


def comparison(engine: Engine, indikator_id: int, period: Period) -> list[RowMapping]:
    """The indicator's rows of one period, one or more per district (a report may list it under two goals)."""
    if period.senaste:
        sql = f"""
            SELECT {_ROW_COLUMNS} FROM v_indikatorrad v
            JOIN (SELECT DISTINCT ON (namnd) namnd, rapport_id FROM v_indikatorrad
                  WHERE indikator_id = :id AND ar = :ar AND rapporttyp <> 'VP'
                  ORDER BY namnd, periodordning DESC) latest ON latest.rapport_id = v.rapport_id
            WHERE v.indikator_id = :id
            ORDER BY v.namnd, v.rad
        """
        return _rows(engine, sql, {"id": indikator_id, "ar": period.ar})
    sql = f"""
        SELECT {_ROW_COLUMNS} FROM v_indikatorrad v
        WHERE v.indikator_id = :id AND v.ar = :ar AND v.rapporttyp = :typ
        ORDER BY v.namnd, v.rad
    """
    return _rows(engine, sql, {"id": indikator_id, "ar": period.ar, "typ": period.rapporttyp})


def indicator_districts(engine: Engine, indikator_id: int) -> list[str]:
    found = _rows(
        engine,
        "SELECT DISTINCT namnd FROM v_indikatorrad WHERE indikator_id = :id ORDER BY namnd",
        {"id": indikator_id},
    )
    return [r["namnd"] for r in found]


def over_time(engine: Engine, indikator_id: int, namnder: Sequence[str]) -> list[RowMapping]:
    """The indicator's rows of the given districts in every period, in time order."""
    if not namnder:
        return []
    return _rows(
        engine,
        f"""
        SELECT {_ROW_COLUMNS} FROM v_indikatorrad v
        WHERE v.indikator_id = :id AND v.namnd IN :namnder
        ORDER BY v.ar, v.periodordning, v.namnd, v.rad
        """,
        {"id": indikator_id, "namnder": list(namnder)},
        "namnder",
    )


# ------------------------------------------------------------------------------------------- goal fulfilment


def fulfilment_periods(engine: Engine) -> list[PeriodChoice]:
    """Periods with assessed goals: each year + report kind, and each year's latest follow-up per district
    where the year has assessments in reports of more than one kind."""
    exact = _rows(
        engine,
        """
        SELECT p.ar, p.rapporttyp, p.ordning, count(DISTINCT ra.namnd_id) AS namnder
        FROM mal m JOIN rapport ra ON ra.id = m.rapport_id JOIN period p ON p.id = ra.period_id
        WHERE m.bedomning IS NOT NULL
        GROUP BY p.ar, p.rapporttyp, p.ordning ORDER BY p.ar DESC, p.ordning DESC
        """,
    )
    choices: list[PeriodChoice] = []
    for ar in sorted({r["ar"] for r in exact}, reverse=True):
        kinds = [r for r in exact if r["ar"] == ar]
        if len(kinds) > 1:
            districts = _rows(
                engine,
                """
                SELECT count(DISTINCT ra.namnd_id) AS n FROM mal m JOIN rapport ra ON ra.id = m.rapport_id
                JOIN period p ON p.id = ra.period_id WHERE m.bedomning IS NOT NULL AND p.ar = :ar
                """,
                {"ar": ar},
            )[0]["n"]
            choices.append(PeriodChoice(Period(ar, LATEST), districts))
        choices.extend(PeriodChoice(Period(ar, r["rapporttyp"]), r["namnder"]) for r in kinds)
    return choices


def fulfilment_reports(engine: Engine, period: Period) -> list[RowMapping]:
    """The reports that make up a period: one per district (its latest with assessments, for `senaste`)."""
    if period.senaste:
        sql = """
            SELECT DISTINCT ON (n.kortnamn) ra.id AS rapport_id, n.kortnamn AS namnd, p.etikett AS period,
                   p.rapporttyp, p.ar, ra.kalla
            FROM rapport ra JOIN namnd n ON n.id = ra.namnd_id JOIN period p ON p.id = ra.period_id
            WHERE p.ar = :ar AND EXISTS (SELECT 1 FROM mal m WHERE m.rapport_id = ra.id AND m.bedomning IS NOT NULL)
            ORDER BY n.kortnamn, p.ordning DESC
        """
        return _rows(engine, sql, {"ar": period.ar})
    sql = """
        SELECT ra.id AS rapport_id, n.kortnamn AS namnd, p.etikett AS period, p.rapporttyp, p.ar, ra.kalla
        FROM rapport ra JOIN namnd n ON n.id = ra.namnd_id JOIN period p ON p.id = ra.period_id
        WHERE p.ar = :ar AND p.rapporttyp = :typ
          AND EXISTS (SELECT 1 FROM mal m WHERE m.rapport_id = ra.id AND m.bedomning IS NOT NULL)
        ORDER BY n.kortnamn
    """
    return _rows(engine, sql, {"ar": period.ar, "typ": period.rapporttyp})


def assessed_goals(engine: Engine, rapport_ids: Sequence[int]) -> list[RowMapping]:
    """Every goal of the reports with its assessment and the reason the report gives (its Analys)."""
    if not rapport_ids:
        return []
    return _rows(
        engine,
        """
        SELECT m.id, m.rapport_id, m.overordnat_id, m.niva, m.nummer, m.titel, m.bedomning, m.rad,
               analys.text AS analys, analys.rad AS analys_rad
        FROM mal m
        LEFT JOIN LATERAL (SELECT t.text, t.rad FROM maltext t WHERE t.mal_id = m.id
                           ORDER BY t.rubrik ILIKE 'analys%' DESC, t.rad LIMIT 1) analys ON true
        WHERE m.rapport_id IN :ids
        ORDER BY m.rapport_id, m.rad
        """,
        {"ids": list(rapport_ids)},
        "ids",
    )


# ---------------------------------------------------------------------------------------------------- reports


def reports(engine: Engine) -> list[RowMapping]:
    return _rows(
        engine,
        """
        SELECT ra.id, n.kortnamn AS namnd, n.namn AS namnd_namn, p.etikett AS period, p.ar, p.rapporttyp,
               ra.kalla, ra.textform, ra.tackning, ra.laddad
        FROM rapport ra JOIN namnd n ON n.id = ra.namnd_id JOIN period p ON p.id = ra.period_id
        ORDER BY p.ar DESC, p.ordning DESC, n.kortnamn
        """,
    )


def report(engine: Engine, rapport_id: int) -> RowMapping:
    found = _rows(
        engine,
        """
        SELECT ra.id, n.kortnamn AS namnd, n.namn AS namnd_namn, p.etikett AS period, p.ar, p.rapporttyp,
               ra.kalla, ra.sha256, ra.textform, ra.sidor, ra.tackning, ra.laddad, ra.parser_version
        FROM rapport ra JOIN namnd n ON n.id = ra.namnd_id JOIN period p ON p.id = ra.period_id
        WHERE ra.id = :id
        """,
        {"id": rapport_id},
    )
    if not found:
        raise NotFound(f"ingen rapport med id {rapport_id}")
    return found[0]


def report_indicator_rows(engine: Engine, rapport_id: int) -> list[RowMapping]:
    return _rows(
        engine,
        f"SELECT {_ROW_COLUMNS}, v.indikator_id, r.mal_id FROM v_indikatorrad v"
        " JOIN indikatorrad r ON r.id = v.indikatorrad_id WHERE v.rapport_id = :id ORDER BY v.rad",
        {"id": rapport_id},
    )


def report_activities(engine: Engine, rapport_id: int) -> list[RowMapping]:
    return _rows(
        engine,
        """
        SELECT id, mal_id, namn, kf_uppdrag, startdatum, slutdatum, status, avvikelse, analys, rad
        FROM aktivitet WHERE rapport_id = :id ORDER BY rad
        """,
        {"id": rapport_id},
    )


def report_goal_texts(engine: Engine, rapport_id: int) -> list[RowMapping]:
    return _rows(
        engine, "SELECT mal_id, rubrik, text, rad FROM maltext WHERE rapport_id = :id ORDER BY rad", {"id": rapport_id}
    )


def report_economy(engine: Engine, rapport_id: int) -> list[RowMapping]:
    """Every economy cell of the report with its table and row, in reading order."""
    return _rows(
        engine,
        """
        SELECT t.id AS tabell_id, t.rubrik, t.rad AS tabell_rad, er.id AS ekonomirad_id, er.namn,
               er.foralder_id IS NOT NULL AS varav, er.rad AS radens_rad, c.kolumn, c.kolumn_nr, c.varde, c.text,
               c.enhet, c.storhet, c.rad
        FROM ekonomitabell t
        JOIN ekonomirad er ON er.tabell_id = t.id
        LEFT JOIN ekonomicell c ON c.ekonomirad_id = er.id
        WHERE t.rapport_id = :id
        ORDER BY t.rad NULLS LAST, t.id, er.rad, er.id, c.kolumn_nr
        """,
        {"id": rapport_id},
    )


def report_quality(engine: Engine, rapport_id: int) -> list[RowMapping]:
    return _rows(
        engine,
        "SELECT typ, meddelande, rad FROM datakvalitet WHERE rapport_id = :id ORDER BY rad NULLS LAST, id",
        {"id": rapport_id},
    )
