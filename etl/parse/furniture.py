"""Page furniture: the page heads and feet an extraction leaves between the lines of a report.

ILS-webb prints a foot (or head) on every page: a page counter ("Sid 22 (78)", "22 (78)", "22(78)"), often
after the committee and report kind ("Skarpnäcks stadsdelsnämnd, Tertialrapport 1" with the counter glued on:
"Tertialrapport 141(102)" is report 1, page 41 of 102), sometimes "Tjänsteutlåtande" and an address block.
Such lines fall anywhere: between paragraphs, inside a table, inside a table row. They are recognised by
what makes them furniture, not by their wording alone:

* a page counter: digits, then the page total in parentheses, where the same total recurs on other lines;
* a short line that recurs unchanged (digits aside) through the document and names the committee or the
  report kind;
* the known heads ("Tjänsteutlåtande", "Sid N (M)") and the address lines that follow them.

The table and text parsers skip furniture lines as if they were blank; the identity reader takes the feet's
committee and report kind as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from malbas.etl.parse.settings import LAYOUT
from malbas.etl.parse.text import lines_with

# "Sid 22 (78)", "22 (78)", "22(78)", "Sida 22 av 78", with any text before the counter.
_COUNTER = re.compile(
    r"(?:\bSid(?:a)?\s*)?(?<![\d,.])(\d{1,4})\s*\(\s*(\d{1,4})\s*\)\s*$|\bSida\s+(\d{1,4})\s+av\s+(\d{1,4})\s*$"
)
_KNOWN_HEAD = re.compile(r"^\s*(Tjänsteutlåtande|Sid(?:a)?\s+\d+\s*\(\s*\d+\s*\))\s*$", re.IGNORECASE)
# Lines that may follow a known head: street address, web address, phone and organisation numbers.
_ADDRESS = re.compile(
    r"^\s*(\S+\s+)*\S*(gatan|vägen|torg|plan|backe|Box)\s+\d+\S*\s*$|^\s*\S*stockholm\S*\s*$"
    r"|^\s*(?:\d{6,}|\d{2,4}-\d[\d ]{4,})\s*$|^\s*(Telefon|Tfn|E-post|www\.)",
    re.IGNORECASE,
)
_KIND_WORDS = r"tertialrapport|verksamhetsberättelse|verksamhetsplan|årsredovisning|delårsrapport"
# A foot or head that is nothing but the committee and/or the report kind: "Skarpnäcks stadsdelsnämnd,
# Tertialrapport 1", "Socialnämnden – Verksamhetsberättelse 2021", "Tertialrapport 1 2025".
_FOOT_TEXT = re.compile(
    rf"^(?:(?:[A-ZÅÄÖ][\wåäöéü-]*\s+){{0,3}}(?:stadsdels(?:nämnd|förvaltning)|[a-zåäö]*nämnden?|[a-zåäö]*förvaltningen?)"
    rf"(?:\s*[,–|-]\s*|\s+)?)?(?:(?:{_KIND_WORDS})(?:\s+[12])?(?:\s+(?:19|20)\d\d)?)?$",
    re.IGNORECASE,
)
_NAMES_THE_REPORT = re.compile(
    r"stadsdels(?:nämnd|förvaltning)|nämnd(?:en)?\b|förvaltning(?:en)?\b|tertialrapport|verksamhetsberättelse"
    r"|verksamhetsplan|årsredovisning|delårsrapport",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Furniture:
    lines: frozenset[int]  # 0-based indexes of furniture lines
    feet: tuple[str, ...]  # furniture text without its page counter ("Skarpnäcks stadsdelsnämnd, Tertialrapport 1")
    counters: tuple[str, ...]  # the digits printed before each page total ("141" of "141(102)"), in order

    def __contains__(self, index: object) -> bool:
        return index in self.lines


NO_FURNITURE = Furniture(frozenset(), (), ())


_DIGITS = re.compile(r"\d+")


def _shape(line: str) -> str:
    return " ".join(_DIGITS.sub("#", line).split()).lower()


def _counter_candidates(lines: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """Lines ending in a page counter: (index, text before the counter, digits, total)."""
    candidates: list[tuple[int, str, str, str]] = []
    for i, line in enumerate(lines):
        if ")" not in line and "Sida" not in line:
            continue
        stripped = line.strip()
        m = _COUNTER.search(stripped) if stripped and len(stripped) <= LAYOUT.furniture_line else None
        if m is None:
            continue
        digits, total = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        before = stripped[: m.start()].strip(" ,-–|")
        if not before or _FOOT_TEXT.match(before):  # not prose or a cell that happens to end in "3 (12)"
            candidates.append((i, before, digits, total))
    return candidates


def _address_after(lines: Sequence[str], i: int) -> list[int]:
    """The address block after a known head at line i (blank lines may come between)."""
    found = []
    j = i + 1
    while j < len(lines) and j - i <= 6 and (not lines[j].strip() or _ADDRESS.match(lines[j])):
        if lines[j].strip():
            found.append(j)
        j += 1
    return found


def find_furniture(lines: Sequence[str]) -> Furniture:
    """The page furniture of a report's lines."""
    found: set[int] = set()
    feet: list[str] = []
    counters: list[str] = []
    # 1. page counters whose page total recurs
    candidates = _counter_candidates(lines)
    totals = Counter(total for _, _, _, total in candidates)
    for i, before, digits, total in candidates:
        if totals[total] >= 2 or _KNOWN_HEAD.match(lines[i]):
            found.add(i)
            counters.append(digits)
            feet += [before] if before else []
    # 2. recurring lines that are nothing but the committee and/or the report kind
    foot_lines = [i for i in lines_with("\n".join(lines), _FOOT_WORDS) if i not in found and _is_foot_text(lines[i])]
    shapes = Counter(_shape(lines[i]) for i in foot_lines)
    for i in foot_lines:
        if shapes[_shape(lines[i])] >= 3:
            found.add(i)
            feet.append(lines[i].strip())
    # 3. known heads and the address block after them
    for i, line in enumerate(lines):
        if _KNOWN_HEAD.match(line):
            found.update([i, *_address_after(lines, i)])
    return Furniture(frozenset(found), tuple(feet), tuple(counters))


_FOOT_WORDS = ("nämnd", "rvaltning", "apport", "ttelse", "splan", "ovisning")  # cheap pre-check before the expressions


def _is_foot_text(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 90 or not any(w in s for w in _FOOT_WORDS) or not _NAMES_THE_REPORT.search(s):
        return False
    if s.lower() in ("nämnd", "nämnden", "förvaltning", "förvaltningen", "styrelse"):
        return False  # a wrapped cell ("Tas fram av" / "nämnd"), not a foot
    return _FOOT_TEXT.match(s) is not None


# A furniture line is replaced by this marker: blank to every reader that asks `not line.strip()`, and
# recognisable as a page boundary to the table readers that join rows and comments across pages.
PAGE_BREAK = "\f"


def mark_furniture(lines: Sequence[str], furniture: Furniture) -> list[str]:
    """The lines with each furniture line replaced by PAGE_BREAK (same count, same positions)."""
    return [PAGE_BREAK if i in furniture.lines else line for i, line in enumerate(lines)]


def is_page_break(line: str) -> bool:
    return line == PAGE_BREAK


# ---------------------------------------------------------------- page heads inside tables (unmarked text too)

_PAGE_HEAD = re.compile(r"^\s*(Tjänsteutlåtande|Sid \d+ \(\d+\))\s*$")
# Footer lines that may follow a page head: street address, web address, phone/org numbers.
_ADDRESS = re.compile(
    r"^\s*(\S+\s+)*\S*(gatan|vägen|torg|plan|backe|Box)\s+\d+\S*\s*$|^\s*\S*stockholm\S*\s*$"
    r"|^\s*(?:\d{6,}|\d{2,4}-\d[\d ]{4,})\s*$|^\s*(Telefon|Tfn|E-post|www\.)",
    re.IGNORECASE,
)


def _blank(s: str) -> bool:
    return not s.strip()


def skip_page_noise(lines: Sequence[str], i: int, stop: int) -> int:
    """Index after the page head/foot that starts at line i (marked furniture, 'Tjänsteutlåtande', 'Sid 5 (78)',
    with its address lines and blank lines)."""
    j = i
    while j < stop and (is_page_head(lines[j]) or (j > i and (_blank(lines[j]) or _ADDRESS.match(lines[j])))):
        j += 1
    while j > i + 1 and _blank(lines[j - 1]) and lines[j - 1] != PAGE_BREAK:
        j -= 1
    return j


def is_page_head(line: str) -> bool:
    """A page head/foot line: marked page furniture, or 'Tjänsteutlåtande' / 'Sid 5 (78)' in unmarked text."""
    return line == PAGE_BREAK or _PAGE_HEAD.match(line) is not None
