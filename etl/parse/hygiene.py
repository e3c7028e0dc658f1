"""Text hygiene before parsing: one canonical form for the characters extraction tools vary on.

Every rule here keeps the line structure (a line of the result is the same line of the input), so `rad` still
points at the source line: CR-only and CRLF line ends become LF (each CR-only break is a line in any viewer),
form feeds (page breaks) are dropped from the line they start, and within lines:

* Unicode NFC (a decomposed "a" + ring is "å"), so words and markers compare equal;
* NBSP, narrow NBSP, figure and thin spaces become plain spaces: reports use them as thousands separators
  ("2 865,7") and as word spaces;
* soft hyphens (U+00AD) are removed: they split words at invisible break points ("Nämnd\\u00admål");
* zero-width characters and BOMs inside the text are removed;
* U+2212 MINUS SIGN becomes '-' (en dashes stay: prose uses them for ranges; the number reader takes both).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f"), " ")
_REMOVE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_TRANSLATE = {**_SPACES, **_REMOVE, ord("\u2212"): "-"}
_LINE_END = re.compile(r"\r\n?")


def normalise(text: str) -> str:
    """The report text in canonical form (see the module docstring); line count and order are kept."""
    text = _LINE_END.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return text


def split_lines(text: str) -> tuple[list[str], list[int]]:
    """Lines of the normalised text, and the 0-based indexes of lines that start a new page (a form feed).

    pdftotext writes a form feed at every page break; the page structure helps to recognise page furniture."""
    lines = text.split("\n")
    page_starts = [0]
    for i, line in enumerate(lines):
        if "\f" in line:
            if i and line.startswith("\f"):
                page_starts.append(i)
            lines[i] = line.replace("\f", "")
    return lines, page_starts
