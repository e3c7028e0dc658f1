"""The kinds the layout indicator reader tells apart."""

from __future__ import annotations

from enum import StrEnum


class AtomKind(StrEnum):
    """A piece of a row's value text."""

    NUM = "num"  # a number ('12', '-3,5')
    UNIT = "unit"  # a unit ('%', 'st', 'kr/invånare', or a word printed after two or more of the row's numbers)
    PM = "pm"  # '+/-' or '±' before a tolerance
    WORD = "word"  # anything else: a word of a text cell


class ItemKind(StrEnum):
    """A piece of a table's body."""

    BLOCK = "block"  # a run of non-blank lines: a row's name and values, or a part of them
    HEADER = "header"  # the table's header repeated (after a page break)
    NOISE = "noise"  # a page head or foot
    ANALYS = "analys"  # a row's 'Analys' comment
    END = "end"  # what ends the table (a goal marker, another table, a goal-level Analys)


class Stage(StrEnum):
    """How far the report's year has run, from its period cells."""

    EARLY = "early"  # T1: annual outcomes are not yet measured, the forecast equals the target
    LATE = "late"  # T2, or nothing tells: annual rows may or may not have their outcome
    LATE_MEASURED = "late_measured"  # late, and the report's gender-split annual rows show outcomes are in
    YEAR_END = "year_end"  # VB: every indicator has its outcome


class RowPeriod(StrEnum):
    """What a row's period cell covers."""

    INTERIM = "interim"  # a part of the year ('Tertial 1 2020', 'VB 2020')
    ANNUAL = "annual"  # a whole-year label ('2020', 'Helår 2020')


class ValueKind(StrEnum):
    """How a row's gender cells relate to its total."""

    SHARE = "share"  # percentages: the gender shares bracket the total
    COUNT = "count"  # counts: men + women = total
    UNKNOWN = "unknown"
