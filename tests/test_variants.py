"""The parser on reports it has never seen: the samples re-rendered under every trait of ILS-webb extractions
(tests/variants.py), checked against the hand-read values (tests/truth.py) or, for the tabbed samples, against
their own tabbed parse.

The renderer is first checked against sample 000's text, so the variants are what pdftotext writes.
"""

from __future__ import annotations

import re

import pytest

from malbas.etl.parse.parser import parse_text
from tests.truth import FILES, SAMPLES
from tests.variants import (
    HYGIENE,
    WIDTHS_NARROW,
    WIDTHS_WIDE,
    Style,
    header_lines,
    measure,
    rename_district,
    render_tabbed,
    shift_years,
    transplant,
    value_lines,
    wrap_cell,
    wrap_words,
)


def _lines_000(first: int, last: int) -> list[str]:
    return (SAMPLES / FILES["000"]).read_text(encoding="utf-8").split("\n")[first - 1 : last]


def test_the_renderer_writes_what_pdftotext_writes() -> None:
    import random

    assert header_lines("VB 2019") == _lines_000(209, 231)  # the 23-line header
    assert wrap_words("Andel personer som har ekonomiskt bistånd i förhållande till befolkningen", 25) == [
        line.lstrip() if k == 0 else line for k, line in enumerate(_lines_000(263, 266))
    ]
    rng = random.Random(0)
    # l.268-275: kvinnor and VB 2019 wrap their unit, a blank line follows each, the period wraps after "1"
    cells = [
        ("utfall", "4,35 %"),
        ("utfall_man", "3,68 %"),
        ("utfall_kvinnor", "4,88 %"),
        ("foregaende_utfall", "4,42 %"),
    ]
    cells += [("prognos", "4,5 %"), ("arsmal", "4,5 %"), ("kf_arsmal", "1,5 %"), ("period", "Tertial 1 2020")]
    assert value_lines(cells, Style(), rng) == _lines_000(268, 275)
    # l.300-305: thousands groups stay on the line; the KF text cell wraps, then the period after a blank line
    cells = [("utfall", ""), ("utfall_man", ""), ("utfall_kvinnor", ""), ("foregaende_utfall", "1 320")]
    cells += [
        ("prognos", "1 100"),
        ("arsmal", "1 100 st"),
        ("kf_arsmal", "Tas fram av nämnd"),
        ("period", "Tertial 1 2020"),
    ]
    assert value_lines(cells, Style(), rng) == _lines_000(300, 305)
    # sample 004 l.339: spaced empty cells, "1,3 %   1,3 % 0,8 % 2,7 % VB 2021" (two empty gender cells)
    cells = [("utfall", "1,3 %"), ("utfall_man", ""), ("utfall_kvinnor", ""), ("foregaende_utfall", "1,3 %")]
    cells += [("arsmal", "0,8 %"), ("kf_arsmal", "2,7 %"), ("period", "VB 2021")]
    assert value_lines(cells, Style(spaced=True), rng) == ["1,3 %   1,3 % 0,8 % 2,7 % VB 2021"]
    # issue 11: a survey indicator with only its last columns, "   78 %  80 % 80 % 2025"
    cells = [(c, "") for c in ("utfall", "utfall_man", "utfall_kvinnor")] + [("foregaende_utfall", "78 %")]
    cells += [("prognos", ""), ("arsmal", "80 %"), ("kf_arsmal", "80 %"), ("period", "2025")]
    assert value_lines(cells, Style(spaced=True), rng) == ["   78 %  80 % 80 % 2025"]
    # issue 11: a text cell over four lines, broken after a slash and mid-word
    assert wrap_cell("Tas fram av nämnd/styrelse", 7) == ["Tas ", "fram av ", "nämnd/", "styrelse"]
    assert wrap_cell("Fastställs 2025", 7) == ["Faststäl", "ls 2025"]


# Each trait of the reporting system's output, alone and combined (issue 11, "What that report does").
LAYOUT_STYLES = {
    "as printed": Style(),
    "spaced empty cells": Style(spaced=True),
    "units on their own line": Style(spaced=True, unit_own_line=0.5),
    "page breaks inside rows, glued feet": Style(rows_per_page=3, split_rows=True, foot="glued"),
    "page feet on lines of their own": Style(rows_per_page=2, split_rows=True, foot="separate", form_feed=True),
    "period 'Tertial' / '1 2020'": Style(spaced=True, period_wrap="number"),
    "narrow columns, mid-word breaks": Style(widths=WIDTHS_NARROW, name_width=18),
    "wide columns": Style(widths=WIDTHS_WIDE, name_width=40),
    "no trailing spaces": Style(trailing_space=False, widths=WIDTHS_NARROW),
    "all at once": Style(
        spaced=True,
        unit_own_line=0.4,
        rows_per_page=2,
        split_rows=True,
        foot="glued",
        period_wrap="number",
        widths=WIDTHS_NARROW,
        trailing_space=False,
    ),
}


@pytest.mark.parametrize("style", LAYOUT_STYLES, ids=str)
@pytest.mark.parametrize("sample", ["000", "004"])
def test_layout_samples_read_the_same_under_every_trait(sample: str, style: str) -> None:
    if sample == "004" and not LAYOUT_STYLES[style].spaced:
        pytest.skip("004's tables are read spaced; invisible cells of a VB are tested on 001 below")
    for seed in (0, 1):
        s = measure(transplant(sample, LAYOUT_STYLES[style], seed))
        print(f"{sample} {style} seed {seed}: {s.summary()}")
        for miss in s.misses:
            print("   ", miss)
        assert s.found == s.rows and s.extra_rows == 0
        # 000 keeps its one known ambiguity (l.495, flagged); everything else is read exactly
        assert s.cell_share >= 0.995
        assert s.wrong_unflagged == 0


@pytest.mark.parametrize(
    ("kind", "style"),
    [
        ("T1", Style(spaced=True)),
        ("T2", Style(spaced=True, unit_own_line=0.3, rows_per_page=3, split_rows=True, foot="glued")),
        ("T1", Style(spaced=True, widths=WIDTHS_NARROW, trailing_space=False, period_wrap="number")),
        ("VB", Style(spaced=True, widths=WIDTHS_WIDE, foot="separate", rows_per_page=4)),
    ],
    ids=["T1 spaced", "T2 spaced, page breaks", "T1 narrow, no trailing spaces", "VB wide"],
)
def test_a_tabbed_report_rendered_as_spaced_layout_reads_exactly(kind: str, style: Style) -> None:
    s = measure(render_tabbed("001", style, kind=kind))
    print(s.summary(), *s.misses, sep="\n  ")
    assert s.found == s.rows == 104 and s.extra_rows == 0
    assert s.cell_share == 1.0


@pytest.mark.parametrize("kind", ["T1", "T2", "VB"])
def test_invisible_empty_cells_are_read_or_flagged(kind: str) -> None:
    """Where empty cells leave no trace the columns are inferred; a row not read with certainty is flagged."""
    s = measure(render_tabbed("001", Style(), kind=kind))
    print(s.summary(), *s.misses, sep="\n  ")
    assert s.found == s.rows and s.extra_rows == 0
    assert s.cell_share >= 0.97
    assert s.wrong_unflagged == 0


def test_another_committee_and_year_without_a_title_is_identified() -> None:
    style = Style(
        spaced=True,
        rows_per_page=3,
        split_rows=True,
        foot="glued",
        period_wrap="number",
        namnd="Skarpnäcks stadsdelsnämnd",
    )
    variant = rename_district(shift_years(transplant("000", style, 0), 5), "Rinkeby-Kista", "Skarpnäck")
    report = parse_text(variant.text)
    d = report.dokument
    assert (d.namnd, d.rapporttyp, d.ar, d.period) == ("Skarpnäcks stadsdelsnämnd", "T1", 2025, "Tertial 1 2025")
    assert len(report.mal) == 30 and len(report.aktiviteter) == 239
    s = measure(variant)
    assert s.found == s.rows and s.wrong_unflagged == 0


@pytest.mark.parametrize("variant", sorted(HYGIENE))
def test_hygiene_variants_read_the_same_rows(variant: str) -> None:
    text = (SAMPLES / FILES["004"]).read_text(encoding="utf-8")
    base, other = parse_text(text), parse_text(HYGIENE[variant](text))

    def facts(r):  # noqa: ANN001, ANN202
        return (
            (r.dokument.namnd, r.dokument.rapporttyp, r.dokument.ar),
            [(g.nummer, g.titel, g.bedomning, g.rad) for g in r.mal],
            [(i.rad, i.namn, i.utfall, i.foregaende_utfall, i.arsmal, i.kf_arsmal, i.period) for i in r.indikatorer],
            [(a.rad, a.namn, a.startdatum, a.avvikelse) for a in r.aktiviteter],
            [(c.tabell, c.rad_namn, c.kolumn, c.varde, c.rad) for c in r.ekonomi],
        )

    assert facts(other) == facts(base)


@pytest.mark.parametrize("sample", ["001", "003"])
def test_tabbed_text_with_trailing_whitespace_stripped_reads_the_same(sample: str) -> None:
    """An editor that strips trailing whitespace takes the TABs of a row's empty last cells with it: a group row
    ('Förskolor'), a unit line ('Mnkr') and a name or analysis continued under a repeated header lose every TAB."""
    text = (SAMPLES / FILES[sample]).read_text(encoding="utf-8")
    stripped = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    assert stripped != text
    base, other = parse_text(text), parse_text(stripped)

    def facts(r):  # noqa: ANN001, ANN202
        return (
            [(g.nummer, g.titel, g.bedomning, g.rad) for g in r.mal],
            [
                (i.rad, i.namn, i.utfall, i.foregaende_utfall, i.arsmal, i.kf_arsmal, i.period, i.analys)
                for i in r.indikatorer
            ],
            [(a.rad, a.namn, a.startdatum, a.avvikelse) for a in r.aktiviteter],
            [(c.rad_namn, c.kolumn, c.varde, c.rad) for c in r.ekonomi],
        )

    assert facts(other) == facts(base)
    assert other.tackning.andel == 1.0
