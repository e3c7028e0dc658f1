"""Swedish numbers, the one place they are read and written: decimal comma, space as thousands separator, a unit
or a percent sign after the number, a minus sign or an en dash before it.

The reports print numbers in three places, and the rules differ where the places do:

- `parse_number` / `parse_cell`: an indicator cell ('1 320,5', '12 st'); thousands grouped by single spaces in
  threes, a decimal comma or point, a unit among those the reports print.
- `parse_amount`: an economy cell ('1 766,9', '9,3%', '-6,4*'); a footnote star dropped, a percent sign kept as
  a flag.
- `parse_number_in_text`: a number inside a text cell or a target ('+/- 1 %', 'minst 1 320,5'); the text was cut
  out around the number, so any whitespace in it is ignored, and a point is no decimal sign there.

`swedish` writes a number the same way, for the reasons malbas gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from malbas.etl.parse.text import clean_cell, line_cache

# A climate unit: "kg CO2 per kg livsmedel", "kg CO2e", "ton CO2-ekv", "kg CO2e/invånare". Its words may wrap
# onto the next line under the value ('0,29 kg' / 'CO2e'): the joined cell text reads as one unit.
CLIMATE_UNIT = r"(?:kg|ton)\s*CO2(?:e|-?ekv\.?)?(?:\s*per\s*kg\s*livsmedel|\s*/\s*[a-zåäö]+\.?)?(?![\wåäö])"
_CLIMATE_PER_KG = re.compile(r"kg\s*CO2\s*per\s*kg\s*livsmedel")

# Units the reports print after a value. Anything else after a number makes the cell text
# ("2 % energieffektivisering relativt 2018" is a target description, not a number).
_UNIT = (
    r"%|st\.?|kr|tkr|mnkr|[kMG]Wh|barn/\s?avd\.?|barn/a\s?vd\.?|"
    rf"{CLIMATE_UNIT}"
    r"|dagar|dygn|timmar|tim|personer|min|år|ggr|poäng|procent|mkr"
)
# The sign class lists its characters: an unescaped "-" between "+" and "−" would be a range of thousands.
_NUMBER = r"[+\-−–]?(?:\d{1,3}(?: \d{3})+|\d+)(?:[,.]\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
_WHITESPACE = re.compile(r"\s+")
_DECIMALS = re.compile(r"[,.](\d+)")
_CELL_RE = re.compile(rf"^\s*({_NUMBER})\s*({_UNIT})?\s*$")
MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})  # minus sign and en dash, as printed before a number
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?: \d{3})+|\d+)(?:[,.]\d+)?$")
_NUMBER_IN_TEXT = re.compile(r"^[+-]?\d+(?:,\d+)?$")


def _float(token: str) -> float:
    """A token already checked to be one number, its thousands spaces and decimal comma as printed."""
    return float(token.replace(" ", "").replace(",", "."))


# A cell withheld for privacy ("<5", "< 10 %"): text that stands where a number would, never a row's name.
_SUPPRESSED = re.compile(r"^\s*<\s?\d")


def is_suppressed(cell: str) -> bool:
    """Whether a cell (or the text from a cell on) starts with a suppressed value such as '<5'."""
    return _SUPPRESSED.match(cell) is not None


@dataclass(frozen=True, slots=True)
class Value:
    """A parsed cell: `number` is None for text cells (then `text` holds the cell)."""

    number: float | None
    unit: str | None
    text: str


@line_cache  # the same cells recur through a report (and in every grouping tried)
def parse_number(token: str) -> float | None:
    """'1 320,5' -> 1320.5; '-1' -> -1.0; anything else -> None."""
    token = token.strip().translate(MINUS_SIGNS)
    if not _NUMBER_RE.fullmatch(token):
        return None
    return _float(token)


@line_cache  # the same cells recur through a report (and in every grouping tried)
def normalise_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    unit = _WHITESPACE.sub(" ", unit.strip())
    if _CLIMATE_PER_KG.fullmatch(unit):
        return "kg CO2 per kg livsmedel"
    if unit.startswith("barn/"):
        return "barn/avd."
    if unit == "st.":
        return "st"
    if unit == "procent":
        return "%"
    return unit


def parse_cell(cell: str) -> Value:
    """Parse one table cell. Text cells ('Tas fram av nämnd', 'öka', '+/-1 %') keep number None."""
    text = _WHITESPACE.sub(" ", cell.strip())
    m = _CELL_RE.match(text)
    if not m:
        return Value(None, None, text)
    return Value(parse_number(m.group(1)), normalise_unit(m.group(2)), text)


_TEXT_UNIT_RE = re.compile(rf"\d\s*({_UNIT})(?![\wåäöÅÄÖ])")


def unit_in_text(text: str) -> str | None:
    """The unit after a number inside a text cell: 'Max 10 personer' -> 'personer', '+/- 1 %' -> '%'."""
    m = _TEXT_UNIT_RE.search(text)
    return normalise_unit(m.group(1)) if m else None


@line_cache  # the same cells recur through a report (and in every grouping tried)
def parse_amount(token: str) -> tuple[float, bool] | None:
    """'1 766,9' -> (1766.9, False); '9,3%' -> (9.3, True); '-6,4*' -> (-6.4, False); text -> None."""
    t = token.strip()
    if not t or not (t[0].isdigit() or t[0] in "-−–+<"):
        return None
    t = clean_cell(t).translate(MINUS_SIGNS)
    if not t:
        return None
    percent = t.endswith("%")
    if percent:
        t = t[:-1].rstrip()
    if t.startswith("+"):
        t = t[1:]
    if not _AMOUNT.match(t):
        return None
    return _float(t), percent


def decimals(raw: str) -> int:
    """Decimal places as printed ('4,35' -> 2)."""
    m = _DECIMALS.search(raw)
    return len(m.group(1)) if m else 0


def parse_number_in_text(text: str) -> float | None:
    """'1 320,5' -> 1320.5, '-2' -> -2.0; None for anything that is not one number (whitespace anywhere ignored)."""
    token = _WHITESPACE.sub("", text).translate(MINUS_SIGNS)
    return _float(token) if _NUMBER_IN_TEXT.match(token) else None


def swedish(value: float) -> str:
    """12.1 -> '12,1'; 10.0 -> '10'."""
    return f"{value:g}".replace(".", ",")
