"""Activity tables in LAYOUT text (pdftotext-like: no TABs, empty cells invisible).

A table starts at a header line "Aktivitet Startdatum Slutdatum [Avvikelse]". Rows come in two shapes:
inline ("<name> 2020-01-01 2020-12-31 [Avvikelse]") and block (name over several lines, a blank line, then
the date line). A row-level comment is a line "Analys" followed directly by its text; "Analys" followed by a
blank line is a goal-level heading and ends the table, as do goal markers and text blocks without dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.activities.tabbed import finish_activity
from malbas.etl.parse.furniture import is_page_head, skip_page_noise
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.readers import RowScan
from malbas.etl.parse.records import Activity
from malbas.etl.parse.settings import LAYOUT
from malbas.etl.parse.tabbed import append_text, clean_name, parse_iso_date

_HEADER_RE = re.compile(r"^\s*(?:Status\s+)?(?:Aktivitet|Uppdrag)\s+Startdatum\s+Slutdatum\b")
_DATE = r"\d{4}-\d{2}-\d{2}"
# The date pair closes a row; the Avvikelse flag is the cell printed after it.
_DATES_RE = re.compile(rf"^(?P<name>.*?)\s*(?P<start>{_DATE})\s+(?P<end>{_DATE})(?:\s+(?P<flag>\S.*?))?\s*$")
_OTHER_TABLE_RE = re.compile(r"^\s*Indikator\b(?:\s+(?:Periodens|[ÅA]rsmål|Utfall|Prognos)|\s*$)")
_ANALYS_RE = re.compile(r"^\s*Analys\s*:?\s*$")
_DIGIT_RE = re.compile(r"\d")


def _is_blank(line: str) -> bool:
    return not line.strip()


def _join_name(parts: Sequence[str]) -> str:
    """Join wrapped name lines. A trailing space marks a word end; a line ending without one was cut
    mid-word or after a hyphen ('2021-' + '2025.'), unless the extraction drops trailing spaces altogether."""
    keeps_trailing = any(p.endswith(" ") for p in parts[:-1])
    out = parts[0].strip() if parts else ""
    for prev, part in zip(parts, parts[1:], strict=False):
        cut = not prev.endswith(" ") and not part.startswith(" ")
        glue = "" if cut and (keeps_trailing or prev.rstrip().endswith(("-", "/"))) else " "
        out = f"{out}{glue}{part.strip()}"
    return " ".join(out.split())


def _split_dates(line: str) -> re.Match[str] | None:
    m = _DATES_RE.match(line)
    if m and parse_iso_date(m.group("start")) and parse_iso_date(m.group("end")):
        flag = (m.group("flag") or "").strip()
        # The cell after the dates: "Avvikelse", or a short status word in reports with a Status column.
        if not flag or (len(flag) <= LAYOUT.activity_flag and not _DIGIT_RE.search(flag)):
            return m
    return None


def _is_deviation(flag: str) -> bool:
    return flag.lower().startswith("avvikelse") or flag.lower() == "ja"


def parse_layout_activities(lines: Sequence[str], start: int, stop: int) -> tuple[list[Activity], list[str]]:
    """Activity rows of all layout activity tables in lines[start:stop]."""
    scan = scan_layout_activities(lines, start, stop)
    return scan.rows, scan.warnings


def scan_layout_activities(lines: Sequence[str], start: int, stop: int) -> RowScan[Activity]:
    """Activity rows of all layout activity tables in lines[start:stop], warnings, and each table's extent."""
    rows: list[Activity] = []
    warnings: list[str] = []
    spans: list[tuple[int, int]] = []
    stop = min(stop, len(lines))
    i = start
    while i < stop:
        if _HEADER_RE.match(lines[i]):
            end = _scan_table(lines, i + 1, stop, rows, warnings)
            spans.append((i, end))
            i = max(end, i + 1)
        else:
            i += 1
    for akt in rows:
        finish_activity(akt)
    return RowScan(rows, warnings, spans)


def _emit(rows: list[Activity], parts: list[str], rad: int, match: re.Match[str]) -> Activity:
    marker, name = clean_name(_join_name(parts))
    flag = (match.group("flag") or "").strip()
    akt = Activity(
        namn=name,
        rad=rad,
        startdatum=parse_iso_date(match.group("start")),
        slutdatum=parse_iso_date(match.group("end")),
        status=marker or (flag if flag and not _is_deviation(flag) else None),
        avvikelse=_is_deviation(flag) if flag else False,
    )
    rows.append(akt)
    return akt


def _past_header(lines: Sequence[str], i: int, stop: int) -> int:
    """Line i, or past it and its blank lines if it is a repeated header (a page break)."""
    if i < stop and _HEADER_RE.match(lines[i]):
        i += 1
        while i < stop and _is_blank(lines[i]):
            i += 1
    return i


@dataclass(slots=True)
class _TableReader:
    """Reads one activity table line by line: name lines wait in `parts` until a line with dates closes the row."""

    lines: Sequence[str]
    stop: int
    rows: list[Activity]
    warnings: list[str]
    parts: list[str] = field(default_factory=list)
    first: int | None = None  # the line of the first waiting name line
    gap: bool = False  # a blank line came after the waiting name lines
    after_header: bool = False
    last: Activity | None = None
    last_was_comment: bool = False

    def drop_pending(self, reason: str) -> None:
        if self.parts and self.first is not None:
            self.warnings.append(f"rad {self.first + 1}: {reason}: {_join_name(self.parts)[:60]!r}")

    def step(self, i: int) -> tuple[int, bool]:
        """Read line i; returns the index to go on from and whether the table is over."""
        line = self.lines[i]
        if (after := self._spacing(i, line)) is not None:
            return after, False
        self.after_header = False
        if marker_level(line) or _OTHER_TABLE_RE.match(line):
            self.drop_pending("text without dates before the table ends")
            return i, True
        if _ANALYS_RE.match(line) and not self.parts:
            return self._comment(i)
        match = _split_dates(line)
        if match is not None:
            return self._dated(i, match), False
        return self._name_line(i)

    def _spacing(self, i: int, line: str) -> int | None:
        """Past page furniture, a blank line or a repeated header (the index after it); None for other lines."""
        if is_page_head(line):  # page furniture ("Tjänsteutlåtande", "Sid 5 (40)", feet, address)
            self.gap, self.after_header = False, True
            return skip_page_noise(self.lines, i, self.stop)
        if _is_blank(line):
            self.gap = self.gap or (bool(self.parts) and not self.after_header)
            return i + 1
        if _HEADER_RE.match(line):  # repeated at a page top: the table goes on
            self.gap, self.after_header = False, True  # a pending name cut by the page break continues after it
            return i + 1
        return None

    def _comment(self, i: int) -> tuple[int, bool]:
        # A page break can separate the marker from its text.
        nxt = _past_header(self.lines, i + 1, self.stop)
        if self.last is None or nxt >= self.stop or _is_blank(self.lines[nxt]):
            return i, True  # a goal-level Analys heading: the table is over
        self.last.analys_rad = self.last.analys_rad or i + 1
        text, i = _read_comment(self.lines, nxt, self.stop)
        self.last.analys = append_text(self.last.analys, text)
        self.last_was_comment = True
        return i, False

    def _dated(self, i: int, match: re.Match[str]) -> int:
        line = self.lines[i]
        inline = match.group("name").strip()
        if self.gap and self.parts and inline:
            # The pending block never got dates; it is not this row's name.
            _absorb_or_warn(self.parts, self.first, self.last, self.last_was_comment, self.warnings)
            self.parts, self.first = [], None
        if inline or self.parts:
            rad = (self.first if self.first is not None else i) + 1
            name = self.parts + ([line[: match.start("start")]] if inline else [])
            self.last = _emit(self.rows, name, rad, match)
            self.last_was_comment = False
        else:
            self.warnings.append(f"line {i + 1}: dates without an activity name")
        self.parts, self.first, self.gap = [], None, False
        return i + 1

    def _name_line(self, i: int) -> tuple[int, bool]:
        if self.parts and self.gap:
            # A second text block before any dates: the first was not a row.
            if not _absorb_or_warn(self.parts, self.first, self.last, self.last_was_comment, self.warnings):
                return (self.first if self.first is not None else i), True
            self.parts, self.first = [], None
        self.gap = False
        if not self.parts:
            self.first = i
        self.parts.append(self.lines[i])
        if len(self.parts) > LAYOUT.activity_name_lines:
            self.drop_pending("a text block too long for a row, without dates")
            return i, True
        return i + 1, False


def _scan_table(lines: Sequence[str], i: int, stop: int, rows: list[Activity], warnings: list[str]) -> int:
    """Read rows from line i until the table ends; returns the index where scanning should resume."""
    table = _TableReader(lines, stop, rows, warnings)
    while i < stop:
        i, over = table.step(i)
        if over:
            return i
    table.drop_pending("text without dates at the end of the part")
    return i


def _absorb_or_warn(
    parts: list[str], first: int | None, last: Activity | None, last_was_comment: bool, warnings: list[str]
) -> bool:
    """A dateless block right after a row comment continues that comment (a paragraph or page break)."""
    if last is not None and last_was_comment:
        last.analys = append_text(last.analys, _squash(parts))
        return True
    if first is not None:
        warnings.append(f"line {first + 1}: a text block without dates in an activity table")
    return False


def _read_comment(lines: Sequence[str], i: int, stop: int) -> tuple[str, int]:
    """Comment lines up to a blank line; a repeated header inside (page break) is skipped."""
    parts: list[str] = []
    while i < stop:
        line = lines[i]
        if (_is_blank(line) and not is_page_head(line)) or marker_level(line):
            break
        if _HEADER_RE.match(line) or is_page_head(line):
            # A page break inside the comment: it goes on only if the text after the header is a
            # sentence tail (lower case); otherwise the next row starts there.
            nxt = i + 1
            while nxt < stop and _is_blank(lines[nxt]):
                nxt += 1
            if nxt < stop and lines[nxt].strip()[:1].islower():
                i = nxt
                continue
            return _squash(parts), nxt
        parts.append(line.strip())
        i += 1
    return _squash(parts), i


def _squash(parts: Sequence[str]) -> str:
    return " ".join(" ".join(parts).split())
