"""Tabbed indicator and activity tables (samples 001 VB 2020, 003 VP 2020).

Expected values were read off the report text by hand (sed -n N p), not copied from parser output.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache

import pytest

from malbas.etl.parse.activities.tabbed import parse_tabbed_activities
from malbas.etl.parse.indicators.tabbed import parse_tabbed_indicators
from tests.conftest import SAMPLES, goal_part_end, sample_lines

VB = "001_b4dd1f5a7ed00e2b.txt"
VP = "003_130f0561e7be4d6d.txt"


def _lines(name: str) -> list[str]:
    return sample_lines(SAMPLES / name)


@lru_cache
def _indicators(name: str):
    lines = _lines(name)
    rows, _ = parse_tabbed_indicators(lines, 0, goal_part_end(lines))
    return {r.rad: r for r in rows}, rows


@lru_cache
def _activities(name: str):
    lines = _lines(name)
    rows, _ = parse_tabbed_activities(lines, 0, goal_part_end(lines))
    return {r.rad: r for r in rows}, rows


# ---------------------------------------------------------------- 001 indicators


def test_vb_indicator_count():
    assert len(_indicators(VB)[1]) == 104


def test_vb_full_row_258():
    r = _indicators(VB)[0][258]
    assert r.namn == "Andel barn som lever i familjer som har ekonomiskt bistånd"
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor) == (3.1, None, None)
    assert (r.foregaende_utfall, r.prognos, r.arsmal, r.kf_arsmal) == (3.3, 3.1, 3.2, 2.7)
    assert r.enhet == "%" and r.period == "VB 2020" and r.periodicitet is None
    assert r.osaker is None and r.analys is None
    assert r.celler["kf_arsmal"] == "2,7 %"


def test_vb_header_variant_kvinn_or_265():
    # header 264 spells "Utfall kvinn or/ flickor"
    r = _indicators(VB)[0][265]
    assert r.namn == "Antal aspiranter som fått Stockholmsjobb"
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor, r.foregaende_utfall) == (22, 4, 18, 31)
    assert (r.prognos, r.arsmal, r.kf_arsmal, r.enhet) == (22, 20, 800, "st")


def test_vb_text_cell_and_row_unit_266():
    r = _indicators(VB)[0][266]
    assert (r.utfall, r.foregaende_utfall, r.prognos, r.arsmal) == (743, 952, 743, 700)
    assert r.kf_arsmal is None and r.text == {"kf_arsmal": "Tas fram av nämnd"}
    assert r.enhet == "st"  # only the Årsmål cell prints the unit


def test_vb_no_leading_space_and_empty_prognos_1021():
    r = _indicators(VB)[0][1021]
    assert r.namn.startswith("Andel barn och unga som bedömts ha skyddsbehov")
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor, r.foregaende_utfall) == (100, 100, 100, 100)
    assert r.prognos is None and (r.arsmal, r.kf_arsmal) == (100, 100)


def test_vb_units_missing_in_some_cells_1029():
    r = _indicators(VB)[0][1029]
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor, r.foregaende_utfall) == (33.1, 29.78, 35.46, 35.19)
    assert (r.arsmal, r.kf_arsmal, r.enhet, r.period) == (39, 30, "%", "2020")
    assert r.analys.startswith("Resultatet av andel enskilda") and r.analys_rad == 1030


def test_vb_text_targets():
    rows = _indicators(VB)[0]
    assert rows[1025].text == {"kf_arsmal": "öka"} and rows[1025].kf_arsmal is None
    assert rows[1587].text == {"kf_arsmal": "Max 10 personer"} and rows[1587].arsmal == 10
    r = rows[2271]
    assert r.namn == "Nämndens prognossäkerhet T2"
    assert (r.utfall, r.foregaende_utfall) == (-1, 0)
    assert r.text == {"arsmal": "+/- 1 %", "kf_arsmal": "+/- 1 %"}


def test_vb_icon_stripped_1330():
    r = _indicators(VB)[0][1330]
    assert r.namn == "Andel barn och unga som upplever att de blivit illa behandlade"
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor, r.arsmal) == (19, 16, 22, 18)


def test_vb_name_wrapped_over_page_break_1049():
    rows, all_rows = _indicators(VB)
    r = rows[1049]
    assert r.namn == "Andel ungdomar som i stockholmsenkäten uppger att de inte använder alkohol"
    assert (r.utfall, r.utfall_man, r.utfall_kvinnor) == (65, 67, 62)
    assert (r.foregaende_utfall, r.prognos, r.arsmal, r.kf_arsmal) == (None, None, 70, 62)
    assert r.analys.startswith("Andelen ungdomar i årskurs 9 som uppger att de inte använder alkohol")
    assert not any(x.namn.startswith("uppger att") for x in all_rows)


def test_vb_analys_shapes():
    rows = _indicators(VB)[0]
    # 1: inline after a space
    assert rows[259].analys.startswith("Rådande konjunkturläge med en ökad arbetslöshet")
    assert rows[259].analys_rad == 260
    # 2: inline after a TAB
    assert rows[379].analys.startswith("Förvaltningen blev inte beviljad EU projektmedel")
    assert rows[379].arsmal == 70 and rows[379].utfall is None
    # 3: marker alone, text on the next line
    assert rows[1039].analys.startswith("Årsmålet har inte uppnåtts") and rows[1039].analys_rad == 1040
    # 4: HTML paragraphs
    assert rows[1773].analys.startswith("Indikatoren mäter andelen genomförandeplaner")
    assert "\nUppdaterandet av befintliga genomförandeplaner" in rows[1773].analys


def test_vb_orphan_analys_after_repeated_header():
    rows = _indicators(VB)[0]
    assert rows[1031].analys.startswith("Andel barn i skolåldern som klarar målen i kärnämnen har ökat")
    assert rows[1031].analys_rad == 1034
    assert rows[1169].analys.startswith("Vårdnadshavarnas upplevelse")
    assert "Förskolorna har försökt att undersöka" in rows[1169].analys
    assert rows[1580].analys.startswith("Resultatet avser alla")
    assert "Stadsdelsförvaltningen når inte upp till årsmålet" in rows[1580].analys
    assert rows[1979].analys.startswith("Förvaltningen motiverar barn och unga till en aktiv fritid och")
    assert rows[2124].analys.startswith("Kommunfullmäktiges årsmål uppnås.") and rows[2124].analys_rad == 2125


def test_vb_text_lines_are_not_rows():
    rows = _indicators(VB)[0]
    for rad in (260, 319, 483, 1035, 1052, 1174, 1584, 1985, 2128):
        assert rad not in rows


@pytest.mark.parametrize(
    ("rad", "utfall", "fg", "arsmal", "kf", "enhet"),
    [
        (2129, 47.5, 44.45, 55, 55, "%"),
        (2131, 1.5, None, 1.9, 1.9, "kg CO2 per kg livsmedel"),
        (2132, 1.1, 1.4, 1.6, 1945, "GWh"),
        (2133, 30, None, 35, 4500, "st"),
    ],
)
def test_vb_column_shifted_rows(rad, utfall, fg, arsmal, kf, enhet):
    r = _indicators(VB)[0][rad]
    assert (r.utfall, r.foregaende_utfall, r.arsmal, r.kf_arsmal) == (utfall, fg, arsmal, kf)
    assert r.utfall_man is None and r.utfall_kvinnor is None and r.prognos is None
    assert r.enhet == enhet and r.period == "2020"
    assert r.osaker  # the assignment is a reading, not a certainty
    assert not r.namn.startswith(("4", "1", "3"))


def test_vb_shifted_row_name_2132():
    assert _indicators(VB)[0][2132].namn == "Totalt köpt energi i stadens verksamheter"


def test_vb_regular_rows_are_certain():
    uncertain = {r.rad for r in _indicators(VB)[1] if r.osaker}
    assert uncertain == {2129, 2131, 2132, 2133}


# ---------------------------------------------------------------- 003 indicators (VP)


def test_vp_indicator_count():
    assert len(_indicators(VP)[1]) == 78


def test_vp_row_356():
    r = _indicators(VP)[0][356]
    assert r.namn == "Andel barn som lever i familjer som har ekonomiskt bistånd"
    assert (r.arsmal, r.kf_arsmal, r.enhet) == (8, 2.7, "%")
    assert r.periodicitet == "Tertial" and r.period is None and r.utfall is None


def test_vp_thousands_and_text_360():
    r = _indicators(VP)[0][360]
    assert r.arsmal == 1100 and r.kf_arsmal is None and r.text == {"kf_arsmal": "Tas fram av nämnd"}


def test_vp_icon_and_empty_kf_410():
    r = _indicators(VP)[0][410]
    assert r.namn.startswith("Andel nyanlända kvinnor och män som får ett personligt erbjudande")
    assert r.arsmal == 100 and r.kf_arsmal is None and "kf_arsmal" not in r.celler
    assert r.periodicitet == "Tertial"


def test_vp_fastställs_459_and_nämnd_rows_1246():
    rows = _indicators(VP)[0]
    assert rows[459].text == {"kf_arsmal": "Fastställs 2020"} and rows[459].periodicitet == "År"
    r = rows[1246]
    assert r.namn == "Andel flickor som besöker träffpunkterna"
    assert (r.arsmal, r.kf_arsmal, r.periodicitet) == (35, None, "Tertial")


def test_vp_units_and_long_text_1299_1302():
    rows = _indicators(VP)[0]
    assert (rows[1299].arsmal, rows[1299].kf_arsmal) == (1.9, 1.9)
    assert rows[1299].enhet == "kg CO2 per kg livsmedel"
    assert rows[1300].arsmal == 2
    assert rows[1300].text == {"kf_arsmal": "2 % energieffektivisering relativt 2018"}
    assert (rows[1301].arsmal, rows[1301].kf_arsmal, rows[1301].enhet) == (1.8, 1945, "GWh")
    assert (rows[1302].arsmal, rows[1302].kf_arsmal, rows[1302].enhet) == (108, 5000, "st")


def test_vp_tolerance_1376():
    r = _indicators(VP)[0][1376]
    assert r.text == {"arsmal": "+/-1 %", "kf_arsmal": "+/- 1 %"} and r.arsmal is None


# ---------------------------------------------------------------- 001 activities


def test_vb_activity_count_and_flags():
    rows = _activities(VB)[1]
    assert len(rows) == 138
    assert sorted(r.rad for r in rows if r.avvikelse) == [541, 546, 798, 805, 855, 1178, 2594, 2600]
    assert Counter(r.status for r in rows) == {"✓": 63, None: 70, "!": 4, "ⓘ": 1}


def test_vb_activity_inline_analys_541():
    r = _activities(VB)[0][541]
    assert r.namn == "Genomföra övning i krishantering"
    assert (r.startdatum, r.slutdatum) == (date(2020, 1, 1), date(2020, 12, 31))
    assert r.avvikelse and r.status is None and r.analys_rad == 542
    assert r.analys == (
        "Förvaltningen har på grund av den pågående pandemin inte kunnat genomföra någon planerad krisövning."
    )
    assert r.avvikelse_text == r.analys


def test_vb_activity_marker_805():
    r = _activities(VB)[0][805]
    assert r.status == "!"
    assert r.namn == 'Förskolorna ansöker om att erhålla Skolverkets certifiering "Hållbar skola."'
    assert r.avvikelse_text == "Av tio enheter har sex erhållit certifieringen. Övriga har påbörjat arbetet."


def test_vb_activity_marker_line_alone_798():
    r = _activities(VB)[0][798]
    assert r.slutdatum == date(2020, 4, 30) and r.analys_rad == 799
    assert r.analys.startswith("På grund av coronapandemin")


def test_vb_activity_name_over_page_break_1065():
    rows, all_rows = _activities(VB)
    r = rows[1065]
    assert r.namn.startswith("Arbetsmarknadsnämnden, utbildningsnämnden och stadsdelsnämnderna ska fortsätta")
    assert r.namn.endswith("med funktionsnedsättning som går ut ungdomsgymnasiet och gymnasiesärskolan.")
    assert r.analys is None and 1070 not in rows
    assert rows[1071].status == "✓" and rows[1071].namn.startswith("Socialnämnden ska fortsätta")


def test_vb_activity_marker_and_flag_conflict_1178_2474():
    rows = _activities(VB)[0]
    assert rows[1178].status == "✓" and rows[1178].avvikelse
    assert rows[2474].status == "!" and not rows[2474].avvikelse and rows[2474].avvikelse_text is None
    assert rows[2474].analys.startswith("Till följd av tilltagande restriktioner")


def test_vb_activity_layout_b():
    rows = _activities(VB)[0]
    r = rows[1422]
    assert r.status == "✓" and not r.avvikelse
    assert r.namn == (
        "Möjlighet att utveckla kompensatoriska åtgärder ses över, speciellt i familjer där det finns barn."
    )
    assert r.analys.startswith("Kompensatoriska åtgärder sker mest på Relationsvårdsteamet")
    assert r.analys_rad == 1423
    r = rows[2600]
    assert r.status == "!" and r.avvikelse
    assert r.namn == "Processen för äldreomsorg - hemtjänst utvecklas vidare med rutiner, mallar etc."
    assert r.avvikelse_text == "På grund av pågående pandemi har denna aktivitet inte kunnat genomföras."


def test_vb_activity_odd_dates_and_info_marker():
    rows = _activities(VB)[0]
    assert rows[1940].startdatum == date(2019, 1, 1)
    assert rows[1710].startdatum == date(2020, 1, 30)
    assert rows[1251].slutdatum == date(2020, 12, 30)
    assert rows[2233].status == "ⓘ" and not rows[2233].avvikelse
    assert rows[2233].analys.startswith("Med anledning av den pågående pandemin")


def test_vb_balance_sheet_dates_are_not_activities():
    lines = _lines(VB)
    rows, _ = parse_tabbed_activities(lines, 0, len(lines))
    assert len(rows) == 138
    assert not {3020, 3032} & {r.rad for r in rows}


# ---------------------------------------------------------------- 003 activities (VP)


def test_vp_activities():
    rows, all_rows = _activities(VP)
    assert len(all_rows) == 238
    r = rows[366]
    assert r.namn.startswith("Arbetsmarknadsnämnden i samarbete med stadsdelsnämnderna ska utveckla")
    assert (r.startdatum, r.slutdatum) == (date(2020, 1, 1), date(2020, 12, 31))
    assert r.status is None and not r.avvikelse
    assert rows[652].slutdatum == date(2021, 1, 31)
    assert rows[925].startdatum == date(2020, 1, 31)
    assert rows[856].namn.endswith("placerade utanför hemmet .")
    innovativa = "Ta fram innovativa processer som leder till effektiva arbetssätt"
    same = [x for x in all_rows if x.namn == innovativa]
    assert len(same) == 12
    assert all(x.analys is None and not x.avvikelse for x in all_rows)


# ---------------------------------------------------------------- synthetic: structure, not samples


def test_unknown_header_combination_maps_what_it_knows():
    lines = [
        "Indikator\tUtfall 2021\tPeriodens utfall\tMålvärde\tPeriod",
        " ♀ Andel nöjda\t80 %\t82 %\t85 %\tT2 2022",
        "",
        "Nästa rubrik",
        "Indikator som text\t1\t2\t3\t2022",
    ]
    rows, _ = parse_tabbed_indicators(lines, 0, len(lines))
    assert len(rows) == 1
    r = rows[0]
    assert (r.namn, r.foregaende_utfall, r.utfall) == ("Andel nöjda", 80, 82)
    assert (r.arsmal, r.period, r.enhet) == (85, "T2 2022", "%")


def test_tab_padded_paragraph_outside_table_is_ignored():
    lines = ["Lång text med\tTAB\t\t", "Tillgångar (mnkr)\t2019-12-31\t2020-12-31"]
    assert parse_tabbed_indicators(lines, 0, 2)[0] == []
    assert parse_tabbed_activities(lines, 0, 2)[0] == []
