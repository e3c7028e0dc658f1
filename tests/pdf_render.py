"""Render a TABBED report text as a PDF laid out like the city's reports, for testing the PDF reader.

Every cell of the tabbed text is known, so the PDF made from it has a known reading: the tabbed text
itself. The rendering follows what the layout samples show of the real reports: A4 pages with the
committee and the report kind in a running header and "12(130)" page numbers in the footer, tables whose
header is repeated on every page, narrow columns (names, units and text cells wrap over several lines;
words longer than a column are cut), rows that run over a page break, empty cells left empty, the
row-level Analys as a full-width row under its indicator or activity, headings set larger and bold.

A `Geometry` holds everything that varies between report generators (page size, margins, fonts and sizes,
column widths, padding, rules, alignment of numbers, page furniture), so that tests can show that no single
layout is fitted. Page-break artefacts of the tabbed text (repeated headers, a name's tail after them) are
undone first: the PDF has page breaks of its own.
"""

from __future__ import annotations

import io
import os
import random
import re
from dataclasses import dataclass, field, replace
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape, legal, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

_MPL_FONTS = os.path.join(os.path.dirname(__import__("matplotlib").__file__), "mpl-data", "fonts", "ttf")
# Families: (regular, bold). Standard PDF fonts need no file; the others come with matplotlib (a dev dependency).
_FAMILIES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times": ("Times-Roman", "Times-Bold"),
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "STIX": ("STIXGeneral.ttf", "STIXGeneralBol.ttf"),
}
_FALLBACKS = ("DejaVuSans.ttf", "STIXGeneral.ttf")  # for icons (✓ ⓘ ♀ ◆) a font lacks


@dataclass(frozen=True)
class Geometry:
    name: str
    pagesize: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (60.0, 50.0, 70.0, 60.0)  # left, right, top, bottom
    body_font: str = "Helvetica"
    body_size: float = 10.0
    table_font: str = "Helvetica"
    table_size: float = 8.0
    first_column: float = 0.26  # share of the table width for the name column of a wide table
    padding: float = 3.0
    rules: str = "grid"  # grid | rows | none
    header_bold: bool = True
    header_shade: bool = True
    numbers_right: bool = False  # economy figures right-aligned in their cells
    footer: str = "{page}({pages})"
    header_right: str = "Tjänsteutlåtande"
    seed: int = 0  # varies the widths of the value columns (0: all equal)
    valign: str = "TOP"  # cells of a row set at its TOP or MIDDLE


# The two geometries the parse tests use.
GEOMETRY_A = Geometry("a4-helvetica-grid")
GEOMETRY_B = Geometry(
    "a4-landscape-stix",
    pagesize=landscape(A4),
    body_font="STIX",
    body_size=10.5,
    table_font="STIX",
    table_size=9.0,
    first_column=0.2,
    padding=5.0,
    rules="grid",
    header_shade=False,
    seed=11,
)
# Made in ways the parse tests do not use: other page sizes, fonts, widths, rules, alignment, furniture.
LETTER_TIMES = Geometry(
    "letter-times-rows",
    pagesize=letter,
    margins=(54.0, 54.0, 64.0, 54.0),
    body_font="Times",
    body_size=11.5,
    table_font="Times",
    table_size=8.5,
    first_column=0.3,
    padding=2.5,
    rules="rows",
    numbers_right=True,
    footer="Sida {page} av {pages}",
    header_right="",
    seed=3,
)
SERIF_OPEN = Geometry(
    "a4-serif-open",
    margins=(72.0, 72.0, 80.0, 70.0),
    body_font="DejaVuSerif",
    body_size=11.0,
    table_font="DejaVuSans",
    table_size=7.5,
    first_column=0.22,
    padding=4.0,
    rules="none",
    header_bold=False,
    header_shade=False,
    numbers_right=True,
    footer="Sid {page} ({pages})",
    seed=7,
)
DEJAVU_TIGHT = Geometry(
    "a4-dejavu-tight",
    margins=(40.0, 40.0, 60.0, 50.0),
    body_font="DejaVuSans",
    body_size=9.5,
    table_font="DejaVuSans",
    table_size=6.5,
    first_column=0.18,
    padding=2.0,
    rules="none",
    header_bold=True,
    footer="{page} ({pages})",
    seed=5,
)
# Cells only 3 points apart (tight padding): closer than a fixed share of the font size would tell them apart.
STIX_TIGHT = Geometry(
    "a4-stix-tight",
    body_font="STIX",
    body_size=10.0,
    table_font="STIX",
    table_size=7.0,
    first_column=0.2,
    padding=1.5,
    rules="rows",
    header_bold=False,
    seed=13,
)
LEGAL_WIDE = Geometry(
    "legal-helvetica-wide",
    pagesize=legal,
    margins=(50.0, 50.0, 90.0, 80.0),
    body_size=11.0,
    table_size=9.5,
    first_column=0.3,
    padding=6.0,
    rules="none",
    header_shade=False,
    numbers_right=True,
    seed=21,
)
A3_DEJAVU = Geometry(
    "a3-dejavu-rows",
    pagesize=A3,
    body_font="DejaVuSans",
    body_size=11.0,
    table_font="DejaVuSans",
    table_size=9.0,
    first_column=0.22,
    rules="rows",
    numbers_right=True,
    footer="{page}/{pages}",
    seed=17,
)
# Cells set in the middle of their row's height: values and icons on lines of their own between a name's lines.
MIDDLE_TIMES = Geometry(
    "a4-times-middle",
    body_font="Times",
    table_font="Times",
    table_size=8.5,
    padding=2.5,
    rules="rows",
    numbers_right=True,
    valign="MIDDLE",
    seed=12,
)
UNSEEN = (LETTER_TIMES, SERIF_OPEN, DEJAVU_TIGHT, STIX_TIGHT, LEGAL_WIDE, A3_DEJAVU, MIDDLE_TIMES)


# ---------------------------------------------------------------- fonts


@cache
def _font(name: str) -> str:
    """Register a font file once; standard fonts are returned as they are."""
    if not name.endswith(".ttf"):
        return name
    registered = name.removesuffix(".ttf")
    pdfmetrics.registerFont(TTFont(registered, os.path.join(_MPL_FONTS, name)))
    return registered


@cache
def _covers(font_file: str, ch: str) -> bool:
    if not font_file.endswith(".ttf"):
        try:
            ch.encode("cp1252")  # the standard fonts' WinAnsi encoding
            return True
        except UnicodeEncodeError:
            return False
    _font(font_file)
    face = pdfmetrics.getFont(font_file.removesuffix(".ttf")).face
    return ord(ch) in face.charToGlyph


def _family(family: str) -> tuple[str, str]:
    regular, bold = _FAMILIES[family]
    return _font(regular), _font(bold)


def _with_fallbacks(text: str, family: str) -> str:
    """Characters the family lacks are set in a fallback font; those no font has (🟡) are left out, as an
    icon drawn as a picture would be."""
    regular = _FAMILIES[family][0]
    out: list[str] = []
    for ch in text:
        if ord(ch) < 128 or _covers(regular, ch):
            out.append(ch)
            continue
        fallback = next((f for f in _FALLBACKS if _covers(f, ch)), None)
        if fallback is not None:
            out.append(f'<font name="{_font(fallback)}">{ch}</font>')
    return "".join(out)


# ---------------------------------------------------------------- the tabbed text as blocks

_TAG_RE = re.compile(r"</?(b|i|p|u|em|strong|br)\s*/?>", re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.*)$")
_FIGURE_RE = re.compile(r"^[-−–+]?\d")  # a figure, with or without its unit, or a date
_ANALYS_RE = re.compile(r"^(?:<p>)?\s*(?:<b>)?\s*Analys\b", re.IGNORECASE)


def plain(cell: str) -> str:
    return re.sub(r"\s+", " ", _TAG_RE.sub(" ", cell)).strip()


@dataclass
class Prose:
    text: str
    level: int = 0  # markdown heading level, 0 for a paragraph
    bold: bool = False


@dataclass
class TableBlock:
    rows: list[list[str]] = field(default_factory=list)
    spanning: set[int] = field(default_factory=set)  # rows set as one full-width cell
    header_rows: int = 1


def _is_spanning(cells: list[str]) -> bool:
    filled = [plain(c) for c in cells if plain(c)]
    if not filled:
        return False
    first = next(c for c in cells if plain(c))
    if _ANALYS_RE.match(first.strip()):
        return True
    return len(filled) == 1 and plain(cells[0]) == filled[0] and len(filled[0]) > 60


def _header_rows(rows: list[list[str]]) -> int:
    """Header lines are the leading rows without figures (economy tables have two or three)."""
    n = 0
    for cells in rows[:3]:
        if any(_FIGURE_RE.match(plain(c)) for c in cells[1:]) or _is_spanning(cells):
            break
        n += 1
    return max(n, 1)


def _same_header(a: list[str], b: list[str]) -> bool:
    def key(cells: list[str]) -> list[str]:
        texts = [plain(c) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        return texts

    return key(a) == key(b)


def _looks_like_header(cells: list[str]) -> bool:
    filled = [plain(c) for c in cells if plain(c)]
    return len(filled) >= 2 and not any(_FIGURE_RE.match(c) for c in filled[1:]) and not _is_spanning(cells)


def _awaits_comment(table: TableBlock) -> bool:
    last = len(table.rows) - 1
    return (
        last in table.spanning
        and re.fullmatch(r"(?:<p>)?\s*(?:<b>)?\s*Analys\s*(?:</b>)?\s*(?:</p>)?", table.rows[last][0].strip())
        is not None
    )


def blocks(text: str) -> list[Prose | TableBlock]:
    """Paragraphs and tables of a tabbed report. A header repeated inside a table (a page break of the
    source) is dropped, and a name's lower-case tail right after it is joined to its row."""
    out: list[Prose | TableBlock] = []
    table: TableBlock | None = None
    blank_before = after_repeat = False
    for raw in text.split("\n"):
        line = raw.replace("\r", "").replace("\f", "")
        if not line.strip():
            blank_before = True
            continue
        if "\t" not in line and table is not None and _awaits_comment(table):
            # the text of a lone "Analys" marker row, set as a paragraph by the source: the PDF has it in the row
            table.spanning.add(len(table.rows))
            table.rows.append([line.strip()])
            blank_before = after_repeat = False
            continue
        if "\t" not in line:
            table = None
            m = _HEADING_RE.match(line)
            if m:
                out.append(Prose(m.group(2).strip().strip("*").strip(), level=len(m.group(1))))
            else:
                stripped = line.strip()
                bold = stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4
                out.append(Prose(stripped.strip("*").strip() if bold else stripped, bold=bold))
            blank_before = after_repeat = False
            continue
        cells = [c.strip() for c in line.split("\t")]
        if table is not None and _same_header(cells, table.rows[0]):
            after_repeat = True
            blank_before = False
            continue
        if table is not None and blank_before and _looks_like_header(cells):
            table = None
        if table is None:
            table = TableBlock()
            out.append(table)
        filled = [k for k, c in enumerate(cells) if plain(c)]
        data_rows = [r for r in range(table.header_rows, len(table.rows)) if r not in table.spanning]
        if after_repeat and len(filled) == 1 and plain(cells[filled[0]])[:1].islower() and data_rows:
            previous = table.rows[data_rows[-1]]
            k = filled[0]
            previous[k] = f"{previous[k]} {cells[k]}".strip()
        else:
            if _is_spanning(cells):
                table.spanning.add(len(table.rows))
                cells = [" ".join(c for c in cells if plain(c))]
            table.rows.append(cells)
            if len(table.rows) <= 3:
                table.header_rows = _header_rows(table.rows)
        blank_before = after_repeat = False
    return out


# ---------------------------------------------------------------- the PDF


def _markup(text: str, family: str) -> str:
    """Tabbed-text markup → reportlab's paragraph markup: <b>/<i> kept, <p> as line breaks, the rest escaped."""
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    parts = re.split(r"(</?(?:b|i|p|u|em|strong|br)\s*/?>)", text, flags=re.IGNORECASE)
    out: list[str] = []
    for part in parts:
        tag = part.lower().replace(" ", "")
        if tag in ("<b>", "</b>", "<strong>", "</strong>"):
            out.append(tag.replace("strong", "b"))
        elif tag in ("<i>", "</i>", "<em>", "</em>", "<u>", "</u>"):
            out.append(tag.replace("em", "i").replace("u>", "i>"))
        elif tag in ("<p>", "</p>", "<br>", "<br/>"):
            out.append("<br/>" if tag == "<p>" and out else " ")
        else:
            out.append(_with_fallbacks(escape(part), family))
    joined = "".join(out)
    # Unbalanced source tags would make reportlab refuse the paragraph: drop them then.
    for tag in ("b", "i"):
        if joined.count(f"<{tag}>") != joined.count(f"</{tag}>"):
            joined = joined.replace(f"<{tag}>", "").replace(f"</{tag}>", "")
    return joined


def _styles(g: Geometry) -> dict[str, ParagraphStyle]:
    body, body_bold = _family(g.body_font)
    cell, cell_bold = _family(g.table_font)
    s = {
        "body": ParagraphStyle(
            "body", fontName=body, fontSize=g.body_size, leading=g.body_size * 1.25, spaceAfter=g.body_size * 0.6
        ),
        "bold": ParagraphStyle(
            "bold",
            fontName=body_bold,
            fontSize=g.body_size,
            leading=g.body_size * 1.25,
            spaceBefore=4,
            spaceAfter=g.body_size * 0.5,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", fontName=cell, fontSize=g.table_size, leading=g.table_size * 1.2),
        "head": ParagraphStyle(
            "head", fontName=cell_bold if g.header_bold else cell, fontSize=g.table_size, leading=g.table_size * 1.2
        ),
    }
    s["number"] = ParagraphStyle("number", parent=s["cell"], alignment=TA_RIGHT)
    for level in range(1, 7):
        size = g.body_size + max(0, 8 - 2 * level)
        s[f"h{level}"] = ParagraphStyle(
            f"h{level}",
            fontName=body_bold,
            fontSize=size,
            leading=size * 1.25,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.4,
            keepWithNext=1,
        )
    return s


def _widths(g: Geometry, block: TableBlock, n: int, total: float) -> list[float]:
    """Column widths from the content, as a report writer sizes them: the name column (the longest texts)
    gets its share of the width, the others share the rest by the length of their texts (icons narrow)."""
    if n == 1:
        return [total]
    body = [r for k, r in enumerate(block.rows) if k >= block.header_rows and k not in block.spanning]
    lengths = []
    for c in range(n):
        texts = sorted(len(plain(r[c])) for r in body if c < len(r))
        typical = texts[int(0.9 * (len(texts) - 1))] if texts else 0
        # wide enough for the column's longest word up to ten letters (longer ones are cut, as in the reports)
        words = [w for r in block.rows if c < len(r) for w in plain(r[c]).split()]
        longest = max((len(w) for w in words), default=0)
        lengths.append(max(typical, min(longest, 10)))
    name = max(range(n), key=lambda c: lengths[c])
    share = {2: 0.62, 3: 0.6, 4: 0.55, 5: 0.45}.get(n, g.first_column + (0.08 if n <= 7 else 0.0))
    rnd = random.Random(g.seed * 1000 + n)
    weights = [min(max(length, 2), 14) * (rnd.uniform(0.85, 1.2) if g.seed else 1.0) for length in lengths]
    weights[name] = 0.0
    scale = total * (1 - share) / sum(weights)
    widths = [total * share if c == name else weights[c] * scale for c in range(n)]
    # A column is never narrower than its longest figure or word of up to six letters (real reports do not
    # cut "29,78 %" or "Tas fram av nämnd" mid-figure); the name column gives up what the others need.
    font = _family(g.table_font)[0]
    for c in range(n):
        if c == name:
            continue
        words = [w for r in body if c < len(r) for w in plain(r[c]).split() if len(w) <= 6 or w[0].isdigit()]
        need = max((pdfmetrics.stringWidth(w, font, g.table_size) for w in words), default=0.0) + 2 * g.padding + 1
        if widths[c] < need:
            widths[name] -= need - widths[c]
            widths[c] = need
    return widths


def _table(block: TableBlock, g: Geometry, styles: dict[str, ParagraphStyle], width: float) -> Table:
    n = max(len(r) for r in block.rows)
    data: list[list[object]] = []
    for r, cells in enumerate(block.rows):
        cells = cells + [""] * (n - len(cells))
        row: list[object] = []
        for c, text in enumerate(cells):
            if not plain(text):
                row.append("")
                continue
            if r < block.header_rows:
                style = styles["head"]
            elif g.numbers_right and c > 0 and _FIGURE_RE.match(plain(text)) and r not in block.spanning:
                style = styles["number"]
            else:
                style = styles["cell"]
            row.append(Paragraph(_markup(text, g.table_font), style))
        data.append(row)
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), g.valign),
        ("LEFTPADDING", (0, 0), (-1, -1), g.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), g.padding),
        ("TOPPADDING", (0, 0), (-1, -1), g.padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), g.padding),
    ]
    if g.rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.4, colors.grey))
    elif g.rules == "rows":
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey))
    if g.header_shade:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header_rows - 1), colors.HexColor("#dde4ee")))
    for r in block.spanning:
        commands.append(("SPAN", (0, r), (-1, r)))
    return Table(
        data,
        colWidths=_widths(g, block, n, width),
        repeatRows=block.header_rows,
        # Split inside the row that crosses the page end (splitting between rows first makes reportlab
        # try the remainder again in the space left, drawing a header above half a row).
        # Rows set in the middle of their height are not split (reportlab draws a split one over the next row).
        splitByRow=int(g.valign != "TOP"),
        splitInRow=int(g.valign == "TOP"),
        style=TableStyle(commands),
        hAlign="LEFT",
        spaceBefore=g.body_size * 0.4,
        spaceAfter=g.body_size * 0.9,
    )


def _canvas_class(g: Geometry, running_header: str):  # noqa: ANN202 - a reportlab canvas subclass
    """A canvas that draws the page furniture once the number of pages is known ("12(130)")."""
    regular = _family(g.body_font)[0]

    class FurnishedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furnish(total)
                super().showPage()
            super().save()

        def _furnish(self, total: int) -> None:
            width, height = g.pagesize
            left, right, top, bottom = g.margins
            self.setFont(regular, 8)
            self.drawString(left, height - top / 2, running_header)
            if g.header_right:
                self.drawRightString(width - right, height - top / 2, g.header_right)
            self.drawRightString(width - right, bottom / 2, g.footer.format(page=self._pageNumber, pages=total))

    return FurnishedCanvas


def render(text: str, g: Geometry, running_header: str) -> bytes:
    """The PDF of a tabbed report text in geometry `g`."""
    styles = _styles(g)
    left, right, top, bottom = g.margins
    frame_width = g.pagesize[0] - left - right - 12  # the frame pads its content by 6 points a side
    story: list[Flowable] = []
    for block in blocks(text):
        if isinstance(block, TableBlock):
            story.append(_table(block, g, styles, frame_width))
        else:
            style = styles[f"h{block.level}"] if block.level else styles["bold" if block.bold else "body"]
            story.append(Paragraph(_markup(block.text, g.body_font), style))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=g.pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=running_header,
        author="malbas test suite",
    )
    doc.build(story, canvasmaker=_canvas_class(g, running_header))
    return out.getvalue()


def with_seed(g: Geometry, seed: int) -> Geometry:
    return replace(g, seed=seed, name=f"{g.name}-s{seed}")
