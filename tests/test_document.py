"""Report identity from the text, text-form detection and the rejection of bad input."""

import pytest

from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.identity import Identity, detect_form, identify
from malbas.etl.parse.parser import parse_text
from malbas.etl.parse.source import decode
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY, sample_lines


def triple(identity: Identity) -> tuple[str | None, str, int]:
    return identity.namnd, identity.rapporttyp, identity.ar


@pytest.mark.parametrize(
    ("path", "form", "namnd", "kind", "year"),
    [
        # 000 has no title: the district is named only in prose, the kind comes from "Tertial 1" / "2020" cells
        (T1_RINKEBY, "layout", "Rinkeby-Kista stadsdelsnämnd", "T1", 2020),
        # 001 l.12 "## Verksamhetsberättelse VB 2020 för Hässelby-Vällingby stadsdelsnämnd"
        (VB_HASSELBY, "tabbed", "Hässelby-Vällingby stadsdelsnämnd", "VB", 2020),
        # 003 l.11 "Verksamhetsplan 2020 för Rinkeby- Kista stadsdelsnämnd" (stray space after the hyphen)
        (VP_RINKEBY, "tabbed", "Rinkeby-Kista stadsdelsnämnd", "VP", 2020),
        # 004: no title; period cells "VB 2021", l.2 "Norrmalms stadsdelsnämnd har under verksamhetsåret 2021"
        (VB_NORRMALM, "layout", "Norrmalms stadsdelsnämnd", "VB", 2021),
    ],
)
def test_identity_comes_from_the_text(path, form, namnd, kind, year):
    lines = sample_lines(path)
    assert detect_form(lines) == form
    assert triple(identify(lines)) == (namnd, kind, year)


def test_title_line_wins_and_file_name_is_ignored():
    text = "Tertialrapport 2 2023 för Skarpnäcks stadsdelsnämnd\n\nKF:s inriktningsmål:\n\n1. Ett mål\n"
    assert triple(identify(text.split("\n"))) == ("Skarpnäcks stadsdelsnämnd", "T2", 2023)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "damaged PDF"),
        (b"\x00\x01\x02garbage\x00", "binary file"),
        (bytes(range(1, 32)) * 40, "binary file"),
    ],
)
def test_bad_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        decode(data)


def test_windows_1252_text_is_decoded():
    text = "Förvaltningen bedömer att målet uppfylls"
    assert decode(text.encode("cp1252")) == text


def test_text_that_is_not_a_report():
    with pytest.raises(ParseError, match="not a goal follow-up report"):
        parse_text("Dear reader,\nthis is a shopping list: milk, bread.\n")


def test_truncated_report_without_kind_is_unknown_layout():
    lines = sample_lines(T1_RINKEBY)[:95]  # cut before the first indicator table
    with pytest.raises(ParseError, match="unknown layout"):
        parse_text("\n".join(lines))


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    from malbas.etl.parse import source

    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(ParseError, match="file too large"):
        source.read_report(big)


def test_report_cut_before_its_economy_part_is_truncated():
    lines = sample_lines(T1_RINKEBY)[:3000]  # goals and tables, but the text stops in the middle of goal 2.x
    with pytest.raises(ParseError, match="truncated report"):
        parse_text("\n".join(lines))


def test_city_wide_committee_named_in_prose_or_title():
    prose = ["KF:s inriktningsmål:", "", "1. Ett mål", "rad\tVB 2020", "rad\tVB 2020"]
    prose += ["Socialnämnden har under året arbetat vidare. Arbetsmarknadsnämnden ska bidra."] * 3
    assert identify(prose).namnd == "Socialnämnden"
    titled = ["Verksamhetsberättelse 2020 för socialnämnden", "KF:s inriktningsmål:", "1. Ett mål"]
    assert triple(identify(titled)) == ("Socialnämnden", "VB", 2020)


def test_utf16_with_byte_order_mark_is_decoded():
    text = "Förvaltningen bedömer att målet uppfylls"
    assert decode(text.encode("utf-16")) == text
