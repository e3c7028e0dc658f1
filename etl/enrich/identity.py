"""Indicator identity: the key that makes one indicator the same across reports and districts."""

from __future__ import annotations

import re


def indicator_key(name: str) -> str:
    """Normalised indicator name: lower case letters and digits only, so spacing/punctuation variants match."""
    return re.sub(r"[^0-9a-zåäöéü]+", "", name.lower())
