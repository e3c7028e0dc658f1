"""What the economy tables say against themselves: totals against the rows above them, sub-tables against the
main table. A disagreement is a quality note; numbers are never changed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from malbas.etl.parse.economy.model import TOTAL_RE, VARAV_RE, Cell, Row, Table
from malbas.etl.parse.numbers import decimals
from malbas.etl.parse.records import QualityNote
from malbas.vocabulary import KvalitetTyp


def _close(total: Cell, parts: Sequence[Cell]) -> bool:
    """Equal within rounding: 1.5 units of the coarsest printed precision (integers such as '8' among
    one-decimal cells do not make the whole column coarse)."""
    places = [decimals(c.raw) for c in parts if decimals(c.raw)]
    digits = decimals(total.raw)
    if places:
        digits = min(digits, min(places)) if digits else min(places)
    return abs(sum(c.value for c in parts) - total.value) <= 1.5 * 10**-digits + 1e-9


def _same(a: Cell, b: Cell) -> bool:
    """Equal as printed ('9' and '9,0' are the same; 285,7 and 285,8 are not)."""
    digits = min(decimals(a.raw), decimals(b.raw))
    return abs(a.value - b.value) < 0.5 * 10**-digits + 1e-9


def _column(rows: list[Row], col: int) -> list[Cell]:
    return [c for x in rows for c in x.cells if c.col == col and not c.percent]


def _total_notes(
    table: Table, name: str, total: Row, since: list[Row], everything: list[Row], prev: Row | None
) -> list[QualityNote]:
    """A total row's money cells against the rows since the last total, or those and the last total, or all the
    rows above it."""
    notes: list[QualityNote] = []
    for cell in total.cells:
        parts = [] if cell.percent else _column(since, cell.col)
        if not parts:
            continue
        candidates = [parts]
        if prev is not None:
            candidates += [parts + _column([prev], cell.col), _column(everything, cell.col)]
        if any(_close(cell, cand) for cand in candidates):
            continue
        added = sum(c.value for c in parts)
        notes.append(
            QualityNote(
                typ=KvalitetTyp.SUMMA_AVVIKER,
                meddelande=(
                    f"{name}: the column '{table.cols[cell.col]}' adds up to {added:.3f}".rstrip("0").rstrip(".")
                    + f" but the row '{total.label}' says {cell.raw}"
                ),
                rad=total.rad,
            )
        )
    return notes


def check_sums(table: Table, name: str) -> list[QualityNote]:
    """Summa/Totalt rows against the top-level rows above them (varav rows excluded). A later total may
    also add the previous total ('Summa efter resultatöverföring' = 'Summa före' + resultatfond rows)."""
    notes: list[QualityNote] = []
    since: list[Row] = []
    everything: list[Row] = []
    prev: Row | None = None
    for r in table.rows:
        if r.group or not r.cells or VARAV_RE.match(r.label):
            continue
        if not TOTAL_RE.match(r.label):
            since.append(r)
            everything.append(r)
            continue
        notes += _total_notes(table, name, r, since, everything, prev)
        prev = r
        since = []
    return notes


_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_KEY_CHAR = re.compile(r"[^a-zåäö0-9]")


def _key(text: str) -> str:
    text = _PARENTHESES.sub("", text.lower())
    text = VARAV_RE.sub("", text.strip())
    return _NOT_KEY_CHAR.sub("", text)


def _col_key(text: str) -> str:
    return _NOT_KEY_CHAR.sub("", text.lower())


def _main_table(keyed: list[dict[str, Row]], names: list[tuple[str, int | None]]) -> int | None:
    """The main table: the one whose rows name the most of the other tables' headings (then the most rows)."""
    heads = {_key(n) for n, _ in names}
    if len(keyed) < 2:
        return None
    main = max(range(len(keyed)), key=lambda k: (len(heads & set(keyed[k])), len(keyed[k])))
    return main if heads & set(keyed[main]) else None


def _row_notes(t: Table, name: str, r: Row, other: Row, main: Table, main_name: str) -> list[QualityNote]:
    """A sub-table's row against the main table's row of the same label, column by column label."""
    main_cols = {_col_key(c): k for k, c in enumerate(main.cols)}
    notes: list[QualityNote] = []
    for c in r.cells:
        col = main_cols.get(_col_key(t.cols[c.col]))
        match = next((x for x in other.cells if x.col == col), None)
        if col is None or match is None or _same(match, c):
            continue
        notes.append(
            QualityNote(
                typ=KvalitetTyp.TABELL_AVVIKER,
                meddelande=(
                    f"{name}: '{r.label}' {t.cols[c.col]} = {c.raw} but {main_name} gives {match.raw} for '{other.label}'"
                ),
                rad=r.rad,
            )
        )
    return notes


def compare_with_main(tables: list[Table], names: list[tuple[str, int | None]]) -> list[QualityNote]:
    """Per-verksamhetsområde tables against the main table: the same row (by label, or the sub-table's
    total by its heading) in a column with the same label must carry the same value."""
    keyed = [{_key(r.label): r for r in t.rows if r.cells} for t in tables]
    main = _main_table(keyed, names)
    if main is None:
        return []
    notes: list[QualityNote] = []
    for k, t in enumerate(tables):
        if k != main:
            notes += _table_notes(t, names[k][0], keyed[main], tables[main], names[main][0])
    return notes


def _table_notes(t: Table, name: str, main_rows: dict[str, Row], main: Table, main_name: str) -> list[QualityNote]:
    """A sub-table's rows against the main table's: by label, or its total by the sub-table's heading."""
    notes: list[QualityNote] = []
    for r in t.rows:
        other = main_rows.get(_key(name if TOTAL_RE.match(r.label) else r.label)) if r.cells else None
        if other is not None:
            notes += _row_notes(t, name, r, other, main, main_name)
    return notes
