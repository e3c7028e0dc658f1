"""How results are written, without a database: CSV for Swedish Excel and for plain tools, the terminal table,
xlsx cell types and number formats, and one way of printing booleans."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from malbas import output
from malbas.queries import typed_frame


def _frame() -> pd.DataFrame:
    # The shapes a saved query returns: Int64 years and lines, Float64 values, boolean verdicts, dates, text.
    return typed_frame(
        [
            ("Hässelby-Vällingby", 2020, "VB", 3.1, 1234.5, True, date(2020, 1, 1), "utfall 3,1 ≤ årsmål 3,2", 258),
            ("Norrmalm", 2021, "VB", 0.48, None, False, None, None, 355),
            ("Rinkeby-Kista", 2020, "T1", 4.0, 2.0, None, date(2020, 12, 31), "inget värde; för prognos", 263),
        ],
        ["namnd", "ar", "rapporttyp", "utfall", "budget", "arsmal_uppnatt", "startdatum", "grund", "rad"],
    )


def test_swedish_csv_has_semicolons_decimal_commas_and_a_bom() -> None:
    data = output.csv_text(_frame(), output.SWEDISH)
    assert data.startswith("\ufeffnamnd;ar;rapporttyp;")  # the BOM makes Excel read UTF-8 (å, ä, ö)
    raw = data.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    # Read back as a Swedish spreadsheet does: ';' between fields, ',' as the decimal mark.
    rows = list(csv.reader(io.StringIO(data.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["namnd", "ar", "rapporttyp", "utfall", "budget", "arsmal_uppnatt", "startdatum", "grund", "rad"]
    assert rows[1] == [
        "Hässelby-Vällingby",
        "2020",
        "VB",
        "3,1",
        "1234,5",
        "yes",
        "2020-01-01",
        "utfall 3,1 ≤ årsmål 3,2",
        "258",
    ]
    assert rows[2][3:6] == ["0,48", "", "no"]
    assert rows[3][2:8] == ["T1", "4", "2", "", "2020-12-31", "inget värde; för prognos"]  # a ';' in text is quoted
    back = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.namnd) == ["Hässelby-Vällingby", "Norrmalm", "Rinkeby-Kista"]
    assert list(back.utfall) == [3.1, 0.48, 4.0] and list(back.ar) == [2020, 2021, 2020]


def test_plain_csv_has_commas_points_and_no_bom() -> None:
    data = output.csv_text(_frame(), output.PLAIN)
    assert data.startswith("namnd,ar,")
    back = pd.read_csv(io.StringIO(data))
    assert list(back.utfall) == [3.1, 0.48, 4.0] and list(back.budget.fillna(-1)) == [1234.5, -1, 2.0]
    assert list(back.arsmal_uppnatt.fillna("")) == ["yes", "no", ""]


@pytest.mark.parametrize(
    ("environ", "swedish"),
    [
        ({"LANG": "sv_SE.UTF-8"}, True),
        ({"LANG": "en_US.UTF-8", "LC_NUMERIC": "sv_FI.UTF-8"}, True),
        ({"LANG": "sv_SE.UTF-8", "LC_NUMERIC": "C"}, False),  # LC_NUMERIC decides over LANG
        ({"LC_ALL": "C.UTF-8", "LC_NUMERIC": "sv_SE"}, False),  # LC_ALL over both
        ({"LANG": "C.UTF-8"}, False),
        ({}, False),
    ],
)
def test_the_locale_chooses_the_csv_dialect(environ: dict[str, str], swedish: bool, monkeypatch) -> None:
    assert output.locale_is_swedish(environ) is swedish
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    assert output.default_dialect() is (output.SWEDISH if swedish else output.PLAIN)


def test_table_is_narrow_with_decimal_commas_and_yes_no() -> None:
    frame = _frame().assign(grund="utfall 79 < årsmål 81; högre är bättre (KF-referens: Förväntat resultat …)")
    text = output.table(frame)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 200
    assert "| yes " in text and "| no " in text and "True" not in text and "False" not in text
    assert "3,1" in text and "1234,5" in text and "0,48" in text and "3.1" not in text
    assert " 2020 |" in text and "2020,0" not in text and "2 020" not in text  # years plain
    cut = output.TABLE.max_cell
    assert "utfall 79 < årsmål 81; högre är b"[: cut - 1].rstrip() + "…" in text


def test_xlsx_keeps_years_integers_dates_dates_and_numbers_numbers(tmp_path: Path) -> None:
    out = tmp_path / "result.xlsx"
    output.write_xlsx(_frame(), out)
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert row["ar"].value == 2020 and row["ar"].data_type == "n" and row["ar"].number_format == "0"  # not 2,020
    assert row["rad"].number_format == "0"
    assert row["utfall"].value == pytest.approx(3.1) and row["utfall"].data_type == "n"
    assert row["utfall"].number_format == "#,##0.0#"
    assert row["startdatum"].is_date and row["startdatum"].number_format == "yyyy-mm-dd"
    assert row["startdatum"].value.date() == date(2020, 1, 1)
    assert row["arsmal_uppnatt"].value is True and row["arsmal_uppnatt"].data_type == "b"
    empty = {name: sheet.cell(row=3, column=i + 1) for i, name in enumerate(header)}
    assert empty["budget"].value is None and empty["startdatum"].value is None
