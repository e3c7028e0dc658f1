"""Target verdicts: whether an indicator row meets its årsmål, with the reason.

The value judged is the full-year forecast (Prognos helår) in T1/T2 and the outcome (Periodens utfall) in
VB; a plan (VP) has neither. The target is the row's årsmål: a number, or a text cell that states one
("Max 10 personer", "minst 75 %", "+/- 1 %"). The comparison goes the indicator's way (direction.py); where
the direction or a value is missing the verdict is None and the reason says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from malbas.etl.enrich.direction import Direction, direction_of
from malbas.etl.parse.numbers import parse_number_in_text, swedish
from malbas.etl.parse.records import IndicatorRow
from malbas.vocabulary import Rapporttyp, Riktning

_EPSILON = 1e-9
_TARGET_NUMBER = re.compile(r"(-?\d[\d ]*(?:,\d+)?)")


@dataclass(frozen=True, slots=True)
class Verdict:
    uppnatt: bool | None
    grund: str
    riktning: Riktning | None


def _text_target(cell: str | None) -> float | None:
    """The number a text årsmål states ("Max 10 personer" -> 10), if it states exactly one."""
    if not cell:
        return None
    numbers = [n for n in (parse_number_in_text(m) for m in _TARGET_NUMBER.findall(cell)) if n is not None]
    return numbers[0] if len(numbers) == 1 else None


def _judged_value(row: IndicatorRow, rapporttyp: str) -> tuple[float | None, str]:
    if rapporttyp == Rapporttyp.VB:
        return row.utfall, "utfall"
    return row.prognos, "prognos helår"


def _compare(value: float, what: str, target: float, d: Direction) -> tuple[bool, str]:
    if d.riktning == Riktning.LAGRE:
        met = value <= target + _EPSILON
        sign = "≤" if met else ">"
    else:
        met = value >= target - _EPSILON
        sign = "≥" if met else "<"
    return met, f"{what} {swedish(value)} {sign} årsmål {swedish(target)}; {d.grund}"


def target_verdict(row: IndicatorRow, rapporttyp: str) -> Verdict:
    """Whether `row` meets its årsmål in a report of kind `rapporttyp`, and why (or why it cannot be told)."""
    d = direction_of(row.namn, row.text)
    if rapporttyp == Rapporttyp.VP:
        return Verdict(None, "verksamhetsplan: inget utfall eller prognos att bedöma", d.riktning)
    value, what = _judged_value(row, rapporttyp)
    if value is None:
        return Verdict(None, f"inget värde för {what}", d.riktning)
    uncertain = "; kolumnerna är osäkra (se osaker)" if row.osaker else ""
    if d.band is not None and row.arsmal is None:
        return _band_verdict(value, what, d.band, d.grund, uncertain)
    return _arsmal_verdict(row, value, what, d, uncertain)


def _band_verdict(value: float, what: str, band: float, grund: str, uncertain: str) -> Verdict:
    """A value to be kept within ±band (a deviation measure with no årsmål of its own)."""
    met = abs(value) <= band + _EPSILON
    where = "inom" if met else "utanför"
    return Verdict(met, f"{what} {swedish(value)} {where} ±{swedish(band)}; {grund}{uncertain}", None)


def _arsmal_verdict(row: IndicatorRow, value: float, what: str, d: Direction, uncertain: str) -> Verdict:
    """The value against the row's årsmål (a figure, or one its text states), in the indicator's direction."""
    arsmal_text = row.text.get("arsmal")
    target = row.arsmal if row.arsmal is not None else _text_target(arsmal_text)
    if target is None:
        reason = f"årsmålet är text ('{arsmal_text}')" if arsmal_text else "inget årsmål"
        return Verdict(None, reason, d.riktning)
    if d.riktning is None:
        return Verdict(None, d.grund, None)
    met, reason = _compare(value, what, target, d)
    return Verdict(met, reason + uncertain, d.riktning)


def target_met(row: IndicatorRow, rapporttyp: str) -> bool | None:
    """Whether the row meets its årsmål (None when it cannot be told): indikatorrad.arsmal_uppnatt."""
    return target_verdict(row, rapporttyp).uppnatt


def misses_target(row: IndicatorRow, rapporttyp: str) -> bool:
    return target_met(row, rapporttyp) is False
