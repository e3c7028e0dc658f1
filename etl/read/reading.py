"""What the read layer hands the parser: a report's text in one of its text forms, and what the reader could
not settle while making it.

A text extraction is read as it is. A PDF is read by geometry into the tabbed form (etl/pdf/), and the reader
knows things the text cannot show: that a word ran over the edge between two columns, or that a figure stood
under another column's heading than the cell it was read into. Those are `Doubt`s, one per line of the text:
the parser flags the rows on those lines and its self-audit does not count their figures as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Doubt:
    line: int  # 1-based line of the text
    reason: str  # said to the user, as an uncertain row's reason
    figures: tuple[str, ...] = ()  # figures on the line that may stand in the wrong cell


@dataclass(slots=True)
class Reading:
    text: str
    pdf: bool = False  # read from a PDF into the tabbed form
    page_starts: list[int] | None = None  # PDF: the 1-based line on which each page begins
    doubts: list[Doubt] = field(default_factory=list)
