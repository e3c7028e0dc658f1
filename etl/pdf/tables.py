"""Tables read by geometry.

A table starts at a block with more than one segment on a line (cells side by side) and takes the blocks
below it (its rows) while they keep its font size and its row spacing. Its columns are the bands of the
page that its cells cover: the union of the cell segments of all its rows, on every page it runs over,
so an empty cell is simply a column in which a row has no words. A row whose text runs across column
boundaries (the Analys under an indicator or an activity) is one full-width cell.

A table that runs over a page break repeats its header at the top of the next page: those rows are
dropped, and when the row that ended the page was cut in two (its tail lacks a cell every row has, or
goes on in lower case), the two parts are joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from malbas.etl.pdf.columns import Columns, cell_edges, find_columns, multi
from malbas.etl.pdf.joining import Vocabulary, join_lines
from malbas.etl.pdf.lines import Line, Segment
from malbas.etl.pdf.reader import Rule, Word
from malbas.etl.pdf.settings import LINES, TABLES

Block = list[Line]


@dataclass(slots=True)
class Row:
    page: int
    lines: Block
    spanning: bool = False
    cells: list[list[list[Word]]] = field(default_factory=list)  # per column: the words of each line
    crossing: list[Word] = field(default_factory=list)  # words that run over the gutter between two columns
    misplaced: list[tuple[Word, str]] = field(default_factory=list)  # figures under another column's heading

    def filled(self) -> set[int]:
        return {k for k, lines in enumerate(self.cells) if lines}

    def first_word(self) -> Word | None:
        for lines in self.cells:
            if lines:
                return lines[0][0]
        return None


@dataclass(slots=True)
class TablePart:
    page: int
    blocks: list[Block]
    rules: list[Rule] = field(default_factory=list)  # the page's rules


@dataclass(slots=True)
class Table:
    parts: list[TablePart]
    rows: list[Row] = field(default_factory=list)
    columns: Columns = field(default_factory=lambda: Columns([], []))

    @property
    def bands(self) -> list[tuple[float, float]]:
        return self.columns.bands

    @property
    def left(self) -> float:
        return self.bands[0][0]

    @property
    def right(self) -> float:
        return self.bands[-1][1]


def grow_table(
    blocks: Sequence[Block], start: int, leading: dict[float, float], continued: TablePart | None = None
) -> int:
    """Index just past the rows of the table whose first block is blocks[start] (start itself when the
    blocks there are not a table). Cells side by side on two lines make a table; so does one line of
    three cells or more (a header left alone at the foot of a page) or one at the top of a page (the
    repeated header above the tail of a row). The table ends where the spacing grows beyond its rows'
    spacing, the font size changes, or its header comes again (the next table, laid out anew).
    `continued` is the part of a table that ended the page before, if any."""
    end = _rows_end(blocks, start, leading, continued)
    return end if _makes_table(blocks, start, end) else start


def _rows_end(blocks: Sequence[Block], start: int, leading: dict[float, float], continued: TablePart | None) -> int:
    """Index just past the blocks that keep the font size and the row spacing of blocks[start]."""
    size = blocks[start][0].size
    spacing = leading.get(size, LINES.leading * size)
    before = _continued_blocks(blocks, start, continued)
    end = start + 1
    closest: float | None = None  # the smallest distance between two rows so far
    while end < len(blocks) and not _other_table(blocks[end], blocks[start], size):
        gap = blocks[end][0].baseline - blocks[end - 1][-1].baseline
        if gap > _row_gap_allowed(blocks, start, end, before, _allowed_gap(spacing, size, closest)):
            break
        closest = gap if closest is None else min(closest, gap)
        end += 1
    return end


def _continued_blocks(blocks: Sequence[Block], start: int, continued: TablePart | None) -> list[Block] | None:
    """The blocks of the part that ended the page before, if blocks[start] tops the page with its header (the
    table goes on here); None otherwise."""
    if start == 0 and continued is not None and signature(blocks[start]) == signature(continued.blocks[0]):
        return list(continued.blocks)
    return None


def _row_gap_allowed(
    blocks: Sequence[Block], start: int, end: int, before: list[Block] | None, allowed: float
) -> float:
    """The gap allowed above blocks[end]. A row set in the table's columns belongs to it though its spacing
    varies (a cell with an empty last line, an Analys row); at the top of a continued page (`before` given)
    the row cut by the break keeps the height it had left, so any gap is the table's own."""
    if end > start + 1 and _fits(blocks[end], [*(before or []), *blocks[start:end]]):
        return float("inf") if before is not None else TABLES.fitting * allowed
    return allowed


def _other_table(block: Block, first: Block, size: float) -> bool:
    """A block in another font size, or the table's header again (the next table, laid out anew)."""
    return any(abs(line.size - size) >= TABLES.same_size for line in block) or signature(block) == signature(first)


def _allowed_gap(spacing: float, size: float, closest: float | None) -> float:
    if closest is None:
        return spacing + TABLES.first_gap * size
    return max(TABLES.growth * closest, closest + TABLES.slack * size)


def _makes_table(blocks: Sequence[Block], start: int, end: int) -> bool:
    """Blocks with cells side by side on two lines, or on one line of three cells or more (a header left alone
    at the foot of a page) or at the top of a page, in two columns or more."""
    multi = [line for b in blocks[start:end] for line in b if len(line.segments) > 1]
    if len(find_columns([blocks[start:end]], _header(blocks[start:end]), ()).bands) < 2:
        return False
    return len(multi) >= 2 or bool(multi and (start == 0 or len(multi[0].segments) >= 3))


def _starts_as_row(block: Block, above: Sequence[Block]) -> bool:
    left = min(line.x0 for line in block)
    return any(abs(left - min(line.x0 for line in b)) < TABLES.aligned for b in above)


def _aligned(cells: Sequence[Segment], above: Sequence[Block]) -> int:
    """How many of the cells start or end where a cell above does."""
    edges = [
        x for b in above for line in b if len(line.segments) > 1 for seg in line.segments for x in (seg.x0, seg.x1)
    ]
    return sum(
        any(abs(seg.x0 - x) < TABLES.aligned or abs(seg.x1 - x) < TABLES.aligned for x in edges) for seg in cells
    )


def _fits(block: Block, above: Sequence[Block]) -> bool:
    """Whether `block` is a row of the table made of the blocks `above`: it starts where a row above starts,
    and most of its cells start or end where cells above do. Below rows of figures or text, a row of several
    cells without a figure on its first line is not taken this way (it may head the next table)."""
    if not _starts_as_row(block, above):
        return False
    cells = _cells_right_of_name(block)
    if not cells:
        return True
    # Only header rows so far (cells side by side, no figures): one more header row may follow, in the same
    # columns to the point.
    heading = _only_header_rows(above)
    if not heading and not _figure_on_first_line(block):
        return False  # a row's figures stand on its first line; a header's never do
    aligned = _aligned(cells, above)
    return aligned == len(cells) if heading else 2 * aligned >= len(cells)


def _cells_right_of_name(block: Block) -> list[Segment]:
    """The cells of a block's lines of several cells, the first cell (a row's name) left out."""
    return [seg for line in block if len(line.segments) > 1 for seg in line.segments[1:]]


def _only_header_rows(blocks: Sequence[Block]) -> bool:
    """Whether every block has cells side by side and no figure: header rows only."""
    return all(multi(b) and not _figures(b) for b in blocks)


def _figure_on_first_line(block: Block) -> bool:
    """Whether a cell right of the first on the block's first line starts with a figure."""
    return any(seg.text[:1] in _FIGURE_START for seg in block[0].segments[1:])


def _figures(block: Block) -> bool:
    """Whether a block holds a value: a figure in a cell right of the first (a row's name) that is not a year
    alone (headers name years). Rows set in the middle of their height may have a line of values only."""
    left = min(line.x0 for line in block)
    return any(
        seg.x0 > left + TABLES.aligned and seg.text[:1] in _FIGURE_START and not _YEAR_RE.match(seg.text)
        for line in block
        for seg in line.segments
    )


_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def _header(blocks: Sequence[Block]) -> list[Block]:
    """The header rows: the first row, and the rows after it that hold no figure (economy tables head
    their columns on two or three rows)."""
    out = [blocks[0]]
    for block in blocks[1:]:
        if any(seg.text[:1] in _FIGURE_START for line in block for seg in line.segments):
            break
        out.append(block)
    return out


_FIGURE_START = set("0123456789-−+")


def _row(page: int, block: Block, columns: Columns) -> Row:
    """A row's words by column. A block of one run of text across a gutter is one full-width cell."""
    row = Row(page, block, cells=[[] for _ in columns.bands])
    crossing = [w for line in block for w in columns.crosses(line)]
    if crossing and not multi(block):
        row.spanning = True
        row.cells[0] = [list(line.words) for line in block]
        return row
    row.crossing = crossing
    for line in block:
        placed: dict[int, list[Word]] = {}
        for word in line.words:
            placed.setdefault(columns.column(word), []).append(word)
        for k, words in placed.items():
            row.cells[k].append(words)
    return row


def signature(block: Block) -> str:
    """A block's text without its spaces: a repeated header is known though the word spaces read differ."""
    return re.sub(r"\s+", "", " ".join(line.text for line in block)).lower()


# A row-level comment opens a row of its own: it never continues the row cut by a page break.
_COMMENT_RE = re.compile(r"^analys\b", re.IGNORECASE)


def _full_line(row: Row, word: Word, right: float) -> bool:
    """Whether `word` would not have fitted after the last line of the row's first cell, its column's text
    reaching `right`."""
    last = row.cells[0][-1]
    return last[-1].x1 + TABLES.word_space * word.size + (word.x1 - word.x0) > right


def _figure_under_figure(previous: Row, row: Row) -> bool:
    """A figure below a figure in one column: a row of its own (a cut cell goes on with its unit or its words)."""
    return any(
        previous.cells[k][-1][-1].text[-1:].isdigit() and row.cells[k][0][0].text[:1] in _FIGURE_START
        for k in row.filled() & previous.filled()
    )


def _tail_in_cells(previous: Row, row: Row, required: set[int], lower: bool, first: Word, right: float) -> bool:
    """A tail in the cells of the row that ended the page: it goes on in lower case, or lacks a cell every row
    has. Where too few rows show which cells every row has: a first cell alone goes on from the row above if
    that row's first cell ended in a full line (a line wraps only where the next word does not fit)."""
    missing = required - row.filled()
    if lower or bool(missing and missing <= previous.filled()):
        return True
    return row.filled() == {0} and len(previous.filled()) > 1 and _full_line(previous, first, right)


def _continues(previous: Row, row: Row, required: set[int], right: float = float("inf")) -> bool:
    """Whether `row`, the first row after a page break, is the tail of `previous`, the row that ended the page.
    A full-width text goes on in lower case. A row goes on in lower case, or lacks a cell that every other
    row of the table has; or, where a producer moves each cell's overflow to the next page on its own, the
    head lacks cells every row has and the tail brings them."""
    first = row.first_word()
    if first is None or _COMMENT_RE.match(first.text):
        return False
    lower = first.text[:1].islower() or first.text[:1].isdigit()
    if previous.spanning:
        return lower and (row.spanning or row.filled() <= {0})
    if row.spanning or _figure_under_figure(previous, row):
        return False
    if row.filled() <= previous.filled():
        return _tail_in_cells(previous, row, required, lower, first, right)
    return _brings_lacking_cells(previous, row, required, lower)


def _brings_lacking_cells(previous: Row, row: Row, required: set[int], lower: bool) -> bool:
    """A producer that moves each cell's overflow to the next page on its own: the head lacks cells every row
    has and the tail brings them (going on in lower case, or without a first cell)."""
    lacking = required - previous.filled()
    return bool(lacking) and lacking <= row.filled() and (lower or 0 not in row.filled())


def _join(previous: Row, row: Row) -> None:
    for k, lines in enumerate(row.cells):
        previous.cells[k].extend(lines)


def _repeated_header(blocks: Sequence[Block], header: Sequence[str]) -> int:
    """How many of a later part's first blocks repeat the header (a row at least is left)."""
    repeated = 0
    while repeated < min(len(header), len(blocks) - 1) and signature(blocks[repeated]) == header[repeated]:
        repeated += 1
    return repeated


def _part_rows(table: Table) -> tuple[list[list[Row]], int]:
    """Each part's rows, repeated headers dropped, and how many rows the header takes."""
    header = [signature(b) for b in table.parts[0].blocks[:3]]
    header_rows = 1
    parts: list[list[Row]] = []
    for k, part in enumerate(table.parts):
        repeated = _repeated_header(part.blocks, header) if k > 0 else 0
        header_rows = max(header_rows, repeated)
        parts.append([_row(part.page, b, table.columns) for b in part.blocks[repeated:]])
    return parts, header_rows


def _required_cells(parts: list[list[Row]], header_rows: int) -> set[int]:
    """The cells every row has, from the rows no page break touches. Rows of one cell (comments, group labels)
    say nothing about which cells every row has."""
    steady = [r for r in _untouched_rows(parts)[header_rows:] if len(r.filled()) > 1]
    return set.intersection(*(r.filled() for r in steady)) if len(steady) >= 2 else set()


def _untouched_rows(parts: list[list[Row]]) -> list[Row]:
    """The rows, in order, that are neither full-width nor next to a page break (a cut row may lack cells)."""
    edges = _break_rows(parts)
    return [r for rows in parts for r in rows if not r.spanning and id(r) not in edges]


def _break_rows(parts: list[list[Row]]) -> set[int]:
    """The ids of the rows on either side of a page break: each part's last row and the next part's first."""
    return {id(rows[0]) for rows in parts[1:] if rows} | {id(rows[-1]) for rows in parts[:-1] if rows}


def build(table: Table) -> None:
    """Columns and rows of a table from its parts: repeated headers dropped, rows cut by a page break joined."""
    first = table.parts[0]
    ruled = [edge for part in table.parts for edge in _edges(part)]
    table.columns = find_columns([part.blocks for part in table.parts], _header(first.blocks), ruled)
    parts, header_rows = _part_rows(table)
    required = _required_cells(parts, header_rows)
    table.rows = list(parts[0])
    right = table.bands[1][0] if len(table.bands) > 1 else table.bands[0][1]
    for rows in parts[1:]:
        if rows and len(table.rows) > header_rows and _continues(table.rows[-1], rows[0], required, right):
            _join(table.rows[-1], rows.pop(0))
        table.rows.extend(rows)
    headings = _headings(_header(first.blocks), table.columns)
    for row in table.rows[header_rows:]:
        row.misplaced = _misplaced(row, headings)


def _headings(header: Sequence[Block], columns: Columns) -> list[tuple[float, float, int, str]]:
    """The header cells that head one column each: their extent, column and text."""
    out = []
    for block in header:
        for line in block:
            for seg in line.segments:
                ks = {columns.column(w) for w in seg.words}
                if len(ks) == 1:
                    out.append((seg.x0, seg.x1, ks.pop(), seg.text))
    return out


def _misplaced(row: Row, headings: Sequence[tuple[float, float, int, str]]) -> list[tuple[Word, str]]:
    """Figures of a row read into one column that stand under the heading of another (a value set so close to
    a name that no gutter showed between them): the reading the text gives is not to be trusted."""
    if row.spanning:
        return []
    out = []
    for k, w in _figures_by_cell(row):
        under = _headings_over(w, headings)
        if under and all(j != k for j, _ in under):
            out.append((w, sorted(under)[0][1]))
    return out


def _figures_by_cell(row: Row) -> Iterator[tuple[int, Word]]:
    """The row's words that hold a digit, each with the index of the cell it was read into."""
    for k, lines in enumerate(row.cells):
        for words in lines:
            yield from ((k, w) for w in words if _FIGURE_RE.search(w.text))


def _headings_over(word: Word, headings: Sequence[tuple[float, float, int, str]]) -> set[tuple[int, str]]:
    """The column and text of each heading whose extent holds the middle of `word`."""
    middle = (word.x0 + word.x1) / 2
    return {(j, text) for x0, x1, j, text in headings if x0 <= middle <= x1}


_FIGURE_RE = re.compile(r"\d")


def _edges(part: TablePart) -> list[Rule]:
    lines = [line for block in part.blocks for line in block]
    top, bottom = min(line.top for line in lines), max(line.bottom for line in lines)
    return cell_edges(part.rules, top, bottom, min(line.x0 for line in lines), max(line.x1 for line in lines))


def repeats_header(table: Table, part: TablePart) -> bool:
    """Whether a table part at the top of a page starts with the header of `table` (its continuation): the
    same words in the same places (another table may head its columns alike but lay them out anew)."""
    first = table.parts[0].blocks
    if not part.blocks or not first or signature(part.blocks[0]) != signature(first[0]):
        return False
    here, there = _cell_starts(part.blocks[0]), _cell_starts(first[0])
    return len(here) == len(there) and all(abs(a - b) < TABLES.aligned for a, b in zip(here, there, strict=True))


def _cell_starts(block: Block) -> list[float]:
    return [seg.x0 for seg in block[0].segments]


def gutters(table: Table) -> list[float]:
    return [b[0] - a[1] for a, b in zip(table.bands, table.bands[1:], strict=False)]


def doubts(table: Table, row: Row) -> tuple[str, tuple[str, ...]] | None:
    """Why a row's reading is in doubt, and its figures that may stand in the wrong cell; None if it is not."""
    reasons: list[str] = []
    figures: list[str] = []
    for doubt in (_overprint_doubt(row), _crossing_doubt(row), *_misplaced_doubts(row)):
        if doubt is not None:
            reasons.append(doubt[0])
            figures += doubt[1]
    return ("; ".join(reasons), tuple(figures)) if reasons else None


def _overprint_doubt(row: Row) -> tuple[str, list[str]] | None:
    """Text printed over other text (a cell's content overflowing into the next): no reading is certain, so
    every figure of the row is in doubt."""
    overlaid = [
        b
        for line in row.lines
        for a, b in zip(line.words, line.words[1:], strict=False)
        if b.x0 < a.x1 - TABLES.overprint
    ]
    if not overlaid:
        return None
    figures = [w.text for line in row.lines for w in line.words if _FIGURE_RE.search(w.text)]
    return f"text is printed over other text ('{overlaid[0].text}')", figures


def _crossing_doubt(row: Row) -> tuple[str, list[str]] | None:
    """Text running over a gutter: the figures among it may belong to either column."""
    if not row.crossing:
        return None
    words = " ".join(w.text for w in row.crossing[:3])
    figures = [w.text for w in row.crossing if _FIGURE_RE.search(w.text)]
    return f"text runs over the edge between two columns ('{words}')", figures


def _misplaced_doubts(row: Row) -> list[tuple[str, list[str]]]:
    """Figures standing under another column's heading than the cell they were read into."""
    return [
        (f"the figure '{word.text}' stands under the heading '{heading}' but was read into another cell", [word.text])
        for word, heading in row.misplaced
    ]


def cell_texts(table: Table, row: Row, cell_gap: float, vocabulary: Vocabulary | None = None) -> list[str]:
    """The row's cells as text. A column's text may reach up to `cell_gap` (the padding between two cells)
    before the next column's band; knowing that edge tells a word cut at it from a line wrapped at a space."""
    if row.spanning:
        return [join_lines(row.cells[0], table.left, table.right, vocabulary)] + [""] * (len(table.bands) - 1)
    texts = []
    for k, lines in enumerate(row.cells):
        left, right = table.bands[k]
        if k + 1 < len(table.bands):
            right = max(right, table.bands[k + 1][0] - cell_gap)
        texts.append(join_lines(lines, left, right, vocabulary))
    return texts
