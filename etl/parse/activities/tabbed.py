"""Activity tables in TABBED text: one TAB-separated line per row, the ISO dates anchoring the columns
(tabbed.py holds what the TAB tables share)."""

from __future__ import annotations

from collections.abc import Sequence

from malbas.etl.parse.readers import RowScan
from malbas.etl.parse.records import Activity
from malbas.etl.parse.tabbed import activity_column, append_text, clean_name, parse_iso_date, scan_tables, split_cells
from malbas.etl.parse.text import clean_text


def _date_indexes(cells: list[str]) -> list[int]:
    return [k for k, c in enumerate(cells) if parse_iso_date(clean_text(c)) is not None]


def _name_and_marker(cells: list[str], before: list[int]) -> tuple[str | None, str]:
    """The name is the last filled cell before the dates; a cell before it is a status column of its own (a header
    with an empty first cell or "Status")."""
    marker, name = clean_name(cells[before[-1]])
    for k in before[:-1]:
        marker = marker or clean_text(cells[k]) or None
    return marker, name


def _set_dates(akt: Activity, cells: list[str], columns: list[str | None], dates: list[int]) -> None:
    """The dates in their columns; a date under no known column is the start, then the end."""
    for k in dates:
        col = columns[k] if k < len(columns) else None
        value = parse_iso_date(clean_text(cells[k]))
        if col == "slutdatum" or akt.startdatum is not None:
            akt.slutdatum = value
        else:
            akt.startdatum = value


def _set_after_dates(akt: Activity, text: str, col: str | None, rad: int) -> None:
    """A cell after the dates: the deviation flag, the status, or the comment."""
    if text.lower() in ("avvikelse", "ja") and col in ("avvikelse", None):
        akt.avvikelse = True
    elif col == "status" and akt.status is None:
        akt.status = text
    elif col == "analys" or col is None:
        akt.analys = append_text(akt.analys, text)
        akt.analys_rad = rad


def _build_activity(cells: list[str], columns: list[str | None], rad: int) -> Activity | None:
    """Map by the position of the ISO dates: the name is the last filled cell before them."""
    dates = _date_indexes(cells)
    before = [k for k in range(dates[0]) if clean_text(cells[k])]
    if not before:
        return None
    marker, name = _name_and_marker(cells, before)
    if not name:
        return None
    akt = Activity(namn=name, rad=rad, status=marker)
    _set_dates(akt, cells, columns, dates)
    for k in range(dates[-1] + 1, len(cells)):
        if text := clean_text(cells[k]):
            _set_after_dates(akt, text, columns[k] if k < len(columns) else None, rad)
    return akt


def finish_activity(akt: Activity) -> None:
    akt.avvikelse_text = akt.analys if akt.avvikelse else None


def _activity_row(line: str, columns: list[str | None], rad: int) -> Activity | None:
    cells = split_cells(line)
    return _build_activity(cells, columns, rad) if _date_indexes(cells) else None


def parse_tabbed_activities(lines: Sequence[str], start: int, stop: int) -> tuple[list[Activity], list[str]]:
    """Activity rows of all TAB activity tables in lines[start:stop]."""
    rows, warnings = scan_tables(lines, start, stop, "aktivitet", activity_column, _activity_row)
    for akt in rows:
        finish_activity(akt)  # type: ignore[arg-type]
    return rows, warnings  # type: ignore[return-value]


def scan_tabbed_activities(lines: Sequence[str], start: int, stop: int) -> RowScan[Activity]:
    """Every activity table in lines[start:stop] of a tabbed report (their spans are the indicator reader's TAB
    runs, audited once)."""
    rows, warnings = parse_tabbed_activities(lines, start, stop)
    return RowScan(rows, warnings, [])
