"""The TABBED text form (markdown-like conversions: one TAB-separated row per line): what its indicator and
activity tables share.

Tables start at a header line ("Indikator\\t…", "Aktivitet\\tStartdatum\\t…") and run until a line without
TABs (prose, a heading) or another kind of header. Blank lines and repeated headers (page breaks) do not end
a table. Columns are mapped from the header by name, so unseen header combinations still map what is known.
The row builders of each table kind are in indicators/tabbed.py and activities/tabbed.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from malbas.etl.parse.records import Activity, IndicatorRow
from malbas.etl.parse.text import clean_text, line_cache

_ANALYS_RE = re.compile(r"^Analys\b\s*:?\s*(.*)$", re.DOTALL)
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_MARKER_EXTRA = set("!?")
_FIRST_TOKEN_RE = re.compile(r"^(\S+)(?:\s+(.*))?$", re.DOTALL)
_STARS_RE = re.compile(r"\*+")
_NOT_KEY_CHAR_RE = re.compile(r"[^a-z0-9]")
_FOUR_DIGITS_RE = re.compile(r"\d{4}")


# ---------------------------------------------------------------- cell text


def _is_marker_char(ch: str) -> bool:
    # Icons survive as symbols (✓ ♀ ⓘ ◆ 🟡), private-use glyphs or "!"; variation selectors ride along.
    return ch in _MARKER_EXTRA or unicodedata.category(ch) in ("So", "Sm", "Co", "Mn", "Me", "Cf")


def split_marker(text: str) -> tuple[str | None, str]:
    """'✓  Socialnämnden ska …' -> ('✓', 'Socialnämnden ska …'). The marker must stand apart from the text."""
    stripped = text.strip()
    m = _FIRST_TOKEN_RE.match(stripped)
    if not m:
        return None, stripped
    token = m.group(1)
    significant = [c for c in token if unicodedata.category(c) not in ("Mn", "Me", "Cf")]
    if significant and all(_is_marker_char(c) for c in token):
        return token, (m.group(2) or "").strip()
    return _glued_icon(stripped)


def _glued_icon(text: str) -> tuple[str | None, str]:
    """An icon glued to the word ("♀Andel …") is still an icon."""
    if not (_is_marker_char(text[0]) and text[0] not in _MARKER_EXTRA):
        return None, text
    i = 0
    while i < len(text) and _is_marker_char(text[i]):
        i += 1
    return text[:i], text[i:].strip()


def clean_name(text: str) -> tuple[str | None, str]:
    """Row name without tags, icons and padding; returns (marker, name)."""
    marker, name = split_marker(clean_text(text).replace("\n", " "))
    return marker, _STARS_RE.sub("", name).strip()  # markdown emphasis around a name


@line_cache
def parse_iso_date(text: str) -> date | None:
    m = _ISO_DATE_RE.match(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def analys_body(cell_text: str) -> str | None:
    """Text after an 'Analys' marker ('' when the marker stands alone), or None if this is not a marker."""
    m = _ANALYS_RE.match(clean_text(cell_text))
    return None if m is None else m.group(1).strip()


def append_text(existing: str | None, more: str) -> str:
    more = more.strip()
    if not more:
        return existing or ""
    return more if not existing else f"{existing}\n{more}"


@line_cache
def normalise_header(text: str) -> str:
    """Header cell -> comparable key: lower case, ASCII-folded, no spaces or punctuation.

    'Utfall kvinn or/ flickor' and 'Utfall kvinnor/ flickor' give the same key."""
    text = clean_text(text).lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    text = unicodedata.normalize("NFKD", text)
    return _NOT_KEY_CHAR_RE.sub("", text)


# ---------------------------------------------------------------- header mapping


def _label_column(key: str) -> str | None:
    if key.startswith("indikator") or key in ("namn", "matt"):
        return "namn"
    return "periodicitet" if "periodicitet" in key else None


def _value_column(key: str) -> str | None:
    if "kvinn" in key or "flick" in key:
        return "utfall_kvinnor"
    if key.startswith("utfallman") or "pojk" in key:
        return "utfall_man"
    if "progno" in key:
        return "prognos"
    if "arsmal" in key or "malvarde" in key or key in ("mal", "kfsmal"):
        return "kf_arsmal" if key.startswith("kf") else "arsmal"
    if "utfall" not in key:
        return None
    # "Periodens utfall VB 2019", "Utfall 2019", "Utfall föregående år": an earlier period's outcome.
    earlier = _FOUR_DIGITS_RE.search(key) or "foregaende" in key or "fgar" in key
    return "foregaende_utfall" if earlier else "utfall"


def indicator_column(cell: str) -> str | None:
    key = normalise_header(cell)
    if not key:
        return None
    column = _label_column(key) or _value_column(key)
    if column is not None:
        return column
    if key.startswith("period"):
        return "period"
    return "enhet" if key == "enhet" else None


def activity_column(cell: str) -> str | None:
    key = normalise_header(cell)
    if key.startswith("aktivitet") or key.startswith("uppdrag"):
        return "namn"
    if key.startswith("start"):
        return "startdatum"
    if key.startswith("slut"):
        return "slutdatum"
    if key.startswith("avvikelse"):
        return "avvikelse"
    if key.startswith("status"):
        return "status"
    if key.startswith("kommentar") or key.startswith("analys"):
        return "analys"
    return None


def split_cells(line: str) -> list[str]:
    return line.split("\t")


@line_cache
def header_kind(line: str) -> str | None:
    """'indikator' / 'aktivitet' when the line is a TAB table header of that kind."""
    if "\t" not in line:
        return None
    head = line[:60].lower()
    if "indikator" not in head and "aktivitet" not in head and "uppdrag" not in head:
        return None  # cheap pre-check before normalising every cell
    filled = [key for c in split_cells(line) if (key := normalise_header(c))]
    if len(filled) < 2:
        return None
    if filled[0].startswith("indikator") and _names_indicator_values(line):
        return "indikator"
    if filled[0].startswith(("aktivitet", "uppdrag")) and any(c.startswith(("start", "slut")) for c in filled):
        return "aktivitet"
    return None


def _names_indicator_values(line: str) -> bool:
    return any(indicator_column(c) not in (None, "namn") for c in split_cells(line))


def is_blank(line: str) -> bool:
    return not line.replace("\t", "").strip()


def filled_cells(cells: Sequence[str]) -> list[str]:
    return [c.strip() for c in cells if clean_text(c)]


# ---------------------------------------------------------------- the shared scanner


Row = IndicatorRow | Activity


def _add_analys(row: Row, text: str, rad: int) -> None:
    row.analys = append_text(row.analys, text)
    row.analys_rad = row.analys_rad or rad


@dataclass(slots=True)
class _TableWalk:
    """The walk through the tables of one kind: the rows so far, and where the walk stands."""

    kind: str
    column_of: Callable[[str], str | None]
    make_row: Callable[[str, list[str | None], int], Row | None]
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: list[str | None] | None = None  # None: outside a table of this kind
    last: Row | None = None
    after_header: bool = False  # the previous non-blank line was a (repeated) header
    marker_open: bool = False  # an 'Analys' marker stands alone and waits for its text

    def _leave_table(self) -> None:
        self.columns, self.last, self.marker_open = None, None, False

    def header(self, line: str, header: str, i: int) -> None:
        if header != self.kind:
            self._leave_table()
            return
        raw = split_cells(line)
        self.columns = [self.column_of(c) for c in raw]
        unknown = [c.strip() for c, col in zip(raw, self.columns, strict=True) if not col and c.strip()]
        if unknown:
            self.warnings.append(f"line {i + 1}: unknown columns {unknown}")
        self.after_header = True

    def line(self, line: str, columns: list[str | None], i: int) -> None:
        was_after_header, self.after_header = self.after_header, False
        row = self.make_row(line, columns, i + 1) if "\t" in line else None
        if row is not None:
            self.rows.append(row)
            self.last, self.marker_open = row, False
            return
        filled = filled_cells(split_cells(line))
        body = analys_body(filled[0]) if filled else None
        text = clean_text(" ".join(filled)).replace("\n", " ")
        if was_after_header and body is None and self._goes_on_cut_row(line, text, i):
            return
        if self.last is None or ("\t" not in line and body is None and not self.marker_open):
            if "\t" not in line:
                self._leave_table()  # prose or a heading ends the table
            return  # a TAB-padded paragraph before the first row
        if body is not None:
            self._marked_analys(self.last, body, filled, i)
        else:
            self._unmarked_analys(self.last, text, i)

    def _marked_analys(self, last: Row, body: str, filled: list[str], i: int) -> None:
        """'Analys: text …' (or the marker alone, its text on the next line)."""
        rest = clean_text(" ".join(filled[1:]))
        body = append_text(body, rest) if rest else body
        _add_analys(last, body, i + 1)
        self.marker_open = not body

    def _unmarked_analys(self, last: Row, text: str, i: int) -> None:
        if last.analys is None and not self.marker_open:
            self.warnings.append(f"line {i + 1}: text without an Analys marker attached to the row at line {last.rad}")
        _add_analys(last, text, i + 1)
        self.marker_open = False

    def _goes_on_cut_row(self, line: str, text: str, i: int) -> bool:
        """Under a repeated header only the cut row goes on, with or without the TABs of its empty cells: a
        lower-case fragment is the tail of its name, a sentence the rest of its analysis."""
        last = self.last
        if last is None or self.marker_open:
            return False
        if last.analys is None and text[:1].islower():
            last.namn = f"{last.namn} {text}"
            return True
        if last.analys is not None and "\t" not in line:
            _add_analys(last, text, i + 1)
            return True
        return False


def scan_tables(
    lines: Sequence[str],
    start: int,
    stop: int,
    kind: str,
    column_of: Callable[[str], str | None],
    make_row: Callable[[str, list[str | None], int], Row | None],
) -> tuple[list[Row], list[str]]:
    """Walk the tables of one kind. Lines that are not rows attach to the last row as its Analys:
    inline markers, a marker alone with the text on the next line, and text orphaned after a repeated
    header. A lower-case fragment right after a repeated header is the tail of a name cut by a page break."""
    walk = _TableWalk(kind, column_of, make_row)
    for i in range(start, min(stop, len(lines))):
        line = lines[i]
        header = header_kind(line)
        if header is not None:
            walk.header(line, header, i)
        elif walk.columns is not None and not is_blank(line):
            walk.line(line, walk.columns, i)
    return walk.rows, walk.warnings


def tab_runs(lines: Sequence[str], start: int, stop: int) -> list[tuple[int, int]]:
    """Runs of TAB-separated lines (the tables of tabbed text), blank lines inside a run allowed."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < stop:
        if "\t" not in lines[i]:
            i += 1
            continue
        j = i
        while j < stop and ("\t" in lines[j] or not lines[j].strip()):
            j += 1
        runs.append((i, j))
        i = j
    return runs
