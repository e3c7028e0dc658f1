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


COLUMNS = ColumnSettings()
