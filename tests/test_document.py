"""Report identity from the text, text-form detection and the rejection of bad input."""

import re

import pytest

from malbas.etl.errors import ReportError
from malbas.etl.parse.identity import Hints, Identity, detect_form, identify
from malbas.etl.parse.parser import parse_text
from malbas.etl.read.source import decode
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


def _without_own_name(path, own: str) -> str:
    """A report that never calls itself '<own> stadsdelsnämnd/-förvaltning' (an extraction without its
    page feet): only neighbours it works with are named so in its prose."""
    text = path.read_text(encoding="utf-8")
    return re.sub(rf"{own}s? stadsdels", "vår stadsdels", text)


def test_a_committee_guessed_from_prose_without_a_clear_lead_is_flagged():
    # 004 names Östermalms (l.169, 768, 2025 …) and Kungsholmens (l.3011, 3012, 5982 …) stadsdelsförvaltning in
    # passing; with its own name gone the best guess is a neighbour, which must not pass silently.
    report = parse_text(_without_own_name(VB_NORRMALM, "Norrmalm"), kalla="x.txt")
    assert report.dokument.namnd != "Norrmalms stadsdelsnämnd"
    assert any("--namnd" in w for w in report.varningar)
    assert any(n.typ == "identitet_motstridig" and "--namnd" in n.meddelande for n in report.kvalitet)


def test_a_given_committee_settles_it():
    report = parse_text(
        _without_own_name(VB_NORRMALM, "Norrmalm"), kalla="x.txt", hints=Hints(namnd="Norrmalms stadsdelsnämnd")
    )
    assert (report.dokument.namnd, report.dokument.rapporttyp, report.dokument.ar) == (
        "Norrmalms stadsdelsnämnd",
        "VB",
        2021,
    )
    assert not any("nämnd" in w for w in report.varningar)


def test_a_clear_prose_winner_is_not_flagged():
    # 000 has no title line either; Rinkeby-Kista is named far more often than Spånga-Tensta
    report = parse_text(T1_RINKEBY.read_text(encoding="utf-8"), kalla="x.txt")
    assert report.dokument.namnd == "Rinkeby-Kista stadsdelsnämnd"
    assert not any(n.typ == "identitet_motstridig" for n in report.kvalitet)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        ("\u00a0\u3000\n".encode(), "empty file"),  # whitespace only, though not ASCII whitespace
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "damaged PDF"),
        (b"\x00\x01\x02garbage\x00", "binary file"),
        (bytes(range(1, 32)) * 40, "binary file"),
    ],
)
def test_bad_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(ReportError, match=reason):
        decode(data)


def test_windows_1252_text_is_decoded():
    text = "Förvaltningen bedömer att målet uppfylls"
    assert decode(text.encode("cp1252")) == text


def test_text_that_is_not_a_report():
    with pytest.raises(ReportError, match="not a goal follow-up report"):
        parse_text("Dear reader,\nthis is a shopping list: milk, bread.\n")


def test_truncated_report_without_kind_is_unknown_layout():
    lines = sample_lines(T1_RINKEBY)[:95]  # cut before the first indicator table
    with pytest.raises(ReportError, match="unknown layout"):
        parse_text("\n".join(lines))


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    from malbas.etl.read import source

    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(ReportError, match="file too large"):
        source.read_report(big)


def test_report_cut_before_its_economy_part_is_truncated():
    lines = sample_lines(T1_RINKEBY)[:3000]  # goals and tables, but the text stops in the middle of goal 2.x
    with pytest.raises(ReportError, match="truncated report"):
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
