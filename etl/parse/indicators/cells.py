"""The value text of a layout indicator row read into cells: atoms (numbers, units, words), cells grouped from
them, and every way to read its thousands separators."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass

from malbas.etl.parse.indicators import weights as W
from malbas.etl.parse.indicators.kinds import AtomKind
from malbas.etl.parse.numbers import CLIMATE_UNIT, normalise_unit, parse_number

# ---------------------------------------------------------------- period cells

YEAR = r"(?:19|20)\d\d"
YEAR_RE = re.compile(YEAR)
# Interim periods (tertial, quarter, half year) and whole-year labels; "T2 2020", "Kvartal 3 2021", "Helår 2020".
PERIOD_WORD = r"(?:Tertial\s*\d|T\d|Kvartal\s*\d|Q\d|Halvår\s*\d?|Delår\s*\d?|Helår|År|VB|VP|Bokslut)"
_WHOLE_YEAR = re.compile(rf"(?:(?:Helår|År|VB|Bokslut)\s+)?{YEAR}")
PERIOD_ONLY = re.compile(rf"^\s*(?:{PERIOD_WORD}\s+)?{YEAR}\s*$")
PERIOD_END = re.compile(rf"(?:^|(?<=\s))((?:{PERIOD_WORD}\s+)?{YEAR})(\s*)$")
PERIODICITY_END = re.compile(r"(?:^|(?<=\s))(Tertial|År|Halvår|Kvartal|Månad)(\s*)$")

# ---------------------------------------------------------------- atoms of a value text

# Units printed in indicator cells. Words that also end names ("48 timmar", "12 månader", "18 år")
# are deliberately absent so that a name is never cut at them.
_UNIT_RE = (
    rf"{CLIMATE_UNIT}|barn/\s*avd\.?|%|‰|st\b\.?|[kMG]Wh\b|tkr\b|mnkr\b"
    r"|kr/\s?[a-zåäö]+\.?|kr\b|poäng\b"  # "kr/invånare", "kr/brukare" before a bare "kr"
)
_ATOM = re.compile(rf"(?P<unit>{_UNIT_RE})|(?P<num>[+\-−–]?\d+(?:[,.]\d+)?(?![\d/-]))|(?P<pm>\+/-|±)|(?P<word>\S+)")
STANDALONE_TEXT = {"öka", "minska", "oförändrat", "bibehålla", "-", "–", "ökning", "minskning"}
# How text cells in value blocks begin ("Tas fram av nämnd", "Ingen mätning", "Mäts ej", "Under 5 %", …).
TEXT_START = re.compile(
    r"^(?:tas\b|öka|minska|fastställ|max\b|min\b|minst\b|högst\b|lägst\b|\+/-|±|ingen\b|inget\b|ej\b|mäts\b"
    r"|saknas|ny\b|nytt\b|uppgift|bibehåll|oförändr|redovisas|följs\b|(?:under|över|ca|cirka)\s+\d)",
    re.IGNORECASE,
)
# Text that replaces a measured value rather than a target.
OUTCOME_TEXT = re.compile(
    r"^(?:ingen (?:mätning|uppgift|data)|inget (?:utfall|resultat)|mäts ej|ej (?:mätt|mätbar)|uppgift saknas|saknas"
    r"|data saknas|n/a|\.\.)",
    re.IGNORECASE,
)
_NUMERIC_TEXT_PREFIX = {"max", "min", "minst", "högst", "under", "över", "ca", "cirka"}


@dataclass(slots=True)
class Atom:
    kind: AtomKind
    text: str
    gap: int  # whitespace characters before the atom
    wrapped: bool = False  # a line break came right before this atom


@dataclass(slots=True)
class Cell:
    text: str
    number: float | None
    unit: str | None
    gap: int
    wrapped_unit: bool = False  # the number ended a line and its unit began the next one


_KIND_OF_GROUP = {kind.value: kind for kind in AtomKind}  # the pattern's group names are the kinds' values


def atoms_of(text: str, breaks: set[int]) -> list[Atom]:
    out: list[Atom] = []
    pos = 0
    ordered = sorted(breaks)
    for m in _ATOM.finditer(text):
        gap = m.start() - pos
        kind = _KIND_OF_GROUP[m.lastgroup or "word"]
        # a break at or after the previous atom's end, up to this atom's start (the first break from pos on)
        k = bisect_left(ordered, pos)
        wrapped = pos > 0 and k < len(ordered) and ordered[k] <= m.start()
        tok = m.group()
        if kind == AtomKind.NUM and tok[0] in "-−–" and out and out[-1].kind == AtomKind.WORD and gap == 0:
            kind = AtomKind.WORD
        out.append(Atom(kind, tok, gap, wrapped))
        pos = m.end()
    return out


def first_atom_kind(text: str) -> AtomKind | None:
    """The kind of a value text's first atom (atoms_of(text)[0].kind), None for a blank text."""
    m = _ATOM.search(text)
    return None if m is None else _KIND_OF_GROUP[m.lastgroup or "word"]


_UNIT_WORD = re.compile(r"[a-zåäö]{2,12}\.?", re.IGNORECASE)


def repeated_units(atoms: list[Atom]) -> None:
    """A word printed after two or more of a row's numbers is the row's unit ('12 dagar 14 dagar', 'personer'):
    an indicator's unit is free text in the planning system, so no list of units can be complete. A word after
    one number only stays a word: names end in '48 timmar' and text cells read 'Max 10 personer'."""
    after: dict[str, list[int]] = {}
    for k in range(1, len(atoms)):
        if _word_after_number(atoms[k - 1], atoms[k]):
            after.setdefault(atoms[k].text.lower(), []).append(k)
    for word, where in after.items():
        if len(where) >= 2 and word not in STANDALONE_TEXT and not TEXT_START.match(word):
            for k in where:
                atoms[k].kind = AtomKind.UNIT


def _word_after_number(prev: Atom, a: Atom) -> bool:
    return (
        a.kind == AtomKind.WORD
        and prev.kind == AtomKind.NUM
        and a.gap <= 1
        and _UNIT_WORD.fullmatch(a.text) is not None
    )


def _is_year(a: Atom) -> bool:
    return a.kind == AtomKind.NUM and YEAR_RE.fullmatch(a.text) is not None


def group_cells(atoms: list[Atom], spaced: bool) -> list[list[Atom]]:
    """Group atoms into cells. Units attach to the number before them; words form text cells that may
    embed numbers ("Max 10 personer", "Fastställs 2020", "+/-1 %", "2 % energieffektivisering …")."""
    cells: list[list[Atom]] = []
    i = 0
    n = len(atoms)
    while i < n:
        a = atoms[i]
        if a.kind == AtomKind.UNIT:
            if cells:
                cells[-1].append(a)
            else:
                cells.append([a])
            i += 1
            continue
        if a.kind == AtomKind.NUM:
            cell = [a]
            i += 1
            while i < n and atoms[i].kind == AtomKind.UNIT:
                cell.append(atoms[i])
                i += 1
            # "2 % energieffektivisering relativt 2018": a number glued to a lower-case description
            if (
                i < n
                and atoms[i].kind == AtomKind.WORD
                and atoms[i].gap <= 1
                and atoms[i].text[:1].islower()
                and atoms[i].text.lower() not in STANDALONE_TEXT
            ):
                i = _extend_text(atoms, i, cell, spaced)
            cells.append(cell)
            continue
        # text cell
        cell = [a]
        i += 1
        if a.kind == AtomKind.PM or a.text.lower() in _NUMERIC_TEXT_PREFIX:
            while i < n and atoms[i].kind in (AtomKind.NUM, AtomKind.UNIT) and atoms[i].gap <= 1:
                cell.append(atoms[i])
                i += 1
                if cell[-1].kind == AtomKind.UNIT:
                    break
        if a.text.lower() in STANDALONE_TEXT:
            cells.append(cell)
            continue
        i = _extend_text(atoms, i, cell, spaced)
        cells.append(cell)
    return cells


def _number_in_text(atoms: list[Atom], i: int) -> int:
    """A number (with its units) between words of a text cell ('Max 10 personer'): how many atoms it takes."""
    j = i + 1
    while j < len(atoms) and atoms[j].kind == AtomKind.UNIT:
        j += 1
    if j < len(atoms) and atoms[j].kind == AtomKind.WORD and atoms[j].text.lower() not in STANDALONE_TEXT:
        return j - i
    return 0


def _text_step(atoms: list[Atom], i: int, cell: list[Atom], spaced: bool) -> int:
    """How many atoms from i continue the text cell (0: it ends before atom i)."""
    a = atoms[i]
    after = atoms[i + 1].kind if i + 1 < len(atoms) else None
    if a.kind == AtomKind.WORD and a.text.lower() not in STANDALONE_TEXT and (a.gap <= 1 or not spaced):
        # 'Tas fram …', 'Fastställs …', 'Max …' after a value start a text cell of their own
        starts_cell = a.text in ("Tas", "Fastställs", "Max") and cell[-1].kind != AtomKind.WORD
        return 0 if starts_cell else 1
    if a.kind == AtomKind.NUM and _is_year(a) and after in (None, AtomKind.WORD):
        return 1  # "Fastställs 2020", "relativt 2018" (the gap may be a wrap artefact)
    if a.kind == AtomKind.NUM and a.gap <= 1 and after in (AtomKind.WORD, AtomKind.UNIT):
        return _number_in_text(atoms, i)
    return 0


def _extend_text(atoms: list[Atom], i: int, cell: list[Atom], spaced: bool) -> int:
    """Absorb the words (and numbers between words, or a trailing year) that continue a text cell."""
    while i < len(atoms) and (step := _text_step(atoms, i, cell, spaced)):
        cell.extend(atoms[i : i + step])
        i += step
    return i


def _cell_from_atoms(group: list[Atom]) -> Cell:
    text = ""
    for k, a in enumerate(group):
        text += ("" if k == 0 or a.gap == 0 else " ") + a.text
    gap = group[0].gap
    if all(a.kind in (AtomKind.NUM, AtomKind.UNIT) for a in group) and group[0].kind == AtomKind.NUM:
        nums = [a for a in group if a.kind == AtomKind.NUM]
        units = [a for a in group if a.kind == AtomKind.UNIT]
        if len(nums) == 1:
            unit = normalise_unit(units[-1].text) if units else None
            wrapped = bool(units) and units[0].wrapped
            return Cell(text, parse_number(nums[0].text), unit, gap, wrapped)
    return Cell(text, None, None, gap)


_GROUP_HEAD = re.compile(r"[+\-−–]?\d{1,3}")  # a number's first thousands group …
_GROUP_TAIL = re.compile(r"\d{3}(?:,\d+)?")  # … and the next
_LEADING_ZERO = re.compile(r"^[+\-−–]?0\d")


def _merge_options(groups: list[list[Atom]]) -> list[int]:
    """Indexes k where groups[k] and groups[k+1] could be one number with a thousands separator."""
    out = []
    for k in range(len(groups) - 1):
        a, b = groups[k], groups[k + 1]
        if len(a) != 1 or a[0].kind != AtomKind.NUM or b[0].kind != AtomKind.NUM or b[0].gap != 1:
            continue
        if not _GROUP_HEAD.fullmatch(a[0].text):
            continue
        if not _GROUP_TAIL.fullmatch(b[0].text):
            continue
        if any(x.kind == AtomKind.WORD for x in b):
            continue
        out.append(k)
    return out


def _merged(groups: list[list[Atom]], chosen: tuple[int, ...]) -> list[list[Atom]]:
    """The groups with each chosen one joined to the next by a thousands space."""
    merged: list[list[Atom]] = []
    for k, g in enumerate(groups):
        if k - 1 in chosen:
            left = merged[-1][0]
            merged[-1] = [Atom(AtomKind.NUM, f"{left.text} {g[0].text}", left.gap, left.wrapped)] + g[1:]
        else:
            merged.append(list(g))
    return merged


def segmentations(groups: list[list[Atom]]) -> list[tuple[list[Cell], float]]:
    """Every way to read thousands separators: (cells, prior score of the merges chosen)."""
    opts = _merge_options(groups)
    results = []
    for r in range(len(opts) + 1):
        for chosen in itertools.combinations(opts, r):
            cells = [_cell_from_atoms(g) for g in _merged(groups, chosen)]
            if any(_bad_number(c) for c in cells):
                continue
            prior = sum(W.MERGE_PRIOR[len(groups[k][0].text.lstrip("+-−–"))] for k in chosen)
            results.append((cells, prior))
    return results or [([_cell_from_atoms(g) for g in groups], 0.0)]


def _bad_number(c: Cell) -> bool:
    """A cell that cannot stand alone: '000', '050 st' (the tail of a thousands group)."""
    return c.number is not None and _LEADING_ZERO.match(c.text) is not None
