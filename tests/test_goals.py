"""Goal tree: numbers, titles, parents, assessments and text blocks, checked by hand against the reports."""

from collections import Counter

import pytest

from malbas.etl.parse.goals import parse_goals
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY, sample_lines


def goals_of(path):
    lines = sample_lines(path)
    return {s.mal.nummer: s.mal for s in parse_goals(lines, 0, len(lines))}


@pytest.mark.parametrize(
    ("path", "kf", "namnd"),
    [(T1_RINKEBY, 12, 15), (VB_HASSELBY, 12, 31), (VP_RINKEBY, 12, 15), (VB_NORRMALM, 12, 20)],
)
def test_goal_counts_match_the_reports(path, kf, namnd):
    lines = sample_lines(path)
    levels = Counter(s.mal.niva for s in parse_goals(lines, 0, len(lines)))
    assert levels == {"inriktningsmal": 3, "verksamhetsomradesmal": kf, "namndmal": namnd}


def test_layout_titles_wrap_and_numbers_lose_their_dot():
    goals = goals_of(T1_RINKEBY)
    # l.1310-1311, number printed "1.3.1." with a trailing dot
    assert goals["1.3.1"].titel == (
        "Förskolebarnen når sin fulla potential i en trygg förskola som erbjuder en "
        "likvärdig undervisning av hög kvalitet"
    )
    assert goals["1.3.1"].overordnat == "1.3"
    assert goals["1.3.1"].rad == 1309
    # l.88-89 "1.1 " without a dot, wrapped
    assert (
        goals["1.1"].titel
        == "I Stockholm är människor självförsörjande och vägen till arbete och svenskkunskaper är kort"
    )
    # l.71 is followed at once by prose: the title must stop there
    assert goals["1"].titel == "En modern storstad med möjligheter och valfrihet för alla"


def test_layout_assessments():
    goals = goals_of(T1_RINKEBY)
    delvis = sorted(n for n, m in goals.items() if m.bedomning == "delvis")
    assert delvis == ["1.2", "1.2.1", "1.2.2"]  # l.593, 769, 970
    assert goals["3.2.2"].bedomning == "helt"


def test_marker_and_title_on_one_line():
    goals = goals_of(VB_NORRMALM)
    assert goals["2.4"].titel == "Stockholm är en modern kultur- och evenemangsstad med en stark besöksnäring"  # l.4032
    assert goals["1.2.1"].titel == "Tryggt stadsdelsområde"  # l.1011
    assert goals["1.2.1"].bedomning == "delvis"
    assert goals["1"].titel == "En modern storstad med möjligheter och valfrihet för alla"  # l.114-115
    assert sorted(n for n, m in goals.items() if m.bedomning == "delvis") == ["1.2", "1.2.1"]


def test_tabbed_markup_and_icons_are_stripped():
    goals = goals_of(VB_HASSELBY)
    assert goals["2.3.1"].titel == "Fossilbränslefria resor och transporter prioriteras."  # l.1918, bold ####
    assert goals["1.4"].titel.startswith("I Stockholm får människor i behov av stöd")  # l.863 plain text
    assert goals["1.1.2"].bedomning == "delvis"  # l.326 "◆ Uppfylls delvis"
    assert goals["1.4.1"].bedomning == "delvis"  # l.1103 without prefix
    assert goals["3.1"].bedomning == "helt"  # l.2258 after six whitespace-only lines
    assert goals["1"].bedomning == "delvis"  # prose l.142 "bidrar delvis till att uppfylla"


def test_toc_and_summary_headings_are_not_goals():
    goals = goals_of(VB_HASSELBY)
    assert len(goals) == 46
    assert min(m.rad for m in goals.values()) == 138  # the TOC (l.25-39) and summary (82) come before


def test_plan_has_no_assessments_but_text_blocks():
    goals = goals_of(VP_RINKEBY)
    assert all(m.bedomning is None for m in goals.values())
    blocks = {t.rubrik: t for t in goals["1.2.1"].texter}
    assert set(blocks) >= {"Beskrivning", "Förväntat resultat"}
    # l.486-488: the block ends where the activity table starts
    assert (
        blocks["Förväntat resultat"].text
        == "Minst 77 procent upplever trygghet i den stadsdel där de bor (utfall 2019: 41 procent)"
    )
    assert blocks["Förväntat resultat"].rad == 486


def test_goal_level_analysis_block():
    goals = goals_of(T1_RINKEBY)
    analys = next(t for t in goals["1.1"].texter if t.rubrik == "Analys")
    assert analys.rad == 93
    assert analys.text.startswith("Förvaltningen gör bedömningen att kommunfullmäktiges mål")
    assert any(t.rubrik == "Jämställdhetsanalys" for t in goals["1.1"].texter)  # l.199
