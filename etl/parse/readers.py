"""What a table reader is. Each table kind (indicators, activities, economy) has a reader per text form, all of
one shape: the lines and the span to read, to that kind's result. The parser picks them from a table by text
form (parser.py, READERS)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")


class TableReader(Protocol[R_co]):
    """A reader of one table kind in one text form: what the tables in lines[start:stop] hold."""

    def __call__(self, lines: Sequence[str], start: int, stop: int, /) -> R_co: ...


@dataclass(slots=True)
class RowScan(Generic[T]):
    """The rows of every table of a kind, the readers' warnings, and the [start, stop) line span of each table
    (header to last row or comment; the self-audit checks every number inside them)."""

    rows: list[T]
    warnings: list[str]
    spans: list[tuple[int, int]]
