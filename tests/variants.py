"""Generated variants of the sample reports, for testing the parser on reports it has never seen.

The ILS-webb extractions vary in ways the four samples only partly show. This module re-renders the samples'
indicator tables under each trait of the reporting system's output (issue 11), with the hand-read values of
tests/truth.py (or the near-perfect tabbed parse, for the tabbed samples) as the ground truth:

* empty cells invisible (sample 000) or marked by spaces (sample 004: k spaces between cells = k-1 empty cells);
* page breaks between rows and inside rows (the first name lines and the values on one page, the repeated
  table header and the rest of the name on the next), with page feet of several styles: "Tjänsteutlåtande" /
  "Sid N (M)", "<nämnd>, Tertialrapport 1" with the page counter glued on ("…Tertialrapport 141(102)") or on
  a line of its own, and form feeds;
* units wrapped onto a line of their own ("83,33 76,92" / "%" / "" / "90,91 % …");
* text cells wrapped over several lines and mid-word ("Tas" / "fram av" / "nämnd/" / "styrelse", "Faststäl" /
  "ls 2025"), at other column widths;
* period cells wrapped as "Tertial 1 " / "2020", "Tertial" / "1 2025" or on one line;
* lines with or without the trailing space pdftotext leaves where a line wraps;
* another year and another committee (for identity), and the text-hygiene variants (CRLF, CR, NBSP and narrow
  NBSP as thousands separators, soft hyphens, decomposed letters, U+2212 minus, form feeds).

The renders follow pdftotext's reading order as the layout samples show it (guide 000 §4, guide 004 §4): one-line
cells share a line; a cell that wraps ends its line, its other lines follow (then, in 000, a blank line) and
the next cell starts a new line.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from malbas.etl.parse.furniture import find_furniture, mark_furniture
from malbas.etl.parse.hygiene import normalise, split_lines
from malbas.etl.parse.indicators.layout import scan_layout_indicators
from malbas.etl.parse.parser import parse_file, parse_text
from malbas.etl.parse.records import IndicatorRow
from tests.truth import FILES, SAMPLES, UNSURE, VALUE_COLUMNS, TrueRow, expected_value, true_rows

# Column text widths (characters) of sample 000's table: kvinnor and VB columns wrap "4,88 %", KF wraps
# "Tas fram av nämnd" after "Tas", the period column wraps "Tertial 1 2020" after "Tertial 1".
WIDTHS_000 = {
    "utfall": 9,
    "utfall_man": 6,
    "utfall_kvinnor": 5,
    "foregaende_utfall": 5,
    "prognos": 6,
    "arsmal": 8,
    "kf_arsmal": 7,
    "period": 9,
}
WIDTHS_WIDE = dict.fromkeys(WIDTHS_000, 12) | {"period": 15}
WIDTHS_NARROW = dict.fromkeys(WIDTHS_000, 4) | {"period": 7}
DISTRICTS = {"000": "Rinkeby-Kista", "004": "Norrmalm", "001": "Hässelby-Vällingby", "003": "Rinkeby-Kista"}


@dataclass(frozen=True, slots=True)
class Style:
    spaced: bool = False  # empty cells marked by spaces (else invisible)
    widths: Mapping[str, int] = field(default_factory=lambda: WIDTHS_000)
    name_width: int = 25
    trailing_space: bool = True  # a wrapped line ends with a space (pdftotext)
    unit_own_line: float = 0.0  # share of cells whose unit wraps onto a line of its own
    dropped_units: float = 0.15  # share of numeric cells printed without their unit
    blank_after_wrap: bool = True  # a blank line follows a wrapped cell (000; 004 has none)
    period_wrap: str = "tail"  # tail: 'Tertial 1 ' / '2020'; number: 'Tertial' / '1 2020'; none: one line
    rows_per_page: int = 0  # 0: no page breaks inside tables
    split_rows: bool = False  # page breaks fall inside rows (name tail after the repeated header)
    foot: str = "sid"  # sid | glued | separate | none
    form_feed: bool = False  # a form feed starts each new page
    namnd: str = "Rinkeby-Kista stadsdelsnämnd"
    report_word: str = "Tertialrapport 1"
    pages: int = 102


@dataclass(slots=True)
class Variant:
    text: str
    expected: dict[int, TrueRow]  # 1-based line of each row's first name line -> the true row
    description: str = ""


# ---------------------------------------------------------------- cells and lines


def wrap_cell(text: str, width: int, *, slash_breaks: bool = True) -> list[str]:
    """Word-wrap a cell as a PDF line breaker does: at spaces, after a slash, and mid-word (one char over the
    width) when a word is wider than the column. Every line but the last keeps its trailing space."""
    words: list[str] = []
    for word in text.split():
        if slash_breaks and "/" in word[:-1] and len(word) > width:
            head, tail = word.split("/", 1)
            words += [head + "/\x00", tail]  # \x00: no space after this piece when the line wraps here
        else:
            words.append(word)
    lines: list[str] = []
    cur = ""
    for word in words:
        glue_next = word.endswith("\x00")
        word = word.rstrip("\x00")
        sep = "" if cur.endswith("\x00") else " "
        cur = cur.rstrip("\x00")
        if cur and len(cur) + len(sep) + len(word) <= width:
            cur += sep + word + ("\x00" if glue_next else "")
            continue
        if cur:
            lines.append(cur + ("" if sep == "" else " "))
        while len(word) > width + 1:
            lines.append(word[: width + 1])  # broken mid-word: no trailing space
            word = word[width + 1 :]
        cur = word + ("\x00" if glue_next else "")
    lines.append(cur.rstrip("\x00"))
    return [line for line in lines if line != ""] or [""]


def wrap_words(text: str, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur + " ")
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return lines


def _is_number(cell: str) -> bool:
    return isinstance(expected_value(cell), float)


# Units the reports print after a number in a cell; word units ("personer") appear only inside text cells.
_PRINTED_UNITS = (
    "%",
    "st",
    "kr",
    "tkr",
    "mnkr",
    "barn/avd.",
    "GWh",
    "MWh",
    "kWh",
    "kg CO2 per kg livsmedel",
    "‰",
    "kr/invånare",
    "dagar",  # units of other committees' indicator sets (tests/unseen_variants.py)
    "kg CO2e",  # a climate unit whose second word wraps under its value ('0,29 kg' / 'CO2e')
)


def _cell_texts(row: TrueRow, columns: Sequence[str], rng: random.Random, style: Style) -> list[tuple[str, str]]:
    """The row's cells as printed: a number with the row's unit, which some cells drop (never all of them)."""
    unit = row.enhet if row.enhet in _PRINTED_UNITS else None
    numeric = [c for c in columns if _is_number(row.cells[c])]
    keep = rng.choice(numeric) if numeric else None
    out = []
    for c in columns:
        cell = row.cells[c]
        if unit and c in numeric and (c == keep or rng.random() >= style.dropped_units):
            cell = f"{cell} {unit}"
        out.append((c, cell))
    return out


def _period_lines(period: str, width: int, style: Style) -> list[str]:
    if style.period_wrap == "none" or len(period) <= width or " " not in period:
        return [period]
    words = period.split()
    if style.period_wrap == "number" and len(words) == 3:
        return [words[0] + " ", f"{words[1]} {words[2]}"]
    return [" ".join(words[:-1]) + " ", words[-1]]


def value_lines(slots: Sequence[tuple[str, str]], style: Style, rng: random.Random, first: str = "") -> list[str]:
    """pdftotext's reading order for a row's cells (column, text; '' = empty), the period last. `first` opens the
    first line (a one-line name)."""
    out: list[str] = []
    parts: list[str] = [first.rstrip()] if first else []
    for k, (col, text) in enumerate(slots):
        last = k == len(slots) - 1
        if not text:
            if style.spaced:
                parts.append("")
            continue
        if col == "period":
            pieces = _period_lines(text, style.widths["period"], style)
        else:
            pieces = wrap_cell(text, style.widths[col])
            number, _, unit = text.partition(" ")
            if len(pieces) == 1 and unit and _is_number(number) and rng.random() < style.unit_own_line:
                pieces = [number + " ", unit]
        if len(pieces) == 1:
            parts.append(pieces[0].rstrip())
            continue
        parts.append(pieces[0].rstrip() + (" " if pieces[0].endswith(" ") else ""))
        out.append(_join_parts(parts))
        out.extend(pieces[1:])
        if style.blank_after_wrap and not last:
            out.append("")
        parts = []
    if parts:
        out.append(_join_parts(parts))
    return out


def _join_parts(parts: list[str]) -> str:
    return " ".join(p.rstrip() if i < len(parts) - 1 else p for i, p in enumerate(parts))


# ---------------------------------------------------------------- page furniture


@dataclass(slots=True)
class _Pager:
    style: Style
    page: int = 30

    def foot(self) -> list[str]:
        self.page += 1
        s, n, total = self.style, self.page, self.style.pages
        if s.foot == "sid":
            lines = ["", "", "", "Tjänsteutlåtande ", f"Sid {n} ({total}) ", ""]
        elif s.foot == "glued":
            lines = ["", f"{s.namnd}, {s.report_word}{n}({total})", ""]
        elif s.foot == "separate":
            lines = ["", f"{s.namnd}, {s.report_word}", f"{n}({total})", ""]
        else:
            lines = [""]
        return lines

    def new_page(self, lines: list[str]) -> list[str]:
        """Mark the first line of a new page with a form feed, as pdftotext does."""
        if self.style.form_feed and lines:
            return ["\f" + lines[0], *lines[1:]]
        return lines


# ---------------------------------------------------------------- tables


def render_table(
    header: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[TrueRow],
    analys: Mapping[int, str],
    style: Style,
    rng: random.Random,
    pager: _Pager,
) -> tuple[list[str], list[int]]:
    """Lines of one indicator table, and the 0-based index (in those lines) of each row's first name line."""
    out = list(header) + [""]
    starts: list[int] = []
    for n, row in enumerate(rows):
        name = wrap_words(row.namn, style.name_width + rng.choice((-2, -1, 0, 0, 1, 2)))
        if rng.random() < 0.3:
            name[0] = " " + name[0]
        slots = _cell_texts(row, columns, rng, style)
        slots.append(("period", row.period))
        page_break = style.rows_per_page and n and n % style.rows_per_page == 0
        split_at = rng.randrange(1, len(name)) if page_break and style.split_rows and len(name) > 1 else 0
        if page_break and not split_at:
            out += pager.foot()
            out += pager.new_page(["  " + header[0].lstrip(), *header[1:]]) + [""]
        starts.append(len(out))
        body: list[str]
        if len(name) == 1 and rng.random() < 0.5:
            body = value_lines(slots, style, rng, first=name[0] + " ")
        elif split_at:
            # the first name lines and the values stay on this page; the rest of the name follows the header
            body = name[:split_at] + [""] + value_lines(slots, style, rng)
            body += pager.foot() + pager.new_page(["  " + header[0].lstrip(), *header[1:]]) + [""]
            body += name[split_at:]
        else:
            body = name + [""] + value_lines(slots, style, rng)
        out += body
        comment = analys.get(row.rad)
        if comment:
            out += ["", "Analys"] + wrap_words(comment[:400], 130)
        out.append("")
    return out, starts


def _finish(lines: list[str], style: Style) -> list[str]:
    if not style.trailing_space:
        return [line.rstrip() for line in lines]
    return lines


# ---------------------------------------------------------------- transplant into a layout sample


@cache
def _sample_lines(sample: str) -> tuple[str, ...]:
    text = (SAMPLES / FILES[sample]).read_text(encoding="utf-8")
    return tuple(split_lines(normalise(text))[0])


@cache
def _sample_report(sample: str):  # noqa: ANN202
    return parse_file(SAMPLES / FILES[sample])


def _table_columns(header: Sequence[str]) -> list[str]:
    squashed = re.sub(r"\s+", "", "".join(header)).lower()
    cols = ["utfall"]
    if "pojkar" in squashed:
        cols += ["utfall_man", "utfall_kvinnor"]
    if re.search(r"utfall(vb|t\d)?\d{4}", squashed):
        cols.append("foregaende_utfall")
    if "prognos" in squashed:
        cols.append("prognos")
    cols += ["arsmal", "kf_arsmal"]
    return cols


def transplant(
    sample: str, style: Style, seed: int = 0, rows: Callable[[list[TrueRow]], list[TrueRow]] | None = None
) -> Variant:
    """Sample 000 or 004 with every indicator table re-rendered in `style` from the hand-read rows (tables
    holding a row the report leaves undecidable stay as printed). Everything else is the real text.
    `rows` may rewrite the hand-read rows first (another indicator set: other units, values, signs)."""
    lines = list(_sample_lines(sample))
    marked = mark_furniture(lines, find_furniture(lines))
    scan = scan_layout_indicators(marked, 0, len(marked))
    truth = {r.rad: r for r in true_rows(sample)}
    rewritten = {r.rad: r for r in (rows or list)(list(truth.values()))}  # rows of the tables rendered anew
    analys = {r.rad: r.analys for r in _sample_report(sample).indikatorer if r.analys}
    rng = random.Random(seed)
    pager = _Pager(style)
    out: list[str] = []
    expected: dict[int, TrueRow] = {}
    pos = 0
    for start, stop in scan.spans:
        in_table = sorted(r for r in truth if start < r <= stop)
        for rad in (r for r in truth if pos < r <= start):
            expected[rad - pos + len(out)] = replace(truth[rad], rad=rad - pos + len(out))
        out += lines[pos:start]
        if not in_table or not all(truth[r].certain and truth[r].enhet != UNSURE for r in in_table):
            for rad in in_table:
                expected[rad - start + len(out)] = replace(truth[rad], rad=rad - start + len(out))
            out += lines[start:stop]
            pos = stop
            continue
        header_end = in_table[0] - 1
        while header_end > start and not lines[header_end - 1].strip():
            header_end -= 1
        header = lines[start:header_end]
        rows = [rewritten[r] for r in in_table]
        rendered, starts = render_table(header, _table_columns(header), rows, analys, style, rng, pager)
        for row, at in zip(rows, starts, strict=True):
            expected[len(out) + at + 1] = replace(row, rad=len(out) + at + 1)
        out += rendered
        pos = stop
    for rad in (r for r in truth if r > pos):
        expected[rad - pos + len(out)] = replace(truth[rad], rad=rad - pos + len(out))
    out += lines[pos:]
    return Variant("\n".join(_finish(out, style)), expected, f"{sample} {style}")


# ---------------------------------------------------------------- whole-text transformations


def shift_years(variant: Variant, delta: int) -> Variant:
    """Another year: every year 2010-2029 in the text and the truth moves by `delta`."""

    def move(text: str) -> str:
        return re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + delta), text)

    expected = {
        k: replace(r, period=move(r.period), cells={c: move(v) for c, v in r.cells.items()})
        for k, r in variant.expected.items()
    }
    return Variant(move(variant.text), expected, f"{variant.description} +{delta} years")


def rename_district(variant: Variant, old: str, new: str) -> Variant:
    """Another committee: the district's name (and its genitive) replaced in the text."""
    text = variant.text.replace(old + "s ", new + "s ").replace(old, new)
    return replace(variant, text=text, description=f"{variant.description} as {new}")


def _numbers_with_groups(text: str, separator: str) -> str:
    return re.sub(r"(?<=\d) (?=\d{3}(?!\d))", separator, text)


HYGIENE: dict[str, Callable[[str], str]] = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr": lambda t: t.replace("\n", "\r"),
    "nbsp": lambda t: _numbers_with_groups(t, "\u00a0"),
    "narrow_nbsp": lambda t: _numbers_with_groups(t, "\u202f"),
    "soft_hyphens": lambda t: re.sub(r"(?<=[a-zåäö]{4})(?=[a-zåäö]{4})", "\u00ad", t, count=4000),
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "minus": lambda t: re.sub(r"(?<![\w-])-(?=\d)", "\u2212", t),
    "form_feeds": lambda t: re.sub(r"\n(?=Tjänsteutlåtande)", "\n\f", t),
}


# ---------------------------------------------------------------- scoring


@dataclass(slots=True)
class Score:
    rows: int = 0
    found: int = 0
    cells: int = 0
    right: int = 0
    wrong_flagged: int = 0  # wrong rows that carry an osaker flag
    wrong_unflagged: int = 0
    extra_rows: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def row_share(self) -> float:
        return self.found / max(self.rows, 1)

    @property
    def cell_share(self) -> float:
        return self.right / max(self.cells, 1)

    def summary(self) -> str:
        return (
            f"rows {self.found}/{self.rows}, cells {self.right}/{self.cells} ({self.cell_share:.2%}), "
            f"wrong rows flagged {self.wrong_flagged}, unflagged {self.wrong_unflagged}, extra rows {self.extra_rows}"
        )


def _actual(row: IndicatorRow, column: str) -> object:
    number = getattr(row, column)
    return number if number is not None else row.text.get(column)


def _same(actual: object, expected: object) -> bool:
    if isinstance(expected, float):
        return isinstance(actual, float) and abs(actual - expected) < 1e-9
    if isinstance(expected, str) and isinstance(actual, str):
        return re.sub(r"\s+", "", actual) == re.sub(r"\s+", "", expected)
    return actual == expected


def score(parsed: Sequence[IndicatorRow], expected: Mapping[int, TrueRow]) -> Score:
    """Every cell of every true row (7 values, period, unit, name) against the parse; '?' cells not counted."""
    by_line = {r.rad: r for r in parsed}
    s = Score()
    for rad, truth in sorted(expected.items()):
        s.rows += 1
        got = by_line.get(rad)
        checks: list[tuple[str, object, object]] = []
        for col in VALUE_COLUMNS:
            want = expected_value(truth.cells[col])
            if want != UNSURE:
                checks.append((col, want, _actual(got, col) if got else None))
        checks.append(("period", truth.period, (got.period or got.periodicitet) if got else None))
        if truth.enhet != UNSURE:
            checks.append(("enhet", truth.enhet, got.enhet if got else None))
        checks.append(("namn", truth.namn, got.namn if got else None))
        s.cells += len(checks)
        if got is None:
            s.misses.append(f"l.{rad} {truth.namn[:50]}: no row")
            continue
        s.found += 1
        errors = [f"{c}: {w!r} -> {a!r}" for c, w, a in checks if not _same(a, w)]
        s.right += len(checks) - len(errors)
        if errors:
            if got.osaker:
                s.wrong_flagged += 1
            else:
                s.wrong_unflagged += 1
            flag = "flagged" if got.osaker else "UNFLAGGED"
            s.misses.append(f"l.{rad} [{flag}] {truth.namn[:50]}: " + "; ".join(errors))
    s.extra_rows = len(set(by_line) - set(expected))
    return s


def measure(variant: Variant) -> Score:
    return score(parse_text(variant.text).indikatorer, variant.expected)


# ---------------------------------------------------------------- tabbed samples rendered as layout text


# The 23-line header of sample 000 (l.209-231), with the earlier period's label.
def header_lines(earlier: str = "VB 2019", indent: str = " ") -> list[str]:
    label = earlier.split()
    head = [f"{indent}Indikator Periodens ", "utfall", "", "Utfall ", "män/ ", "pojkar", "", "Utfall ", "kvinn", "or/ "]
    head += ["flicko", "r", "", "Perio", "dens ", "utfall "]
    head += [w + " " for w in label[:-1]] + [label[-1]]
    return head + ["", "Progno", "s helår Årsmål KF:s ", "", "årsmål Period"]


def _printed(text: str | None) -> str:
    """A tabbed cell as the hand-read tables write it: the number without its unit, or the text."""
    from malbas.etl.parse.numbers import parse_cell

    if not text:
        return ""
    value = parse_cell(text)
    if value.number is None:
        return re.sub(r"\s+", " ", text.strip())
    m = re.match(r"[+\-−–]?\d{1,3}(?: \d{3})+(?:[,.]\d+)?|[+\-−–]?\d+(?:[,.]\d+)?", value.text)
    return (m.group(0) if m else value.text).replace("−", "-")


def relabel_period(period: str | None, kind: str) -> str:
    """A VB report's period cells as another report kind prints them ('VB 2020' -> 'Tertial 2 2020')."""
    if not period:
        return ""
    m = re.fullmatch(r"VB (\d{4})", period)
    if m and kind in ("T1", "T2"):
        return f"Tertial {kind[1]} {m.group(1)}"
    return period


def render_tabbed(sample: str, style: Style, *, kind: str = "VB", seed: int = 0) -> Variant:
    """The indicator rows of a tabbed sample (its tabbed parse is the truth) as a layout report: one goal
    section per goal with its table, then an activity table and the economy heading."""
    report = _sample_report(sample)
    rng = random.Random(seed)
    pager = _Pager(style)
    titles = {g.nummer: g.titel for g in report.mal if g.nummer}
    out = ["Sammanfattning", "", "Uppföljning av Kommunfullmäktiges inriktningsmål", ""]
    expected: dict[int, TrueRow] = {}
    columns = list(VALUE_COLUMNS)
    groups: list[list[IndicatorRow]] = []
    for r in report.indikatorer:
        if groups and groups[-1][-1].mal == r.mal and groups[-1][-1].kf_indikator == r.kf_indikator:
            groups[-1].append(r)
        else:
            groups.append([r])
    for group in groups:
        first = group[0]
        out.append("KF:s mål för verksamhetsområdet:" if first.kf_indikator else "Nämndmål:")
        out += wrap_words(f"{first.mal} {titles.get(first.mal, 'Verksamheten utvecklas')}", 95)
        out += ["", " Uppfylls helt", "", "Analys", ""]
        out += ["Förvaltningen bedömer att målet uppfylls helt. Indikatorerna visar utvecklingen under året.", ""]
        rows = [
            TrueRow(
                rad=0,
                period=relabel_period(r.period, kind),
                enhet=r.enhet,
                cells={c: _printed(r.celler.get(c)) for c in columns},
                namn=r.namn,
            )
            for r in group
        ]
        analys = {k: r.analys for k, r in enumerate(group) if r.analys}
        rows = [replace(t, rad=k) for k, t in enumerate(rows)]
        rendered, starts = render_table(header_lines(), columns, rows, analys, style, rng, pager)
        for row, at in zip(rows, starts, strict=True):
            expected[len(out) + at + 1] = replace(row, rad=len(out) + at + 1)
        out += rendered
        out += [" Aktivitet Startdatum Slutdatum Avvikelse", "", "Genomföra en aktivitet 2020-01-01 2020-12-31", ""]
    out += [" Uppföljning av ekonomi", "", "Mnkr Budget 2020 Prognos 2020 Avvikelse", "", "Förskola 10,0 9,0 1,0", ""]
    return Variant("\n".join(_finish(out, style)), expected, f"{sample} as {kind} {style}")
