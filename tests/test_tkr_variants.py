"""Result-unit tables in tkr never seen (tests/tkr_variants.py): thousands groups and cells parted by the same
space, read by the arithmetic the table prints; a total that truly disagrees is still noted."""

from __future__ import annotations

import pytest

from malbas.etl.parse.economy.arithmetic import decide, sum_groups
from malbas.etl.parse.economy.tokens import readings, value_items
from malbas.etl.parse.parser import parse_text
from tests.economy_variants import score
from tests.tkr_variants import tkr_variant

_CASES = [(seed, width, spaced) for seed in range(6) for width in (8, 16, 30) for spaced in (False, True)]


@pytest.mark.parametrize(("seed", "header_width", "spaced"), _CASES, ids=str)
def test_result_units_read_by_their_sums(seed: int, header_width: int, spaced: bool) -> None:
    variant = tkr_variant(seed, header_width, spaced)
    s = score(variant)
    print(s.summary(), *s.misses, sep="\n  ")
    assert s.right == s.cells
    report = parse_text(variant.text)
    table_notes = [k for k in report.kvalitet if k.rad and k.rad >= variant.starts[0]]
    assert table_notes == []


@pytest.mark.parametrize("seed", range(6))
def test_a_total_that_disagrees_is_still_noted(seed: int) -> None:
    """The Summa row's last total changed in its last group's first digit: no reading adds up, nothing is decided,
    the column's sum is noted (numbers are never 'fixed')."""
    variant = tkr_variant(seed, 16)
    lines = variant.text.split("\n")
    rad = variant.value_lines[0][-1]
    head, _, last = lines[rad - 1].rpartition(" ")
    k = 1 if last.startswith("-") else 0  # the first digit of the last group, moved by 5: 766 -> 266, -814 -> -314
    lines[rad - 1] = f"{head} {last[:k]}{(int(last[k]) + 5) % 10 or 5}{last[k + 1 :]}"
    report = parse_text("\n".join(lines))
    assert [k for k in report.kvalitet if k.typ == "summa_avviker" and k.rad == rad]


def _flex(tails: list[str]) -> list[list]:
    return [list(readings(value_items(t, 0), False)) for t in tails]


def test_only_the_grouping_that_adds_up_is_the_reading() -> None:
    # issue example: '61 204 -3 118 412 2 706' is 61 204 | -3 118 | 412 | 2 706 because the Summa row says so
    labels = ["Exempelgårdens förskolor", "Solrosens förskolor", "Summa resultatenheter"]
    tails = ["61 204 -3 118 412 2 706", "1 796 118 -12 294", "63 000 -3 000 400 3 000"]
    decision = decide(labels, _flex(tails), [4, 5, 6, 7], 6, gaps=False)
    assert decision is not None and decision.width == 4
    assert [[a.raw for a in decision.rows[k].reading] for k in range(3)] == [
        ["61 204", "-3 118", "412", "2 706"],
        ["1 796", "118", "-12", "294"],
        ["63 000", "-3 000", "400", "3 000"],
    ]


def test_sums_that_several_readings_satisfy_decide_nothing() -> None:
    # 1 | 1 | 1 and ... : with '1 100 1' the rows can be read 1 100 | 1 or 1 | 100 1 -> ambiguous sums give no decision
    labels = ["A", "B", "Summa"]
    tails = ["100 100", "100 100", "200 200"]
    # 100 100 + 100 100 = 200 200 with one value per row, or with two: the sums prove no width
    assert decide(labels, _flex(tails), [1, 2], 2, gaps=False) is None


def test_the_sums_place_a_row_of_fewer_values() -> None:
    """Empty cells invisible: 'Lokaler 7,5' stands in one of three columns; only the third makes the sums hold."""
    labels = ["Förskola", "Lokaler", "Summa"]
    tails = ["10,0 20,0 30,0", "7,5", "10,0 20,0 37,5"]
    decision = decide(labels, _flex(tails), [1, 3], 3, gaps=True)
    assert decision is not None and decision.width == 3
    assert decision.rows[1].columns == (2,)
    # empty cells marked by spaces (the table reads positionally): the sums place nothing
    assert decide(labels, _flex(tails), [1, 3], 3, gaps=False) is None


def test_sum_groups_leave_out_varav_rows() -> None:
    labels = ["Förskola", "varav lokaler", "Äldreomsorg", "Summa", "Resultatfond", "Totalt"]
    assert sum_groups(labels) == [([0, 2], 3), ([4], 5)]


@pytest.mark.parametrize("header_width", [8, 16, 30])
def test_budget_forecast_and_deviation_without_a_total_are_read(header_width: int) -> None:
    """No Summa row to add up to: budget, forecast and their difference in tkr, magnitudes from tens to tens of
    thousands, read right by the widths and sizes the rows share."""
    from tests.tkr_variants import deviation_variant

    for seed in range(6):
        s = score(deviation_variant(seed, header_width))
        assert s.right == s.cells, s.misses
