"""Key-figure tables in the database: stored cell by cell, queryable by table, row, column and kön, gone with
their report."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from malbas.etl.load.runner import load_paths
from malbas.models import Nyckeltal, Rapport
from tests.conftest import T1_RINKEBY
from tests.keyfigure_variants import render


def test_the_survey_table_of_sample_000_is_stored(engine) -> None:
    """000 l.2844 '16 2 1 2 2' under 'Fråga Ja Ja delvis Nej Vet ej Ej svarat' (l.2834)."""
    [result] = load_paths(engine, [T1_RINKEBY])
    assert result.status == "loaded", result.line()
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kolumn, varde, kon, tabell_rad FROM nyckeltal WHERE rad = 2844 ORDER BY id")
        ).all()
        antal = conn.execute(text("SELECT antal->>'nyckeltal' FROM rapport")).scalar_one()
    assert [(k, v) for k, v, _, _ in rows] == [
        ("Ja", Decimal(16)), ("Ja delvis", Decimal(2)), ("Nej", Decimal(1)), ("Vet ej", Decimal(2)), ("Ej svarat", Decimal(2)),
    ]  # fmt: skip
    assert {(kon, rad) for _, _, kon, rad in rows} == {(None, 2834)}
    assert antal == "20"


def test_key_figures_by_kon_are_queryable_and_go_with_their_report(engine, tmp_path) -> None:
    variant = render("plain", 0, "004")
    path = tmp_path / "vb-2021-nyckeltal.txt"
    path.write_text(variant.text, encoding="utf-8")
    [result] = load_paths(engine, [path])
    assert result.status == "loaded", result.line()
    with engine.connect() as conn:
        women = conn.execute(
            text(
                "SELECT kolumn, varde FROM nyckeltal WHERE tabell = 'Ekonomiskt bistånd per månad' AND kon = 'kvinnor' "
                "ORDER BY id"
            )
        ).all()
        change = conn.execute(
            text("SELECT varde, enhet FROM nyckeltal WHERE radnamn = 'Utredningar inledda' AND kolumn = 'Förändring'")
        ).one()
    # the table as written in tests/keyfigure_variants.py: 'Varav kvinnor 612 630 601 621 616', '… -10%'
    assert women == [("Jan", 612), ("Feb", 630), ("Mar", 601), ("Apr", 621), ("Snitt 2020", 616)]
    assert change == (Decimal(-10), "%")
    with Session(engine) as session:
        rapport = session.query(Rapport).one()
        assert {f.tabell for f in rapport.nyckeltal} >= {"Barngrupper i förskolan", "Placerade barn och unga"}
    with Session(engine) as session:
        session.delete(session.query(Rapport).one())  # the database cascades to its key figures
        session.commit()
        assert session.query(Nyckeltal).count() == 0
