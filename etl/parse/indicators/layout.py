"""Indicator tables in layout text (pdftotext-like extractions of ILS-webb reports).

A table starts with a header block ("Indikator Periodens utfall …" split over many lines, words broken
mid-word) and holds rows of the shape

    <name lines> <blank> <value lines, cells wrapped over lines and blank lines> <period cell>
    [<blank> "Analys" <comment lines>]

Two spacing conventions exist. In one, cells are joined by single spaces and empty cells leave no
trace ("invisible"), so columns must be inferred. In the other, an empty cell is an empty string
between single-space separators, so k spaces mean k-1 empty cells ("spaced"); every row then has
exactly one cell per value column. The convention is detected per table from its rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from malbas.etl.parse.indicators.assign import RowContext, place_cells, spaced_slots
from malbas.etl.parse.indicators.cells import TEXT_START, YEAR, YEAR_RE, Cell, atoms_of, group_cells, segmentations
from malbas.etl.parse.indicators.kinds import AtomKind, RowPeriod, Stage, ValueKind
from malbas.etl.parse.indicators.rows import (
    HEADER_START,
    Header,
    RawRow,
    join_blocks,
    join_name,
    period_split,
    read_header,
    table_rows,
)
from malbas.etl.parse.numbers import unit_in_text
from malbas.etl.parse.readers import RowScan
from malbas.etl.parse.records import IndicatorRow


def _row_unit(cells: dict[str, Cell]) -> str | None:
    units = [c.unit for c in cells.values() if c.unit]
    if units:
        return max(units, key=units.count)
    return next((u for c in cells.values() if (u := unit_in_text(c.text))), None)


def _is_spaced_table(rows: list[RawRow], header: Header) -> bool:
    """Spaced convention: rows show multi-space gaps or leading spaces, and those rows then have
    exactly one cell per value column."""
    fits = misfits = 0
    for r in rows:
        fit = _spaced_fit(r, header)
        fits += fit is True
        misfits += fit is False
    return fits > 0 and fits >= misfits


_TWO_SPACES = re.compile(r"\s\s")


def _spaced_fit(row: RawRow, header: Header) -> bool | None:
    """None when the row shows no sign of spaced cells (a gap of two spaces or more, a leading space); else
    whether it then has one cell per value column."""
    text, _ = join_blocks(row.value_blocks)
    split = period_split(text, header.periodicity)
    before, gap = (split[0], split[2]) if split else (text.rstrip(), 1)
    if gap < 2 and not before[:1].isspace() and not _TWO_SPACES.search(before):
        return None  # the gaps between atoms are whitespace: no atom can follow a gap of two
    atoms = atoms_of(before, set())
    wide = any(a.gap >= 2 and a.kind != AtomKind.UNIT for a in atoms[1:])
    if not (gap >= 2 or (atoms and atoms[0].gap > 0) or wide):
        return None
    segments = segmentations(group_cells(atoms, True))
    return any(len(spaced_slots(c, gap)) == len(header.columns) for c, _ in segments)


def _to_record(r: RawRow, header: Header, spaced: bool, stage: Stage) -> IndicatorRow:
    rec = IndicatorRow(
        namn=join_name(r.name_lines), rad=r.rad, analys=r.analys, analys_rad=r.analys_rad, slut=r.end + 1
    )
    text, breaks = join_blocks(r.value_blocks)
    split = period_split(text, header.periodicity)
    if split:
        before = split[0]
        if header.periodicity:
            rec.periodicitet = split[1]
        else:
            rec.period = split[1]
    else:
        before = text.rstrip()
    ctx = RowContext(header.columns, r.nämnd, rec.namn, stage, _row_period(rec.period), _value_kind(before, rec.namn))
    reading = place_cells(before, breaks, r.period_gap, spaced, ctx)
    note = r.note
    if reading is None and spaced:
        reading = place_cells(before, breaks, r.period_gap, False, ctx)
        note = "the number of cells does not match the columns"
    if reading is None:
        rec.osaker = "the value cells could not be read"
        return rec
    note = note or reading.note
    for col, cell in reading.cells.items():
        rec.celler[col] = cell.text
        if cell.number is None:
            rec.text[col] = cell.text
        else:
            setattr(rec, col, cell.number)
    rec.enhet = _row_unit(reading.cells)
    rec.osaker = note or _unknown_unit(rec.text)
    return rec


_DIGIT = re.compile(r"\d")
_NUMBER_THEN_WORDS = re.compile(r"^[+\-−–]?\d+(?:[ ,.]\d+)*\s*[^\d\s]")


def _unknown_unit(text: dict[str, str]) -> str | None:
    """A text cell that starts with a value and holds no other digit ('80 dagar', '249 kr/invån are') is a value
    with a unit no rule knows, or a value glued to a text cell: either way its number was not read. Another value
    after the word ('74 dagar 75'), or the start of a text cell ('… Fastställs 2020'), makes it two cells read as
    one; a year after it ('2 % energieffektivisering relativt 2018') is the text's own."""
    return next((f"{col} reads '{cell}': {why}" for col, cell in text.items() if (why := _unread_value(cell))), None)


def _unread_value(cell: str) -> str | None:
    """Why a text cell that starts with a value holds a number that was not read (see _unknown_unit)."""
    m = _NUMBER_THEN_WORDS.match(cell)
    if not m:
        return None
    if not _DIGIT.search(cell, m.end()):
        return "a value with a word after it that is no known unit"
    if any(not YEAR_RE.fullmatch(n) for n in _LATER_NUMBER.findall(cell, m.end())):
        return "values and words in one cell; the cells may be read wrong"
    if any(w[:1].isupper() and TEXT_START.match(w) for w in cell[m.end() :].split()[1:]):
        return "a value glued to the text cell after it"
    return None


_LATER_NUMBER = re.compile(r"(?<![\d,])\d+(?:,\d+)?")


_ANNUAL_PERIOD = re.compile(rf"(?:(?:Helår|År)\s+)?{YEAR}")


def _row_period(period: str | None) -> RowPeriod:
    """'annual' for a whole-year label ('2020', 'Helår 2020'), else 'interim' ('Tertial 1 2020', 'VB 2020')."""
    return RowPeriod.ANNUAL if period and _ANNUAL_PERIOD.fullmatch(period) else RowPeriod.INTERIM


_YEAR_END = re.compile(r"^(?:VB|Bokslut|Årsbokslut)\b", re.IGNORECASE)
_EARLY = re.compile(r"^(?:Tertial\s*1|T1|Kvartal\s*1|Q1)\b", re.IGNORECASE)


def _report_stage(periods: list[str]) -> Stage:
    """How far the report's year has run, from its period cells: 'year_end' (VB), 'early' (T1) or 'late'
    (T2, delår, or nothing to tell: then annual rows stay ambiguous and get flagged)."""
    if any(_YEAR_END.match(p) for p in periods):
        return Stage.YEAR_END
    interim = [p for p in periods if _row_period(p) == RowPeriod.INTERIM]
    if interim and all(_EARLY.match(p) for p in interim):
        return Stage.EARLY
    return Stage.LATE


_SHARE_NAME = re.compile(r"\s*(andel|procent)", re.IGNORECASE)
_COUNT_NAME = re.compile(r"\s*antal\b", re.IGNORECASE)
_COUNT_UNIT = re.compile(r"\d\s*st\b")


def _value_kind(text: str, name: str) -> ValueKind:
    """'share' (percentages: gender shares bracket the total) or 'count' (men + women = total)."""
    if "%" in text or _SHARE_NAME.match(name):
        return ValueKind.SHARE
    if _COUNT_UNIT.search(text) or _COUNT_NAME.match(name):
        return ValueKind.COUNT
    return ValueKind.UNKNOWN


def scan_layout_indicators(lines: Sequence[str], start: int, stop: int) -> RowScan[IndicatorRow]:
    """Every indicator table in lines[start:stop] of a layout-text report: its rows, warnings and extent."""
    tables: list[tuple[list[RawRow], Header]] = []
    warns: list[str] = []
    spans: list[tuple[int, int]] = []
    i = start
    while i < stop:
        if HEADER_START.match(lines[i]) and read_header(lines, i, stop) is not None:
            rows, header, w, last = table_rows(lines, i, stop)
            warns.extend(w)
            tables.append((rows, header))
            spans.append((i, _table_end(rows, header)))
            i = max(last, i + 1)
            continue
        i += 1
    periods = [r.period for rows, h in tables for r in rows if r.period and not h.periodicity]
    stage = _report_stage(periods)
    out = _records(tables, stage)
    if stage in (Stage.EARLY, Stage.LATE) and _annual_outcomes_measured(out):
        out = _records(tables, Stage.LATE_MEASURED)
    return RowScan(out, warns, spans)


def _table_end(rows: list[RawRow], header: Header) -> int:
    return max([header.end] + [r.end + 1 for r in rows] + [r.analys_end for r in rows])


def parse_layout_indicators(lines: Sequence[str], start: int, stop: int) -> tuple[list[IndicatorRow], list[str]]:
    """The rows (and warnings) of every indicator table in lines[start:stop] of a layout-text report."""
    scan = scan_layout_indicators(lines, start, stop)
    return scan.rows, scan.warnings


def _records(tables: list[tuple[list[RawRow], Header]], stage: Stage) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    for rows, header in tables:
        spaced = _is_spaced_table(rows, header)
        out.extend(_to_record(r, header, spaced, stage) for r in rows)
    return out


def _annual_outcomes_measured(records: list[IndicatorRow]) -> bool:
    """Whether this report's whole-year rows already carry outcomes: gender cells only exist next to an
    outcome, so certain annual rows with them are evidence that doesn't depend on the column priors."""
    annual = [r for r in records if _row_period(r.period) == RowPeriod.ANNUAL]
    split = [r for r in annual if not r.osaker and r.utfall is not None and (r.utfall_man or r.utfall_kvinnor)]
    return len(annual) >= 4 and len(split) >= 0.25 * len(annual)
