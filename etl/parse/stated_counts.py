"""Counts a report states about itself, compared with what was read.

Reports write how many goals, indicators and activities they hold, in digits or Swedish words: "fyra av
kommunfullmäktiges fem verksamhetsområdesmål bedöms uppfyllas helt medan ett mål bedöms uppfyllas delvis",
"Alla nämndens 25 mål bedöms uppnås helt", "alla sju KF-indikatorer", "samtliga tre KF-aktiviteter",
"Av målen för verksamhetsområdena bedöms 14 uppnås helt och 2 delvis". Where such a statement disagrees with
the rows read, either the report is inconsistent or the parser missed something: both are worth a note.

Conservative by design: only forms that state a whole ("N av M …", "alla/samtliga N …", "de N …",
"kommunfullmäktiges N …", "underliggande N …", "N … som alla …", "N KF-aktiviteterna") or a count per
assessment are compared, and only where the subject (which goals, indicators or activities) and the scope
(the goal whose text holds the sentence, the inriktningsmål a summary paragraph stands under, or the whole
report) are clear. A plain "nio aktiviteter" may be a part, and "de 18 aktiviteter som finns i
handlingsplanen" counts something else: both are ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from malbas.etl.parse.goals import GoalSpan
from malbas.etl.parse.records import Activity, IndicatorRow, QualityNote, TextBlock
from malbas.etl.parse.text import ICONS, strip_markup
from malbas.vocabulary import Bedomning, KvalitetTyp

_UNITS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
}  # fmt: skip
_TEENS = {
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17,
    "arton": 18, "aderton": 18, "nitton": 19,
}  # fmt: skip
_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
_BOTH = {"båda": 2, "bägge": 2}
_TENS_RE = "|".join(_TENS)
_UNITS_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}|(?:{_TENS_RE})(?:{_UNITS_RE})?|{'|'.join(_TEENS)}|{_UNITS_RE}|{'|'.join(_BOTH)})(?![\wåäö])"


def number_value(word: str) -> int | None:
    """The value of a count in digits or Swedish words: '21', 'sju', 'arton', 'tjugofem', 'båda'."""
    w = word.lower()
    if w.isdigit():
        return int(w)
    for table in (_UNITS, _TEENS, _BOTH):
        if w in table:
            return table[w]
    for tens, value in _TENS.items():
        if w.startswith(tens):
            rest = w[len(tens) :]
            if not rest:
                return value
            return value + _UNITS[rest] if rest in _UNITS else None
    return None


class Subject(Enum):
    """What a statement counts."""

    INRIKTNINGSMAL = "inriktningsmål"
    KF_MAL = "KF goals"
    NAMNDMAL = "nämndmål"
    KF_INDIKATORER = "KF indicator rows"
    NAMND_INDIKATORER = "nämnd indicator rows"
    INDIKATORER = "indicator rows"
    KF_AKTIVITETER = "KF activities"
    NAMND_AKTIVITETER = "nämnd activities"
    AKTIVITETER = "activities"


_OWNER = r"(?:kommunfullmäktiges|KF:s|nämndens|stadsdelsnämndens|förvaltningens|stadsdelsförvaltningens)"
# Words that may stand between the count and its noun.
_QUALIFIER = r"(?:underliggande|planerade|beslutade|ingående|kopplade|egna)"
# The nouns, most specific first; an owner word before the noun ('nämndens', 'kommunfullmäktiges') can decide.
_NOUNS: tuple[tuple[str, Subject | None], ...] = (
    (r"KF-\s*indikator(?:n|er|erna)?", Subject.KF_INDIKATORER),
    (r"(?:av\s+)?kommunfullmäktige\s+beslutade\s+indikator(?:n|er|erna)?", Subject.KF_INDIKATORER),
    (r"nämndindikator(?:n|er|erna)?", Subject.NAMND_INDIKATORER),
    (r"(?:av\s+)?nämnden\s+beslutade\s+indikator(?:n|er|erna)?", Subject.NAMND_INDIKATORER),
    (r"indikator(?:n|er|erna)?", Subject.INDIKATORER),
    (r"KF-\s*(?:aktivitet(?:en|er|erna)?|uppdrag(?:et|en)?)", Subject.KF_AKTIVITETER),
    (r"nämndaktivitet(?:en|er|erna)?", Subject.NAMND_AKTIVITETER),
    (r"aktivitet(?:en|er|erna)?", Subject.AKTIVITETER),
    (r"verksamhetsområdesmål(?:et|en)?", Subject.KF_MAL),
    (r"mål(?:et|en)?\s+för\s+(?:\w+\s+)?verksamhetsområde(?:t|n|na)?", Subject.KF_MAL),
    (r"nämndmål(?:et|en)?", Subject.NAMNDMAL),
    (r"inriktningsmål(?:et|en)?", Subject.INRIKTNINGSMAL),
    (r"mål(?:et|en)?", None),  # a goal of the owner's: 'nämndens 25 mål'; without an owner it says nothing
)
_NOUN = "|".join(f"(?:{pattern})" for pattern, _ in _NOUNS)
_NOUN_RES = [(re.compile(pattern + r"$", re.IGNORECASE), subject) for pattern, subject in _NOUNS]
# A count before a noun in the definite plural names them all, even without 'de' ('två KF-aktiviteterna').
_DEFINITE_PLURAL = r"(?:KF-\s*|nämnd)?(?:indikatorerna|aktiviteterna|uppdragen|verksamhetsområdesmålen|nämndmålen)\b"
_TAIL = rf"(?:av\s+)?(?:(?P<owner2>{_OWNER})\s+)?(?:{_QUALIFIER}\s+){{0,2}}(?P<noun>{_NOUN})(?![\wåäö-])"
# The forms that state a whole (and, for 'N av M', a part of it).
_STATEMENT_RE = re.compile(
    rf"\b(?:(?P<part>{_NUM})\s+av\s+(?:de\s+)?(?:(?P<owner1>{_OWNER})\s+)?(?P<total1>{_NUM})"
    rf"|(?:alla|samtliga)\s+(?:de\s+)?(?:(?P<owner3>{_OWNER})\s+)?(?P<total2>{_NUM})(?:\s+av)?"
    rf"|(?P<det>de|dessa|underliggande|{_OWNER})\s+(?:(?P<owner4>{_OWNER})\s+)?(?P<total3>{_NUM})"
    rf"|(?P<both>{'|'.join(_BOTH)})"
    rf"|(?P<total4>{_NUM})(?=\s+(?:{_QUALIFIER}\s+){{0,2}}(?:{_NOUN})\s+som\s+alla\b)"
    rf"|(?P<total5>{_NUM})(?=\s+(?:{_QUALIFIER}\s+){{0,2}}{_DEFINITE_PLURAL}))"
    rf"\s+{_TAIL}",
    re.IGNORECASE,
)
# "Av målen för verksamhetsområdena bedöms 14 uppnås helt och 2 delvis": counts per assessment only.
_PER_ASSESSMENT_RE = re.compile(
    rf"\bav\s+(?:de\s+)?(?:(?P<owner1>{_OWNER})\s+)?(?P<noun>{_NOUN})\s+(?:bedöms|har|kommer)\s+"
    rf"(?P<part>{_NUM})\s+(?:\w+\s+){{0,3}}?(?P<verdict>helt|delvis|inte|ej)\b",
    re.IGNORECASE,
)
# A second count in the same sentence: "… medan ett mål bedöms uppfyllas delvis", "… och 2 delvis".
_MORE_RE = re.compile(
    rf"^\s*(?:,\s*)?(?:och|medan|samt)\s+(?:att\s+)?(?P<part>{_NUM})\s+(?:[\wåäö:-]+\s+){{0,4}}?"
    r"(?P<verdict>helt|delvis|inte|ej)\b",
    re.IGNORECASE,
)
_NUM_RE = re.compile(rf"\b{_NUM}", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[.;:,\x00]|\b(?:och|medan|samt)\b", re.IGNORECASE)
_ASSESSMENT_VERB_RE = re.compile(r"\b(?:uppn\w*|uppfyll\w*|nås|nåtts|når|bedöms)\b", re.IGNORECASE)
_VERDICT = {"helt": Bedomning.HELT, "delvis": Bedomning.DELVIS, "inte": Bedomning.INTE, "ej": Bedomning.INTE}
# A relative clause after the noun narrows it to something else ('de 18 aktiviteter som finns i
# handlingsplanen'), unless it ties the items to the goal in scope.
_NARROWING_RE = re.compile(r"\s*som\s+(?!alla\b|är\s+kopplade\b|hör\s+till\b)", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")
_LEVEL_RANK = {"inriktningsmal": 0, "verksamhetsomradesmal": 1, "namndmal": 2}
_WORD_RE = re.compile(r"[\wåäöéü-]+")


@dataclass(frozen=True, slots=True)
class Statement:
    """What a sentence states: `total` items of `subject`, and/or how many of them have each assessment."""

    subject: Subject
    text: str  # the words of the statement as printed
    start: int  # its offset in the text searched
    total: int | None = None
    counts: tuple[tuple[Bedomning, int], ...] = ()


def find_statements(text: str) -> list[Statement]:
    """The count statements in a text, in order."""
    found: list[Statement] = []
    covered = 0  # the end of the last statement: a statement holds no other ('fyra av [kommunfullmäktiges fem …]')
    for start in _statement_starts(text):
        if start < covered:
            continue
        m = _STATEMENT_RE.match(text, start)
        if m is not None:
            covered = m.end()
            statement = _whole(text, m)
            if statement is not None:
                found.append(statement)
            continue
        m = _PER_ASSESSMENT_RE.match(text, start)
        if m is not None:
            covered = m.end()
            subject = _subject(m.group("noun"), m.group("owner1"))
            part = number_value(m.group("part"))
            if subject is not None and part is not None:
                counts = ((_VERDICT[m.group("verdict").lower()], part), *_more_counts(text, m.end()))
                found.append(Statement(subject, " ".join(m.group(0).split()), start, None, counts))
    return found


# Every statement names its items and starts with one of a few words. The statement patterns are slow to
# search through long texts, so they are tried only at those words, and only near the item words.
_HINTS = ("indikator", "aktivitet", "uppdrag", "nämndmål", "inriktningsmål", "verksamhetsområde", "nämndens")
# The hints without their first letter, so that one search finds 'Aktiviteter', 'aktiviteter', 'KF-aktiviteter'.
_HINT_TAILS = tuple(hint[1:] for hint in _HINTS)
_DIGIT_RE = re.compile(r"\d")
_OWNER_RE = re.compile(_OWNER, re.IGNORECASE)
_WHITESPACE_RE = re.compile(r"\s+")
_VERDICT_WORD_RE = re.compile(r"\b(helt|delvis|inte|ej)\b", re.IGNORECASE)
_OWNER_HINTS = {"nämndens", "stadsdelsnämndens"}
_PUNCTUATION = ".,;:!?()[]\"'”’»«\x00"
_HINT_WORDS = frozenset(
    prefix + stem + ending
    for stems, endings, prefixes in (
        (("indikator",), ("", "n", "er", "erna"), ("", "kf-", "nämnd")),
        (("aktivitet",), ("", "en", "er", "erna"), ("", "kf-", "nämnd")),
        (("uppdrag",), ("", "et", "en"), ("kf-",)),
        (("nämndmål", "inriktningsmål", "verksamhetsområdesmål"), ("", "et", "en"), ("",)),
        (("verksamhetsområde",), ("", "t", "n", "na"), ("",)),
        (("nämndens", "stadsdelsnämndens"), ("",), ("",)),
    )
    for stem in stems
    for ending in endings
    for prefix in prefixes
)
_SPAN_BEFORE, _SPAN_AFTER = 100, 30  # characters around an item word that hold the words of its statement
_WORDS_BEFORE = 7  # 'fem av åtta av kommunfullmäktiges beslutade indikatorer': the item word comes late
_NUMBER_WORDS = frozenset([*_UNITS, *_TEENS, *_BOTH, *_TENS, *(tens + unit for tens in _TENS for unit in _UNITS)])
_FIRST_WORDS = _NUMBER_WORDS | {
    "alla", "samtliga", "de", "dessa", "underliggande", "av", "kommunfullmäktiges", "kf:s", "nämndens",
    "stadsdelsnämndens", "förvaltningens", "stadsdelsförvaltningens",
}  # fmt: skip


def _statement_starts(text: str) -> list[int]:
    """Offsets of the words where a statement may start: a count or a determiner among the few words before an
    item word (or the item word itself: 'nämndens 25 mål'), where those words hold a count at all."""
    hits: set[int] = set()
    for tail in _HINT_TAILS:  # lower-casing the whole text would cost more than the rest
        i = text.find(tail)
        while i >= 0:
            hits.add(_word_start(text, i))  # the start of the word holding it
            i = text.find(tail, i + len(tail))
    starts: set[int] = set()
    for pos in hits:
        end = _word_end(text, pos)
        word = text[pos:end].lower().strip(_PUNCTUATION)
        if word not in _HINT_WORDS:
            continue  # 'aktivitetscenter', 'lovaktiviteter', 'socialnämndens': no item of the report
        if word in _OWNER_HINTS and not _is_count(text[end + 1 : end + 14].split(None, 1)[:1]):
            continue  # an owner is a hint only before its count: 'nämndens 25 mål'
        first = max(pos - _SPAN_BEFORE, 0)
        low = text[first : end + _SPAN_AFTER].lower().replace("\n", " ").replace("\t", " ")
        cut = end - first
        # no count near (after the item word too: 'Av målen för verksamhetsområdena bedöms 14 …'): no statement
        if _NUMBER_WORDS.isdisjoint(low.split()) and not _DIGIT_RE.search(low):
            continue
        words = low[:cut].split(" ")[1 if first else 0 :]  # the first may be cut mid-word
        offset, seen = end + 1, 0
        for word in reversed(words):
            offset -= len(word) + 1
            if not word:
                continue  # a run of spaces, a line break
            if word in _FIRST_WORDS or word[:1].isdigit():
                starts.add(offset)
            seen += 1
            if seen > _WORDS_BEFORE:
                break
    return sorted(starts)


def _is_count(words: list[str]) -> bool:
    return bool(words) and (words[0][:1].isdigit() or words[0].lower() in _NUMBER_WORDS)


def _word_start(text: str, i: int) -> int:
    lo = max(i - 60, 0)  # bounded: a word is short, and an unbounded search would run through the whole text
    return max(text.rfind(" ", lo, i), text.rfind("\n", lo, i), lo - 1) + 1


def _word_end(text: str, i: int) -> int:
    hi = i + 60
    ends = [e for e in (text.find(" ", i, hi), text.find("\n", i, hi)) if e >= 0]
    return min(ends) if ends else min(hi, len(text))


def _whole(text: str, m: re.Match[str]) -> Statement | None:
    """A statement of a whole (and of the part assessed, where the sentence says)."""
    det = m.group("det")
    owner = m.group("owner1") or m.group("owner2") or m.group("owner3") or m.group("owner4")
    if owner is None and det and _OWNER_RE.fullmatch(det):
        owner = det
    subject = _subject(m.group("noun"), owner)
    if subject is None or _NARROWING_RE.match(text, m.end()):
        return None
    total_word = next(m.group(g) for g in ("total1", "total2", "total3", "total4", "total5", "both") if m.group(g))
    total = number_value(total_word)
    if total is None:
        return None
    clause = _clause(text, m.end())
    verdict = _verdict(clause)
    counts: list[tuple[Bedomning, int]] = []
    if verdict is not None:
        # 'Av de sju nämndmålen bedöms fem mål uppnås helt': a count in the clause is the part assessed
        inner = _NUM_RE.search(clause)
        part_word = inner.group(0) if inner else m.group("part")
        part = number_value(part_word) if part_word else total
        if part is not None:
            counts.append((verdict, part))
    counts += _more_counts(text, m.end() + len(clause))
    return Statement(subject, " ".join(m.group(0).split()), m.start(), total, tuple(counts))


def _subject(noun: str, owner: str | None) -> Subject | None:
    noun = _WHITESPACE_RE.sub(" ", noun)
    subject = next((s for rx, s in _NOUN_RES if rx.match(noun)), None)
    owner = (owner or "").lower()
    kf_owner, namnd_owner = owner in ("kommunfullmäktiges", "kf:s"), owner in ("nämndens", "stadsdelsnämndens")
    if subject is None:  # 'mål': only 'nämndens N mål' says which
        return Subject.NAMNDMAL if namnd_owner else None
    if subject is Subject.INDIKATORER and (kf_owner or namnd_owner):
        return Subject.KF_INDIKATORER if kf_owner else Subject.NAMND_INDIKATORER
    if subject is Subject.AKTIVITETER and (kf_owner or namnd_owner):
        return Subject.KF_AKTIVITETER if kf_owner else Subject.NAMND_AKTIVITETER
    return subject


def _clause(text: str, start: int) -> str:
    """The words after a statement up to the end of its clause (before 'och', 'medan', a comma …)."""
    m = _CLAUSE_END_RE.search(text, start)
    return text[start : m.start() if m else len(text)]


def _verdict(clause: str) -> Bedomning | None:
    """The assessment a clause gives its count ('bedöms uppnås helt'), if it names one and only one."""
    if not _ASSESSMENT_VERB_RE.search(clause):
        return None
    words = {w.lower() for w in _VERDICT_WORD_RE.findall(clause)}
    if len(words) != 1 or "eller" in clause.lower():
        return None
    return _VERDICT[words.pop()]


def _more_counts(text: str, start: int) -> list[tuple[Bedomning, int]]:
    counts: list[tuple[Bedomning, int]] = []
    pos = start
    while (m := _MORE_RE.match(text[pos : pos + 80])) is not None:
        part = number_value(m.group("part"))
        if part is None:
            break
        counts.append((_VERDICT[m.group("verdict").lower()], part))
        pos += m.end()
    return counts


# ---------------------------------------------------------------- what was read, per scope


@dataclass(frozen=True, slots=True)
class _Scope:
    """The goal a text speaks for (None: the whole report), with the lines its own part and its subtree hold."""

    goal: GoalSpan | None
    own: tuple[int, int]  # [start, stop) 0-based lines of the goal's own part (marker to the next marker)
    tree: tuple[int, int]  # [start, stop) of the goal with the goals under it

    def label(self) -> str:
        if self.goal is None:
            return "the report"
        mal = self.goal.mal
        name = {"inriktningsmal": "inriktningsmål", "verksamhetsomradesmal": "KF goal", "namndmal": "nämndmål"}
        return f"{name[mal.niva]} {mal.nummer or repr(mal.titel[:40])}"


_GOAL_LEVEL = {
    Subject.INRIKTNINGSMAL: "inriktningsmal",
    Subject.KF_MAL: "verksamhetsomradesmal",
    Subject.NAMNDMAL: "namndmal",
}
# The rows an item subject counts, and whether they stand under a KF-level goal (None: either).
_ROWS: dict[Subject, tuple[str, bool | None]] = {
    Subject.KF_INDIKATORER: ("indicators", True),
    Subject.NAMND_INDIKATORER: ("indicators", False),
    Subject.INDIKATORER: ("indicators", None),
    Subject.KF_AKTIVITETER: ("activities", True),
    Subject.NAMND_AKTIVITETER: ("activities", False),
    Subject.AKTIVITETER: ("activities", None),
}


class _Read:
    """The goals, indicator rows and activities read, countable per scope."""

    def __init__(self, goals: Sequence[GoalSpan], indikatorer: Sequence[IndicatorRow], aktiviteter: Sequence[Activity]):
        self.goals = list(goals)
        self.indicators = sorted((r.rad - 1, r.kf_indikator) for r in indikatorer)
        self.activities = sorted((a.rad - 1, a.kf_uppdrag) for a in aktiviteter)

    def scope(self, k: int) -> _Scope:
        g = self.goals[k]
        rank = _LEVEL_RANK[g.mal.niva]
        stop = next(
            (h.start for h in self.goals[k + 1 :] if _LEVEL_RANK[h.mal.niva] <= rank),
            self.goals[-1].stop,
        )
        return _Scope(g, (g.start, g.stop), (g.start, stop))

    def first_row(self, start: int, stop: int) -> int:
        """The line of the first table row in [start, stop), else stop: a goal's prose ends at its tables."""
        firsts = [
            rows[k][0]
            for rows in (self.indicators, self.activities)
            if (k := bisect_left(rows, (start, False))) < len(rows)
        ]
        return min([stop, *(i for i in firsts if i < stop)])

    def whole(self) -> _Scope:
        span = (self.goals[0].start, self.goals[-1].stop) if self.goals else (0, 0)
        return _Scope(None, span, span)

    def _goals(self, span: tuple[int, int], niva: str, bedomning: Bedomning | None = None) -> int:
        return sum(
            1
            for g in self.goals
            if span[0] <= g.start < span[1]
            and g.mal.niva == niva
            and (bedomning is None or g.mal.bedomning == bedomning)
        )

    @staticmethod
    def _rows(rows: Sequence[tuple[int, bool]], span: tuple[int, int], kf: bool | None) -> int:
        a, b = bisect_left(rows, (span[0], False)), bisect_left(rows, (span[1], False))
        return sum(1 for _, is_kf in rows[a:b] if kf is None or is_kf == kf)

    def count(self, scope: _Scope, subject: Subject, bedomning: Bedomning | None = None) -> int | None:
        """How many `subject` items were read in `scope`; None when the statement's scope is not clear."""
        level = scope.goal.mal.niva if scope.goal is not None else None
        goal_level = _GOAL_LEVEL.get(subject)
        if goal_level is not None:
            # Goals are counted below the scope's own level only (an inriktningsmål's text about "its"
            # inriktningsmål counts nothing); assessments only where assessment lines are printed.
            if level is not None and _LEVEL_RANK[goal_level] <= _LEVEL_RANK[level]:
                return None
            if bedomning is not None and goal_level == "inriktningsmal":
                return None
            return self._goals(scope.tree, goal_level, bedomning)
        if bedomning is not None:
            return None  # indicator and activity assessments are not read as such
        kind, kf = _ROWS[subject]
        rows = self.indicators if kind == "indicators" else self.activities
        if level is None or level == "inriktningsmal":
            # Over many goals only the kinds a report counts as wholes: its KF indicators, its nämnd activities.
            return None if kf is None else self._rows(rows, scope.tree, kf)
        if level == "verksamhetsomradesmal":
            if kf is False:  # 'de sju underliggande nämndaktiviteterna': those of the nämndmål under it
                return self._rows(rows, scope.tree, False)
            return self._rows(rows, scope.own, kf)
        return None if kf else self._rows(rows, scope.own, None)  # a nämndmål: its own rows


# ---------------------------------------------------------------- the texts, and the notes


def compare(
    lines: Sequence[str],
    goals: Sequence[GoalSpan],
    indikatorer: Sequence[IndicatorRow],
    aktiviteter: Sequence[Activity],
    avsnitt: Sequence[TextBlock],
    boundaries: Sequence[int] = (),
) -> list[QualityNote]:
    """A note (typ 'antal_avviker') for every count statement that disagrees with what was read.

    Goal texts run from each marker to its first table row; report sections (`avsnitt`) from their heading to the
    next section or the next of `boundaries` (0-based lines where the goal part and the economy part start)."""
    read = _Read(goals, indikatorer, aktiviteter)
    texts = _Texts()
    for k, g in enumerate(goals):
        texts.add((read.scope(k),), lines, g.start, read.first_row(g.start, g.stop))
    starts = sorted({b.rad - 1 for b in avsnitt} | set(boundaries))
    inriktning = [(k, _words(g.mal.titel)) for k, g in enumerate(goals) if g.mal.niva == "inriktningsmal"]
    # Report-level text outside every inriktningsmål heading may speak for the whole report or for one
    # inriktningsmål whose title was not recognised: with several, each is a scope the statement may have.
    report_scopes = (read.whole(), *(read.scope(k) for k, _ in inriktning)) if len(inriktning) > 1 else (read.whole(),)
    for block in avsnitt:
        start = block.rad - 1
        stop = next((s for s in starts if s > start), len(lines))
        scopes, chunk, i = report_scopes, start, start
        while i < stop:
            found = _inriktning_heading(lines, i, stop, inriktning) if block.typ == "sammanfattning" else None
            if found is None:
                i += 1
                continue
            im, after = found  # the summary's paragraphs under an inriktningsmål's title speak for it
            texts.add(scopes, lines, chunk, i)
            scopes, chunk, i = (read.scope(im),), after, after
        texts.add(scopes, lines, chunk, stop)
    notes: list[QualityNote] = []
    for statement in find_statements(texts.text()):
        scopes, rad = texts.where(statement.start)
        notes += _mismatches(read, scopes, statement, rad)
    return notes


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD_RE.findall(text)}


def _inriktning_heading(
    lines: Sequence[str], i: int, stop: int, titles: Sequence[tuple[int, set[str]]]
) -> tuple[int, int] | None:
    """The inriktningsmål whose title line `i` restates ('En modern storstad med möjligheter och frihet för
    alla' for '… valfrihet för alla'), and the line after the heading, if it is a heading: nearly the title's
    words and little else, on one line or wrapped over two (a long title in layout text)."""
    first = _heading_words(lines[i])
    if first is None:
        return None
    candidates = [(first, i + 1)]
    if i + 1 < stop and (second := _heading_words(lines[i + 1])) is not None:
        candidates.append((first | second, i + 2))
    for words, after in candidates:
        for k, title in titles:
            if title and len(words & title) >= 0.75 * len(title) and len(words - title) <= 2:
                return k, after
    return None


def _heading_words(line: str) -> set[str] | None:
    """The words of a line that may be (part of) a heading: short, no sentence ending in it."""
    text = strip_markup(line).strip(ICONS + " *")
    if not text or len(text) > 120 or _SENTENCE_END_RE.search(text):
        return None
    return _words(text)


# Between two texts: no statement pattern reads across it (no word, no space).
_SEPARATOR = "\x00"


class _Texts:
    """The texts to search, each with its scope, as one string (one search is much faster than many); a
    statement finds its scope and line again from its offset."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []  # offset where each text starts
        self.first_lines: list[int] = []  # its first line (1-based)
        self.scopes: list[tuple[_Scope, ...]] = []  # the scopes each text may speak for
        self.size = 0
        self.joined = ""

    def add(self, scopes: tuple[_Scope, ...], lines: Sequence[str], start: int, stop: int) -> None:
        """lines[start:stop] as they are, joined by line breaks: the statement patterns read any whitespace
        between words ('KF-' / 'indikatorer' reads as 'KF-\\nindikatorer', which the nouns allow)."""
        if stop <= start:
            return
        part = "\n".join(lines[start:stop]) + "\n" + _SEPARATOR + "\n"  # no statement reads on into the next
        self.parts.append(part)
        self.starts.append(self.size)
        self.first_lines.append(start + 1)
        self.scopes.append(scopes)
        self.size += len(part)

    def text(self) -> str:
        self.joined = "".join(self.parts)
        return self.joined

    def where(self, offset: int) -> tuple[tuple[_Scope, ...], int]:
        """The scopes and the line of the character at `offset` of `text()`."""
        k = bisect_right(self.starts, offset) - 1
        return self.scopes[k], self.first_lines[k] + self.joined.count("\n", self.starts[k], offset)


def _mismatches(read: _Read, scopes: Sequence[_Scope], st: Statement, rad: int) -> list[QualityNote]:
    """A note for each count of a statement that disagrees with what was read in every scope the statement may
    speak for (a scope that cannot make the count is none of them): whichever scope is meant, that count is
    wrong. A count that agrees with one scope, or that no scope can make, says nothing."""
    checks: list[tuple[int, Bedomning | None]] = []
    if st.total is not None:
        checks.append((st.total, None))
    checks += [(n, verdict) for verdict, n in st.counts]
    notes: list[QualityNote] = []
    for stated, verdict in checks:
        found = [(scope, n) for scope in scopes if (n := read.count(scope, st.subject, verdict)) is not None]
        if not found or any(n == stated for _, n in found):
            continue
        scope, n = found[0]
        what = f"{st.subject.value}{f' assessed {verdict.value}' if verdict else ''}"
        notes.append(
            QualityNote(
                typ=KvalitetTyp.ANTAL_AVVIKER,
                meddelande=f"{scope.label()}: the text says {st.text!r} ({stated} {what}), but {n} were read",
                rad=rad,
            )
        )
    return notes
