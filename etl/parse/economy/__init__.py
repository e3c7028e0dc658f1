"""The economy part of a report ('Uppföljning av ekonomi'), one EconomyCell per numeric table cell.

model.py     Table, Row, Cell and what both text forms share (labels, columns, headings, units)
settings.py  the readers' limits (frozen settings) and the strengths of header boundaries
tabbed.py    the reader of TAB-separated tables
layout.py    the reader of layout (pdftotext-like) tables: header.py cuts the header into columns, rows.py
             gathers the rows, tokens.py reads their values every way, layout.py assigns them to columns
checks.py    totals against their rows, sub-tables against the main table
scan.py      the economy part of a report: its span, its tables read by the reader for the text form, named,
             with units and parents, checked
"""

from malbas.etl.parse.economy.scan import (
    EconomyScan,
    TableExtent,
    find_economy_span,
    layout_tables,
    parse_economy,
    scan_economy,
    scan_tables,
)
from malbas.etl.parse.economy.tabbed import tabbed_tables

__all__ = [
    "EconomyScan",
    "TableExtent",
    "find_economy_span",
    "layout_tables",
    "parse_economy",
    "scan_economy",
    "scan_tables",
    "tabbed_tables",
]
