"""Render a TABBED report text as a PDF made by LibreOffice Writer, for testing the PDF reader on another producer.

tests/pdf_render.py lays the tabbed samples out with reportlab; every PDF it makes shares reportlab's way of
placing text (one text object per cell line, its own line spacing, its own way of cutting a row at a page
break). The city's reports come from office suites, so this module writes the same structure as a Flat ODT
document (one XML file) and lets LibreOffice lay it out and export it: its line breaking, its fonts
(Liberation, DejaVu), its table model (header rows repeated on every page, rows split across pages when the
row allows it, a header at the foot of a page with only the first lines of a row under it), its page
furniture as fields ("Sida 3 av 40", "3(40)").

The structure comes from pdf_render.blocks, so the expected reading of each PDF is still the parse of its
tabbed text. An `OdtGeometry` holds everything that varies between documents: page, margins, fonts, padding,
rules, alignment, column widths, shading, running header and footer, whether rows may split.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pdf_render import Prose, TableBlock, blocks, plain

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
FONTS = {"Liberation Serif": "roman", "Liberation Sans": "swiss", "DejaVu Sans": "swiss"}


@dataclass(frozen=True)
class OdtGeometry:
    name: str
    page: tuple[float, float] = A4  # width, height in points
    margins: tuple[float, float, float, float] = (60.0, 50.0, 70.0, 60.0)  # left, right, top, bottom
    body_font: str = "Liberation Serif"
    body_size: float = 10.5
    table_font: str = "Liberation Sans"
    table_size: float = 8.0
    padding: float = 3.0
    rules: str = "grid"  # grid | rows (a rule under every cell) | none
    numbers_right: bool = False  # figures in cells after the first set flush right
    valign: str = "top"  # top | middle
    first_column: float = 0.28  # share of the width for the name column of a table of six or more columns
    widths: str = "content"  # the other columns share the rest by their content, or "equal"
    header_shade: str | None = "#dde4ee"  # background of the header rows
    header_bold: bool = True
    header_right: str = "Tjänsteutlåtande"  # right of the running header, after a tab stop
    footer: str = "{page}({pages})"  # {page} and {pages} become page-number and page-count fields
    rows_split: bool = True  # a row may run over a page break (fo:keep-together="auto")


# A4, Liberation Serif text, Liberation Sans 8 pt tables in a grid, figures flush left, rows kept whole, "12(92)".
LO_SERIF_GRID = OdtGeometry("lo-serif-grid", rows_split=False)
# Letter, all Liberation Sans, 9 pt tables with a rule under each row, figures flush right, rows split at page breaks
# (a table's header can end a page with only the first lines of one row under it), "Sida 12 av 99".
LO_SANS_ROWS = OdtGeometry(
    "lo-sans-rows",
    page=LETTER,
    margins=(54.0, 54.0, 72.0, 60.0),
    body_font="Liberation Sans",
    body_size=10.0,
    table_size=9.0,
    padding=2.5,
    rules="rows",
    numbers_right=True,
    first_column=0.32,
    header_shade=None,
    footer="Sida {page} av {pages}",
)
# DejaVu Sans (LibreOffice sets its ff/fi/fl ligatures), no rules, cells in the middle of their row, value columns
# of equal width, a plain header row, no report kind in the running header, "Sid 12 (99)".
LO_DEJAVU_OPEN = OdtGeometry(
    "lo-dejavu-open",
    margins=(70.0, 60.0, 80.0, 70.0),
    body_font="DejaVu Sans",
    body_size=9.5,
    table_font="DejaVu Sans",
    table_size=7.5,
    padding=4.0,
    rules="none",
    numbers_right=True,
    valign="middle",
    first_column=0.24,
    widths="equal",
    header_shade="#eeeeee",
    header_bold=False,
    header_right="",
    footer="Sid {page} ({pages})",
)
LIBREOFFICE_GEOMETRIES = (LO_SERIF_GRID, LO_SANS_ROWS, LO_DEJAVU_OPEN)

_TOKEN_RE = re.compile(r"(\*\*|</?(?:b|i|p|u|em|strong|br)\s*/?>)", re.IGNORECASE)
_FIGURE_RE = re.compile(r"^[-−–+]?\d")  # as pdf_render: a figure, with or without its unit, or a date
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHAR_WIDTH = {"Liberation Serif": 0.5, "Liberation Sans": 0.56, "DejaVu Sans": 0.64}  # of a digit, in ems


def _pt(x: float) -> str:
    return f"{x:.2f}pt"


# ---------------------------------------------------------------- text


def _inline(text: str) -> str:
    """Tabbed-text markup → ODF inline content: <b>, **, <i> as spans, <p>/<br> as line breaks, rest escaped.
    Bold and italic are states, so unbalanced source tags cannot make the XML ill-formed."""
    out: list[str] = []
    bold = italic = False
    for part in _TOKEN_RE.split(_NOT_XML_RE.sub("", text)):
        tag = part.lower().replace(" ", "")
        if tag == "**":
            bold = not bold
        elif tag in ("<b>", "<strong>", "</b>", "</strong>"):
            bold = not tag.startswith("</")
        elif tag in ("<i>", "<em>", "<u>", "</i>", "</em>", "</u>"):
            italic = not tag.startswith("</")
        elif tag in ("<br>", "<br/>") or (tag == "<p>" and "".join(out).strip()):
            out.append("<text:line-break/>")
        elif tag in ("<p>", "</p>"):
            out.append(" ")
        elif part:
            style = "T_" + "b" * bold + "i" * italic
            out.append(
                escape(part) if style == "T_" else f'<text:span text:style-name="{style}">{escape(part)}</text:span>'
            )
    return "".join(out).strip()


def _style(name: str, family: str, *properties: str, attributes: str = "") -> str:
    head = f'<style:style style:name="{name}" style:family="{family}"{attributes}>'
    return f"{head}{''.join(properties)}</style:style>"


def _para(style: str, content: str) -> str:
    return f'<text:p text:style-name="{style}">{content}</text:p>'


# ---------------------------------------------------------------- tables


def _widths(g: OdtGeometry, block: TableBlock, n: int, total: float) -> list[float]:
    """The name column (longest texts) gets its share; the others split the rest by the length of their
    typical text, or equally; no column is narrower than its longest figure or short word."""
    if n == 1:
        return [total]
    body = [r for k, r in enumerate(block.rows) if k >= block.header_rows and k not in block.spanning]
    lengths = []
    for c in range(n):
        texts = sorted(len(plain(r[c])) for r in body if c < len(r))
        words = [w for r in block.rows if c < len(r) for w in plain(r[c]).split()]
        typical = texts[int(0.9 * (len(texts) - 1))] if texts else 0
        lengths.append(max(typical, min(max((len(w) for w in words), default=0), 10)))
    name = max(range(n), key=lambda c: lengths[c])
    share = {2: 0.62, 3: 0.6, 4: 0.55, 5: 0.45}.get(n, g.first_column + (0.08 if n <= 7 else 0.0))
    weights = [1.0 if g.widths == "equal" else min(max(length, 2), 14) for length in lengths]
    weights[name] = 0.0
    widths = [total * share if c == name else total * (1 - share) * w / sum(weights) for c, w in enumerate(weights)]
    em = g.table_size * _CHAR_WIDTH[g.table_font]
    for c in range(n):
        words = [w for r in body if c < len(r) for w in plain(r[c]).split() if len(w) <= 6 or w[0].isdigit()]
        need = max((len(w) * em for w in words), default=0.0) + 2 * g.padding + 2
        if c != name and widths[c] < need:
            widths[name] -= need - widths[c]
            widths[c] = need
    return widths


def _cell(style: str, para_style: str, text: str, span: int = 1) -> str:
    spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    content = _para(para_style, _inline(text)) if plain(text) else ""
    attributes = f'table:style-name="{style}"{spanned} office:value-type="string"'
    return f"<table:table-cell {attributes}>{content}</table:table-cell>" + "<table:covered-table-cell/>" * (span - 1)


def _table(k: int, block: TableBlock, g: OdtGeometry, width: float) -> tuple[str, str]:
    """(automatic styles, table) for one table block: header rows in <table:table-header-rows> (repeated on every
    page), a spanning row as one cell over all columns, figures flush right if the geometry says so."""
    n = max(len(r) for r in block.rows)
    name = f"Tabell{k}"
    margins = f' fo:margin-top="{_pt(g.body_size * 0.4)}" fo:margin-bottom="{_pt(g.body_size * 0.9)}"'
    table = f'style:width="{_pt(width)}" table:align="left"{margins} style:may-break-between-rows="true"'
    styles = [_style(name, "table", f"<style:table-properties {table}/>")]
    columns = []
    for c, w in enumerate(_widths(g, block, n, width)):
        styles.append(
            _style(f"{name}.C{c}", "table-column", f'<style:table-column-properties style:column-width="{_pt(w)}"/>')
        )
        columns.append(f'<table:table-column table:style-name="{name}.C{c}"/>')
    head: list[str] = []
    body: list[str] = []
    for r, cells in enumerate(block.rows):
        cells = cells + [""] * (n - len(cells))
        if r in block.spanning:
            xml = _cell("Box", "Cell", cells[0], span=n)
        elif r < block.header_rows:
            xml = "".join(_cell("HeadBox", "CellHead", text) for text in cells)
        else:
            number = [g.numbers_right and c > 0 and _FIGURE_RE.match(plain(t)) is not None for c, t in enumerate(cells)]
            xml = "".join(_cell("Box", "Number" if number[c] else "Cell", t) for c, t in enumerate(cells))
        row = f'<table:table-row table:style-name="Row">{xml}</table:table-row>'
        (head if r < block.header_rows else body).append(row)
    xml = f"{''.join(columns)}<table:table-header-rows>{''.join(head)}</table:table-header-rows>{''.join(body)}"
    return "".join(styles), f'<table:table table:name="{name}" table:style-name="{name}">{xml}</table:table>'


# ---------------------------------------------------------------- the document


def _paragraph_style(name: str, size: float, font: str, bold: bool = False, paragraph: str = "", level: int = 0) -> str:
    weight = ' fo:font-weight="bold"' if bold else ""
    text = f'<style:text-properties style:font-name="{font}" fo:font-size="{_pt(size)}"{weight}/>'
    outline = f' style:default-outline-level="{level}"' if level else ""
    return _style(name, "paragraph", f"<style:paragraph-properties{paragraph}/>", text, attributes=outline)


def _styles(g: OdtGeometry) -> str:
    """Common styles: body text, bold asides, headings 1-6 (larger, bold, kept with the next paragraph), cell
    texts, the running header (committee left, report kind at a right tab stop) and footer."""
    body, cell, keep = g.body_font, g.table_font, ' fo:keep-with-next="always"'
    tab = f'<style:tab-stop style:position="{_pt(g.page[0] - g.margins[0] - g.margins[1] - 0.5)}" style:type="right"/>'
    out = [
        '<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/>'
        f'<style:text-properties style:font-name="{body}" fo:font-size="{_pt(g.body_size)}"'
        ' fo:language="sv" fo:country="SE" fo:hyphenate="false"/></style:default-style>',
        _paragraph_style("Standard", g.body_size, body),
        _paragraph_style("Body", g.body_size, body, paragraph=f' fo:margin-bottom="{_pt(g.body_size * 0.6)}"'),
        _paragraph_style("Bold", g.body_size, body, True, f' fo:margin-bottom="{_pt(g.body_size * 0.5)}"{keep}'),
        _paragraph_style("Cell", g.table_size, cell),
        _paragraph_style("CellHead", g.table_size, cell, g.header_bold),
        _paragraph_style("Number", g.table_size, cell, paragraph=' fo:text-align="end"'),
        _paragraph_style("Footer", 8, body, paragraph=' fo:text-align="end"'),
        _style(
            "Header",
            "paragraph",
            f"<style:paragraph-properties><style:tab-stops>{tab}</style:tab-stops></style:paragraph-properties>",
            f'<style:text-properties style:font-name="{body}" fo:font-size="8pt"/>',
        ),
    ]
    for level in range(1, 7):
        size = g.body_size + max(0, 8 - 2 * level)
        spacing = f' fo:margin-top="{_pt(size * 0.8)}" fo:margin-bottom="{_pt(size * 0.4)}"{keep}'
        out.append(_paragraph_style(f"Heading_20_{level}", size, body, True, spacing, level))
    return "".join(out)


def _automatic_styles(g: OdtGeometry) -> str:
    """Bold/italic spans, cell borders and padding, row splitting, and the page: the running header and footer
    sit inside the page margins, so that the body starts about `top` points from the top edge."""
    rule = "0.5pt solid #808080"
    borders = {
        "grid": f'fo:border="{rule}"',
        "rows": f'fo:border="none" fo:border-bottom="{rule}"',
        "none": 'fo:border="none"',
    }
    cell = f'fo:padding="{_pt(g.padding)}" style:vertical-align="{g.valign}" {borders[g.rules]}'
    shade = f' fo:background-color="{g.header_shade}"' if g.header_shade else ""
    keep_together = "auto" if g.rows_split else "always"
    left, right, top, bottom = g.margins
    size = f'fo:page-width="{_pt(g.page[0])}" fo:page-height="{_pt(g.page[1])}"'
    margins = f'fo:margin-left="{_pt(left)}" fo:margin-right="{_pt(right)}"'
    margins += f' fo:margin-top="{_pt(top * 0.4)}" fo:margin-bottom="{_pt(bottom * 0.4)}"'
    furniture = '<style:header-footer-properties fo:min-height="0pt"'
    return "".join(
        [
            _style("T_b", "text", '<style:text-properties fo:font-weight="bold"/>'),
            _style("T_i", "text", '<style:text-properties fo:font-style="italic"/>'),
            _style("T_bi", "text", '<style:text-properties fo:font-weight="bold" fo:font-style="italic"/>'),
            _style("Box", "table-cell", f"<style:table-cell-properties {cell}/>"),
            _style("HeadBox", "table-cell", f"<style:table-cell-properties {cell}{shade}/>"),
            _style("Row", "table-row", f'<style:table-row-properties fo:keep-together="{keep_together}"/>'),
            f'<style:page-layout style:name="Page"><style:page-layout-properties {size} {margins}/>',
            f'<style:header-style>{furniture} fo:margin-bottom="{_pt(top * 0.6 - 10)}"/></style:header-style>',
            f'<style:footer-style>{furniture} fo:margin-top="{_pt(bottom * 0.6 - 10)}"/></style:footer-style>',
            "</style:page-layout>",
        ]
    )


def _footer(template: str) -> str:
    fields = {
        "{page}": '<text:page-number text:select-page="current">1</text:page-number>',
        "{pages}": "<text:page-count>1</text:page-count>",
    }
    return "".join(fields.get(part, escape(part)) for part in re.split(r"(\{pages?\})", template))


def to_fodt(text: str, g: OdtGeometry, running_header: str) -> str:
    """The Flat ODT document of a tabbed report text in geometry `g`."""
    width = g.page[0] - g.margins[0] - g.margins[1]
    table_styles: list[str] = []
    body: list[str] = []
    for block in blocks(text):
        if isinstance(block, TableBlock):
            styles, table = _table(len(table_styles) + 1, block, g, width)
            table_styles.append(styles)
            body.append(table)
        elif isinstance(block, Prose) and block.level:
            level = min(block.level, 6)
            attributes = f'text:style-name="Heading_20_{level}" text:outline-level="{level}"'
            body.append(f"<text:h {attributes}>{_inline(block.text)}</text:h>")
        else:
            body.append(_para("Bold" if block.bold else "Body", _inline(block.text)))
    right = f"<text:tab/>{escape(g.header_right)}" if g.header_right else ""
    fonts = "".join(
        f'<style:font-face style:name="{f}" svg:font-family={quoteattr(repr(f))} style:font-family-generic="{generic}"'
        ' style:font-pitch="variable"/>'
        for f, generic in FONTS.items()
    )
    namespaces = " ".join(
        f'xmlns:{p}="urn:oasis:names:tc:opendocument:xmlns:{u}"'
        for p, u in [
            ("office", "office:1.0"),
            ("style", "style:1.0"),
            ("text", "text:1.0"),
            ("table", "table:1.0"),
            ("fo", "xsl-fo-compatible:1.0"),
            ("svg", "svg-compatible:1.0"),
        ]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {namespaces} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:font-face-decls>{fonts}</office:font-face-decls>"
        f"<office:styles>{_styles(g)}</office:styles>"
        f"<office:automatic-styles>{_automatic_styles(g)}{''.join(table_styles)}</office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="Page">'
        f"<style:header>{_para('Header', escape(_NOT_XML_RE.sub('', running_header)) + right)}</style:header>"
        f"<style:footer>{_para('Footer', _footer(g.footer))}</style:footer></style:master-page></office:master-styles>"
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document>\n"
    )


# ---------------------------------------------------------------- LibreOffice


class LibreOfficeError(RuntimeError):
    pass


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    return _soffice() is not None


def render_libreoffice(text: str, g: OdtGeometry, running_header: str, timeout: float = 300.0) -> bytes:
    """The PDF LibreOffice makes of `to_fodt(text, g, running_header)`. Each call has a user profile of its
    own, so that calls may run at the same time."""
    soffice = _soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice is not installed: no soffice or libreoffice on PATH")
    with tempfile.TemporaryDirectory(prefix="malbas-lo-") as tmp:
        folder = Path(tmp)
        source = folder / "report.fodt"
        source.write_text(to_fodt(text, g, running_header), encoding="utf-8")
        command = [
            soffice, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(folder / "out"), str(source),
        ]  # fmt: skip
        # A session of its own, so that a timeout ends soffice.bin too, not only the soffice script.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise LibreOfficeError(f"LibreOffice did not convert {g.name} within {timeout:g} s") from None
        pdf = folder / "out" / "report.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = " | ".join(output.decode(errors="replace").strip().splitlines()[-3:]) or "no output"
            raise LibreOfficeError(f"LibreOffice failed to convert {g.name} (exit {process.returncode}): {detail}")
        return pdf.read_bytes()
