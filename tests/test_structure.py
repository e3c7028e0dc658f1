"""Structural refusal (etl/parse/structure.py): a file holding two reports, or a report with its lines out of
order, is refused with a one-line reason; what real reports do (unnumbered goals, a missing number, a marker
at a page top, goal titles restated in the summary) still parses."""

from __future__ import annotations

import random
import re

import pytest
from click.testing import CliRunner

from malbas.cli import main
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.parser import parse_text
from tests.conftest import ALL_SAMPLES, T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY, sample_lines
from tests.economy_variants import EconomyStyle, render_report, tabbed_tables
from tests.variants import HYGIENE, WIDTHS_NARROW, Style, render_tabbed, transplant

SAMPLE_IDS = [p.name[:3] for p in ALL_SAMPLES]
# Goals per sample, from the guides (../shared/docs/formats/*.md §3): 3 inriktningsmål + 12 KF goals + nämndmål.
GOALS = {"000": 30, "001": 46, "003": 30, "004": 35}
# The line of each sample's 'Uppföljning av ekonomi' heading (guide 000 §2 l.4388, 001 §2 l.2691, 003 §2
# l.1537, 004 §2 l.5378).
ECONOMY = {"000": 4388, "001": 2691, "003": 1537, "004": 5378}


def _text(path) -> str:  # noqa: ANN001
    return "\n".join(sample_lines(path))


def _refused(text: str) -> str:
    with pytest.raises(ParseError) as exc:
        parse_text(text)
    message = str(exc.value)
    assert message and "\n" not in message
    return message


# ---------------------------------------------------------------- no false refusal


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=SAMPLE_IDS)
def test_the_samples_parse(path) -> None:  # noqa: ANN001
    assert len(parse_text(_text(path)).mal) == GOALS[path.name[:3]]


@pytest.mark.parametrize(
    "style",
    [Style(), Style(spaced=True, rows_per_page=2, split_rows=True, foot="glued", widths=WIDTHS_NARROW)],
    ids=["as printed", "page breaks, glued feet"],
)
def test_generated_layout_variants_parse(style: Style) -> None:
    assert len(parse_text(transplant("000", style).text).mal) == 30
    assert len(parse_text(transplant("004", Style(spaced=True, rows_per_page=3, foot="separate")).text).mal) == 35


@pytest.mark.parametrize("kind", ["T1", "VB"])
def test_generated_tabbed_and_economy_variants_parse(kind: str) -> None:
    # one goal section per indicator group, without inriktningsmål markers (tests/variants.py render_tabbed)
    assert parse_text(render_tabbed("001", Style(spaced=True), kind=kind).text).mal
    assert len(parse_text(render_report(tabbed_tables("001"), EconomyStyle()).text).mal) == 30


@pytest.mark.parametrize("variant", sorted(HYGIENE))
def test_hygiene_variants_parse(variant: str) -> None:
    assert len(parse_text(HYGIENE[variant](_text(T1_RINKEBY))).mal) == 30


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    spans, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        spans.append((i, j))
        i = j
    return spans


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("path", [T1_RINKEBY, VB_NORRMALM], ids=["000", "004"])
def test_a_few_adjacent_paragraphs_exchanged_still_parse(path, seed: int) -> None:  # noqa: ANN001
    rng = random.Random(seed)
    lines = list(sample_lines(path))
    for _ in range(3):
        paragraphs = _paragraphs(lines)
        k = rng.randrange(len(paragraphs) - 1)
        (a, b), (c, d) = paragraphs[k], paragraphs[k + 1]
        lines = lines[:a] + lines[c:d] + lines[b:c] + lines[a:b] + lines[d:]
    assert len(parse_text("\n".join(lines)).mal) == GOALS[path.name[:3]]


def _without_goal_numbers(lines: list[str], levels: set[str]) -> list[str]:
    """The sample with the numbers taken off the titles of goals at `levels` ('1.1.1 Title' -> 'Title')."""
    out, pending = [], False
    for line in lines:
        level = marker_level(line)
        if level:
            if level[1] and level[0] in levels:
                line = re.sub(r":\s*\d+(?:\.\d+)*\.?\s+", ": ", line, count=1)
            pending = level[0] in levels and not level[1]
        elif pending and line.strip():
            line, pending = re.sub(r"^(\W*)\d+(?:\.\d+)*\.?\s+", r"\1", line, count=1), False
        out.append(line)
    return out


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=SAMPLE_IDS)
@pytest.mark.parametrize("levels", [{"namndmal"}, {"inriktningsmal", "verksamhetsomradesmal", "namndmal"}])
def test_reports_that_do_not_number_their_goals_parse(path, levels: set[str]) -> None:  # noqa: ANN001
    report = parse_text("\n".join(_without_goal_numbers(list(sample_lines(path)), levels)))
    assert len(report.mal) == GOALS[path.name[:3]]
    assert not any(g.nummer for g in report.mal if g.niva in levels)


def test_one_mistyped_goal_number_a_missing_marker_and_a_marker_at_a_page_top_parse() -> None:
    lines = list(sample_lines(VB_NORRMALM))
    # l.1117 'Nämndmål: 1.2.2 Parker …' mistyped as 1.1.2, between 1.2.1 (l.1011) and 1.3 (l.1188)
    assert lines[1116].startswith("Nämndmål: 1.2.2 ")
    lines[1116] = lines[1116].replace("1.2.2", "1.1.2", 1)
    # l.3825-3826 'KF:s inriktningsmål: 2. En hållbart växande …' dropped: KF goal 2.1 follows nämndmål 1.5.1
    assert lines[3824].startswith("KF:s inriktningsmål: 2.")
    lines[3824:3826] = ["", ""]
    report = parse_text("\n".join(lines))
    assert [g.nummer for g in report.mal][5:8] == ["1.2.1", "1.1.2", "1.3"]
    assert "2" not in [g.nummer for g in report.mal] and len(report.mal) == 34
    # 000 l.87 'KF:s mål för verksamhetsområdet:' at a page's foot, its title l.88 on the next page
    lines = list(sample_lines(T1_RINKEBY))
    assert lines[86] == "KF:s mål för verksamhetsområdet:" and lines[87].startswith("1.1 I Stockholm")
    lines[87:87] = ["", "", "Tjänsteutlåtande", "Sid 4 (78)", ""]
    goal = parse_text("\n".join(lines)).mal[1]
    assert (goal.nummer, goal.titel[:22]) == ("1.1", "I Stockholm är människ")


# ---------------------------------------------------------------- two reports in one file


@pytest.mark.parametrize("second", ALL_SAMPLES, ids=SAMPLE_IDS)
@pytest.mark.parametrize("first", ALL_SAMPLES, ids=SAMPLE_IDS)
def test_two_reports_concatenated_are_refused(first, second) -> None:  # noqa: ANN001
    message = _refused(_text(first) + "\n" + _text(second))
    assert message.startswith("two reports in one file: ")
    if {first, second} == {VB_HASSELBY, VP_RINKEBY}:
        # the two samples with title lines (001 l.12, 003 l.11): the titles name different reports
        assert "the title at line" in message and "Hässelby-Vällingby" in message and "Rinkeby- Kista" in message
    else:
        n = len(sample_lines(first))
        assert f"starts twice, at lines {ECONOMY[first.name[:3]]} and {n + ECONOMY[second.name[:3]]}" in message


def test_the_goal_numbering_starting_over_is_refused() -> None:
    # 000's goal part (l.1-4387, up to its economy heading at l.4388), then all of 004: one economy part, and
    # 004's first goal (l.114 'KF:s inriktningsmål: 1. …') follows 000's last (3.2.2, l.4229)
    text = "\n".join(sample_lines(T1_RINKEBY)[:4387] + sample_lines(VB_NORRMALM))
    message = _refused(text)
    assert message.startswith(f"the goal numbering starts over at line {4387 + 114} (1 after 3.2.2)")


def test_page_feet_naming_two_committees_are_refused() -> None:
    def with_feet(committees: list[str]) -> str:
        lines = list(sample_lines(T1_RINKEBY))
        blanks = [i for i, line in enumerate(lines) if not line.strip()][50::170][: len(committees)]
        for i, committee in sorted(zip(blanks, committees, strict=True), reverse=True):
            lines[i:i] = ["", f"{committee}, Tertialrapport 1", ""]
        return "\n".join(lines)

    assert parse_text(with_feet(["Rinkeby-Kista stadsdelsnämnd"] * 6)).mal
    feet = ["Rinkeby-Kista stadsdelsnämnd"] * 3 + ["Skarpnäcks stadsdelsnämnd"] * 3
    message = _refused(with_feet(feet))
    assert message == (
        "two reports in one file: the page feet name two committees (Rinkeby-Kista stadsdelsnämnd, Skarpnäcks stadsdelsnämnd)"
    )


def test_titles_of_two_years_are_refused() -> None:
    plan = _text(VP_RINKEBY)  # title l.11 'Verksamhetsplan 2020 för Rinkeby- Kista stadsdelsnämnd'
    next_year = plan.replace("Verksamhetsplan 2020 för", "Verksamhetsplan 2021 för", 1)
    message = _refused(plan + "\n" + next_year)
    assert message.startswith("two reports in one file: the title at line 11 reads 'Verksamhetsplan 2020 för")
    assert f"the title at line {2011 + 11} reads 'Verksamhetsplan 2021 för" in message


# ---------------------------------------------------------------- lines out of order


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=SAMPLE_IDS)
def test_a_shuffled_report_is_refused(path, seed: int) -> None:  # noqa: ANN001
    lines = list(sample_lines(path))
    random.Random(seed).shuffle(lines)
    _refused("\n".join(lines))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=SAMPLE_IDS)
def test_a_shuffled_goal_part_is_refused_for_its_goals(path, seed: int) -> None:  # noqa: ANN001
    """The economy part left in place: the goal markers and numbers alone show the disorder."""
    lines = list(sample_lines(path))
    goal_part = lines[: ECONOMY[path.name[:3]] - 1]
    random.Random(seed).shuffle(goal_part)
    message = _refused("\n".join(goal_part + lines[len(goal_part) :]))
    assert re.match(
        r"goal markers without their goals|goal numbers out of sequence|the goal numbering starts over", message
    )


def test_goal_sections_exchanged_are_refused() -> None:
    lines = list(sample_lines(VB_NORRMALM))
    # KF goal 1.2 with its nämndmål (l.634-1187) and KF goal 1.3 with its nämndmål (l.1188-1629) exchanged
    swapped = lines[:633] + lines[1187:1629] + lines[633:1187] + lines[1629:]
    assert _refused("\n".join(swapped)) == (
        f"goal numbers out of sequence at line {633 + (1629 - 1187) + 1} (1.2 after 1.3.1): the lines are out of order"
    )


def test_goal_markers_after_the_economy_part_are_refused() -> None:
    lines = list(sample_lines(T1_RINKEBY))
    # the last two nämndmål, 3.2.1 (l.4112) and 3.2.2 (l.4229-4387), moved to the end of the file
    moved = lines[:4111] + lines[4387:] + lines[4111:4387]
    start = 4111 + len(lines) - 4387
    message = _refused("\n".join(moved))
    assert message.startswith(f"2 goal markers after the economy part (lines {start + 1}, {start + 1 + 4229 - 4112}):")
    # one marker there (3.2.2 alone) may be a prose line that happens to start with 'nämndmål:'
    assert parse_text("\n".join(lines[:4228] + lines[4387:] + lines[4228:4387])).mal


# ---------------------------------------------------------------- the command line


def test_the_cli_names_the_file_and_the_reason_in_one_line(tmp_path) -> None:  # noqa: ANN001
    two = tmp_path / "two_reports.txt"
    two.write_text(_text(VB_NORRMALM) + "\n" + _text(T1_RINKEBY), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(two)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (
        f"malbas: {two}: two reports in one file: the economy part ('Uppföljning av ekonomi') starts twice, "
        f"at lines 5378 and {6734 + 4388}\n"
    )
