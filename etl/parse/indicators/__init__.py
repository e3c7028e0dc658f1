"""The indicator tables of the goal part, one IndicatorRow per indicator row (RowScan[IndicatorRow]).

tabbed.py   the reader of TAB-separated tables
layout.py   the reader of layout (pdftotext-like) tables, where empty cells may leave no trace: rows are read
            into cells every way and the likeliest reading by weights.py wins
"""

from malbas.etl.parse.indicators.layout import scan_layout_indicators
from malbas.etl.parse.indicators.tabbed import scan_tabbed_indicators

__all__ = ["scan_layout_indicators", "scan_tabbed_indicators"]
