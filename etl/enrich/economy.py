"""What economy columns mean, and which of them a table's budget comparison uses.

Every column label says what it holds: "Budget 2020 (netto)", "Prognos 2020 (efter resultat överföringar)",
"Utfall 2020 Kostnader", "Avvikelse 2021 efter resultatöverföringar", "Differens". `column_meaning` reads the
label into a typed meaning (storhet, mått, före/efter resultatöverföringar, year). `comparison_roles` then
picks, per table, the columns that compare like with like for the report's year: a budget, the outcome (VB)
or forecast (T1/T2) of the same measure, and the deviation. Where a table prints the outcome both before and
after the result units' transfers and the deviation does not say which, the table's own arithmetic decides
(budget − outcome = deviation on most rows). A plan has no deviations: its Differens compares budget years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from malbas.etl.parse.records import EconomyCell
from malbas.vocabulary import JamforelseRoll, Matt, Rapporttyp, Resultatoverforing, Storhet

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?![\d-])")
_ROUNDING = 0.15  # one decimal printed in mnkr: sums can be off by a rounding step or so


@dataclass(frozen=True, slots=True)
class ColumnMeaning:
    storhet: Storhet
    matt: Matt | None
    resultatoverforing: Resultatoverforing | None
    ar: int | None


def _storhet(label: str) -> Storhet:
    if re.search(r"avvikelse mellan prognos", label):
        return Storhet.PROGNOSAVVIKELSE
    if re.match(r"\s*(avvikelse|differens)", label):
        return Storhet.AVVIKELSE
    if re.match(r"\s*(begärda )?budgetjustering", label):
        return Storhet.JUSTERING
    if re.match(r"\s*(resultatöverföring|resultat \d{4}|beräkna[dt] (resultat|resultatöverföring))", label):
        return Storhet.RESULTAT
    if re.match(r"\s*varav", label):
        return Storhet.OVRIGT
    if re.search(r"\bprognos", label):
        return Storhet.PROGNOS
    if re.search(r"\b(bokslut|utfall)", label):
        return Storhet.UTFALL
    if re.search(r"budget", label):
        return Storhet.BUDGET
    return Storhet.OVRIGT


def _matt(label: str) -> Matt | None:
    if "netto" in label:
        return Matt.NETTO
    if "brutto" in label:
        return Matt.BRUTTO
    if "kostnad" in label:
        return Matt.KOSTNAD
    if "intäkt" in label:
        return Matt.INTAKT
    return None


def _resultatoverforing(label: str) -> Resultatoverforing | None:
    squeezed = re.sub(r"[\s-]+", "", label)
    if re.search(r"före(resultat|resultatöverföring|resultatdisposition)", squeezed):
        return Resultatoverforing.FORE
    if re.search(r"efter(resultat|resultatöverföring|resultatdisposition)", squeezed):
        return Resultatoverforing.EFTER
    return None


@lru_cache(maxsize=4096)  # a report repeats a few dozen labels over hundreds of cells; the result is immutable
def column_meaning(label: str) -> ColumnMeaning:
    """The typed meaning of an economy column label ('Prognos 2020 (efter resultat överföringar)' ->
    prognos, no mått, efter, 2020). A label of a date ('2020-12-31', balance sheets) is ovrigt."""
    low = re.sub(r"\s+", " ", label.lower())
    years = [int(y) for y in _YEAR.findall(low)]
    return ColumnMeaning(
        storhet=_storhet(low),
        matt=_matt(low),
        resultatoverforing=_resultatoverforing(low),
        ar=years[-1] if years else None,
    )


@dataclass(frozen=True, slots=True)
class _Column:
    kolumn: str
    meaning: ColumnMeaning


def _of_year(c: _Column, year: int) -> bool:
    return c.meaning.ar in (None, year)


def _first(columns: Sequence[_Column], keep) -> _Column | None:  # noqa: ANN001
    return next((c for c in columns if keep(c)), None)


def _money_rows(cells: Iterable[EconomyCell]) -> dict[tuple[str, int], dict[str, float]]:
    rows: dict[tuple[str, int], dict[str, float]] = {}
    for c in cells:
        if c.enhet != "%":
            rows.setdefault((c.rad_namn, c.rad), {})[c.kolumn] = c.varde
    return rows


def _arithmetic_support(rows, budget: str, compared: str, deviation: str) -> int:  # noqa: ANN001
    """Rows where budget − compared = deviation (or compared − budget = deviation), to rounding."""
    n = 0
    for values in rows.values():
        if {budget, compared, deviation} <= values.keys():
            b, c, a = values[budget], values[compared], values[deviation]
            n += abs(b - c - a) <= _ROUNDING or abs(c - b - a) <= _ROUNDING
    return n


def _net(c: _Column) -> bool:
    return c.meaning.matt in (None, Matt.NETTO)


def _comparable(c: _Column, wanted: tuple[Storhet, ...], ar: int, budget: _Column | None) -> bool:
    """A wanted quantity of the year, net, measured as the budget is."""
    same_measure = budget is None or budget.meaning.matt is None or c.meaning.matt in (None, budget.meaning.matt)
    return c.meaning.storhet in wanted and _of_year(c, ar) and _net(c) and same_measure


def _of_transfer(candidates: list[_Column], deviation: _Column | None) -> list[_Column]:
    """The candidates of the result transfer the deviation names (or of none), if it names one."""
    transfer = deviation.meaning.resultatoverforing if deviation is not None else None
    if transfer is None:
        return candidates
    same = [c for c in candidates if c.meaning.resultatoverforing == transfer]
    return same or [c for c in candidates if c.meaning.resultatoverforing is None]


def _candidates(
    columns: list[_Column], wanted: tuple[Storhet, ...], ar: int, budget: _Column | None, deviation: _Column | None
) -> list[_Column]:
    """The columns that may be compared with the budget: comparable, of the deviation's result transfer if it
    names one, of the first wanted kind that has any."""
    candidates = _of_transfer([c for c in columns if _comparable(c, wanted, ar, budget)], deviation)
    for kind in wanted:  # the outcome in a VB; in a T1/T2 the forecast before any outcome so far
        of_kind = [c for c in candidates if c.meaning.storhet == kind]
        if of_kind:
            return of_kind
    return candidates


def _compared(
    cells: Sequence[EconomyCell], candidates: list[_Column], budget: _Column | None, deviation: _Column | None
) -> _Column | None:
    """The one candidate, or among several the one the rows' arithmetic (budget − it = deviation) favours."""
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) < 2 or budget is None or deviation is None:
        return None
    rows = _money_rows(cells)
    support = sorted(
        ((_arithmetic_support(rows, budget.kolumn, c.kolumn, deviation.kolumn), i) for i, c in enumerate(candidates)),
        reverse=True,
    )
    return candidates[support[0][1]] if support[0][0] > support[1][0] else None


def comparison_roles(cells: Sequence[EconomyCell], rapporttyp: str, ar: int) -> dict[str, JamforelseRoll]:
    """Roles of one table's columns in the budget comparison for the report's year (labels -> role)."""
    if rapporttyp == Rapporttyp.VP:
        return {}
    labels = list(dict.fromkeys(c.kolumn for c in cells))
    columns = [_Column(k, column_meaning(k)) for k in labels]
    deviation = _first(columns, lambda c: c.meaning.storhet == Storhet.AVVIKELSE and _of_year(c, ar))
    budget = _first(columns, lambda c: c.meaning.storhet == Storhet.BUDGET and _of_year(c, ar) and _net(c))
    wanted = (Storhet.UTFALL,) if rapporttyp == Rapporttyp.VB else (Storhet.PROGNOS, Storhet.UTFALL)
    compared = _compared(cells, _candidates(columns, wanted, ar, budget, deviation), budget, deviation)
    found = ((budget, JamforelseRoll.BUDGET), (compared, JamforelseRoll.JAMFORT), (deviation, JamforelseRoll.AVVIKELSE))
    return {column.kolumn: role for column, role in found if column is not None}


def reports_deviation(row_cells: Sequence[EconomyCell], roles: dict[str, JamforelseRoll]) -> bool:
    """A top-level row whose deviation for the report's year, in money, is not zero."""
    if row_cells and row_cells[0].overordnad_rad is not None:
        return False
    return any(
        roles.get(c.kolumn) == JamforelseRoll.AVVIKELSE and c.enhet != "%" and abs(c.varde) > 0 for c in row_cells
    )
