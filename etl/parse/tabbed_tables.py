"""Indicator and activity tables in TABBED text (markdown-like conversions: one TAB-separated row per line).

Tables start at a header line ("Indikator\\t…", "Aktivitet\\tStartdatum\\t…") and run until a line without
TABs (prose, a heading) or another kind of header. Blank lines and repeated headers (page breaks) do not end
a table. Columns are mapped from the header by name, so unseen header combinations still map what is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from malbas.etl.parse.numbers import parse_cell, unit_in_text
from malbas.etl.parse.records import Activity, IndicatorRow

_TAG_RE = re.compile(r"<[^>]+>")
_PARA_BREAK_RE = re.compile(r"</p>\s*<p>", re.IGNORECASE)
_ANALYS_RE = re.compile(r"^Analys\b\s*:?\s*(.*)$", re.DOTALL)
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
# A period cell: "VB 2020", "2020", "Tertial 1 2020", "T1 2020"; a periodicity cell: "Tertial", "År".
_PERIOD_RE = re.compile(
    r"^(?:(?:VB|VP|T\d|Q\d|Tertial\s*\d?|Kvartal\s*\d?|Halvår\s*\d?|Helår|Delår\s*\d?|Månad|År)\s*)?(?:(?:19|20)\d\d)?$",
    re.IGNORECASE,
)
_MARKER_EXTRA = set("!?")


# ---------------------------------------------------------------- shared text helpers (also used by layout)


def clean_text(text: str) -> str:
    """Drop HTML tags and markdown emphasis, collapse whitespace; paragraph breaks become newlines."""
    text = _PARA_BREAK_RE.sub("\n", text)
    text = _TAG_RE.sub(" ", text)
    lines = (re.sub(r"\s+", " ", part).strip() for part in text.split("\n"))
    return "\n".join(part for part in lines if part)


def _is_marker_char(ch: str) -> bool:
    # Icons survive as symbols (✓ ♀ ⓘ ◆ 🟡), private-use glyphs or "!"; variation selectors ride along.
    return ch in _MARKER_EXTRA or unicodedata.category(ch) in ("So", "Sm", "Co", "Mn", "Me", "Cf")


def split_marker(text: str) -> tuple[str | None, str]:
    """'✓  Socialnämnden ska …' -> ('✓', 'Socialnämnden ska …'). The marker must stand apart from the text."""
    stripped = text.strip()
    m = re.match(r"^(\S+)(?:\s+(.*))?$", stripped, re.DOTALL)
    if not m:
        return None, stripped
    token = m.group(1)
    significant = [c for c in token if unicodedata.category(c) not in ("Mn", "Me", "Cf")]
    if significant and all(_is_marker_char(c) for c in token):
        return token, (m.group(2) or "").strip()
    # An icon glued to the word ("♀Andel …") is still an icon.
    if _is_marker_char(stripped[0]) and stripped[0] not in _MARKER_EXTRA:
        i = 0
        while i < len(stripped) and _is_marker_char(stripped[i]):
            i += 1
        return stripped[:i], stripped[i:].strip()
    return None, stripped


def clean_name(text: str) -> tuple[str | None, str]:
    """Row name without tags, icons and padding; returns (marker, name)."""
    marker, name = split_marker(clean_text(text).replace("\n", " "))
    return marker, re.sub(r"\*+", "", name).strip()  # markdown emphasis around a name


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


def _norm(text: str) -> str:
    """Header cell -> comparable key: lower case, ASCII-folded, no spaces or punctuation.

    'Utfall kvinn or/ flickor' and 'Utfall kvinnor/ flickor' give the same key."""
    text = clean_text(text).lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


# ---------------------------------------------------------------- header mapping


def _indicator_column(cell: str) -> str | None:
    key = _norm(cell)
    if not key:
        return None
    if key.startswith("indikator") or key in ("namn", "matt"):
        return "namn"
    if "periodicitet" in key:
        return "periodicitet"
    if "kvinn" in key or "flick" in key:
        return "utfall_kvinnor"
    if "man" in key and "pojk" in key or key.startswith("utfallman") or "pojk" in key:
        return "utfall_man"
    if "progno" in key:
        return "prognos"
    if "arsmal" in key or "malvarde" in key or key in ("mal", "kfsmal"):
        return "kf_arsmal" if key.startswith("kf") else "arsmal"
    if "utfall" in key:
        # "Periodens utfall VB 2019", "Utfall 2019", "Utfall föregående år": an earlier period's outcome.
        if re.search(r"\d{4}", key) or "foregaende" in key or "fgar" in key:
            return "foregaende_utfall"
        return "utfall"
    if key.startswith("period"):
        return "period"
    if key == "enhet":
        return "enhet"
    return None


def _activity_column(cell: str) -> str | None:
    key = _norm(cell)
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


def _split(line: str) -> list[str]:
    return line.split("\t")


def _header_kind(line: str) -> str | None:
    """'indikator' / 'aktivitet' when the line is a TAB table header of that kind."""
    if "\t" not in line:
        return None
    head = line[:60].lower()
    if "indikator" not in head and "aktivitet" not in head and "uppdrag" not in head:
        return None  # cheap pre-check before normalising every cell
    cells = [_norm(c) for c in _split(line)]
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return None
    first = filled[0]
    known = [_indicator_column(c) for c in _split(line)]
    if first.startswith("indikator") and any(c not in (None, "namn") for c in known):
        return "indikator"
    if first.startswith(("aktivitet", "uppdrag")) and any(c.startswith(("start", "slut")) for c in filled):
        return "aktivitet"
    return None


def _is_blank(line: str) -> bool:
    return not line.replace("\t", "").strip()


def _filled(cells: Sequence[str]) -> list[str]:
    return [c.strip() for c in cells if clean_text(c)]


# ---------------------------------------------------------------- indicators


def _is_period_cell(cell: str) -> bool:
    text = clean_text(cell)
    return bool(text) and len(text) <= 25 and bool(_PERIOD_RE.match(text))


def _align(cells: list[str], columns: list[str | None]) -> tuple[list[tuple[str | None, str]], str | None]:
    """Pair cells with header columns. Rows with fewer cells keep name and first value on the left and
    align the rest from the right (targets and period are the reliable right edge)."""
    if len(cells) == len(columns):
        return list(zip(columns, cells, strict=True)), None
    if len(cells) > len(columns):
        extra = cells[len(columns) :]
        if not _filled(extra):
            return list(zip(columns, cells[: len(columns)], strict=True)), None
        reason = f"more cells than the header ({len(cells)} against {len(columns)}); the extra ones ignored"
        return list(zip(columns, cells[: len(columns)], strict=True)), reason
    if len(cells) < 3:
        return list(zip(columns, cells, strict=False)), f"too few cells ({len(cells)} of {len(columns)})"
    left = list(zip(columns[:2], cells[:2], strict=True))
    tail = len(cells) - 2
    right = list(zip(columns[len(columns) - tail :], cells[2:], strict=True))
    reason = (
        f"{len(cells) - 1} value cells for {len(columns) - 1} columns: the first value aligned left, "
        "the others right"
    )
    return left + right, reason


def _row_cells(line: str, columns: list[str | None]) -> tuple[list[str], bool]:
    """Cells of a row; a leading empty field that the header does not have is dropped (shifted rows)."""
    cells = _split(line)
    shifted = False
    if columns and columns[0] == "namn":
        while len(cells) > 1 and not clean_text(cells[0]):
            cells = cells[1:]
            shifted = True
    return cells, shifted


def _period_column(columns: list[str | None]) -> str | None:
    for col in ("period", "periodicitet"):
        if col in columns:
            return col
    return None


def _is_indicator_row(cells: list[str], columns: list[str | None]) -> bool:
    if not cells or not clean_text(cells[0]) or analys_body(cells[0]) is not None:
        return False
    values = _filled(cells[1:])
    if not values:
        return False
    if _period_column(columns) is not None and _is_period_cell(values[-1]):
        return True
    # Analysis paragraphs padded to the table width keep their text in the name cell only; a row without
    # a period still counts when it carries a number.
    return any(parse_cell(clean_text(v)).number is not None for v in values)


def _build_indicator(cells: list[str], columns: list[str | None], rad: int, shifted: bool) -> IndicatorRow:
    pairs, reason = _align(cells, columns)
    _, name = clean_name(pairs[0][1]) if pairs else (None, "")
    row = IndicatorRow(namn=name, rad=rad)
    units: list[str] = []
    for idx, (col, raw) in enumerate(pairs[1:], start=1):
        text = clean_text(raw).replace("\n", " ")
        if not text:
            continue
        key = col or f"kolumn_{idx + 1}"  # an unrecognised column keeps its cell under its position
        row.celler[key] = text
        if col in ("period", "periodicitet"):
            setattr(row, col, text)
        elif col == "enhet":
            row.enhet = text
        elif col is not None and col != "namn":
            value = parse_cell(text)
            if value.number is None:
                row.text[col] = text
            else:
                setattr(row, col, value.number)
                if value.unit:
                    units.append(value.unit)
    if row.enhet is None and units:
        # Cells of one row often drop the unit; the row has one unit, the most frequent one printed.
        row.enhet = Counter(units).most_common(1)[0][0]
    if row.enhet is None:
        # Only a text cell names it ("Max 10 personer", "+/- 1 %"), as the layout parser also reads it.
        row.enhet = next((u for t in row.text.values() if (u := unit_in_text(t))), None)
    if shifted and reason is None:
        reason = "the row starts with an empty cell"
    period_col = _period_column(columns)
    if reason is None and period_col is not None and getattr(row, period_col) is None:
        reason = "no period cell; the row is kept because it has values"
    row.osaker = reason
    return row


def _indicator_row(line: str, columns: list[str | None], rad: int) -> IndicatorRow | None:
    cells, shifted = _row_cells(line, columns)
    return _build_indicator(cells, columns, rad, shifted) if _is_indicator_row(cells, columns) else None


def parse_tabbed_indicators(lines: Sequence[str], start: int, stop: int) -> tuple[list[IndicatorRow], list[str]]:
    """Indicator rows of all TAB indicator tables in lines[start:stop]."""
    rows, warnings = _scan(lines, start, stop, "indikator", _indicator_column, _indicator_row)
    return rows, warnings  # type: ignore[return-value]


# ---------------------------------------------------------------- activities


def _date_indexes(cells: list[str]) -> list[int]:
    return [k for k, c in enumerate(cells) if parse_iso_date(clean_text(c)) is not None]


def _build_activity(cells: list[str], columns: list[str | None], rad: int) -> Activity | None:
    """Map by the position of the ISO dates: the name is the last filled cell before them."""
    dates = _date_indexes(cells)
    before = [k for k in range(dates[0]) if clean_text(cells[k])]
    if not before:
        return None
    name_idx = before[-1]
    marker, name = clean_name(cells[name_idx])
    for k in before[:-1]:  # a status column of its own (header with an empty first cell or "Status")
        marker = marker or clean_text(cells[k]) or None
    if not name:
        return None
    akt = Activity(namn=name, rad=rad, status=marker)
    date_cols = [columns[k] if k < len(columns) else None for k in dates]
    for k, col in zip(dates, date_cols, strict=True):
        value = parse_iso_date(clean_text(cells[k]))
        if col == "slutdatum" or (col is None and akt.startdatum is not None):
            akt.slutdatum = value
        elif akt.startdatum is None:
            akt.startdatum = value
        else:
            akt.slutdatum = value
    for k in range(dates[-1] + 1, len(cells)):
        text = clean_text(cells[k])
        if not text:
            continue
        col = columns[k] if k < len(columns) else None
        if text.lower() in ("avvikelse", "ja") and col in ("avvikelse", None):
            akt.avvikelse = True
        elif col == "status" and akt.status is None:
            akt.status = text
        elif col == "analys" or col is None:
            akt.analys = append_text(akt.analys, text)
            akt.analys_rad = rad
    return akt


def finish_activity(akt: Activity) -> None:
    akt.avvikelse_text = akt.analys if akt.avvikelse else None


def _activity_row(line: str, columns: list[str | None], rad: int) -> Activity | None:
    cells = _split(line)
    return _build_activity(cells, columns, rad) if _date_indexes(cells) else None


def parse_tabbed_activities(lines: Sequence[str], start: int, stop: int) -> tuple[list[Activity], list[str]]:
    """Activity rows of all TAB activity tables in lines[start:stop]."""
    rows, warnings = _scan(lines, start, stop, "aktivitet", _activity_column, _activity_row)
    for akt in rows:
        finish_activity(akt)  # type: ignore[arg-type]
    return rows, warnings  # type: ignore[return-value]


# ---------------------------------------------------------------- the shared scanner

Row = IndicatorRow | Activity


def _add_analys(row: Row, text: str, rad: int) -> None:
    row.analys = append_text(row.analys, text)
    row.analys_rad = row.analys_rad or rad


def _scan(
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
    rows: list[Row] = []
    warnings: list[str] = []
    columns: list[str | None] | None = None  # None: outside a table of this kind
    last: Row | None = None
    after_header = False  # the previous non-blank line was a (repeated) header
    marker_open = False  # an 'Analys' marker stands alone and waits for its text
    for i in range(start, min(stop, len(lines))):
        line = lines[i]
        header = _header_kind(line)
        if header is not None:
            if header == kind:
                raw = _split(line)
                columns = [column_of(c) for c in raw]
                unknown = [c.strip() for c, col in zip(raw, columns, strict=True) if not col and c.strip()]
                if unknown:
                    warnings.append(f"line {i + 1}: unknown columns {unknown}")
                after_header = True
            else:
                columns, last, marker_open = None, None, False
            continue
        if columns is None or _is_blank(line):
            continue
        was_after_header, after_header = after_header, False
        row = make_row(line, columns, i + 1) if "\t" in line else None
        if row is not None:
            rows.append(row)
            last, marker_open = row, False
            continue
        filled = _filled(_split(line))
        body = analys_body(filled[0]) if filled else None
        if last is None or ("\t" not in line and body is None and not marker_open):
            if "\t" not in line:
                columns, last, marker_open = None, None, False  # prose or a heading ends the table
            continue  # a TAB-padded paragraph before the first row
        if body is not None:
            rest = clean_text(" ".join(filled[1:]))
            body = append_text(body, rest) if rest else body
            _add_analys(last, body, i + 1)
            marker_open = not body
            continue
        text = clean_text(" ".join(filled)).replace("\n", " ")
        if was_after_header and last.analys is None and not marker_open and text[:1].islower():
            last.namn = f"{last.namn} {text}"
            continue
        if last.analys is None and not marker_open:
            warnings.append(f"line {i + 1}: text without an Analys marker attached to the row at line {last.rad}")
        _add_analys(last, text, i + 1)
        marker_open = False
    return rows, warnings
