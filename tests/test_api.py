"""The public API (malbas.parse_file, load_files, connect) as a notebook or script uses it."""

from __future__ import annotations

import re

from sqlalchemy import text

import malbas
from tests.conftest import VB_NORRMALM


def _nameless(tmp_path):
    """004 without its own name before 'stadsdelsnämnd/-förvaltning': the text names only neighbours so."""
    path = tmp_path / "nameless.txt"
    path.write_text(re.sub(r"Norrmalms? stadsdels", "vår stadsdels", VB_NORRMALM.read_text(encoding="utf-8")), "utf-8")
    return path


def test_parse_file_reads_the_identity_and_takes_what_the_text_lacks(tmp_path):
    report = malbas.parse_file(VB_NORRMALM)
    # 004: no title; period cells "VB 2021"; l.2 "Norrmalms stadsdelsnämnd har under verksamhetsåret 2021"
    assert (report.dokument.namnd, report.dokument.rapporttyp, report.dokument.ar) == (
        "Norrmalms stadsdelsnämnd",
        "VB",
        2021,
    )
    assert report.tackning.andel == 1.0
    given = malbas.parse_file(_nameless(tmp_path), namnd="Norrmalms stadsdelsnämnd", rapporttyp="vb", ar=2021)
    assert (given.dokument.namnd, given.dokument.rapporttyp, given.dokument.ar) == (
        "Norrmalms stadsdelsnämnd",
        "VB",
        2021,
    )


def test_load_files_with_a_given_identity(database_url, engine, tmp_path):
    [result] = malbas.load_files([_nameless(tmp_path)], database_url=database_url, namnd="Norrmalms stadsdelsnämnd")
    assert result.status == "loaded", result.line()
    with malbas.connect(database_url).connect() as conn:
        assert conn.execute(text("SELECT n.namn FROM rapport r JOIN namnd n ON n.id = r.namnd_id")).scalar_one() == (
            "Norrmalms stadsdelsnämnd"
        )
