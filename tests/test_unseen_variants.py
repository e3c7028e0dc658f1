"""The parser on reports it has never seen (tests/unseen_variants.py): other indicator sets, a facknämnd, a T2 made
from a T1, economy tables of later years cut by page breaks. Every miss must be flagged: a wrong value with no
osaker, kolumn_osaker, ej_redovisat or identity note is the failure that matters most."""

from __future__ import annotations

from dataclasses import replace

import pytest

from malbas.etl.parse.parser import parse_text
from tests.economy_variants import EconomyStyle, tabbed_tables
from tests.economy_variants import score as economy_score
from tests.test_variants import LAYOUT_STYLES
from tests.truth import FILES, SAMPLES
from tests.unseen_variants import (
    LATER_FORMS,
    as_facknamnd,
    climate_unit_variant,
    economy_silent_misses,
    indicator_set_variant,
    render_economy,
    silent_rows,
    t1_as_t2,
    with_unicode_minus,
)
from tests.variants import shift_years, transplant

_SETS = [("000", "as printed"), ("000", "all at once"), ("004", "spaced empty cells"), ("004", "all at once")]


_UNIT_CASES = [(sample, style, seed) for sample, style in _SETS for seed in (0, 1)]


@pytest.mark.parametrize(("sample", "style", "seed"), _UNIT_CASES, ids=str)
def test_units_the_samples_lack_are_read_or_flagged(sample: str, style: str, seed: int) -> None:
    """kr/invånare (two decimals in some rows), ‰ and dagar after the numbers, negative outcomes in U+2212."""
    variant = with_unicode_minus(indicator_set_variant(sample, LAYOUT_STYLES[style], seed, thousands=False))
    s, silent = silent_rows(parse_text(variant.text), variant)
    print(s.summary(), *silent, sep="\n  ")
    assert s.found == s.rows and s.extra_rows == 0
    assert silent == []


@pytest.mark.parametrize(
    ("sample", "style"), [(s, st) for s in ("000", "004") for st in sorted(LAYOUT_STYLES)], ids=str
)
def test_a_unit_wrapped_under_its_value_is_one_unit(sample: str, style: str) -> None:
    """'0,29 kg' / 'CO2e': the unit's second word under the value, in every column of a row in kg CO2e; with
    spaced empty cells those rows read exactly, with invisible ones every wrong row is flagged."""
    for seed in (0, 1):
        variant = climate_unit_variant(sample, LAYOUT_STYLES[style], seed)
        s, silent = silent_rows(parse_text(variant.text), variant)
        print(s.summary(), *silent, sep="\n  ")
        assert s.found == s.rows and silent == []
        climate = {f"l.{r.rad} " for r in variant.expected.values() if r.enhet == "kg CO2e"}
        assert climate
        if LAYOUT_STYLES[style].spaced:  # every row in kg CO2e read exactly
            assert not [m for m in s.misses if m.startswith(tuple(climate))], s.misses


@pytest.mark.parametrize("seed", [0, 1])
def test_thousands_groups_in_spaced_tables_are_read_or_flagged(seed: int) -> None:
    variant = indicator_set_variant("004", LAYOUT_STYLES["spaced empty cells"], seed)
    s, silent = silent_rows(parse_text(variant.text), variant)
    print(s.summary(), *silent, sep="\n  ")
    assert silent == []


def test_thousands_groups_where_empty_cells_leave_no_trace() -> None:
    """'251 100 kr/invånare 266 600 kr/invånare 12 900 kr/invånare' with invisible empty cells: six values or three
    (guide 000 §9.1). The parse cannot know; it must say so."""
    variant = indicator_set_variant("000", LAYOUT_STYLES["as printed"], 0)
    s, silent = silent_rows(parse_text(variant.text), variant)
    print(s.summary(), *silent, sep="\n  ")
    assert silent == []


@pytest.mark.parametrize("name", ["Äldrenämnden", "Kulturnämnden", "Socialnämnden"])
def test_a_facknamnd_named_in_its_page_feet_is_identified(name: str) -> None:
    style = replace(LAYOUT_STYLES["page breaks inside rows, glued feet"], namnd=name)
    variant = transplant("000", style, 0)
    report = parse_text(as_facknamnd(variant.text, "Rinkeby-Kista", name))
    assert report.dokument.namnd == name
    assert not [k for k in report.kvalitet if k.typ == "identitet_motstridig"]


@pytest.mark.parametrize("name", ["Äldrenämnden", "Kulturnämnden"])
def test_a_facknamnd_told_from_prose_alone_is_not_guessed_silently(name: str) -> None:
    """No title, no foot names it, and its KF activities name Socialnämnden more often than the report names
    itself: the guess must come with a note."""
    text = (SAMPLES / FILES["000"]).read_text(encoding="utf-8")
    report = parse_text(as_facknamnd(text, "Rinkeby-Kista", name))
    if report.dokument.namnd != name:
        assert [k for k in report.kvalitet if k.typ == "identitet_motstridig"]
        assert any("--namnd" in w for w in report.varningar)


@pytest.mark.parametrize("style", ["as printed", "period 'Tertial' / '1 2020'", "page breaks inside rows, glued feet"])
def test_a_t2_made_from_a_t1_of_a_later_year(style: str) -> None:
    variant = t1_as_t2(shift_years(transplant("000", LAYOUT_STYLES[style], 0), 5))
    report = parse_text(variant.text)
    d = report.dokument
    assert (d.rapporttyp, d.ar, d.period) == ("T2", 2025, "Tertial 2 2025")
    s, silent = silent_rows(report, variant)
    print(s.summary(), *silent, sep="\n  ")
    assert s.found == s.rows and silent == []


@pytest.mark.parametrize("spaced", [False, True], ids=["invisible", "spaced"])
def test_later_economy_forms_read_exactly(spaced: bool) -> None:
    """Two forecast columns, 'Avvikelse mot budget', columns in another order, signed tkr amounts in thousands."""
    variant = render_economy(LATER_FORMS, EconomyStyle(header_width=12, spaced=spaced))
    s = economy_score(variant)
    print(s.summary(), *s.misses, sep="\n  ")
    assert s.right == s.cells


@pytest.mark.parametrize("tables", ["later", "sample 001"])
def test_economy_tables_cut_by_page_breaks_are_read_or_flagged(tables: str) -> None:
    forms = LATER_FORMS if tables == "later" else tabbed_tables("001")
    variant = render_economy(forms, EconomyStyle(header_width=30, spaced=True), break_after=1)
    silent = economy_silent_misses(variant, parse_text(variant.text))
    print(*silent, sep="\n  ")
    assert silent == []


_BRACKET = pytest.mark.xfail(
    reason="invisible empty cells: '150,00 kr/invånare 450,00 kr/invånare 130,15 kr/invånare 90,00 kr/invånare' "
    "holds the previous outcome in its third cell, but 130,15 < 150 < 450 reads as women/total/men so well that "
    "no rival comes close; unflagged (seed 1, values not in thousands); left open",
    strict=True,
)
_BRACKET_CASES = {
    ("004", "as printed"),
    ("004", "page breaks inside rows, glued feet"),
    ("004", "page feet on lines of their own"),
    ("004", "wide columns"),
}
_SWEEP = [
    pytest.param(sample, style, marks=[_BRACKET] if (sample, style) in _BRACKET_CASES else [])
    for sample in ("000", "004")
    for style in sorted(LAYOUT_STYLES)
]


@pytest.mark.parametrize(("sample", "style"), _SWEEP, ids=str)
def test_other_indicator_sets_under_every_style_and_seed_are_read_or_flagged(sample: str, style: str) -> None:
    """The sweep behind the cases above: every extraction trait, three seeds, values in thousands or not. A row
    read wrong without a flag is the one failure a user cannot see."""
    silent = []
    for seed in range(3):
        for thousands in (False, True):
            variant = indicator_set_variant(sample, LAYOUT_STYLES[style], seed, thousands=thousands)
            s, rows = silent_rows(parse_text(variant.text), variant)
            assert s.found == s.rows, s.summary()
            silent += [f"seed {seed}, thousands {thousands}: {r}" for r in rows]
    print(*silent, sep="\n  ")
    assert silent == []
