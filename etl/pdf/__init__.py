"""PDF input: a report PDF → the TABBED text form the parser reads (etl/parse), page by page.

`malbas.etl.pdf.extract.extract(data)` gives the text and the line on which each page begins. The text
carries a form feed at the start of each page after the first (as pdftotext does; the parser ignores it),
so `page_starts(text)` recovers the pages from the text alone. This module stays light: the PDF library
is imported only when a PDF is read.
"""

from __future__ import annotations


def is_pdf(data: bytes) -> bool:
    """A PDF by its content, whatever the file is called: the %PDF- header (within the first kilobyte, where
    the format allows a writer to put it)."""
    return b"%PDF-" in data[:1024]


def page_starts(text: str) -> list[int]:
    """The 1-based line on which each page begins, from the form feeds of an extracted text."""
    starts = [1]
    for number, line in enumerate(text.split("\n"), start=1):
        starts.extend([number] * (len(line) - len(line.lstrip("\f"))))
    return starts
