"""Why a PDF cannot be read."""

from malbas.etl.errors import ReadError


class PdfError(ReadError):
    """An encrypted, damaged or text-less (scanned) PDF, with a one-line reason."""
