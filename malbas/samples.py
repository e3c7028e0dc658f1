"""The four sample reports shipped with malbas (text extractions), for `malbas demo` and first experiments."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path:
    """Where the samples are: package data in an installed wheel, sample_reports/ in a checkout."""
    shipped = _PACKAGE / "samples"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "sample_reports"


def paths() -> list[Path]:
    found = sorted(folder().glob("*.txt"))
    if not found:
        raise FileNotFoundError(f"no sample reports in {folder()}: this installation of malbas ships none")
    return found
