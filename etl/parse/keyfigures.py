"""Key-figure tables (nyckeltal): tables of figures that are neither indicator nor economy tables.

The planning system prints them inside a goal's Analys or beside the economy tables, as plain layout text:

* statistics by year, with a change column: a header of years ("2017 2018 2019 2020 Förändring"), rows
  "Orosanmälningar 12,4 14,1 13,0 15,2 17%";
* monthly key figures: months as columns, a "Snitt 2020" column, "Varav kvinnor" / "Varav män" rows;
* ratios under years or terms ("Snitt barngrupp 16,1 16,6 17,1", "Antal barn/anställd 5,1 5,2 5,3");
* counts under a header of words ("Fråga Ja Ja delvis Nej Vet ej Ej svarat"), each row's label wrapped over
  lines above a line of its values.

A table is a header of column labels followed by rows whose values fill every column: a header of periods
(years, months, terms, "Snitt 2020") needs one such row, a header of words two (which words make one label
is told by the values' count and capitals: a lower-case word goes on the label before it). A row is read only
where its values fill the columns one way: thousands groups ("1 234") are joined where only one grouping
gives as many values as columns; a row that reads two ways, or has fewer values than columns (an empty cell
leaves no trace), is not read, and the self-audit reports its numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.furniture import is_page_break
from malbas.etl.parse.numbers import parse_number
from malbas.etl.parse.records import KeyFigure
from malbas.etl.parse.text import ICONS_AND_SPACE, line_cache, strip_markup
from malbas.vocabulary import Kon

_YEAR = r"(?:199\d|20[0-3]\d)(?:/\d{2})?"
_MONTH = (
    r"(?:jan(?:uari)?|feb(?:ruari)?|mar(?:s)?|apr(?:il)?|maj|jun(?:i)?|jul(?:i)?|aug(?:usti)?|sep(?:t(?:ember)?)?"
    r"|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A column label that names a time: a year, a month, a term or tertial of a year, an average or total of one.
_PERIOD_LABEL = (
    rf"(?:(?:VT|HT|T[1-3]|Tertial\s+[1-3]|Kv(?:artal)?\s*[1-4]|Q[1-4])\s+{_YEAR}"
    rf"|(?:Snitt|Medel(?:värde)?|Genomsnitt|Utfall|Prognos|Mål|Totalt|Summa)\s+(?:{_MONTH}\s*[-–]\s*{_MONTH}\s+)?{_YEAR}"
    rf"|{_MONTH}\s*[-–]\s*{_MONTH}(?:\s+{_YEAR})?|{_MONTH}(?:\s+{_YEAR})?|{_YEAR}(?:\s*[-–]\s*{_YEAR})?)"
)
# A column label that names no time but sits among them: the change, an average, a total.
_OTHER_LABEL = (
    rf"(?:(?:Förändring|Förändr\.?|Diff(?:\.|erens)?)(?:\s*%|\s+{_YEAR}\s*[-–]\s*{_YEAR})?"
    r"|Snitt|Medel(?:värde)?|Totalt|Summa)"
)
_LABEL_AT_END = re.compile(rf"(?:^|\s)((?P<period>{_PERIOD_LABEL})|{_OTHER_LABEL})\s*$", re.IGNORECASE)
_VALUE = re.compile(r"^[+\-−–]?\d+(?:[,.]\d+)?%?$")
_GROUP_HEAD = re.compile(r"[+\-−–]?\d{1,3}")  # a number's first thousands group …
_GROUP_TAIL = re.compile(r"\d{3}(?:[,.]\d+)?%?")  # … and a later one
_KON_LABEL = re.compile(r"^(?:(?:varav|därav|av dessa)\s+)?(kvinnor|flickor|män|pojkar)$", re.IGNORECASE)
_MAX_LABEL_LINES = 8  # a row label wrapped above its values (a question in a narrow column)
_MAX_LABEL_WIDTH = 100
_MAX_HEADER_WIDTH = 160
_MAX_ROW_LABEL = 80  # a label on its values' line; longer, a line ending in numbers is prose


@dataclass(slots=True)
class KeyFigureTable:
    """A key-figure table: its name, the lines it spans (0-based, [start, stop)) and its figures."""

    rubrik: str
    start: int
    stop: int
    header: str
    figures: list[KeyFigure] = field(default_factory=list)

    def accounted(self) -> tuple[str, ...]:
        """The texts the self-audit may account the table's numbers to: its name, header, labels and cells."""
        return (self.rubrik, self.header, *(t for f in self.figures for t in (f.rad_namn, f.text)))


def scan_key_figures(
    lines: Sequence[str], spans: Sequence[tuple[int, int]], covered: Sequence[tuple[int, int]]
) -> list[KeyFigureTable]:
    """The key-figure tables in `spans` (0-based [start, stop)), outside the tables already read (`covered`)."""
    inside = {i for a, b in covered for i in range(a, b)}
    tables: list[KeyFigureTable] = []
    for start, stop in spans:
        i = start
        while i < stop:
            line = lines[i]
            # a blank line (of spaces or TABs) opens no table of either form
            opens = i not in inside and not line.isspace() and line != ""
            table = (_tabbed_table_at if "\t" in line else _table_at)(lines, i, stop, inside) if opens else None
            if table is None:
                i += 1
                continue
            tables.append(table)
            i = table.stop
    return tables


def _table_at(lines: Sequence[str], i: int, stop: int, inside: set[int]) -> KeyFigureTable | None:
    header = _header(lines[i])
    if header is None:
        return None
    found = _table_rows(lines, i + 1, stop, inside, header)
    if found is None:
        return None
    labels, lead, rows = found
    read = [row for row in rows if row.cells]
    if len(read) < (1 if header[2] else 2):
        return None
    name = _name_above(lines, i) or lead or "Nyckeltal"
    figures = [figure for row in read for figure in _row_figures(row, labels, name, i)]
    # A row that reads no one way stays inside the table, unread: the self-audit reports its numbers.
    return KeyFigureTable(name, i, rows[-1].at + 1, lines[i].strip(), figures)


@dataclass(frozen=True, slots=True)
class _Row:
    """A row of a layout table: its label, the line of its values (0-based), its cells (empty if unread)."""

    label: str
    at: int
    cells: list[str]


def _table_rows(
    lines: Sequence[str], j: int, stop: int, inside: set[int], header: tuple[str, tuple[str, ...], bool]
) -> tuple[list[str], str, list[_Row]] | None:
    """(the column labels, the rows' heading, the rows) of the table whose header is above line j; None when
    a header of words fits no row's values."""
    lead, heads, periods = header
    labels = list(heads)
    rows: list[_Row] = []
    while j < stop and j not in inside:
        row = _row(lines, j, stop, inside)
        if row is None:
            break
        label, values, at, end = row
        if not periods and not rows:  # a header of words: the first row's values tell its columns
            labels, lead = _word_columns(lead, labels, len(values))
            if not labels:
                return None
        cells = _fill(values, len(labels))
        if cells is None and (len(values) < 2 or len(label) > _MAX_ROW_LABEL):
            break  # prose that ends in a number: the table ended
        rows.append(_Row(label, at, cells or []))
        j = end
    return labels, lead, rows


def _row_figures(row: _Row, labels: list[str], name: str, i: int) -> list[KeyFigure]:
    """The figures of a read row of the table whose header is line i: one per cell that reads as a number."""
    kon = _kon(row.label)
    return [
        KeyFigure(
            tabell=name,
            rad_namn=row.label,
            kolumn=column,
            varde=number,
            enhet="%" if cell.endswith("%") else None,
            kon=kon,
            rad=row.at + 1,
            tabell_rad=i + 1,
            text=cell,
        )
        for column, cell in zip(labels, row.cells, strict=True)
        if (number := parse_number(cell.rstrip("%").rstrip())) is not None
    ]


# A row of a tabbed table: its label, the line after it (its 1-based line) and its (column, text, value)s.
_TabbedRow = tuple[str, int, list[tuple[int, str, float]]]


def _tabbed_table_at(lines: Sequence[str], i: int, stop: int, inside: set[int]) -> KeyFigureTable | None:
    """A key-figure table in tabbed text (and read from a PDF): the TABs part the cells, so each value has its
    column and an empty cell is seen. The header's cells after the first are its column labels."""
    head = [strip_markup(c).strip(ICONS_AND_SPACE) for c in lines[i].split("\t")]
    labels = head[1:]
    periods = _tabbed_periods(labels)
    if periods is None:
        return None
    rows = _tabbed_rows(lines, i + 1, stop, inside, len(labels))
    if len(rows) < (1 if periods else 2):
        return None
    name = _name_above(lines, i) or head[0] or "Nyckeltal"
    figures = [figure for row in rows for figure in _tabbed_figures(row, labels, name, i)]
    return KeyFigureTable(name, i, rows[-1][1], lines[i].strip(), figures)


def _tabbed_periods(labels: list[str]) -> bool | None:
    """Whether a tabbed header's column labels name periods (at least two do); None when they are no header:
    fewer than two, or neither periods nor words."""
    named = [c for c in labels if c]
    periods = sum(1 for c in named if _names_period(c))
    if len(named) < 2 or not (periods >= 2 or all(c.replace(" ", "").isalpha() for c in named)):
        return None
    return periods >= 2


def _tabbed_rows(lines: Sequence[str], j: int, stop: int, inside: set[int], width: int) -> list[_TabbedRow]:
    """The rows of figures from line j on, under `width` columns, up to the first line that is none."""
    rows: list[_TabbedRow] = []
    while j < stop and j not in inside and ("\t" in lines[j] or not lines[j].strip()):
        cells = [c.strip() for c in lines[j].split("\t")]
        j += 1
        if not "".join(cells):
            continue
        row = _tabbed_row(cells, width)
        if row is None:
            break  # not a row of figures under these columns: the table ended
        rows.append((row[0], j, row[1]))
    return rows


def _tabbed_row(cells: list[str], width: int) -> tuple[str, list[tuple[int, str, float]]] | None:
    """A tabbed line's label and its (column, text, value)s; None unless every non-empty value cell is a number
    in one of the `width` columns."""
    label, values = strip_markup(cells[0]).strip(ICONS_AND_SPACE), cells[1:]
    numbers = [(k, v, n) for k, v in enumerate(values) if v and (n := parse_number(v.rstrip("%").rstrip())) is not None]
    if not label or not numbers or len(values) > width or len(numbers) < len([v for v in values if v]):
        return None
    return label, numbers


def _tabbed_figures(row: _TabbedRow, labels: list[str], name: str, i: int) -> list[KeyFigure]:
    label, rad, numbers = row
    kon = _kon(label)
    rad_namn = " ".join(label.split())
    return [
        KeyFigure(
            tabell=name,
            rad_namn=rad_namn,
            kolumn=labels[k] or f"Kolumn {k + 1}",
            varde=number,
            enhet="%" if cell.endswith("%") else None,
            kon=kon,
            rad=rad,
            tabell_rad=i + 1,
            text=cell,
        )
        for k, cell, number in numbers
    ]


# The last words a column label may have: most lines end in none of them, and are no header of periods.
_LAST_LABEL_WORDS = frozenset(
    {
        *("jan", "januari", "feb", "februari", "mar", "mars", "apr", "april", "maj", "jun", "juni", "jul", "juli"),
        *("aug", "augusti", "sep", "sept", "september", "okt", "oktober", "nov", "november", "dec", "december"),
        *("förändring", "förändr", "diff", "differens", "snitt", "medel", "medelvärde", "totalt", "summa", "%"),
    }
)


def _may_end_in_label(text: str) -> bool:
    last = text.rsplit(None, 1)[-1].lower().rstrip(".")
    return last[:1].isdigit() or last in _LAST_LABEL_WORDS


def _names_period(cell: str) -> bool:
    m = _LABEL_AT_END.fullmatch(" " + cell)
    return m is not None and m.group("period") is not None


@line_cache
def _header(line: str) -> tuple[str, tuple[str, ...], bool] | None:
    """(the row-label heading before the columns, the column labels, whether they name periods) of a header
    line: column labels read from the end, at least two that name periods; else a short line of words only."""
    text = strip_markup(line).strip(ICONS_AND_SPACE)
    if not text or len(text) > _MAX_HEADER_WIDTH or text.endswith((".", ":", ",")):
        return None
    labels: list[str] = []
    periods = 0
    rest = text if _may_end_in_label(text) else ""
    while rest and (m := _LABEL_AT_END.search(rest)) is not None:
        labels.insert(0, " ".join(m.group(1).split()))
        periods += m.group("period") is not None
        rest = rest[: m.start()].rstrip()
    if periods >= 2 and len(labels) >= 2:
        return rest, tuple(labels), True
    if len(text) > 80:
        return None
    words = text.split()
    if 3 <= len(words) <= 12 and all(w.replace("/", "").replace("-", "").isalpha() for w in words):
        return "", tuple(words), False
    return None


def _word_columns(lead: str, words: list[str], n: int) -> tuple[list[str], str]:
    """A header of words as n column labels: a capitalised word starts a label, a lower-case one goes on the
    label before it ('Ja delvis', 'Vet ej', 'Ej svarat'); one label more than the values is the rows' heading."""
    labels: list[str] = []
    for word in words:
        if labels and word[:1].islower():
            labels[-1] += " " + word
        else:
            labels.append(word)
    if n < 2:
        return [], lead
    if len(labels) == n + 1:
        return labels[1:], labels[0]
    if len(labels) == n:
        return labels, lead
    return [], lead


def _row(lines: Sequence[str], j: int, stop: int, inside: set[int]) -> tuple[str, list[str], int, int] | None:
    """The row starting at or after line j (blank lines and page breaks skipped): (label, value texts, line of
    the values, the line after the row). A row is a label and its values on one line, or a label of a few short
    lines above a line of values only."""
    while j < stop and (not lines[j].strip() or is_page_break(lines[j])):
        j += 1
    if j >= stop or j in inside or _opens_table(lines[j]):
        return None  # the end, or the header of the next table
    label, values = _split(lines[j])
    if values:
        return (label, values, j, j + 1) if label else None  # else values under no label
    return _wrapped_row(lines, j, stop, inside)


def _opens_table(line: str) -> bool:
    """Whether the line is the header of a table of periods."""
    header = _header(line)
    return header is not None and header[2]


def _wrapped_row(lines: Sequence[str], j: int, stop: int, inside: set[int]) -> tuple[str, list[str], int, int] | None:
    """A row whose label wraps over a few short lines from line j, above a line of values only."""
    found = _label_lines(lines, j, stop, inside)
    if found is None:
        return None
    parts, k = found
    while k < stop and not lines[k].strip():
        k += 1
    if not parts or k >= stop or k in inside:
        return None
    rest, values = _split(lines[k])
    if rest or not values:
        return None
    return " ".join(" ".join(parts).split()), values, k, k + 1


def _label_lines(lines: Sequence[str], k: int, stop: int, inside: set[int]) -> tuple[list[str], int] | None:
    """The stripped lines of a wrapped row label from line k on and the line after them; None when one is
    prose or the header of the next table."""
    parts: list[str] = []
    while k < stop and k not in inside and len(parts) < _MAX_LABEL_LINES:
        text = lines[k].strip()
        if not text:
            break
        if len(text) > _MAX_LABEL_WIDTH or _opens_table(lines[k]):
            return None
        parts.append(text)
        k += 1
    return parts, k


def _split(line: str) -> tuple[str, list[str]]:
    """A line as (its label, its value tokens): the values are the tokens at its end that read as numbers."""
    tokens = strip_markup(line).split()
    k = len(tokens)
    while k > 0 and (_VALUE.match(tokens[k - 1]) or tokens[k - 1] == "%"):
        k -= 1
    values: list[str] = []
    for t in tokens[k:]:
        if t == "%" and values:
            values[-1] += "%"
        elif t != "%":
            values.append(t)
    label = " ".join(tokens[:k]).strip(ICONS_AND_SPACE)
    return label, values


def _fill(values: list[str], n: int) -> list[str] | None:
    """The row's n cells: the value tokens, thousands groups joined ('1 234'), if exactly one grouping gives n."""
    readings = _groupings(values, n)
    return readings[0] if len(readings) == 1 else None


def _groupings(tokens: list[str], n: int) -> list[list[str]]:
    if n == 0:
        return [[]] if not tokens else []
    if not tokens or len(tokens) < n:
        return []
    out: list[list[str]] = []
    head = tokens[0]
    k = 1
    while True:
        for rest in _groupings(tokens[k:], n - 1):
            out.append([" ".join(tokens[:k]), *rest])
            if len(out) > 1:
                return out
        if k >= len(tokens) or not _continues_group(tokens[k - 1], tokens[k], head):
            return out
        k += 1


def _continues_group(prev: str, token: str, head: str) -> bool:
    """Whether `token` may be the next thousands group of a number begun by `head`: three digits (with a decimal
    part only at the end), after a head of one to three digits with no decimal part or sign of its own."""
    if "," in prev or "." in prev or prev.endswith("%"):
        return False
    if prev == head and not _GROUP_HEAD.fullmatch(head):
        return False
    return _GROUP_TAIL.fullmatch(token) is not None


def _kon(label: str) -> Kon | None:
    m = _KON_LABEL.match(label.strip())
    if m is None:
        return None
    return Kon.KVINNOR if m.group(1).lower() in ("kvinnor", "flickor") else Kon.MAN


def _name_above(lines: Sequence[str], i: int) -> str | None:
    """The table's name: the heading line just above its header, if there is one (short, no sentence)."""
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or is_page_break(lines[k]):
        return None
    text = strip_markup(lines[k]).strip(ICONS_AND_SPACE)
    if not text or len(text) > 90 or text.endswith((".", ",", ";")) or _split(lines[k])[1]:
        return None
    return " ".join(text.split())
