"""Render a TABBED report text as HTML+CSS and print it to PDF with WeasyPrint or headless Chromium.

tests/pdf_render.py lays reports out with reportlab, which places every line itself. Real reports come from
other producers, whose text layers differ: a browser engine sizes table columns from their content (auto
table layout), breaks lines by its own rules, repeats a table's <thead> on every page, may split a tall row
across a page break (leaving a header at the foot of a page with only the first lines of a row under it),
draws page furniture in @page margin boxes, and writes glyphs, spaces and runs into the PDF in its own way.
This module renders the same structure (`pdf_render.blocks`) as HTML so that the PDF reader can be tested
against those producers: each cell is known, so the expected reading of the PDF is the tabbed text itself.

An `HtmlGeometry` holds what varies between layouts: page size and margins, fonts and sizes, padding, rules,
alignment of figures, column widths (the browser's or a fixed share for the name column), header shading,
page furniture, and whether a row may break across pages (where it may, a cell may also break after its first
line: orphans and widows 1). Words longer than ten letters may be cut inside a table cell, as pdf_render cuts
words wider than their column: without that one wide economy table of the VB is wider than the page, and
Chromium then scales every page of the document down to fit it.

Both producers write in CSS pixels under a 0.75 scale, so a font's size in the PDF's text state is 4/3 of its
printed size in points.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pdf_render import Prose, TableBlock, blocks, plain

CHROMIUM = "/usr/bin/chromium"
_FIGURE_RE = re.compile(r"^[-−–+]?\d")  # a figure, with or without its unit, or a date (as in pdf_render)
_TAG_SPLIT = re.compile(r"(</?(?:b|i|p|u|em|strong|br)\s*/?>)", re.IGNORECASE)
_LONG_WORD = re.compile(r"\S{11,}")  # words that may be cut where a column is narrower than they are
_NAME_SHARE = {2: 0.62, 3: 0.6, 4: 0.55, 5: 0.45}  # the name column's share in narrow tables (as in pdf_render)


@dataclass(frozen=True)
class HtmlGeometry:
    name: str
    page: str = "A4"  # CSS @page size: "A4", "letter", "A4 landscape", …
    margins: str = "25mm 18mm 22mm 22mm"  # CSS order: top right bottom left
    body_font: str = "Liberation Sans"
    body_size: float = 10.0  # pt
    table_font: str = "Liberation Sans"
    table_size: float = 8.0  # pt
    padding: float = 3.0  # pt, every side of a cell
    rules: Literal["grid", "rows", "none"] = "grid"  # rows: a rule under each row
    numbers_right: bool = False  # figures in the cells after the first set flush right
    valign: Literal["top", "middle"] = "top"
    first_column: float | None = None  # share of the width for the first column (<colgroup>); None: auto layout
    header_bold: bool = True
    header_shade: bool = True
    header_right: str = "Tjänsteutlåtande"  # top right of every page ("" for none); top left: the running header
    footer: str = "{page}({pages})"  # bottom right; {page} and {pages} become CSS counters
    rows_split: bool = True  # a row may break across pages (tr { break-inside: auto }) or is kept whole
    cut_long_words: bool = True  # long words may break inside a cell; without, Chromium shrinks a page to fit


WEASY_SANS_GRID = HtmlGeometry("weasy-sans-grid")
WEASY_SERIF_ROWS = HtmlGeometry(
    "weasy-serif-rows",
    page="letter",
    margins="0.9in 0.75in 0.8in 0.75in",
    body_font="Liberation Serif",
    body_size=11.0,
    table_font="Liberation Serif",
    table_size=9.0,
    padding=2.5,
    rules="rows",
    numbers_right=True,
    first_column=0.3,
    header_shade=False,
    header_right="",
    footer="Sida {page} av {pages}",
)
WEASY_DEJAVU_LANDSCAPE = HtmlGeometry(
    "weasy-dejavu-landscape",
    page="A4 landscape",
    margins="20mm 20mm 18mm 20mm",
    body_font="DejaVu Serif",
    body_size=10.0,
    table_font="DejaVu Sans",
    table_size=7.5,
    padding=4.0,
    rules="none",
    numbers_right=True,
    valign="middle",
    header_bold=False,
    footer="{page} ({pages})",
    rows_split=False,
)
CHROME_SANS_ROWS = HtmlGeometry(
    "chrome-sans-rows",
    margins="24mm 16mm 20mm 20mm",
    table_size=8.5,
    rules="rows",
    numbers_right=True,
    header_shade=False,
    footer="Sida {page} av {pages}",
)
CHROME_SERIF_NONE = HtmlGeometry(
    "chrome-serif-none",
    page="letter",
    margins="1in 0.8in 0.9in 0.8in",
    body_font="Liberation Serif",
    body_size=11.5,
    table_font="Liberation Serif",
    table_size=9.0,
    padding=2.0,
    rules="none",
    valign="middle",
    first_column=0.28,
    header_bold=False,
    footer="{page}/{pages}",
    rows_split=False,
)
# No long word may break: one economy table of the VB is then wider than the page, and Chromium prints every
# page shrunk to fit it (about 0.85): the PDF draws its text under a scale the font sizes do not show.
CHROME_SHRUNK = HtmlGeometry("chrome-shrunk", margins="24mm 16mm 20mm 20mm", rules="rows", cut_long_words=False)
CHROME_DEJAVU_GRID = HtmlGeometry(
    "chrome-dejavu-grid",
    page="A4",
    margins="30mm 25mm 28mm 25mm",
    body_font="DejaVu Sans",
    body_size=9.5,
    table_font="DejaVu Sans",
    table_size=7.0,
    padding=1.5,
    rules="grid",
    first_column=0.22,
)
WEASYPRINT_GEOMETRIES = (WEASY_SANS_GRID, WEASY_SERIF_ROWS, WEASY_DEJAVU_LANDSCAPE)
CHROMIUM_GEOMETRIES = (CHROME_SANS_ROWS, CHROME_SERIF_NONE, CHROME_DEJAVU_GRID, CHROME_SHRUNK)


# ---------------------------------------------------------------- HTML


def _escape(text: str, cut: bool) -> str:
    """Escaped text; with `cut`, long words may break anywhere (CSS overflow-wrap: anywhere on a span), as
    pdf_render cuts words wider than their column. Set on the long words only: WeasyPrint sizes a column
    from every break opportunity of its cells, one layout per opportunity, which is slow for whole cells."""
    if not cut:
        return html.escape(text, quote=False)
    out, end = [], 0
    for m in _LONG_WORD.finditer(text):
        out += [
            html.escape(text[end : m.start()], quote=False),
            f"<span class=cut>{html.escape(m.group(), quote=False)}</span>",
        ]
        end = m.end()
    return "".join(out) + html.escape(text[end:], quote=False)


def _markup(text: str, cut: bool = False) -> str:
    """Tabbed-text markup → HTML: <b>/<i> kept (strong, em, u as b, i, i), <p> as a line break, <br> as a
    space (as pdf_render does), **bold** as <b>, everything else escaped. Unbalanced tags are dropped."""
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    out: list[str] = []
    for part in _TAG_SPLIT.split(text):
        tag = part.lower().replace(" ", "")
        if tag in ("<b>", "</b>", "<strong>", "</strong>"):
            out.append(tag.replace("strong", "b"))
        elif tag in ("<i>", "</i>", "<em>", "</em>", "<u>", "</u>"):
            out.append(tag.replace("em", "i").replace("u>", "i>"))
        elif tag in ("<p>", "</p>", "<br>", "<br/>"):
            out.append("<br>" if tag == "<p>" and "".join(out).strip() else " ")
        else:
            out.append(_escape(part, cut))
    joined = "".join(out)
    for tag in ("b", "i"):
        if joined.count(f"<{tag}>") != joined.count(f"</{tag}>"):
            joined = joined.replace(f"<{tag}>", "").replace(f"</{tag}>", "")
    return joined.strip()


def _table(block: TableBlock, g: HtmlGeometry) -> str:
    n = max(len(r) for r in block.rows)
    out = ["<table>"]
    if g.first_column is not None and n > 1:
        share = _NAME_SHARE.get(n, g.first_column)
        out.append(f'<colgroup><col style="width: {share:.0%}"><col span="{n - 1}"></colgroup>')
    for r, cells in enumerate(block.rows):
        if r == 0:
            out.append("<thead>")
        if r == block.header_rows:
            out.append("</thead><tbody>")
        if r in block.spanning:
            out.append(f'<tr><td colspan="{n}">{_markup(" ".join(cells))}</td></tr>')
            continue
        tag = "th" if r < block.header_rows else "td"
        row = []
        for c, text in enumerate(cells + [""] * (n - len(cells))):
            number = tag == "td" and g.numbers_right and c > 0 and _FIGURE_RE.match(plain(text))
            row.append(
                f"<{tag}{' class=num' if number else ''}>"
                f"{_markup(text, cut=g.cut_long_words) if plain(text) else ''}</{tag}>"
            )
        out.append(f"<tr>{''.join(row)}</tr>")
    out.append("</tbody></table>" if len(block.rows) > block.header_rows else "</thead></table>")
    return "\n".join(out)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _counters(footer: str) -> str:
    """A footer as CSS content: "Sida {page} av {pages}" → "Sida " counter(page) " av " counter(pages)."""
    parts = re.split(r"(\{pages?\})", footer)
    return " ".join(f"counter({p[1:-1]})" if p in ("{page}", "{pages}") else _css_string(p) for p in parts if p)


def _icon_fonts() -> str:
    """@font-face rules for the icons the report fonts lack (✓ ⓘ ♀ ◆), from the font files matplotlib ships (as
    pdf_render falls back to them): a browser falls back to these before leaving an icon out."""
    folder = Path(__import__("matplotlib").__file__).parent / "mpl-data" / "fonts" / "ttf"
    return "\n".join(
        f'@font-face {{ font-family: "malbas-icons-{k}"; src: url("{(folder / name).as_uri()}") }}'
        for k, name in enumerate(("DejaVuSans.ttf", "STIXGeneral.ttf"))
    )


_ICONS = '"malbas-icons-0", "malbas-icons-1"'


def _css(g: HtmlGeometry, running_header: str) -> str:
    furniture = f'font: 8pt "{g.body_font}"; vertical-align: middle'
    rules = {
        "grid": "th, td { border: 0.4pt solid #888 }",
        "rows": "th, td { border-bottom: 0.4pt solid #888 }",
        "none": "",
    }[g.rules]
    return f"""
@page {{
  size: {g.page}; margin: {g.margins};
  @top-left {{ content: {_css_string(running_header)}; {furniture} }}
  @top-right {{ content: {_css_string(g.header_right)}; {furniture} }}
  @bottom-right {{ content: {_counters(g.footer)}; {furniture} }}
}}
{_icon_fonts()}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: "{g.body_font}", {_ICONS}; font-size: {g.body_size}pt; line-height: 1.25 }}
p {{ margin: 0 0 0.6em }}
h1, h2, h3, h4, h5, h6, p.bold {{ font-weight: bold; font-size: 1em; margin: 0.4em 0 0.5em; break-after: avoid }}
h1 {{ font-size: {g.body_size + 6}pt }} h2 {{ font-size: {g.body_size + 4}pt }} h3 {{ font-size: {g.body_size + 2}pt }}
h1, h2, h3 {{ margin: 0.8em 0 0.4em }}
table {{ width: 100%; border-collapse: collapse; margin: 0.4em 0 0.9em;
  font-family: "{g.table_font}", {_ICONS}; font-size: {g.table_size}pt; line-height: 1.2 }}
th, td {{ padding: {g.padding}pt; vertical-align: {g.valign}; text-align: left; overflow-wrap: break-word }}
.cut {{ overflow-wrap: anywhere }}
th {{ font-weight: {"bold" if g.header_bold else "normal"}; {"background: #dde4ee" if g.header_shade else ""} }}
td.num {{ text-align: right }}
tr {{ break-inside: {"auto" if g.rows_split else "avoid"} }}
{"td { orphans: 1; widows: 1 }" if g.rows_split else ""}
{rules}
"""


def to_html(text: str, g: HtmlGeometry, running_header: str, extra_css: str = "") -> str:
    """The HTML document of a tabbed report text in geometry `g` (`extra_css` is appended to its style)."""
    body = []
    for block in blocks(text):
        if isinstance(block, TableBlock):
            body.append(_table(block, g))
        elif isinstance(block, Prose) and block.level:
            body.append(f"<h{block.level}>{_markup(block.text)}</h{block.level}>")
        else:
            body.append(f"<p{' class=bold' if block.bold else ''}>{_markup(block.text)}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(running_header)}</title>'
        f"<style>{_css(g, running_header)}{extra_css}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


# ---------------------------------------------------------------- producers


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the package is there, its system libraries (Pango) are not
        return False
    return True


def chromium_available() -> bool:
    return shutil.which(CHROMIUM) is not None


def render_weasyprint(text: str, g: HtmlGeometry, running_header: str, extra_css: str = "") -> bytes:
    """The PDF of a tabbed report text, printed by WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=to_html(text, g, running_header, extra_css)).write_pdf()


def render_chromium(
    text: str, g: HtmlGeometry, running_header: str, extra_css: str = "", timeout: float = 180.0
) -> bytes:
    """The PDF of a tabbed report text, printed by headless Chromium (a fresh profile each time)."""
    if not chromium_available():
        raise RuntimeError(f"Chromium is not installed at {CHROMIUM}: cannot print HTML to PDF")
    with tempfile.TemporaryDirectory(prefix="malbas-chromium-") as tmp:
        page, pdf = Path(tmp, "report.html"), Path(tmp, "report.pdf")
        page.write_text(to_html(text, g, running_header, extra_css), encoding="utf-8")
        command = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(),
        ]  # fmt: skip
        # A session of its own, so that a timeout ends Chromium's helper processes with it.
        with subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        ) as run:
            try:
                _, stderr = run.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
                run.communicate()
                raise RuntimeError(f"Chromium did not print {g.name} within {timeout:g} s") from None
        if run.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            reason = stderr.decode(errors="replace")[-500:]
            raise RuntimeError(f"Chromium did not print {g.name} (exit {run.returncode}): {reason}")
        return pdf.read_bytes()
