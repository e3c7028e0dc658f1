"""Indicator identity: one key per indicator, the same across reports, districts and spellings.

The reports print one indicator in several spellings: inflected ("socialpsykiatri" / "socialpsykiatrin",
"kärnämnen" / "kärnämnena"), with typos ("Byggvarubedömningen" / "Byggarvbedömningen"), with or without a
final full stop, with different hyphens and spaces. The key is the name's words, each reduced to its stem
(Snowball's Swedish stemmer, then the definite "-n" it leaves), joined by single spaces. That makes
inflection and punctuation variants one indicator without looking at any other name.

Typos need a second name to compare with: a name whose key is not in the reference table of the city's KF
indicators (kf_reference) but lies within a small edit distance of one of its entries takes that entry's key.
Only the reference table is compared with, never the other indicators of the database, so a key never
depends on what was loaded before (the export of `malbas parse --json` shows the key the loader stores).

Two names are only close when they have the same number of words and differ in at most two of them, each by
at most one edit (two in words of 9 letters or more), and never in a word shorter than 5 letters or in a
number: "… inte använder alkohol" / "… narkotika" and "Andel kvinnor med …" / "Andel vuxna med …" stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz.distance import DamerauLevenshtein

from malbas.vocabulary import IdentitetGrund

_WORD = re.compile(r"[0-9a-zåäöéüæø]+")
_VOWEL_N = re.compile(r"(?<=[aeiouyåäö])n$")


@cache
def _stemmer():  # noqa: ANN202 - snowballstemmer has no type hints
    # The Swedish stemmer alone: the package itself imports the stemmers of every language it has.
    from snowballstemmer.swedish_stemmer import SwedishStemmer

    return SwedishStemmer()


def words(name: str) -> list[str]:
    """The name's words, lower case, punctuation dropped ("vård- och" -> ["vård", "och"])."""
    return _WORD.findall(name.lower())


@cache
def stem(word: str) -> str:
    """Snowball's Swedish stem; then a definite -n after a vowel ("socialpsykiatrin") and whatever the stemmer
    leaves after one pass ("kärnämnena" -> "kärnämnen" -> "kärnämn") go too."""
    stemmer = _stemmer()
    current = word
    for _ in range(3):
        nxt = stemmer.stemWord(current)
        if len(current) >= 6:
            nxt = _VOWEL_N.sub("", nxt)
        if nxt == current:
            break
        current = nxt
    return current


def indicator_key(name: str) -> str:
    """The identity key of an indicator name: its stemmed words, space separated."""
    return " ".join(stem(w) for w in words(name))


def _close_word(a: str, b: str) -> bool:
    if a == b or stem(a) == stem(b):
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 5:
        return False
    allowed = 2 if min(len(a), len(b)) >= 9 else 1
    return DamerauLevenshtein.distance(a, b, score_cutoff=allowed) <= allowed


@dataclass(frozen=True, slots=True)
class Spelling:
    """A name's words and their stems, read once for the many names it is compared with."""

    words: tuple[str, ...]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, name: str) -> Spelling:
        found = tuple(words(name))
        return cls(found, tuple(stem(w) for w in found))


def close_spellings(a: Spelling, b: Spelling) -> bool:
    """Whether two names are one indicator spelt differently (a typo, an inflection, punctuation)."""
    if len(a.words) != len(b.words):
        return False
    differing = [(x, y) for x, y, p, q in zip(a.words, b.words, a.stems, b.stems, strict=True) if p != q]
    return len(differing) <= 2 and all(_close_word(x, y) for x, y in differing)


@dataclass(frozen=True, slots=True)
class Identity:
    """Which indicator a printed name is, and why."""

    nyckel: str
    namn: str  # the canonical name: the reference table's for a KF indicator, else as printed
    grund: IdentitetGrund
    kf_referens: bool  # the name is one of the city's KF indicators in the reference table


def identify(name: str) -> Identity:
    """The identity of an indicator name: the reference table's KF indicator it spells (exactly, by an alias
    or within typo distance), else its own key."""
    from malbas.etl.enrich.kf_reference import lookup

    key = indicator_key(name)
    found = lookup(name)
    if found is None:
        return Identity(key, name.strip(), IdentitetGrund.NAMN, False)
    entry, grund = found
    return Identity(entry.nyckel, entry.namn, grund, True)
