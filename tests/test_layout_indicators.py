"""Indicator tables in layout text. Expected values were read by hand from the sample reports
(sed -n on the lines named in each test) and the structural guides' §4/§9 readings."""

from pathlib import Path

import pytest

from malbas.etl.parse.indicators.layout import parse_layout_indicators

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"


def _rows(name: str) -> dict[int, object]:
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    stop = next(i for i, line in enumerate(lines) if line.strip() == "Uppföljning av ekonomi")
    rows, _ = parse_layout_indicators(lines, 0, stop)
    return rows


@pytest.fixture(scope="module")
def t1() -> dict[int, object]:
    return {r.rad: r for r in _rows("000_649e5dab5eff6cea.txt")}


@pytest.fixture(scope="module")
def vb() -> dict[int, object]:
    return {r.rad: r for r in _rows("004_ef35c64e421e5e72.txt")}


def _vals(r) -> tuple:
    return (r.utfall, r.utfall_man, r.utfall_kvinnor, r.foregaende_utfall, r.prognos, r.arsmal, r.kf_arsmal)


# ------------------------------------------------------------------ counts


def test_row_counts() -> None:
    assert len(_rows("000_649e5dab5eff6cea.txt")) == 78
    assert len(_rows("004_ef35c64e421e5e72.txt")) == 90


def test_tabbed_text_is_not_read() -> None:
    lines = (SAMPLES / "001_b4dd1f5a7ed00e2b.txt").read_text(encoding="utf-8").split("\n")
    assert parse_layout_indicators(lines, 0, len(lines))[0] == []


# ------------------------------------------------------------------ 000: T1, invisible empty cells


def test_000_full_row(t1) -> None:  # l.291-295
    r = t1[291]
    assert r.namn == "Antal aspiranter som fått Stockholmsjobb"
    assert _vals(r) == (29, 7, 22, 52, 57, 57, 800)
    assert r.enhet == "st" and r.period == "Tertial 1 2020" and r.osaker is None


def test_000_wrapped_percent_cells(t1) -> None:  # l.263-275
    r = t1[263]
    assert r.namn == "Andel personer som har ekonomiskt bistånd i förhållande till befolkningen"
    assert _vals(r) == (4.35, 3.68, 4.88, 4.42, 4.5, 4.5, 1.5)
    assert r.enhet == "%"


def test_000_spaces_between_cells_not_thousands(t1) -> None:  # l.328: 3+98+36 = 137
    r = t1[321]
    assert (r.utfall, r.foregaende_utfall, r.prognos, r.arsmal) == (137, 123, 139, 75)
    assert r.kf_arsmal is None and r.text == {"kf_arsmal": "Tas fram av nämnd"}
    assert r.analys_rad == 335 and r.analys.startswith("Inom avdelningen individ och familjeomsorg")


def test_000_thousands_groups(t1) -> None:  # l.300 and l.342-345 ("tillhandahöll 1 318 feriejobb under 2019")
    r = t1[297]
    assert (r.foregaende_utfall, r.prognos, r.arsmal) == (1320, 1100, 1100)
    assert r.text["kf_arsmal"] == "Tas fram av nämnd"
    r = t1[339]
    assert (r.utfall, r.foregaende_utfall, r.prognos, r.arsmal, r.kf_arsmal) == (None, 1320, 1100, 1100, 9000)
    assert r.celler["kf_arsmal"] == "9 000 st" and r.analys_rad == 348
    r = t1[3698]  # "108 st 4 500 st"
    assert r.kf_arsmal == 4500 and 4 not in _vals(r) and 500 not in _vals(r)


def test_000_annual_survey_row(t1) -> None:  # l.669-676
    r = t1[669]
    assert _vals(r) == (None, None, None, 41, None, 77, 77)
    assert r.period == "2020" and r.analys_rad == 675
    assert r.analys.startswith("Medborgarundersökningen genomförs inte 2020")


def test_000_year_inside_text_cell(t1) -> None:  # l.683-686 and l.3675-3682
    r = t1[678]
    assert r.text == {"kf_arsmal": "Fastställs 2020"} and r.period == "2020" and r.arsmal == 100
    r = t1[3671]
    assert r.text == {"kf_arsmal": "2 % energieffektivisering relativt 2018"}
    assert r.arsmal == 2 and r.period == "2020"


def test_000_name_and_values_on_one_line(t1) -> None:  # l.1263-1271, l.4007, l.4080
    r = t1[1263]
    assert r.namn == "Antal barn per grupp"
    assert _vals(r) == (15.9, None, None, 14.8, 16, 16, 16)
    assert r.enhet == "barn/avd."
    r = t1[4007]
    assert r.namn == "Aktivt Medskapandeindex"
    assert _vals(r) == (77, 77, 77, 79, None, 82, 82) and r.analys_rad == 4009
    r = t1[4080]
    assert r.namn == "Sjukfrånvaro dag 1-14"
    assert _vals(r)[:6] == (2.7, 2.3, 2.7, 2.3, 2.2, 2.2)
    assert r.text == {"kf_arsmal": "Tas fram av nämnd/styrelse"}


def test_000_girls_share_row_is_uncertain(t1) -> None:  # l.3468: 20,03 + 79,97 = 100
    r = t1[3465]
    assert _vals(r) == (20.03, 79.97, None, 19.03, 35, 35, None)
    assert r.osaker is not None


def test_000_counts_men_plus_women(t1) -> None:  # l.2447ff nämnd indicator: 4 + 70 = 74, no KF column
    r = t1[2447]
    assert _vals(r) == (74, 4, 70, 203, 200, 200, None)


def test_000_wrapped_units_and_text(t1) -> None:  # l.3687-3696, l.2721-2723, l.3888-3891
    r = t1[3684]
    assert (r.foregaende_utfall, r.arsmal, r.kf_arsmal, r.enhet) == (1.95, 1.8, 1945, "GWh")
    r = t1[2715]
    assert (r.foregaende_utfall, r.arsmal) == (8.4, 9) and r.text == {"kf_arsmal": "Max 10 personer"}
    r = t1[3888]
    assert r.foregaende_utfall == 0 and r.text == {"arsmal": "+/-1 %", "kf_arsmal": "+/- 1 %"}
    r = t1[1723]
    assert r.text == {"kf_arsmal": "öka"} and (r.foregaende_utfall, r.arsmal) == (74, 90)


def test_000_bare_number_is_prognos(t1) -> None:  # l.1758 and its Analys "rapporteras i tertial 2"
    r = t1[1751]
    assert (r.utfall, r.prognos, r.arsmal, r.kf_arsmal) == (None, 75, 75, 75)


def test_000_names_and_page_breaks(t1) -> None:
    assert t1[1279].namn == "Kvalitetsindikatorn - Självvärdering utifrån läroplansuppdraget"
    assert t1[2617].namn.startswith("Andel boende på vård- och omsorgsboende")
    # Analys just before a repeated header (1794 -> 1798) belongs to the row above
    assert t1[1778].analys_rad == 1794 and t1[1778].foregaende_utfall == 81.82
    # page header 3290-3291 + repeated header 3293 inside the table: the row after it is still read
    assert (t1[3317].arsmal, t1[3317].kf_arsmal) == (65, 65)
    assert not any(3286 < rad < 3317 for rad in t1)


# ------------------------------------------------------------------ 004: VB, spaced empty cells


def test_004_empty_gender_cells(vb) -> None:  # l.339
    r = vb[335]
    assert _vals(r) == (1.3, None, None, 1.3, None, 0.8, 2.7)
    assert r.period == "VB 2021" and r.analys_rad == 341 and r.osaker is None


def test_004_fastställs_and_period(vb) -> None:  # l.365-368
    r = vb[358]
    assert _vals(r) == (100, 100, 100, None, None, 25, None)
    assert r.text == {"kf_arsmal": "Fastställs 2021"} and r.period == "VB 2021" and r.analys_rad == 370


def test_004_name_split_by_page_header(vb) -> None:  # l.379-402
    r = vb[379]
    assert r.namn == "Andel vuxna med långvarigt ekonomiskt bistånd jämfört med samtliga vuxna invånare"
    assert _vals(r) == (0.33, 0.36, 0.31, 0.25, None, 0.25, 1.0)
    assert r.analys_rad == 404
    assert vb[2268].namn.endswith("som behåller kontraktet efter 12 månader")
    assert 401 not in vb and 2295 not in vb


def test_004_gap_is_not_thousands(vb) -> None:  # l.420
    r = vb[417]
    assert _vals(r) == (230, None, None, 184, None, 200, None)
    assert r.text == {"kf_arsmal": "Tas fram av nämnd"} and r.enhet == "st"


def test_004_leading_spaces_are_empty_cells(vb) -> None:  # l.958, l.3282, l.3760
    r = vb[953]
    assert _vals(r) == (None, None, None, 90.07, None, None, None) and r.text == {"kf_arsmal": "-"}
    r = vb[3279]
    assert _vals(r) == (None, None, None, None, None, 5, None)
    r = vb[3756]
    assert _vals(r) == (80, None, None, None, None, 95, None) and r.period == "2021"


def test_004_wrapped_units(vb) -> None:  # l.1486-1492, l.2407-2414, l.4560-4581, l.4586-4589
    r = vb[1486]
    assert _vals(r) == (13.7, None, None, 13.9, None, 16, 16) and r.enhet == "barn/avd."
    r = vb[2402]
    assert _vals(r) == (60.53, 62.16, 58.97, None, None, 60, None)
    r = vb[4556]
    assert _vals(r) == (1.8, None, None, 1.6, None, 1.8, 1.8)
    assert r.enhet == "kg CO2 per kg livsmedel" and r.celler["kf_arsmal"].startswith("1,80")
    r = vb[4583]
    assert _vals(r) == (2.83, None, None, 3.15, None, 3.3, 1945) and r.enhet == "GWh"


def test_004_space_inside_cell(vb) -> None:  # l.2201 "76  %"
    r = vb[2195]
    assert _vals(r) == (80, 76, 89, 83, None, 97, None) and r.text == {"kf_arsmal": "öka"}


def test_004_text_cells(vb) -> None:  # l.3491-3494, l.4835
    r = vb[3485]
    assert _vals(r)[:6] == (12.1, None, None, 11.9, None, 10) and r.text == {"kf_arsmal": "Max 10 personer"}
    assert r.namn.endswith("möter under en 14-dagarsperiod")
    r = vb[4832]
    assert (r.utfall, r.foregaende_utfall) == (-2, -2)
    assert r.text == {"arsmal": "+/-1 %", "kf_arsmal": "+/- 1 %"}
    assert r.analys_rad == 4837 and r.analys.startswith("Under 2021 har osäkerheten varit stor")


def test_004_name_and_values_on_one_line(vb) -> None:  # l.5099, l.5198
    r = vb[5099]
    assert r.namn == "Aktivt Medskapandeindex" and _vals(r) == (81, 79, 81, 82, None, 82, 82)
    r = vb[5198]
    assert r.namn == "Sjukfrånvaro dag 1-14"
    assert _vals(r) == (3.6, 3.8, 3.6, 4.1, None, 3.5, None)
    assert r.text == {"kf_arsmal": "Tas fram av nämnd/styrelse"} and r.analys_rad == 5205


def test_004_analys_cut_by_header(vb) -> None:  # 2167 'Analys', header 2168-2184, text 2186
    r = vb[2153]
    assert r.analys_rad == 2167 and r.analys.startswith("Förvaltningen mäter antal genomförda samtal")
    r = vb[3451]  # text cut mid-sentence by a header at 3461, continues at 3479
    assert "90,7 procent för kvinnor. Nämndens resultat är 4 procentenheter" in r.analys


def test_004_all_rows_certain(vb) -> None:
    assert [r.rad for r in vb.values() if r.osaker] == []


# ------------------------------------------------------------------ synthetic structure


HEADER = [
    "   Indikator Periodens ",
    "utfall ",
    "",
    "Utfall ",
    "män/ ",
    "pojkar ",
    "",
    "Utfall ",
    "kvinnor/ ",
    "flickor ",
    "",
    "Periodens ",
    "utfall VB ",
    "2020 ",
    "",
    "Årsmål KF:s ",
    "årsmål Period ",
    "",
]


def test_footer_inside_table_and_activity_end() -> None:
    lines = [
        "Nämndmål: 1.1.1 Test",
        "",
        *HEADER,
        "  Antal besök ",
        "",
        "12 st 5 st 7 st 10 st 11 st  VB 2021 ",
        "",
        "Tjänsteutlåtande ",
        "Sid 3 (40) ",
        "",
        "Sankt Eriksgatan 117 ",
        " start.stockholm ",
        "",
        *["    " + HEADER[0].strip() + " "] + HEADER[1:],
        "  Andel nöjda ",
        "",
        "   70 % 80 %  VB 2021 ",
        "",
        "   Aktivitet Startdatum Slutdatum Avvikelse ",
        "",
        "  Gör något 2021-01-01 2021-12-31 ",
    ]
    rows, _ = parse_layout_indicators(lines, 0, len(lines))
    assert [r.namn for r in rows] == ["Antal besök", "Andel nöjda"]
    assert _vals(rows[0]) == (12, 5, 7, 10, None, 11, None)
    assert _vals(rows[1]) == (None, None, None, 70, None, 80, None)
    assert [r.rad for r in rows] == [21, 49]


def test_goal_level_analys_ends_table() -> None:
    lines = [
        *HEADER,
        "  Antal besök ",
        "",
        "12 st 5 st 7 st 10 st 11 st 11 st VB 2021 ",
        "",
        "Analys",
        "",
        "Förvaltningen bedömer att målet uppfylls.",
        "",
        "  Inte en rad ",
        "",
        "1 2 3 4 5 6 VB 2021",
    ]
    rows, _ = parse_layout_indicators(lines, 0, len(lines))
    assert len(rows) == 1 and rows[0].analys is None


def _numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, tuple | list):
        return [n for v in value for n in _numbers(v)]
    return []


def test_weights_are_quarters() -> None:
    """The reader scores placements in whatever order suits it and prunes by bounds (assign.py): that gives the
    same winner only while every sum is exact, i.e. every weight a multiple of 1/4."""
    from malbas.etl.parse.indicators import weights

    found = [(name, n) for name, value in vars(weights).items() if name.isupper() for n in _numbers(value) if n * 4 % 1]
    assert not found
    assert len([name for name in vars(weights) if name.isupper()]) > 20  # the weights were looked at
