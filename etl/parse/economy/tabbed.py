"""Economy tables in TABBED text: TAB-separated cells, headers over one or more lines, a label spanning empty
header cells to its right copied into them."""

from __future__ import annotations

from collections.abc import Sequence

from malbas.etl.parse.economy.model import (
    TEXT_COLUMN_RE,
    UNIT_RE,
    Cell,
    Row,
    Table,
    clean_column,
    clean_label,
    markdown_level,
)
from malbas.etl.parse.economy.settings import ROWS
from malbas.etl.parse.numbers import parse_amount
from malbas.etl.parse.text import clean_cell


def _cells(line: str) -> list[str]:
    return [clean_cell(c) for c in line.split("\t")]


def _has_number(cells: list[str]) -> bool:
    return any(parse_amount(c) is not None for c in cells[1:])


def _spread_spanning_labels(filled: list[list[str]], width: int) -> None:
    """A label spanning empty cells to its right ('Justerad budget 2020' over Kostnader/Intäkter) is copied into
    them when the line below fills them."""
    for r, line in enumerate(filled[:-1]):
        below = filled[r + 1]
        for j in range(2, width + 1):
            if not line[j] and line[j - 1] and below[j] and below[j - 1]:
                line[j] = line[j - 1]


def _header_columns(header: list[list[str]], width: int) -> tuple[str, list[str]]:
    """Join a multi-line tabbed header per column, spanning labels spread over the cells they span."""
    filled = [list(h) + [""] * (width + 1 - len(h)) for h in header]
    _spread_spanning_labels(filled, width)
    stub = clean_label(" ".join(h[0] for h in filled if h[0]))
    cols = []
    for j in range(1, width + 1):
        label = clean_column(" ".join(h[j] for h in filled if h[j]))
        cols.append(label or f"Kolumn {j}")
    return stub, cols


def _stripped_row(line: str) -> bool:
    """A line that may be a row whose empty cells lost their TABs (trailing whitespace stripped): a unit line
    ('Mnkr') or a short group label ('Förskolor'), never a sentence."""
    text = line.strip()
    return 0 < len(text) <= ROWS.stripped_row and not text.endswith((".", ":")) and markdown_level(line) == 0


def _rows_follow(lines: Sequence[str], j: int, stop: int) -> bool:
    """The next non-blank line is a TAB row with values."""
    while j < stop and not lines[j].strip():
        j += 1
    return j < stop and "\t" in lines[j] and _has_number(_cells(lines[j]))


def _header_line(line: str, header: list[list[str]]) -> bool:
    """A line that continues the header: TAB cells (or a stripped row under a header line), no values."""
    return ("\t" in line or (bool(header) and _stripped_row(line))) and not _has_number(_cells(line))


def _read_header(lines: Sequence[str], i: int, stop: int) -> tuple[list[list[str]], int]:
    """The header's lines as cells, and the index after them."""
    header: list[list[str]] = []
    j = i
    while j < stop and _header_line(lines[j], header):
        cells = _cells(lines[j])
        if header and not any(cells[1:]) and not UNIT_RE.search(cells[0]):
            break  # a group row ('Förskolor') right under the header
        header.append(cells)
        j += 1
    return header, j


def _row_line(lines: Sequence[str], j: int, stop: int) -> bool:
    """A TAB row, or a stripped row (see _stripped_row) with TAB rows of values below it."""
    return "\t" in lines[j] or (_stripped_row(lines[j]) and _rows_follow(lines, j + 1, stop))


def _repeated_header(cells: list[str], header: list[list[str]]) -> bool:
    """The header repeated after a page break."""
    return bool(header) and cells[: len(header[0])] == header[0][: len(cells)] and sum(1 for c in cells if c) > 1


def _read_body(
    lines: Sequence[str], j: int, stop: int, header: list[list[str]]
) -> tuple[list[tuple[int, list[str]]], int]:
    """The rows below the header, (line index, cells) each, up to the next table's header or a line that is no
    row; returns them and the index after the table."""
    body: list[tuple[int, list[str]]] = []
    blank_before = False
    while j < stop:
        if not lines[j].strip():
            blank_before = True
            j += 1
            continue
        if not _row_line(lines, j, stop):
            break
        cells = _cells(lines[j])
        unvalued = not _has_number(cells)
        if unvalued and _repeated_header(cells, header):
            j += 1
            blank_before = False
            continue
        if unvalued and (blank_before or body) and sum(1 for c in cells if c) > 1:
            break  # the header of the next table
        body.append((j, cells))
        blank_before = False
        j += 1
    return body, j


def _row(idx: int, cells: list[str]) -> Row:
    row = Row(clean_label(cells[0]), idx + 1)
    for k, c in enumerate(cells[1:]):
        val = parse_amount(c)
        if val is not None:
            row.cells.append(Cell(k, val[0], c, val[1]))
    row.group = not row.cells and not any(cells[1:])
    return row


def _columns(header: list[list[str]], body: list[tuple[int, list[str]]]) -> tuple[str, list[str]]:
    """The stub and the column labels, as many as the widest line has cells after the first."""
    width = max([len(h) - 1 for h in header] + [len(c) - 1 for _, c in body] + [0])
    return _header_columns(header, width) if header else ("", [f"Kolumn {k}" for k in range(1, width + 1)])


def _parse_tabbed_table(lines: Sequence[str], i: int, stop: int) -> Table:
    header, j = _read_header(lines, i, stop)
    body, end = _read_body(lines, j, stop, header)
    stub, cols = _columns(header, body)
    table = Table(header_idx=i, end=end, stub=stub, cols=cols)
    table.text_cols = {k for k, lab in enumerate(cols) if TEXT_COLUMN_RE.search(lab)}
    rows = (_row(idx, cells) for idx, cells in body)
    table.rows.extend(row for row in rows if row.cells or row.group)
    return table


def tabbed_tables(lines: Sequence[str], start: int, stop: int) -> list[Table]:
    tables: list[Table] = []
    i = start
    while i < stop:
        if "\t" in lines[i] and markdown_level(lines[i]) == 0:
            t = _parse_tabbed_table(lines, i, stop)
            if any(r.cells for r in t.rows):
                tables.append(t)
            i = max(t.end, i + 1)
        else:
            i += 1
    return tables
