"""The rows of a layout indicator table: its header, its body split into blocks and markers, and the blocks read
into rows (name lines, value blocks, period cell, Analys), across page breaks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.furniture import PAGE_BREAK, is_page_head, skip_page_noise
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.indicators.cells import (
    PERIOD_END,
    PERIOD_ONLY,
    PERIOD_WORD,
    PERIODICITY_END,
    STANDALONE_TEXT,
    TEXT_START,
    Atom,
    atoms_of,
    first_atom_kind,
    repeated_units,
)
from malbas.etl.parse.indicators.kinds import AtomKind, ItemKind
from malbas.etl.parse.numbers import is_suppressed
from malbas.etl.parse.records import INDICATOR_VALUE_COLUMNS
from malbas.etl.parse.settings import LAYOUT
from malbas.etl.parse.text import line_cache

# ---------------------------------------------------------------- line classes

# No tab on the line: tabbed text has its own parser.
# "Indikator" may stand alone when the extraction breaks the header after it; "Arsmål" has lost its ring.
HEADER_START = re.compile(r"^ *Indikator(?: +(?:Periodens|[ÅA]rsmål|Utfall|Prognos)[^\t]*)? *$")
_HEADER_END = re.compile(r"\bPeriod(icitet)?$")
# Lines that end an indicator table (besides goal markers, see _ends_table).
_TERMINATOR = re.compile(r"^\s*(Aktivitet\s+Startdatum|Uppföljning av ekonomi\s*$)")


def _ends_table(line: str) -> bool:
    return bool(_TERMINATOR.match(line)) or marker_level(line) is not None


# ---------------------------------------------------------------- header


@dataclass(slots=True)
class Header:
    columns: list[str]
    end: int  # index after the header's last line
    periodicity: bool = False


# After "utfall" in a squashed header: the label of an earlier period ("VB 2019", "T2 2019", "2019").
_EARLIER = r"(?:vb|t\d|tertial\d|helår|år)?(?:19|20)\d\d"
_OUTCOME_HEADER = re.compile(rf"periodensutfall(?!{_EARLIER})")
_OUTCOME_HEADER_FIRST = re.compile(rf"indikatorutfall(?!{_EARLIER})")
_EARLIER_HEADER = re.compile(rf"utfall{_EARLIER}|föregående|fgår")
_TARGET_HEADER = re.compile(r"[åa]rsm[åa]l")
_KF_TARGET_HEADER = re.compile(r"kf:s[åa]rsm[åa]l")
_WHITESPACE = re.compile(r"\s+")


def read_header(lines: Sequence[str], i: int, stop: int) -> Header | None:
    parts = []
    for j in range(i, min(stop, i + 40)):
        s = lines[j].strip()
        parts.append(s)
        if _HEADER_END.search(s):
            sq = _WHITESPACE.sub("", "".join(parts)).lower()
            cols = []
            if _OUTCOME_HEADER.search(sq) or _OUTCOME_HEADER_FIRST.match(sq):
                cols.append("utfall")
            if "män/" in sq or "pojkar" in sq:
                cols.append("utfall_man")
            if "kvinn" in sq or "flick" in sq:
                cols.append("utfall_kvinnor")
            if _EARLIER_HEADER.search(sq):
                cols.append("foregaende_utfall")
            if "prognos" in sq:
                cols.append("prognos")
            targets, kf_targets = len(_TARGET_HEADER.findall(sq)), len(_KF_TARGET_HEADER.findall(sq))
            if targets > kf_targets:
                cols.append("arsmal")
            if kf_targets:
                cols.append("kf_arsmal")
            cols = [c for c in INDICATOR_VALUE_COLUMNS if c in cols]
            return Header(cols, j + 1, s.endswith("Periodicitet")) if cols else None
        if j > i and (not s and len(parts) > 30):
            break
    return None


# ---------------------------------------------------------------- items: the table split into pieces


@dataclass(slots=True)
class _Item:
    kind: ItemKind
    start: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _blank(s: str) -> bool:
    return not s.strip()


def _items(lines: Sequence[str], i: int, stop: int) -> list[_Item]:
    """Split a table body into blocks (runs of non-blank lines) and markers."""
    items: list[_Item] = []
    while i < stop:
        s = lines[i]
        if is_page_head(s):
            items.append(_Item(ItemKind.NOISE, i))
            i = skip_page_noise(lines, i, stop)
            continue
        if _blank(s):
            i += 1
            continue
        if HEADER_START.match(s):
            h = read_header(lines, i, stop)
            if h is not None:
                items.append(_Item(ItemKind.HEADER, i))
                i = h.end
                continue
        if _ends_table(s):
            items.append(_Item(ItemKind.END, i))
            break
        if s.strip() == "Analys":
            if i + 1 >= stop or _blank(lines[i + 1]):
                items.append(_Item(ItemKind.END, i))  # goal-level Analys: followed by a blank line
                break
            item, i = _read_analys(lines, i, stop)
            items.append(item)
            continue
        block = _Item(ItemKind.BLOCK, i)
        while i < stop and not _blank(lines[i]):
            # The first line is always taken, so a header-like line that is no header cannot stall the scan.
            if block.lines and (HEADER_START.match(lines[i]) or is_page_head(lines[i]) or _ends_table(lines[i])):
                break
            if lines[i].strip() == "Analys" and block.lines:
                break
            block.lines.append((i, lines[i]))
            i += 1
        items.append(block)
    return items


def _read_analys(lines: Sequence[str], i: int, stop: int) -> tuple[_Item, int]:
    """A row-level comment: 'Analys' directly followed by text, which may be cut by a page-top header."""
    item = _Item(ItemKind.ANALYS, i)
    j = i + 1
    while j < stop:
        s = lines[j]
        if (_blank(s) and s != PAGE_BREAK) or _ends_table(s):
            break
        if HEADER_START.match(s) or is_page_head(s):
            h = read_header(lines, j, stop) if HEADER_START.match(s) else None
            k = h.end if h else skip_page_noise(lines, j, stop)
            while k < stop and _blank(lines[k]):
                k += 1
            text_so_far = " ".join(t for _, t in item.lines).strip()
            nxt = lines[k] if k < stop else ""
            if k < stop and (
                (not item.lines and len(nxt.strip()) > LAYOUT.indicator_line)
                or (item.lines and not text_so_far.endswith((".", "!", "?")) and nxt[:1].islower())
            ):
                j = k
                continue
            break
        item.lines.append((j, s))
        j += 1
    return item, j


# ---------------------------------------------------------------- joining lines


def join_blocks(parts: list[list[str]]) -> tuple[str, set[int]]:
    """Join blocks of lines: a line is concatenated to the next as printed (trailing space or mid-word
    break); blocks are joined with one space unless the previous one already ends in whitespace."""
    text = ""
    breaks: set[int] = set()
    for bi, block in enumerate(parts):
        for li, line in enumerate(block):
            if text and (li > 0 or bi > 0):
                if li == 0 and not text[-1].isspace():
                    text += " "
                breaks.add(len(text))
            text += line
    return text, breaks


_NAME_LEAD = re.compile(r"^[^\w(\"”'»]+")


def join_name(lines: list[str]) -> str:
    text = ""
    for k, line in enumerate(lines):
        text += line if k else line.lstrip()
    text = " ".join(text.split())
    return _NAME_LEAD.sub("", text)  # status icons/bullets before the name


# ---------------------------------------------------------------- rows


@dataclass(slots=True)
class RawRow:
    name_lines: list[str]
    rad: int
    value_blocks: list[list[str]]
    period: str | None = None
    period_gap: int = 1
    analys: str | None = None
    analys_rad: int | None = None
    nämnd: bool = False
    note: str | None = None
    end: int = 0  # 0-based index of the row's last line (before any Analys)
    analys_end: int = 0  # index after the row's Analys comment


_VALUE_START = re.compile(r"(?<=\s)(?:<\s?)?[+\-−–]?\d")
_LONE_NUMBER_AT_END = re.compile(r"(?<=\s)((?:<\s?)?[+\-−–]?\d+(?:[,.]\d+)?)\s*$")
_PERIOD_WORD_START = re.compile(rf"{PERIOD_WORD}\b")


def _value_tail(line: str) -> int | None:
    """Where values start on a line that begins with name words (None when there are none)."""
    for m in _VALUE_START.finditer(line):
        rest = line[m.start() :]
        atoms = atoms_of(rest, set())
        if not atoms or (atoms[0].kind != AtomKind.NUM and not is_suppressed(rest)):
            continue
        repeated_units(atoms)  # '1,95 dagar 1,8 dagar': a unit no list knows
        if PERIOD_END.search(rest.rstrip()) and len(atoms) >= 2:
            ok = all(_value_atom(a) for a in atoms[:2])
        else:
            ok = len(atoms) >= 2 and _value_atom(atoms[1])
        if ok and _reads_as_cells(rest, atoms):
            return m.start()
    return None


def _value_atom(a: Atom) -> bool:
    """A number, a unit, or a suppressed value ('<5'), which stands in a value cell like a number."""
    return a.kind in (AtomKind.NUM, AtomKind.UNIT) or is_suppressed(a.text)


def _reads_as_cells(rest: str, atoms: list[Atom]) -> bool:
    """Words after the first numbers must open a text cell or the period; otherwise the numbers are part of
    the name ('Andel som ökat minst 3 % i vikt')."""
    w = next((k for k, a in enumerate(atoms) if a.kind == AtomKind.WORD), None)
    if w is None:
        return True
    tail = rest[rest.find(atoms[w].text) :] if atoms[w].text in rest else ""
    if _starts_text_cell(tail) or _PERIOD_WORD_START.match(tail):
        return True
    numbers = sum(1 for a in atoms[:w] if a.kind == AtomKind.NUM)
    return numbers >= 2 and PERIOD_END.search(rest.rstrip()) is not None


def _block_tail(block: list[str]) -> tuple[int, int] | None:
    """(line, column) where a name block turns into values: '… grupp 15,9 ' + 'barn/avd.'"""
    for li, line in enumerate(block):
        if li == 0 and not line.strip():
            continue
        col = _value_tail(line)
        if col is None and li + 1 < len(block):
            # a lone number whose unit wrapped: 'Antal barn per grupp 15,9 ' / 'barn/avd.'
            m = _LONE_NUMBER_AT_END.search(line)
            if m:
                nxt = atoms_of(join_blocks([block[li + 1 :]])[0], set())  # the unit may wrap too: 'kg' / 'CO2e'
                rest = " ".join([line[m.start() :], *block[li + 1 :]])
                if nxt and nxt[0].kind == AtomKind.UNIT and _reads_as_cells(rest, atoms_of(rest, set())):
                    col = m.start()  # not 'inom minst 80 ' + '% av ärendena': words after the unit
            if col is None:
                # a unit of several words wrapped after its first: 'Antal barn per grupp 0,16 kg ' / 'CO2e'
                tail = _value_tail(join_blocks([block[li:]])[0])
                if tail is not None and tail < len(line.rstrip()):
                    col = tail
        if col is not None and (line[:col].strip() or li > 0):
            return li, col
    return None


def _valueish(block: list[str]) -> bool:
    s = block[0].lstrip()
    if not s:
        return False
    if PERIOD_ONLY.match(" ".join(x.strip() for x in block)):
        return True
    kind = first_atom_kind(s)
    if kind is None:
        return False
    if kind in (AtomKind.NUM, AtomKind.UNIT, AtomKind.PM):
        return True
    return _starts_text_cell(s) or bool(_PERIOD_WORD_START.match(s))


def _starts_text_cell(s: str) -> bool:
    s = s.lstrip()
    return bool(TEXT_START.match(s)) or is_suppressed(s) or s.split(" ", 1)[0].lower() in STANDALONE_TEXT


def _closes_row(block: list[str]) -> bool:
    """A block of short lines that ends in the period cell ('Ingen mätning 2020', 'nämnd' + 'Tertial 2 2020')."""
    text = " ".join(x.strip() for x in block)
    return all(len(x.strip()) <= LAYOUT.indicator_line for x in block) and PERIOD_END.search(text) is not None


def _name_like(block: list[str]) -> bool:
    """A block that can be (part of) a name: a few short lines (names wrap at about 25 characters)."""
    return len(block) <= 10 and all(len(t.strip()) <= LAYOUT.indicator_line for t in block)


def _short(block: list[str]) -> bool:
    return len(block) <= 4 and all(len(t.strip()) <= LAYOUT.indicator_line for t in block)


def _name_across_break(items: list[_Item], k: int, row: RawRow, next_index: Callable[[int], int | None]) -> int:
    """A name cut by a page break before its values: [name part] [page head/header] [name tail] [values].
    Moves the tail (and values on its last line) into the row; returns the index to go on from."""
    j = next_index(k)
    if j is None or j == k:
        return k
    cont = [t for _, t in items[j].lines]
    if not _short(cont) or _valueish(cont):
        return k
    tail = _block_tail(cont)
    if tail is not None:
        li, col = tail
        _extend_name(row, cont[:li] + [cont[li][:col]])
        row.value_blocks.append([cont[li][col:]] + cont[li + 1 :])
        row.end = items[j].lines[-1][0]
        return j + 1
    after = next_index(j + 1)
    if after is None or not _valueish([t for _, t in items[after].lines]):
        return k
    _extend_name(row, cont)
    row.end = items[j].lines[-1][0]
    return j + 1


def _extend_name(row: RawRow, more: list[str]) -> None:
    """A page break falls between words unless the part ends in a hyphen or slash ('BUS-' + 'överens…')."""
    last = row.name_lines[-1] if row.name_lines else ""
    if last and not last[-1].isspace() and not last.endswith(("-", "/")):
        row.name_lines[-1] = last + " "
    row.name_lines.extend(more)


def _continues_values(row: RawRow, nb: _Item, after: _Item | None) -> bool:
    """Whether block nb still holds cells of a row that has not reached its period: it looks like values, or
    it closes the row with the period, or the block after it is the lone period (a text cell cut by a page)."""
    block = [t for _, t in nb.lines]
    if _valueish(block) or _closes_row(block):
        return True
    if (
        not row.value_blocks
        or after is None
        or len(block) > 3
        or any(len(t.strip()) > LAYOUT.indicator_line for t in block)
    ):
        return False
    return PERIOD_ONLY.match(" ".join(t.strip() for _, t in after.lines)) is not None


@line_cache  # asked of a row's value text while its rows are read and again when its cells are
def period_split(text: str, periodicity: bool) -> tuple[str, str, int] | None:
    m = (PERIODICITY_END if periodicity else PERIOD_END).search(text.rstrip())
    if not m:
        return None
    before = text[: m.start(1)]
    gap = len(before) - len(before.rstrip())
    return before.rstrip(), _period_label(m.group(1)), max(gap, 1) if before.strip() else gap


_LETTER_DIGIT = re.compile(r"(?<=[a-zå])(?=\d)")


def _period_label(cell: str) -> str:
    """'Tertial1 2025' (a cell wrapped after 'Tertial' and joined as printed) -> 'Tertial 1 2025'."""
    return _LETTER_DIGIT.sub(" ", _WHITESPACE.sub(" ", cell.strip()))


def _new_row(it: _Item, block: list[str], tail: tuple[int, int] | None) -> RawRow:
    """A row from a block: its name lines, and its values from where the name turns into them (if it does)."""
    if tail is None:
        return RawRow(block, it.start + 1, [], end=it.lines[-1][0])
    li, col = tail
    return RawRow(
        block[:li] + [block[li][:col]], it.start + 1, [[block[li][col:]] + block[li + 1 :]], end=it.lines[-1][0]
    )


@dataclass(slots=True)
class _RowReader:
    """Reads one table's items into rows, block by block."""

    items: list[_Item]
    header: Header
    rows: list[RawRow] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    pending: list[RawRow] = field(default_factory=list)  # blocks without values, kept until the table goes on
    after_header: bool = False  # a header or page noise came last: what follows is on the next page

    def next_index(self, k: int) -> int | None:
        """The index of the next block from k on, past headers and page noise (None at an end or Analys)."""
        while k < len(self.items) and self.items[k].kind in (ItemKind.HEADER, ItemKind.NOISE):
            k += 1
        return k if k < len(self.items) and self.items[k].kind == ItemKind.BLOCK else None

    def next_block(self, k: int) -> _Item | None:
        j = self.next_index(k)
        return None if j is None else self.items[j]

    def _values_next(self, k: int) -> bool:
        nb = self.next_block(k)
        block = [t for _, t in nb.lines] if nb is not None else []
        return bool(block) and (_valueish(block) or _closes_row(block))

    def read(self) -> None:
        k = 0
        while k < len(self.items):
            it = self.items[k]
            if it.kind in (ItemKind.HEADER, ItemKind.NOISE):
                self.after_header = True  # a page foot or head: what follows is on the next page
                k += 1
            elif it.kind == ItemKind.END:
                break
            elif it.kind == ItemKind.ANALYS:
                self._analys(it)
                k += 1
            elif (after := self._block(it, k)) is not None:
                k = after
            else:
                break  # prose: the table is over

    def _analys(self, it: _Item) -> None:
        if self.rows and self.rows[-1].analys is None and it.lines:
            row = self.rows[-1]
            row.analys = " ".join(" ".join(t for _, t in it.lines).split())
            row.analys_rad = it.start + 1
            row.analys_end = it.lines[-1][0] + 1

    def _block(self, it: _Item, k: int) -> int | None:
        """Read the block at item k as a row (or part of the one before); the index to go on from, or None when
        the block is prose after the table."""
        block = [t for _, t in it.lines]
        tail = _block_tail(block)
        if tail is None and any(len(t.strip()) > LAYOUT.indicator_line for t in block):
            return None
        if tail is None and self._rest_of_name(block, k + 1):
            # After a page break, a name-like block followed by another row (not by values) is the rest of
            # the previous row's name: the row's first lines and values were printed on the page before.
            _extend_name(self.rows[-1], block)
            self.after_header = False
            return k + 1
        row = _new_row(it, block, tail)
        k += 1
        if not row.value_blocks:
            k = _name_across_break(self.items, k, row, self.next_index)
        k = self._collect_values(row, k)
        if row.value_blocks:
            self._add(row)
        else:
            self._valueless(row, block)
        return k

    def _rest_of_name(self, block: list[str], k: int) -> bool:
        return (
            self.after_header
            and bool(self.rows)
            and not self.pending
            and _name_like(block)
            and not self._values_next(k)
        )

    def _period_reached(self, row: RawRow, k: int) -> bool:
        """The row's values end in its period cell, and the next block is not a lone period cell of its own."""
        text, _ = join_blocks(row.value_blocks)
        if not period_split(text, self.header.periodicity):
            return False
        last = " ".join(x.strip() for x in row.value_blocks[-1])
        nb = self.next_block(k)
        nb_pure = nb is not None and PERIOD_ONLY.match(" ".join(t.strip() for _, t in nb.lines))
        return bool(PERIOD_ONLY.match(last) or not nb_pure)

    def _collect_values(self, row: RawRow, k: int) -> int:
        """Collect value blocks until the period cell is found; the index to go on from."""
        while not (row.value_blocks and self._period_reached(row, k)):
            j = self.next_index(k)
            if j is None or not _continues_values(row, self.items[j], self.next_block(j + 1)):
                break
            row.value_blocks.append([t for _, t in self.items[j].lines])
            row.end = self.items[j].lines[-1][0]
            k = j + 1
        return k

    def _valueless(self, row: RawRow, block: list[str]) -> None:
        if self.after_header and self.rows and not self.pending and _short(block):
            _extend_name(self.rows[-1], block)  # the tail of a name cut by a page break
        else:
            # A block without values is never the end of the table: it is a row whose cells could not be
            # found. It counts as a row only if the table goes on after it (else it is text after the table).
            row.note = "no value cells found for this row"
            self.pending.append(row)
        self.after_header = False

    def _add(self, row: RawRow) -> None:
        text, _ = join_blocks(row.value_blocks)
        split = period_split(text, self.header.periodicity)
        if split is None:
            row.note = "no period cell"
        else:
            row.period, row.period_gap = split[1], split[2]
        self.rows.extend(self.pending)
        self.warns.extend(f"line {p.rad}: a block without value cells inside an indicator table" for p in self.pending)
        self.pending = []
        self.rows.append(row)
        self.after_header = False


def _build_rows(items: list[_Item], header: Header) -> tuple[list[RawRow], list[str]]:
    reader = _RowReader(items, header)
    reader.read()
    return reader.rows, reader.warns


# ---------------------------------------------------------------- public entry


def _goal_is_namnd(lines: Sequence[str], i: int) -> bool:
    for j in range(i, -1, -1):
        level = marker_level(lines[j])
        if level:
            return level[0] == "namndmal"
    return False


def table_rows(lines: Sequence[str], i: int, stop: int) -> tuple[list[RawRow], Header, list[str], int]:
    header = read_header(lines, i, stop)
    assert header is not None
    items = _items(lines, header.end, stop)
    rows, warns = _build_rows(items, header)
    namnd = _goal_is_namnd(lines, i)
    for r in rows:
        r.nämnd = namnd
    last = max([header.end] + [r.rad for r in rows] + [r.analys_rad or 0 for r in rows])
    return rows, header, warns, last
