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

from malbas.etl.parse.text import lines_with

_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f"), " ")
_REMOVE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_TRANSLATE = {**_SPACES, **_REMOVE, ord("\u2212"): "-"}
_LINE_END = re.compile(r"\r\n?")


def normalise(text: str) -> str:
    """The report text in canonical form (see the module docstring); line count and order are kept."""
    if "\r" in text:
        text = _LINE_END.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        for ch, replacement in _TRANSLATE.items():  # str.replace per character present: far faster than translate
            if chr(ch) in text:
                text = text.replace(chr(ch), replacement or "")
    return text


def split_lines(text: str) -> tuple[list[str], list[int]]:
    """Lines of the normalised text, and the 0-based indexes of lines that start a new page (a form feed).

    pdftotext writes a form feed at every page break; the page structure helps to recognise page furniture."""
    lines = text.split("\n")
    page_starts = [0]
    for i in lines_with(text, ("\f",)):
        line = lines[i]
        if i and line.startswith("\f"):
            page_starts.append(i)
        lines[i] = line.replace("\f", "")
    return lines, page_starts


def _keeps_trailing_spaces(lines: list[str]) -> bool:
    """Whether the text keeps pdftotext's trailing spaces: a fifth or more of the lines that go on in the next
    end in one (or too few lines go on to tell)."""
    filled = [line != "" and not line.isspace() for line in lines]  # each line looked at once, not per neighbour
    # the last line has no next line: zip stops before it
    going_on = [line for line, this, nxt in zip(lines, filled, filled[1:], strict=False) if this and nxt]
    wrapped = len(going_on)
    ended = sum(1 for line in going_on if line[-1:].isspace())
    return wrapped < 20 or ended / wrapped >= 0.2


def restore_wrap_spaces(lines: list[str]) -> list[str]:
    """Layout text from an extraction that drops trailing spaces, in the form pdftotext writes it.

    pdftotext ends every line that wraps between words with a space, and a line broken inside a word without
    one; the table and text readers rely on that to join wrapped lines ('Tertial 1 ' + '2020'). An extraction
    without trailing spaces (most lines of its wrapped blocks end in a letter or digit) gets a space after every
    line that does not end in a hyphen or slash, so words stay apart; the few words broken mid-word then read as
    two ('Faststäl ls'), which the cell readers repair where they know the word."""
    if _keeps_trailing_spaces(lines):
        return lines
    out = list(lines)
    for i, line in enumerate(lines):
        if not line.strip() or line.endswith(("-", "/", " ")):
            continue
        nxt = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        if not _broken_word(line, nxt):
            out[i] = line + " "
    return out


# Words that narrow table cells break mid-word ("Faststäl" / "ls 2025", "livsmed" / "el"): a line end that
# forms one of them with the next line's start was a break inside the word.
_CELL_WORDS = frozenset(
    [
        "fastställs",
        "fastställd",
        "fastställt",
        "livsmedel",
        "styrelse",
        "styrelsen",
        "nämnd",
        "nämnden",
        "personer",
        "mätning",
        "uppgift",
        "saknas",
        "energieffektivisering",
        "relativt",
        "periodens",
        "prognos",
        "helår",
        "årsmål",
        "kvinnor",
        "flickor",
        "pojkar",
        "utfall",
        "budgetjusteringar",
        "resultatöverföringar",
        "resultatöverföring",
        "omslutningsförändringar",
        "bruttobudget",
        "avvikelse",
        "differens",
        "kostnader",
        "intäkter",
    ]
)


_WORD_AT_END = re.compile(r"([A-Za-zÅÄÖåäö]+)$")
_WORD_AT_START = re.compile(r"([A-Za-zÅÄÖåäö]+)")


def _broken_word(line: str, nxt: str) -> bool:
    head = _WORD_AT_END.search(line)
    tail = _WORD_AT_START.match(nxt)
    if not head or not tail:
        return False
    word = (head.group(1) + tail.group(1)).lower()
    return word in _CELL_WORDS and head.group(1).lower() not in _CELL_WORDS
