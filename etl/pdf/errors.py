"""Why a PDF cannot be read. A ParseError, so every caller that reports bad input reports these too."""

from malbas.etl.parse.errors import ParseError


class PdfError(ParseError):
    """An encrypted, damaged or text-less (scanned) PDF, with a one-line reason."""
