"""The domain vocabulary, defined once.

Every closed set of words the product uses (report kinds, goal levels, assessments, kön, deviation kinds …)
is one StrEnum here. The schema's CHECK constraints, the CLI's choices, the parser's records, the JSON export
and the saved queries' parameter checks are all generated from these, so they cannot drift apart.
Values are the stored spellings (Swedish domain words in ASCII).
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum


class Rapporttyp(StrEnum):
    """Report kind: the plan, the two interim follow-ups (April, August) and the annual report."""

    VP = "VP"
    T1 = "T1"
    T2 = "T2"
    VB = "VB"

    @property
    def ordning(self) -> int:
        """Sort order within a year: the plan first, the annual report last."""
        return PERIOD_ORDER[self]

    def startdatum(self, ar: int) -> date:
        return date(ar, PERIOD_MONTHS[self][0], 1)

    def slutdatum(self, ar: int) -> date:
        """The last day of the last month the report covers."""
        last = PERIOD_MONTHS[self][1]
        return date(ar, last, calendar.monthrange(ar, last)[1])


class Textform(StrEnum):
    """How the report text reached the parser."""

    LAYOUT = "layout"  # pdftotext-like: table rows broken over lines, empty cells invisible or spaced
    TABBED = "tabbed"  # markdown-like: one TAB-separated line per table row
    PDF = "pdf"  # a PDF, read by malbas into the tabbed form (`malbas extract` shows that text)


class Niva(StrEnum):
    """Goal level: inriktningsmål → KF:s mål för verksamhetsområdet → nämndmål."""

    INRIKTNINGSMAL = "inriktningsmal"
    VERKSAMHETSOMRADESMAL = "verksamhetsomradesmal"
    NAMNDMAL = "namndmal"

    @property
    def overordnad(self) -> Niva | None:
        """The level a goal of this level sits under (None for an inriktningsmål)."""
        levels = list(Niva)
        i = levels.index(self)
        return levels[i - 1] if i else None


class Bedomning(StrEnum):
    """Goal assessment (Uppfylls helt / delvis / inte)."""

    HELT = "helt"
    DELVIS = "delvis"
    INTE = "inte"


class Kon(StrEnum):
    """Whose outcome: everyone, women/girls, men/boys."""

    TOTALT = "totalt"
    KVINNOR = "kvinnor"
    MAN = "man"


class AvvikelseTyp(StrEnum):
    """What a reported deviation is about."""

    AKTIVITET = "aktivitet"
    INDIKATOR = "indikator"
    MAL = "mal"
    EKONOMI = "ekonomi"


class IndikatorNiva(StrEnum):
    """A city-wide KF indicator or the committee's own."""

    KF = "KF"
    NAMND = "namnd"

    @classmethod
    def of(cls, kf: bool) -> IndikatorNiva:
        return cls.KF if kf else cls.NAMND


class Riktning(StrEnum):
    """Which way an indicator is better."""

    HOGRE = "hogre"
    LAGRE = "lagre"


class IdentitetGrund(StrEnum):
    """How a printed indicator name was matched to its indicator."""

    NAMN = "namn"  # its own key: the stemmed words (inflection and punctuation variants share it)
    REFERENS = "referens"  # the key of a KF indicator in the reference table
    ALIAS = "alias"  # a wording the reference table lists for a KF indicator
    STAVNING = "stavning"  # within typo distance of a reference-table KF indicator


class Storhet(StrEnum):
    """What an economy column holds."""

    BUDGET = "budget"
    UTFALL = "utfall"  # Utfall, Bokslut
    PROGNOS = "prognos"
    AVVIKELSE = "avvikelse"  # Avvikelse, Differens
    PROGNOSAVVIKELSE = "prognosavvikelse"  # "Avvikelse mellan prognos T2 och bokslut": a forecast's miss
    JUSTERING = "justering"  # Budgetjusteringar, Begärda budgetjusteringar
    RESULTAT = "resultat"  # result units: Resultat, Resultatöverföring, Beräknat resultat
    OVRIGT = "ovrigt"


class Matt(StrEnum):
    """Which part of the money an economy column counts."""

    NETTO = "netto"
    KOSTNAD = "kostnad"
    INTAKT = "intakt"
    BRUTTO = "brutto"


class Resultatoverforing(StrEnum):
    """Whether an economy figure is before or after the result units' transfers between years."""

    FORE = "fore"
    EFTER = "efter"


class JamforelseRoll(StrEnum):
    """The part an economy column plays in its table's budget comparison (budget − outcome = deviation)."""

    BUDGET = "budget"
    JAMFORT = "jamfort"  # the outcome (VB) or forecast (T1/T2) compared with the budget
    AVVIKELSE = "avvikelse"


class NamndTyp(StrEnum):
    STADSDELSNAMND = "stadsdelsnamnd"
    FACKNAMND = "facknamnd"

    @classmethod
    def of(cls, namn: str) -> NamndTyp:
        """A district committee names itself "… stadsdelsnämnd"; every other committee is a facknämnd."""
        return cls.STADSDELSNAMND if _DISTRICT_SUFFIX.strip() in namn.lower() else cls.FACKNAMND


_DISTRICT_SUFFIX = " stadsdelsnämnd"


def kortnamn(namn: str) -> str:
    """A committee's short name, its key: 'Skarpnäcks stadsdelsnämnd' -> 'Skarpnäck' (the genitive -s goes, a
    name's own -ss stays); a facknämnd keeps its name."""
    if not namn.endswith(_DISTRICT_SUFFIX):
        return namn
    base = namn[: -len(_DISTRICT_SUFFIX)]
    return base[:-1] if base.endswith("s") and not base.endswith("ss") else base


class KvalitetTyp(StrEnum):
    """Kinds of data-quality note (datakvalitet.typ): what the parser saw that a reader should know."""

    EJ_REDOVISAT = "ej_redovisat"  # a number inside a table that no record accounts for
    INDIKATOR_OSAKER = "indikator_osaker"  # an indicator row whose columns could not be told with certainty
    KOLUMN_OSAKER = "kolumn_osaker"  # an economy row whose values fit more than one placement
    SUMMA_AVVIKER = "summa_avviker"  # a printed total differs from the sum of its rows
    TABELL_AVVIKER = "tabell_avviker"  # a sub-table disagrees with the summary table it details
    ANTAL_AVVIKER = "antal_avviker"  # a count the report states differs from what was read
    IDENTITET_MOTSTRIDIG = "identitet_motstridig"  # evidence for another identity, or a doubtful guess


class LaddningStatus(StrEnum):
    """Outcome of one file in a load run (or of deleting a report)."""

    RUNNING = "running"  # only while the run that wrote it is alive
    LOADED = "loaded"
    SKIPPED = "skipped"
    REPLACED = "replaced"
    FAILED = "failed"
    REFUSED = "refused"  # the plausibility guard kept the loaded version (see etl/load/guard.py)
    INTERRUPTED = "interrupted"  # the run was killed or interrupted before this file was done
    DELETED = "deleted"  # `malbas reports delete` removed the report


# Sort order of the report kinds within a year, and the months each one covers.
PERIOD_ORDER = {Rapporttyp.VP: 0, Rapporttyp.T1: 1, Rapporttyp.T2: 2, Rapporttyp.VB: 3}
PERIOD_MONTHS = {Rapporttyp.VP: (1, 12), Rapporttyp.T1: (1, 4), Rapporttyp.T2: (1, 8), Rapporttyp.VB: (1, 12)}


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


def sql_in(column: str, vocabulary: type[StrEnum]) -> str:
    """A CHECK expression: `column IN ('a', 'b', …)` over the vocabulary's values."""
    return f"{column} IN ({', '.join(repr(v) for v in values(vocabulary))})"
