"""The parser's own error type: every rejection of an input is one of these, with a one-line reason."""


class ParseError(ValueError):
    """The input is not a report the parser can read (empty, binary, not a report, unknown layout …)."""
