"""The Swedish numbers of enrich's reasons and target texts: read and written by malbas.etl.parse.numbers, the one
place for Swedish numbers; these are the names enrich has always used for them."""

from __future__ import annotations

from malbas.etl.parse.numbers import parse_number_in_text as swedish_number
from malbas.etl.parse.numbers import swedish

__all__ = ["swedish", "swedish_number"]
