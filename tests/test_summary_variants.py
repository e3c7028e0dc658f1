"""Count statements in summaries never seen (tests/summary_variants.py): every true statement gives no note,
whether the inriktningsmål title above it is recognised or not; a false count is noted."""

from __future__ import annotations

import pytest

from malbas.etl.parse.parser import parse_text
from tests.summary_variants import HEADINGS, false_count, summary_variant

_CASES = [(sample, form, seed) for sample in ("000", "004") for form in HEADINGS for seed in (0, 1)]


def _summary_notes(text: str, last_line: int) -> list[tuple[int | None, str]]:
    report = parse_text(text)
    return [(n.rad, n.meddelande) for n in report.kvalitet if n.typ == "antal_avviker" and (n.rad or 0) <= last_line]


@pytest.mark.parametrize(("sample", "form", "seed"), _CASES, ids=str)
def test_true_statements_under_inriktningsmal_titles_give_no_note(sample: str, form: str, seed: int) -> None:
    variant = summary_variant(sample, form, seed)
    last = max(rad for rad, _ in variant.statements) + 2
    assert _summary_notes(variant.text, last) == []


@pytest.mark.parametrize(("sample", "form"), [(s, f) for s in ("000", "004") for f in ("title", "wrapped")], ids=str)
def test_a_false_count_under_a_recognised_title_is_noted(sample: str, form: str) -> None:
    variant = summary_variant(sample, form, 0)
    last = max(rad for rad, _ in variant.statements) + 2
    for k in range(1, len(variant.statements)):
        changed, rad = false_count(variant, k)
        assert changed.text != variant.text
        notes = _summary_notes(changed.text, last)
        assert notes, k  # one per count it states: 'samtliga sex … helt' states a total and the helt
        assert all(rad - 1 <= (n or 0) <= rad and text.startswith("inriktningsmål ") for n, text in notes), notes


@pytest.mark.parametrize("sample", ["000", "004"])
def test_a_count_no_scope_agrees_with_is_noted_even_under_an_unrecognised_title(sample: str) -> None:
    """Under a shortened title the paragraph may speak for the report or any inriktningsmål; a count that none
    of them has (here more KF goals than the report holds) is false whichever is meant."""
    variant = summary_variant(sample, "shortened", 0)
    last = max(rad for rad, _ in variant.statements) + 2
    rad, words = variant.statements[1]
    lines = variant.text.split("\n")
    lines[rad - 1] = lines[rad - 1].replace(words, words.split()[0] + " av kommunfullmäktiges 40", 1)
    notes = _summary_notes("\n".join(lines), last)
    assert len(notes) == 1 and "(40 KF goals)" in notes[0][1], notes
