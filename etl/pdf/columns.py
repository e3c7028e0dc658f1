"""The columns of a table, from the evidence of all its rows.

A table's cells line up: in every row, the text of a column lies between the same two edges, and between
two columns runs a gutter that no cell's text crosses. The gap between two words of one line says little
on its own (a long name may run close to the value beside it, a cell may be padded by less than a word
space), so the columns are found from the whole table, on every page it runs over:

- *gutters*: the vertical stripes that no word crosses in the rows whose cells stand apart on some line,
  and where at least one line shows a gap wider than a word space (a chance alignment of word spaces in a
  paragraph is no gutter);
- *rules*: vertical rules, and the ends of the borders a producer draws cell by cell, mark cell edges;
- *header cells*: each opens a column, and the stripes under one heading are one column (figures set flush
  right under a heading set flush left lie apart from it), unless a rule parts them.

A row whose text crosses a gutter on every line (the Analys under an indicator, a label running over the
columns) is one full-width cell. In any other row a word is read in the column where it lies, so a value set
close to a name is still a value; a word that crosses a gutter is a doubt the reader reports.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from malbas.etl.pdf.lines import Line, Segment
from malbas.etl.pdf.reader import Rule, Word
from malbas.etl.pdf.settings import COLUMNS

Block = list[Line]
Span = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Columns:
    bands: list[Span]  # each column's extent: from its leftmost to its rightmost text
    gutters: list[Span]  # the empty stripe between column k and k + 1

    def column(self, word: Word) -> int:
        """The column a word lies in: its middle, against the middles of the gutters."""
        return bisect_left([(g0 + g1) / 2 for g0, g1 in self.gutters], (word.x0 + word.x1) / 2)

    def crosses(self, line: Line) -> list[Word]:
        """The words of a line whose text runs on over a gutter (`runs_over`)."""
        return [w for seg in line.segments for gutter in self.gutters for w in runs_over(seg, gutter)]


def multi(block: Block) -> bool:
    """A block with cells side by side on some line."""
    return any(len(line.segments) > 1 for line in block)


def find_columns(parts: Sequence[Sequence[Block]], header: Sequence[Block], rules: Sequence[Rule]) -> Columns:
    """The columns of a table made of the blocks of `parts` (one list of blocks per page), whose header rows
    are `header` (repeated on later pages); `rules` are the rule edges found inside the table (`cell_edges`)."""
    blocks = [block for part in parts for block in part]
    edges = _hard_edges(blocks, rules)
    if edges:
        _part_at(blocks, edges)
    structured = [b for b in blocks if multi(b)] or list(blocks)
    fitting, stripes = _gutters(blocks, structured, _headings(blocks, header))
    stripes += _lone_edges(edges, stripes)
    columns = _between([*structured, *fitting], sorted(stripes))
    return _headed(columns, header, rules)


def _headings(blocks: Sequence[Block], header: Sequence[Block]) -> set[int]:
    """The lines of the blocks that are header rows (the first, or one repeated on a later page)."""
    heads = {_text(b) for b in header}
    return {id(line) for b in blocks if _text(b) in heads for line in b}


def _gutters(blocks: Sequence[Block], structured: list[Block], headings: set[int]) -> tuple[list[Block], list[Span]]:
    """The stripes the rows with cells side by side leave empty. Blocks of one run of text that crosses a stripe
    are full-width rows; the other blocks (a name's wrapped lines, a lone value, a group label) have their say on
    where the gutters run. Returns those blocks and the stripes."""
    stripes = _stripes([line for b in structured for line in b], headings)
    fitting = _fitting_blocks(blocks, stripes)
    if fitting and stripes:
        stripes = _stripes_kept_by(stripes, [*structured, *fitting], headings)
    return fitting, stripes


def _fitting_blocks(blocks: Sequence[Block], stripes: Sequence[Span]) -> list[Block]:
    """The blocks of one run of text that cross no stripe (a name's wrapped lines, a lone value, a label)."""
    return [b for b in blocks if not multi(b) and not any(_crossing(line, stripes) for line in b)]


def _stripes_kept_by(stripes: Sequence[Span], blocks: Sequence[Block], headings: set[int]) -> list[Span]:
    """The stripes all the blocks' lines leave empty, where they overlap one of `stripes`."""
    lines = [line for b in blocks for line in b]
    return [s for s in _stripes(lines, headings) if any(_overlaps(s, t) for t in stripes)]


def _lone_edges(edges: Sequence[float], stripes: Sequence[Span]) -> list[Span]:
    """Hard edges no stripe holds, as stripes of no width."""
    return [(x, x) for x in edges if not any(s0 - COLUMNS.slack <= x <= s1 + COLUMNS.slack for s0, s1 in stripes)]


def _hard_edges(blocks: Sequence[Block], rules: Sequence[Rule]) -> list[float]:
    """Cell edges that need no gutter: where rules part two cells, and where cells are set flush against each
    other: the text of several lines ends at one x and that of several others starts there, several lines have
    text touching across it (closer than a word space, or one word whose glyphs run on over it), and no line
    has a word space across it."""
    lines = [line for b in blocks for line in b]
    return _merged_points([*_flush_edges(lines), *(r.x0 for r in rules)])


def _flush_edges(lines: Sequence[Line]) -> list[float]:
    """The x where the text of several lines ends and that of several others starts, with text touching
    across it (`_flush_at`): cells set flush against each other."""
    starts, ends = _word_starts(lines), _word_ends(lines)
    pairs = [(a, b) for line in lines for a, b in zip(line.words, line.words[1:], strict=False)]
    least = max(COLUMNS.flush_lines, int(COLUMNS.flush_share * len(lines)))
    candidates = sorted(set(round(e, 1) for e in ends))
    return [x for x in candidates if min(_count(ends, x), _count(starts, x)) >= least and _flush_at(x, pairs, lines)]


def _word_starts(lines: Sequence[Line]) -> list[float]:
    """Where the lines' words start, sorted (for `_count`)."""
    return sorted(w.x0 for line in lines for w in line.words)


def _word_ends(lines: Sequence[Line]) -> list[float]:
    """Where the lines' words end, sorted (for `_count`)."""
    return sorted(w.x1 for line in lines for w in line.words)


def _flush_at(x: float, pairs: Sequence[tuple[Word, Word]], lines: Sequence[Line]) -> bool:
    """Text touches across x on enough lines (words closer than a word space, or glyphs of one word), and no
    line has a word space across it."""
    across = [(a, b) for a, b in pairs if a.x1 <= x + COLUMNS.flush and b.x0 >= x - COLUMNS.flush]
    if any(b.x0 - a.x1 > COLUMNS.touching * a.size for a, b in across):
        return False  # a word space across it
    glued = sum(any(abs(g - x) <= COLUMNS.flush for g in w.glyphs[1:]) for line in lines for w in line.words)
    return len(across) + glued >= COLUMNS.flush_lines


def _count(values: Sequence[float], x: float) -> int:
    return bisect_left(values, x + COLUMNS.flush) - bisect_left(values, x - COLUMNS.flush)


def _merged_points(xs: Sequence[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > 2 * COLUMNS.slack:
            out.append(x)
    return out


def _part_at(blocks: Sequence[Block], edges: Sequence[float]) -> None:
    """Part the words that run over a hard edge at the glyph boundary on it (two cells' text set flush reads
    as one word); a word with no boundary there stays whole (a doubt of its row)."""
    for block in blocks:
        for line in block:
            for x in edges:
                if any(w.x0 < x - COLUMNS.slack and w.x1 > x + COLUMNS.slack for w in line.words):
                    _part_line(line, x)


def _part_line(line: Line, x: float) -> None:
    for seg in line.segments:
        for k, w in enumerate(seg.words):
            if w.x0 < x - COLUMNS.slack and w.x1 > x + COLUMNS.slack and (parts := w.split_at(x)):
                seg.words[k : k + 1] = list(parts)
                line.words[line.words.index(w) : line.words.index(w) + 1] = list(parts)
                return


def _text(block: Block) -> str:
    return "".join(w.text for line in block for w in line.words)


def _stripes(lines: Sequence[Line], headings: set[int]) -> list[Span]:
    """The cores of the vertical stripes that the text of `lines` leaves (nearly) empty: where the fewest
    lines have a word, within runs that at most a few lines cross (a word that overflows its cell). A heading
    occupies its cells whole (the word spaces of "KF:s årsmål" part no columns); a row, only its words (a
    value set close to a name is parted from it). More lines must show a stripe as a gap between cells than
    as a word space inside one (`_shown`)."""
    allowance = int(COLUMNS.crossing_share * len(lines))
    events = _depth_events(lines, headings, heading=allowance + 1)  # no stripe crosses a heading
    out: list[Span] = []
    for run in _shallow_runs(events, allowance):
        least = min(d for _, _, d in run)
        out += [
            core
            for core in _pieces_at(run, least)
            if core[1] - core[0] >= COLUMNS.narrowest and _shown(core, lines, headings)
        ]
    return out


def _depth_events(lines: Sequence[Line], headings: set[int], heading: int) -> list[tuple[float, int]]:
    """Where text starts (+weight) and ends (-weight) across the lines, sorted by x: a heading's cells weigh
    `heading` each, a row's words 1."""
    return sorted(
        (x, step)
        for line in lines
        for x0, x1, weight in _extents(line, id(line) in headings, heading)
        for x, step in ((x0, weight), (x1, -weight))
    )


def _extents(line: Line, is_heading: bool, heading: int) -> list[tuple[float, float, int]]:
    """A heading occupies its cells whole; a row, only its words."""
    if is_heading:
        return [(s.x0, s.x1, heading) for s in line.segments]
    return [(w.x0, w.x1, 1) for w in line.words]


def _shallow_runs(events: Sequence[tuple[float, int]], allowance: int) -> list[list[tuple[float, float, int]]]:
    """Runs of adjacent (from, to, depth) pieces where at most `allowance` lines have text."""
    runs: list[list[tuple[float, float, int]]] = []
    depth = 0
    for (x, step), (x_next, _) in zip(events, events[1:], strict=False):
        depth += step
        if x_next <= x or depth > allowance:
            continue
        if runs and runs[-1][-1][1] == x:
            runs[-1].append((x, x_next, depth))
        else:
            runs.append([(x, x_next, depth)])
    return runs


def _shown(core: Span, lines: Sequence[Line], headings: set[int]) -> bool:
    """Whether the lines show `core` as a gutter between text on both its sides. Where no row has a word space
    across it, a row's gap between two cells (segments) across it shows it, or a heading's, if a cell starts
    or ends at its edge (a column left empty in every row). Where a row has one (a value set close to a name,
    or "70 %" in a table of one row), more rows must show it as a gap between cells, and more rows must have a
    cell ending at its left edge or starting at its right edge, than there are rows that deny it; headings do
    not count then (a heading set flush left ends anywhere in its column)."""
    between = inside = ends = starts = headed = heading_gap = 0
    near = 2 * COLUMNS.slack
    for line in lines:
        end = sum(abs(seg.x1 - core[0]) <= near for seg in line.segments)
        start = sum(abs(seg.x0 - core[1]) <= near for seg in line.segments)
        gap = _gap_across(line, core)
        if id(line) in headings:
            headed += end + start
            heading_gap += gap == "between"
            continue
        ends, starts = ends + end, starts + start
        between += gap == "between"
        inside += gap == "inside"
    if inside == 0:
        return between > 0 or (heading_gap > 0 and headed > 0)
    return between > inside and ends + starts > max(inside, 1)


def _gap_across(line: Line, core: Span) -> str | None:
    """'between' if two of the line's cells (segments) lie on either side of `core`, 'inside' if a word space of
    one cell does, None if the line has no text on both sides."""
    starts = {id(seg.words[0]) for seg in line.segments[1:]}
    for a, b in zip(line.words, line.words[1:], strict=False):
        if a.x1 <= core[0] + COLUMNS.slack and b.x0 >= core[1] - COLUMNS.slack:
            return "between" if id(b) in starts else "inside"
    return None


def _pieces_at(run: Sequence[tuple[float, float, int]], depth: int) -> list[Span]:
    """The stretches of a run where the depth is `depth`, adjacent pieces joined."""
    out: list[Span] = []
    for x0, x1, d in run:
        if d != depth:
            continue
        if out and out[-1][1] == x0:
            out[-1] = (out[-1][0], x1)
        else:
            out.append((x0, x1))
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def runs_over(seg: Segment, stripe: Span) -> list[Word]:
    """The words by which a run of text goes on over a stripe: the run starts left of it and ends right of it,
    and words reach into it (text set across the columns). A run whose gap between two words holds the whole
    stripe is two cells set close together, and a run that ends inside it overflows its cell a little: neither
    runs over."""
    if not (seg.x0 < stripe[0] - COLUMNS.slack and seg.x1 > stripe[1] + COLUMNS.slack):
        return []
    return [
        w
        for w in seg.words
        if min(w.x1, stripe[1]) - max(w.x0, stripe[0]) > COLUMNS.slack
        or (w.x0 < stripe[0] - COLUMNS.slack and w.x1 > stripe[1] + COLUMNS.slack)
    ]


def _crossing(line: Line, stripes: Sequence[Span]) -> bool:
    return any(runs_over(seg, s) for seg in line.segments for s in stripes)


def _between(blocks: Sequence[Block], stripes: Sequence[Span]) -> Columns:
    """Columns as the text between consecutive stripes; a gutter is the empty space between two columns'
    text, words across a stripe left out (they are their rows' doubts). Stripes with no text between them are
    one gutter."""
    edges = sorted(stripes)
    lows = [float("inf")] * (len(edges) + 1)
    highs = [float("-inf")] * (len(edges) + 1)
    rights = [e[1] for e in edges]
    for block in blocks:
        for line in block:
            for w in _column_words(line, edges):
                k = bisect_left(rights, (w.x0 + w.x1) / 2)
                lows[k], highs[k] = min(lows[k], w.x0), max(highs[k], w.x1)
    bands = [(lo, hi) for lo, hi in zip(lows, highs, strict=True) if lo <= hi]
    gutters = [(a[1], b[0]) for a, b in zip(bands, bands[1:], strict=False)]
    return Columns(bands, gutters)


def _column_words(line: Line, edges: Sequence[Span]) -> list[Word]:
    """The words of a line that stand in a column: none of a full-width run of text across a stripe, and no
    word that runs over a stripe (those are their rows' doubts)."""
    if _crossing(line, edges) and not multi([line]):
        return []
    over = {id(w) for seg in line.segments for e in edges for w in runs_over(seg, e)}
    return [w for w in line.words if id(w) not in over]


def _headed(columns: Columns, header: Sequence[Block], rules: Sequence[Rule]) -> Columns:
    """Each header cell opens a column, which takes the columns up to the next header cell (figures flush
    right under a heading flush left); columns left of the first heading stay apart (an icon column). A
    rule edge between two columns keeps them apart, whatever the headings."""
    anchored = _anchored(columns, header)
    if sum(anchored) < 2:
        return columns
    edges = sorted(x for rule in rules for x in (rule.x0,))
    bands = [columns.bands[0]]
    gutters: list[Span] = []
    headed = anchored[0]
    for k in range(1, len(columns.bands)):
        gutter, band = columns.gutters[k - 1], columns.bands[k]
        if anchored[k] or not headed or _ruled(gutter, edges):
            gutters.append(gutter)
            bands.append(band)
            headed = headed or anchored[k]
        else:
            bands[-1] = (bands[-1][0], band[1])
    return Columns(bands, gutters)


def _anchored(columns: Columns, header: Sequence[Block]) -> list[bool]:
    """For each column, whether a word of the header overlaps it (a header cell opens it)."""
    heads = [w for block in header for line in block for w in line.words]
    return [any(min(w.x1, x1) - max(w.x0, x0) > 0 for w in heads) for x0, x1 in columns.bands]


def _ruled(gutter: Span, edges: Sequence[float]) -> bool:
    """Whether a rule edge lies in the gutter (it keeps the two columns apart)."""
    return any(gutter[0] - COLUMNS.slack <= x <= gutter[1] + COLUMNS.slack for x in edges)


def cell_edges(rules: Sequence[Rule], top: float, bottom: float, left: float, right: float) -> list[Rule]:
    """The rules that mark cell edges inside a table set between `top` and `bottom`, `left` and `right`:
    vertical rules within it, and the points where the borders drawn cell by cell meet (two horizontal rules
    end and start at one x on the same height), as zero-width vertical rules."""
    reach = COLUMNS.rule_reach
    inside = [r for r in rules if r.bottom >= top - reach and r.top <= bottom + reach]
    return _vertical_rules(inside, left, right) + _border_meetings(inside, left, right)


def _vertical_rules(rules: Sequence[Rule], left: float, right: float) -> list[Rule]:
    """The vertical rules (longer than a rule's reach) strictly between `left` and `right`."""
    return [
        r
        for r in rules
        if not r.horizontal
        and left + COLUMNS.slack < r.x0 < right - COLUMNS.slack
        and r.bottom - r.top > COLUMNS.rule_reach
    ]


def _border_meetings(rules: Sequence[Rule], left: float, right: float) -> list[Rule]:
    """Where two horizontal rules on one height end and start at one x between `left` and `right` (borders
    drawn cell by cell), as zero-width vertical rules."""
    flat = sorted((round(r.top, 1), r.x0, r.x1) for r in rules if r.horizontal)
    return [
        Rule(b0, y0, b0, y0)
        for (y0, _, a1), (y1, b0, _) in zip(flat, flat[1:], strict=False)
        if y0 == y1 and abs(a1 - b0) <= COLUMNS.slack and left + COLUMNS.slack < b0 < right - COLUMNS.slack
    ]
