"""Page furniture: the running header and footer (committee, report kind, "12(130)" / "Sid 12 (130)").

A furniture line sits in the top or bottom band of the page and comes back at the same height on many
pages with the same words once its figures are ignored. A line that is only the page's own number is
furniture where page numbers stand: the same place on at least one other page, with no other figure there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from malbas.etl.pdf.lines import Line
from malbas.etl.pdf.reader import Page
from malbas.etl.pdf.settings import PAGES

_PAGE_NUMBER_RE = re.compile(
    r"^(?:sid(?:a|an)?\.?\s*)?(\d{1,4})\s*(?:\(\s*\d{1,4}\s*\)|(?:/|av)\s*\d{1,4})?$", re.IGNORECASE
)


def _page_number(line: Line, page: Page) -> bool:
    """A line that is only this page's number ("12", "12(130)", "Sid 12 (130)", "Sida 12 av 130")."""
    m = _PAGE_NUMBER_RE.match(line.text.strip())
    return m is not None and int(m.group(1)) == page.number


def _key(line: Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", line.text.lower()), round(line.baseline / 3)


def _candidates(page: Page, lines: Sequence[Line]) -> list[int]:
    top_band, bottom_band = PAGES.band * page.height, (1 - PAGES.band) * page.height
    first = [i for i in range(min(PAGES.outermost, len(lines))) if lines[i].bottom <= top_band]
    last = [i for i in range(max(0, len(lines) - PAGES.outermost), len(lines)) if lines[i].top >= bottom_band]
    return sorted(set(first + last))


def drop_furniture(pages: Sequence[Page], lines_per_page: Sequence[list[Line]]) -> list[list[Line]]:
    """Each page's lines without its running header and footer."""
    furniture = _furniture_keys(pages, lines_per_page)
    return [_without(page, lines, furniture) for page, lines in zip(pages, lines_per_page, strict=True)]


def _furniture_keys(pages: Sequence[Page], lines_per_page: Sequence[list[Line]]) -> set[tuple[str, int]]:
    """The keys of the lines that are furniture: those that recur at the edge of most pages, and the places
    where every page sets its own number."""
    keys, numbered = _edge_counts(pages, lines_per_page)
    repeated = {k for k, n in keys.items() if n >= 2 and n >= PAGES.recurring * len(pages)}
    # Where a page's number stands, every page that has a line there has its own number there (a cell that
    # holds the page's number by chance, at the top of a continued table, stands where other figures do).
    numbers = {k for k, n in numbered.items() if n >= 2 and n == keys[k]}
    return repeated | numbers


def _edge_counts(
    pages: Sequence[Page], lines_per_page: Sequence[list[Line]]
) -> tuple[Counter[tuple[str, int]], Counter[tuple[str, int]]]:
    """On how many pages each key stands at the page's edge, and on how many it is that page's number."""
    keys: Counter[tuple[str, int]] = Counter()
    numbered: Counter[tuple[str, int]] = Counter()  # lines that are their page's number, by place
    for page, lines in zip(pages, lines_per_page, strict=True):
        keys.update({_key(lines[i]) for i in _candidates(page, lines)})
        numbered.update({_key(lines[i]) for i in _candidates(page, lines) if _page_number(lines[i], page)})
    return keys, numbered


def _without(page: Page, lines: list[Line], furniture: set[tuple[str, int]]) -> list[Line]:
    """A page's lines without those at its edges whose key is furniture."""
    drop = {i for i in _candidates(page, lines) if _key(lines[i]) in furniture}
    return [line for i, line in enumerate(lines) if i not in drop]
