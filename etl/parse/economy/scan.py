"""The economy part of a report ('Uppföljning av ekonomi'): one EconomyCell per numeric table cell.

Both text forms are handled: tabbed (TAB-separated cells, multi-line headers) in tabbed.py, layout
(pdftotext-like) in layout.py. After parsing, tables get a name (the heading above them),
a unit (printed, or proven by magnitude), varav/group parents, and a check of Summa/Totalt rows
against the column sums of the rows above them (mismatches become QualityNote, numbers are
never changed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from malbas.etl.parse.economy.checks import check_sums, compare_with_main
from malbas.etl.parse.economy.header import may_open_header, try_header
from malbas.etl.parse.economy.layout import parse_layout_table
from malbas.etl.parse.economy.model import (
    TOTAL_RE,
    VARAV_RE,
    Table,
    find_heading,
    infer_unit,
    markdown_level,
)
from malbas.etl.parse.economy.tabbed import tabbed_tables
from malbas.etl.parse.economy.tokens import is_value_only
from malbas.etl.parse.readers import TableReader
from malbas.etl.parse.records import EconomyCell, QualityNote
from malbas.etl.parse.text import clean_cell, lines_with, trailing_space_convention
from malbas.vocabulary import Textform

_START_RE = re.compile(r"^uppföljning av ekonomin?$", re.IGNORECASE)
# Headings that start the non-economy rest of a report.
_STOP_RE = re.compile(
    r"^(övrigt|särskilda redovisningar|konsekvenser av\b.*|bedömning av nämndens interna kontroll"
    r"|systematiskt kvalitetsarbete|intern kontroll|nämndens interna kontroll|uppföljning av intern kontroll"
    r"|kvalitetsarbete|bilagor?|personal|personalredovisning|agenda 2030)$",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(r"\bantal\b", re.IGNORECASE)


def _norm_heading(line: str) -> str:
    return " ".join(clean_cell(line).strip(" *#_").split())


def find_economy_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """[start, stop) of the economy part: from the 'Uppföljning av ekonomi' heading to the first heading
    that starts the non-economy rest (Övrigt, Särskilda redovisningar, Konsekvenser av …) or the end."""
    start = next((i for i in lines_with("\n".join(lines), ("konomi",)) if _starts_economy(lines[i])), None)
    if start is None:
        return None
    # 'Övrigt' as a table row has its values on the next line
    stop = (i for i in range(start + 1, len(lines)) if _ends_economy(lines[i]) and not _labels_values_below(lines, i))
    return start, next(stop, len(lines))


def _starts_economy(line: str) -> bool:
    return "konomi" in line and "\t" not in line and _START_RE.match(_norm_heading(line)) is not None


def _ends_economy(line: str) -> bool:
    return "\t" not in line and len(line) <= 80 and _STOP_RE.match(_norm_heading(line)) is not None


def _labels_values_below(lines: Sequence[str], i: int) -> bool:
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and j - i <= 2 and is_value_only(lines[j])


def _header_text(lines: Sequence[str], i: int, stop: int) -> tuple[tuple[str, ...], int]:
    """The non-blank lines of the table header starting at line i, stripped, and the index just past it."""
    header = try_header(lines, i, stop)
    end = header.end if header is not None else i
    return tuple(s for k in range(i, end) if (s := lines[k].strip())), end


def layout_tables(lines: Sequence[str], start: int, stop: int) -> list[Table]:
    """The economy tables in lines[start:stop] of layout text, a table continued after a page break read as one."""
    tsc = trailing_space_convention(lines, start, stop)
    tables: list[Table] = []
    masked: list[str] | None = None  # the lines with repeated headers of continued tables blanked out
    i = start
    while i < stop:
        t = parse_layout_table(lines, i, stop, tsc) if may_open_header(lines[i]) else None
        if t is None:
            i += 1
            continue
        prev = tables[-1] if tables else None
        if prev is not None and t.rows and _between_pages(prev, t, lines):
            # A table continued on the next page repeats its header word for word. It is read again as one table,
            # so that the rows after the break are split into cells with the evidence of all its rows: a lone row
            # cannot tell a thousands group from a cell, nor a wrapped header label from two.
            repeated, repeated_end = _header_text(lines, t.header_idx, stop)
            if repeated and repeated == _header_text(lines, prev.header_idx, stop)[0]:
                masked = masked or list(lines)
                for k in range(prev.end, repeated_end):
                    masked[k] = ""
                joined = parse_layout_table(masked, prev.header_idx, stop, tsc)
                if joined is not None and joined.end >= t.end:
                    tables[-1] = joined
                    i = max(joined.end, i + 1)
                    continue
        tables.append(t)
        i = max(t.end, i + 1)
    return tables


# ---------------------------------------------------------------- post-processing

_PAGE_NOISE_RE = re.compile(r"^(tjänsteutlåtande|sid \d+ \(\d+\)|\d{1,3})$", re.IGNORECASE)


def _between_pages(prev: Table, t: Table, lines: Sequence[str]) -> bool:
    """Only blank lines or a page header ('Tjänsteutlåtande', 'Sid 22 (78)') lie between the two tables."""
    return all(not lines[k].strip() or _PAGE_NOISE_RE.match(lines[k].strip()) for k in range(prev.end, t.header_idx))


def _continues(prev: Table, t: Table, lines: Sequence[str]) -> bool:
    """A table continued on the next page repeats its header, with a page break between the parts."""
    return prev.cols == t.cols and prev.stub == t.stub and _between_pages(prev, t, lines)


def _merge_page_breaks(tables: list[Table], lines: Sequence[str]) -> list[Table]:
    """The parts of a table continued on the next page as one table (tabbed text; layout text joins them as it
    reads, see layout_tables)."""
    merged: list[Table] = []
    for t in tables:
        prev = merged[-1] if merged else None
        if prev is not None and _continues(prev, t, lines):
            prev.rows.extend(t.rows)
            prev.notes.extend(t.notes)
            prev.warnings.extend(t.warnings)
            prev.end = t.end
            continue
        merged.append(t)
    return merged


_STUB_UNIT_RE = re.compile(r"\(?\b(mnkr|mkr|tkr)\b\)?,?(\s*netto)?", re.IGNORECASE)
_GENERIC_STUB_RE = re.compile(r"^(verksamhet\w*|resultatenhet\w*|avvikelse\b)", re.IGNORECASE)


def _descriptive_stub(stub: str) -> str | None:
    text = _STUB_UNIT_RE.sub("", stub).strip(" ,")
    if not text or _GENERIC_STUB_RE.match(text):
        return None
    return text


def _name_tables(
    tables: list[Table], lines: Sequence[str], start: int, markdown: bool, tsc: bool
) -> list[tuple[str, int | None]]:
    """Each table is named by the heading above it. Tables without their own heading share the one
    before; a shared name gets the table's descriptive stub ('Skulder och eget kapital') or ' (2)'."""
    names: list[tuple[str, int | None]] = []
    used: dict[str, int] = {}
    heading: tuple[str, int] = (_norm_heading(lines[start]), start)
    floor = start
    for t in tables:
        heading = find_heading(lines, t.header_idx, floor, markdown, tsc) or heading
        name, rad = heading
        if name in used:
            stub = _descriptive_stub(t.stub)
            if stub and stub not in used:
                name, rad = stub, t.header_idx
            else:
                used[name] += 1
                name = f"{name} ({used[name]})"
        used.setdefault(name, 1)
        names.append((name, rad + 1))
        floor = t.end
    return names


def _table_units(tables: list[Table]) -> list[str | None]:
    printed = [infer_unit(" ".join([t.stub, *t.cols])) for t in tables]
    money = [
        abs(c.value)
        for t, u in zip(tables, printed, strict=True)
        if u == "mnkr"
        for r in t.rows
        for c in r.cells
        if not c.percent
    ]
    largest = max(money, default=None)
    units: list[str | None] = []
    for t, u in zip(tables, printed, strict=True):
        if u is None and not _COUNT_RE.search(" ".join([t.stub, *t.cols])):
            values = [abs(c.value) for r in t.rows for c in r.cells if not c.percent]
            top = max(values, default=0.0)
            if largest is not None:
                # a part of the budget cannot exceed the whole budget: then the figures are tkr
                u = "tkr" if top > 2 * largest else "mnkr"
        units.append(u)
    return units


def _parents(table: Table) -> list[str | None]:
    parents: list[str | None] = []
    last_main: str | None = None
    group: str | None = None
    for r in table.rows:
        if r.group:
            group = r.label
            parents.append(None)
            continue
        if VARAV_RE.match(r.label):
            parents.append(last_main or group)
            continue
        if TOTAL_RE.match(r.label):
            group = None
            parents.append(None)
        else:
            parents.append(group)
        last_main = r.label
    return parents


@dataclass(slots=True)
class EconomyScan:
    cells: list[EconomyCell]
    notes: list[QualityNote]
    warnings: list[str]
    tables: list[TableExtent]


@dataclass(frozen=True, slots=True)
class TableExtent:
    """Where a table lies, and the text its header and group rows hold (for the coverage audit)."""

    start: int  # 0-based index of the header's first line
    stop: int  # index just past the table
    header_text: str  # stub and column labels


def parse_economy(
    lines: Sequence[str], start: int, stop: int, form: Textform
) -> tuple[list[EconomyCell], list[QualityNote], list[str]]:
    """Parse the economy tables in lines[start:stop]. Returns (cells, quality notes, warnings)."""
    scan = scan_economy(lines, start, stop, form)
    return scan.cells, scan.notes, scan.warnings


# The reader of each text form's tables (the parser picks from a table of its own, parser.READERS).
_READERS: dict[Textform, TableReader[list[Table]]] = {Textform.TABBED: tabbed_tables, Textform.LAYOUT: layout_tables}


def scan_economy(lines: Sequence[str], start: int, stop: int, form: Textform) -> EconomyScan:
    """The economy tables in lines[start:stop] of text in the given form (see scan_tables)."""
    return scan_tables(lines, start, stop, _READERS[form])


def _cells(t: Table, name: str, name_rad: int | None, unit: str | None) -> list[EconomyCell]:
    """One EconomyCell per numeric cell of a table, with its row's parent (a group or the row a varav row
    belongs to) and its unit (a percentage's own)."""
    return [
        EconomyCell(
            tabell=name,
            rad_namn=r.label,
            kolumn=t.cols[c.col],
            varde=c.value,
            enhet="%" if c.percent or r.label.lower().endswith(" i %") else unit,
            rad=r.rad,
            tabell_rad=name_rad,
            overordnad_rad=parent,
            text=c.raw,
        )
        for r, parent in zip(t.rows, _parents(t), strict=True)
        for c in r.cells
    ]


def scan_tables(lines: Sequence[str], start: int, stop: int, read: TableReader[list[Table]]) -> EconomyScan:
    """The economy tables in lines[start:stop], as `read` finds them: cells, quality notes, warnings and where
    each table lies."""
    tsc = trailing_space_convention(lines, start, stop)
    tables = _merge_page_breaks(read(lines, start, stop), lines)
    markdown = any(markdown_level(lines[i]) for i in range(start, stop))
    names = _name_tables(tables, lines, start, markdown, tsc)
    units = _table_units(tables)
    cells: list[EconomyCell] = []
    notes: list[QualityNote] = []
    warnings: list[str] = []
    for t, (name, name_rad), unit in zip(tables, names, units, strict=True):
        cells += _cells(t, name, name_rad, unit)
        for typ, msg, rad in t.notes:
            notes.append(QualityNote(typ=typ, meddelande=f"{name}: {msg}", rad=rad))
        notes.extend(check_sums(t, name))
        warnings.extend(f"{name}: {w}" for w in t.warnings)
    notes.extend(compare_with_main(tables, names))
    extents = [
        TableExtent(t.header_idx, t.end, " ".join([t.stub, *t.cols, *(r.label for r in t.rows if r.group)]))
        for t in tables
    ]
    return EconomyScan(cells, notes, warnings, extents)
