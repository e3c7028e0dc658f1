"""Key-figure tables (etl/parse/keyfigures.py): the sample's survey table read by hand, the shapes of
tests/keyfigure_variants.py under every trait, and rows that do not read one way left to the self-audit."""

from __future__ import annotations

import pytest

from malbas.etl.parse.keyfigures import scan_key_figures
from malbas.etl.parse.parser import parse_text
from malbas.vocabulary import Kon
from tests.conftest import T1_RINKEBY, sample_lines
from tests.keyfigure_variants import TRAITS, render, render_tabbed, score


def _read(text: str) -> list[tuple[str, str, float, str | None, Kon | None]]:
    lines = text.split("\n")
    tables = scan_key_figures(lines, [(0, len(lines))], [])
    return [(f.rad_namn, f.kolumn, f.varde, f.enhet, f.kon) for t in tables for f in t.figures]


def test_the_survey_table_of_sample_000_is_read() -> None:
    """000 l.2834-2854 (guide 000 §7): 'Fråga Ja Ja delvis Nej Vet ej Ej svarat', four questions wrapped over two
    lines, each above a line of five counts (l.2839 '13 2 3 2 2', l.2844 '16 2 1 2 2', l.2849 '19 1 0 1 1',
    l.2854 '16 3 2 0 1')."""
    report = parse_text("\n".join(sample_lines(T1_RINKEBY)))
    by_line: dict[int, dict[str, float]] = {}
    for f in report.nyckeltal:
        by_line.setdefault(f.rad, {})[f.kolumn] = f.varde
        assert f.tabell_rad == 2834 and f.kon is None
    columns = ["Ja", "Ja delvis", "Nej", "Vet ej", "Ej svarat"]
    assert by_line == {
        2839: dict(zip(columns, [13, 2, 3, 2, 2], strict=True)),
        2844: dict(zip(columns, [16, 2, 1, 2, 2], strict=True)),
        2849: dict(zip(columns, [19, 1, 0, 1, 1], strict=True)),
        2854: dict(zip(columns, [16, 3, 2, 0, 1], strict=True)),
    }
    names = {f.rad: f.rad_namn for f in report.nyckeltal}
    assert names[2844] == "4. Du har fått möjlighet att framföra egna önskemål till handläggaren."
    assert report.tackning.andel == 1.0


@pytest.mark.parametrize(("base", "trait", "seed"), [(b, t, s) for b in ("000", "004") for t in TRAITS for s in (0, 1)])
def test_every_shape_is_read_under_every_trait(base: str, trait: str, seed: int) -> None:
    variant = render(trait, seed, base)
    report = parse_text(variant.text)
    s = score(variant, report.nyckeltal)
    print(*(s.misses or []), sep="\n  ")
    assert s.right == s.cells
    assert not [n for n in report.kvalitet if n.typ == "ej_redovisat"]
    assert report.tackning.andel == 1.0


def test_varav_rows_carry_their_kon_and_percent_cells_their_unit() -> None:
    text = "Orosanmälningar\n\n2019 2020 Förändring\nAnmälningar 13,0 15,2 17%\nVarav flickor 12,1 14,9 23 %\nVarav pojkar 13,9 15,5 −12%"
    assert _read(text) == [
        ("Anmälningar", "2019", 13.0, None, None),
        ("Anmälningar", "2020", 15.2, None, None),
        ("Anmälningar", "Förändring", 17.0, "%", None),
        ("Varav flickor", "2019", 12.1, None, Kon.KVINNOR),
        ("Varav flickor", "2020", 14.9, None, Kon.KVINNOR),
        ("Varav flickor", "Förändring", 23.0, "%", Kon.KVINNOR),
        ("Varav pojkar", "2019", 13.9, None, Kon.MAN),
        ("Varav pojkar", "2020", 15.5, None, Kon.MAN),
        ("Varav pojkar", "Förändring", -12.0, "%", Kon.MAN),
    ]


def test_thousands_groups_are_joined_only_where_one_grouping_fills_the_columns() -> None:
    # '1 234 1 250 1 242' fills three columns one way only; under two columns '12 345 678' reads two ways
    # (12 | 345 678, or 12 345 | 678): not read
    text = "Jan Feb Snitt 2020\nHushåll 1 234 1 250 1 242\nÄrenden 40 44 42"
    read = _read(text)
    assert ("Hushåll", "Jan", 1234.0, None, None) in read and ("Hushåll", "Snitt 2020", 1242.0, None, None) in read
    assert ("Ärenden", "Feb", 44.0, None, None) in read
    read = _read("2019 2020\nPersoner 12 345 678\nÄrenden 40 44")
    assert [r[0] for r in read] == ["Ärenden", "Ärenden"]


def test_a_row_with_fewer_values_than_columns_is_not_read_and_the_audit_says_so() -> None:
    """An empty cell leaves no trace in layout text: which column is empty cannot be known."""
    variant = render("plain", 0, "000")
    text = variant.text.replace("Varav män 622 620 597 621 615", "Varav män 622 620 621 615")
    report = parse_text(text)
    assert not [f for f in report.nyckeltal if f.rad_namn == "Varav män"]
    line = text.split("\n").index("Varav män 622 620 621 615") + 1
    assert line in {n.rad for n in report.kvalitet if n.typ == "ej_redovisat"}


def test_prose_is_no_table() -> None:
    text = (
        "Antalet anmälningar har ökat mellan 2019 och 2020.\n"
        "Under perioden januari till april 2020 kom 412 anmälningar, jämfört med 380 året innan.\n"
        "En modern storstad med möjligheter och valfrihet för alla\n"
        "2019 2020\n"
        "Förvaltningen bedömer att antalet kommer att öka under året med 5 procent och 3 procent."
    )
    assert _read(text) == []


@pytest.mark.parametrize(("seed", "empty_cell"), [(s, e) for s in (0, 1, 2) for e in (False, True)])
def test_tab_tables_are_read_as_a_pdf_extraction_writes_them(seed: int, empty_cell: bool) -> None:
    """Tabbed sample 001 with the shapes as TAB tables: every cell under its column, an empty cell seen as
    empty, no figure from anywhere else, coverage 100 %."""
    variant = render_tabbed(seed, empty_cell=empty_cell)
    report = parse_text(variant.text)
    s = score(variant, report.nyckeltal)
    assert s.right == s.cells == len(report.nyckeltal), s.misses
    assert report.tackning.andel == 1.0
