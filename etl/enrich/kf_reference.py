"""The reference table of the city's KF indicators (kf_indikatorer.csv, shipped in the package).

One row per KF indicator: its name as the city writes it, which way is better (hogre, lagre, or empty when
the reports do not tell), the wording in the reports that says so (belagg), and other wordings of the same
indicator that are more than a typo apart (alias, separated by "|"). Every KF indicator in the reports is one
of the city-wide list, so its direction is a fact about the indicator, not about a district. New KF
indicators (a new year's budget) are added here as their reports arrive.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from malbas.etl.enrich.identity import Spelling, close_spellings, indicator_key
from malbas.vocabulary import IdentitetGrund, Riktning


@dataclass(frozen=True, slots=True)
class KfIndicator:
    namn: str
    nyckel: str
    riktning: Riktning | None
    belagg: str
    alias: tuple[str, ...]


@cache
def table() -> tuple[KfIndicator, ...]:
    text = files("malbas.etl.enrich").joinpath("kf_indikatorer.csv").read_text(encoding="utf-8")
    return tuple(
        KfIndicator(
            namn=row["namn"].strip(),
            nyckel=indicator_key(row["namn"]),
            riktning=Riktning(row["riktning"]) if row["riktning"] else None,
            belagg=row["belagg"].strip(),
            alias=tuple(a.strip() for a in row["alias"].split("|") if a.strip()),
        )
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _by_key() -> dict[str, tuple[KfIndicator, IdentitetGrund]]:
    out: dict[str, tuple[KfIndicator, IdentitetGrund]] = {}
    for entry in table():
        out[entry.nyckel] = (entry, IdentitetGrund.REFERENS)
        for alias in entry.alias:
            out.setdefault(indicator_key(alias), (entry, IdentitetGrund.ALIAS))
    return out


@cache
def lookup(name: str) -> tuple[KfIndicator, IdentitetGrund] | None:
    """The KF indicator a printed name is: by its key, an alias's key, or a name within typo distance."""
    found = _by_key().get(indicator_key(name))
    if found is not None:
        return found
    spelt = Spelling.of(name)
    for entry, spellings in _spellings_by_length().get(len(spelt.words), ()):
        if any(close_spellings(spelt, spelling) for spelling in spellings):
            return entry, IdentitetGrund.STAVNING
    return None


@cache
def _spellings_by_length() -> dict[int, list[tuple[KfIndicator, list[Spelling]]]]:
    """Per count of words, the entries (in the table's order) with their spellings of that many words: only
    names of as many words can be close."""
    out: dict[int, list[tuple[KfIndicator, list[Spelling]]]] = {}
    for entry in table():
        by_length: dict[int, list[Spelling]] = {}
        for spelling in (entry.namn, *entry.alias):
            read = Spelling.of(spelling)
            by_length.setdefault(len(read.words), []).append(read)
        for n, spellings in by_length.items():
            out.setdefault(n, []).append((entry, spellings))
    return out
