"""Indicator tables in layout text (pdftotext-like extractions of ILS-webb reports).

A table starts with a header block ("Indikator Periodens utfall …" split over many lines, words broken
mid-word) and holds rows of the shape

    <name lines> <blank> <value lines, cells wrapped over lines and blank lines> <period cell>
    [<blank> "Analys" <comment lines>]

Two spacing conventions exist. In one, cells are joined by single spaces and empty cells leave no
trace ("invisible"), so columns must be inferred. In the other, an empty cell is an empty string
between single-space separators, so k spaces mean k-1 empty cells ("spaced"); every row then has
exactly one cell per value column. The convention is detected per table from its rows.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.furniture import PAGE_BREAK, is_page_head, skip_page_noise
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.indicators import weights as W
from malbas.etl.parse.numbers import CLIMATE_UNIT, normalise_unit, parse_number, unit_in_text
from malbas.etl.parse.readers import RowScan
from malbas.etl.parse.records import INDICATOR_VALUE_COLUMNS, IndicatorRow

# ---------------------------------------------------------------- line classes

# No tab on the line: tabbed text has its own parser.
# "Indikator" may stand alone when the extraction breaks the header after it; "Arsmål" has lost its ring.
_HEADER_START = re.compile(r"^ *Indikator(?: +(?:Periodens|[ÅA]rsmål|Utfall|Prognos)[^\t]*)? *$")
_HEADER_END = re.compile(r"\bPeriod(icitet)?$")
# Lines that end an indicator table (besides goal markers, see _ends_table).
_TERMINATOR = re.compile(r"^\s*(Aktivitet\s+Startdatum|Uppföljning av ekonomi\s*$)")


def _ends_table(line: str) -> bool:
    return bool(_TERMINATOR.match(line)) or marker_level(line) is not None


_LONG_LINE = 62  # name lines wrap at ~30 chars; prose lines run to ~140

# ---------------------------------------------------------------- period cells

_YEAR = r"(?:19|20)\d\d"
# Interim periods (tertial, quarter, half year) and whole-year labels; "T2 2020", "Kvartal 3 2021", "Helår 2020".
_PERIOD_WORD = r"(?:Tertial\s*\d|T\d|Kvartal\s*\d|Q\d|Halvår\s*\d?|Delår\s*\d?|Helår|År|VB|VP|Bokslut)"
_WHOLE_YEAR = re.compile(rf"(?:(?:Helår|År|VB|Bokslut)\s+)?{_YEAR}")
_PERIOD_ONLY = re.compile(rf"^\s*(?:{_PERIOD_WORD}\s+)?{_YEAR}\s*$")
_PERIOD_END = re.compile(rf"(?:^|(?<=\s))((?:{_PERIOD_WORD}\s+)?{_YEAR})(\s*)$")
_PERIODICITY_END = re.compile(r"(?:^|(?<=\s))(Tertial|År|Halvår|Kvartal|Månad)(\s*)$")

# ---------------------------------------------------------------- atoms of a value text

# Units printed in indicator cells. Words that also end names ("48 timmar", "12 månader", "18 år")
# are deliberately absent so that a name is never cut at them.
_UNIT_RE = (
    rf"{CLIMATE_UNIT}|barn/\s*avd\.?|%|‰|st\b\.?|[kMG]Wh\b|tkr\b|mnkr\b"
    r"|kr/\s?[a-zåäö]+\.?|kr\b|poäng\b"  # "kr/invånare", "kr/brukare" before a bare "kr"
)
_ATOM = re.compile(rf"(?P<unit>{_UNIT_RE})|(?P<num>[+\-−–]?\d+(?:[,.]\d+)?(?![\d/-]))|(?P<pm>\+/-|±)|(?P<word>\S+)")
_STANDALONE_TEXT = {"öka", "minska", "oförändrat", "bibehålla", "-", "–", "ökning", "minskning"}
# How text cells in value blocks begin ("Tas fram av nämnd", "Ingen mätning", "Mäts ej", "Under 5 %", …).
_TEXT_START = re.compile(
    r"^(?:tas\b|öka|minska|fastställ|max\b|min\b|minst\b|högst\b|lägst\b|\+/-|±|ingen\b|inget\b|ej\b|mäts\b"
    r"|saknas|ny\b|nytt\b|uppgift|bibehåll|oförändr|redovisas|följs\b|(?:under|över|ca|cirka)\s+\d)",
    re.IGNORECASE,
)
# Text that replaces a measured value rather than a target.
_OUTCOME_TEXT = re.compile(
    r"^(?:ingen (?:mätning|uppgift|data)|inget (?:utfall|resultat)|mäts ej|ej (?:mätt|mätbar)|uppgift saknas|saknas"
    r"|data saknas|n/a|\.\.)",
    re.IGNORECASE,
)
_NUMERIC_TEXT_PREFIX = {"max", "min", "minst", "högst", "under", "över", "ca", "cirka"}


@dataclass(slots=True)
class _Atom:
    kind: str  # num | unit | pm | word
    text: str
    gap: int  # whitespace characters before the atom
    wrapped: bool = False  # a line break came right before this atom


@dataclass(slots=True)
class _Cell:
    text: str
    number: float | None
    unit: str | None
    gap: int
    wrapped_unit: bool = False  # the number ended a line and its unit began the next one


def _atoms(text: str, breaks: set[int]) -> list[_Atom]:
    out: list[_Atom] = []
    pos = 0
    for m in _ATOM.finditer(text):
        gap = m.start() - pos
        kind = m.lastgroup or "word"
        wrapped = any(pos <= b <= m.start() for b in breaks) and pos > 0
        tok = m.group()
        if kind == "num" and tok[0] in "-−–" and out and out[-1].kind == "word" and gap == 0:
            kind = "word"
        out.append(_Atom(kind, tok, gap, wrapped))
        pos = m.end()
    return out


_UNIT_WORD = re.compile(r"[a-zåäö]{2,12}\.?", re.IGNORECASE)


def _repeated_units(atoms: list[_Atom]) -> None:
    """A word printed after two or more of a row's numbers is the row's unit ('12 dagar 14 dagar', 'personer'):
    an indicator's unit is free text in the planning system, so no list of units can be complete. A word after
    one number only stays a word: names end in '48 timmar' and text cells read 'Max 10 personer'."""
    after: dict[str, list[int]] = {}
    for k in range(1, len(atoms)):
        a, prev = atoms[k], atoms[k - 1]
        if a.kind == "word" and prev.kind == "num" and a.gap <= 1 and _UNIT_WORD.fullmatch(a.text):
            after.setdefault(a.text.lower(), []).append(k)
    for word, where in after.items():
        if len(where) >= 2 and word not in _STANDALONE_TEXT and not _TEXT_START.match(word):
            for k in where:
                atoms[k].kind = "unit"


def _is_year(a: _Atom) -> bool:
    return a.kind == "num" and re.fullmatch(_YEAR, a.text) is not None


def _group_cells(atoms: list[_Atom], spaced: bool) -> list[list[_Atom]]:
    """Group atoms into cells. Units attach to the number before them; words form text cells that may
    embed numbers ("Max 10 personer", "Fastställs 2020", "+/-1 %", "2 % energieffektivisering …")."""
    cells: list[list[_Atom]] = []
    i = 0
    n = len(atoms)
    while i < n:
        a = atoms[i]
        if a.kind == "unit":
            if cells:
                cells[-1].append(a)
            else:
                cells.append([a])
            i += 1
            continue
        if a.kind == "num":
            cell = [a]
            i += 1
            while i < n and atoms[i].kind == "unit":
                cell.append(atoms[i])
                i += 1
            # "2 % energieffektivisering relativt 2018": a number glued to a lower-case description
            if (
                i < n
                and atoms[i].kind == "word"
                and atoms[i].gap <= 1
                and atoms[i].text[:1].islower()
                and atoms[i].text.lower() not in _STANDALONE_TEXT
            ):
                i = _extend_text(atoms, i, cell, spaced)
            cells.append(cell)
            continue
        # text cell
        cell = [a]
        i += 1
        if a.kind == "pm" or a.text.lower() in _NUMERIC_TEXT_PREFIX:
            while i < n and atoms[i].kind in ("num", "unit") and atoms[i].gap <= 1:
                cell.append(atoms[i])
                i += 1
                if cell[-1].kind == "unit":
                    break
        if a.text.lower() in _STANDALONE_TEXT:
            cells.append(cell)
            continue
        i = _extend_text(atoms, i, cell, spaced)
        cells.append(cell)
    return cells


def _extend_text(atoms: list[_Atom], i: int, cell: list[_Atom], spaced: bool) -> int:
    """Absorb the words (and numbers between words, or a trailing year) that continue a text cell."""
    n = len(atoms)
    while i < n:
        a = atoms[i]
        if a.kind == "word" and a.text.lower() not in _STANDALONE_TEXT and (a.gap <= 1 or not spaced):
            if a.text[:1].isupper() and a.text in ("Tas", "Fastställs", "Max") and cell[-1].kind != "word":
                break
            cell.append(a)
            i += 1
            continue
        if a.kind == "num" and _is_year(a) and (i + 1 == n or atoms[i + 1].kind == "word"):
            cell.append(a)  # "Fastställs 2020", "relativt 2018" (the gap may be a wrap artefact)
            i += 1
            continue
        if a.kind == "num" and a.gap <= 1 and i + 1 < n and atoms[i + 1].kind in ("word", "unit"):
            j = i + 1
            while j < n and atoms[j].kind == "unit":
                j += 1
            if j < n and atoms[j].kind == "word" and atoms[j].text.lower() not in _STANDALONE_TEXT:
                cell.extend(atoms[i:j])  # "Max 10 personer"
                i = j
                continue
            if j == n and atoms[i + 1].kind == "word":
                break
        break
    return i


def _cell_from_atoms(group: list[_Atom]) -> _Cell:
    text = ""
    for k, a in enumerate(group):
        text += ("" if k == 0 or a.gap == 0 else " ") + a.text
    gap = group[0].gap
    if all(a.kind in ("num", "unit") for a in group) and group[0].kind == "num":
        nums = [a for a in group if a.kind == "num"]
        units = [a for a in group if a.kind == "unit"]
        if len(nums) == 1:
            unit = normalise_unit(units[-1].text) if units else None
            wrapped = bool(units) and units[0].wrapped
            return _Cell(text, parse_number(nums[0].text), unit, gap, wrapped)
    return _Cell(text, None, None, gap)


def _merge_options(groups: list[list[_Atom]]) -> list[int]:
    """Indexes k where groups[k] and groups[k+1] could be one number with a thousands separator."""
    out = []
    for k in range(len(groups) - 1):
        a, b = groups[k], groups[k + 1]
        if len(a) != 1 or a[0].kind != "num" or b[0].kind != "num" or b[0].gap != 1:
            continue
        if not re.fullmatch(r"[+\-−–]?\d{1,3}", a[0].text):
            continue
        if not re.fullmatch(r"\d{3}(?:,\d+)?", b[0].text):
            continue
        if any(x.kind == "word" for x in b):
            continue
        out.append(k)
    return out


def _segmentations(groups: list[list[_Atom]]) -> list[tuple[list[_Cell], float]]:
    """Every way to read thousands separators: (cells, prior score of the merges chosen)."""
    opts = _merge_options(groups)
    results = []
    for r in range(len(opts) + 1):
        for chosen in itertools.combinations(opts, r):
            merged: list[list[_Atom]] = []
            for k, g in enumerate(groups):
                if k - 1 in chosen:
                    left = merged[-1][0]
                    merged[-1] = [_Atom("num", f"{left.text} {g[0].text}", left.gap, left.wrapped)] + g[1:]
                else:
                    merged.append(list(g))
            cells = [_cell_from_atoms(g) for g in merged]
            if any(_bad_number(c) for c in cells):
                continue
            prior = sum(W.MERGE_PRIOR[len(groups[k][0].text.lstrip("+-−–"))] for k in chosen)
            results.append((cells, prior))
    return results or [([_cell_from_atoms(g) for g in groups], 0.0)]


def _bad_number(c: _Cell) -> bool:
    """A cell that cannot stand alone: '000', '050 st' (the tail of a thousands group)."""
    return c.number is not None and re.match(r"^[+\-−–]?0\d", c.text) is not None


# ---------------------------------------------------------------- header


@dataclass(slots=True)
class _Header:
    columns: list[str]
    end: int  # index after the header's last line
    periodicity: bool = False


# After "utfall" in a squashed header: the label of an earlier period ("VB 2019", "T2 2019", "2019").
_EARLIER = r"(?:vb|t\d|tertial\d|helår|år)?(?:19|20)\d\d"


def _read_header(lines: Sequence[str], i: int, stop: int) -> _Header | None:
    parts = []
    for j in range(i, min(stop, i + 40)):
        s = lines[j].strip()
        parts.append(s)
        if _HEADER_END.search(s):
            sq = re.sub(r"\s+", "", "".join(parts)).lower()
            cols = []
            if re.search(rf"periodensutfall(?!{_EARLIER})", sq) or re.match(rf"indikatorutfall(?!{_EARLIER})", sq):
                cols.append("utfall")
            if "män/" in sq or "pojkar" in sq:
                cols.append("utfall_man")
            if "kvinn" in sq or "flick" in sq:
                cols.append("utfall_kvinnor")
            if re.search(rf"utfall{_EARLIER}|föregående|fgår", sq):
                cols.append("foregaende_utfall")
            if "prognos" in sq:
                cols.append("prognos")
            targets, kf_targets = len(re.findall(r"[åa]rsm[åa]l", sq)), len(re.findall(r"kf:s[åa]rsm[åa]l", sq))
            if targets > kf_targets:
                cols.append("arsmal")
            if kf_targets:
                cols.append("kf_arsmal")
            cols = [c for c in INDICATOR_VALUE_COLUMNS if c in cols]
            return _Header(cols, j + 1, s.endswith("Periodicitet")) if cols else None
        if j > i and (not s and len(parts) > 30):
            break
    return None


# ---------------------------------------------------------------- items: the table split into pieces


@dataclass(slots=True)
class _Item:
    kind: str  # block | header | noise | analys | end
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
            items.append(_Item("noise", i))
            i = skip_page_noise(lines, i, stop)
            continue
        if _blank(s):
            i += 1
            continue
        if _HEADER_START.match(s):
            h = _read_header(lines, i, stop)
            if h is not None:
                items.append(_Item("header", i))
                i = h.end
                continue
        if _ends_table(s):
            items.append(_Item("end", i))
            break
        if s.strip() == "Analys":
            if i + 1 >= stop or _blank(lines[i + 1]):
                items.append(_Item("end", i))  # goal-level Analys: followed by a blank line
                break
            item, i = _read_analys(lines, i, stop)
            items.append(item)
            continue
        block = _Item("block", i)
        while i < stop and not _blank(lines[i]):
            # The first line is always taken, so a header-like line that is no header cannot stall the scan.
            if block.lines and (_HEADER_START.match(lines[i]) or is_page_head(lines[i]) or _ends_table(lines[i])):
                break
            if lines[i].strip() == "Analys" and block.lines:
                break
            block.lines.append((i, lines[i]))
            i += 1
        items.append(block)
    return items


def _read_analys(lines: Sequence[str], i: int, stop: int) -> tuple[_Item, int]:
    """A row-level comment: 'Analys' directly followed by text, which may be cut by a page-top header."""
    item = _Item("analys", i)
    j = i + 1
    while j < stop:
        s = lines[j]
        if (_blank(s) and s != PAGE_BREAK) or _ends_table(s):
            break
        if _HEADER_START.match(s) or is_page_head(s):
            h = _read_header(lines, j, stop) if _HEADER_START.match(s) else None
            k = h.end if h else skip_page_noise(lines, j, stop)
            while k < stop and _blank(lines[k]):
                k += 1
            text_so_far = " ".join(t for _, t in item.lines).strip()
            nxt = lines[k] if k < stop else ""
            if k < stop and (
                (not item.lines and len(nxt.strip()) > _LONG_LINE)
                or (item.lines and not text_so_far.endswith((".", "!", "?")) and nxt[:1].islower())
            ):
                j = k
                continue
            break
        item.lines.append((j, s))
        j += 1
    return item, j


# ---------------------------------------------------------------- joining lines


def _join(parts: list[list[str]]) -> tuple[str, set[int]]:
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


def _join_name(lines: list[str]) -> str:
    text = ""
    for k, line in enumerate(lines):
        text += line if k else line.lstrip()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^[^\w(\"”'»]+", "", text)  # status icons/bullets before the name


# ---------------------------------------------------------------- rows


@dataclass(slots=True)
class _RawRow:
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


def _value_tail(line: str) -> int | None:
    """Where values start on a line that begins with name words (None when there are none)."""
    for m in re.finditer(r"(?<=\s)[+\-−–]?\d", line):
        rest = line[m.start() :]
        atoms = _atoms(rest, set())
        if not atoms or atoms[0].kind != "num":
            continue
        _repeated_units(atoms)  # '1,95 dagar 1,8 dagar': a unit no list knows
        if _PERIOD_END.search(rest.rstrip()) and len(atoms) >= 2:
            ok = all(a.kind in ("num", "unit") for a in atoms[:2])
        else:
            ok = len(atoms) >= 2 and atoms[1].kind in ("num", "unit")
        if ok and _reads_as_cells(rest, atoms):
            return m.start()
    return None


def _reads_as_cells(rest: str, atoms: list[_Atom]) -> bool:
    """Words after the first numbers must open a text cell or the period; otherwise the numbers are part of
    the name ('Andel som ökat minst 3 % i vikt')."""
    w = next((k for k, a in enumerate(atoms) if a.kind == "word"), None)
    if w is None:
        return True
    tail = rest[rest.find(atoms[w].text) :] if atoms[w].text in rest else ""
    if _starts_text_cell(tail) or re.match(rf"{_PERIOD_WORD}\b", tail):
        return True
    numbers = sum(1 for a in atoms[:w] if a.kind == "num")
    return numbers >= 2 and _PERIOD_END.search(rest.rstrip()) is not None


def _block_tail(block: list[str]) -> tuple[int, int] | None:
    """(line, column) where a name block turns into values: '… grupp 15,9 ' + 'barn/avd.'"""
    for li, line in enumerate(block):
        if li == 0 and not line.strip():
            continue
        col = _value_tail(line)
        if col is None and li + 1 < len(block):
            # a lone number whose unit wrapped: 'Antal barn per grupp 15,9 ' / 'barn/avd.'
            m = re.search(r"(?<=\s)([+\-−–]?\d+(?:[,.]\d+)?)\s*$", line)
            if m:
                nxt = _atoms(_join([block[li + 1 :]])[0], set())  # the unit may wrap too: 'kg' / 'CO2e'
                rest = " ".join([line[m.start() :], *block[li + 1 :]])
                if nxt and nxt[0].kind == "unit" and _reads_as_cells(rest, _atoms(rest, set())):
                    col = m.start()  # not 'inom minst 80 ' + '% av ärendena': words after the unit
            if col is None:
                # a unit of several words wrapped after its first: 'Antal barn per grupp 0,16 kg ' / 'CO2e'
                joined = _join([block[li:]])[0]
                tail = _value_tail(joined)
                if tail is not None and tail < len(line.rstrip()):
                    col = tail
        if col is not None and (line[:col].strip() or li > 0):
            return li, col
    return None


def _valueish(block: list[str]) -> bool:
    s = block[0].lstrip()
    if not s:
        return False
    if _PERIOD_ONLY.match(" ".join(x.strip() for x in block)):
        return True
    atoms = _atoms(s, set())
    if not atoms:
        return False
    if atoms[0].kind in ("num", "unit", "pm"):
        return True
    return _starts_text_cell(s) or bool(re.match(rf"{_PERIOD_WORD}\b", s))


def _starts_text_cell(s: str) -> bool:
    s = s.lstrip()
    return bool(_TEXT_START.match(s)) or s.split(" ", 1)[0].lower() in _STANDALONE_TEXT


def _closes_row(block: list[str]) -> bool:
    """A block of short lines that ends in the period cell ('Ingen mätning 2020', 'nämnd' + 'Tertial 2 2020')."""
    text = " ".join(x.strip() for x in block)
    return all(len(x.strip()) <= _LONG_LINE for x in block) and _PERIOD_END.search(text) is not None


def _name_like(block: list[str]) -> bool:
    """A block that can be (part of) a name: a few short lines (names wrap at about 25 characters)."""
    return len(block) <= 10 and all(len(t.strip()) <= _LONG_LINE for t in block)


def _short(block: list[str]) -> bool:
    return len(block) <= 4 and all(len(t.strip()) <= _LONG_LINE for t in block)


def _name_across_break(items: list[_Item], k: int, row: _RawRow, next_index: Callable[[int], int | None]) -> int:
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


def _extend_name(row: _RawRow, more: list[str]) -> None:
    """A page break falls between words unless the part ends in a hyphen or slash ('BUS-' + 'överens…')."""
    last = row.name_lines[-1] if row.name_lines else ""
    if last and not last[-1].isspace() and not last.endswith(("-", "/")):
        row.name_lines[-1] = last + " "
    row.name_lines.extend(more)


def _continues_values(row: _RawRow, nb: _Item, after: _Item | None) -> bool:
    """Whether block nb still holds cells of a row that has not reached its period: it looks like values, or
    it closes the row with the period, or the block after it is the lone period (a text cell cut by a page)."""
    block = [t for _, t in nb.lines]
    if _valueish(block) or _closes_row(block):
        return True
    if not row.value_blocks or after is None or len(block) > 3 or any(len(t.strip()) > _LONG_LINE for t in block):
        return False
    return _PERIOD_ONLY.match(" ".join(t.strip() for _, t in after.lines)) is not None


def _period_split(text: str, periodicity: bool) -> tuple[str, str, int] | None:
    m = (_PERIODICITY_END if periodicity else _PERIOD_END).search(text.rstrip())
    if not m:
        return None
    before = text[: m.start(1)]
    gap = len(before) - len(before.rstrip())
    return before.rstrip(), _period_label(m.group(1)), max(gap, 1) if before.strip() else gap


def _period_label(cell: str) -> str:
    """'Tertial1 2025' (a cell wrapped after 'Tertial' and joined as printed) -> 'Tertial 1 2025'."""
    return re.sub(r"(?<=[a-zå])(?=\d)", " ", re.sub(r"\s+", " ", cell.strip()))


def _build_rows(lines: Sequence[str], items: list[_Item], header: _Header) -> tuple[list[_RawRow], list[str]]:
    rows: list[_RawRow] = []
    warns: list[str] = []
    k = 0
    after_header = False

    def next_index(k: int) -> int | None:
        while k < len(items) and items[k].kind in ("header", "noise"):
            k += 1
        return k if k < len(items) and items[k].kind == "block" else None

    def next_block(k: int) -> _Item | None:
        j = next_index(k)
        return None if j is None else items[j]

    def _values_next(k: int) -> bool:
        nb = next_block(k)
        block = [t for _, t in nb.lines] if nb is not None else []
        return bool(block) and (_valueish(block) or _closes_row(block))

    pending: list[_RawRow] = []  # blocks without values, kept until the table shows it goes on

    while k < len(items):
        it = items[k]
        if it.kind == "header":
            after_header = True
            k += 1
            continue
        if it.kind == "noise":
            after_header = True  # a page foot or head: what follows is on the next page
            k += 1
            continue
        if it.kind == "end":
            break
        if it.kind == "analys":
            if rows and rows[-1].analys is None and it.lines:
                rows[-1].analys = re.sub(r"\s+", " ", " ".join(t for _, t in it.lines)).strip()
                rows[-1].analys_rad = it.start + 1
                rows[-1].analys_end = it.lines[-1][0] + 1
            k += 1
            continue
        block = [t for _, t in it.lines]
        if any(len(t.strip()) > _LONG_LINE for t in block) and _block_tail(block) is None:
            break  # prose: the table is over
        tail = _block_tail(block)
        if tail is None and after_header and rows and not pending and _name_like(block) and not _values_next(k + 1):
            # After a page break, a name-like block followed by another row (not by values) is the rest of
            # the previous row's name: the row's first lines and values were printed on the page before.
            _extend_name(rows[-1], block)
            after_header = False
            k += 1
            continue
        if tail is not None:
            li, col = tail
            name_lines = block[:li] + [block[li][:col]]
            values = [[block[li][col:]] + block[li + 1 :]]
        else:
            name_lines, values = block, []
        row = _RawRow(name_lines, it.start + 1, values, end=it.lines[-1][0])
        k += 1
        if not values:
            k = _name_across_break(items, k, row, next_index)
        # collect value blocks until the period cell is found
        while True:
            if row.value_blocks:
                text, _ = _join(row.value_blocks)
                if _period_split(text, header.periodicity):
                    last = " ".join(x.strip() for x in row.value_blocks[-1])
                    nb = next_block(k)
                    nb_pure = nb is not None and _PERIOD_ONLY.match(" ".join(t.strip() for _, t in nb.lines))
                    if _PERIOD_ONLY.match(last) or not nb_pure:
                        break
            j = next_index(k)
            if j is None or not _continues_values(row, items[j], next_block(j + 1)):
                break
            row.value_blocks.append([t for _, t in items[j].lines])
            row.end = items[j].lines[-1][0]
            k = j + 1
        if not row.value_blocks:
            if after_header and rows and not pending and _short(block):
                _extend_name(rows[-1], block)  # the tail of a name cut by a page break
                after_header = False
                continue
            # A block without values is never the end of the table: it is a row whose cells could not be
            # found. It counts as a row only if the table goes on after it (else it is text after the table).
            row.note = "no value cells found for this row"
            pending.append(row)
            after_header = False
            continue
        text, _ = _join(row.value_blocks)
        split = _period_split(text, header.periodicity)
        if split is None:
            row.note = "no period cell"
        else:
            row.period, row.period_gap = split[1], split[2]
        rows.extend(pending)
        warns.extend(f"line {p.rad}: a block without value cells inside an indicator table" for p in pending)
        pending = []
        rows.append(row)
        after_header = False
    return rows, warns


# ---------------------------------------------------------------- public entry


def _goal_is_namnd(lines: Sequence[str], i: int) -> bool:
    for j in range(i, -1, -1):
        level = marker_level(lines[j])
        if level:
            return level[0] == "namndmal"
    return False


def _table_rows(lines: Sequence[str], i: int, stop: int) -> tuple[list[_RawRow], _Header, list[str], int]:
    header = _read_header(lines, i, stop)
    assert header is not None
    items = _items(lines, header.end, stop)
    rows, warns = _build_rows(lines, items, header)
    namnd = _goal_is_namnd(lines, i)
    for r in rows:
        r.nämnd = namnd
    last = max([header.end] + [r.rad for r in rows] + [r.analys_rad or 0 for r in rows])
    return rows, header, warns, last


# ---------------------------------------------------------------- column assignment


@dataclass(slots=True)
class _Reading:
    cells: dict[str, _Cell]
    score: float
    note: str | None = None


def _spaced_slots(cells: list[_Cell], period_gap: int) -> list[_Cell | None]:
    slots: list[_Cell | None] = []
    for k, c in enumerate(cells):
        empties = c.gap if k == 0 else max(c.gap - 1, 0)
        slots.extend([None] * empties)
        slots.append(c)
    if not cells:
        slots.extend([None] * period_gap)
    slots.extend([None] * max(period_gap - 1, 0))
    return slots


def _gender_score(cols: dict[str, _Cell], ctx: _Ctx) -> float:
    u, m, k = (cols.get(c) for c in ("utfall", "utfall_man", "utfall_kvinnor"))
    nums = [x.number if x is not None else None for x in (u, m, k)]
    if u is None or nums[0] is None:
        return W.GENDER_ONE_SIDED if (m is None) != (k is None) else 0.0
    total = nums[0]
    if m is not None and k is not None and nums[1] is not None and nums[2] is not None:
        lo, hi = min(nums[1], nums[2]), max(nums[1], nums[2])
        if ctx.kind != "share" and abs(lo + hi - total) < 0.01 and total >= 1:
            return W.GENDER_SUM
        if ctx.kind == "count":
            return W.GENDER_COUNT_MISMATCH
        slack = W.ROUNDING_SLACK if lo == int(lo) and hi == int(hi) and total != int(total) else 0.0
        if lo < hi and lo - slack <= total <= hi + slack and total not in (lo, hi):
            return W.GENDER_BRACKET
        if lo == hi == total or (lo == hi and abs(total - lo) <= slack):
            return W.GENDER_ALL_EQUAL
        if lo <= total <= hi:
            return W.GENDER_EQUALS_ONE
        return W.GENDER_OUTSIDE
    one = m if m is not None else k
    if one is not None and one.number is not None and ctx.kind != "count" and abs(total + one.number - 100) <= 2:
        # "Andel flickor" 20,03 with 79,97: the complement is the other sex's share
        girls = re.search(r"flick|kvinn", ctx.name, re.I) is not None
        return W.GENDER_COMPLEMENT + (W.GENDER_COMPLEMENT_RIGHT_SEX if (m is not None) == girls else 0.0)
    if one is not None:
        return W.GENDER_LONE
    return 0.0


def _score_invisible(cols: dict[str, _Cell], ctx: _Ctx) -> float:
    s = 0.0
    if "prognos" not in ctx.columns:
        u, f, p = W.NO_FORECAST_COLUMN
    else:
        u, f, p = W.STAGE_PRIORS[(ctx.stage, ctx.row_period)]
    weights = {
        "utfall": u,
        "utfall_man": W.GENDER_CELL,
        "utfall_kvinnor": W.GENDER_CELL,
        "foregaende_utfall": f,
        "prognos": p,
        "arsmal": W.TARGET,
        "kf_arsmal": W.KF_TARGET_UNDER_NAMNDMAL if ctx.namnd else W.KF_TARGET,
    }
    for col, cell in cols.items():
        s += weights[col]
        if cell.number is None:
            if _OUTCOME_TEXT.match(cell.text):  # "Ingen mätning" stands where a measured value would
                s += W.OUTCOME_TEXT_IN.get(col, W.OUTCOME_TEXT_ELSEWHERE)
            else:
                s += W.TEXT_IN.get(col, W.TEXT_ELSEWHERE)
        if cell.wrapped_unit:
            s += W.WRAPPED_UNIT.get(col, 0.0)
    return s + _gender_score(cols, ctx) + _forecast_score(cols, ctx)


def _forecast_score(cols: dict[str, _Cell], ctx: _Ctx) -> float:
    """A full-year forecast repeats the target early in the year and the outcome at year end."""
    p = cols.get("prognos")
    if p is None or p.number is None:
        return 0.0
    if ctx.stage == "year_end":
        u = cols.get("utfall")
        return W.FORECAST_IS_OUTCOME if u is not None and u.number == p.number else 0.0
    a = cols.get("arsmal")
    return W.FORECAST_IS_TARGET if a is not None and a.number == p.number else 0.0


@dataclass(slots=True)
class _Ctx:
    columns: list[str]
    namnd: bool
    name: str
    stage: str = "early"  # early | late | year_end: how far the report's year has run
    row_period: str = "interim"  # interim (a part of the year) | annual (a whole-year label)
    kind: str = "unknown"  # share | count | unknown: how gender cells relate to the total

    @property
    def annual(self) -> bool:
        return self.row_period == "annual" and self.stage != "year_end" and "prognos" in self.columns


def _assign(text: str, breaks: set[int], period_gap: int, spaced: bool, ctx: _Ctx) -> _Reading | None:
    atoms = _atoms(text, breaks)
    _repeated_units(atoms)
    groups = _group_cells(atoms, spaced)
    options = _segmentations(groups)
    ncols = len(ctx.columns)
    readings: list[_Reading] = []
    for cells, prior in options:
        if spaced:
            slots = _spaced_slots(cells, period_gap)
            if len(slots) != ncols:
                continue
            cols = {c: x for c, x in zip(ctx.columns, slots, strict=True) if x is not None}
            if any(x.number is None for c, x in cols.items() if c not in ("arsmal", "kf_arsmal")):
                prior += W.SPACED_TEXT_IN_VALUE_COLUMN
            readings.append(_Reading(cols, prior + _magnitude(cells)))
            continue
        if len(cells) > ncols:
            continue
        for chosen in itertools.combinations(ctx.columns, len(cells)):
            cols = dict(zip(chosen, cells, strict=True))
            # the city-wide KF target may dwarf the district's values ('30 35 st 4 500 st'): not in the check
            local = [x for c, x in cols.items() if c != "kf_arsmal"]
            readings.append(_Reading(cols, prior + _magnitude(local) + _score_invisible(cols, ctx)))
    if not readings:
        return None
    readings.sort(key=lambda r: -r.score)
    best = readings[0]
    if len(readings) > 1:
        rival = next((r for r in readings[1:] if _differs(r, best)), None)
        if rival is not None and best.score - rival.score < (W.MARGIN_SPACED if spaced else _margin(best)):
            best.note = "ambiguous columns; the other reading: " + _describe(rival)
    if not spaced and len(best.cells) < ncols and best.note is None:
        filled = [c for c in ctx.columns if c in best.cells]
        if _alternatives(readings, best) and not ctx.annual and len(filled) < ncols - 1:
            best.note = "empty cells leave no trace; columns inferred"
    if not spaced and best.note is None and (other := _other_grouping(readings, best)):
        best.note = f"spaces may be thousands separators; the other reading: {_describe(other)}"
    if not spaced and best.note is None and (pair := _unit_on_a_split_tail(list(best.cells.values()))):
        best.note = f"'{pair}' may be one number with a thousands space; cells inferred"
    if best.note is None and (cut := _split_at_wrap(atoms, best)):
        best.note = f"a line break between '{cut[0]}' and '{cut[1]}' may fall inside one number; cells inferred"
    return best


def _other_grouping(readings: list[_Reading], best: _Reading) -> _Reading | None:
    """A close reading that groups the digits into other numbers ('82 404' one cell or two), if any."""
    close = (r for r in readings[1:] if best.score - r.score < W.ALTERNATIVE)
    return next((r for r in close if len(r.cells) != len(best.cells)), None)


def _split_at_wrap(atoms: list[_Atom], best: _Reading) -> tuple[str, str] | None:
    """A wrapped line that ends in a number of up to three digits, continued by a three-digit one ('239' / '382'),
    may be a narrow cell wrapping '239 382' at its thousands space: if the reading kept them apart, it guessed.
    A line that ends in a decimal number continued by bare digits may be one number cut mid-word."""
    texts = [c.text for c in best.cells.values()]
    for a, b in itertools.pairwise(atoms):
        if not (b.wrapped and a.kind == b.kind == "num"):
            continue
        if _HEAD.fullmatch(a.text) and _TAIL.fullmatch(b.text) and not any(f"{a.text} {b.text}" in t for t in texts):
            return a.text, b.text
        if _DECIMAL.fullmatch(a.text) and b.text.isdigit():
            return a.text, b.text  # '-20,0' / '3 ‰': the decimals of '-20,03' may go on
    return None


_HEAD = re.compile(r"[+\-−–]?\d{1,3}")
_TAIL = re.compile(r"\d{3}(?:,\d+)?")
_DECIMAL = re.compile(r"[+\-−–]?\d+,\d+")


def _unit_on_a_split_tail(cells: list[_Cell]) -> str | None:
    """'251 100 kr 266 600 kr' read as four cells: a unit on a three-digit cell that directly follows a bare number
    ('251', '100 kr') may as well close one number with a thousands space (a share never reaches thousands, so
    not '100 100 %'). Returns the first such pair."""
    pairs = [
        f"{a.text} {b.text}"
        for a, b in itertools.pairwise(cells)
        if a.unit is None
        and a.number is not None
        and _HEAD.fullmatch(a.text)
        and b.unit not in (None, "%", "‰")
        and b.gap == 1
        and _TAIL.fullmatch(b.text.split(" ")[0])
    ]
    return pairs[0] if pairs else None


def _margin(best: _Reading) -> float:
    """Score lead a reading needs to count as certain. Three or more equal values ('100 % 100 % 100 %') void the
    arithmetic checks (gender shares, forecast = outcome), so only priors would decide: ask for a wider lead."""
    nums = [c.number for c in best.cells.values() if c.number is not None]
    repeated = max((nums.count(x) for x in nums), default=0)
    return W.MARGIN_REPEATED if repeated >= 3 else W.MARGIN


def _differs(a: _Reading, b: _Reading) -> bool:
    return {k: v.text for k, v in a.cells.items()} != {k: v.text for k, v in b.cells.items()}


def _alternatives(readings: list[_Reading], best: _Reading) -> bool:
    return any(_differs(r, best) and best.score - r.score < W.ALTERNATIVE for r in readings[1:])


def _describe(r: _Reading) -> str:
    return ", ".join(f"{k}={v.text}" for k, v in r.cells.items())


def _magnitude(cells: list[_Cell]) -> float:
    """Penalty for a number far off the others ('137 123' read as 137 123 next to 139 and 75)."""
    vals = [abs(c.number) for c in cells if c.number]
    if len(vals) < 3:
        return 0.0
    logs = sorted(math.log10(v) for v in vals)
    med = logs[len(logs) // 2]
    return W.OFF_MAGNITUDE * sum(1 for x in logs if abs(x - med) > 2.0)


def _row_unit(cells: dict[str, _Cell]) -> str | None:
    units = [c.unit for c in cells.values() if c.unit]
    if units:
        return max(units, key=units.count)
    return next((u for c in cells.values() if (u := unit_in_text(c.text))), None)


def _is_spaced_table(rows: list[_RawRow], header: _Header) -> bool:
    """Spaced convention: rows show multi-space gaps or leading spaces, and those rows then have
    exactly one cell per value column."""
    fits = misfits = 0
    for r in rows:
        text, _ = _join(r.value_blocks)
        split = _period_split(text, header.periodicity)
        before, gap = (split[0], split[2]) if split else (text.rstrip(), 1)
        atoms = _atoms(before, set())
        evidence = gap >= 2 or (atoms and atoms[0].gap > 0) or any(a.gap >= 2 and a.kind != "unit" for a in atoms[1:])
        if not evidence:
            continue
        groups = _group_cells(atoms, True)
        if any(len(_spaced_slots(c, gap)) == len(header.columns) for c, _ in _segmentations(groups)):
            fits += 1
        else:
            misfits += 1
    return fits > 0 and fits >= misfits


def _to_record(r: _RawRow, header: _Header, spaced: bool, stage: str) -> IndicatorRow:
    rec = IndicatorRow(
        namn=_join_name(r.name_lines), rad=r.rad, analys=r.analys, analys_rad=r.analys_rad, slut=r.end + 1
    )
    text, breaks = _join(r.value_blocks)
    split = _period_split(text, header.periodicity)
    if split:
        before = split[0]
        if header.periodicity:
            rec.periodicitet = split[1]
        else:
            rec.period = split[1]
    else:
        before = text.rstrip()
    ctx = _Ctx(header.columns, r.nämnd, rec.namn, stage, _row_period(rec.period), _value_kind(before, rec.namn))
    reading = _assign(before, breaks, r.period_gap, spaced, ctx)
    note = r.note
    if reading is None and spaced:
        reading = _assign(before, breaks, r.period_gap, False, ctx)
        note = "the number of cells does not match the columns"
    if reading is None:
        rec.osaker = "the value cells could not be read"
        return rec
    note = note or reading.note
    for col, cell in reading.cells.items():
        rec.celler[col] = cell.text
        if cell.number is None:
            rec.text[col] = cell.text
        else:
            setattr(rec, col, cell.number)
    rec.enhet = _row_unit(reading.cells)
    rec.osaker = note or _unknown_unit(rec.text)
    return rec


_DIGIT = re.compile(r"\d")
_NUMBER_THEN_WORDS = re.compile(r"^[+\-−–]?\d+(?:[ ,.]\d+)*\s*[^\d\s]")


def _unknown_unit(text: dict[str, str]) -> str | None:
    """A text cell that starts with a value and holds no other digit ('80 dagar', '249 kr/invån are') is a value
    with a unit no rule knows, or a value glued to a text cell: either way its number was not read. Another value
    after the word ('74 dagar 75'), or the start of a text cell ('… Fastställs 2020'), makes it two cells read as
    one; a year after it ('2 % energieffektivisering relativt 2018') is the text's own."""
    for col, cell in text.items():
        m = _NUMBER_THEN_WORDS.match(cell)
        if m and not _DIGIT.search(cell, m.end()):
            return f"{col} reads '{cell}': a value with a word after it that is no known unit"
        if m and any(not re.fullmatch(_YEAR, n) for n in _LATER_NUMBER.findall(cell, m.end())):
            return f"{col} reads '{cell}': values and words in one cell; the cells may be read wrong"
        if m and any(w[:1].isupper() and _TEXT_START.match(w) for w in cell[m.end() :].split()[1:]):
            return f"{col} reads '{cell}': a value glued to the text cell after it"
    return None


_LATER_NUMBER = re.compile(r"(?<![\d,])\d+(?:,\d+)?")


def _row_period(period: str | None) -> str:
    """'annual' for a whole-year label ('2020', 'Helår 2020'), else 'interim' ('Tertial 1 2020', 'VB 2020')."""
    return "annual" if period and re.fullmatch(rf"(?:(?:Helår|År)\s+)?{_YEAR}", period) else "interim"


_YEAR_END = re.compile(r"^(?:VB|Bokslut|Årsbokslut)\b", re.IGNORECASE)
_EARLY = re.compile(r"^(?:Tertial\s*1|T1|Kvartal\s*1|Q1)\b", re.IGNORECASE)


def _report_stage(periods: list[str]) -> str:
    """How far the report's year has run, from its period cells: 'year_end' (VB), 'early' (T1) or 'late'
    (T2, delår, or nothing to tell: then annual rows stay ambiguous and get flagged)."""
    if any(_YEAR_END.match(p) for p in periods):
        return "year_end"
    interim = [p for p in periods if _row_period(p) == "interim"]
    if interim and all(_EARLY.match(p) for p in interim):
        return "early"
    return "late"


def _value_kind(text: str, name: str) -> str:
    """'share' (percentages: gender shares bracket the total) or 'count' (men + women = total)."""
    if "%" in text or re.match(r"\s*(andel|procent)", name, re.IGNORECASE):
        return "share"
    if re.search(r"\d\s*st\b", text) or re.match(r"\s*antal\b", name, re.IGNORECASE):
        return "count"
    return "unknown"


def scan_layout_indicators(lines: Sequence[str], start: int, stop: int) -> RowScan[IndicatorRow]:
    """Every indicator table in lines[start:stop] of a layout-text report: its rows, warnings and extent."""
    tables: list[tuple[list[_RawRow], _Header]] = []
    warns: list[str] = []
    spans: list[tuple[int, int]] = []
    i = start
    while i < stop:
        if _HEADER_START.match(lines[i]) and _read_header(lines, i, stop) is not None:
            rows, header, w, last = _table_rows(lines, i, stop)
            warns.extend(w)
            tables.append((rows, header))
            spans.append((i, _table_end(rows, header)))
            i = max(last, i + 1)
            continue
        i += 1
    periods = [r.period for rows, h in tables for r in rows if r.period and not h.periodicity]
    stage = _report_stage(periods)
    out = _records(tables, stage)
    if stage in ("early", "late") and _annual_outcomes_measured(out):
        out = _records(tables, "late_measured")
    return RowScan(out, warns, spans)


def _table_end(rows: list[_RawRow], header: _Header) -> int:
    return max([header.end] + [r.end + 1 for r in rows] + [r.analys_end for r in rows])


def parse_layout_indicators(lines: Sequence[str], start: int, stop: int) -> tuple[list[IndicatorRow], list[str]]:
    """The rows (and warnings) of every indicator table in lines[start:stop] of a layout-text report."""
    scan = scan_layout_indicators(lines, start, stop)
    return scan.rows, scan.warnings


def _records(tables: list[tuple[list[_RawRow], _Header]], stage: str) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    for rows, header in tables:
        spaced = _is_spaced_table(rows, header)
        out.extend(_to_record(r, header, spaced, stage) for r in rows)
    return out


def _annual_outcomes_measured(records: list[IndicatorRow]) -> bool:
    """Whether this report's whole-year rows already carry outcomes: gender cells only exist next to an
    outcome, so certain annual rows with them are evidence that doesn't depend on the column priors."""
    annual = [r for r in records if _row_period(r.period) == "annual"]
    split = [r for r in annual if not r.osaker and r.utfall is not None and (r.utfall_man or r.utfall_kvinnor)]
    return len(annual) >= 4 and len(split) >= 0.25 * len(annual)
