"""The self-audit: every number inside a table region is accounted for, or reported.

A number printed in a table is stored in a cell, or it is part of a row's name, a text cell, a period, a
row's Analys, a header, a date or a page number. Whatever is left is a number the parser did not read: a
missed row, a dropped cell, a table whose header was not recognised. The audit counts numbers as written
(runs of digits, with a decimal part: "1 320" is two numbers, "4,35" one) in:

* the extent of every table the readers found (indicator, activity and economy tables);
* lines that look like table rows but lie outside every table found (a line of values only, or a label with
  several decimal values), in the goal part and the economy part: a table nobody recognised.

Each table's own records give back the numbers they hold; years (1990-2039) and dates in a table region are
period and date cells. A figure the reader doubts (from a PDF: it stood under another column's heading, or on
text that ran over a column's edge) is not accounted for, whichever cell holds it. The result is the share
accounted for and the numbers left over, with their lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.records import Activity, Coverage, EconomyCell, IndicatorRow, RegionCoverage
from malbas.etl.parse.text import lines_matching

_NUMBER = re.compile(r"\d+(?:[,.]\d+)?")
_YEAR = re.compile(r"^(?:199\d|20[0-3]\d)$")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_VALUE_TOKEN = re.compile(r"^[+\-−–]?\d+(?:[,.]\d+)?%?$|^%$")
_DECIMAL_TOKEN = re.compile(r"^[+\-−–]?\d+[,.]\d+%?$")
_BROKEN_DECIMAL = re.compile(r"\d,$")  # '1258,' / '2 1207,5 …': a number broken after its decimal comma
_DIGIT_FIRST = re.compile(r"\s*\d")
_DIGIT = re.compile(r"\d")

_NONE_DOUBTED: Counter[str] = Counter()  # read only: a line without doubted figures
MAX_LISTED = 50  # numbers left over that the export lists (all are counted)


@dataclass(frozen=True, slots=True)
class Region:
    """A part of the text whose numbers must be accounted for."""

    kind: str  # indikatortabell | aktivitetstabell | ekonomitabell | nyckeltal | tabellrad (a row outside every table)
    start: int  # 0-based first line
    stop: int  # index past the last line
    accounted: tuple[str, ...]  # the texts of what was read there (cells, names, periods, headers …)


def numbers(text: str) -> list[str]:
    return _NUMBER.findall(text)


def indicator_texts(row: IndicatorRow) -> list[tuple[int, list[str]]]:
    """The row's texts by line: its cells at the row, its analysis where that stands (a page may part them)."""
    cells = [row.namn, row.period or "", row.periodicitet or "", *row.celler.values(), *row.text.values()]
    return [(row.rad, cells), (row.analys_rad or row.rad, [row.analys or ""])]


def activity_texts(act: Activity) -> list[str]:
    dates = [d.isoformat() for d in (act.startdatum, act.slutdatum) if d]
    return [act.namn, act.analys or "", act.status or "", *dates]


def economy_models(cell: EconomyCell) -> list[str]:
    return [cell.rad_namn, cell.text or "", cell.overordnad_rad or ""]


@dataclass(slots=True)
class _RegionAudit:
    """The numbers of one region's lines against what its records account for."""

    pool: Counter[str]  # the numbers the region's records hold, each as often as they hold it
    doubted: Mapping[int, Sequence[str]]
    tal: int = 0
    redovisade: int = 0
    missed: list[tuple[int, str]] = field(default_factory=list)

    def dates(self, line: str) -> str:
        """Dates are date cells, whether or not a row holds them: counted, and the line without them."""
        if line.count("-") < 2 or not _DATE.search(line):
            return line
        for n in numbers(" ".join(_DATE.findall(line))):
            self.tal += 1
            self.redovisade += 1
            self.pool[n] -= 1 if self.pool[n] > 0 else 0
        return _DATE.sub(" ", line)

    def line(self, i: int, line: str) -> None:
        found = numbers(self.dates(line))
        if not found:
            return  # most lines of a region print no number
        figures = self.doubted.get(i)
        unsure = Counter(n for figure in figures for n in numbers(figure)) if figures else _NONE_DOUBTED
        self.tal += len(found)
        pool = self.pool
        for n in found:
            if unsure.get(n, 0) > 0:
                unsure[n] -= 1
                self.missed.append((i + 1, line.strip()))
            elif pool.get(n, 0) > 0:
                pool[n] -= 1
                self.redovisade += 1
            elif _YEAR.match(n):
                self.redovisade += 1  # a period or header year
            else:
                self.missed.append((i + 1, line.strip()))


def _region_lines(lines: Sequence[str], own: list[int], stop: int) -> Iterator[tuple[int, str]]:
    """The region's own lines; a number broken after its decimal comma ('1258,' / '2 1207,5 …') reads as one."""
    joined: set[int] = set()
    for i in own:
        if i in joined:
            continue
        line = lines[i]
        if "," in line and _BROKEN_DECIMAL.search(line.rstrip()) and i + 1 < stop and _DIGIT_FIRST.match(lines[i + 1]):
            line = line.rstrip() + lines[i + 1].lstrip()
            joined.add(i + 1)
        yield i, line


def audit(
    lines: Sequence[str], regions: Iterable[Region], doubted: Mapping[int, Sequence[str]] | None = None
) -> Coverage:
    """Account for every number in `regions` (overlapping regions are merged by their first claim). The
    figures `doubted` on a line (0-based; the reader saw them stand where the cell they were read into is not)
    are not accounted for, whatever cell holds them."""
    coverage = Coverage()
    claimed: set[int] = set()
    for region in sorted(regions, key=lambda r: (r.start, -r.stop)):
        own = [i for i in range(region.start, min(region.stop, len(lines))) if i not in claimed]
        if not own:
            continue
        claimed.update(own)
        check = _RegionAudit(Counter(numbers("\n".join(region.accounted))), doubted or {})
        for i, line in _region_lines(lines, own, region.stop):
            check.line(i, line)
        coverage.ej_redovisade += check.missed
        coverage.tal += check.tal
        coverage.redovisade += check.redovisade
        coverage.regioner.append(RegionCoverage(region.kind, region.start + 1, check.tal, check.redovisade))
    # one entry per line, in line order
    seen: dict[int, str] = {}
    for rad, text in coverage.ej_redovisade:
        seen.setdefault(rad, text)
    coverage.ej_redovisade = sorted(seen.items())
    return coverage


def stray_rows(lines: Sequence[str], start: int, stop: int, covered: Sequence[tuple[int, int]]) -> list[Region]:
    """Lines in [start, stop) that read as table rows but lie outside every table found."""
    inside: set[int] = set()
    for a, b in covered:
        inside.update(range(a, b))
    out = []
    stop = min(stop, len(lines))
    # a row of values holds a digit: only such lines are looked at, found in the lines joined as one text
    for i in (start + k for k in lines_matching("\n".join(lines[start:stop]), _DIGIT)):
        if i in inside or "\t" in lines[i]:
            continue
        if _reads_as_values(lines[i]):
            out.append(Region("tabellrad", i, i + 1, ()))
    return out


def _reads_as_values(line: str) -> bool:
    """A line of table values: values only (two or more numbers), or a short label followed by two or more
    decimal values ('Förskola 412,3 405,0 7,3')."""
    end = line.rstrip()[-1:]
    if not end or not (end.isdigit() or end == "%"):
        return False
    tokens = line.split()
    k = len(tokens)
    while k > 0 and _VALUE_TOKEN.match(tokens[k - 1]):
        k -= 1
    values = tokens[k:]
    numbers_only = [t for t in values if t != "%"]
    if k == 0:
        return len(numbers_only) >= 2
    label = " ".join(tokens[:k])
    decimals = sum(1 for t in values if _DECIMAL_TOKEN.match(t))
    return decimals >= 2 and len(label) <= 60 and label[:1].isalpha()


def by_line(records: Iterable[tuple[int, list[str]]]) -> dict[int, list[str]]:
    """Texts of records keyed by their 1-based line, to give each region what was read inside it."""
    out: dict[int, list[str]] = {}
    for rad, texts in records:
        out.setdefault(rad, []).extend(texts)
    return out


def texts_within(index: dict[int, list[str]], start: int, stop: int) -> tuple[str, ...]:
    """The texts of records whose 1-based line lies in the 0-based [start, stop)."""
    return tuple(t for rad in range(start + 1, stop + 1) for t in index.get(rad, ()))
