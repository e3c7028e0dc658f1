"""The activity tables of the goal part, one Activity per row (RowScan[Activity]).

tabbed.py   the reader of TAB-separated tables, and what both readers finish each activity with
layout.py   the reader of layout (pdftotext-like) tables
"""

from malbas.etl.parse.activities.layout import scan_layout_activities
from malbas.etl.parse.activities.tabbed import scan_tabbed_activities

__all__ = ["scan_layout_activities", "scan_tabbed_activities"]
