"""The arithmetic a layout economy table prints decides how its rows read.

A space parts both the cells and the thousands groups, so 'Exempelgårdens förskolor 61 204 -3 118 412 2 706'
reads as 61 204 | -3 118 | 412 | 2 706, or as 61 | 204 | -3 118 412 | …, and the sizes of the other rows do not
always tell. A table that prints a Summa or Totalt row does: every column of the rows above it must add up to
it. Among all readings of those rows (and of the total), with as many values per row as any width the rows
allow, the readings that make every column add up are the table's; when exactly one combination does, it is
the reading, whatever the header or the sizes suggest. When none or several do, nothing is decided here (the
sum check still notes a total that disagrees).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from malbas.etl.parse.economy.model import TOTAL_RE, VARAV_RE
from malbas.etl.parse.economy.settings import ARITHMETIC
from malbas.etl.parse.economy.tokens import Amount, Reading
from malbas.etl.parse.numbers import decimals


@dataclass(frozen=True, slots=True)
class Decision:
    """The width the sums prove and, per value row they decide, its one reading."""

    width: int
    readings: dict[int, Reading]


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


def _options(flex: Sequence[Reading], width: int) -> list[Reading]:
    """The distinct readings with `width` values and no percentages (a share is no part of a sum)."""
    seen: dict[tuple[float, ...], Reading] = {}
    for r in flex:
        values = _values(r)
        if len(values) == width and not any(v.percent for v in values):
            seen.setdefault(tuple(v.value for v in values), r)
    return list(seen.values())


def _unit(readings: Sequence[Reading]) -> int:
    """The finest precision printed, as a power of ten: sums are compared in hundredths of it."""
    return max((decimals(v.raw) for r in readings for v in _values(r)), default=0)


def _solutions(parts: list[list[Reading]], totals: list[Reading], width: int) -> list[tuple[int, tuple[int, ...]]]:
    """Every (total reading, part readings) whose columns add up, at most two (more say nothing new)."""
    digits = _unit([r for opts in parts for r in opts] + totals)
    scale = 10**digits

    def vector(r: Reading) -> tuple[int, ...]:
        return tuple(round(v.value * scale) for v in _values(r))

    # partial sums -> the choices that reach them (two kept: one is the reading, two make it no reading)
    states: dict[tuple[int, ...], list[tuple[int, ...]]] = {(0,) * width: [()]}
    for opts in parts:
        vectors = [vector(o) for o in opts]
        nxt: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
        for acc, paths in states.items():
            for k, vec in enumerate(vectors):
                key = tuple(a + b for a, b in zip(acc, vec, strict=True))
                kept = nxt.setdefault(key, [])
                for path in paths:
                    if len(kept) < 2:
                        kept.append((*path, k))
        if len(nxt) > ARITHMETIC.max_states:
            return []  # too many ways to tell: decide nothing
        states = nxt
    found: list[tuple[int, tuple[int, ...]]] = []
    for t, total in enumerate(totals):
        target = vector(total)
        # totals of rounded amounts may be off by rounding: 1.5 units of the total's precision (as the sum check)
        tolerance = [3 * scale // (2 * 10 ** decimals(v.raw)) for v in _values(total)]
        for acc, paths in states.items():
            if all(abs(a - b) <= tol for a, b, tol in zip(acc, target, tolerance, strict=True)):
                found += [(t, path) for path in paths]
                if len(found) > 1:
                    return found
    return found


def decide(labels: Sequence[str], flex: Sequence[Sequence[Reading]], widths: Sequence[int]) -> Decision | None:
    """The width and readings the table's sums prove, if they prove one: for some width, exactly one combination
    of readings makes every sum group add up, and no other width lets any group add up."""
    groups = sum_groups(labels)
    if not groups:
        return None
    proved: list[Decision] = []
    for width in sorted(set(widths)):
        chosen: dict[int, Reading] = {}
        for parts, total in groups:
            rows = [_options(flex[k], width) for k in parts]
            totals = _options(flex[total], width)
            if not totals or not all(rows):
                break
            found = _solutions(rows, totals, width)
            if len(found) != 1:
                break
            t, path = found[0]
            chosen[total] = totals[t]
            chosen.update({k: rows[n][c] for n, (k, c) in enumerate(zip(parts, path, strict=True))})
        else:
            proved.append(Decision(width, chosen))
    return proved[0] if len(proved) == 1 else None
