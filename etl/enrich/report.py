"""The one enrichment step: a parsed report in, the facts malbas derives from it out.

Both the loader (etl/load/runner.py, before its transaction) and `malbas parse --json` (etl/export.py) call
`enrich`, so the export shows exactly what the database stores: indicator identities, levels and directions,
target verdicts with their reasons, each outcome by kön, every deviation (of goals, activities, indicators and
economy rows), and the meaning of every economy column. The writer stores what it is given and decides
nothing. Only the plan evidence for uncertain rows (plan_evidence.py) needs another report, the committee's VP,
and is added by the loader.
"""

from __future__ import annotations

from dataclasses import dataclass

from malbas.etl.enrich.direction import Direction, direction_of
from malbas.etl.enrich.economy import ColumnMeaning, column_meaning, comparison_roles, reports_deviation
from malbas.etl.enrich.identity import Identity, identify
from malbas.etl.enrich.verdicts import Verdict, target_verdict
from malbas.etl.parse.numbers import swedish
from malbas.etl.parse.records import Activity, EconomyCell, Goal, IndicatorRow, Report
from malbas.vocabulary import AvvikelseTyp, Bedomning, IndikatorNiva, JamforelseRoll, Kon, Rapporttyp

TableKey = tuple[str, int | None]  # (heading, line of the heading): one economy table
RowKey = tuple[str, int]  # (row label, line of its values): one economy row within a table


# Which field of an indicator row holds the outcome of each kön.
_OUTCOME_FIELDS = ((Kon.TOTALT, "utfall"), (Kon.MAN, "utfall_man"), (Kon.KVINNOR, "utfall_kvinnor"))


@dataclass(frozen=True, slots=True)
class Outcome:
    """One utfall row: the value for a kön and the text the report prints for it."""

    kon: Kon
    varde: float | None
    text: str


@dataclass(frozen=True, slots=True)
class EnrichedIndicator:
    row: IndicatorRow
    identitet: Identity
    verdict: Verdict
    niva: IndikatorNiva  # KF when the row is listed as a KF indicator or its name is a KF reference indicator
    riktning: Direction  # which way the indicator is better, from its name
    utfall: tuple[Outcome, ...]

    @property
    def avvikelse(self) -> bool:
        """An indicator row that misses its årsmål is a reported deviation."""
        return self.verdict.uppnatt is False


@dataclass(frozen=True, slots=True)
class EnrichedCell:
    cell: EconomyCell
    betydelse: ColumnMeaning
    roll: JamforelseRoll | None


@dataclass(frozen=True, slots=True)
class Deviation:
    """A reported deviation. `index` is the position of what deviates in its list (rapport.mal,
    rapport.aktiviteter or EnrichedReport.indikatorer); an economy deviation names its table and row instead."""

    typ: AvvikelseTyp
    forklaring: str | None
    rad: int
    index: int | None = None
    ekonomirad: tuple[TableKey, RowKey] | None = None


@dataclass(frozen=True, slots=True)
class EnrichedReport:
    rapport: Report
    indikatorer: list[EnrichedIndicator]
    ekonomi: list[EnrichedCell]
    ekonomiavvikelser: frozenset[tuple[TableKey, RowKey]]  # economy rows with a deviation for the year
    avvikelser: tuple[Deviation, ...]  # every deviation: activities, indicators, goals, economy rows


def economy_tables(cells: list[EconomyCell]) -> dict[TableKey, dict[RowKey, list[EconomyCell]]]:
    """Cells grouped by table and row, in report order."""
    tables: dict[TableKey, dict[RowKey, list[EconomyCell]]] = {}
    for c in cells:
        tables.setdefault((c.tabell, c.tabell_rad), {}).setdefault((c.rad_namn, c.rad), []).append(c)
    return tables


def _outcomes(row: IndicatorRow) -> tuple[Outcome, ...]:
    """The row's outcome for each kön it reports: the printed cell text, or the value in Swedish form."""
    out = []
    for kon, field in _OUTCOME_FIELDS:
        value = getattr(row, field)
        cell = row.celler.get(field) or row.text.get(field)
        if value is None and not cell:
            continue
        out.append(Outcome(kon, value, cell if cell is not None else swedish(value)))
    return tuple(out)


def _indicator(row: IndicatorRow, identity: Identity, rapporttyp: Rapporttyp) -> EnrichedIndicator:
    return EnrichedIndicator(
        row,
        identity,
        target_verdict(row, rapporttyp),
        IndikatorNiva.of(row.kf_indikator or identity.kf_referens),
        direction_of(identity.namn),
        _outcomes(row),
    )


def _activity_deviations(acts: list[Activity]) -> list[Deviation]:
    """A marked Avvikelse; its text, or else the activity's Analys, is the explanation."""
    return [
        Deviation(AvvikelseTyp.AKTIVITET, a.avvikelse_text or a.analys, a.analys_rad or a.rad, index=i)
        for i, a in enumerate(acts)
        if a.avvikelse
    ]


def _goal_deviations(goals: list[Goal]) -> list[Deviation]:
    """A goal assessed as only partly or not met is a reported deviation; its Analys is the explanation."""
    out = []
    for i, m in enumerate(goals):
        if m.bedomning in (Bedomning.DELVIS, Bedomning.INTE):
            analys = next((t for t in m.texter if t.rubrik == "Analys"), m.texter[0] if m.texter else None)
            out.append(
                Deviation(AvvikelseTyp.MAL, analys.text if analys else None, analys.rad if analys else m.rad, index=i)
            )
    return out


def enrich(rapport: Report) -> EnrichedReport:
    d = rapport.dokument
    identified = [(row, identify(row.namn)) for row in rapport.indikatorer]
    indicators = [
        _indicator(row, identity, d.rapporttyp)
        for row, identity in identified
        if identity.nyckel  # a name of punctuation only is no indicator
    ]
    tables = economy_tables(rapport.ekonomi)
    roles = _table_roles(tables, d.rapporttyp, d.ar)
    deviations = _deviating_rows(tables, roles, d.rapporttyp)
    cells = [
        EnrichedCell(c, column_meaning(c.kolumn), roles[(c.tabell, c.tabell_rad)].get(c.kolumn))
        for c in rapport.ekonomi
    ]
    every = _activity_deviations(rapport.aktiviteter) + _indicator_deviations(indicators)
    every += _goal_deviations(rapport.mal) + _economy_deviations(tables, deviations)
    return EnrichedReport(rapport, indicators, cells, frozenset(deviations), tuple(every))


def _table_roles(
    tables: dict[TableKey, dict[RowKey, list[EconomyCell]]], rapporttyp: str, ar: int
) -> dict[TableKey, dict[str, JamforelseRoll]]:
    """Each economy table's column roles in the budget comparison."""
    return {
        table: comparison_roles([c for cells in rows.values() for c in cells], rapporttyp, ar)
        for table, rows in tables.items()
    }


def _deviating_rows(
    tables: dict[TableKey, dict[RowKey, list[EconomyCell]]],
    roles: dict[TableKey, dict[str, JamforelseRoll]],
    rapporttyp: str,
) -> set[tuple[TableKey, RowKey]]:
    """The economy rows that report a deviation for the year; none in a plan (its Differens compares budget
    years)."""
    if rapporttyp == Rapporttyp.VP:
        return set()
    return {
        (table, key)
        for table, rows in tables.items()
        for key, cells in rows.items()
        if reports_deviation(cells, roles[table])
    }


def _indicator_deviations(indicators: list[EnrichedIndicator]) -> list[Deviation]:
    """An indicator row that misses its target is a deviation; its Analys is the explanation."""
    return [
        Deviation(AvvikelseTyp.INDIKATOR, e.row.analys, e.row.rad, index=i)
        for i, e in enumerate(indicators)
        if e.avvikelse
    ]


def _economy_deviations(
    tables: dict[TableKey, dict[RowKey, list[EconomyCell]]], deviations: set[tuple[TableKey, RowKey]]
) -> list[Deviation]:
    """The deviating economy rows as deviations, in table and row order."""
    return [
        Deviation(AvvikelseTyp.EKONOMI, None, key[1], ekonomirad=(table, key))
        for table, rows in tables.items()
        for key in rows
        if (table, key) in deviations
    ]
