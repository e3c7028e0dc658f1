"""Counts a report states about itself (etl/parse/stated_counts.py), compared with what was read.

The sample cases are read by hand from the report text (the line is cited) and checked against the guides'
counts (../shared/docs/formats/*.md): the mismatches the reports really contain become notes, the statements
that match do not; changing one word of a matching statement makes it a note, which shows it was found, given
its scope and compared.
"""

from __future__ import annotations

import pytest

from malbas.etl.parse.parser import parse_text
from malbas.etl.parse.stated_counts import Subject, find_statements, number_value
from malbas.vocabulary import Bedomning
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY, sample_lines

HELT, DELVIS = Bedomning.HELT, Bedomning.DELVIS


def _notes(lines: list[str]) -> list[tuple[int | None, str]]:
    report = parse_text("\n".join(lines))
    return [(n.rad, n.meddelande) for n in report.kvalitet if n.typ == "antal_avviker"]


# ---------------------------------------------------------------- the words


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("en", 1), ("ett", 1), ("två", 2), ("tre", 3), ("sju", 7), ("tio", 10), ("elva", 11), ("tolv", 12),
        ("arton", 18), ("aderton", 18), ("nitton", 19), ("tjugo", 20), ("tjugoen", 21), ("tjugofem", 25),
        ("trettiotvå", 32), ("21", 21), ("Sju", 7), ("båda", 2), ("tjugox", None), ("hälften", None),
    ],
)  # fmt: skip
def test_counts_in_digits_and_words(word: str, value: int | None) -> None:
    assert number_value(word) == value


def _read(text: str) -> list[tuple[Subject, int | None, tuple[tuple[Bedomning, int], ...]]]:
    return [(s.subject, s.total, s.counts) for s in find_statements(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # issue 11's examples
        (
            "Av målen för verksamhetsområdena bedöms 14 uppnås helt och 2 delvis.",
            [(Subject.KF_MAL, None, ((HELT, 14), (DELVIS, 2)))],
        ),
        ("Alla nämndens 25 mål bedöms uppnås helt.", [(Subject.NAMNDMAL, 25, ((HELT, 25),))]),
        (
            "Bedömningen grundar sig på att alla sju KF-indikatorer bedöms uppnås.",
            [(Subject.KF_INDIKATORER, 7, ())],
        ),
        (
            "fyra av kommunfullmäktiges fem verksamhetsområdesmål bedöms uppnås helt medan ett mål bedöms uppnås delvis",
            [(Subject.KF_MAL, 5, ((HELT, 4), (DELVIS, 1)))],
        ),
        ("att de två KF-aktiviteterna beräknas genomföras", [(Subject.KF_AKTIVITETER, 2, ())]),
        ("att två KF-aktiviteterna beräknas genomföras", [(Subject.KF_AKTIVITETER, 2, ())]),
        ("de elva indikatorerna", [(Subject.INDIKATORER, 11, ())]),
        # other whole forms
        ("samtliga tio KF- indikatorer", [(Subject.KF_INDIKATORER, 10, ())]),  # 'KF-' / 'indikatorer' across lines
        ("tjugoen av tjugotvå indikatorer nås", [(Subject.INDIKATORER, 22, ())]),
        ("sju av arton av nämndens aktiviteter har påbörjats", [(Subject.NAMND_AKTIVITETER, 18, ())]),
        ("sex av sju av nämnden beslutade indikatorer nås", [(Subject.NAMND_INDIKATORER, 7, ())]),
        ("kommunfullmäktiges båda mål för verksamhetsområdet bedöms uppnås", [(Subject.KF_MAL, 2, ())]),
        ("Stadsdelsnämnden har formulerat tio nämndmål som alla bidrar", [(Subject.NAMNDMAL, 10, ())]),
        ("Vidare bedöms underliggande två nämndmål uppnås delvis.", [(Subject.NAMNDMAL, 2, ((DELVIS, 2),))]),
        ("Av de sju nämndmålen bedöms fem mål uppnås helt.", [(Subject.NAMNDMAL, 7, ((HELT, 5),))]),
        ("kommunfullmäktiges tre inriktningsmål", [(Subject.INRIKTNINGSMAL, 3, ())]),
        ("samtliga 18 nämndaktiviteter", [(Subject.NAMND_AKTIVITETER, 18, ())]),
        ("alla 24 KF-uppdrag", [(Subject.KF_AKTIVITETER, 24, ())]),
        # 'helt eller delvis' names no one assessment; indicator verdicts are kept but never compared
        ("fyra av åtta KF-indikatorer beräknas uppnås helt eller delvis", [(Subject.KF_INDIKATORER, 8, ())]),
        # not a whole, or not these items: ignored
        ("Nämnden följer elva indikatorer.", []),
        ("att nio aktiviteter beräknas genomföras", []),
        ("Av de 18 aktiviteter som finns med i handlingsplanen har hälften kunnat följas upp.", []),
        ("Av dessa 14 har fältgruppen fått två uppdrag", []),  # 000 l.1568
        ("bidrar till två av de globala målen i Agenda 2030", []),
        ("genomfördes över 100 aktiviteter för barn", []),
        ("stadsdelens tre aktivitetscenter", []),
    ],
)
def test_statements_in_sentences(sentence: str, expected: list) -> None:
    assert _read(sentence) == expected


def test_a_statement_holds_no_other_and_its_offset_is_kept() -> None:
    text = "Bedömningen baseras på att fyra av kommunfullmäktiges fem verksamhetsområdesmål bedöms uppfyllas helt."
    [statement] = find_statements(text)
    assert statement.text == "fyra av kommunfullmäktiges fem verksamhetsområdesmål"
    assert text[statement.start :].startswith("fyra av")


# ---------------------------------------------------------------- the samples


def test_the_mismatches_the_samples_contain_are_noted_and_nothing_else() -> None:
    # guide 000 §8: "KF 1.1 'alla sju KF-indikatorer' vs 8 rows; KF 2.4 'tre KF-aktiviteter' vs 4 rows"
    # (l.96 'Bedömningen grundar sig på att alla sju KF-indikatorer bedöms uppnås …', indicator rows 209-349;
    # l.3197 'samtliga tre KF-aktiviteter beräknas genomföras …', KF activity rows 3322-3351)
    assert _notes(sample_lines(T1_RINKEBY)) == [
        (96, "KF goal 1.1: the text says 'alla sju KF-indikatorer' (7 KF indicator rows), but 8 were read"),
        (3197, "KF goal 2.4: the text says 'samtliga tre KF-aktiviteter' (3 KF activities), but 4 were read"),
    ]
    # guide 004 §3: "The text at l.3830 says 'nio nämndmål' for IM2, but only 7 appear"
    assert _notes(sample_lines(VB_NORRMALM)) == [
        (3830, "inriktningsmål 2: the text says 'nio nämndmål' (9 nämndmål), but 7 were read")
    ]
    # 001 l.424 'Av de 18 aktiviteter som finns med i handlingsplanen' counts the plan's activities: no note
    assert _notes(sample_lines(VB_HASSELBY)) == []
    assert _notes(sample_lines(VP_RINKEBY)) == []


# Statements in the samples that match what was read: (sample, line, the words as printed, a changed count,
# the note the change must give). Counts from the guides' outlines (000 §2, 004 §2-3) and the assessment lines.
MATCHING = [
    # 000 l.1501 KF 1.4: 'alla 21 KF-indikatorer … alla 24 KF-aktiviteter' (indicator rows 1656-1922: 21;
    # KF activities 1923-2101: 24)
    (T1_RINKEBY, 1501, "alla 21 KF-indikatorer", "alla 20 KF-indikatorer", "KF goal 1.4", "(20 KF indicator rows), but 21"),
    (T1_RINKEBY, 1501, "alla 24", "alla 23", "KF goal 1.4", "(23 KF activities), but 24"),
    # 000 l.1332 nämndmål 1.3.1: '21 av 21 aktiviteter' (activities 1382-1490: 21)
    (T1_RINKEBY, 1332, "21 av 21 aktiviteter", "21 av 22 aktiviteter", "nämndmål 1.3.1", "(22 activities), but 21"),
    # 000 l.3126 KF 2.3: 'de sju underliggande nämndaktiviteterna', those of nämndmål 2.3.1 (3159-3185: 7)
    (T1_RINKEBY, 3126, "de sju underliggande", "de sex underliggande", "KF goal 2.3", "(6 nämnd activities), but 7"),
    # 000 l.4245 nämndmål 3.2.2: 'sju av arton av nämndens aktiviteter' (activities 4329-4387: 18)
    (T1_RINKEBY, 4245, "sju av arton", "sju av nitton", "nämndmål 3.2.2", "(19 nämnd activities), but 18"),
    # 000 l.13-14, the summary under the heading of inriktningsmål 1 (l.11): 'fyra av kommunfullmäktiges fem
    # verksamhetsområdesmål bedöms uppfyllas helt medan ett mål bedöms uppfyllas delvis' (KF 1.2 delvis l.593,
    # 1.1/1.3/1.4/1.5 helt)
    (T1_RINKEBY, 13, "fyra av kommunfullmäktiges", "tre av kommunfullmäktiges", "inriktningsmål 1", "(3 KF goals assessed helt), but 4"),
    (T1_RINKEBY, 13, "fem verksamhetsområdesmål", "sex verksamhetsområdesmål", "inriktningsmål 1", "(6 KF goals), but 5"),
    # 000 l.61, under the heading of inriktningsmål 3 (l.59): 'kommunfullmäktiges båda mål för verksamhetsområdet'
    (T1_RINKEBY, 61, "kommunfullmäktiges båda", "kommunfullmäktiges tre", "inriktningsmål 3", "(3 KF goals), but 2"),
    # 000 l.2, before any heading: 'kommunfullmäktiges tre inriktningsmål'
    (T1_RINKEBY, 2, "kommunfullmäktiges tre", "kommunfullmäktiges fyra", "the report", "(4 inriktningsmål), but 3"),
    # 004 l.119 inriktningsmål 1: 'tio nämndmål som alla bidrar' (guide 004 §3: correct, 1.1.1 … 1.5.1)
    (VB_NORRMALM, 119, "formulerat tio nämndmål", "formulerat elva nämndmål", "inriktningsmål 1", "(11 nämndmål), but 10"),
    # 004 l.5-6: 'elva av kommunfullmäktiges tolv mål för stadsdelsnämndens verksamhetsområden har uppfyllts helt
    # under året och att ett uppfylls delvis' (guide 004 §3: 11 KF helt + 1 delvis)
    (VB_NORRMALM, 5, "elva av kommunfullmäktiges", "tio av kommunfullmäktiges", "the report", "(10 KF goals assessed helt), but 11"),
    # (the note is on l.5, where the statement starts)
    (VB_NORRMALM, 6, "och att ett uppfylls delvis", "och att två uppfylls delvis", "the report", "(2 KF goals assessed delvis), but 1"),
    # 004 l.642 KF 1.2: 'ett av två underliggande nämndmål delvis uppnåtts' (1.2.1 delvis l.1013, 1.2.2 helt)
    (VB_NORRMALM, 642, "ett av två", "två av två", "KF goal 1.2", "(2 nämndmål assessed delvis), but 1"),
    # 004 l.2905 KF 1.5: 'årsmålen för 9 av 13 indikatorer' (guide 004 §2: indicators 3187-3503, 13 rows)
    (VB_NORRMALM, 2905, "9 av 13 indikatorer", "9 av 14 indikatorer", "KF goal 1.5", "(14 indicator rows), but 13"),
    # 001 l.142 inriktningsmål 1: 'Tre av fem verksamhetsområdesmål nås delvis och två verksamhetsområdesmål nås
    # helt' (KF 1.1 helt l.193, 1.2 delvis l.394, 1.3 helt l.625, 1.4 delvis l.865, 1.5 delvis l.1486)
    (VB_HASSELBY, 142, "och två verksamhetsområdesmål", "och tre verksamhetsområdesmål", "inriktningsmål 1", "(3 KF goals assessed helt), but 2"),
    # 001 l.745 nämndmål 1.3.1: 'sex av sju av nämnden beslutade indikatorer nås och att tio av tolv aktiviteter'
    (VB_HASSELBY, 745, "tio av tolv", "tio av elva", "nämndmål 1.3.1", "(11 activities), but 12"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "rad", "printed", "changed", "scope", "message"),
    MATCHING,
    ids=[f"{p.name[:3]} l.{rad} {printed}" for p, rad, printed, *_ in MATCHING],
)
def test_statements_that_match_give_a_note_once_their_count_is_changed(
    path, rad: int, printed: str, changed: str, scope: str, message: str
) -> None:  # noqa: ANN001
    lines = list(sample_lines(path))
    assert printed in lines[rad - 1], lines[rad - 1]
    before = _notes(lines)
    assert not [n for n in before if n[0] == rad]
    lines[rad - 1] = lines[rad - 1].replace(printed, changed, 1)
    added = [n for n in _notes(lines) if n not in before]
    assert len(added) == 1
    note_rad, text = added[0]
    statement_line = rad - 1 if printed.startswith("och att") else rad
    assert note_rad == statement_line and text.startswith(f"{scope}: the text says ") and f"{message} were read" in text
