"""Numbers inside text cells and in the reasons malbas writes: Swedish decimal comma, space thousands."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[+-]?\d+(?:,\d+)?$")


def swedish_number(text: str) -> float | None:
    """'1 320,5' -> 1320.5, '-2' -> -2.0; None for anything that is not one number."""
    token = re.sub(r"\s+", "", text).replace("−", "-").replace("–", "-")
    return float(token.replace(",", ".")) if _NUMBER.match(token) else None


def swedish(value: float) -> str:
    """12.1 -> '12,1'; 10.0 -> '10'."""
    return f"{value:g}".replace(".", ",")
