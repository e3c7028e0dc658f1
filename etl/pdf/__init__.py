"""PDF input: a report PDF → the TABBED text form the parser reads (etl/parse), page by page.

`extract(data)` gives the text and the line on which each page begins; `is_pdf(data)` tells a PDF by its
content. The text carries a form feed at the start of each page after the first, so `page_starts(text)`
recovers the pages from the text alone.
"""

from malbas.etl.pdf.errors import PdfError
from malbas.etl.pdf.extract import Extraction, extract, page_starts


def is_pdf(data: bytes) -> bool:
    """A PDF by its magic number, whatever the file is called (some writers put a few bytes before it)."""
    return b"%PDF-" in data[:1024]


__all__ = ["Extraction", "PdfError", "extract", "is_pdf", "page_starts"]
