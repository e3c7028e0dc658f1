"""PDF reading speed: pages/s of malbas's extractor against PDFium's own text extraction (the floor), and of the
candidate libraries, on generated reports.

python bench/bench_pdf.py [--pages N]

A report PDF is generated from the tabbed sample 001 (tests/pdf_render.py, reportlab) and repeated until it
has at least N pages (default 100). The floor is PDFium reading each page's text in one call (no positions).
Each candidate reads every glyph or word with its position, which is what the extractor needs: pypdfium2
(PDFium, used by malbas), pdfplumber's extract_words and pdfminer.six's layout analysis. Then malbas's whole
extraction (glyphs → words, rules, columns → tabbed text) is timed, and extraction + parse of one copy of the
report (a file holding two copies is refused as two reports in one file). Each figure is the median of three
runs; the last column is the time as a multiple of the floor's.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdf_render import GEOMETRY_A, render  # noqa: E402

from malbas.etl.parse.parser import parse_text  # noqa: E402
from malbas.etl.pdf.extract import extract  # noqa: E402


def _one_report() -> bytes:
    text = (ROOT / "sample_reports" / "001_b4dd1f5a7ed00e2b.txt").read_text(encoding="utf-8")
    return render(text, GEOMETRY_A, "Hässelby-Vällingby stadsdelsnämnd · VB 2020")


def _report(data: bytes, pages: int) -> tuple[bytes, int, int]:
    """The report repeated until it has at least `pages` pages, its page count and that of one copy."""
    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(data))
    if count >= pages:
        return data, count, count
    copies = -(-pages // count)
    out = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(data)
    for _ in range(copies):
        out.import_pages(source)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue(), len(out), count


def pdfium_text(data: bytes) -> int:
    """The floor: PDFium's own text extraction, each page's text in one call."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    n = 0
    for page in document:
        n += len(page.get_textpage().get_text_range())
    return n


def pypdfium2_chars(data: bytes) -> int:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    document = pdfium.PdfDocument(data)
    rect = c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    n = 0
    for page in document:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            c.FPDFText_GetUnicode(textpage.raw, i)
            c.FPDFText_GetLooseCharBox(textpage.raw, i, rect)
            c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            c.FPDFText_GetFontSize(textpage.raw, i)
            n += 1
    return n


def pdfplumber_words(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_words(extra_attrs=["size", "fontname"])) for page in pdf.pages)


def pdfminer_layout(data: bytes) -> int:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return sum(1 for page in extract_pages(io.BytesIO(data)) for item in page if isinstance(item, LTTextContainer))


def malbas_extract(data: bytes) -> int:
    return len(extract(data).text)


def malbas_extract_and_parse(data: bytes) -> int:
    return len(parse_text(extract(data).text).indikatorer)


def _time(fn: Callable[[bytes], int], data: bytes, rounds: int = 3) -> float:
    """The median of `rounds` runs."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100, help="pages of the generated report (default 100)")
    args = ap.parse_args()
    one = _one_report()
    data, pages, one_pages = _report(one, args.pages)
    print(f"generated report: {pages} pages, {len(data) // 1024} KB; Python {sys.version.split()[0]}")
    print(f"{'reader':<34} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'x floor':>8}")
    floor = _time(pdfium_text, data) / pages  # seconds per page
    # The parse reads one report (a file of two copies is refused as two reports in one file).
    for name, fn, pdf, n in [
        ("PDFium: page text (floor)", pdfium_text, data, pages),
        ("pypdfium2: glyphs + boxes", pypdfium2_chars, data, pages),
        ("pdfplumber: words + boxes", pdfplumber_words, data, pages),
        ("pdfminer.six: layout analysis", pdfminer_layout, data, pages),
        ("malbas extract (pypdfium2)", malbas_extract, data, pages),
        ("malbas extract + parse, one report", malbas_extract_and_parse, one, one_pages),
    ]:
        seconds = _time(fn, pdf, rounds=1 if fn in (pdfplumber_words, pdfminer_layout) else 3)
        print(f"{name:<34} {n:>6} {seconds:>8.2f} {n / seconds:>8.1f} {seconds / n / floor:>8.1f}")


if __name__ == "__main__":
    main()
