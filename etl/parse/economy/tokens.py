"""A layout economy row's values as printed: the tail of value tokens that ends a line, and every way to read it.

A space is both the thousands separator and the cell separator ('30 060 1 503 549 -549 0'), so a row's value
tail is read in two steps: tokens become items (a gap, a text cell, an unread atom), then each reading groups
atom runs into amounts ('1 503 549' -> 1 503 | 549, or 1 503 549).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from malbas.etl.parse.economy.model import TEXT_CELL_RE
from malbas.etl.parse.economy.settings import ROWS
from malbas.etl.parse.numbers import parse_amount
from malbas.etl.parse.text import line_cache

_SINGLE_RE = re.compile(r"^[-−–+]?(?:0|[1-9]\d*)(?:[,.]\d+)?%?$")
_START_RE = re.compile(r"^[-−–+]?[1-9]\d{0,2}$")
_CONT_RE = re.compile(r"^\d{3}$")
_CONT_LAST_RE = re.compile(r"^\d{3}[,.]\d+%?$")
_VALUE_TOKEN_RE = re.compile(r"^[-−–+]?\d+(?:[,.]\d+)?\*?%?$|^%$")
YEAR_RE = re.compile(r"^(19|20)\d\d$")
_BROKEN_DECIMAL_RE = re.compile(r"^\d+,$")  # '1258,': a number broken after its decimal comma
_TOKEN_RE = re.compile(r"\S+")
_DECIMAL_RE = re.compile(r"\d[,.]\d")
EMPTY_CELLS_AFTER = re.compile(r"\S {2,}$")  # 'Centrala medel     ': a label followed by empty cells


@dataclass(frozen=True, slots=True)
class Gap:
    """An empty cell, marked by a run of spaces."""


@dataclass(frozen=True, slots=True)
class Word:
    """A text cell (ja/nej)."""

    text: str


@dataclass(frozen=True, slots=True)
class Atom:
    """A space-separated run of digits, not yet known to be a whole number or part of one."""

    text: str


@dataclass(frozen=True, slots=True)
class Amount:
    """A number as read: value, the text it was read from, whether it was a percentage."""

    value: float
    raw: str
    percent: bool


Item = Gap | Word | Atom
Reading = list[Gap | Word | Amount]
EMPTY = Gap()


def _value_token(tok: str, last: bool) -> bool:
    tok = tok.replace("*", "") if tok.endswith("*") else tok
    return bool(_VALUE_TOKEN_RE.match(tok) or TEXT_CELL_RE.match(tok) or (last and _BROKEN_DECIMAL_RE.match(tok)))


@line_cache
def split_tail(raw: str) -> tuple[str, str, int]:
    """(label, tail, index of the tail in raw). The tail is the run of value tokens ending the line."""
    toks = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(raw)]
    k = len(toks)
    while k > 0 and _value_token(toks[k - 1][1], k == len(toks)):
        k -= 1
    while k < len(toks) and (TEXT_CELL_RE.match(toks[k][1]) or toks[k][1] == "%"):
        k += 1  # a tail starts with a number
    if k == len(toks):
        return raw, "", len(raw)
    start = toks[k][0]
    return raw[:start], raw[start:], start


@line_cache
def is_data_line(raw: str) -> bool:
    label, tail, _ = split_tail(raw)
    if not tail:
        return False
    toks = tail.split()
    if not label.strip():
        return True
    if any(_DECIMAL_RE.search(t) for t in toks):
        return True
    nums = [t for t in toks if not TEXT_CELL_RE.match(t) and t != "%"]
    return len(nums) >= 2 and not all(YEAR_RE.match(t) for t in nums)


def is_value_only(raw: str) -> bool:
    """A line holding only values ('32,2 21,1 11,1'): the values of the label above it."""
    label, tail, _ = split_tail(raw)
    return bool(tail) and not label.strip()


def value_items(tail: str, lead_empty: int) -> list[Item]:
    items: list[Item] = [EMPTY] * max(lead_empty, 0)
    for tok in tail.rstrip().split(" "):
        last = items[-1] if items else None
        if tok == "":
            items.append(EMPTY)
        elif tok == "%" and isinstance(last, Atom):
            items[-1] = Atom(last.text + "%")
        elif TEXT_CELL_RE.match(tok):
            items.append(Word(tok))
        else:
            items.append(Atom(tok))
    return items


def _groupings(atoms: Sequence[str]) -> tuple[tuple[Amount, ...], ...]:
    """Every way to read space-separated atoms as numbers ('1 503 549' -> [1503549], [1503, 549], …).
    Longest joins come first, so the conventional reading wins ties."""
    return _groupings_of(tuple(atoms))


@line_cache
def _groupings_of(atoms: tuple[str, ...]) -> tuple[tuple[Amount, ...], ...]:
    # kept per run of atoms: a row's tail is read with and without its empty cells, and again when its table is
    # read anew (a header giving back a block, a table continued after a page break)
    n = len(atoms)
    memo: dict[int, list[list[Amount]]] = {}

    def rec(i: int) -> list[list[Amount]]:
        if i == n:
            return [[]]
        if i in memo:
            return memo[i]
        out: list[list[Amount]] = []
        a = atoms[i].replace("*", "")
        if _START_RE.match(a):
            ends = []
            j = i + 1
            while j < n:
                nxt = atoms[j].replace("*", "")
                if _CONT_RE.match(nxt):
                    ends.append(j)
                elif _CONT_LAST_RE.match(nxt):
                    ends.append(j)
                    break
                else:
                    break
                j += 1
            for j in reversed(ends):
                raw = " ".join(atoms[i : j + 1])
                val = parse_amount(raw)
                if val is not None:
                    for rest in rec(j + 1):
                        out.append([Amount(val[0], raw, val[1]), *rest])
        if _SINGLE_RE.match(a):
            val = parse_amount(atoms[i])
            if val is not None:
                for rest in rec(i + 1):
                    out.append([Amount(val[0], atoms[i], val[1]), *rest])
        memo[i] = out
        return out

    return tuple(tuple(r) for r in rec(0))


def readings(items: list[Item], keep_empty: bool, limit: int = ROWS.readings) -> Iterator[Reading]:
    """All cell sequences for a row's items: atom runs are grouped, empties and text cells kept."""
    runs: list[Sequence[Sequence[Gap | Word | Amount]]] = []
    cur: list[str] = []
    for it in items:
        if isinstance(it, Atom):
            cur.append(it.text)
            continue
        if cur:
            runs.append(_groupings(cur))
            cur = []
        if isinstance(it, Word) or keep_empty:
            runs.append(((it,),))
    if cur:
        runs.append(_groupings(cur))

    def rec(k: int, acc: Reading) -> Iterator[Reading]:
        if k == len(runs):
            yield acc
            return
        for option in runs[k]:
            yield from rec(k + 1, [*acc, *option])

    for count, r in enumerate(rec(0, []), start=1):
        yield r
        if count >= limit:
            return
