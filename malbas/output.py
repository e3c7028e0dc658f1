"""How a result is written: a narrow table for the terminal, CSV for plain tools or a Swedish spreadsheet, JSON,
xlsx; and which of them, from --format and the output file's name.

Booleans print one way in text (table and CSV): `yes` / `no`, empty when unknown; JSON keeps true/false and xlsx
real TRUE/FALSE cells. Column names stay as the database names them. Every writer takes a Result (malbas.result)
or a DataFrame, made into a Result first, so that both are shown by the same rules; only xlsx needs pandas.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from malbas.catalogue import QueryError
from malbas.dialects import DIALECTS, PLAIN, SWEDISH, CsvDialect, default_dialect, locale_is_swedish  # noqa: F401
from malbas.result import BOOLEAN, DATETIME, NUMERIC_KINDS, Result, missing

if TYPE_CHECKING:
    import pandas as pd

Table: TypeAlias = "Result | pd.DataFrame"

YES, NO = "yes", "no"


@dataclass(frozen=True)
class TableSettings:
    """The terminal table. `max_cell`: the longest text shown in one cell; longer texts (reasons, analyses,
    goal titles) are cut with "…" so that a row fits a terminal. CSV, JSON and xlsx always hold the full text."""

    max_cell: int = 32


TABLE = TableSettings()


def as_result(data: Table) -> Result:
    if isinstance(data, Result):
        return data
    from malbas.frames import result_of

    return result_of(data)


def _number(value: object, decimal: str) -> str:
    if missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    text = str(int(number)) if number.is_integer() else f"{number:.15g}"
    return text.replace(".", decimal)


def boolean_text(value: object) -> str:
    """yes / no, or nothing when unknown."""
    if missing(value):
        return ""
    return YES if value else NO


def _date(value: object) -> str:
    """An ISO date, with the time only where there is one (to the minute)."""
    if missing(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    return value.isoformat() if isinstance(value, date) else str(value)


def _cell(value: object, kind: str, decimal: str) -> str:
    if kind == BOOLEAN:
        return boolean_text(value)
    if kind in NUMERIC_KINDS:
        return _number(value, decimal)
    if kind == DATETIME:
        return _date(value)
    return "" if missing(value) else str(value)


def as_text(data: Table, decimal: str = ".") -> list[list[str]]:
    """The rows as the strings a person reads: numbers with the given decimal mark (integers without one),
    booleans yes/no, dates as ISO dates (a time only where there is one), nothing for NULL."""
    result = as_result(data)
    return [[_cell(v, k, decimal) for v, k in zip(row, result.kinds, strict=True)] for row in result.rows]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def table(data: Table, *, settings: TableSettings = TABLE) -> str:
    """A markdown table for the terminal: long texts cut, numbers right-aligned with the decimal comma, as the
    reports and the reasons beside the numbers print them ("utfall 3,1 ≤ årsmål 3,2")."""
    from tabulate import tabulate

    result = as_result(data)
    if result.empty:
        return "(no rows)"
    shown = [[_cut(" ".join(v.split()), settings.max_cell) for v in row] for row in as_text(result, ",")]
    align = ["right" if kind in NUMERIC_KINDS else "left" for kind in result.kinds]
    return tabulate(
        shown, headers=list(result.columns), tablefmt="pipe", showindex=False, colalign=align, disable_numparse=True
    )


def csv_text(data: Table, dialect: CsvDialect) -> str:
    """CSV in the dialect: separator, decimal mark and byte order mark; booleans yes/no, dates ISO."""
    result = as_result(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.separator, lineterminator=os.linesep, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(result.columns)
    writer.writerows(as_text(result, dialect.decimal))
    return ("\ufeff" if dialect.bom else "") + buffer.getvalue()


def _json_value(value: Any, kind: str) -> Any:  # noqa: ANN401 - any value a column holds
    if missing(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if kind == DATETIME and value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_json(data: Table) -> str:
    """Records with JSON numbers, booleans and nulls, and dates as ISO dates (2020-01-01)."""
    result = as_result(data)
    records = [
        {c: _json_value(v, k) for c, v, k in zip(result.columns, row, result.kinds, strict=True)} for row in result.rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _number_format(series: pd.Series) -> str | None:
    """Excel's number format for a column: whole numbers (years, counts, lines) plain, with no thousands
    separator that would print the year 2021 as "2,021"; decimals grouped, with up to two places; dates as dates."""
    import pandas as pd

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


def write_xlsx(data: Table, output: Path) -> None:
    """An Excel sheet whose numbers stay numbers (years and counts plain integers, decimals as decimals), dates
    as dates and booleans as TRUE/FALSE; the header row frozen. Excel shows the decimal mark of its own locale."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    from malbas.frames import frame_of

    frame = frame_of(data) if isinstance(data, Result) else data
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


_EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: the one asked for, else the one the output file's extension names, else a table.
    An extension that names another format than --format is refused rather than silently mislabelled, and a
    file that cannot be written where it is asked for is refused before any query runs."""
    implied = None
    if output is not None:
        _check_writable(output)
        implied = _EXTENSIONS.get(output.suffix.lower())
        if implied is None and fmt is None:
            raise QueryError(
                f"{output}: cannot tell the format from the extension; use .csv, .xlsx or .json, or --format"
            )
    if fmt is not None and implied is not None and fmt != implied:
        raise QueryError(f"{output}: the extension says {implied} but --format says {fmt}")
    if fmt == "xlsx" and output is None:
        raise QueryError("--format xlsx needs -o FILE")
    return fmt or implied or "table"


def _check_writable(output: Path) -> None:
    """Refuse an output file in no folder, a folder, or a folder malbas may not write in."""
    if not output.parent.is_dir():
        raise QueryError(f"{output}: cannot write there, no folder {output.parent}")
    if output.is_dir():
        raise QueryError(f"{output}: is a folder; give a file name")
    if not os.access(output.parent, os.W_OK | os.X_OK):
        raise QueryError(f"{output}: cannot write there, the folder {output.parent} is not writable")


def write(data: Table, fmt: str | None, output: Path | None, *, dialect: CsvDialect | None = None) -> None:
    """Write a result as a table, csv, json or xlsx, to `output` or stdout (see output_format). CSV is written in
    `dialect`, by default the locale's (Swedish Excel's `;`, decimal comma and BOM under an sv_* locale)."""
    fmt = output_format(fmt, output)
    if fmt == "xlsx":
        assert output is not None
        write_xlsx(data, output)
        return
    if fmt == "csv":
        text = csv_text(data, dialect or default_dialect())
    elif fmt == "json":
        text = to_json(data)
    else:
        text = table(data) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
