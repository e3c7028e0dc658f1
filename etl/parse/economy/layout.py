"""Economy tables in the layout (pdftotext-like) text form.

A table is a header (one or more blank-separated blocks, each starting with a column word such as
Budget / Prognos / Bokslut / Avvikelse) followed by rows. A row is a label (possibly wrapped, possibly
carrying the values on its last line) and a line of values separated by single spaces. Two things make
the values hard:

* A space is both the thousands separator and the cell separator ('30 060 1 503 549 -549 0'). All
  readings are enumerated and the one matching the table's row width (and the magnitudes of the
  other rows in the same column) wins.
* Empty cells: in some files runs of spaces mark them ('  50,7  43,2': k spaces = k-1 empty cells,
  k leading spaces = k empty cells); in others they leave no trace. A table is read positionally only
  when every row that shows a gap then has exactly one cell per column; otherwise rows are aligned
  by evidence (row width, 'justering' columns that are never filled, deviation rows) and marked uncertain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from malbas.etl.parse.economy.arithmetic import decide
from malbas.etl.parse.economy.header import Header, column_labels, stub_like, try_header
from malbas.etl.parse.economy.model import DEVIATION_COLUMN_RE, DEVIATION_LABEL_RE, TEXT_COLUMN_RE, Cell, Row, Table
from malbas.etl.parse.economy.rows import RawRow, collect_rows
from malbas.etl.parse.economy.tokens import Amount, Gap, Reading, Word, readings
from malbas.vocabulary import KvalitetTyp

_JUSTERING_RE = re.compile(r"justering", re.IGNORECASE)


@dataclass(slots=True)
class _Body:
    """A table's header and rows, the header cut back until the rows can fill it."""

    header: Header
    rows: list[RawRow]  # value rows and group rows, in order
    end: int  # index after the table
    warnings: list[str]
    value_rows: list[RawRow]
    flex: list[list[Reading]]  # per value row, every reading of its values (gaps dropped)
    width: int  # cells per row (see _row_width)
    placed: dict[int, tuple[int, ...]] = field(default_factory=dict)  # rows of fewer values placed by the sums


@dataclass(slots=True)
class _Columns:
    """The value columns and those the rows are taken to fill when they print fewer values."""

    labels: list[str]
    numeric: list[int]  # every column but the text (ja/nej) columns
    drop: list[int]  # the order in which numeric columns are assumed empty
    active: list[int]  # the columns a row of `width` values fills
    width: int  # values a row prints


@dataclass(slots=True)
class _Plan:
    """A value row's candidate readings, the column of each of their cells (-1: none), and a doubt."""

    options: list[Reading]
    cols_of: list[list[int]]
    why: str | None = None


# ---------------------------------------------------------------- helpers


def _amounts(reading: Reading) -> int:
    return sum(1 for c in reading if isinstance(c, Amount))


def _magnitude(v: float) -> float:
    return math.log10(abs(v) + 1.0)


def _choose(options: list[Reading], cols_of: list[list[int]], medians: dict[int, float]) -> int:
    """Index of the reading whose values best match the magnitudes seen in each column."""
    if len(options) == 1 or not medians:
        return 0
    best, best_score = 0, math.inf
    for k, (opt, cols) in enumerate(zip(options, cols_of, strict=True)):
        score = 0.0
        for cell, col in zip(opt, cols, strict=True):
            if isinstance(cell, Amount) and col in medians:
                score += abs(_magnitude(cell.value) - medians[col])
        if score < best_score - 1e-9:
            best, best_score = k, score
    return best


def _drop_order(labels: list[str], numeric: list[int]) -> list[int]:
    """Numeric columns in the order they are assumed empty when a table prints fewer values:
    requested adjustments ('Begärda budgetjusteringar') first, then from the right."""
    just = [c for c in numeric if _JUSTERING_RE.search(labels[c])]
    rest = [c for c in reversed(numeric) if c not in just]
    return just + rest


def _row_width(options: list[list[Reading]], header: Header) -> int:
    """How many cells the table's rows carry. Every row needs at least its fewest cells, so the width is at least
    the largest of those; spaces are thousands separators and cell gaps alike, so a row can often be read with
    more cells too, and among the widths from there up the one the most rows allow wins (rows with empty cells
    allow fewer), ties going to the count the header's cells suggest."""
    counts = [{len(o) for o in opts} for opts in options if opts]
    if not counts:
        return 0
    need = max(min(c) for c in counts)
    cells = header.strong_cells() - (1 if stub_like(header) else 0)
    candidates = sorted(w for w in set().union(*counts) if w >= need) or [need]
    return max(candidates, key=lambda w: (sum(1 for c in counts if w in c), -abs(w - cells), -w))


def _flex_columns(
    label: str, k: int, active: list[int], numeric: list[int], drop: list[int], labels: list[str]
) -> tuple[list[int], str | None]:
    """Columns for a row printing k numbers when empty cells leave no trace."""
    if k == len(active):
        return active, None
    if k > len(active):
        cols = [c for c in numeric if c not in drop[: max(0, len(numeric) - k)]]
        return cols[:k], (None if k >= len(numeric) else "more values than the table's other rows")
    if k == 0:
        return [], None
    return _fewer_columns(label, k, active, labels)


def _fewer_columns(label: str, k: int, active: list[int], labels: list[str]) -> tuple[list[int], str]:
    """A row printing fewer values than the table: a deviation row fills the last columns (where the deviation
    column is), any other the first."""
    deviation = [c for c in active if DEVIATION_COLUMN_RE.search(labels[c])]
    if DEVIATION_LABEL_RE.search(label) and deviation:
        cols = active[len(active) - k :]
        return cols, f"{k} of {len(active)} values; assumed to belong to the last columns"
    return active[:k], f"{k} of {len(active)} values; assumed to belong to the first columns"


# ---------------------------------------------------------------- phases


def _read_body(lines: Sequence[str], i: int, stop: int, tsc: bool) -> _Body | None:
    """The header at line i and the rows below it. A header with more cells than the rows have values, its last
    block no column text, took a group row's label for a header cell: it gives the block back to the rows."""
    header = try_header(lines, i, stop)
    if header is None:
        return None
    while True:
        rows, end, warnings = collect_rows(lines, header.end, stop, tsc)
        value_rows = [r for r in rows if not r.group]
        if not value_rows:
            return None
        flex = [list(readings(r.items, False)) for r in value_rows]
        width = _row_width(flex, header)
        if _rows_fill(header, width):
            return _Body(header, rows, end, warnings, value_rows, flex, width)
        header = header.without_last_block()


def _rows_fill(header: Header, width: int) -> bool:
    """False when the header has more cells than the rows have values and its last block is no column text."""
    target = width + (1 if stub_like(header) else 0)
    return header.strong_cells() <= target or len(header.blocks) < 2 or header.blocks[-1][1]


def _settle_by_sums(body: _Body) -> None:
    """Where the table's Summa rows prove how its rows read (arithmetic.py): the width they prove, the readings of
    full rows, and (empty cells invisible) the columns of rows printing fewer values, kept in `body.placed`."""
    widths = {_amounts(o) for opts in body.flex for o in opts}
    gaps = not any(isinstance(it, Gap) for r in body.value_rows for it in r.items)
    decision = decide([r.label for r in body.value_rows], body.flex, sorted(widths), body.width, gaps)
    if decision is None:
        return
    body.width = decision.width
    for idx, placed in decision.rows.items():
        body.flex[idx] = [placed.reading]
        if len(placed.columns) < decision.width:
            body.placed[idx] = placed.columns


def _new_table(body: _Body, i: int) -> Table:
    """The table with its stub and column labels, and a note when the header names fewer columns than the rows
    carry values."""
    stub, labels, placeholders = column_labels(body.header, body.width)
    table = Table(header_idx=i, end=body.end, stub=stub, cols=labels, warnings=body.warnings)
    if placeholders:
        named = body.width - placeholders
        table.notes.append(
            (
                KvalitetTyp.KOLUMN_OSAKER,
                f"the rows carry {body.width} values but the header names only {named} columns",
                i + 1,
            )
        )
    table.text_cols = {k for k, lab in enumerate(labels) if TEXT_COLUMN_RE.search(lab)}
    return table


def _positional(row: RawRow, table: Table) -> list[Reading]:
    """The readings of a row with exactly one cell per column, text cells in text columns only."""
    n_all = len(table.cols)
    return [
        o
        for o in readings(row.items, True)
        if len(o) == n_all
        and all(isinstance(c, Word) == (k in table.text_cols) or isinstance(c, Gap) for k, c in enumerate(o))
    ]


def _exact_readings(value_rows: list[RawRow], table: Table) -> dict[int, list[Reading]]:
    """The positional readings per row, when runs of spaces mark the empty cells: every row that shows a gap has
    one cell per column (and some row does). Empty when the table must be read by evidence instead."""
    exact: dict[int, list[Reading]] = {}
    gap_rows = 0
    for idx, r in enumerate(value_rows):
        opts = _positional(r, table)
        if any(isinstance(it, Gap) for it in r.items):
            if not opts:
                return {}
            gap_rows += 1
        if opts:
            exact[idx] = opts
    return exact if gap_rows else {}


def _value_counts(flex: list[list[Reading]]) -> tuple[list[int], list[int]]:
    """Per row, the values of its only count of values (rows read one way), and its fewest values."""
    unambiguous: list[int] = []
    greedy: list[int] = []
    for opts in flex:
        counts = {_amounts(o) for o in opts}
        if counts:
            greedy.append(min(counts))
            if len(counts) == 1:
                unambiguous.append(next(iter(counts)))
    return unambiguous, greedy


def _value_columns(body: _Body, table: Table, exact: bool) -> _Columns:
    """The numeric width: the table's row width less its text columns; rows printing fewer values leave cells
    empty, noted unless runs of spaces show which."""
    labels = table.cols
    numeric = [k for k in range(len(labels)) if k not in table.text_cols]
    unambiguous, greedy = _value_counts(body.flex)
    width = min(max(body.width - len(table.text_cols), 0) or max(unambiguous or greedy or [0]), len(numeric))
    drop = _drop_order(labels, numeric)
    active = [c for c in numeric if c not in drop[: len(numeric) - width]]
    if width < len(numeric) and not exact:
        _note_assumed_empty(table, numeric, active)
    return _Columns(labels, numeric, drop, active, width)


def _note_assumed_empty(table: Table, numeric: list[int], active: list[int]) -> None:
    dropped = [table.cols[c] for c in numeric if c not in active]
    table.notes.append(
        (
            KvalitetTyp.KOLUMN_OSAKER,
            f"the rows print {len(active)} values but the table has {len(numeric)} value columns; "
            f"assuming {', '.join(repr(d) for d in dropped)} empty",
            table.header_idx + 1,
        )
    )


def _cell_columns(reading: Reading, cols: list[int]) -> list[int]:
    it = iter(cols)
    return [next(it, -1) if isinstance(c, Amount) else -1 for c in reading]


def _flex_plan(row: RawRow, opts: list[Reading], cols: _Columns, table: Table) -> _Plan:
    """A row read by evidence: the readings with the count of values nearest the table's width, placed in the
    columns such a row fills."""
    by_count: dict[int, list[Reading]] = {}
    for o in opts:
        by_count.setdefault(_amounts(o), []).append(o)
    if not by_count:
        return _Plan([], [])
    lo, hi = min(by_count), max(by_count)
    target = cols.width if lo <= cols.width <= hi else (lo if lo > cols.width else hi)
    chosen = by_count[target]
    placed, why = _flex_columns(row.label, target, cols.active, cols.numeric, cols.drop, cols.labels)
    if target > len(cols.numeric):
        table.warnings.append(f"line {row.rad}: more values ({target}) than columns ({len(cols.numeric)})")
    return _Plan(chosen, [_cell_columns(o, placed) for o in chosen], why)


def _plans(body: _Body, table: Table, exact: dict[int, list[Reading]], cols: _Columns) -> list[_Plan]:
    n_all = len(table.cols)
    plans: list[_Plan] = []
    for idx, r in enumerate(body.value_rows):
        if idx in exact:
            plans.append(_Plan(exact[idx], [list(range(n_all))] * len(exact[idx])))
        elif idx in body.placed and len(cols.active) == body.width:  # the sums place its values
            reading = body.flex[idx][0]
            plans.append(_Plan([reading], [_cell_columns(reading, [cols.active[c] for c in body.placed[idx]])]))
        else:
            plans.append(_flex_plan(r, body.flex[idx], cols, table))
    return plans


def _medians(plans: list[_Plan]) -> dict[int, float]:
    """The median magnitude per column of the rows read only one way."""
    per_col: dict[int, list[float]] = {}
    for p in plans:
        if len(p.options) != 1:
            continue
        for cell, col in zip(p.options[0], p.cols_of[0], strict=True):
            if isinstance(cell, Amount) and col >= 0:
                per_col.setdefault(col, []).append(_magnitude(cell.value))
    return {c: median(v) for c, v in per_col.items()}


def _row(raw: RawRow, plan: _Plan, medians: dict[int, float], n_all: int) -> Row:
    row = Row(raw.label, raw.rad, osaker=plan.why)
    if plan.options:
        k = _choose(plan.options, plan.cols_of, medians)
        for cell, col in zip(plan.options[k], plan.cols_of[k], strict=True):
            if isinstance(cell, Amount) and 0 <= col < n_all:
                row.cells.append(Cell(col, cell.value, cell.raw, cell.percent))
    return row


def _fill(table: Table, rows: list[RawRow], plans: list[_Plan]) -> None:
    """The table's rows: each value row in the reading that best fits the magnitudes of its columns."""
    medians = _medians(plans)
    n_all = len(table.cols)
    plan_of = iter(plans)
    for r in rows:
        if r.group:
            table.rows.append(Row(r.label, r.rad, group=True))
            continue
        plan = next(plan_of)
        table.rows.append(_row(r, plan, medians, n_all))
        if plan.why:
            table.notes.append((KvalitetTyp.KOLUMN_OSAKER, f"{r.label or '(no label)'}: {plan.why}", r.rad))


def parse_layout_table(lines: Sequence[str], i: int, stop: int, tsc: bool) -> Table | None:
    """The table whose header starts at line i, or None when no header starts there or no rows follow it."""
    body = _read_body(lines, i, stop, tsc)
    if body is None:
        return None
    _settle_by_sums(body)
    table = _new_table(body, i)
    exact = _exact_readings(body.value_rows, table)
    cols = _value_columns(body, table, bool(exact))
    _fill(table, body.rows, _plans(body, table, exact, cols))
    return table
