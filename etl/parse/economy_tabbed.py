"""Economy tables in TABBED text: TAB-separated cells, headers over one or more lines, a label spanning empty
header cells to its right copied into them."""

from __future__ import annotations

from collections.abc import Sequence

from malbas.etl.parse.economy_model import (
    TEXT_COLUMN_RE,
    UNIT_RE,
    Cell,
    Row,
    Table,
    clean_column,
    clean_label,
    markdown_level,
)
from malbas.etl.parse.numbers import parse_amount
from malbas.etl.parse.text import clean_cell


def _cells(line: str) -> list[str]:
    return [clean_cell(c) for c in line.split("\t")]


def _has_number(cells: list[str]) -> bool:
    return any(parse_amount(c) is not None for c in cells[1:])


def _header_columns(header: list[list[str]], width: int) -> tuple[str, list[str]]:
    """Join a multi-line tabbed header per column; a label spanning empty cells to its right
    ('Justerad budget 2020' over Kostnader/Intäkter) is copied into them when a lower line fills them."""
    filled = [list(h) + [""] * (width + 1 - len(h)) for h in header]
    for r, line in enumerate(filled[:-1]):
        below = filled[r + 1]
        for j in range(2, width + 1):
            if not line[j] and line[j - 1] and below[j] and below[j - 1]:
                line[j] = line[j - 1]
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
    return 0 < len(text) <= 40 and not text.endswith((".", ":")) and markdown_level(line) == 0


def _rows_follow(lines: Sequence[str], j: int, stop: int) -> bool:
    """The next non-blank line is a TAB row with values."""
    while j < stop and not lines[j].strip():
        j += 1
    return j < stop and "\t" in lines[j] and _has_number(_cells(lines[j]))


def _parse_tabbed_table(lines: Sequence[str], i: int, stop: int) -> Table:
    header: list[list[str]] = []
    j = i
    while j < stop and ("\t" in lines[j] or (header and _stripped_row(lines[j]))) and not _has_number(_cells(lines[j])):
        cells = _cells(lines[j])
        if header and not any(cells[1:]) and not UNIT_RE.search(cells[0]):
            break  # a group row ('Förskolor') right under the header
        header.append(cells)
        j += 1
    body: list[tuple[int, list[str]]] = []
    blank_before = False
    while j < stop:
        line = lines[j]
        if not line.strip():
            blank_before = True
            j += 1
            continue
        if "\t" not in line and not (_stripped_row(line) and _rows_follow(lines, j + 1, stop)):
            break
        cells = _cells(line)
        if not _has_number(cells):
            filled = sum(1 for c in cells if c)
            if header and cells[: len(header[0])] == header[0][: len(cells)] and filled > 1:
                j += 1  # header repeated after a page break
                blank_before = False
                continue
            if filled > 1 and (blank_before or body):
                break  # the header of the next table
        body.append((j, cells))
        blank_before = False
        j += 1
    width = max([len(h) - 1 for h in header] + [len(c) - 1 for _, c in body] + [0])
    stub, cols = _header_columns(header, width) if header else ("", [f"Kolumn {k}" for k in range(1, width + 1)])
    table = Table(header_idx=i, end=j, stub=stub, cols=cols)
    table.text_cols = {k for k, lab in enumerate(cols) if TEXT_COLUMN_RE.search(lab)}
    for idx, cells in body:
        label = clean_label(cells[0])
        row = Row(label, idx + 1)
        for k, c in enumerate(cells[1:]):
            val = parse_amount(c)
            if val is not None:
                row.cells.append(Cell(k, val[0], c, val[1]))
        row.group = not row.cells and not any(cells[1:])
        if row.cells or row.group:
            table.rows.append(row)
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
