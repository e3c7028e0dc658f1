"""How a result is written: a narrow table for the terminal, CSV for plain tools or a Swedish spreadsheet, xlsx.

Booleans print one way in text (table and CSV): `yes` / `no`, empty when unknown; JSON keeps true/false and xlsx
real TRUE/FALSE cells. Column names stay as the database names them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from malbas.dialects import DIALECTS, PLAIN, SWEDISH, CsvDialect, default_dialect, locale_is_swedish  # noqa: F401

YES, NO = "yes", "no"


@dataclass(frozen=True)
class TableSettings:
    """The terminal table. `max_cell`: the longest text shown in one cell; longer texts (reasons, analyses,
    goal titles) are cut with "…" so that a row fits a terminal. CSV, JSON and xlsx always hold the full text."""

    max_cell: int = 32


TABLE = TableSettings()


def _is_number(dtype: Any) -> bool:  # noqa: ANN401 - a NumPy or pandas dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _number(value: object, decimal: str) -> str:
    if _missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    text = str(int(number)) if number.is_integer() else f"{number:.15g}"
    return text.replace(".", decimal)


def boolean_text(value: object) -> str:
    """yes / no, or nothing when unknown."""
    if _missing(value):
        return ""
    return YES if value else NO


def as_text(frame: pd.DataFrame, decimal: str = ".") -> pd.DataFrame:
    """The frame as the strings a person reads: numbers with the given decimal mark (integers without one),
    booleans yes/no, dates as ISO dates (a time only where there is one), nothing for NULL."""
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        shown[column] = _column_text(frame[column], decimal)
    return shown


def _column_text(series: pd.Series, decimal: str) -> list[str]:
    """One column's values as text, by the column's type (see `as_text`)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or _holds_booleans(series):
        return [boolean_text(v) for v in series]
    if _is_number(dtype):
        return [_number(v, decimal) for v in series]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return [_date(v) for v in series]
    return ["" if _missing(v) else str(v) for v in series]


def _holds_booleans(series: pd.Series) -> bool:
    """An object column of Python booleans (a pivot of verdicts, say)."""
    present = [v for v in series if not _missing(v)]
    return bool(present) and all(isinstance(v, bool) for v in present)


def _date(value: object) -> str:
    if _missing(value):
        return ""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ", timespec="minutes")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def table(frame: pd.DataFrame, *, settings: TableSettings = TABLE) -> str:
    """A markdown table for the terminal: long texts cut, numbers right-aligned with the decimal comma, as the
    reports and the reasons beside the numbers print them ("utfall 3,1 ≤ årsmål 3,2")."""
    if frame.empty:
        return "(no rows)"
    shown = as_text(frame, ",")
    for column in shown.columns:
        shown[column] = [_cut(" ".join(v.split()), settings.max_cell) for v in shown[column]]
    align = ["right" if _is_number(frame[c].dtype) else "left" for c in frame.columns]
    return shown.to_markdown(index=False, colalign=align, disable_numparse=True)


def csv_text(frame: pd.DataFrame, dialect: CsvDialect) -> str:
    """CSV in the dialect: separator, decimal mark and byte order mark; booleans yes/no, dates ISO."""
    data = as_text(frame, dialect.decimal).to_csv(index=False, sep=dialect.separator)
    return ("\ufeff" if dialect.bom else "") + data


def _number_format(series: pd.Series) -> str | None:
    """Excel's number format for a column: whole numbers (years, counts, lines) plain, with no thousands
    separator that would print the year 2021 as "2,021"; decimals grouped, with up to two places; dates as dates."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        return "0"
    if pd.api.types.is_float_dtype(dtype):
        return "#,##0.0#"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        timed = series.dropna()
        return "yyyy-mm-dd" if (timed == timed.dt.normalize()).all() else "yyyy-mm-dd hh:mm"
    return None


def write_xlsx(frame: pd.DataFrame, output: Path) -> None:
    """An Excel sheet whose numbers stay numbers (years and counts plain integers, decimals as decimals), dates
    as dates and booleans as TRUE/FALSE; the header row frozen. Excel shows the decimal mark of its own locale."""
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="malbas")
        sheet = writer.sheets["malbas"]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(i)
            number_format = _number_format(frame[column])
            for cell in sheet[letter][1:]:
                if cell.value is None:
                    cell.data_type = "n"  # an empty cell, not an empty string
                elif number_format:
                    cell.number_format = number_format
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
