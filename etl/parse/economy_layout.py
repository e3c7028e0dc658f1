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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from statistics import median

from malbas.etl.parse.economy_model import (
    DEVIATION_COLUMN_RE,
    DEVIATION_LABEL_RE,
    TEXT_CELL_RE,
    TEXT_COLUMN_RE,
    UNIT_RE,
    Cell,
    Row,
    Table,
    clean_column,
    clean_label,
)
from malbas.etl.parse.numbers import parse_amount
from malbas.etl.parse.text import join_wrapped
from malbas.vocabulary import KvalitetTyp

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
_SINGLE_RE = re.compile(r"^[-−–+]?(?:0|[1-9]\d*)(?:[,.]\d+)?%?$")
_START_RE = re.compile(r"^[-−–+]?[1-9]\d{0,2}$")
_CONT_RE = re.compile(r"^\d{3}$")
_CONT_LAST_RE = re.compile(r"^\d{3}[,.]\d+%?$")
_VALUE_TOKEN_RE = re.compile(r"^[-−–+]?\d+(?:[,.]\d+)?\*?%?$|^%$")
_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_JUSTERING_RE = re.compile(r"justering", re.IGNORECASE)


# A row's value tail is read in two steps: tokens become items (a gap, a text cell, an unread atom), then each
# reading groups atom runs into amounts ('1 503 549' -> 1 503 | 549, or 1 503 549).
@dataclass(frozen=True, slots=True)
class Gap:
    """An empty cell, marked by a run of spaces."""


@dataclass(frozen=True, slots=True)
class Word:
    """A text cell (ja/nej)."""

    text: str


@dataclass(frozen=True, slots=True)
class Atom:
    """A space-separated run of digits, not yet known to be a whole number or part of one."""

    text: str


@dataclass(frozen=True, slots=True)
class Amount:
    """A number as read: value, the text it was read from, whether it was a percentage."""

    value: float
    raw: str
    percent: bool


Item = Gap | Word | Atom
Reading = list[Gap | Word | Amount]
EMPTY = Gap()


@dataclass(slots=True)
class _Piece:
    """A fragment of header text and how surely a new column starts with it."""

    parts: list[str]  # line fragments as printed, each with its trailing space (none marks a mid-word break)
    strength: int  # BLOCK_START, COLUMN_WORD, LINE_START or CAPITAL (below)
    block: int = 0  # index of the header block it comes from


@dataclass(slots=True)
class _Header:
    pieces: list[_Piece]  # the header's text, the stub's first
    end: int  # index after the last header line
    blocks: list[tuple[int, bool]] = field(default_factory=list)  # (first line, reads as column text) per block

    def without_last_block(self) -> _Header:
        """The header without its last block (a group row's label taken for a header cell)."""
        last = len(self.blocks) - 1
        return _Header([p for p in self.pieces if p.block < last], self.blocks[last][0], self.blocks[:last])

    def strong_cells(self) -> int:
        return sum(1 for k, p in enumerate(self.pieces) if p.strength >= SECONDARY or k == 0)


@dataclass(slots=True)
class _RawRow:
    label: str
    rad: int
    items: list[Item]
    group: bool = False


# ---------------------------------------------------------------- tokens


def _value_token(tok: str, last: bool) -> bool:
    tok = tok.replace("*", "") if tok.endswith("*") else tok
    return bool(_VALUE_TOKEN_RE.match(tok) or TEXT_CELL_RE.match(tok) or (last and re.match(r"^\d+,$", tok)))


def split_tail(raw: str) -> tuple[str, str, int]:
    """(label, tail, index of the tail in raw). The tail is the run of value tokens ending the line."""
    toks = [(m.start(), m.group()) for m in re.finditer(r"\S+", raw)]
    k = len(toks)
    while k > 0 and _value_token(toks[k - 1][1], k == len(toks)):
        k -= 1
    while k < len(toks) and (TEXT_CELL_RE.match(toks[k][1]) or toks[k][1] == "%"):
        k += 1  # a tail starts with a number
    if k == len(toks):
        return raw, "", len(raw)
    start = toks[k][0]
    return raw[:start], raw[start:], start


def _is_data_line(raw: str) -> bool:
    label, tail, _ = split_tail(raw)
    if not tail:
        return False
    toks = tail.split()
    if not label.strip():
        return True
    if any(re.search(r"\d[,.]\d", t) for t in toks):
        return True
    nums = [t for t in toks if not TEXT_CELL_RE.match(t) and t != "%"]
    return len(nums) >= 2 and not all(_YEAR_RE.match(t) for t in nums)


def is_value_only(raw: str) -> bool:
    """A line holding only values ('32,2 21,1 11,1'): the values of the label above it."""
    label, tail, _ = split_tail(raw)
    return bool(tail) and not label.strip()


def _items(tail: str, lead_empty: int) -> list[Item]:
    items: list[Item] = [EMPTY] * max(lead_empty, 0)
    for tok in tail.rstrip().split(" "):
        last = items[-1] if items else None
        if tok == "":
            items.append(EMPTY)
        elif tok == "%" and isinstance(last, Atom):
            items[-1] = Atom(last.text + "%")
        elif TEXT_CELL_RE.match(tok):
            items.append(Word(tok))
        else:
            items.append(Atom(tok))
    return items


def _groupings(atoms: Sequence[str]) -> list[Reading]:
    """Every way to read space-separated atoms as numbers ('1 503 549' -> [1503549], [1503, 549], …).
    Longest joins come first, so the conventional reading wins ties."""
    n = len(atoms)
    memo: dict[int, list[Reading]] = {}

    def rec(i: int) -> list[Reading]:
        if i == n:
            return [[]]
        if i in memo:
            return memo[i]
        out: list[Reading] = []
        a = atoms[i].replace("*", "")
        if _START_RE.match(a):
            ends = []
            j = i + 1
            while j < n:
                nxt = atoms[j].replace("*", "")
                if _CONT_RE.match(nxt):
                    ends.append(j)
                elif _CONT_LAST_RE.match(nxt):
                    ends.append(j)
                    break
                else:
                    break
                j += 1
            for j in reversed(ends):
                raw = " ".join(atoms[i : j + 1])
                val = parse_amount(raw)
                if val is not None:
                    for rest in rec(j + 1):
                        out.append([Amount(val[0], raw, val[1]), *rest])
        if _SINGLE_RE.match(a):
            val = parse_amount(atoms[i])
            if val is not None:
                for rest in rec(i + 1):
                    out.append([Amount(val[0], atoms[i], val[1]), *rest])
        memo[i] = out
        return out

    return rec(0)


def readings(items: list[Item], keep_empty: bool, limit: int = 4096) -> Iterator[Reading]:
    """All cell sequences for a row's items: atom runs are grouped, empties and text cells kept."""
    runs: list[list[Reading]] = []
    cur: list[str] = []
    for it in items:
        if isinstance(it, Atom):
            cur.append(it.text)
            continue
        if cur:
            runs.append(_groupings(cur))
            cur = []
        if isinstance(it, Word) or keep_empty:
            runs.append([[it]])
    if cur:
        runs.append(_groupings(cur))

    def rec(k: int, acc: Reading) -> Iterator[Reading]:
        if k == len(runs):
            yield acc
            return
        for option in runs[k]:
            yield from rec(k + 1, acc + option)

    for count, r in enumerate(rec(0, []), start=1):
        yield r
        if count >= limit:
            return


# ---------------------------------------------------------------- header


def _block_followed_by_values(lines: Sequence[str], j: int, stop: int) -> bool:
    while j < stop and lines[j].strip():
        j += 1
    while j < stop and not lines[j].strip():
        j += 1
    return j < stop and is_value_only(lines[j])


def _split_keywords(text: str) -> list[str]:
    starts = [m.start() for m in KEYWORD_RE.finditer(text)]
    if not starts:
        return [text] if text.strip() else []
    pieces = [text[: starts[0]]] if starts[0] > 0 and text[: starts[0]].strip() else []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        pieces.append(text[a:b])
    return pieces


def _block_text(lines: Sequence[str], j: int, stop: int) -> str:
    """The block starting at line j as one text, words broken mid-word rejoined ('Resultatenh' + 'etens')."""
    k = j
    while k < stop and lines[k].strip() and k - j < 12:
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
    if k >= stop or _is_data_line(lines[k]):
        return False
    nxt = _block_text(lines, k, stop)
    return UNIT_RE.search(nxt) is not None or _STUB_RE.match(nxt) is not None


def _stub_block(lines: Sequence[str], i: int, stop: int) -> bool:
    """A short label block ('Resultatenhetens' / 'namn') standing alone before blocks of column words."""
    if i > 0 and lines[i - 1].strip():
        return False
    k = i
    while k < stop and lines[k].strip():
        if len(lines[k].strip()) > 40 or _is_data_line(lines[k]):
            return False
        k += 1
    if k - i > 3:
        return False
    k = _next_block_start(lines, i, stop)
    if k >= stop:
        return False
    nxt, this = _block_text(lines, k, stop), _block_text(lines, i, stop)
    # a heading above a header whose own first cell names the rows ('Mnkr …', 'Resultatenhetens namn …')
    if UNIT_RE.match(nxt) or (_STUB_RE.match(nxt) and not _STUB_RE.match(this)):
        return False
    return KEYWORD_RE.match(nxt) is not None


def _prose_end(line: str) -> bool:
    """A line ending a sentence (not an abbreviation inside a header cell: '(inkl.', 'gemens.adm.')."""
    if line.endswith(":"):
        return True
    if not line.endswith("."):
        return False
    last = line.split()[-1].lstrip("(&")
    abbreviation = len(last) <= 6 or "." in last[:-1]
    return not abbreviation and (len(line) > 40 or len(line.split()) >= 4)


_DATE_WORD = re.compile(r"^\d{4}-\d\d-\d\d$")
# Tokens that mark column text: a year, a percentage or sign convention, a unit, a date.
_COLUMN_TOKEN = re.compile(
    r"(?:19|20)\d\d|%|\(\s*[+-]|\b(?:mnkr|tkr|mkr)\b|\d{4}-\d\d-\d\d|\bja\s*/\s*nej\b", re.IGNORECASE
)


def _header_line_limit(line: str) -> int:
    """How long a header line may be: one-line cells side by side make long lines of column words."""
    heads = len(_HEAD_RE.findall(line))
    return 220 if heads >= 3 else 160 if heads == 2 else 100


def _header_block_ok(lines: Sequence[str], j: int, stop: int) -> bool:
    """Whether the block starting at line j can be a header cell: short lines without values, and not a row
    label (a row label is followed by its values)."""
    k = j
    while k < stop and lines[k].strip():
        s = lines[k].strip()
        if len(s) > _header_line_limit(s) or _prose_end(s) or (_is_data_line(lines[k]) and not _YEAR_RE.match(s)):
            return False
        if re.search(r"\S {2,}$", lines[k]):
            return False  # 'Centrala medel     ': a row whose cells are empty
        k += 1
    return k - j <= 10 and not _block_followed_by_values(lines, j, stop)


def _column_like(block: Sequence[str]) -> bool:
    """Header text that names a value column: a column word, a year, a unit, a sign convention …"""
    text = join_wrapped(block, cells=True, trailing_space_convention=True)
    return bool(_HEAD_RE.match(text) or text[:1].islower() or _COLUMN_TOKEN.search(text))


def try_header(lines: Sequence[str], i: int, stop: int) -> _Header | None:
    """The header starting at line i: blocks of short lines without values, up to the first row.

    The first block must look like a header: a unit ('Mnkr'), a column word ('Budget 2025', 'Prognos'), or a
    short stub block before blocks of column words. Later blocks are header cells however they wrap, until a
    line carrying values or a block that is a row label (followed by its values)."""
    first = lines[i].strip()
    if not first or len(first) > _header_line_limit(first) or _prose_end(first) or _is_data_line(lines[i]):
        return None
    unit = UNIT_RE.search(first)
    # a column word first, or a stub word ('Antal hushåll', 'Verksamhetsområde') before column words
    keyword_start = _HEAD_RE.match(first) is not None or (
        _STUB_RE.match(first) is not None and len(_HEAD_RE.findall(first)) >= 2
    )
    if not unit and not keyword_start and not _stub_block(lines, i, stop):
        return None
    if _block_followed_by_values(lines, i, stop):
        return None  # a row label ('Prognos/avvikelse' / 'före resultatdispositioner') with its values below
    if not unit and len(_HEAD_RE.findall(first)) < 2 and _next_block_has_unit(lines, i, stop):
        return None  # a heading above a header with its own stub ('Resultatenheter' / 'Resultatenhetens namn …')
    blocks: list[list[int]] = []  # line indexes of each block
    block: list[int] = []
    j = i
    last = i
    while j < stop:
        raw = lines[j]
        s = raw.strip()
        if not s:
            if block:
                blocks.append(block)
                block = []
            j += 1
            continue
        if block:
            if (_is_data_line(raw) and not _YEAR_RE.match(s)) or len(s) > _header_line_limit(s) or _prose_end(s):
                break
            block.append(j)
        else:
            if blocks and (len(blocks) >= 16 or not _header_block_ok(lines, j, stop)):
                break
            block = [j]
        last = j
        j += 1
    if block:
        blocks.append(block)
    if not blocks:
        return None
    texts = [[lines[x] for x in b] for b in blocks]
    pieces = _pieces(texts)
    if not pieces:
        return None
    header = _Header(
        pieces=pieces, end=last + 1, blocks=[(b[0], _column_like(t)) for b, t in zip(blocks, texts, strict=True)]
    )
    if not unit and header.strong_cells() < 2:
        return None
    return header


# How surely a header fragment starts a new column (the header is split at the strongest boundaries first).
BLOCK_START = 6  # after a blank line: pdftotext writes a wrapped cell as a block of its own
COLUMN_WORD = 4  # a column word inside a line ('… Budget 2020 Begärda')
SECONDARY = 3  # a column word that often qualifies the label before it ('Utfall 2020 Snitt jan-dec')
LINE_START = 2  # a capitalised line inside a block: the wrapped cell's next line, or a cell of its own
CAPITAL = 1  # another capitalised word inside a line ('Budget 2020 Netto')
CONTINUES = 0
_SECONDARY_RE = re.compile(r"(?:Snitt|Varav|Ack\w*|Helår\w*|Period\w*|År)\b")


def _split_words(text: str) -> list[tuple[str, int]]:
    """A header line's words with the strength of a column boundary before each (the first word's is decided
    by the caller)."""
    out: list[tuple[str, int]] = []
    for m in re.finditer(r"\S+", text):
        word = m.group()
        if not out:
            out.append((word, CONTINUES))
            continue
        prev = out[-1][0]
        capital = word[:1].isupper() and not prev.endswith(("-", "/"))
        if _DATE_WORD.match(word) or (_YEAR_RE.match(word) and (_YEAR_RE.match(prev) or prev.endswith(")"))):
            out.append((word, COLUMN_WORD))  # dates and years side by side head columns of their own
        elif capital and _HEAD_RE.match(word):
            out.append((word, SECONDARY if _SECONDARY_RE.match(word) else COLUMN_WORD))
        elif capital and not _QUALIFIER_RE.match(word) and not re.search(r"\($", prev):
            out.append((word, CAPITAL))
        else:
            out.append((word, CAPITAL if capital else CONTINUES))
    return out


def _pieces(blocks: list[list[str]]) -> list[_Piece]:
    """The header's text as pieces with the strength of the column boundary before each.

    pdftotext writes a header row's cells left to right: one-line cells share a line, a cell that wraps ends
    its line and its next lines follow (sometimes with the next cells after them on the same line), and a
    blank line comes before the next block. So a block starts a cell; a line inside a block continues the cell
    above when it starts in lower case, with '(' or a year, or when the line above was cut mid-word or after a
    hyphen, and otherwise may start one; column words inside a line start one; qualifiers ('Netto',
    'Kostnader', 'Tertial') continue the label they follow unless a column is missing."""
    pieces: list[_Piece] = []
    for bi, block in enumerate(blocks):
        for li, raw in enumerate(block):
            s = raw.strip()
            tail = " " if raw.endswith(" ") else ""
            prev = block[li - 1] if li else ""
            cut = bool(prev) and (not prev.endswith(" ") or prev.rstrip().endswith("-"))
            words = _split_words(s)
            for k, (word, strength) in enumerate(words):
                if k == 0:
                    if li == 0:
                        strength = BLOCK_START
                    elif cut or not word[:1].isupper():
                        strength = CONTINUES
                    else:
                        strength = CAPITAL if _QUALIFIER_RE.match(word) else LINE_START
                space = tail if k == len(words) - 1 else " "
                if strength == CONTINUES and pieces:
                    if k == 0:
                        pieces[-1].parts.append(word + space)  # the same cell's next line
                    else:
                        pieces[-1].parts[-1] += word + space
                else:
                    pieces.append(_Piece([word + space], strength, bi))
    return pieces


def _stub_like(header: _Header) -> bool:
    """Whether the header's first cell names the row labels ('Mnkr', 'Verksamhetsområde (Mnkr)', 'Resultatenhetens
    namn') rather than a value column."""
    first = (
        clean_label(join_wrapped(header.pieces[0].parts, cells=True, trailing_space_convention=True))
        if header.pieces
        else ""
    )
    return bool(first) and bool(UNIT_RE.search(first) or _STUB_RE.match(first) or not _HEAD_RE.match(first))


def _labels(header: _Header, values: int) -> tuple[str, list[str], int]:
    """The stub and the column labels for rows that carry `values` cells.

    The cells are cut at the strongest boundaries: blocks and column words always; qualifying column words
    ('Snitt') only while there are more cells than values; then capitalised lines and words, from the right,
    while a column is missing. A column word beyond the values is kept as a column the rows leave empty
    ('Begärda budgetjusteringar'); a header with too few cells gets placeholders ('Kolumn 5').
    Returns (stub, labels, number of placeholders)."""
    target = values + (1 if _stub_like(header) else 0)
    starts = {k for k, p in enumerate(header.pieces) if p.strength >= SECONDARY or k == 0}
    for k in sorted((k for k in starts if header.pieces[k].strength == SECONDARY), reverse=True):
        if len(starts) <= target:
            break
        starts.discard(k)
    for tier in (LINE_START, CAPITAL):
        for k in sorted((k for k, p in enumerate(header.pieces) if p.strength == tier), reverse=True):
            if len(starts) >= target:
                break
            starts.add(k)
    groups: list[list[str]] = []
    for k, p in enumerate(header.pieces):
        if k in starts or not groups:
            groups.append(list(p.parts))
        elif p.strength == LINE_START:
            groups[-1].extend(p.parts)  # a boundary not taken: the cell's next line
        else:
            groups[-1][-1] = groups[-1][-1].rstrip() + " " + p.parts[0]  # the same line
            groups[-1].extend(p.parts[1:])
    labels = [clean_column(join_wrapped(g, cells=True, trailing_space_convention=True)) for g in groups]
    stub = ""
    if _stub_like(header) and len(labels) > 1:
        stub, labels = clean_label(join_wrapped(groups[0], cells=True, trailing_space_convention=True)), labels[1:]
    missing = max(0, values - len(labels))
    labels += [f"Kolumn {len(labels) + n + 1}" for n in range(missing)]
    return stub, labels, missing


# ---------------------------------------------------------------- rows


# Words a small number completes in a row label: 'Tertial 1', 'Område 2', 'Etapp 3'.
_ORDINAL_WORD = re.compile(r"(?:^|\s)(?:tertial|kvartal|område|etapp|steg|fas|grupp|del|nivå|vecka|t)$", re.IGNORECASE)


def _ordinal_in_label(raw: str, label: str, tail: str, start: int) -> tuple[str, str, int]:
    m = re.match(r"\s*(\d{1,2})(?=\s|$)\s?", tail)
    if m and label.strip() and _ORDINAL_WORD.search(label.strip()):
        cut = start + m.end()  # the label keeps the space after the ordinal, as split_tail's labels do
        return raw[:cut], raw[cut:], cut
    return label, tail, start


def _collect_rows(lines: Sequence[str], start: int, stop: int, tsc: bool) -> tuple[list[_RawRow], int, list[str]]:
    rows: list[_RawRow] = []
    warnings: list[str] = []
    pending: list[tuple[int, str]] = []
    blank_after_pending = False

    def flush_group() -> None:
        nonlocal pending
        if pending:
            label = clean_label(join_wrapped([p for _, p in pending], cells=True, trailing_space_convention=tsc))
            rows.append(_RawRow(label, pending[0][0] + 1, [], group=True))
        pending = []

    i = start
    while i < stop:
        raw = lines[i]
        s = raw.strip()
        if not s:
            if len(raw) >= 2 and pending and blank_after_pending:
                flush_group()  # a spaces-only line: the label above has only empty cells
            if pending:
                blank_after_pending = True
            i += 1
            continue
        if try_header(lines, i, stop) is not None:
            break
        label, tail, tstart = split_tail(raw)
        label, tail, tstart = _ordinal_in_label(raw, label, tail, tstart)
        if tail.rstrip().endswith(",") and not (i + 1 < stop and re.match(r"\s*\d", lines[i + 1])):
            label, tail = raw, ""  # 'Resultatfond från 2019, ' / 'överskott': a comma in the label, no broken number
        # a number that ends a label: a year ('Analys av årsresultat 2021'), or a small number when the
        # values follow on their own line ('Gruppbostäder' / 'område 2')
        if tail and label.strip() and len(tail.split()) == 1 and re.fullmatch(r"\d+", tail.strip()):
            k = i + 1
            while k < stop and not lines[k].strip():
                k += 1
            if _YEAR_RE.match(tail.strip()) or (k < stop and is_value_only(lines[k])):
                label, tail = raw, ""
        if tail:
            rad = i
            body = raw.rstrip()
            # a number broken over two lines ('1258,' + '2 1207,5 …')
            while re.search(r"\d,$", body) and i + 1 < stop and re.match(r"\d", lines[i + 1].strip()):
                i += 1
                body += lines[i].strip()
                _, tail, _ = split_tail(body)
            if label.strip():
                lead = len(label) - len(label.rstrip()) - 1
                if pending and not blank_after_pending:
                    text = join_wrapped([p for _, p in pending] + [label], cells=True, trailing_space_convention=tsc)
                else:
                    flush_group()
                    text = label
                pending = []
            else:
                lead = tstart
                if pending:
                    text = join_wrapped([p for _, p in pending], cells=True, trailing_space_convention=tsc)
                    pending = []
                else:
                    text = ""
                    warnings.append(f"line {rad + 1}: values without a row label")
            tail_body = body[len(body) - len(body.lstrip()) :] if not label.strip() else body[len(label) :]
            rows.append(_RawRow(clean_label(text), rad + 1, _items(tail_body, lead)))
            blank_after_pending = False
            i += 1
            continue
        # a label line, or prose that ends the table
        if len(s) > 70 or _prose_end(s) or s.endswith(";") or len(pending) >= 6:
            break
        if pending and blank_after_pending:
            flush_group()
        pending.append((i, raw))
        blank_after_pending = False
        if re.search(r"\S {2,}$", raw):
            flush_group()  # 'Centrala medel     ': a group label followed by empty cells
        i += 1
    end = pending[0][0] if pending else i
    return rows, end, warnings


# ---------------------------------------------------------------- column assignment


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


def _row_width(options: list[list[Reading]], header: _Header) -> int:
    """How many cells the table's rows carry. Every row needs at least its fewest cells, so the width is at least
    the largest of those; spaces are thousands separators and cell gaps alike, so a row can often be read with
    more cells too, and among the widths from there up the one the most rows allow wins (rows with empty cells
    allow fewer), ties going to the count the header's cells suggest."""
    counts = [{len(o) for o in opts} for opts in options if opts]
    if not counts:
        return 0
    need = max(min(c) for c in counts)
    cells = header.strong_cells() - (1 if _stub_like(header) else 0)
    candidates = sorted(w for w in set().union(*counts) if w >= need) or [need]
    return max(candidates, key=lambda w: (sum(1 for c in counts if w in c), -abs(w - cells), -w))


def parse_layout_table(lines: Sequence[str], i: int, stop: int, tsc: bool) -> Table | None:
    header = try_header(lines, i, stop)
    if header is None:
        return None
    while True:
        raw_rows, end, warnings = _collect_rows(lines, header.end, stop, tsc)
        value_rows = [r for r in raw_rows if not r.group]
        if not value_rows:
            return None
        flex_all = [list(readings(r.items, False)) for r in value_rows]
        need = _row_width(flex_all, header)
        target = need + (1 if _stub_like(header) else 0)
        # more header cells than the rows have values, the last of them no column text: a group row's label
        if header.strong_cells() <= target or len(header.blocks) < 2 or header.blocks[-1][1]:
            break
        header = header.without_last_block()
    stub, labels, placeholders = _labels(header, need)
    table = Table(header_idx=i, end=end, stub=stub, cols=labels, warnings=warnings)
    if placeholders:
        table.notes.append(
            (
                KvalitetTyp.KOLUMN_OSAKER,
                f"the rows carry {need} values but the header names only {need - placeholders} columns",
                i + 1,
            )
        )
    table.text_cols = {k for k, lab in enumerate(labels) if TEXT_COLUMN_RE.search(lab)}
    numeric = [k for k in range(len(labels)) if k not in table.text_cols]
    n_all = len(labels)

    # positional (exact) reading: every row that shows a gap has exactly one cell per column
    exact_opts: dict[int, list[Reading]] = {}
    gap_rows = 0
    exact_ok = True
    for idx, r in enumerate(value_rows):
        has_gap = any(isinstance(it, Gap) for it in r.items)
        opts = [o for o in readings(r.items, True) if len(o) == n_all]
        opts = [
            o
            for o in opts
            if all(isinstance(c, Word) == (k in table.text_cols) or isinstance(c, Gap) for k, c in enumerate(o))
        ]
        if has_gap:
            gap_rows += 1
            if not opts:
                exact_ok = False
        if opts:
            exact_opts[idx] = opts
    use_exact = exact_ok and gap_rows > 0

    # flexible reading: the table's row width W
    flex_opts: dict[int, list[Reading]] = {}
    unambiguous: list[int] = []
    greedy: list[int] = []
    for idx in range(len(value_rows)):
        opts = flex_all[idx]
        flex_opts[idx] = opts
        counts = {_amounts(o) for o in opts}
        if counts:
            greedy.append(min(counts))
            if len(counts) == 1:
                unambiguous.append(next(iter(counts)))
    # the numeric width: the table's row width (decided above from every row's possible readings) less its
    # text columns; rows printing fewer values leave cells empty
    width = min(max(need - len(table.text_cols), 0) or max(unambiguous or greedy or [0]), len(numeric))
    drop = _drop_order(labels, numeric)
    active = [c for c in numeric if c not in drop[: len(numeric) - width]]
    if width < len(numeric) and not use_exact:
        dropped = [labels[c] for c in numeric if c not in active]
        table.notes.append(
            (
                KvalitetTyp.KOLUMN_OSAKER,
                f"the rows print {width} values but the table has {len(numeric)} value columns; "
                f"assuming {', '.join(repr(d) for d in dropped)} empty",
                i + 1,
            )
        )

    plans: list[tuple[list[Reading], list[list[int]], str | None]] = []
    for idx, r in enumerate(value_rows):
        if use_exact and idx in exact_opts:
            opts = exact_opts[idx]
            plans.append((opts, [list(range(n_all))] * len(opts), None))
            continue
        opts = flex_opts[idx]
        by_count: dict[int, list[Reading]] = {}
        for o in opts:
            by_count.setdefault(_amounts(o), []).append(o)
        if not by_count:
            plans.append(([], [], None))
            continue
        lo, hi = min(by_count), max(by_count)
        target = width if lo <= width <= hi else (lo if lo > width else hi)
        chosen = by_count[target]
        cols, why = _flex_columns(r.label, target, active, numeric, drop, labels)
        cols_of = []
        for o in chosen:
            seq, it = [], iter(cols)
            for c in o:
                seq.append(next(it, -1) if isinstance(c, Amount) else -1)
            cols_of.append(seq)
        if target > len(numeric):
            warnings.append(f"line {r.rad}: more values ({target}) than columns ({len(numeric)})")
        plans.append((chosen, cols_of, why))

    # magnitudes from rows with a single reading, then the best reading for the others
    per_col: dict[int, list[float]] = {}
    for opts, cols_of, _ in plans:
        if len(opts) == 1:
            for cell, col in zip(opts[0], cols_of[0], strict=True):
                if isinstance(cell, Amount) and col >= 0:
                    per_col.setdefault(col, []).append(_magnitude(cell.value))
    medians = {c: median(v) for c, v in per_col.items()}

    vi = 0
    for r in raw_rows:
        if r.group:
            table.rows.append(Row(r.label, r.rad, group=True))
            continue
        opts, cols_of, why = plans[vi]
        vi += 1
        row = Row(r.label, r.rad, osaker=why)
        if opts:
            k = _choose(opts, cols_of, medians)
            for cell, col in zip(opts[k], cols_of[k], strict=True):
                if isinstance(cell, Amount) and 0 <= col < n_all:
                    row.cells.append(Cell(col, cell.value, cell.raw, cell.percent))
        table.rows.append(row)
        if why:
            table.notes.append((KvalitetTyp.KOLUMN_OSAKER, f"{r.label or '(no label)'}: {why}", r.rad))
    return table


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
    deviation = [c for c in active if DEVIATION_COLUMN_RE.search(labels[c])]
    if DEVIATION_LABEL_RE.search(label) and deviation:
        cols = active[len(active) - k :]
        return cols, f"{k} of {len(active)} values; assumed to belong to the last columns"
    return active[:k], f"{k} of {len(active)} values; assumed to belong to the first columns"
