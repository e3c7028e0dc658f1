"""PDF bytes → positioned words and ruling lines per page, read with pypdfium2 (PDFium's text layer and
page objects).

Coordinates are PDF points with the origin at the top left of the page (y grows downwards), so that
"above" means a smaller `top`. Only horizontal text is read; rotated text (watermarks, margin notes) is
not part of the report's reading order. Sizes are the sizes glyphs are drawn at: the font size times the
scale of the page's transformation (a browser prints CSS pixels at 0.75 point, shrunk further to fit).

Rules are what a table draws around its cells: thin lines and the edges of small rectangles (cell borders
and backgrounds), read from the page's path objects.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from malbas.etl.pdf.errors import PdfError
from malbas.etl.pdf.settings import GLYPHS

_BOLD_WEIGHT = 600  # CSS-like weights: 400 regular, 700 bold
_FORCE_BOLD = 0x40000  # PDF font descriptor flag
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")  # weights named in a font's name


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    lead: float  # width of the first glyph: whether it would have fitted at the end of the line above
    glyphs: tuple[float, ...] = ()  # the left edge of each character (where a word may be parted at a cell edge)

    def split_at(self, x: float) -> tuple[Word, Word] | None:
        """The word parted at the glyph boundary at `x` (within a point), or None if no boundary lies there:
        text of two cells set flush against each other reads as one word."""
        for k in range(1, len(self.glyphs)):
            if abs(self.glyphs[k] - x) <= 1.0 and self.glyphs[k] > self.glyphs[k - 1]:
                left = Word(self.text[:k], self.x0, self.glyphs[k], self.top, self.bottom, self.baseline, self.size,
                            self.bold, self.lead, self.glyphs[:k])  # fmt: skip
                right = Word(self.text[k:], self.glyphs[k], self.x1, self.top, self.bottom, self.baseline, self.size,
                             self.bold, self.glyphs[k + 1] - self.glyphs[k] if k + 1 < len(self.glyphs) else
                             self.x1 - self.glyphs[k], self.glyphs[k:])  # fmt: skip
                return left, right
        return None


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight ruling line: horizontal (top == bottom, within its width) or vertical (x0 == x1)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.bottom - self.top


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    rules: list[Rule] = field(default_factory=list)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise PdfError("encrypted PDF: it cannot be opened without its password") from None
        raise PdfError(f"damaged PDF: PDFium cannot open it ({_reason(message)})") from None


def _reason(message: str) -> str:
    # "Failed to load document (PDFium: Data format error)." -> "data format error"
    if "pdfium:" in message:
        return message.split("pdfium:", 1)[1].strip(" ).")
    return message.strip(" .")


def _page_words(textpage: pdfium.PdfTextPage, height: float) -> list[Word]:
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    fonts: dict[int, bool] = {}
    chars: list[str] = []
    lefts: list[float] = []
    x0 = x1 = top = bottom = base = size = lead = g_left = 0.0
    scale = 1.0
    bold = False

    def flush() -> None:
        if chars:
            words.append(Word("".join(chars), x0, x1, top, bottom, base, size, bold, lead, tuple(lefts)))
            chars.clear()
            lefts.clear()

    for i in range(count):
        if pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
            continue  # PDFium's own spaces and line breaks: words are made from the geometry below
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        if code in (0x20, 0xA0, 0x09, 0x0D, 0x0A, 0x00, 0xFFFE, 0xFFFF):
            flush()
            continue
        if 0xD800 <= code <= 0xDFFF:
            continue  # half of a surrogate pair: the pair's code point arrives with the other half
        if not _upright(pdfium_c.FPDFText_GetCharAngle(handle, i)):
            flush()
            continue
        pdfium_c.FPDFText_GetLooseCharBox(handle, i, rect)
        pdfium_c.FPDFText_GetCharOrigin(handle, i, ox, oy)
        c_size = pdfium_c.FPDFText_GetFontSize(handle, i) * scale
        c_top, c_bottom, c_base = height - rect.top, height - rect.bottom, height - oy.value
        if chars:
            same_line = abs(c_base - base) <= GLYPHS.same_line * max(size, c_size)
            gap = rect.left - x1
            # The letters of a ligature glyph ("ff", "fi") share its box: the second is no step back.
            ligature = abs(rect.left - g_left) < 0.01 * c_size and abs(rect.right - x1) < 0.01 * c_size
            back = gap < -GLYPHS.step_back * c_size and not ligature
            if not same_line or gap > GLYPHS.word_gap * max(size, c_size) or back:
                flush()
        ch = "-" if code == 0x02 else chr(code)  # PDFium marks a hyphen that ends a line as U+0002
        if not chars:
            # The scale a word is drawn at, known once per word (a text object's matrix is shared by its glyphs).
            pdfium_c.FPDFText_GetMatrix(handle, i, matrix)
            c_size *= (s := abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0) / scale
            scale = s
            x0, top, bottom, base, size = rect.left, c_top, c_bottom, c_base, c_size
            lead = rect.right - rect.left
            bold = _bold(handle, i, fonts)
        else:
            top, bottom = min(top, c_top), max(bottom, c_bottom)
        chars.append(ch)
        lefts.append(rect.left)
        x1 = max(rect.right, x1) if len(chars) > 1 else rect.right
        g_left = rect.left
    flush()
    return words


def _page_rules(page: pdfium.PdfPage, height: float) -> list[Rule]:
    """The page's ruling lines: path objects of a few straight segments (a line, a rectangle) that are thin
    (a rule) or small enough to be a cell's border or background (each edge a rule). Other drawings (charts,
    logos) are left out: the bounds of a curve say nothing of a table."""
    handle = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules: list[Rule] = []
    for k in range(pdfium_c.FPDFPage_CountObjects(handle)):
        obj = pdfium_c.FPDFPage_GetObject(handle, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if pdfium_c.FPDFPath_CountSegments(obj) > GLYPHS.rule_segments:
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        if y1 - y0 <= GLYPHS.rule_width:
            rules.append(Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
        elif x1 - x0 <= GLYPHS.rule_width:
            rules.append(Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
        else:
            rules += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
    return rules


def _bold(handle: pdfium_c.FPDF_TEXTPAGE, index: int, fonts: dict[int, bool]) -> bool:
    """A bold glyph: by its font's weight where the PDF states it, else by the font's flags or its name (the
    standard fonts, "Helvetica-Bold", state no weight). Known once per font of the page (`fonts`)."""
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(handle, index))
    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    if key not in fonts:
        fonts[key] = pdfium_c.FPDFText_GetFontWeight(handle, index) >= _BOLD_WEIGHT or (bool(font) and _bold_font(font))
    return fonts[key]


def _bold_font(font: pdfium_c.FPDF_FONT) -> bool:
    if pdfium_c.FPDFFont_GetFlags(font) & _FORCE_BOLD:
        return True
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
    return any(word in name.value.decode("latin-1").lower() for word in _BOLD_NAMES)


def _upright(angle: float) -> bool:
    return abs(angle) < 0.01 or abs(angle - 6.283185307179586) < 0.01


def read_pages(data: bytes) -> list[Page]:
    """Every page's words. Raises PdfError for PDFs that cannot be read or have no text layer."""
    document = _open(data)
    try:
        pages: list[Page] = []
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError as exc:
                raise PdfError(f"damaged PDF: page {index + 1} cannot be read ({_reason(str(exc).lower())})") from None
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                pages.append(Page(index + 1, width, height, _page_words(textpage, height), _page_rules(page, height)))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    if not pages:
        raise PdfError("damaged PDF: it has no pages")
    if not any(page.words for page in pages):
        raise PdfError("PDF has no text layer (a scanned document?): malbas reads the text of a PDF and does no OCR")
    return pages
