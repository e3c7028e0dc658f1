"""Which way an indicator is better, on evidence.

Targets carry no direction in the reports, so it is read from what the reports do say, in this order:

1. the row's own text cells: "Max 10 personer", "högst …", "under 5 %" (lower is better), "minst …", "öka"
   (higher), "+/- 1 %" (a band around zero);
2. the reference table of the city's KF indicators (kf_indikatorer.csv), each entry with the report wording
   that decides it;
3. name rules: words that name something unwanted ("sjukfrånvaro", "ekonomiskt bistånd", "illa behandlade")
   or wanted ("nöjda", "trygga", "fullföljer").

When nothing decides, the direction is None with the reason; a verdict is then never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from malbas.etl.enrich.kf_reference import lookup
from malbas.etl.parse.numbers import parse_number_in_text
from malbas.vocabulary import Riktning

_NUMBER = r"(-?\d[\d\s]*(?:,\d+)?)"
_CEILING = re.compile(rf"^\s*(max(?:imalt)?|högst|under|mindre än|inte över|lägre än)\s*{_NUMBER}?", re.IGNORECASE)
_FLOOR = re.compile(rf"^\s*(minst|lägst|över|mer än|högre än)\s*{_NUMBER}?", re.IGNORECASE)
_INCREASE = re.compile(r"^\s*(öka|ökning|höja|högre)\b", re.IGNORECASE)
_DECREASE = re.compile(r"^\s*(minska|minskning|sänka|lägre)\b", re.IGNORECASE)
_BAND = re.compile(rf"^\s*\+\s*/\s*-\s*{_NUMBER}", re.IGNORECASE)

_COLUMN_NAMES = {"arsmal": "årsmål", "kf_arsmal": "KF:s årsmål"}

# Names that measure something unwanted. The share on ekonomiskt bistånd itself, not outcomes of people on it
# ("… som fått arbete (ekonomiskt bistånd)", "barnfamiljer med ekonomiskt bistånd som har en bostad …").
_UNWANTED = re.compile(
    r"^andel [^()]{0,80}?\b(som (har|lever i familjer som har|uppbär)|med) (långvarigt )?ekonomiskt bistånd"
    r"( i förhållande till .*| jämfört med .*)?$"
    r"|sjukfrånvaro|korttidsfrånvaro|väntetid|klimatpåverkan|köpt energi|energianvändning|utsläpp"
    r"|illa behandlad|kränk|skadegörelse|klotter|vräkning|hemlöshet|personalomsättning|olika personal"
    r"|(?<!inte )använder (alkohol|narkotika|tobak)|upplever otrygghet|ordningsproblem|^oro för"
    r"|inte är självförsörjande|återaktualiser|åter blir föremål",
    re.IGNORECASE,
)
# Names that measure something wanted.
_WANTED = re.compile(
    r"nöjd|trygg|förtroende|uppmuntra|delaktig|klarar|fullföljer|genomfört|genomgått|relevant grundutbildning"
    r"|motiverade|samtycke|återkopplats|tackar ja|inte upplever diskriminering|goda möjligheter|trevlig stund"
    r"|budget i balans|tar del av|besöker|erbjudande|förstahandskontrakt|samma personer|har ökat"
    r"|\bami\b|preventionsindex|kända av socialtjänsten",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Direction:
    """Which way is better for one indicator row, and the evidence."""

    riktning: Riktning | None
    grund: str
    band: float | None = None  # "+/- 1 %": the target is |value| <= band


def _text_cell_direction(text_cells: Mapping[str, str]) -> Direction | None:
    for column in ("arsmal", "kf_arsmal"):
        cell = text_cells.get(column)
        if not cell:
            continue
        where = f"{_COLUMN_NAMES[column]} '{cell}'"
        if m := _BAND.match(cell):
            band = parse_number_in_text(m.group(1))
            if band is not None:
                return Direction(None, f"intervall ({where})", abs(band))
        if _CEILING.match(cell) or _DECREASE.match(cell):
            return Direction(Riktning.LAGRE, f"lägre är bättre ({where})")
        if _FLOOR.match(cell) or _INCREASE.match(cell):
            return Direction(Riktning.HOGRE, f"högre är bättre ({where})")
    return None


def _name_direction(name: str) -> Direction:
    unwanted, wanted = _UNWANTED.search(name), _WANTED.search(name)
    if unwanted and not wanted:
        return Direction(Riktning.LAGRE, f"lägre är bättre (namnet: '{unwanted.group(0)}')")
    if wanted and not unwanted:
        return Direction(Riktning.HOGRE, f"högre är bättre (namnet: '{wanted.group(0)}')")
    if wanted and unwanted:
        return Direction(None, "riktning okänd: namnet talar åt båda hållen")
    return Direction(None, "riktning okänd: varken textceller, KF-referensen eller namnet avgör")


def direction_of(name: str, text_cells: Mapping[str, str] | None = None) -> Direction:
    """The direction of an indicator row with its evidence: text cells, then the KF reference, then the name."""
    found = _text_cell_direction(text_cells or {})
    if found is not None:
        return found
    reference = lookup(name)
    if reference is not None:
        entry, _ = reference
        if entry.riktning is not None:
            word = "högre" if entry.riktning == Riktning.HOGRE else "lägre"
            return Direction(entry.riktning, f"{word} är bättre (KF-referens: {entry.belagg})")
        return Direction(None, f"riktning okänd (KF-referens: {entry.belagg})")
    return _name_direction(name)


def direction(name: str, text_cells: Mapping[str, str] | None = None) -> Riktning | None:
    return direction_of(name, text_cells).riktning
