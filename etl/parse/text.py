"""Line-level text helpers shared by the section parsers."""

from __future__ import annotations

import re
from collections.abc import Sequence

_TAGS = re.compile(r"</?(?:b|i|p|u|em|strong|br)\s*/?>", re.IGNORECASE)
_MARKDOWN_EDGES = re.compile(r"^[#\s]*[*_]*\s*|\s*[*_]*\s*$")
# Icons the reporting system prints before names and assessments (lost or kept by the extraction).
ICONS = "✓✔!ⓘ◆●🟡🟢🔴⚪♀♂◯○■□▲▼\uf0b7•"


# "kultur-" + "och evenemangsstad": a suspended compound keeps its space.
_SUSPENDED_COMPOUND_TAIL = re.compile(r"^(och|eller|samt|som|till|resp\.?)\b")


def strip_markup(line: str) -> str:
    """Remove markdown heading marks, emphasis and inline HTML: '### **Analys**' -> 'Analys'."""
    if "<" not in line and "#" not in line and "*" not in line and "_" not in line:
        return line.strip()  # the common case, without regular expressions
    line = _TAGS.sub("", line)
    return _MARKDOWN_EDGES.sub("", line).strip()


def heading_key(line: str) -> str:
    """A comparable form of a heading line: markup, icons, stray dots and a trailing colon removed, lower case."""
    text = strip_markup(line).strip(ICONS + " .:").strip()
    return re.sub(r"\s+", " ", text).lower()


def join_wrapped(parts: Sequence[str]) -> str:
    """Join lines of one paragraph, undoing pdftotext wrapping.

    A line ending in '-' with no trailing space was broken after a hyphen ('covid-' + '19'): join without a space.
    """
    out = ""
    prev_raw = ""
    for raw in parts:
        piece = strip_markup(raw)
        if not piece:
            continue
        if (
            out.endswith("-")
            and not out.endswith(" -")
            and not prev_raw.endswith(" ")
            and not _SUSPENDED_COMPOUND_TAIL.match(piece)
        ):
            out += piece
        elif out:
            out += " " + piece
        else:
            out = piece
        prev_raw = raw
    return re.sub(r"[ \t]+", " ", out).strip()


def paragraphs(lines: Sequence[str]) -> str:
    """Join lines into paragraphs separated by blank lines; whitespace-only lines count as blank."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.replace("\t", " "))
        elif current:
            paras.append(join_wrapped(current))
            current = []
    if current:
        paras.append(join_wrapped(current))
    return "\n\n".join(p for p in paras if p)
