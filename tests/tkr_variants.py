"""Economy tables in tkr that malbas has never seen: result units (resultatenheter) with four value columns of
whole thousands and signs ('Exempelgårdens förskolor 61 204 -3 118 412 2 706'), some rows with decimals, a
header wrapped over many lines, and a Summa row of four totals. A space parts both the cells and the thousands
groups, so a row reads several ways; only the arithmetic the table prints (every column adds up to its Summa
row) tells which.

The values are drawn from a seed and the Summa row is their sum, so the table's truth is known cell by cell.
"""

from __future__ import annotations

import random

from tests.economy_variants import EconomyStyle, TrueTable
from tests.unseen_variants import render_economy

UNITS = [
    "Exempelgårdens förskolor", "Solrosens förskolor", "Äldreboendet Linden", "Hemtjänsten norr",
    "Hemtjänsten söder", "Fritidsgården Ekbacken", "Parklek och öppen förskola", "Dagverksamhet Almen",
    "Boende för funktionsnedsatta", "Daglig verksamhet Björken",
]  # fmt: skip
COLUMNS = [
    "Ackumulerat resultat från tidigare år",
    "Årets resultat efter resultatöverföring",
    "Disposition av resultatfond under året",
    "Ackumulerat resultat till nästa år",
]


def _printed(value: float, decimals: int) -> str:
    """-3118 -> '-3 118'; 412.5 with one decimal -> '412,5'."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + ("," + frac if decimals else "")


def result_units(seed: int, rows: int = 8) -> TrueTable:
    """A result-unit table of `rows` units and their Summa: values in tkr, signed, some in the tens of thousands,
    some under a thousand; with `seed` odd, every third row printed with one decimal."""
    rng = random.Random(seed)
    decimals_of = [1 if seed % 2 and k % 3 == 1 else 0 for k in range(rows)]
    body: list[tuple[str, list[float]]] = []
    for k, name in enumerate(UNITS[:rows]):
        scale = 10 if decimals_of[k] else 1
        # magnitudes from tens to tens of thousands in every column, so that no column's size tells its cells
        values = [rng.choice((-1, 1, 1)) * int(10 ** rng.uniform(1, 4.9)) for _ in COLUMNS]
        body.append((name, [v / scale if decimals_of[k] else float(v) for v in values]))
    totals = [round(sum(v[c] for _, v in body), 1) for c in range(len(COLUMNS))]
    any_decimals = any(decimals_of)
    printed = [
        (name, {c: _printed(v, decimals_of[k]) for c, v in enumerate(values)}) for k, (name, values) in enumerate(body)
    ]
    printed.append(("Summa resultatenheter", {c: _printed(t, 1 if any_decimals else 0) for c, t in enumerate(totals)}))
    return TrueTable("Resultatenheter", "Resultatenhet (tkr)", list(COLUMNS), printed)


def tkr_variant(seed: int, header_width: int = 8, spaced: bool = False):  # noqa: ANN201
    """Sample 000's goal part and an economy part of one result-unit table, its header wrapped at
    `header_width` characters (8: over a dozen lines)."""
    return render_economy([result_units(seed)], EconomyStyle(header_width=header_width, spaced=spaced), seed)


DEVIATION_COLUMNS = ["Budget 2021", "Prognos 2021", "Avvikelse mot budget"]


def deviation_rows(seed: int, rows: int = 8) -> TrueTable:
    """Budget, forecast and deviation (budget - forecast) per verksamhetsområde in tkr, no Summa row: only each
    row's own arithmetic tells its thousands groups from its cells."""
    rng = random.Random(seed)
    body = []
    for name in UNITS[:rows]:
        budget = int(10 ** rng.uniform(1.5, 4.9))
        forecast = budget + rng.choice((-1, 1)) * int(10 ** rng.uniform(0.5, 3.5))
        values = [budget, forecast, budget - forecast]
        body.append((name, {c: _printed(float(v), 0) for c, v in enumerate(values)}))
    return TrueTable("Driftbudget per resultatenhet", "Resultatenhet (tkr)", list(DEVIATION_COLUMNS), body)


def deviation_variant(seed: int, header_width: int = 16):  # noqa: ANN201
    return render_economy([deviation_rows(seed)], EconomyStyle(header_width=header_width), seed)
