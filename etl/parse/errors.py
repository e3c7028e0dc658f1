"""The parser's error: a text that is not a report it can read (not a report, unknown layout, cut short …)."""

from malbas.etl.errors import ReportError


class ParseError(ReportError):
    """The text is not a report the parser can read, with a one-line reason."""
