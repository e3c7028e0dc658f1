"""The one enrichment step: a parsed report in, the facts malbas derives from it out.

Both the loader (etl/load/writer.py) and `malbas parse --json` (etl/export.py) call `enrich`, so the export
shows exactly what the database stores: indicator identities, target verdicts with their reasons, the
deviations, and the meaning of every economy column. Only the plan evidence for uncertain rows
(plan_evidence.py) needs another report, the committee's VP, and is added by the loader.
"""

from __future__ import annotations

from dataclasses import dataclass

from malbas.etl.enrich.economy import ColumnMeaning, column_meaning, comparison_roles, reports_deviation
from malbas.etl.enrich.identity import Identity, identify
from malbas.etl.enrich.verdicts import Verdict, target_verdict
from malbas.etl.parse.records import EconomyCell, IndicatorRow, Report
from malbas.vocabulary import JamforelseRoll, Rapporttyp

TableKey = tuple[str, int | None]  # (heading, line of the heading): one economy table
RowKey = tuple[str, int]  # (row label, line of its values): one economy row within a table


@dataclass(frozen=True, slots=True)
class EnrichedIndicator:
    row: IndicatorRow
    identitet: Identity
    verdict: Verdict

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
class EnrichedReport:
    rapport: Report
    indikatorer: list[EnrichedIndicator]
    ekonomi: list[EnrichedCell]
    ekonomiavvikelser: frozenset[tuple[TableKey, RowKey]]  # economy rows with a deviation for the year


def economy_tables(cells: list[EconomyCell]) -> dict[TableKey, dict[RowKey, list[EconomyCell]]]:
    """Cells grouped by table and row, in report order."""
    tables: dict[TableKey, dict[RowKey, list[EconomyCell]]] = {}
    for c in cells:
        tables.setdefault((c.tabell, c.tabell_rad), {}).setdefault((c.rad_namn, c.rad), []).append(c)
    return tables


def enrich(rapport: Report) -> EnrichedReport:
    d = rapport.dokument
    identified = [(row, identify(row.namn)) for row in rapport.indikatorer]
    indicators = [
        EnrichedIndicator(row, identity, target_verdict(row, d.rapporttyp))
        for row, identity in identified
        if identity.nyckel  # a name of punctuation only is no indicator
    ]
    roles: dict[TableKey, dict[str, JamforelseRoll]] = {}
    deviations: set[tuple[TableKey, RowKey]] = set()
    for table, rows in economy_tables(rapport.ekonomi).items():
        roles[table] = comparison_roles([c for cells in rows.values() for c in cells], d.rapporttyp, d.ar)
        if d.rapporttyp != Rapporttyp.VP:  # a plan's Differens compares budget years
            deviations |= {(table, key) for key, cells in rows.items() if reports_deviation(cells, roles[table])}
    cells = [
        EnrichedCell(c, column_meaning(c.kolumn), roles[(c.tabell, c.tabell_rad)].get(c.kolumn))
        for c in rapport.ekonomi
    ]
    return EnrichedReport(rapport, indicators, cells, frozenset(deviations))
