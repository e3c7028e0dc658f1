"""How the pages write values: numbers the Swedish way (decimal comma, space between thousands), as the reports
print them, so a figure on a page reads like the line it links to."""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"

BEDOMNING = {"helt": "Uppfylls helt", "delvis": "Uppfylls delvis", "inte": "Uppfylls inte"}
NIVA = {
    "inriktningsmal": "Inriktningsmål",
    "verksamhetsomradesmal": "KF:s mål för verksamhetsområdet",
    "namndmal": "Nämndmål",
}
NIVA_KORT = {"inriktningsmal": "Inriktningsmål", "verksamhetsomradesmal": "KF:s mål", "namndmal": "Nämndmål"}
KON = {"totalt": "Totalt", "kvinnor": "Kvinnor/flickor", "man": "Män/pojkar"}


def number(value: Decimal | float | int | None) -> str:
    """6.7 → '6,7'; 1234567 → '1 234 567' (no-break spaces); None → ''. Decimals are kept as stored."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    whole, _, fraction = format(d, "f").partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    if len(digits) > 4:  # Swedish style: 1234 but 12 345
        head = len(digits) % 3 or 3
        digits = NBSP.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])
    return sign + digits + ("," + fraction if fraction else "")


def verdict(met: bool | None) -> str:
    if met is None:
        return "ingen bedömning"
    return "årsmålet nås" if met else "årsmålet nås inte"
