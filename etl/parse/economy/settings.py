"""The economy readers' limits, one frozen settings object per concern.

A report's header and row labels wrap as narrow columns make them; these are the limits past which a block of
text is no longer a header cell or a row label but prose, so that the readers stop instead of swallowing it.
Counts are lines or characters of the text as printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Boundary(IntEnum):
    """How surely a header fragment starts a new column; the header is cut at the strongest boundaries first."""

    CONTINUES = 0  # the same cell's text goes on
    CAPITAL = 1  # another capitalised word inside a line ('Budget 2020 Netto')
    LINE_START = 2  # a capitalised line inside a block: the wrapped cell's next line, or a cell of its own
    SECONDARY = 3  # a column word that often qualifies the label before it ('Utfall 2020 Snitt jan-dec')
    COLUMN_WORD = 4  # a column word inside a line ('… Budget 2020 Begärda')
    BLOCK_START = 6  # after a blank line: pdftotext writes a wrapped cell as a block of its own


@dataclass(frozen=True, slots=True)
class HeaderSettings:
    """Where a layout table's header ends (header.py)."""

    # Characters a header line may hold, by the column words on it (none or one, two, three or more): one-line
    # cells side by side make long lines of column words.
    line_limits: tuple[int, int, int] = (100, 160, 220)
    # Lines a header cell may wrap over, lines read as one block's text, and header blocks in all.
    block_lines: int = 10
    block_text_lines: int = 12
    blocks: int = 16
    # A stub block ('Resultatenhetens' / 'namn') standing alone before the column words: at most this many
    # lines of at most this many characters.
    stub_lines: int = 3
    stub_line: int = 40


HEADER = HeaderSettings()


@dataclass(frozen=True, slots=True)
class RowSettings:
    """Where a table's rows end (rows.py, tabbed.py)."""

    # A label line longer than this is prose after the table; a label wraps over at most `label_lines` lines.
    label_line: int = 70
    label_lines: int = 6
    # A tabbed line without TABs is still a row (its empty last cells stripped) when it is this short.
    stripped_row: int = 40
    # Readings of one row's values enumerated at most (thousands groups and cells make them many).
    readings: int = 4096


ROWS = RowSettings()


@dataclass(frozen=True, slots=True)
class ArithmeticSettings:
    """How far the search for the readings a table's sums prove goes (arithmetic.py)."""

    # Distinct partial sums kept while adding a sum group's rows, ways one row may stand (readings times
    # placements of its values among the columns), and combinations that add up: past any of these, the rows read
    # too many ways for the sums to tell, and nothing is decided.
    max_states: int = 100_000
    max_options: int = 64
    max_solutions: int = 32


ARITHMETIC = ArithmeticSettings()
