"""Column assignment: every placement of a row's cells in the table's columns is scored by the weights
(weights.py), the best wins, and a close rival or an ambiguous grouping is a doubt noted on the row."""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from malbas.etl.parse.indicators import weights as W
from malbas.etl.parse.indicators.cells import (
    OUTCOME_TEXT,
    Atom,
    Cell,
    atoms_of,
    group_cells,
    repeated_units,
    segmentations,
)
from malbas.etl.parse.indicators.kinds import AtomKind, RowPeriod, Stage, ValueKind

# ---------------------------------------------------------------- column assignment


@dataclass(slots=True)
class _Reading:
    cells: dict[str, Cell]
    score: float
    note: str | None = None


def spaced_slots(cells: list[Cell], period_gap: int) -> list[Cell | None]:
    slots: list[Cell | None] = []
    for k, c in enumerate(cells):
        empties = c.gap if k == 0 else max(c.gap - 1, 0)
        slots.extend([None] * empties)
        slots.append(c)
    if not cells:
        slots.extend([None] * period_gap)
    slots.extend([None] * max(period_gap - 1, 0))
    return slots


def _gender_score(cols: dict[str, Cell], ctx: RowContext) -> float:
    """Evidence from the gender cells beside the total: they add up to it (counts), bracket it (shares), or one
    sex's share is its complement."""
    u, m, k = (cols.get(c) for c in ("utfall", "utfall_man", "utfall_kvinnor"))
    if u is None or u.number is None:
        return W.GENDER_ONE_SIDED if (m is None) != (k is None) else 0.0
    if m is not None and k is not None and m.number is not None and k.number is not None:
        return _both_sexes(u.number, m.number, k.number, ctx.kind)
    return _one_sex(u.number, m, k, ctx)


def _both_sexes(total: float, man: float, woman: float, kind: ValueKind) -> float:
    lo, hi = min(man, woman), max(man, woman)
    if kind != ValueKind.SHARE and abs(lo + hi - total) < 0.01 and total >= 1:
        return W.GENDER_SUM
    if kind == ValueKind.COUNT:
        return W.GENDER_COUNT_MISMATCH
    return _share_score(total, lo, hi)


def _share_score(total: float, lo: float, hi: float) -> float:
    """Shares: the total lies between the two sexes' shares (rounded shares leave some slack)."""
    slack = W.ROUNDING_SLACK if lo == int(lo) and hi == int(hi) and total != int(total) else 0.0
    if lo < hi and lo - slack <= total <= hi + slack and total not in (lo, hi):
        return W.GENDER_BRACKET
    if lo == hi and abs(total - lo) <= slack:
        return W.GENDER_ALL_EQUAL
    if lo <= total <= hi:
        return W.GENDER_EQUALS_ONE
    return W.GENDER_OUTSIDE


_GIRLS = re.compile(r"flick|kvinn", re.IGNORECASE)


def _one_sex(total: float, m: Cell | None, k: Cell | None, ctx: RowContext) -> float:
    one = m if m is not None else k
    if one is None:
        return 0.0
    if one.number is not None and ctx.kind != ValueKind.COUNT and abs(total + one.number - 100) <= 2:
        # "Andel flickor" 20,03 with 79,97: the complement is the other sex's share
        girls = _GIRLS.search(ctx.name) is not None
        return W.GENDER_COMPLEMENT + (W.GENDER_COMPLEMENT_RIGHT_SEX if (m is not None) == girls else 0.0)
    return W.GENDER_LONE


def _column_priors(ctx: RowContext) -> dict[str, float]:
    """The prior of a cell in each column, in this row's context."""
    if "prognos" not in ctx.columns:
        u, f, p = W.NO_FORECAST_COLUMN
    else:
        u, f, p = W.STAGE_PRIORS[(ctx.stage, ctx.row_period)]
    return {
        "utfall": u,
        "utfall_man": W.GENDER_CELL,
        "utfall_kvinnor": W.GENDER_CELL,
        "foregaende_utfall": f,
        "prognos": p,
        "arsmal": W.TARGET,
        "kf_arsmal": W.KF_TARGET_UNDER_NAMNDMAL if ctx.namnd else W.KF_TARGET,
    }


def _cell_terms(cell: Cell, weights: dict[str, float]) -> dict[str, float]:
    """A cell's part of a reading's score in each column: the column's prior, corrected for a text cell or a
    wrapped unit. Computed once per cell, not once per placement."""
    if cell.number is not None:
        text_in, text_elsewhere = {}, 0.0
    elif OUTCOME_TEXT.match(cell.text):  # "Ingen mätning" stands where a measured value would
        text_in, text_elsewhere = W.OUTCOME_TEXT_IN, W.OUTCOME_TEXT_ELSEWHERE
    else:
        text_in, text_elsewhere = W.TEXT_IN, W.TEXT_ELSEWHERE
    wrapped = W.WRAPPED_UNIT if cell.wrapped_unit else {}
    return {col: w + text_in.get(col, text_elsewhere) + wrapped.get(col, 0.0) for col, w in weights.items()}


def _forecast_score(cols: dict[str, Cell], ctx: RowContext) -> float:
    """A full-year forecast repeats the target early in the year and the outcome at year end."""
    p = cols.get("prognos")
    if p is None or p.number is None:
        return 0.0
    if ctx.stage == Stage.YEAR_END:
        u = cols.get("utfall")
        return W.FORECAST_IS_OUTCOME if u is not None and u.number == p.number else 0.0
    a = cols.get("arsmal")
    return W.FORECAST_IS_TARGET if a is not None and a.number == p.number else 0.0


@dataclass(slots=True)
class RowContext:
    columns: list[str]
    namnd: bool
    name: str
    stage: Stage = Stage.EARLY
    row_period: RowPeriod = RowPeriod.INTERIM
    kind: ValueKind = ValueKind.UNKNOWN

    @property
    def annual(self) -> bool:
        return self.row_period == RowPeriod.ANNUAL and self.stage != Stage.YEAR_END and "prognos" in self.columns


def _spaced_readings(cells: list[Cell], prior: float, period_gap: int, ctx: RowContext) -> list[_Reading]:
    """Spaced cells fill the columns one by one: a reading only if there are as many slots as columns."""
    slots = spaced_slots(cells, period_gap)
    if len(slots) != len(ctx.columns):
        return []
    cols = {c: x for c, x in zip(ctx.columns, slots, strict=True) if x is not None}
    if any(x.number is None for c, x in cols.items() if c not in ("arsmal", "kf_arsmal")):
        prior += W.SPACED_TEXT_IN_VALUE_COLUMN
    return [_Reading(cols, prior + _magnitude(cells))]


# Placements scoring this far below the best cannot change the outcome: _doubt only looks at rivals within the
# widest margin (MARGIN_REPEATED) or alternatives within ALTERNATIVE, so they are never built.
_REACH = max(W.MARGIN, W.MARGIN_REPEATED, W.ALTERNATIVE)
# The most the evidence can add to a placement's column terms: gender cells only weigh in when a gender column is
# filled, the forecast only when the forecast column is; magnitudes only take away (OFF_MAGNITUDE < 0).
_GENDER_MAX = max(
    0.0,
    W.GENDER_SUM,
    W.GENDER_COUNT_MISMATCH,
    W.GENDER_BRACKET,
    W.GENDER_ALL_EQUAL,
    W.GENDER_EQUALS_ONE,
    W.GENDER_OUTSIDE,
    W.GENDER_ONE_SIDED,
    W.GENDER_COMPLEMENT + max(W.GENDER_COMPLEMENT_RIGHT_SEX, 0.0),
    W.GENDER_LONE,
)
_FORECAST_MAX = max(0.0, W.FORECAST_IS_OUTCOME, W.FORECAST_IS_TARGET)


@functools.cache
def _choices(columns: tuple[str, ...], n: int) -> tuple[tuple[tuple[str, ...], float], ...]:
    """Every choice of n of the columns, in order, with the most evidence can add to a placement in them. The same
    for every row of a table: computed once."""
    out = []
    for chosen in itertools.combinations(columns, n):
        gender = _GENDER_MAX if "utfall_man" in chosen or "utfall_kvinnor" in chosen else 0.0
        forecast = _FORECAST_MAX if "prognos" in chosen else 0.0
        out.append((chosen, gender + forecast + max(0.0, W.OFF_MAGNITUDE) * n))
    return tuple(out)


class _Segment(NamedTuple):
    """One reading of the thousands separators: its cells, their column terms, its prior."""

    cells: list[Cell]
    terms: list[dict[str, float]]
    prior: float
    magnitudes: dict[int, float]  # by the position of the cell in the KF target column (-1: none), as needed


def _invisible_readings(segments: list[tuple[list[Cell], float]], ctx: RowContext) -> list[_Reading]:
    """Cells whose empty neighbours left no trace: every choice of as many columns, in order, for every segment.
    Placements are scored from their upper bound down (the column terms plus the most evidence can add) and the
    search stops once no bound reaches within _REACH of the best, so only the readings that matter are weighed
    and built. The weights are multiples of 1/4: the sums are exact in any order, so the scores are the same."""
    weights = _column_priors(ctx)
    candidates: list[tuple[float, int, tuple[str, ...]]] = []  # (bound, segment, columns), in reading order
    segs: list[_Segment] = []
    for cells, prior in segments:
        if len(cells) > len(ctx.columns):
            continue
        terms = [_cell_terms(cell, weights) for cell in cells]
        seg = _Segment(cells, terms, prior, {})
        candidates += (
            (prior + evidence + sum(map(dict.__getitem__, terms, chosen)), len(segs), chosen)
            for chosen, evidence in _choices(tuple(ctx.columns), len(cells))
        )
        segs.append(seg)
    best = -math.inf
    scored: list[tuple[int, float, dict[str, Cell]]] = []
    for k in sorted(range(len(candidates)), key=lambda k: -candidates[k][0]):
        bound, n, chosen = candidates[k]
        if bound <= best - _REACH:
            break
        cols, score = _placement(segs[n], chosen, ctx)
        best = max(best, score)
        scored.append((k, score, cols))
    scored.sort(key=lambda x: x[0])
    return [_Reading(cols, score) for _, score, cols in scored if score > best - _REACH]


def _placement(seg: _Segment, chosen: tuple[str, ...], ctx: RowContext) -> tuple[dict[str, Cell], float]:
    """The segment's cells in the chosen columns, and the placement's score."""
    cols = dict(zip(chosen, seg.cells, strict=True))
    # the city-wide KF target may dwarf the district's values ('30 35 st 4 500 st'): not in the check
    kf = chosen.index("kf_arsmal") if "kf_arsmal" in cols else -1
    if kf not in seg.magnitudes:
        seg.magnitudes[kf] = _magnitude([x for k, x in enumerate(seg.cells) if k != kf])
    s = sum(map(dict.__getitem__, seg.terms, chosen)) + _gender_score(cols, ctx) + _forecast_score(cols, ctx)
    return cols, seg.prior + seg.magnitudes[kf] + s


def _invisible_doubt(readings: list[_Reading], best: _Reading, ctx: RowContext) -> str | None:
    """Why a reading of invisible empty cells may be wrong: a close rival placement, another grouping of the
    digits, or a unit that may close one number."""
    ncols = len(ctx.columns)
    if len(best.cells) < ncols:
        filled = [c for c in ctx.columns if c in best.cells]
        if _alternatives(readings, best) and not ctx.annual and len(filled) < ncols - 1:
            return "empty cells leave no trace; columns inferred"
    if other := _other_grouping(readings, best):
        return f"spaces may be thousands separators; the other reading: {_describe(other)}"
    if pair := _unit_on_a_split_tail(list(best.cells.values())):
        return f"'{pair}' may be one number with a thousands space; cells inferred"
    return None


def _doubt(readings: list[_Reading], atoms: list[Atom], spaced: bool, ctx: RowContext) -> str | None:
    """Why the best reading (the first) may be wrong, or None."""
    best = readings[0]
    rival = next((r for r in readings[1:] if _differs(r, best)), None)
    if rival is not None and best.score - rival.score < (W.MARGIN_SPACED if spaced else _margin(best)):
        return "ambiguous columns; the other reading: " + _describe(rival)
    if not spaced and (note := _invisible_doubt(readings, best, ctx)):
        return note
    if cut := _split_at_wrap(atoms, best):
        return f"a line break between '{cut[0]}' and '{cut[1]}' may fall inside one number; cells inferred"
    return None


def place_cells(text: str, breaks: set[int], period_gap: int, spaced: bool, ctx: RowContext) -> _Reading | None:
    """The likeliest placement of a row's value text in the table's columns, with a note when it may be wrong."""
    atoms = atoms_of(text, breaks)
    repeated_units(atoms)
    segments = segmentations(group_cells(atoms, spaced))
    if spaced:
        readings = [r for cells, prior in segments for r in _spaced_readings(cells, prior, period_gap, ctx)]
    else:
        readings = _invisible_readings(segments, ctx)
    if not readings:
        return None
    readings.sort(key=lambda r: -r.score)
    best = readings[0]
    best.note = _doubt(readings, atoms, spaced, ctx)
    return best


def _other_grouping(readings: list[_Reading], best: _Reading) -> _Reading | None:
    """A close reading that groups the digits into other numbers ('82 404' one cell or two), if any."""
    close = (r for r in readings[1:] if best.score - r.score < W.ALTERNATIVE)
    return next((r for r in close if len(r.cells) != len(best.cells)), None)


def _split_at_wrap(atoms: list[Atom], best: _Reading) -> tuple[str, str] | None:
    """A wrapped line that ends in a number of up to three digits, continued by a three-digit one ('239' / '382'),
    may be a narrow cell wrapping '239 382' at its thousands space: if the reading kept them apart, it guessed.
    A line that ends in a decimal number continued by bare digits may be one number cut mid-word."""
    texts = [c.text for c in best.cells.values()]
    for a, b in itertools.pairwise(atoms):
        if not (b.wrapped and a.kind == b.kind == AtomKind.NUM):
            continue
        if _HEAD.fullmatch(a.text) and _TAIL.fullmatch(b.text) and not any(f"{a.text} {b.text}" in t for t in texts):
            return a.text, b.text
        if _DECIMAL.fullmatch(a.text) and b.text.isdigit():
            return a.text, b.text  # '-20,0' / '3 ‰': the decimals of '-20,03' may go on
    return None


_HEAD = re.compile(r"[+\-−–]?\d{1,3}")
_TAIL = re.compile(r"\d{3}(?:,\d+)?")
_DECIMAL = re.compile(r"[+\-−–]?\d+,\d+")


def _unit_on_a_split_tail(cells: list[Cell]) -> str | None:
    """'251 100 kr 266 600 kr' read as four cells: a unit on a three-digit cell that directly follows a bare number
    ('251', '100 kr') may as well close one number with a thousands space (a share never reaches thousands, so
    not '100 100 %'). Returns the first such pair."""
    pairs = [
        f"{a.text} {b.text}"
        for a, b in itertools.pairwise(cells)
        if a.unit is None
        and a.number is not None
        and _HEAD.fullmatch(a.text)
        and b.unit not in (None, "%", "‰")
        and b.gap == 1
        and _TAIL.fullmatch(b.text.split(" ")[0])
    ]
    return pairs[0] if pairs else None


def _margin(best: _Reading) -> float:
    """Score lead a reading needs to count as certain. Three or more equal values ('100 % 100 % 100 %') void the
    arithmetic checks (gender shares, forecast = outcome), so only priors would decide: ask for a wider lead."""
    nums = [c.number for c in best.cells.values() if c.number is not None]
    repeated = max((nums.count(x) for x in nums), default=0)
    return W.MARGIN_REPEATED if repeated >= 3 else W.MARGIN


def _differs(a: _Reading, b: _Reading) -> bool:
    """Whether two readings put other texts in the columns."""
    if a.cells.keys() != b.cells.keys():
        return True
    return any(cell.text != b.cells[col].text for col, cell in a.cells.items())


def _alternatives(readings: list[_Reading], best: _Reading) -> bool:
    return any(best.score - r.score < W.ALTERNATIVE and _differs(r, best) for r in readings[1:])


def _describe(r: _Reading) -> str:
    return ", ".join(f"{k}={v.text}" for k, v in r.cells.items())


def _magnitude(cells: list[Cell]) -> float:
    """Penalty for a number far off the others ('137 123' read as 137 123 next to 139 and 75)."""
    vals = [abs(c.number) for c in cells if c.number]
    if len(vals) < 3:
        return 0.0
    logs = sorted(math.log10(v) for v in vals)
    med = logs[len(logs) // 2]
    return W.OFF_MAGNITUDE * sum(1 for x in logs if abs(x - med) > 2.0)
