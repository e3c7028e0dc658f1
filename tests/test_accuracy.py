"""Cell-level accuracy of the indicator parsers against values read by hand from the sample reports
(tests/truth.py holds the hand-read rows, goal markers and activities; see its docstring for the format).
A cell is one of the 7 value columns, the period, the unit or the name (10 per row).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

import pytest

from malbas.etl.parse.parser import parse_file
from malbas.etl.parse.records import IndicatorRow
from tests.truth import (
    ACTIVITIES,
    FILES,
    GOALS,
    ROWS_000,
    ROWS_001,
    ROWS_003,
    ROWS_004,
    SAMPLES,
    UNSURE,
    VALUE_COLUMNS,
    expected_value,
)

THRESHOLD = 0.98


def _parse_rows(sample: str, table: str) -> list[tuple[str, int, str, object]]:
    """Expand the compact row table into (sample, line, column, expected) tuples."""
    out: list[tuple[str, int, str, object]] = []
    for raw in table.strip().split("\n"):
        line, period, unit, values, name = raw.split("|")
        rad = int(line)
        cells = values.split(";")
        assert len(cells) == 7, raw
        for col, cell in zip(VALUE_COLUMNS, cells, strict=True):
            out.append((sample, rad, col, expected_value(cell)))
        out.append((sample, rad, "period", period))
        out.append((sample, rad, "enhet", None if unit == "-" else unit))
        out.append((sample, rad, "namn", name))
    return out


EXPECTED: list[tuple[str, int, str, object]] = [
    *_parse_rows("000", ROWS_000),
    *_parse_rows("001", ROWS_001),
    *_parse_rows("003", ROWS_003),
    *_parse_rows("004", ROWS_004),
]


@cache
def _report(sample: str):  # noqa: ANN202
    return parse_file(SAMPLES / FILES[sample])


def _rows_by_line(sample: str) -> dict[int, IndicatorRow]:
    return {r.rad: r for r in _report(sample).indikatorer}


def _actual(row: IndicatorRow, column: str) -> object:
    if column == "period":
        return row.period or row.periodicitet
    if column == "enhet":
        return row.enhet
    if column == "namn":
        return row.namn
    number = getattr(row, column)
    return number if number is not None else row.text.get(column)


def _matches(actual: object, expected: object) -> bool:
    if isinstance(expected, float):
        return isinstance(actual, float) and abs(actual - expected) < 1e-9
    return actual == expected


def _score(sample: str) -> tuple[int, int, int, list[str]]:
    """(right, wrong, unsure, mismatch descriptions) over the sample's expected cells."""
    rows = _rows_by_line(sample)
    right = wrong = unsure = 0
    misses: list[str] = []
    for s, rad, column, expected in EXPECTED:
        if s != sample:
            continue
        if expected == UNSURE:
            unsure += 1
            continue
        row = rows.get(rad)
        actual = _actual(row, column) if row is not None else "<no row>"
        if _matches(actual, expected):
            right += 1
        else:
            wrong += 1
            misses.append(f"{sample} l.{rad} {column}: expected {expected!r}, got {actual!r}")
    return right, wrong, unsure, misses


@pytest.mark.parametrize("sample", sorted(FILES))
def test_indicator_cell_accuracy(sample: str) -> None:
    right, wrong, unsure, misses = _score(sample)
    share = right / (right + wrong)
    print(f"{sample}: {right}/{right + wrong} cells right ({share:.2%}), {unsure} unsure cells not counted")
    for m in misses:
        print("  " + m)
    assert share >= THRESHOLD, "\n".join(misses)


def test_expected_rows_exist() -> None:
    """Every hand-read row must be found at its line (a missing row would only cost its cells otherwise)."""
    missing = [(s, rad) for s, rad, col, _ in EXPECTED if col == "namn" and rad not in _rows_by_line(s)]
    assert missing == []


@pytest.mark.parametrize("sample", sorted(FILES))
def test_goal_attribution(sample: str) -> None:
    markers = GOALS[sample]
    starts = [line for line, _ in markers]
    wrong = []
    for row in _report(sample).indikatorer:
        k = bisect_right(starts, row.rad) - 1
        expected = markers[k][1] if k >= 0 else None
        if row.mal != expected:
            wrong.append((row.rad, row.mal, expected))
    for akt in _report(sample).aktiviteter:
        k = bisect_right(starts, akt.rad) - 1
        expected = markers[k][1] if k >= 0 else None
        if akt.mal != expected:
            wrong.append((akt.rad, akt.mal, expected))
    assert wrong == []


@pytest.mark.parametrize("case", ACTIVITIES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_activity(case: tuple[str, ...]) -> None:
    sample, line, start, end, avvikelse, status, name = case
    akt = {a.rad: a for a in _report(sample).aktiviteter}.get(int(line))
    assert akt is not None, f"no activity at line {line}"
    got = (akt.namn, akt.startdatum.isoformat(), akt.slutdatum.isoformat(), akt.avvikelse, akt.status)
    assert got == (name, start, end, avvikelse == "x", status or None)


def test_row_counts_match_guides() -> None:
    counts = {s: (len(_report(s).indikatorer), len(_report(s).aktiviteter)) for s in FILES}
    assert counts == {"000": (78, 239), "001": (104, 138), "003": (78, 238), "004": (90, 121)}


# ------------------------------------------------------------------ unseen variants (synthetic, hardened cases)
# Small hand-made tables in the shapes of other districts and periods: T2 reports, page breaks that split rows
# elsewhere, headers that lack a column, names with numbers, other text-cell wording.

from malbas.etl.parse.activities.layout import parse_layout_activities  # noqa: E402
from malbas.etl.parse.indicators.layout import parse_layout_indicators  # noqa: E402
from malbas.etl.parse.indicators.tabbed import parse_tabbed_indicators  # noqa: E402

_GENDER = ["", "Utfall ", "män/ ", "pojkar", "", "Utfall ", "kvinn", "or/ ", "flicko", "r", ""]
_PREVIOUS = ["Perio", "dens ", "utfall ", "VB ", "2019", ""]


def _t_header(gender: bool = True, previous: list[str] = _PREVIOUS, targets: str = "Årsmål KF:s ") -> list[str]:
    """A T1/T2 header as pdftotext breaks it (cf. 000 l.209-231); the last line ends in 'Period'."""
    if targets.rstrip().endswith("KF:s"):
        tail = [f"s helår {targets}", "", "årsmål Period"]
    else:
        tail = [f"s helår {targets}Period"]
    return [" Indikator Periodens ", "utfall", *(_GENDER if gender else [""]), *previous, "Progno", *tail, ""]


def _layout(body: list[str], header: list[str] | None = None, goal: str = "KF:s mål för verksamhetsområdet:"):
    lines = [goal, "1.1 Mål", "", *(header or _t_header()), *body]
    rows, _ = parse_layout_indicators(lines, 0, len(lines))
    return rows


def _vals(r: IndicatorRow) -> tuple:
    return tuple(getattr(r, c) for c in VALUE_COLUMNS)


def _split(text: str) -> list[str]:
    """Lines written with '|' as the line break, so that leading and trailing spaces stay visible."""
    return text.split("|")


def test_t2_rows_and_earlier_period_header() -> None:
    header = _t_header(previous=["Perio", "dens ", "utfall ", "T2 ", "2019", ""])
    rows = _layout(
        _split(
            " Antal aspiranter som fått |Stockholmsjobb||29 st 7 st 22 st 52 st 57 st 57 st 800 st Tertial 2 |2020|"
            "| Andel nöjda||41 % 77 % 77 % Helår 2020|"
        ),
        header,
    )
    assert [r.namn for r in rows] == ["Antal aspiranter som fått Stockholmsjobb", "Andel nöjda"]
    assert _vals(rows[0]) == (29, 7, 22, 52, 57, 57, 800) and rows[0].period == "Tertial 2 2020"
    # a whole-year row of an interim report has no forecast: 41 is last year's outcome
    assert _vals(rows[1]) == (None, None, None, 41, None, 77, 77)


def test_names_with_numbers_are_not_cut() -> None:
    rows = _layout(
        _split(
            " Andel som ökat minst 3 % i |vikt||5 % 6 % 7 % 7 % 8 % Tertial 2 |2020|"
            "| Andel ärenden med beslut inom minst 80 |% av fallen||81 % 80 % 85 % 85 % 90 % Tertial 2 |2020|"
            "| Andel elever i årskurs 9 ||81 % 80 % 85 % 85 % 90 % Tertial 2 |2020|"
            "| Sjukfrånvaro dag 1-14 2,7 % 2,3 % 2,7 % 2,3 % 2,2 % 2,2 % Tas |fram av |nämnd||Tertial 2 |2020"
        )
    )
    assert [r.namn for r in rows] == [
        "Andel som ökat minst 3 % i vikt",
        "Andel ärenden med beslut inom minst 80 % av fallen",
        "Andel elever i årskurs 9",
        "Sjukfrånvaro dag 1-14",
    ]
    assert _vals(rows[0]) == (5, None, None, 6, 7, 7, 8)
    assert _vals(rows[3])[:6] == (2.7, 2.3, 2.7, 2.3, 2.2, 2.2) and rows[3].text == {"kf_arsmal": "Tas fram av nämnd"}


def test_other_text_cell_wording_does_not_end_the_table() -> None:
    rows = _layout(
        _split(
            " Andel ungdomar som mår bra||Ingen mätning 2020|| Andel nöjda||Mäts ej 70 % Öka 2020|"
            "| Andel trygga||65 % 70 % Ej |aktuellt||2020|| Antal platser||12 st 14 st Bibehålla 2020|"
        )
    )
    assert [r.namn for r in rows] == ["Andel ungdomar som mår bra", "Andel nöjda", "Andel trygga", "Antal platser"]
    assert rows[0].text == {"foregaende_utfall": "Ingen mätning"} and rows[0].osaker  # a lone text cell: a guess
    assert rows[1].arsmal == 70 and rows[1].text == {"foregaende_utfall": "Mäts ej", "kf_arsmal": "Öka"}
    assert _vals(rows[2])[:6] == (None, None, None, 65, None, 70) and rows[2].text == {"kf_arsmal": "Ej aktuellt"}
    assert _vals(rows[3])[:6] == (None, None, None, 12, None, 14) and rows[3].text == {"kf_arsmal": "Bibehålla"}


def test_headers_lacking_columns() -> None:
    body = _split(" Antal||29 st 52 st 57 st 57 st 800 st Tertial 2 |2020|")
    assert _vals(_layout(body, _t_header(gender=False))[0]) == (29, None, None, 52, 57, 57, 800)
    # a nämnd table without the KF column, and "Arsmål" with its Å lost as in 001's headers
    body = _split(" Antal||29 st 7 st 22 st 52 st 57 st 57 st Tertial 2 |2020|")
    rows = _layout(body, _t_header(targets="Arsmål "), goal="Nämndmål:")
    assert _vals(rows[0]) == (29, 7, 22, 52, 57, 57, None)


def test_page_breaks_splitting_rows_elsewhere() -> None:
    repeat = "|".join(["  Indikator Periodens ", *_t_header()[1:-1]])
    rows = _layout(
        _split(
            # a name cut before its values
            f" Antal tillhandahållna |platser för|{repeat}|feriejobb||35 45 57 57 st 60 st Tertial 2 |2020|"
            # a text cell cut before the period
            f"| Antal platser för |praktik||35 45 57 57 st Tas |fram av |{repeat}|nämnd||Tertial 2 |2020|"
            # a capitalised name tail after the header
            f"| Antal aspiranter som fått ||29 st 7 st 22 st 52 st 57 st 57 st 800 st Tertial 2 |2020|{repeat}"
            "|Stockholmsjobb|| Andel nöjda||41 % 77 % 77 % 2020|"
        )
    )
    assert [r.namn for r in rows] == [
        "Antal tillhandahållna platser för feriejobb",
        "Antal platser för praktik",
        "Antal aspiranter som fått Stockholmsjobb",
        "Andel nöjda",
    ]
    assert _vals(rows[0]) == (35, None, None, 45, 57, 57, 60) and rows[0].period == "Tertial 2 2020"
    assert rows[1].text == {"kf_arsmal": "Tas fram av nämnd"} and rows[1].period == "Tertial 2 2020"
    assert _vals(rows[3]) == (None, None, None, 41, None, 77, 77)


def test_tabbed_t2_row_and_unit_from_text_cell() -> None:
    header = "Indikator|Periodens utfall|Utfall män/ pojkar|Utfall kvinnor/ flickor|Periodens utfall T2 2019"
    lines = [
        f"{header}|Prognos helår|Årsmål|KF:s årsmål|Period",
        " Antal personal|8,4|||9,1|9|9|Max 10 personer|Tertial 2 2020",
        " Prognossäkerhet||||||+/-1 %|+/- 1 %|2020",
        " Andel nöjda|Ingen mätning|||41 %||77 %|77 %|2020",
    ]
    rows, _ = parse_tabbed_indicators([x.replace("|", "\t") for x in lines], 0, len(lines))
    assert [(r.foregaende_utfall, r.prognos, r.enhet, r.period) for r in rows] == [
        (9.1, 9, "personer", "Tertial 2 2020"),
        (None, None, "%", "2020"),
        (41, None, "%", "2020"),
    ]
    assert rows[2].text == {"utfall": "Ingen mätning"}


def test_activity_page_footer_and_status_cell() -> None:
    lines = _split(
        "  Aktivitet Startdatum Slutdatum Status ||Genomföra en sak som är |viktig|||Tjänsteutlåtande |Sid 49 (116) |"
        "|Sankt Eriksgatan 117 | start.stockholm |50809014 ||2021-01-01 2021-12-31 Pågår|"
        "|Göra en annan sak 2021-01-01 2021-06-30 Avvikelse"
    )
    rows, warnings = parse_layout_activities(lines, 0, len(lines))
    got = [(a.namn, a.rad, str(a.slutdatum), a.status, a.avvikelse) for a in rows]
    assert got == [
        ("Genomföra en sak som är viktig", 3, "2021-12-31", "Pågår", False),
        ("Göra en annan sak", 16, "2021-06-30", None, True),
    ]
    assert warnings == []
