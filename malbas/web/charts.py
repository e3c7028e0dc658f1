"""Chart.js configurations for the pages, built from the rows the page also shows as a table.

Each dataset carries `links`, the source of each of its points, which static/diagram.js opens on a click: a bar
leads to the line it was read from, as the table's numbers do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping

from malbas.web.format import BEDOMNING, KON, NIVA_KORT

Link = Callable[[RowMapping, object], str]  # a row and the value shown -> its source page

# Colours that stay apart in print and for the common colour-vision deficiencies (Okabe & Ito).
KON_COLOURS = {"totalt": "#0072B2", "kvinnor": "#E69F00", "man": "#009E73"}
TARGET_COLOURS = {"arsmal": "#000000", "kf_arsmal": "#D55E00"}
BEDOMNING_COLOURS = {"helt": "#009E73", "delvis": "#E69F00", "inte": "#D55E00"}
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _value(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def row_label(row: RowMapping, rows: Sequence[RowMapping], with_period: bool) -> list[str]:
    """The category of a row: its district, its goal when the district has more than one row, its period when
    the rows' periods differ."""
    label = [row["namnd"]]
    if sum(1 for r in rows if r["namnd"] == row["namnd"]) > 1 and row["mal"]:
        label.append(f"mål {row['mal']}")
    if with_period:
        label.append(f"{row['rapporttyp']} {row['ar']}")
    return label


def comparison(rows: Sequence[RowMapping], link: Link, with_period: bool, unit: str | None) -> dict[str, Any]:
    """Bars of the districts' outcomes by kön, with the årsmål and KF:s årsmål marked on each district."""
    datasets: list[dict[str, Any]] = []
    for kon, column in (("totalt", "utfall"), ("kvinnor", "utfall_kvinnor"), ("man", "utfall_man")):
        if _any_value(rows, column):
            datasets.append(_outcome_bars(rows, link, kon, column))
    for column, label in (("arsmal", "Årsmål"), ("kf_arsmal", "KF:s årsmål")):
        if _any_value(rows, column):
            datasets.append(_target_marks(rows, link, column, label))
    return {
        "type": "bar",
        "data": {"labels": [row_label(r, rows, with_period) for r in rows], "datasets": datasets},
        "options": _options(unit),
    }


def _any_value(rows: Sequence[RowMapping], column: str) -> bool:
    return any(r[column] is not None for r in rows)


def _outcome_bars(rows: Sequence[RowMapping], link: Link, kon: str, column: str) -> dict[str, Any]:
    """The bars of one kön's outcome, one per district."""
    return {
        "type": "bar",
        "label": KON[kon],
        "data": [_value(r[column]) for r in rows],
        "backgroundColor": KON_COLOURS[kon],
        "links": [link(r, r[column]) for r in rows],
        "order": 2,
    }


def _target_marks(rows: Sequence[RowMapping], link: Link, column: str, label: str) -> dict[str, Any]:
    """A target as a mark across each district's bars (a line dataset drawn without its line)."""
    return {
        "type": "line",
        "label": label,
        "data": [_value(r[column]) for r in rows],
        "showLine": False,
        "pointStyle": "line",
        "pointRadius": 26,  # diagram.js widens the mark to its district's bars
        "pointHoverRadius": 28,
        "target": True,
        "borderWidth": 3,
        "pointBorderWidth": 3,
        "borderColor": TARGET_COLOURS[column],
        "backgroundColor": TARGET_COLOURS[column],
        "links": [link(r, r[column]) for r in rows],
        "order": 1,
    }


def over_time(rows: Sequence[RowMapping], link: Link, unit: str | None) -> dict[str, Any]:
    """One line per district through the periods: the outcome, the forecast (dashed) and the årsmål (dotted)."""
    periods = sorted({(r["ar"], r["periodordning"], r["rapporttyp"]) for r in rows})
    labels = [f"{typ} {ar}" for ar, _, typ in periods]
    index = {(ar, typ): i for i, (ar, _, typ) in enumerate(periods)}
    districts = list(dict.fromkeys(r["namnd"] for r in rows))
    datasets: list[dict[str, Any]] = []
    for n, namnd in enumerate(districts):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        for column, what, dash in (
            ("utfall", "utfall", []),
            ("prognos", "prognos helår", [8, 4]),
            ("arsmal", "årsmål", [2, 3]),
        ):
            data, links = _series(rows, link, index, len(labels), namnd, column)
            if any(v is not None for v in data):
                datasets.append(
                    {
                        "type": "line",
                        "label": f"{namnd}: {what}",
                        "data": data,
                        "borderColor": colour,
                        "backgroundColor": colour,
                        "borderDash": dash,
                        "spanGaps": True,
                        "pointRadius": 5,
                        "pointStyle": {"utfall": "circle", "prognos": "triangle", "arsmal": "rectRot"}[column],
                        "links": links,
                    }
                )
    return {"type": "line", "data": {"labels": labels, "datasets": datasets}, "options": _options(unit)}


def _series(
    rows: Sequence[RowMapping], link: Link, index: dict[tuple[Any, Any], int], size: int, namnd: str, column: str
) -> tuple[list[float | None], list[str | None]]:
    """One district's values of one column by period (the first row of a period counts), with their links."""
    data: list[float | None] = [None] * size
    links: list[str | None] = [None] * size
    for r in rows:
        i = index[(r["ar"], r["rapporttyp"])]
        if r["namnd"] == namnd and r[column] is not None and data[i] is None:
            data[i], links[i] = _value(r[column]), link(r, r[column])
    return data, links


def fulfilment(groups: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: per district and goal level, how many goals are met fully, partly, not."""
    datasets = [
        {
            "type": "bar",
            "label": BEDOMNING[b],
            "data": [g["antal"][b] for g in groups],
            "backgroundColor": BEDOMNING_COLOURS[b],
            "stack": "mal",
            "links": [g["link"] for g in groups],
        }
        for b in ("helt", "delvis", "inte")
    ]
    options = _options(None)
    options["scales"]["x"]["stacked"] = True
    options["scales"]["y"]["stacked"] = True
    options["scales"]["y"]["title"] = {"display": True, "text": "antal mål"}
    options["scales"]["y"]["ticks"] = {"precision": 0}
    labels = [[g["namnd"], NIVA_KORT[g["niva"]], g["period"]] for g in groups]
    return {"type": "bar", "data": {"labels": labels, "datasets": datasets}, "options": options}


def _options(unit: str | None) -> dict[str, Any]:
    return {
        "locale": "sv-SE",  # decimal comma in ticks and tooltips, as in the reports
        "animation": False,
        "maintainAspectRatio": False,
        "interaction": {"mode": "nearest", "intersect": True},
        "plugins": {"legend": {"position": "bottom"}},
        "scales": {
            "x": {"stacked": False},
            "y": {"beginAtZero": True, "title": {"display": bool(unit), "text": unit or ""}},
        },
    }
