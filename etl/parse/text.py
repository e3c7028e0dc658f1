"""Line-level text helpers shared by the parsers: markup, wrapped lines joined, the lines that hold a word or a
pattern (found in the joined text), and the cache of what pure readers read from one line."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar, cast

_TAGS = re.compile(r"</?(?:b|i|p|u|em|strong|br)\s*/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>", re.IGNORECASE)
_MARKDOWN_EDGES = re.compile(r"^[#\s]*[*_]*\s*|\s*[*_]*\s*$")
# Icons the reporting system prints before names and assessments (lost or kept by the extraction).
ICONS = "✓✔!ⓘ◆●🟡🟢🔴⚪♀♂◯○■□▲▼\uf0b7•"
ICONS_AND_SPACE = ICONS + " "
_HEADING_EDGES = ICONS + " .:"

_P = ParamSpec("_P")
_R = TypeVar("_R")
_CACHE_CLEARS: list[Callable[[], None]] = []


def line_cache(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep what a pure function reads from one line (or cell): the readers ask it of the same lines again and
    again. The function's result must be immutable (a tuple, not a list). The cache holds more lines than a
    report has; a larger report only asks again."""
    cached = functools.lru_cache(maxsize=1 << 14)(fn)
    _CACHE_CLEARS.append(cached.cache_clear)
    return cast(Callable[_P, _R], cached)


def clear_line_caches() -> None:
    """Forget every line read so far (benchmarks measure a report read for the first time)."""
    for clear in _CACHE_CLEARS:
        clear()


# "kultur-" + "och evenemangsstad": a suspended compound keeps its space.
_SUSPENDED_COMPOUND_TAIL = re.compile(r"^(och|eller|samt|som|till|resp\.?)\b")
# Table cells: 'Individ-' + 'och …' stays a suspended compound; a lower-case start after a cut joins the word.
_CELL_COMPOUND_TAIL = re.compile(r"(och|eller|samt)\b")
_LOWER_START = re.compile(r"[a-zåäö]")
_LOWER_HYPHEN_END = re.compile(r"[a-zåäö]-$")
_GLUED_START = re.compile(r"[a-zåäö)%]")


def strip_markup(line: str) -> str:
    """Remove markdown heading marks, emphasis and inline HTML: '### **Analys**' -> 'Analys'."""
    if "<" not in line and "#" not in line and "*" not in line and "_" not in line:
        return line.strip()  # the common case, without regular expressions
    line = _TAGS.sub("", line)
    return _MARKDOWN_EDGES.sub("", line).strip()


@line_cache
def heading_key(line: str) -> str:
    """A comparable form of a heading line: markup, icons, stray dots and a trailing colon removed, lower case."""
    text = strip_markup(line).strip(_HEADING_EDGES)
    return " ".join(text.split()).lower()


def lines_with(text: str, needles: Sequence[str]) -> list[int]:
    """The 0-based lines of `text` that hold any of `needles` (none holding a line break), in order. Searching
    the lines joined as one string costs far less than a loop over every line."""
    hits: list[int] = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            hits.append(i)
            i = text.find(needle, i + len(needle))
    found: list[int] = []
    line, pos = 0, 0
    for i in sorted(hits):
        line += text.count("\n", pos, i)
        pos = i
        if not found or found[-1] != line:
            found.append(line)
    return found


def lines_matching(text: str, pattern: re.Pattern[str]) -> list[int]:
    """The 0-based lines of `text` in which `pattern` (one that matches within a line and has no anchors) finds
    something, in order: one search runs through the lines that hold nothing, each hit skips to the next line."""
    found: list[int] = []
    line = counted = pos = 0
    while (m := pattern.search(text, pos)) is not None:
        line += text.count("\n", counted, m.start())
        counted = m.start()
        found.append(line)
        pos = text.find("\n", counted) + 1
        if pos == 0:
            break
    return found


def join_wrapped(parts: Sequence[str], *, cells: bool = False, trailing_space_convention: bool = True) -> str:
    """Join wrapped lines, undoing pdftotext wrapping.

    Prose (the default): markup is stripped from each line; a line ending in '-' with no trailing space was
    broken after a hyphen ('covid-' + '19') and joins without a space, except before a suspended compound's
    tail ('kultur-' + 'och evenemangsstad').

    Table cells (`cells`): a compound broken after its hyphen loses it ('resultat-' + 'överföringar'), a
    hyphen before 'och/eller/samt' stays a suspended compound ('Individ-' + 'och…'), and with the
    trailing-space convention a line ending without a space was cut mid-word ('Stadsmiljöverksam' + 'het')."""
    if cells:
        return _join_cell_lines(parts, trailing_space_convention)
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
    return " ".join(out.split())


def _join_cell_lines(parts: Sequence[str], trailing_space_convention: bool) -> str:
    out = ""
    prev_raw = ""
    for raw in parts:
        piece = raw.strip()
        if not piece:
            continue
        if not out:
            out = piece
        else:
            spaced = prev_raw.endswith((" ", "\t"))
            if out.endswith("-") and _CELL_COMPOUND_TAIL.match(piece):
                out += " " + piece
            elif out.endswith("-") and not spaced and _LOWER_START.match(piece) and _LOWER_HYPHEN_END.search(out):
                out = out[:-1] + piece
            elif not spaced and (out.endswith("-") or (trailing_space_convention and _GLUED_START.match(piece))):
                out += piece
            else:
                out += " " + piece
        prev_raw = raw
    return out


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


@line_cache  # labels and amounts recur through a report's tables
def clean_cell(text: str) -> str:
    """A table cell or label as text: HTML tags, markdown heading marks and emphasis stars dropped, whitespace
    collapsed ('**Summa**' -> 'Summa')."""
    if "<" in text:
        text = _ANY_TAG.sub("", text)
    # split() takes the same whitespace as \s (no-break spaces too): the runs collapse to single spaces
    return " ".join(text.lstrip().lstrip("#").replace("*", "").split())


@line_cache
def clean_text(text: str) -> str:
    """Drop HTML tags and markdown emphasis, collapse whitespace; paragraph breaks become newlines."""
    if "<" in text:
        text = _ANY_TAG.sub(" ", _PARAGRAPH_BREAK.sub("\n", text))
    if "\n" not in text:
        return " ".join(text.split())
    lines = (" ".join(part.split()) for part in text.split("\n"))
    return "\n".join(part for part in lines if part)


def trailing_space_convention(lines: Sequence[str], start: int, stop: int) -> bool:
    """pdftotext-like files end every non-final line of a paragraph or cell with a space."""
    nonblank = ended = 0
    for i in range(start, stop):
        line = lines[i]
        if line.strip():
            nonblank += 1
            if line.endswith(" "):
                ended += 1
    return nonblank > 0 and ended / nonblank > 0.3
