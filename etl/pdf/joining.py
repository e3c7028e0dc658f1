"""Joining the lines of a wrapped cell or paragraph back into one text.

Lines break at spaces, so they are joined with a space, except where a renderer breaks inside a word:
a word wider than its column cut where the line is full ("arbetsmarknadsf" + "örvaltningen"), a word broken
after its hyphen ("covid-" + "19") or after a slash ("barn/" + "avd."). The geometry cannot always tell a cut
from a wrap at a space, so the words speak first: a next line that starts with a capital after a lower-case
letter starts a word ("Anna" + "Karlsson"), and the document's own words (`Vocabulary`: those it prints
whole, in the middle of its lines) tell a join it prints whole and never apart ("resultat" + "enheter")
from a next line that starts with a word it knows ("Vinsta" + "fsk"). Where they say nothing:
- a hyphen is kept and glued, unless it ends a suspended compound ("vård-" + "och omsorg");
- a slash between two names is glued ("Maltesholm/" + "Smedshagen"), else it keeps its space (the city
  writes "nämnd/ styrelse" as often as "nämnd/styrelse", even in one sentence);
- a cut is glued when together the two parts could not have stood on one line, the first part ends at the
  column's edge and in a letter or digit, and neither part is a function word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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


class Vocabulary:
    """The words a document prints whole, lower case, without the punctuation around them, and the pairs of
    words it prints side by side. A word at the end of a line that goes on below may be the head of a word cut
    there, and one at the start of a line that goes on from above its tail; every other word is whole."""

    def __init__(self, blocks: Iterable[Sequence[Sequence[Sequence[Word]]]] = ()) -> None:
        self.words: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        for block in blocks:  # a block: its lines, each line its runs of words (cells)
            last = len(block) - 1
            for i, runs in enumerate(block):
                for words in runs:
                    keys = [_key(w.text) for w in words]
                    self.pairs.update(zip(keys, keys[1:], strict=False))
                    whole = keys[1:-1]
                    if len(keys) > 1:
                        whole += [keys[0]] if i == 0 else []
                        whole += [keys[-1]] if i == last else []
                    elif i == 0 == last:
                        whole += keys
                    self.words.update(whole)

    def knows(self, text: str) -> bool:
        return _key(text) in self.words

    def one_word(self, before: str, after: str) -> bool:
        """Whether the document prints the two parts as one word, and never as two."""
        return self.knows(before + after) and (_key(before), _key(after)) not in self.pairs


def _key(text: str) -> str:
    return text.strip(_PUNCTUATION).lower()


_PUNCTUATION = ".,;:!?()[]\"'”“’"


def _words_say(before: Word, after: Word, vocabulary: Vocabulary) -> bool | None:
    """What the words say of two parts of letters: a capital starts a word ("Anna" + "Karlsson"), the document
    prints the join as one word, or the next line starts with a word of its own ("Vinsta" + "fsk"); None if
    they say nothing (or the parts are figures and units: "85" + "%" is two, whatever the prose writes)."""
    end, start = before.text[-1:], after.text[:1]
    if not ((end.isalpha() or end == "-") and start.isalpha()):
        return None
    if end.islower() and start.isupper():
        return False
    if vocabulary.one_word(before.text, after.text):
        return True
    if vocabulary.knows(after.text) and end.isalpha() and len(_key(after.text)) >= _SHORTEST_KNOWN:
        return False
    return None


def _marks_say(before: Word, after: Word) -> bool | None:
    """A slash between two names is glued ("Maltesholm/" + "Smedshagen": names are written so); a hyphen is kept
    and glued, unless it ends a suspended compound ("vård-" + "och omsorg"); None for other ends."""
    end, start = before.text[-1:], after.text[:1]
    if end == "/" and len(before.text) > 1 and before.text[0].isupper() and start.isupper():
        return True
    if end == "-" and len(before.text) > 1 and before.text[-2].isalnum():
        return start.isalnum() and after.text.lower() not in _SUSPENDED_TAIL
    return None


def _cut_at_edge(before: Word, after: Word, line_start: float, left: float, right: float) -> bool:
    """A word cut where the line was full: together the parts could not have stood on one line, the cut filled
    the line (set flush left or right: not even the next letter would have fitted), the parts are letters or
    figures, and neither is a function word."""
    end, start = before.text[-1:], after.text[:1]
    letters = end.isalpha() and start.isalpha()
    figures = (end.isdigit() or end in ",.") and start.isdigit()
    if not (letters or figures):
        return False
    if before.text.lower() in _FUNCTION_WORDS or after.text.lower().rstrip(".,;:") in _FUNCTION_WORDS:
        return False
    too_wide = (before.x1 - before.x0) + (after.x1 - after.x0) > right - left
    at_edge = (right - before.x1) + (line_start - left) < after.lead
    return too_wide and at_edge


def _glued(before: Word, after: Word, line_start: float, left: float, right: float, vocabulary: Vocabulary) -> bool:
    said = _words_say(before, after, vocabulary)
    if said is None:
        said = _marks_say(before, after)
    return _cut_at_edge(before, after, line_start, left, right) if said is None else said


_SHORTEST_KNOWN = 3  # shorter tails ("er", "na") end many words; they are no evidence of a word of their own


def join_lines(lines: Sequence[Sequence[Word]], left: float, right: float, vocabulary: Vocabulary | None = None) -> str:
    """One text from the words of consecutive lines set between `left` and `right`."""
    vocabulary = vocabulary or _NO_WORDS
    out = ""
    previous: Word | None = None
    previous_start = left
    for words in lines:
        for k, word in enumerate(words):
            if not out:
                out = word.text
            elif k == 0 and previous is not None and _glued(previous, word, previous_start, left, right, vocabulary):
                out += word.text
            else:
                out += " " + word.text
            previous = word
        if words:
            previous_start = words[0].x0
    return re.sub(r"\s+", " ", out).strip()


_NO_WORDS = Vocabulary()
