"""Indicator tables in TABBED text: one TAB-separated line per row, columns mapped from the header by name
(tabbed.py holds what the TAB tables share)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from malbas.etl.parse.numbers import parse_cell, unit_in_text
from malbas.etl.parse.readers import RowScan
from malbas.etl.parse.records import IndicatorRow
from malbas.etl.parse.tabbed import (
    analys_body,
    clean_name,
    filled_cells,
    indicator_column,
    scan_tables,
    split_cells,
    tab_runs,
)
from malbas.etl.parse.text import clean_text

# A period cell: "VB 2020", "2020", "Tertial 1 2020", "T1 2020"; a periodicity cell: "Tertial", "År".
_PERIOD_RE = re.compile(
    r"^(?:(?:VB|VP|T\d|Q\d|Tertial\s*\d?|Kvartal\s*\d?|Halvår\s*\d?|Helår|Delår\s*\d?|Månad|År)\s*)?(?:(?:19|20)\d\d)?$",
    re.IGNORECASE,
)


def _is_period_cell(cell: str) -> bool:
    text = clean_text(cell)
    return bool(text) and len(text) <= 25 and bool(_PERIOD_RE.match(text))


def _align(cells: list[str], columns: list[str | None]) -> tuple[list[tuple[str | None, str]], str | None]:
    """Pair cells with header columns. Rows with fewer cells keep name and first value on the left and
    align the rest from the right (targets and period are the reliable right edge)."""
    if len(cells) == len(columns):
        return list(zip(columns, cells, strict=True)), None
    if len(cells) > len(columns):
        extra = cells[len(columns) :]
        if not filled_cells(extra):
            return list(zip(columns, cells[: len(columns)], strict=True)), None
        reason = f"more cells than the header ({len(cells)} against {len(columns)}); the extra ones ignored"
        return list(zip(columns, cells[: len(columns)], strict=True)), reason
    if len(cells) < 3:
        return list(zip(columns, cells, strict=False)), f"too few cells ({len(cells)} of {len(columns)})"
    left = list(zip(columns[:2], cells[:2], strict=True))
    tail = len(cells) - 2
    right = list(zip(columns[len(columns) - tail :], cells[2:], strict=True))
    reason = (
        f"{len(cells) - 1} value cells for {len(columns) - 1} columns: the first value aligned left, the others right"
    )
    return left + right, reason


def _row_cells(line: str, columns: list[str | None]) -> tuple[list[str], bool]:
    """Cells of a row; a leading empty field that the header does not have is dropped (shifted rows)."""
    cells = split_cells(line)
    shifted = False
    if columns and columns[0] == "namn":
        while len(cells) > 1 and not clean_text(cells[0]):
            cells = cells[1:]
            shifted = True
    return cells, shifted


def _period_column(columns: list[str | None]) -> str | None:
    for col in ("period", "periodicitet"):
        if col in columns:
            return col
    return None


def _is_indicator_row(cells: list[str], columns: list[str | None]) -> bool:
    if not cells or not clean_text(cells[0]) or analys_body(cells[0]) is not None:
        return False
    values = filled_cells(cells[1:])
    if not values:
        return False
    if _period_column(columns) is not None and _is_period_cell(values[-1]):
        return True
    # Analysis paragraphs padded to the table width keep their text in the name cell only; a row without
    # a period still counts when it carries a number.
    return any(parse_cell(clean_text(v)).number is not None for v in values)


def _set_cell(row: IndicatorRow, col: str | None, key: str, text: str, units: list[str]) -> None:
    """A cell under its column: period and unit as printed, values parsed (a text cell kept as text)."""
    row.celler[key] = text
    if col in ("period", "periodicitet"):
        setattr(row, col, text)
    elif col == "enhet":
        row.enhet = text
    elif col is not None and col != "namn":
        value = parse_cell(text)
        if value.number is None:
            row.text[col] = text
            return
        setattr(row, col, value.number)
        if value.unit:
            units.append(value.unit)


def _row_unit(row: IndicatorRow, units: list[str]) -> str | None:
    if row.enhet is not None:
        return row.enhet
    if units:
        # Cells of one row often drop the unit; the row has one unit, the most frequent one printed.
        return Counter(units).most_common(1)[0][0]
    # Only a text cell names it ("Max 10 personer", "+/- 1 %"), as the layout parser also reads it.
    return next((u for t in row.text.values() if (u := unit_in_text(t))), None)


def _doubt(row: IndicatorRow, columns: list[str | None], reason: str | None, shifted: bool) -> str | None:
    if reason is None and shifted:
        return "the row starts with an empty cell"
    period_col = _period_column(columns)
    if reason is None and period_col is not None and getattr(row, period_col) is None:
        return "no period cell; the row is kept because it has values"
    return reason


def _build_indicator(cells: list[str], columns: list[str | None], rad: int, shifted: bool) -> IndicatorRow:
    pairs, reason = _align(cells, columns)
    _, name = clean_name(pairs[0][1]) if pairs else (None, "")
    row = IndicatorRow(namn=name, rad=rad)
    units: list[str] = []
    for idx, (col, raw) in enumerate(pairs[1:], start=1):
        if text := clean_text(raw).replace("\n", " "):
            # an unrecognised column keeps its cell under its position
            _set_cell(row, col, col or f"kolumn_{idx + 1}", text, units)
    row.enhet = _row_unit(row, units)
    row.osaker = _doubt(row, columns, reason, shifted)
    return row


def _indicator_row(line: str, columns: list[str | None], rad: int) -> IndicatorRow | None:
    cells, shifted = _row_cells(line, columns)
    return _build_indicator(cells, columns, rad, shifted) if _is_indicator_row(cells, columns) else None


def parse_tabbed_indicators(lines: Sequence[str], start: int, stop: int) -> tuple[list[IndicatorRow], list[str]]:
    """Indicator rows of all TAB indicator tables in lines[start:stop]."""
    rows, warnings = scan_tables(lines, start, stop, "indikator", indicator_column, _indicator_row)
    return rows, warnings  # type: ignore[return-value]


def scan_tabbed_indicators(lines: Sequence[str], start: int, stop: int) -> RowScan[IndicatorRow]:
    """Every indicator table in lines[start:stop] of a tabbed report; its spans are the runs of TAB lines."""
    rows, warnings = parse_tabbed_indicators(lines, start, stop)
    return RowScan(rows, warnings, tab_runs(lines, start, stop))
