"""Target verdicts: whether an indicator row meets its årsmål."""

from __future__ import annotations

from malbas.etl.enrich.direction import direction
from malbas.etl.parse.records import IndicatorRow
from malbas.vocabulary import Riktning


def target_met(row: IndicatorRow, rapporttyp: str) -> bool | None:
    """Whether the row meets its årsmål: the full-year forecast in T1/T2, the outcome in VB; None when a value
    is missing or the report is a plan. The one definition the saved queries use (indikatorrad.arsmal_uppnatt)."""
    value = {"VB": row.utfall, "T1": row.prognos, "T2": row.prognos}.get(rapporttyp)
    if value is None or row.arsmal is None:
        return None
    return value <= row.arsmal if direction(row.namn, row.text) == Riktning.LAGRE else value >= row.arsmal


def misses_target(row: IndicatorRow, rapporttyp: str) -> bool:
    return target_met(row, rapporttyp) is False
