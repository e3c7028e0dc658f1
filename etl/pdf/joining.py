"""Joining the lines of a wrapped cell or paragraph back into one text.

Lines break at spaces, so they are joined with a space, with two exceptions a renderer makes:
- a word wider than its column is cut where the line is full ("arbetsmarknadsf" + "örvaltningen"): the
  two parts are glued when together they could not have stood on one line, the first part ends at the
  column's edge and it ends in a letter or digit;
- a word broken after its hyphen ("covid-" + "19"), unless the hyphen ends a suspended compound
  ("vård-" + "och omsorg").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from malbas.etl.pdf.reader import Word

_SUSPENDED_TAIL = {"och", "eller", "samt", "resp", "resp.", "respektive", "till", "som", "&"}
# Short Swedish function words: a word cut at a column's edge does not end or begin with one of these
# (where the geometry cannot tell a cut from a wrap, the words decide).
_FUNCTION_WORDS = {
    "av",
    "och",
    "i",
    "på",
    "för",
    "med",
    "till",
    "som",
    "en",
    "ett",
    "att",
    "de",
    "den",
    "det",
    "är",
    "om",
    "från",
    "vid",
    "per",
    "samt",
    "eller",
    "inom",
    "under",
    "efter",
    "mot",
    "har",
    "kan",
    "ska",
    "sig",
    "så",
}


def _glued(before: Word, after: Word, line_start: float, left: float, right: float) -> bool:
    if before.text.endswith("-") and len(before.text) > 1 and before.text[-2].isalnum():
        return after.text[:1].isalnum() and after.text.lower() not in _SUSPENDED_TAIL
    letters = before.text[-1:].isalpha() and after.text[:1].isalpha()
    figures = (before.text[-1:].isdigit() or before.text[-1:] in ",.") and after.text[:1].isdigit()
    if not (letters or figures):
        return False
    if before.text.lower() in _FUNCTION_WORDS or after.text.lower().rstrip(".,;:") in _FUNCTION_WORDS:
        return False
    too_wide = (before.x1 - before.x0) + (after.x1 - after.x0) > right - left
    # The cut filled the line (set flush left or right): not even the next letter would have fitted.
    at_edge = (right - before.x1) + (line_start - left) < after.lead
    return too_wide and at_edge


def join_lines(lines: Sequence[Sequence[Word]], left: float, right: float) -> str:
    """One text from the words of consecutive lines set between `left` and `right`."""
    out = ""
    previous: Word | None = None
    previous_start = left
    for words in lines:
        for k, word in enumerate(words):
            if not out:
                out = word.text
            elif k == 0 and previous is not None and _glued(previous, word, previous_start, left, right):
                out += word.text
            else:
                out += " " + word.text
            previous = word
        if words:
            previous_start = words[0].x0
    return re.sub(r"\s+", " ", out).strip()
