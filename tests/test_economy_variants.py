"""Economy tables in forms and wrappings the samples do not show (tests/economy_variants.py): the tabbed
samples' tables (their tabbed parse is the truth) and table forms of later reports, written as pdftotext writes
a PDF table, with headers wrapped at narrow widths and mid-word."""

from __future__ import annotations

import pytest

from tests.economy_variants import NEW_FORMS, EconomyStyle, render_report, score, tabbed_tables


def _tables():  # noqa: ANN202
    return tabbed_tables("001") + tabbed_tables("003")


@pytest.mark.parametrize("width", [30, 16, 12])
def test_space_marked_empty_cells_read_exactly(width: int) -> None:
    s = score(render_report(_tables(), EconomyStyle(header_width=width, spaced=True)))
    print(s.summary(), *s.misses[:20], sep="\n  ")
    assert s.right == s.cells


@pytest.mark.parametrize("width", [30, 16, 12, 10])
def test_invisible_empty_cells_are_read_or_flagged(width: int) -> None:
    """Where a row prints fewer values than the table has columns and empty cells leave no trace, the placement is
    a guess: it must be flagged (kolumn_osaker), and everything else read right."""
    s = score(render_report(_tables(), EconomyStyle(header_width=width)))
    print(s.summary(), *s.misses[:20], sep="\n  ")
    assert s.found == s.cells
    assert s.right + s.flagged == s.cells
    assert s.share >= (0.98 if width > 10 else 0.965)  # the tables' sums place most rows of fewer values


@pytest.mark.parametrize("width", [30, 16, 12, 8])
@pytest.mark.parametrize("spaced", [False, True], ids=["invisible", "spaced"])
def test_table_forms_the_samples_lack(width: int, spaced: bool) -> None:
    """Monthly key figures, resultatenheter and investments of a later year, omslutningsförändringar, and a
    driftbudget header wrapped mid-word over many lines ('Begärda' / 'budgetjusteringa' / 'r')."""
    s = score(render_report(NEW_FORMS, EconomyStyle(header_width=width, spaced=spaced)))
    print(s.summary(), *s.misses, sep="\n  ")
    assert s.right + s.flagged == s.cells
    assert s.share == 1.0  # invisible empty cells too: the tables' sums place the rows of fewer values
