"""A PDF report → the TABBED text form the parser reads, with the page on which each line starts.

The output has one line per paragraph or heading, one line per table row with a TAB between its cells,
and a blank line after each paragraph and table. Page furniture and repeated table headers are left out.
Each page after the first begins with a form feed (as pdftotext does): the parser ignores it, so the line
numbers the parser records (`rad`) are lines of this text, and `page_starts` tells the page of any line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.pdf.furniture import drop_furniture
from malbas.etl.pdf.joining import Vocabulary, join_lines
from malbas.etl.pdf.lines import Line, blocks, leading_by_size, make_lines, split_segments
from malbas.etl.pdf.reader import Page, read_pages
from malbas.etl.pdf.settings import CELL_GAP, PAGES
from malbas.etl.pdf.tables import (
    Block,
    Table,
    TablePart,
    build,
    cell_texts,
    doubts,
    grow_table,
    gutters,
    repeats_header,
)
from malbas.etl.read.reading import Doubt

_BULLET_RE = re.compile(r"^[•◦▪■\-–*]$")
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(slots=True)
class Extraction:
    text: str
    page_starts: list[int]  # 1-based line of the text on which each page begins
    doubts: list[Doubt] = field(default_factory=list)  # rows whose reading the geometry puts in doubt


@dataclass(slots=True)
class _Paragraph:
    page: int
    lines: list[Line]

    def text(self, vocabulary: Vocabulary) -> str:
        left = min(line.x0 for line in self.lines)
        right = max(line.x1 for line in self.lines)
        return join_lines([line.words for line in self.lines], left, right, vocabulary)

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def bold(self) -> bool:
        return all(line.bold for line in self.lines)


def _heading_levels(paragraphs: Sequence[_Paragraph]) -> dict[float, int]:
    """Markdown heading levels (1–3) of the font sizes set larger than the body text, largest first, as the
    tabbed form marks them ('## …'). The body is the size most of the prose is set in; a bold line of that
    size is an aside or a label, not a heading of the outline."""
    chars: Counter[float] = Counter()
    for paragraph in paragraphs:
        for line in paragraph.lines:
            chars[line.size] += len(line.text)
    if not chars:
        return {}
    body = chars.most_common(1)[0][0]
    sizes = sorted({p.size for p in paragraphs if p.bold and p.size > body + PAGES.heading}, reverse=True)
    return {size: min(rank + 1, PAGES.heading_levels) for rank, size in enumerate(sizes)}


def _starts_item(line: Line, above: Line) -> bool:
    """Inside a block of prose: a heading line next to body text, a bullet, or a line set further left."""
    if line.bold != above.bold:
        return True
    if _BULLET_RE.match(line.words[0].text) and len(line.words) > 1:
        return True
    return line.x0 < above.x0 - PAGES.outdent * line.size


def _paragraphs(page: int, block: Block) -> list[_Paragraph]:
    out = [_Paragraph(page, [block[0]])]
    for line in block[1:]:
        if _starts_item(line, out[-1].lines[-1]):
            out.append(_Paragraph(page, [line]))
        else:
            out[-1].lines.append(line)
    return out


def _page_items(
    page: Page, page_blocks: Sequence[Block], leading: dict[float, float], continued: TablePart | None
) -> list[_Paragraph | TablePart]:
    items: list[_Paragraph | TablePart] = []
    i = 0
    while i < len(page_blocks):
        if any(len(line.segments) > 1 for line in page_blocks[i]):
            end = grow_table(page_blocks, i, leading, continued)
            if end > i:
                items.append(TablePart(page.number, list(page_blocks[i:end]), page.rules))
                i = end
                continue
        items.extend(_paragraphs(page.number, page_blocks[i]))
        i += 1
    return items


def _continues_paragraph(before: _Paragraph, after: _Paragraph) -> bool:
    """A paragraph cut by a page break: same font, and the text goes on in lower case mid-sentence."""
    last, first = before.lines[-1], after.lines[0]
    return (
        abs(last.size - first.size) < PAGES.same_size
        and last.bold == first.bold
        and not last.text.endswith(_SENTENCE_END)
        and first.words[0].text[:1].islower()
    )


def _document(pages_items: Sequence[list[_Paragraph | TablePart]]) -> list[_Paragraph | Table]:
    """Items of all pages in reading order, with tables and paragraphs continued over page breaks."""
    out: list[_Paragraph | Table] = []
    for items in pages_items:
        for k, item in enumerate(items):
            previous = out[-1] if out else None
            if k > 0 or not _goes_on(previous, item):
                out.append(Table([item]) if isinstance(item, TablePart) else item)
    return out


def _goes_on(previous: _Paragraph | Table | None, item: _Paragraph | TablePart) -> bool:
    """Whether the first item of a page continues the last of the page before (taken into it if so): a table
    whose header the page repeats, or a paragraph cut mid-sentence."""
    if isinstance(item, TablePart):
        if isinstance(previous, Table) and repeats_header(previous, item):
            previous.parts.append(item)
            return True
        return False
    if isinstance(previous, _Paragraph) and _continues_paragraph(previous, item):
        previous.lines.extend(item.lines)
        return True
    return False


def _items(pages: Sequence[Page]) -> tuple[list[_Paragraph | Table], Vocabulary]:
    """The document's paragraphs and tables in reading order, and the words it prints whole."""
    lines = drop_furniture(pages, [make_lines(page.words) for page in pages])
    split_segments(lines)
    leading = leading_by_size(lines)
    page_blocks = [blocks(page_lines, leading, page.rules) for page, page_lines in zip(pages, lines, strict=True)]
    return _document(_pages_items(pages, page_blocks, leading)), _vocabulary(page_blocks)


def _vocabulary(page_blocks: Sequence[list[Block]]) -> Vocabulary:
    """The words the document prints whole, from the cells of all its blocks."""
    return Vocabulary(
        [[seg.words for seg in line.segments] for line in block] for on_page in page_blocks for block in on_page
    )


def _pages_items(
    pages: Sequence[Page], page_blocks: Sequence[list[Block]], leading: dict[float, float]
) -> list[list[_Paragraph | TablePart]]:
    """Each page's paragraphs and table parts; a page's first table part is read knowing the part that ended
    the page before (it may be the same table's continuation)."""
    pages_items: list[list[_Paragraph | TablePart]] = []
    for page, on_page in zip(pages, page_blocks, strict=True):
        last = pages_items[-1][-1] if pages_items and pages_items[-1] else None
        continued = last if isinstance(last, TablePart) else None
        pages_items.append(_page_items(page, on_page, leading, continued))
    return pages_items


@dataclass(slots=True)
class _Text:
    """The tabbed text as it is written: its lines, the page each comes from, the reader's doubts."""

    lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)

    def emit(self, text: str, page: int) -> None:
        self.lines.append(text)
        self.pages.append(page)

    def write(self, items: Sequence[_Paragraph | Table], vocabulary: Vocabulary) -> None:
        tables = [item for item in items if isinstance(item, Table)]
        for table in tables:
            build(table)
        cell_gap = _cell_gap(tables)
        levels = _heading_levels([item for item in items if isinstance(item, _Paragraph)])
        for item in items:
            if isinstance(item, Table):
                self._table(item, cell_gap, vocabulary)
            elif item.bold and item.size in levels:
                self.emit(f"{'#' * levels[item.size]} {item.text(vocabulary)}", item.page)
            else:
                self.emit(item.text(vocabulary), item.page)
            self.emit("", self.pages[-1])

    def _table(self, table: Table, cell_gap: float, vocabulary: Vocabulary) -> None:
        for row in table.rows:
            self.emit("\t".join(cell_texts(table, row, cell_gap, vocabulary)), row.page)
            if doubt := doubts(table, row):
                self.doubts.append(Doubt(len(self.lines), *doubt))

    def page_starts(self, pages: int) -> list[int]:
        """The first line that comes from each page; a page whose text all continues the one before starts
        where the next page's text does, and the first page at line 1."""
        starts: list[int] = []
        for number in range(1, pages + 1):
            first = next((i + 1 for i, p in enumerate(self.pages) if p >= number), len(self.lines) + 1)
            starts.append(1 if number == 1 else max(first, starts[-1]))
        return starts


def extract(data: bytes) -> Extraction:
    """The tabbed text of a PDF report. Raises PdfError for PDFs that cannot be read."""
    pages = read_pages(data)
    items, vocabulary = _items(pages)
    text = _Text()
    text.write(items, vocabulary)
    starts = text.page_starts(len(pages))
    return Extraction(_with_page_marks(text.lines, starts), starts, text.doubts)


def _cell_gap(tables: Sequence[Table]) -> float:
    """The space a report leaves between two cells (twice its padding). Where a column is filled to its edge
    the gutter beside it is that space, so the narrowest gutters of the report's tables of several rows
    agree on it; one table narrower than the rest (a cell its text overflows) is left out."""
    narrowest = sorted(
        min(gaps) for table in tables if len(table.rows) >= CELL_GAP.table_rows and (gaps := gutters(table))
    )
    for k, low in enumerate(narrowest):
        agreeing = [gap for gap in narrowest[k:] if gap <= CELL_GAP.factor * low + CELL_GAP.points]
        if len(agreeing) >= CELL_GAP.agreeing:
            return agreeing[len(agreeing) // 2]
    return narrowest[0] if narrowest else 0.0


def _with_page_marks(lines: list[str], starts: Sequence[int]) -> str:
    marked = list(lines)
    while len(marked) < starts[-1]:
        marked.append("")
    for start in starts[1:]:
        marked[start - 1] = "\f" + marked[start - 1]
    return "\n".join(marked) + "\n"
