"""The header of a layout economy table: where it ends, and how its text is cut into column labels.

A header is one or more blank-separated blocks, each starting with a column word such as Budget / Prognos /
Bokslut / Avvikelse, a unit ('Mnkr') or a short stub block; it ends at the first line carrying values or the
first block that is a row label (followed by its values). Its text is kept as pieces, each with the strength
of the column boundary before it (`Boundary`), so that the readers can cut it into as many columns as the
rows carry values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.economy.model import UNIT_RE, clean_column, clean_label, has_unit
from malbas.etl.parse.economy.settings import HEADER, Boundary
from malbas.etl.parse.economy.tokens import EMPTY_CELLS_AFTER, YEAR_RE, is_data_line, is_value_only
from malbas.etl.parse.text import join_wrapped, line_cache

# Words that start a column label in a header (capitalised; 'budgetjusteringar' in lower case continues one).
_HEAD_WORDS = (
    r"Budg\w*|Begärd\w*|Progno\w*|Bokslut\w*|Utfall\w*|Avvikelse\w*|Differens\w*|Varav\b"
    r"|Resultat(?=-|\s|öve|enheternas|enhetens|$)\S*|Beräkna[dt]\b|Har\b|Justerad\b|Förbrukat\w*|Ingående\b|Utgående\b"
    r"|Prestations\S*|Omslutnings\S*|Snitt\b|Ack\w*|Helår\w*|Planering\b|Period\w*|År\b"
    r"|Jan\w*|Feb\w*|Mar[s]?\b|Mars\b|Apr\w*|Maj\b|Jun\w*|Jul\w*|Aug\w*|Sep\w*|Okt\w*|Nov\w*|Dec\w*"
)
# Words that qualify the label before them when they share its line ("Budget 2020 Netto", "Utfall 2020
# Kostnader"), and start a column only where a cell begins (a block or a line of their own).
_QUALIFIER_WORDS = r"Kostnader\b|Intäkter\b|Netto\b|Brutto\b|Tertial\w*|Överskott\w*|Underskott\w*|T[12]\b|Inkl\w*"
KEYWORD_RE = re.compile(rf"(?<!\S)(?:{_HEAD_WORDS}|{_QUALIFIER_WORDS})")
_HEAD_RE = re.compile(rf"(?:{_HEAD_WORDS})")
_QUALIFIER_RE = re.compile(rf"(?:{_QUALIFIER_WORDS})")
# The first header cell names the row labels rather than a value column.
_STUB_RE = re.compile(
    r"^\(?(?:mnkr|mkr|tkr|kr)\b|^(?:verksamhet\w*|resultatenhet\w*|enhet\w*|konto\w*|objekt\w*|projekt\w*"
    r"|namn|antal\b|investering\w*|budgetjustering\w*|område\w*|typ\b|post\w*)",
    re.IGNORECASE,
)
_SECONDARY_RE = re.compile(r"(?:Snitt|Varav|Ack\w*|Helår\w*|Period\w*|År)\b")
_DATE_WORD = re.compile(r"^\d{4}-\d\d-\d\d$")
# Tokens that mark column text: a year, a percentage or sign convention, a unit, a date.
_COLUMN_TOKEN = re.compile(
    r"(?:19|20)\d\d|%|\(\s*[+-]|\b(?:mnkr|tkr|mkr)\b|\d{4}-\d\d-\d\d|\bja\s*/\s*nej\b", re.IGNORECASE
)


@dataclass(slots=True)
class Piece:
    """A fragment of header text and how surely a new column starts with it."""

    parts: list[str]  # line fragments as printed, each with its trailing space (none marks a mid-word break)
    strength: Boundary
    block: int = 0  # index of the header block it comes from


@dataclass(slots=True)
class Header:
    pieces: list[Piece]  # the header's text, the stub's first
    end: int  # index after the last header line
    blocks: list[tuple[int, bool]] = field(default_factory=list)  # (first line, reads as column text) per block

    def without_last_block(self) -> Header:
        """The header without its last block (a group row's label taken for a header cell)."""
        last = len(self.blocks) - 1
        return Header([p for p in self.pieces if p.block < last], self.blocks[last][0], self.blocks[:last])

    def strong_cells(self) -> int:
        return sum(1 for k, p in enumerate(self.pieces) if p.strength >= Boundary.SECONDARY or k == 0)


# ---------------------------------------------------------------- blocks


def _block_followed_by_values(lines: Sequence[str], j: int, stop: int) -> bool:
    while j < stop and lines[j].strip():
        j += 1
    while j < stop and not lines[j].strip():
        j += 1
    return j < stop and is_value_only(lines[j])


def _block_text(lines: Sequence[str], j: int, stop: int) -> str:
    """The block starting at line j as one text, words broken mid-word rejoined ('Resultatenh' + 'etens')."""
    k = j
    while k < stop and lines[k].strip() and k - j < HEADER.block_text_lines:
        k += 1
    return join_wrapped(lines[j:k], cells=True, trailing_space_convention=True)


def _next_block_start(lines: Sequence[str], i: int, stop: int) -> int:
    k = i
    while k < stop and lines[k].strip():
        k += 1
    while k < stop and not lines[k].strip():
        k += 1
    return k


def _next_block_has_unit(lines: Sequence[str], i: int, stop: int) -> bool:
    k = i
    while k < stop and lines[k].strip():
        k += 1
    if k - i != 1:
        return False
    k = _next_block_start(lines, i, stop)
    if k >= stop or is_data_line(lines[k]):
        return False
    nxt = _block_text(lines, k, stop)
    return has_unit(nxt) or _STUB_RE.match(nxt) is not None


def _short_block(lines: Sequence[str], i: int, stop: int) -> bool:
    """A block of a few short lines without values, with a blank line before it."""
    if i > 0 and lines[i - 1].strip():
        return False
    k = i
    while k < stop and lines[k].strip():
        if len(lines[k].strip()) > HEADER.stub_line or is_data_line(lines[k]):
            return False
        k += 1
    return k - i <= HEADER.stub_lines


def _stub_block(lines: Sequence[str], i: int, stop: int) -> bool:
    """A short label block ('Resultatenhetens' / 'namn') standing alone before blocks of column words."""
    if not _short_block(lines, i, stop):
        return False
    k = _next_block_start(lines, i, stop)
    if k >= stop:
        return False
    nxt, this = _block_text(lines, k, stop), _block_text(lines, i, stop)
    # a heading above a header whose own first cell names the rows ('Mnkr …', 'Resultatenhetens namn …')
    if UNIT_RE.match(nxt) or (_STUB_RE.match(nxt) and not _STUB_RE.match(this)):
        return False
    return KEYWORD_RE.match(nxt) is not None


def prose_end(line: str) -> bool:
    """A line ending a sentence (not an abbreviation inside a header cell: '(inkl.', 'gemens.adm.')."""
    if line.endswith(":"):
        return True
    if not line.endswith("."):
        return False
    last = line.split()[-1].lstrip("(&")
    abbreviation = len(last) <= 6 or "." in last[:-1]
    return not abbreviation and (len(line) > 40 or len(line.split()) >= 4)


@line_cache
def _column_words(line: str) -> int:
    """How many column words ('Budget', 'Prognos' …) a line holds."""
    return len(_HEAD_RE.findall(line))


def _header_line_limit(line: str) -> int:
    """How long a header line may be: one-line cells side by side make long lines of column words."""
    heads = _column_words(line)
    return HEADER.line_limits[min(max(heads - 1, 0), 2)]


def _ends_header(raw: str) -> bool:
    """A line no header holds: too long, the end of a sentence, or values (a year alone is a header cell)."""
    s = raw.strip()
    return len(s) > _header_line_limit(s) or prose_end(s) or (is_data_line(raw) and not YEAR_RE.match(s))


def _header_block_ok(lines: Sequence[str], j: int, stop: int) -> bool:
    """Whether the block starting at line j can be a header cell: short lines without values, and not a row
    label (a row label is followed by its values)."""
    k = j
    while k < stop and lines[k].strip():
        if _ends_header(lines[k]):
            return False
        if EMPTY_CELLS_AFTER.search(lines[k]):
            return False  # 'Centrala medel     ': a row whose cells are empty
        k += 1
    return k - j <= HEADER.block_lines and not _block_followed_by_values(lines, j, stop)


def _column_like(block: Sequence[str]) -> bool:
    """Header text that names a value column: a column word, a year, a unit, a sign convention …"""
    text = join_wrapped(block, cells=True, trailing_space_convention=True)
    return bool(_HEAD_RE.match(text) or text[:1].islower() or _COLUMN_TOKEN.search(text))


# ---------------------------------------------------------------- the header


@line_cache
def may_open_header(raw: str) -> bool:
    """Whether a header may start at this line: a short line of words that ends no sentence (try_header asks
    the rest; most lines fail here, and the table readers skip them without asking)."""
    first = raw.strip()
    return bool(first) and len(first) <= _header_line_limit(first) and not prose_end(first) and not is_data_line(raw)


def _opens_header(lines: Sequence[str], i: int, stop: int) -> bool:
    """Whether line i can start a header: a unit ('Mnkr'), a column word ('Budget 2025', 'Prognos'), or a short
    stub block before blocks of column words, and not a row label or a heading above a header."""
    if not may_open_header(lines[i]):
        return False
    first = lines[i].strip()
    unit = has_unit(first)
    heads = _column_words(first)
    # a column word first, or a stub word ('Antal hushåll', 'Verksamhetsområde') before column words
    keyword_start = _HEAD_RE.match(first) is not None or (_STUB_RE.match(first) is not None and heads >= 2)
    if not unit and not keyword_start and not _stub_block(lines, i, stop):
        return False
    if _block_followed_by_values(lines, i, stop):
        return False  # a row label ('Prognos/avvikelse' / 'före resultatdispositioner') with its values below
    # a heading above a header with its own stub ('Resultatenheter' / 'Resultatenhetens namn …')
    return bool(unit) or heads >= 2 or not _next_block_has_unit(lines, i, stop)


def _header_blocks(lines: Sequence[str], i: int, stop: int) -> tuple[list[list[int]], int]:
    """The line indexes of each header block from line i on, and the index after the last header line."""
    blocks: list[list[int]] = []
    block: list[int] = []
    j = last = i
    while j < stop:
        if not lines[j].strip():
            if block:
                blocks.append(block)
                block = []
        elif block:
            if _ends_header(lines[j]):
                break
            block.append(j)
            last = j
        else:
            if blocks and (len(blocks) >= HEADER.blocks or not _header_block_ok(lines, j, stop)):
                break
            block = [j]
            last = j
        j += 1
    if block:
        blocks.append(block)
    return blocks, last + 1


def try_header(lines: Sequence[str], i: int, stop: int) -> Header | None:
    """The header starting at line i: blocks of short lines without values, up to the first row.

    The first block must look like a header: a unit ('Mnkr'), a column word ('Budget 2025', 'Prognos'), or a
    short stub block before blocks of column words. Later blocks are header cells however they wrap, until a
    line carrying values or a block that is a row label (followed by its values)."""
    if not _opens_header(lines, i, stop):
        return None
    blocks, end = _header_blocks(lines, i, stop)
    if not blocks:
        return None
    texts = [[lines[x] for x in b] for b in blocks]
    pieces = _pieces(texts)
    if not pieces:
        return None
    header = Header(
        pieces=pieces, end=end, blocks=[(b[0], _column_like(t)) for b, t in zip(blocks, texts, strict=True)]
    )
    if not has_unit(lines[i].strip()) and header.strong_cells() < 2:
        return None
    return header


# ---------------------------------------------------------------- pieces


def _word_strength(word: str, prev: str) -> Boundary:
    """The strength of the column boundary before a word inside a header line, after the word `prev`."""
    capital = word[:1].isupper() and not prev.endswith(("-", "/"))
    if _DATE_WORD.match(word) or (YEAR_RE.match(word) and (YEAR_RE.match(prev) or prev.endswith(")"))):
        return Boundary.COLUMN_WORD  # dates and years side by side head columns of their own
    if capital and _HEAD_RE.match(word):
        return Boundary.SECONDARY if _SECONDARY_RE.match(word) else Boundary.COLUMN_WORD
    if capital and not _QUALIFIER_RE.match(word) and not prev.endswith("("):
        return Boundary.CAPITAL
    return Boundary.CAPITAL if capital else Boundary.CONTINUES


def _split_words(text: str) -> list[tuple[str, Boundary]]:
    """A header line's words with the strength of a column boundary before each (the first word's is decided
    by the caller)."""
    out: list[tuple[str, Boundary]] = []
    for word in text.split():
        out.append((word, _word_strength(word, out[-1][0]) if out else Boundary.CONTINUES))
    return out


def _line_start_strength(word: str, first_line: bool, cut: bool) -> Boundary:
    """The strength of the boundary before a line's first word: a block starts a cell; a line inside it
    continues the cell when the line above was cut or it starts in lower case."""
    if first_line:
        return Boundary.BLOCK_START
    if cut or not word[:1].isupper():
        return Boundary.CONTINUES
    return Boundary.CAPITAL if _QUALIFIER_RE.match(word) else Boundary.LINE_START


def _pieces(blocks: list[list[str]]) -> list[Piece]:
    """The header's text as pieces with the strength of the column boundary before each.

    pdftotext writes a header row's cells left to right: one-line cells share a line, a cell that wraps ends
    its line and its next lines follow (sometimes with the next cells after them on the same line), and a
    blank line comes before the next block. So a block starts a cell; a line inside a block continues the cell
    above when it starts in lower case, with '(' or a year, or when the line above was cut mid-word or after a
    hyphen, and otherwise may start one; column words inside a line start one; qualifiers ('Netto',
    'Kostnader', 'Tertial') continue the label they follow unless a column is missing."""
    pieces: list[Piece] = []
    for bi, block in enumerate(blocks):
        for li, raw in enumerate(block):
            tail = " " if raw.endswith(" ") else ""
            prev = block[li - 1] if li else ""
            cut = bool(prev) and (not prev.endswith(" ") or prev.rstrip().endswith("-"))
            words = _split_words(raw.strip())
            for k, (word, strength) in enumerate(words):
                if k == 0:
                    strength = _line_start_strength(word, li == 0, cut)
                _add_piece(pieces, word + (tail if k == len(words) - 1 else " "), strength, k == 0, bi)
    return pieces


def _add_piece(pieces: list[Piece], text: str, strength: Boundary, line_start: bool, block: int) -> None:
    """A word as a new piece, or as the same cell's text: its next line, or the same line."""
    if strength != Boundary.CONTINUES or not pieces:
        pieces.append(Piece([text], strength, block))
    elif line_start:
        pieces[-1].parts.append(text)
    else:
        pieces[-1].parts[-1] += text


# ---------------------------------------------------------------- labels


def stub_like(header: Header) -> bool:
    """Whether the header's first cell names the row labels ('Mnkr', 'Verksamhetsområde (Mnkr)', 'Resultatenhetens
    namn') rather than a value column."""
    first = (
        clean_label(join_wrapped(header.pieces[0].parts, cells=True, trailing_space_convention=True))
        if header.pieces
        else ""
    )
    return bool(first) and bool(has_unit(first) or _STUB_RE.match(first) or not _HEAD_RE.match(first))


def _column_starts(header: Header, target: int) -> set[int]:
    """The pieces that start a cell: blocks and column words always; qualifying column words only while there
    are more cells than `target`; then capitalised lines and words, from the right, while a cell is missing."""
    starts = {k for k, p in enumerate(header.pieces) if p.strength >= Boundary.SECONDARY or k == 0}
    for k in sorted((k for k in starts if header.pieces[k].strength == Boundary.SECONDARY), reverse=True):
        if len(starts) <= target:
            break
        starts.discard(k)
    _add_weaker_starts(header, starts, target)
    return starts


def _add_weaker_starts(header: Header, starts: set[int], target: int) -> None:
    """Capitalised lines, then capitalised words, start cells from the right while a cell is missing."""
    for tier in (Boundary.LINE_START, Boundary.CAPITAL):
        for k in sorted((k for k, p in enumerate(header.pieces) if p.strength == tier), reverse=True):
            if len(starts) >= target:
                break
            starts.add(k)


def _cells(header: Header, starts: set[int]) -> list[list[str]]:
    """The header's line fragments grouped into cells, a new cell at each start."""
    groups: list[list[str]] = []
    for k, p in enumerate(header.pieces):
        if k in starts or not groups:
            groups.append(list(p.parts))
        elif p.strength == Boundary.LINE_START:
            groups[-1].extend(p.parts)  # a boundary not taken: the cell's next line
        else:
            groups[-1][-1] = groups[-1][-1].rstrip() + " " + p.parts[0]  # the same line
            groups[-1].extend(p.parts[1:])
    return groups


def column_labels(header: Header, values: int) -> tuple[str, list[str], int]:
    """The stub and the column labels for rows that carry `values` cells.

    The cells are cut at the strongest boundaries: blocks and column words always; qualifying column words
    ('Snitt') only while there are more cells than values; then capitalised lines and words, from the right,
    while a column is missing. A column word beyond the values is kept as a column the rows leave empty
    ('Begärda budgetjusteringar'); a header with too few cells gets placeholders ('Kolumn 5').
    Returns (stub, labels, number of placeholders)."""
    stubbed = stub_like(header)
    groups = _cells(header, _column_starts(header, values + (1 if stubbed else 0)))
    labels = [clean_column(join_wrapped(g, cells=True, trailing_space_convention=True)) for g in groups]
    stub = ""
    if stubbed and len(labels) > 1:
        stub, labels = clean_label(join_wrapped(groups[0], cells=True, trailing_space_convention=True)), labels[1:]
    missing = max(0, values - len(labels))
    labels += [f"Kolumn {len(labels) + n + 1}" for n in range(missing)]
    return stub, labels, missing
