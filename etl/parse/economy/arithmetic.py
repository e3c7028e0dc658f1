"""The arithmetic a layout economy table prints decides how its rows read.

A space parts both the cells and the thousands groups, so 'Exempelgårdens förskolor 61 204 -3 118 412 2 706'
reads as 61 204 | -3 118 | 412 | 2 706, or as 61 | 204 | -3 118 412 | …, and the sizes of the other rows do not
always tell. Where empty cells leave no trace, a row of fewer values may stand in any of the columns. A table
that prints a Summa or Totalt row tells both: every column of the rows above it must add up to it.

Two steps. First the width: among the widths the rows allow, the one at which exactly one combination of
full readings makes every sum group add up (no other width lets them) is the table's, with those readings.
Then the empty cells: at the table's width, a row printing fewer values is placed in every way its values can
stand; where all the combinations that add up place a row alike, that is its place. Where none or several do,
nothing is decided here (the sizes decide as before, and the sum check notes a total that disagrees).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from malbas.etl.parse.economy.model import TOTAL_RE, VARAV_RE
from malbas.etl.parse.economy.settings import ARITHMETIC
from malbas.etl.parse.economy.tokens import Amount, Reading, Word
from malbas.etl.parse.numbers import decimals


@dataclass(frozen=True, slots=True)
class Placed:
    """A reading of a row and the column (0 to width - 1) each of its values stands in."""

    reading: Reading
    columns: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The width the sums prove, and the rows (by index among the value rows) whose reading they prove."""

    width: int
    rows: dict[int, Placed]


def _values(reading: Reading) -> list[Amount]:
    return [c for c in reading if isinstance(c, Amount)]


def sum_groups(labels: Sequence[str]) -> list[tuple[list[int], int]]:
    """(the rows a total adds up, the total's row) for every Summa/Totalt row: the rows since the last total,
    varav rows (parts of a row) left out."""
    groups: list[tuple[list[int], int]] = []
    since: list[int] = []
    for k, label in enumerate(labels):
        if VARAV_RE.match(label):
            continue
        if TOTAL_RE.match(label):
            if since:
                groups.append((since, k))
            since = []
        else:
            since.append(k)
    return groups


def _options(flex: Sequence[Reading], width: int, gaps: bool) -> list[Placed]:
    """The distinct ways a row stands in `width` columns: its readings of `width` values, and with `gaps` (empty
    cells invisible) its readings of fewer values in every placement. No percentages (a share is no part of a
    sum) and no text cells."""
    seen: dict[tuple[tuple[int, float], ...], Placed] = {}
    for r in flex:
        values = _values(r)
        if any(v.percent for v in values) or any(isinstance(c, Word) for c in r) or not values:
            continue
        if len(values) == width:
            places: Iterator[tuple[int, ...]] = iter([tuple(range(width))])
        elif gaps and len(values) < width:
            places = combinations(range(width), len(values))
        else:
            continue
        for cols in places:
            seen.setdefault(tuple(zip(cols, (v.value for v in values), strict=True)), Placed(r, cols))
            if len(seen) > ARITHMETIC.max_options:
                return []  # a row that stands too many ways: the sums cannot place it
    return list(seen.values())


def _solve(parts: list[list[Placed]], totals: list[Placed], width: int) -> list[tuple[int, tuple[int, ...]]] | None:
    """Every (total option, part options) whose columns add up; None when they are too many to tell."""
    digits = max((decimals(v.raw) for opts in [*parts, totals] for o in opts for v in _values(o.reading)), default=0)
    scale = 10**digits

    def vector(p: Placed) -> tuple[int, ...]:
        vec = [0] * width
        for col, v in zip(p.columns, _values(p.reading), strict=True):
            vec[col] = round(v.value * scale)
        return tuple(vec)

    # layer i: partial sums of the first i rows -> (partial sum before row i, option of row i) that reach them
    layers: list[dict[tuple[int, ...], list[tuple[tuple[int, ...], int]]]] = [{(0,) * width: []}]
    for opts in parts:
        vectors = [vector(o) for o in opts]
        nxt: dict[tuple[int, ...], list[tuple[tuple[int, ...], int]]] = {}
        for acc in layers[-1]:
            for k, vec in enumerate(vectors):
                nxt.setdefault(tuple(a + b for a, b in zip(acc, vec, strict=True)), []).append((acc, k))
        if len(nxt) > ARITHMETIC.max_states:
            return None
        layers.append(nxt)

    def paths(i: int, acc: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        if i == 0:
            yield ()
            return
        for prev, k in layers[i][acc]:
            for path in paths(i - 1, prev):
                yield (*path, k)

    found: list[tuple[int, tuple[int, ...]]] = []
    for t, total in enumerate(totals):
        target = vector(total)
        # totals of rounded amounts may be off by rounding: 1.5 units of the total's precision (as the sum check);
        # an empty cell of the total is a zero
        units = dict(zip(total.columns, (decimals(v.raw) for v in _values(total.reading)), strict=True))
        tolerance = [3 * scale // (2 * 10 ** units.get(c, digits)) for c in range(width)]
        for acc in layers[-1]:
            if all(abs(a - b) <= tol for a, b, tol in zip(acc, target, tolerance, strict=True)):
                for path in paths(len(parts), acc):
                    found.append((t, path))
                    if len(found) > ARITHMETIC.max_solutions:
                        return None
    return found


def _group_decisions(
    flex: Sequence[Sequence[Reading]], groups: list[tuple[list[int], int]], width: int, gaps: bool
) -> dict[int, Placed] | None:
    """At `width`, the rows every group's solutions place alike; None when some group has no solution."""
    decided: dict[int, Placed] = {}
    for parts, total in groups:
        rows = [_options(flex[k], width, gaps) for k in parts]
        totals = _options(flex[total], width, gaps)
        if not totals or not all(rows):
            return None
        found = _solve(rows, totals, width)
        if not found:
            return None
        if len({t for t, _ in found}) == 1:
            decided[total] = totals[found[0][0]]
        for n, k in enumerate(parts):
            used = {path[n] for _, path in found}
            if len(used) == 1:
                decided[k] = rows[n][used.pop()]
    return decided


def decide(
    labels: Sequence[str], flex: Sequence[Sequence[Reading]], widths: Sequence[int], width: int, gaps: bool
) -> Decision | None:
    """What the table's sums prove: the width (among `widths`; else the table's `width`) at which alone every sum
    group adds up with full rows, the rows read one way there, and with `gaps` the places of rows printing fewer
    values."""
    groups = sum_groups(labels)
    if not groups:
        return None
    proved = [(w, d) for w in sorted(set(widths)) if (d := _group_decisions(flex, groups, w, False)) is not None]
    decided: dict[int, Placed] = {}
    if len(proved) == 1:
        width, decided = proved[0]
    elif proved:
        return None  # the sums add up at several widths: they prove no width
    if gaps:
        narrowed = [[decided[k].reading] if k in decided else list(opts) for k, opts in enumerate(flex)]
        placed = _group_decisions(narrowed, groups, width, True)
        if placed:
            decided = {**decided, **placed}
    return Decision(width, decided) if decided else None
