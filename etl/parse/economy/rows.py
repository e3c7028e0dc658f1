"""The rows of a layout economy table, from its header to the next header or the prose after it.

A row is a label (possibly wrapped, possibly carrying the values on its last line) and a line of values
separated by single spaces. A label line without values either continues into the next row's label or, after
a blank line or a run of trailing spaces, is a group row of its own ('Förskolor', 'Centrala medel     ').
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.economy.header import prose_end, try_header
from malbas.etl.parse.economy.model import clean_label
from malbas.etl.parse.economy.settings import ROWS
from malbas.etl.parse.economy.tokens import EMPTY_CELLS_AFTER, YEAR_RE, Item, is_value_only, split_tail, value_items
from malbas.etl.parse.text import join_wrapped

# Words a small number completes in a row label: 'Tertial 1', 'Område 2', 'Etapp 3'.
_ORDINAL = re.compile(r"\s*(\d{1,2})(?=\s|$)\s?")
_DIGITS = re.compile(r"\d+")
_DIGIT_FIRST = re.compile(r"\s*\d")
_DIGIT = re.compile(r"\d")
_BROKEN_DECIMAL = re.compile(r"\d,$")  # '1258,' + '2 1207,5 …': a number broken over two lines
_ORDINAL_WORD = re.compile(r"(?:^|\s)(?:tertial|kvartal|område|etapp|steg|fas|grupp|del|nivå|vecka|t)$", re.IGNORECASE)


@dataclass(slots=True)
class RawRow:
    label: str
    rad: int
    items: list[Item]
    group: bool = False


def _ordinal_in_label(raw: str, label: str, tail: str, start: int) -> tuple[str, str, int]:
    m = _ORDINAL.match(tail)
    if m and label.strip() and _ORDINAL_WORD.search(label.strip()):
        cut = start + m.end()  # the label keeps the space after the ordinal, as split_tail's labels do
        return raw[:cut], raw[cut:], cut
    return label, tail, start


def _number_ends_label(lines: Sequence[str], i: int, stop: int, label: str, tail: str) -> bool:
    """A number that ends a label: a year ('Analys av årsresultat 2021'), or a small number when the values
    follow on their own line ('Gruppbostäder' / 'område 2')."""
    if not (tail and label.strip() and len(tail.split()) == 1 and _DIGITS.fullmatch(tail.strip())):
        return False
    k = i + 1
    while k < stop and not lines[k].strip():
        k += 1
    return bool(YEAR_RE.match(tail.strip()) or (k < stop and is_value_only(lines[k])))


def _split_row_line(lines: Sequence[str], i: int, stop: int) -> tuple[str, str, int]:
    """Line i as (label, value tail, index of the tail); the tail is empty when the line is a label only."""
    raw = lines[i]
    label, tail, tstart = _ordinal_in_label(raw, *split_tail(raw))
    if tail.rstrip().endswith(",") and not (i + 1 < stop and _DIGIT_FIRST.match(lines[i + 1])):
        return raw, "", tstart  # 'Resultatfond från 2019, ' / 'överskott': a comma in the label, no broken number
    if _number_ends_label(lines, i, stop, label, tail):
        return raw, "", tstart
    return label, tail, tstart


def _ends_table(text: str) -> bool:
    """A line without values that is prose after the table rather than a row label."""
    return len(text) > ROWS.label_line or prose_end(text) or text.endswith(";")


@dataclass(slots=True)
class _Rows:
    """The rows read so far, and the label lines that wait for their values."""

    tsc: bool  # the text follows the trailing-space convention (see text.join_wrapped)
    rows: list[RawRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending: list[tuple[int, str]] = field(default_factory=list)
    blank_after_pending: bool = False

    def _joined(self, parts: list[str]) -> str:
        return join_wrapped(parts, cells=True, trailing_space_convention=self.tsc)

    def flush_group(self) -> None:
        """The waiting label lines as a group row (a row with no values)."""
        if self.pending:
            label = clean_label(self._joined([p for _, p in self.pending]))
            self.rows.append(RawRow(label, self.pending[0][0] + 1, [], group=True))
        self.pending = []

    def blank(self, raw: str) -> None:
        if len(raw) >= 2 and self.pending and self.blank_after_pending:
            self.flush_group()  # a spaces-only line: the label above has only empty cells
        if self.pending:
            self.blank_after_pending = True

    def label_line(self, i: int, raw: str) -> None:
        if self.pending and self.blank_after_pending:
            self.flush_group()
        self.pending.append((i, raw))
        self.blank_after_pending = False
        if EMPTY_CELLS_AFTER.search(raw):
            self.flush_group()  # 'Centrala medel     ': a group label followed by empty cells

    def _labelled(self, label: str) -> str:
        """The row's label: its own, after the label lines right above it."""
        if self.pending and not self.blank_after_pending:
            text = self._joined([p for _, p in self.pending] + [label])
        else:
            self.flush_group()
            text = label
        self.pending = []
        return text

    def _unlabelled(self, rad: int) -> str:
        """The label of values on a line of their own: the label lines above them."""
        if not self.pending:
            self.warnings.append(f"line {rad + 1}: values without a row label")
            return ""
        text = self._joined([p for _, p in self.pending])
        self.pending = []
        return text

    def value_row(self, lines: Sequence[str], i: int, stop: int, label: str, tstart: int) -> int:
        """The row whose values start on line i; returns the index after its last line."""
        rad = i
        body = lines[i].rstrip()
        # a number broken over two lines ('1258,' + '2 1207,5 …')
        while _BROKEN_DECIMAL.search(body) and i + 1 < stop and _DIGIT.match(lines[i + 1].strip()):
            i += 1
            body += lines[i].strip()
        if label.strip():
            lead = len(label) - len(label.rstrip()) - 1
            text = self._labelled(label)
            tail_body = body[len(label) :]
        else:
            lead = tstart
            text = self._unlabelled(rad)
            tail_body = body[len(body) - len(body.lstrip()) :]
        self.rows.append(RawRow(clean_label(text), rad + 1, value_items(tail_body, lead)))
        self.blank_after_pending = False
        return i + 1


def collect_rows(lines: Sequence[str], start: int, stop: int, tsc: bool) -> tuple[list[RawRow], int, list[str]]:
    """The rows from line `start` up to the next header or prose; returns (rows, index after them, warnings)."""
    acc = _Rows(tsc)
    i = start
    while i < stop:
        raw = lines[i]
        if not raw.strip():
            acc.blank(raw)
            i += 1
            continue
        if try_header(lines, i, stop) is not None:
            break
        label, tail, tstart = _split_row_line(lines, i, stop)
        if tail:
            i = acc.value_row(lines, i, stop, label, tstart)
            continue
        if _ends_table(raw.strip()) or len(acc.pending) >= ROWS.label_lines:
            break
        acc.label_line(i, raw)
        i += 1
    end = acc.pending[0][0] if acc.pending else i
    return acc.rows, end, acc.warnings
