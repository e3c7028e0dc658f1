"""malbas: the goal follow-up database for Stockholm's district committees.

The public API for notebooks and scripts (everything else is internal):

    import malbas
    report = malbas.parse_file("rapport.txt")         # parse only: typed records, no database
    report.tackning.andel                              # its self-audit: share of table numbers accounted for
    malbas.parse_file("utan_titel.txt", namnd="Skarpnäcks stadsdelsnämnd")  # identity the text does not give
    results = malbas.load_files(["inbox/"])            # load into DATABASE_URL or the embedded server
    engine = malbas.connect()                          # a SQLAlchemy engine for pandas and the ORM
    df = malbas.queries.run("indikator_per_namnd", indikator="ekonomiskt bistånd")
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

# platformdirs warns when XDG_RUNTIME_DIR is unset (cron, containers); the fallback it picks is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

__version__ = "0.2.0"
__all__ = ["connect", "load_files", "parse_file", "queries"]

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from malbas import queries
    from malbas.etl.load.runner import FileResult
    from malbas.etl.parse.records import Report


def parse_file(
    path: str | PathLike[str], *, namnd: str | None = None, rapporttyp: str | None = None, ar: int | None = None
) -> Report:
    """Parse one report file into typed records (goals, indicator rows, activities, economy cells …).
    `namnd`, `rapporttyp` (VP/T1/T2/VB) and `ar` give an identity the report's text does not (or says wrongly)."""
    from malbas.etl.parse.identity import Hints
    from malbas.etl.parse.parser import parse_file as _parse_file

    return _parse_file(Path(path), Hints.given(namnd, rapporttyp, ar))


def load_files(
    paths: Iterable[str | PathLike[str]],
    *,
    database_url: str | None = None,
    namnd: str | None = None,
    rapporttyp: str | None = None,
    ar: int | None = None,
) -> list[FileResult]:
    """Load report files and folders, one transaction per report, into `database_url` (else DATABASE_URL,
    else the embedded server), migrating the schema first. Returns one result per file; never raises for a
    bad file. `namnd`, `rapporttyp` and `ar` as for `parse_file`, for every file loaded."""
    from malbas.database import engine_for, migrate, resolve
    from malbas.etl.load.runner import load_paths
    from malbas.etl.parse.identity import Hints

    target = resolve(database_url)
    migrate(target)
    return load_paths(engine_for(target), [Path(p) for p in paths], hints=Hints.given(namnd, rapporttyp, ar))


def connect(database_url: str | None = None) -> Engine:
    """A SQLAlchemy engine on the malbas database (`database_url`, else DATABASE_URL, else the embedded server,
    started if needed). Nothing is migrated."""
    from malbas.database import connect as _connect

    return _connect(database_url)


def __getattr__(name: str) -> Any:
    if name == "queries":  # imported on first use: pandas is slow to import and the CLI rarely needs it
        import importlib

        return importlib.import_module("malbas.queries")
    raise AttributeError(f"module 'malbas' has no attribute {name!r}")
