"""The indicator tables of the goal part, one IndicatorRow per indicator row (RowScan[IndicatorRow]).

tabbed.py   the reader of TAB-separated tables
layout.py   the reader of layout (pdftotext-like) tables, where empty cells may leave no trace:
  rows.py     the header, and the body's blocks read into rows across page breaks
  cells.py    a row's value text read into cells, every way its thousands spaces allow
  assign.py   each reading placed in the columns and scored by weights.py; the best wins, a close rival is a doubt
  kinds.py    the kinds of atoms, items, report stages, row periods and values
"""

from malbas.etl.parse.indicators.layout import scan_layout_indicators
from malbas.etl.parse.indicators.tabbed import scan_tabbed_indicators

__all__ = ["scan_layout_indicators", "scan_tabbed_indicators"]
