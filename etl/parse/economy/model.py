"""The economy tables' model (Table, Row, Cell) and what both text forms share: row-label and column cleaning, headings, units.

Plain functions over lines; no I/O. Used by scan.py (post-processing) and the readers of both text forms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.text import clean_cell, join_wrapped
from malbas.vocabulary import KvalitetTyp

_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_LIST_DASH = re.compile(r"^[-–•]\s+(?=\D)")
_HEADING_LEAD = re.compile(r"^[.\-–•\s]+")
_DIGIT_CAPITAL = re.compile(r"(?<=\d)(?=[A-ZÅÄÖ])")
_PAREN_LETTER = re.compile(r"(?<=\))(?=[A-Za-zÅÄÖåäö])")
_OPEN_PAREN_SPACE = re.compile(r"\(\s+")
_SPACE_CLOSE_PAREN = re.compile(r"\s+\)")
_WHITESPACE = re.compile(r"\s+")
_MARKDOWN_HEADING = re.compile(r"^\s*(#+)\s")
_FIRST_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")
_LOWER_OR_PAREN_START = re.compile(r"[a-zåäö(]")
_LOWER_START = re.compile(r"[a-zåäö]")

# Money units printed in a header ("Mnkr", "(mnkr)", "Tkr"); an amount ("2,1 mnkr") is not a header unit.
UNIT_RE = re.compile(r"(?<![\d,.] )(?<![\d,.])\(?\b(mnkr|mkr|tkr)\b\)?(?:,\s*netto\b)?", re.IGNORECASE)


def has_unit(text: str) -> bool:
    """Whether the text prints a money unit (UNIT_RE): every unit holds "kr", and most lines, holding none,
    skip the pattern's look-behinds at every position."""
    return "kr" in text.lower() and UNIT_RE.search(text) is not None


TOTAL_RE = re.compile(r"^(summa|totalt|total\b|s:a\b)", re.IGNORECASE)
VARAV_RE = re.compile(r"^varav\b", re.IGNORECASE)
TEXT_CELL_RE = re.compile(r"^(ja|nej|JA|NEJ|Ja|Nej)$")
TEXT_COLUMN_RE = re.compile(r"\bja\s*/\s*nej\b", re.IGNORECASE)
# Rows that carry only a deviation / result transfer: their lone values belong to the deviation columns.
DEVIATION_LABEL_RE = re.compile(
    r"avvikelse|överskott|underskott|resultatdisposition|resultatfond|resultatöverföring", re.IGNORECASE
)
DEVIATION_COLUMN_RE = re.compile(r"avvikelse|differens", re.IGNORECASE)


@dataclass(slots=True)
class Cell:
    col: int  # index into Table.cols
    value: float
    raw: str
    percent: bool = False


@dataclass(slots=True)
class Row:
    label: str
    rad: int  # 1-based line of the values (of the label for group rows)
    cells: list[Cell] = field(default_factory=list)
    group: bool = False  # a label without values that heads the rows below it
    osaker: str | None = None  # why the column assignment is a guess


@dataclass(slots=True)
class Table:
    header_idx: int  # 0-based line of the first header line
    end: int  # 0-based index just past the table
    stub: str
    cols: list[str]
    rows: list[Row] = field(default_factory=list)
    text_cols: set[int] = field(default_factory=set)
    notes: list[tuple[KvalitetTyp, str, int | None]] = field(default_factory=list)  # (typ, meddelande, rad)
    warnings: list[str] = field(default_factory=list)


def clean_label(text: str) -> str:
    """Row label: markup stripped, a leading list dash removed ('- varav nyanlända')."""
    text = clean_cell(text)
    return _LIST_DASH.sub("", text)


def clean_heading(text: str) -> str:
    text = clean_cell(text)
    return _HEADING_LEAD.sub("", text).strip()


def clean_column(text: str) -> str:
    """Header label: glued header words separated ('2019Överskott', ')Underskott'), stars dropped."""
    text = clean_cell(text)
    text = _DIGIT_CAPITAL.sub(" ", text)
    text = _PAREN_LETTER.sub(" ", text)
    text = _OPEN_PAREN_SPACE.sub("(", text)
    text = _SPACE_CLOSE_PAREN.sub(")", text)
    return " ".join(text.split())


def markdown_level(line: str) -> int:
    m = _MARKDOWN_HEADING.match(line)
    return len(m.group(1)) if m else 0


def _heading_like(text: str, max_len: int = 110) -> bool:
    if not text or len(text) > max_len or "\t" in text:
        return False
    if text.endswith((".", ":", ";", ",")):
        return False
    first = _FIRST_LETTER.search(text)
    return bool(first and first.group(0).isupper()) and len(text.split()) <= 14


def _parent_section(lines: Sequence[str], h: int, level: int, floor: int) -> tuple[str, int] | None:
    """'## Resultatenheter' / '### Förskoleverksamhet' (text) / '### Äldreomsorgen' (text) / table: when
    the table follows the last of several table-less sibling subsections, it belongs to the parent."""
    siblings = 0
    for k in range(h - 1, floor - 1, -1):
        raw = lines[k]
        if "\t" in raw:
            return None
        lv = markdown_level(raw)
        if lv == level:
            siblings += 1
        elif 0 < lv < level:
            text = clean_heading(raw)
            return (text, k) if siblings and text else None
    return None


def find_heading(lines: Sequence[str], before: int, floor: int, markdown: bool, tsc: bool) -> tuple[str, int] | None:
    """Nearest heading above line index `before`, not above `floor`. Returns (text, 0-based index).

    Markdown files: only '#' lines of level <= 3 count (a '####' aside such as 'Löneöversyn' does not
    name the table after it). Plain files: a short line without a final period that starts upper-case,
    possibly wrapped over a few short lines ('Individ- och' / 'familjeomsorg').
    """
    j = before - 1
    while j >= floor:
        raw = lines[j]
        s = raw.strip()
        if not s or "\t" in raw:
            j -= 1
            continue
        if markdown:
            level = markdown_level(raw)
            if 1 <= level <= 3:
                text = clean_heading(raw)
                if text:
                    return _parent_section(lines, j, level, floor) or (text, j)
            j -= 1
            continue
        # collect a short wrapped block ending at j
        top = j
        while (
            top - 1 >= floor
            and j - top < 4
            and lines[top - 1].strip()
            and len(lines[top - 1].strip()) <= 60
            and not lines[top - 1].strip().endswith((".", ":", ";"))
            and _LOWER_OR_PAREN_START.match(lines[top].strip())
        ):
            top -= 1
        text = clean_heading(join_wrapped(lines[top : j + 1], cells=True, trailing_space_convention=tsc))
        # a line followed by a lower-case line is inside a paragraph
        nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
        inside = bool(_LOWER_START.match(nxt))
        if not inside and _heading_like(text, 75 if tsc else 110):
            return text, top
        j = top - 1
    return None


def infer_unit(header_text: str) -> str | None:
    m = UNIT_RE.search(header_text)
    if not m:
        return None
    unit = m.group(1).lower()
    return "mnkr" if unit in ("mnkr", "mkr") else "tkr"
