"""The CSV dialects malbas writes, and which one a locale asks for (no pandas here: the CLI's options use them)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV separates fields and writes decimals. Swedish Excel reads `;` between fields and `,` as the
    decimal mark, and needs a UTF-8 byte order mark to read å, ä, ö as UTF-8."""

    name: str
    separator: str
    decimal: str
    bom: bool


PLAIN = CsvDialect("plain", ",", ".", bom=False)
SWEDISH = CsvDialect("sv", ";", ",", bom=True)
DIALECTS = {d.name: d for d in (PLAIN, SWEDISH)}


def locale_is_swedish(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the numeric locale is Swedish (sv_SE, sv_FI …), read as POSIX does: LC_ALL, else LC_NUMERIC,
    else LANG."""
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = environ.get(variable)
        if value:
            return value.lower().startswith("sv")
    return False


def default_dialect() -> CsvDialect:
    return SWEDISH if locale_is_swedish() else PLAIN
