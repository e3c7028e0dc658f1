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


_BREAKS = frozenset((0x20, 0xA0, 0x09, 0x0D, 0x0A, 0x00, 0xFFFE, 0xFFFF))  # spaces, line ends, nothing


def _char(code: int) -> str:
    """The glyph's character: PDFium marks a hyphen that ends a line as U+0002."""
    return "-" if code == 0x02 else chr(code)


class _PageWords:
    """A page's words, made from the geometry of its glyphs: a gap wider than a letter's spacing, a step back
    or a new baseline ends a word. PDFium's own (generated) spaces are not trusted; the page's real ones are.

    Two calls into PDFium per glyph (its character and its box); what a text object's glyphs share (size,
    scale, weight, whether upright) is read once per text object, a word's baseline once per word, and a
    glyph's baseline only where its box's bottom differs from the last one's (another font, a superscript)."""

    def __init__(self, textpage: pdfium.PdfTextPage, height: float) -> None:
        self.handle = textpage.raw
        self.height = height
        self.matrix = pdfium_c.FS_MATRIX()
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.fonts: dict[bytes, bool] = {}
        self.objects: dict[bytes, tuple[bool, float, bool]] = {}  # text object -> upright, size, bold
        # the word being read: its glyphs, and what they share
        self.chars: list[str] = []
        self.lefts: list[float] = []
        self.base = self.size = 0.0
        self.upright = True
        self.bold = False
        self.words: list[Word] = []

    def read(self) -> list[Word]:
        handle, height, chars, lefts = self.handle, self.height, self.chars, self.lefts
        get_unicode, get_box = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox
        rect = pdfium_c.FS_RECTF()
        g_left = g_bottom = 0.0
        # The word being read, in locals (the loop runs once per glyph): its box and its first glyph's width.
        x0 = x1 = w_top = w_bottom = lead = size = 0.0
        for i in range(pdfium_c.FPDFText_CountChars(handle)):
            # Character by character: the page's text in one call (FPDFText_GetText) does not keep PDFium's
            # character indices where a producer's text holds characters PDFium adds or drops.
            code = get_unicode(handle, i)
            if code in _BREAKS:
                if chars and self.real_space(code, i):
                    self.flush(x0, x1, w_top, w_bottom, lead)  # a real space (PDFium's own are guesses)
                continue
            if 0xD800 <= code <= 0xDFFF:
                continue  # half of a surrogate pair: the pair's code point arrives with the other half
            get_box(handle, i, rect)
            left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
            if chars and self.ends_word(i, left, right, bottom, x1, g_left, g_bottom, size):
                self.flush(x0, x1, w_top, w_bottom, lead)
            if chars:  # the word's box grows by the glyph (min and max keep the first of equal values, as `<` does)
                w_top = min(w_top, height - top)
                w_bottom = max(w_bottom, height - bottom)
                x1 = max(x1, right)
            else:
                size = self.start(i)
                x0, x1, w_top, w_bottom, lead = left, right, height - top, height - bottom, right - left
            chars.append(_char(code))
            lefts.append(left)
            g_left, g_bottom = left, bottom
        if chars:
            self.flush(x0, x1, w_top, w_bottom, lead)
        return self.words

    def real_space(self, code: int, i: int) -> bool:
        """Whether a space or line end is in the page's text; PDFium generates the ones it guesses."""
        return code not in (0x20, 0x0D, 0x0A) or pdfium_c.FPDFText_IsGenerated(self.handle, i) != 1

    def ends_word(  # noqa: PLR0913 - the glyph's box and the word's, passed as the locals of the glyph loop
        self, i: int, left: float, right: float, bottom: float, x1: float, g_left: float, g_bottom: float, size: float
    ) -> bool:
        """Whether glyph i starts a new word after the glyphs read so far (the word ending at x1, the last glyph
        at g_left, g_bottom): a gap wider than a letter's spacing, a step back, or another baseline."""
        gap = left - x1
        # The letters of a ligature glyph ("ff", "fi") share its box: the second is no step back.
        back = gap < -GLYPHS.step_back * size and not (
            abs(left - g_left) < 0.01 * size and abs(right - x1) < 0.01 * size
        )
        moved = abs(bottom - g_bottom) > 0.01 * size and self.off_baseline(i)
        return moved or gap > GLYPHS.word_gap * size or back

    def start(self, i: int) -> float:
        """What a word's glyphs share: its baseline, and the size, scale and weight it is drawn at (those of its
        text object). Returns the size."""
        pdfium_c.FPDFText_GetCharOrigin(self.handle, i, self.ox, self.oy)
        self.base = self.height - self.oy.value
        obj = pdfium_c.FPDFText_GetTextObject(self.handle, i)
        key = bytes(obj)  # the object's address
        if key not in self.objects:
            self.objects[key] = self.drawn(i, obj)
        self.upright, self.size, self.bold = self.objects[key]
        return self.size

    def drawn(self, i: int, obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[bool, float, bool]:
        """Whether a text object's glyphs stand upright, the size they are drawn at, and whether they are bold."""
        matrix = self.matrix
        pdfium_c.FPDFText_GetMatrix(self.handle, i, matrix)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
        upright = abs(matrix.b) < 1e-3 * scale and abs(matrix.c) < 1e-3 * scale and matrix.a > 0 < matrix.d
        return upright, pdfium_c.FPDFText_GetFontSize(self.handle, i) * scale, self.bold_at(i, obj)

    def off_baseline(self, i: int) -> bool:
        pdfium_c.FPDFText_GetCharOrigin(self.handle, i, self.ox, self.oy)
        return abs(self.height - self.oy.value - self.base) > GLYPHS.same_line * self.size

    def flush(self, x0: float, x1: float, top: float, bottom: float, lead: float) -> None:
        """End the word being read (its glyphs are in self.chars and self.lefts; its box is given)."""
        if self.upright:  # rotated text (a watermark, a margin note) is not read
            self.words.append(
                Word("".join(self.chars), x0, x1, top, bottom, self.base, self.size, self.bold, lead, tuple(self.lefts))
            )
        self.chars.clear()
        self.lefts.clear()

    def bold_at(self, i: int, obj: pdfium_c.FPDF_PAGEOBJECT) -> bool:
        """A bold glyph: by its font's weight where the PDF states it, else by the font's flags or its name (the
        standard fonts, "Helvetica-Bold", state no weight). Known once per font of the page."""
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        key = bytes(font)  # the font's address
        if key not in self.fonts:
            weight = pdfium_c.FPDFText_GetFontWeight(self.handle, i)
            self.fonts[key] = weight >= _BOLD_WEIGHT or (bool(font) and _bold_font(font))
        return self.fonts[key]


def _may_hold_a_table(words: list[Word]) -> bool:
    """Whether two words on one baseline stand further apart than any word space: only then are the page's
    rules worth reading (reading a page's objects costs as much as reading its text where a producer draws each
    glyph as an object of its own)."""
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(round(w.baseline), []).append(w)
    for line in lines.values():
        line.sort(key=lambda w: w.x0)
        if any(b.x0 - a.x1 > a.size for a, b in zip(line, line[1:], strict=False)):
            return True
    return False


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


def _bold_font(font: pdfium_c.FPDF_FONT) -> bool:
    if pdfium_c.FPDFFont_GetFlags(font) & _FORCE_BOLD:
        return True
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
    return any(word in name.value.decode("latin-1").lower() for word in _BOLD_NAMES)


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
                words = _PageWords(textpage, height).read()
                rules = _page_rules(page, height) if _may_hold_a_table(words) else []
                pages.append(Page(index + 1, width, height, words, rules))
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
