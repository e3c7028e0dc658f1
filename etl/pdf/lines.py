"""Words → text lines → blocks.

A text line is the words that share a baseline; in a table it crosses every cell of a row. A line's
*segments* are its runs of words separated by no more than a word space: the cells of a table row are
separate segments (cells are padded), a line of prose is one. A *block* is a run of lines set at the
font's own line spacing: a wrapped paragraph, or one table row (rows are separated by their padding).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.pdf.reader import Rule, Word
from malbas.etl.pdf.settings import LINES

SEGMENT_GAP = LINES.segment_gap


@dataclass(slots=True)
class Segment:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Line:
    words: list[Word]
    baseline: float
    size: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _segments(words: list[Word], size: float, limit: float) -> list[Segment]:
    out: list[Segment] = [Segment([words[0]])]
    for word in words[1:]:
        if word.x0 - out[-1].x1 > limit * max(size, word.size):
            out.append(Segment([word]))
        else:
            out[-1].words.append(word)
    return out


def make_lines(words: Sequence[Word]) -> list[Line]:
    """Group words by baseline (top to bottom), each line's words left to right. Segments come later, from
    `split_segments`, once the word spaces of the whole document are known."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w.baseline, 1), w.x0)):
        if lines and abs(word.baseline - lines[-1].baseline) <= LINES.baseline * min(word.size, lines[-1].size):
            lines[-1].words.append(word)
        else:
            lines.append(Line([word], word.baseline, word.size))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        sizes = Counter[float]()
        for w in line.words:
            sizes[round(w.size, 1)] += len(w.text)
        line.size = sizes.most_common(1)[0][0]
    return lines


def word_space_limits(pages: Sequence[Sequence[Line]]) -> dict[float, float]:
    """The widest gap a word space takes, per font size, as a share of the size. The gaps between words
    cluster at the font's word space (most text is prose); the first clear break above that cluster parts it
    from the gaps between cells. Tight cell padding puts cells closer than SEGMENT_GAP apart: this finds
    them. Where no break shows, SEGMENT_GAP holds."""
    gaps: dict[float, list[float]] = defaultdict(list)
    for lines in pages:
        for line in lines:
            for a, b in zip(line.words, line.words[1:], strict=False):
                if abs(a.size - b.size) < LINES.same_size:
                    gaps[line.size].append((b.x0 - a.x1) / line.size)
    limits: dict[float, float] = {}
    for size, values in gaps.items():
        if len(values) < LINES.fewest_gaps:
            continue
        values.sort()
        median = values[len(values) // 2]
        for low, high in zip(values[len(values) // 2 :], values[len(values) // 2 + 1 :], strict=False):
            if low > SEGMENT_GAP:
                break
            if high - low >= LINES.clear_break:
                limits[size] = min(SEGMENT_GAP, max((low + high) / 2, LINES.above_median * median))
                break
    return limits


def split_segments(pages: Sequence[Sequence[Line]]) -> None:
    """Each line's segments (its cells, where it crosses a table row), split at gaps wider than a word space."""
    limits = word_space_limits(pages)
    for lines in pages:
        for line in lines:
            line.segments = _segments(line.words, line.size, limits.get(line.size, SEGMENT_GAP))


def leading_by_size(pages: Sequence[Sequence[Line]]) -> dict[float, float]:
    """The line spacing set for each font size: the smallest common distance between the baselines of two
    consecutive lines of that size (wrapped paragraphs and cells), over the whole document."""
    pitches: dict[float, list[float]] = defaultdict(list)
    for lines in pages:
        for above, below in zip(lines, lines[1:], strict=False):
            if abs(above.size - below.size) < LINES.same_size:
                pitch = below.baseline - above.baseline
                if LINES.pitch[0] * above.size <= pitch <= LINES.pitch[1] * above.size:
                    pitches[above.size].append(pitch)
    leading: dict[float, float] = {}
    for size, values in pitches.items():
        values.sort()
        # the low end of the distribution: rows and paragraphs add their spacing on top of it
        leading[size] = min(values[len(values) // LINES.pitch_quantile], LINES.most_leading * size)
    return leading


def blocks(lines: Sequence[Line], leading: dict[float, float], rules: Sequence[Rule] = ()) -> list[list[Line]]:
    """Split a page's lines where the spacing grows beyond the font's line spacing, the font size changes, or
    a rule is drawn between two lines (the border between two table rows, however close they are set)."""
    across = sorted(r.top for r in rules if r.horizontal)
    out: list[list[Line]] = []
    for line in lines:
        if out:
            above = out[-1][-1]
            spacing = leading.get(above.size, LINES.leading * above.size)
            same_size = abs(above.size - line.size) < LINES.same_size
            close = line.baseline - above.baseline <= spacing + max(LINES.block_slack * line.size, LINES.block_points)
            if same_size and close and not _ruled_between(above, line, rules, across):
                out[-1].append(line)
                continue
        out.append([line])
    return out


def _ruled_between(above: Line, below: Line, rules: Sequence[Rule], across: Sequence[float]) -> bool:
    """Whether a horizontal rule lies between two lines, under the text of the upper one (not its underline)
    and above the lower one's glyphs, and runs under both."""
    low, high = above.baseline + LINES.underline * above.size, below.top + LINES.rule_above
    k = bisect_left(across, low)
    if k == len(across) or across[k] > high:
        return False
    left, right = max(above.x0, below.x0), min(above.x1, below.x1)
    start = LINES.rule_start
    return any(
        r.horizontal and low <= r.top <= high and r.x0 <= left + start and r.x1 >= min(left + start, right)
        for r in rules
    )
