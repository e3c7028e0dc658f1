"""Activity tables in layout text (samples 000 T1 2020, 004 VB 2021).

Expected values were read off the report text by hand (sed -n N p), not copied from parser output.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from malbas.etl.parse.activities.layout import parse_layout_activities
from tests.conftest import SAMPLES, goal_part_end, sample_lines

T1 = "000_649e5dab5eff6cea.txt"
VB = "004_ef35c64e421e5e72.txt"


def _lines(name: str) -> list[str]:
    return sample_lines(SAMPLES / name)


@lru_cache
def _activities(name: str):
    lines = _lines(name)
    rows, _ = parse_layout_activities(lines, 0, goal_part_end(lines))
    return {r.rad: r for r in rows}, rows


# ---------------------------------------------------------------- 000 (T1 2020)


def test_t1_count():
    assert len(_activities(T1)[1]) == 239


def test_t1_block_row_353():
    r = _activities(T1)[0][353]
    assert r.namn == (
        "Arbetsmarknadsnämnden i samarbete med stadsdelsnämnderna ska utveckla ett arbetssätt "
        "för att nå nyanlända som inte ingår i etableringsprogrammet."
    )
    assert (r.startdatum, r.slutdatum) == (date(2020, 1, 1), date(2020, 12, 31))
    assert r.status is None and not r.avvikelse and r.analys is None


def test_t1_row_before_goal_marker_without_blank_line():
    # 359-364 row, 365 " Nämndmål:" follows the date line directly
    rows, all_rows = _activities(T1)
    assert rows[359].namn.endswith("bidra till stadens utbud av arbetsmarknadsinsatser.")
    assert not any("Nämndmål" in r.namn for r in all_rows)


def test_t1_inline_row_550():
    r = _activities(T1)[0][550]
    assert r.namn == "Ta fram innovativa processer som leder till effektiva arbetssätt"
    assert r.slutdatum == date(2020, 12, 31)


def test_t1_row_analys_without_flag_521_552():
    rows = _activities(T1)[0]
    assert rows[521].namn == "Erbjuda insats inom fem dagar till personer med oklar arbetsförmåga"
    assert rows[521].analys.startswith("Utifrån rådande omständigheter med Covid-19")
    assert rows[521].analys.endswith("Uppföljning och redovisning av resultaten sker i tertial 2.")
    assert rows[521].analys_rad == 526 and not rows[521].avvikelse and rows[521].avvikelse_text is None
    assert rows[552].slutdatum == date(2020, 11, 30)
    assert rows[552].analys.startswith("Arbetet med att se över implementeringsmöjligheterna skjuts fram")


def test_t1_avvikelse_3571():
    rows, all_rows = _activities(T1)
    r = rows[3571]
    assert r.namn == "Utveckla och följa upp den nya mötesplatsen för hbtq-personer"
    assert r.avvikelse and r.analys_rad == 3573
    assert r.analys == (
        "Uppstart, planering och utveckling av mötesplatsens innehåll pågår. Tillgången till "
        "mötesplatslokalen har försenats, detta på grund av covid-19. Öppnandet av mötesplatsen "
        "beräknas ske i augusti."
    )
    assert r.avvikelse_text == r.analys
    assert [x.rad for x in all_rows if x.avvikelse] == [3571]


def test_t1_odd_dates():
    rows = _activities(T1)[0]
    assert rows[1477].slutdatum == date(2021, 1, 31)
    assert rows[1477].namn == "Ta fram innovativa processer som leder till effektiva arbetssätt"
    assert rows[4200].namn == "Regelbundna resultatdialoger införs på olika chefsnivåer"
    assert (rows[4200].startdatum, rows[4200].slutdatum) == (date(2019, 2, 1), date(2020, 5, 31))


def test_t1_scanning_past_the_goal_part_adds_nothing():
    lines = _lines(T1)
    rows, _ = parse_layout_activities(lines, 0, len(lines))
    assert len(rows) == 239


# ---------------------------------------------------------------- 004 (VB 2021)


def test_vb_count():
    assert len(_activities(VB)[1]) == 121


def test_vb_block_row_with_analys_480():
    r = _activities(VB)[0][480]
    assert r.namn == (
        "Arbetsmarknadsnämnden och utbildningsnämnden ska i samråd med socialnämnden och "
        "stadsdelsnämnderna revidera riktlinjerna för det kommunala aktivitetsansvaret"
    )
    assert (r.startdatum, r.slutdatum) == (date(2021, 1, 1), date(2021, 12, 31))
    assert r.analys == (
        "Handlingsplansarbetet har skett i flera led. Avdelningscheferna har deltagit i workshop och "
        "ett utkast har skickats till chefer inom ungdomsfrågor inom socialtjänsten."
    )
    assert r.analys_rad == 486 and not r.avvikelse and r.avvikelse_text is None


def test_vb_inline_rows_1089_1103():
    rows = _activities(VB)[0]
    assert rows[1089].namn == "Genomföra trygghetsskapande åtgärder i Vanadislunden."
    assert rows[1089].analys.startswith("I syfte att minska olovlig körning")
    assert rows[1089].analys.endswith("LOV§3 har beviljats i delar av Vanadislunden.")
    assert rows[1103].namn == "Kontinuitetsplaner för allvarliga händelser"
    assert rows[1107].startdatum == date(2020, 1, 1)


def test_vb_year_ranges_in_names():
    rows = _activities(VB)[0]
    assert rows[2790].namn == "Implementera program till stöd för anhöriga 2021-2024"
    assert rows[2790].startdatum == date(2021, 1, 1)
    assert rows[2790].analys == "Arbetet pågår och kommer att fortgå 2022."
    assert rows[2882].namn.endswith("samt sexuellt våld oberoende relationer 2021-2025.")
    assert rows[2744].namn.endswith("funktionsnedsättning 2018-2023 till berörda verksamheter.")


def test_vb_odd_dates_2494():
    r = _activities(VB)[0][2494]
    assert r.namn.startswith("Bostadsförmedlingen i Stockholm AB ska i samarbete med socialnämnden")
    assert r.namn.endswith("också får tillgång till det.")
    assert (r.startdatum, r.slutdatum) == (date(2021, 1, 31), date(2021, 6, 30))


def test_vb_avvikelse_3806():
    rows, all_rows = _activities(VB)
    r = rows[3806]
    assert r.namn == "Team för psykisk ohälsa startas upp i hemtjänst i egen regi"
    assert r.avvikelse
    assert r.avvikelse_text.startswith("Målsättningen under året var att starta ett specialiserat team")
    assert [x.rad for x in all_rows if x.avvikelse] == [3806]


def test_vb_page_break_header_after_analys_4717():
    rows = _activities(VB)[0]
    assert rows[4717].analys == "En trädvårdsplan för Blekholmsterassen har tagits fram under året."
    assert rows[4726].namn == "Undersöka intresse för en ny stadsodling vid Norrbackatäppan."
    assert rows[4884].analys == "."
    assert rows[4889].slutdatum == date(2022, 12, 31)


def test_vb_page_break_header_mid_table_1522():
    rows = _activities(VB)[0]
    assert 1517 in rows and 1524 in rows
    assert rows[1524].namn.startswith("Utbildningsnämnden ska i samverkan med stadsdelsnämnderna utreda")


# ---------------------------------------------------------------- synthetic: structure, not samples


def test_balance_sheet_dates_outside_a_table_are_ignored():
    lines = ["Tillgångar (mnkr) 2019-12-31 2020-12-31", "Anläggningstillgångar 10,0 12,0"]
    assert parse_layout_activities(lines, 0, len(lines))[0] == []


def test_goal_level_analys_ends_table_and_marker_is_stripped():
    lines = [
        "Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "✓ Göra något bra 2022-01-01 2022-12-31",
        "",
        "Analys",
        "",
        "Goal-level prose 2022-01-01 2022-12-31",
    ]
    rows, _ = parse_layout_activities(lines, 0, len(lines))
    assert [(r.namn, r.status, r.rad) for r in rows] == [("Göra något bra", "✓", 3)]


def test_page_break_inside_name_and_inside_comment():
    lines = [
        "  Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "  Utveckla samverkan med ",
        "    Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "civilsamhället i området",
        "",
        "2022-01-01 2022-12-31 Avvikelse",
        "",
        "Analys",
        "Arbetet har försenats på grund av ",
        "    Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "personalbrist under hösten.",
        "",
        "Nästa aktivitet 2022-02-01 2022-06-30",
    ]
    rows, _ = parse_layout_activities(lines, 0, len(lines))
    assert [r.namn for r in rows] == ["Utveckla samverkan med civilsamhället i området", "Nästa aktivitet"]
    first = rows[0]
    assert first.rad == 3 and first.avvikelse and first.analys_rad == 10
    assert first.avvikelse_text == "Arbetet har försenats på grund av personalbrist under hösten."
    assert rows[1].slutdatum == date(2022, 6, 30) and rows[1].avvikelse_text is None


def test_names_join_with_spaces_when_trailing_spaces_are_stripped():
    lines = [
        "Aktivitet Startdatum Slutdatum",
        "Genomföra",
        "utbildning för 2021-",
        "2025",
        "2022-01-01 2022-12-31",
    ]
    rows, _ = parse_layout_activities(lines, 0, len(lines))
    assert [r.namn for r in rows] == ["Genomföra utbildning för 2021-2025"]


def test_analys_marker_separated_from_its_text_by_a_page_header():
    lines = [
        "Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "Första 2022-01-01 2022-12-31",
        "",
        "Analys",
        "    Aktivitet Startdatum Slutdatum Avvikelse",
        "",
        "Kommentaren står på nästa sida.",
        "",
        "Andra 2022-01-01 2022-12-31",
    ]
    rows, _ = parse_layout_activities(lines, 0, len(lines))
    assert [(r.namn, r.analys, r.analys_rad) for r in rows] == [
        ("Första", "Kommentaren står på nästa sida.", 5),
        ("Andra", None, None),
    ]
