"""The PDF reader's tolerances, one frozen settings object per concern.

Every figure is a share of the font size the text is drawn at (so that no point size steers the reader),
unless it says otherwise. What varies between the programs that make PDFs is measured in each document
(word spaces, line spacing, column edges); these are the limits of those measurements.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GlyphSettings:
    """Glyphs → words, and path objects → rules (reader.py)."""

    # A gap between two glyphs wider than this starts a new word (a word space is about 0.25–0.33; letters
    # are set at most a few hundredths apart, more in letter-spaced text).
    word_gap: float = 0.12
    # Two glyphs whose baselines differ by more than this are on different lines (super/subscripts stay).
    same_line: float = 0.3
    # A glyph that starts further left than this of the previous one's end begins a new word (text drawn
    # out of order); the letters of a ligature share one box and do not.
    step_back: float = 0.5
    # Points: a path this thin is a rule; a path of more segments than a rectangle is a drawing, not a rule.
    rule_width: float = 2.0
    rule_segments: int = 5


GLYPHS = GlyphSettings()


@dataclass(frozen=True, slots=True)
class LineSettings:
    """Words → lines → blocks (lines.py)."""

    # A rule this far or further below a line's baseline lies under its text (a row's border); nearer, it is
    # the line's underline.
    underline: float = 0.25
    # Words whose baselines differ by at most this share of the smaller size are on one line.
    baseline: float = 0.35
    # Points: lines (and words) whose font sizes differ by less than this are set in one size.
    same_size: float = 0.3
    # A gap wider than this share of the font size separates segments (a word space is about 0.25–0.33).
    segment_gap: float = 0.45
    # A font size's own word space is measured where it has this many gaps between words: the first empty stretch
    # of gap widths at least `clear_break` wide above the median ends the word spaces, the limit set at least
    # `above_median` times the median.
    fewest_gaps: int = 50
    clear_break: float = 0.06
    above_median: float = 1.15
    # Line spacing: the distances between two baselines of one size that count (`pitch` times the size, from
    # and to), the low end of them taken (1 in `pitch_quantile`), at most `most_leading` times the size; where
    # a size has none, `leading` times the size.
    pitch: tuple[float, float] = (0.9, 2.5)
    pitch_quantile: int = 20
    most_leading: float = 1.3
    leading: float = 1.2
    # A line goes on in the block above it when it lies no further below than the line spacing and this share
    # of its size, or `block_points`, whichever is more.
    block_slack: float = 0.12
    block_points: float = 1.0
    # Points: a rule between two lines lies above the lower one's glyphs by this much, and starts at most
    # `rule_start` right of their text.
    rule_above: float = 0.5
    rule_start: float = 1.0


LINES = LineSettings()


@dataclass(frozen=True, slots=True)
class ColumnSettings:
    """A table's columns from all its rows (columns.py)."""

    # Lines of a table whose words may cross a gutter before it stops being one: a word that overflows its
    # cell, a page number inside a table.
    crossing_share: float = 0.04
    # Points: the narrowest gutter (cells may be padded by little more than a point), and how far a glyph box
    # may reach into one (boxes include side bearings) without crossing it.
    narrowest: float = 0.8
    slack: float = 0.5
    # Cells set flush against each other: the text of at least this many lines (and this share of the table's
    # lines) ends, and of as many starts, within `flush` points of one x.
    flush_lines: int = 3
    flush_share: float = 0.15
    flush: float = 0.3
    touching: float = 0.15  # text closer than this share of its size is touching, not a word space apart

    # Points: a rule this far above or below a table's text is still its own; a vertical rule this short is none.
    rule_reach: float = 2.0


COLUMNS = ColumnSettings()


@dataclass(frozen=True, slots=True)
class TableSettings:
    """Blocks → tables, rows cut by page breaks, doubts (tables.py)."""

    # Points: a block whose font size differs from the table's by this much or more is no row of it.
    same_size: float = 0.3
    # The gap allowed before the second row: the line spacing and this much more (a row may be one line
    # after a header of several); later rows may lie `growth` times the closest spacing so far apart, or that
    # spacing and `slack` more; a row set in the table's columns twice as far (`fitting`).
    first_gap: float = 1.6
    growth: float = 1.35
    slack: float = 0.6
    fitting: float = 2.0
    # Points: cell edges (and a block's left edge) this close line up.
    aligned: float = 1.0
    # A word space, as a share of the font size: a word wider than what is left after it on a line wraps.
    word_space: float = 0.5
    # Points: a word that starts this far left of the previous one's end is printed over it.
    overprint: float = 1.0


TABLES = TableSettings()


@dataclass(frozen=True, slots=True)
class PageSettings:
    """Running heads and feet (furniture.py), headings and paragraphs (extract.py)."""

    # Furniture lives among the first and last `outermost` lines of a page, in the `band` (a share of the page
    # height) at its top and bottom, and recurs on `recurring` of the pages (a share) or more.
    band: float = 0.14
    outermost: int = 3
    recurring: float = 0.5
    # Points: a bold paragraph set this much larger than the body is a heading; headings go `heading_levels`
    # deep ('#', '##', '###').
    heading: float = 0.5
    heading_levels: int = 3
    # A line set further left than the line above by this share of its size starts an item of its own.
    outdent: float = 0.8
    # Points: a paragraph goes on over a page break in a font size this close to its own.
    same_size: float = 0.3


PAGES = PageSettings()


@dataclass(frozen=True, slots=True)
class CellGapSettings:
    """The space a report leaves between two cells, from its tables' narrowest gutters (extract.py)."""

    table_rows: int = 3  # tables of this many rows or more have their say
    # The narrowest gutters agree when they lie within `factor` times the narrowest plus `points`; this many
    # tables must agree.
    factor: float = 1.1
    points: float = 0.3
    agreeing: int = 3


CELL_GAP = CellGapSettings()
