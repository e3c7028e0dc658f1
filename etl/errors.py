"""Why an input is refused: every rejection of a file is a `ReportError` with a one-line reason, raised by the
layer that found it (reading the bytes, or parsing the text), and reported by the CLI and the loader alike."""


class ReportError(ValueError):
    """The file is not a report malbas can read."""


class ReadError(ReportError):
    """The bytes cannot be read as a report's text: empty, binary, too large, an unreadable PDF …"""
