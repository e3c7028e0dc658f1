"""Typed records the parser produces. Plain data: no database, no I/O.

Field names follow the export contract of `malbas parse --json` (Swedish domain words in ASCII).
Every record carries `rad`, the 1-based line in the input file where the item starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from malbas.vocabulary import Bedomning, Kon, KvalitetTyp, Niva, Rapporttyp, Textform

# Value columns of an indicator row, in report order. Every indicator parser maps cells onto these.
INDICATOR_VALUE_COLUMNS = (
    "utfall",
    "utfall_man",
    "utfall_kvinnor",
    "foregaende_utfall",
    "prognos",
    "arsmal",
    "kf_arsmal",
)


@dataclass(slots=True)
class Document:
    namnd: str | None
    rapporttyp: Rapporttyp
    ar: int
    period: str
    kalla: str
    sha256: str
    textform: Textform
    rad: int = 1


@dataclass(slots=True)
class TextBlock:
    """A headed block of prose: under a goal (Analys, Förväntat resultat, …) or at report level."""

    rubrik: str
    text: str
    rad: int
    typ: str | None = None  # report-level kind: intern_kontroll, covid, agenda2030, kf_uppdrag, …


@dataclass(slots=True)
class Goal:
    niva: Niva
    nummer: str | None
    titel: str
    overordnat: str | None
    bedomning: Bedomning | None
    rad: int
    texter: list[TextBlock] = field(default_factory=list)


@dataclass(slots=True)
class IndicatorRow:
    """One indicator row of a report table.

    Numeric columns are None when the cell is empty or holds text; the text goes in `text`
    under the column name. `celler` keeps each assigned cell's raw text for provenance.
    `osaker` is None when the column assignment is certain, else the reason it is not.
    """

    namn: str
    rad: int
    mal: str | None = None
    kf_indikator: bool = False
    utfall: float | None = None
    utfall_man: float | None = None
    utfall_kvinnor: float | None = None
    foregaende_utfall: float | None = None
    prognos: float | None = None
    arsmal: float | None = None
    kf_arsmal: float | None = None
    enhet: str | None = None
    period: str | None = None  # period label cell ("Tertial 1 2020", "VB 2020", "2020")
    periodicitet: str | None = None  # VP tables: "Tertial" / "År"
    text: dict[str, str] = field(default_factory=dict)
    celler: dict[str, str] = field(default_factory=dict)
    analys: str | None = None
    analys_rad: int | None = None
    osaker: str | None = None
    slut: int | None = None  # last line of the row's cells (before its Analys), for the coverage audit


@dataclass(slots=True)
class Activity:
    namn: str
    rad: int
    mal: str | None = None
    kf_uppdrag: bool = False
    startdatum: date | None = None
    slutdatum: date | None = None
    status: str | None = None  # marker printed before the name: ✓ ! ⓘ …
    avvikelse: bool = False
    avvikelse_text: str | None = None  # the explanation (the row's Analys) when avvikelse is True
    analys: str | None = None  # the row's Analys comment, flagged or not
    analys_rad: int | None = None


@dataclass(slots=True)
class EconomyCell:
    """One numeric cell of an economy table."""

    tabell: str  # the table's heading
    rad_namn: str
    kolumn: str
    varde: float
    enhet: str | None  # mnkr / tkr / % / None
    rad: int  # line of the row's values
    tabell_rad: int | None = None  # line of the table heading
    overordnad_rad: str | None = None  # for varav rows: the label of the row they belong to
    text: str | None = None  # raw cell text


@dataclass(slots=True)
class KeyFigure:
    """One figure of a key-figure table (nyckeltal): neither an indicator nor an economy table."""

    tabell: str  # the table's name (the heading above it)
    rad_namn: str  # the row label as printed
    kolumn: str  # the column label ("2020", "Jan", "Snitt 2020", "Förändring", "Ja delvis")
    varde: float
    enhet: str | None  # "%" where the cell prints it
    kon: Kon | None  # kvinnor / man where the row says so ("Varav kvinnor"), else None
    rad: int  # line of the row's values
    tabell_rad: int  # line of the table's header
    text: str  # the cell as printed


@dataclass(slots=True)
class QualityNote:
    """A data-quality observation about the report itself (sums that do not add up, …)."""

    typ: KvalitetTyp
    meddelande: str
    rad: int | None = None


@dataclass(slots=True)
class RegionCoverage:
    """How many numbers of one table region were accounted for."""

    kind: str  # indikatortabell, aktivitetstabell, ekonomitabell, nyckeltal, tabellrad
    rad: int  # first line of the region
    tal: int
    redovisade: int


@dataclass(slots=True)
class Coverage:
    """The self-audit (etl/parse/audit.py): numbers inside table regions, and how many were accounted for."""

    tal: int = 0
    redovisade: int = 0
    ej_redovisade: list[tuple[int, str]] = field(default_factory=list)  # (line, the line's text) of each miss
    regioner: list[RegionCoverage] = field(default_factory=list)

    @property
    def andel(self) -> float:
        return self.redovisade / self.tal if self.tal else 1.0


@dataclass(slots=True)
class Report:
    """Everything parsed from one report."""

    dokument: Document
    mal: list[Goal] = field(default_factory=list)
    indikatorer: list[IndicatorRow] = field(default_factory=list)
    aktiviteter: list[Activity] = field(default_factory=list)
    ekonomi: list[EconomyCell] = field(default_factory=list)
    nyckeltal: list[KeyFigure] = field(default_factory=list)
    avsnitt: list[TextBlock] = field(default_factory=list)
    kvalitet: list[QualityNote] = field(default_factory=list)
    varningar: list[str] = field(default_factory=list)
    tackning: Coverage = field(default_factory=Coverage)
