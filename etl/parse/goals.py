"""The goal tree: KF:s inriktningsmål → KF:s mål för verksamhetsområdet → nämndmål.

Goals are opened only by the system's marker lines ("KF:s inriktningsmål:", "KF:s mål för verksamhetsområdet:",
"Nämndmål:"); headings that merely repeat a goal title (summaries, tables of contents) are never goals.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from malbas.etl.parse.records import Goal, TextBlock
from malbas.etl.parse.text import ICONS_AND_SPACE, heading_key, join_wrapped, line_cache, paragraphs, strip_markup
from malbas.vocabulary import Bedomning, Niva

# The marker words the reporting system prints before each goal title (with variants seen across years).
_MARKER_RE = re.compile(
    r"^(?P<marker>(?:KF:s )?inriktningsmål|(?:KF:s )?mål för verksamhetsområdet|KF:s verksamhetsmål"
    r"|verksamhetsområdesmål|nämndmål|nämndens mål)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LEVEL = {
    "inriktningsmål": "inriktningsmal",
    "mål för verksamhetsområdet": "verksamhetsomradesmal",
    "verksamhetsmål": "verksamhetsomradesmal",
    "verksamhetsområdesmål": "verksamhetsomradesmal",
    "nämndmål": "namndmal",
    "nämndens mål": "namndmal",
}
_NUMBERED_RE = re.compile(r"^(\d+(?:\.\d+){0,3})\.?\s+(\S.*)$")
_ASSESSMENT_RE = re.compile(r"^(?:målet\s+)?(?:bedöms\s+)?uppfyll(?:s|as|es)?\s+(helt|delvis|inte|ej)\b", re.IGNORECASE)
_ASSESSMENT = {"helt": Bedomning.HELT, "delvis": Bedomning.DELVIS, "inte": Bedomning.INTE, "ej": Bedomning.INTE}
# Text-block headings under a goal (compared by heading_key).
_BLOCK_HEADINGS = {
    "analys": "Analys",
    "förväntat resultat": "Förväntat resultat",
    "beskrivning": "Beskrivning",
    "jämställdhetsanalys": "Jämställdhetsanalys",
    "övrigt": "Övrigt",
}
# Lines that start a table: the goal's prose ends there.
_TABLE_START_RE = re.compile(r"^\s*(Indikator\b|Aktivitet\b)", re.IGNORECASE)
# The characters such a line can start with: 'I' or 'A' in any case the pattern takes, or markup before them.
_TABLE_START_CHARS = frozenset("IiİıAa#*_<")
_SENTENCE_END_RE = re.compile(r"(?<=\.)\s")
_INRIKTNING_VERDICT_RE = re.compile(r"\b(delvis|inte|ej)\b|\b(helt|uppnås|uppfylls|uppfyllts|nås|uppnåtts)\b")


@dataclass(slots=True)
class GoalSpan:
    """A goal and the lines it owns: [start, stop) runs from its marker to the next marker or region end."""

    mal: Goal
    start: int
    stop: int


def enclosing_goal(goal_lines: Sequence[int], rad: int) -> int | None:
    """Index of the goal a row on line `rad` belongs to: the last goal whose marker line is at or before it."""
    k = bisect_right(goal_lines, rad) - 1
    return k if k >= 0 else None


def marker_level(line: str) -> tuple[Niva, str] | None:
    if ":" not in line or ("mål" not in line and "Mål" not in line):
        return None  # cheap pre-check: every marker ends in "…mål:" or "…området:" (which contains "mål")
    return _marker_level(line)  # only the few lines that pass go through the cache


@line_cache
def _marker_level(line: str) -> tuple[Niva, str] | None:
    m = _MARKER_RE.match(strip_markup(line))
    if not m:
        return None
    marker = m.group("marker").lower().removeprefix("kf:s ")
    return _LEVEL[marker], m.group("rest").strip()  # type: ignore[return-value]


def _is_table_start(line: str) -> bool:
    if line.lstrip()[:1] not in _TABLE_START_CHARS:
        return False  # the common case, a line of prose: no markup to strip
    return bool(_TABLE_START_RE.match(strip_markup(line)))


def _assessment(line: str) -> Bedomning | None:
    m = _ASSESSMENT_RE.match(strip_markup(line).strip(ICONS_AND_SPACE))
    return _ASSESSMENT[m.group(1).lower()] if m else None


def _title_lines(lines: Sequence[str], first: int, stop: int, level: Niva, inline: str) -> tuple[list[str], int]:
    """The goal's title lines and the index after them.

    Layout text wraps titles: a KF goal or nämndmål title runs to the next blank line; an inriktningsmål title is
    followed at once by prose, so it continues only while the next line starts in lower case.
    """
    i = first
    if inline:
        parts = [inline]
    else:
        while i < stop and not lines[i].strip():
            i += 1
        if i >= stop:
            return [], i
        parts = [lines[i]]
        i += 1
    while i < stop and len(parts) < 4:
        nxt = lines[i]
        text = strip_markup(nxt)
        if not text or marker_level(nxt) or _assessment(nxt) or _is_table_start(nxt) or "\t" in nxt:
            break
        if level == "inriktningsmal" or strip_markup(parts[-1]).endswith("."):
            if not text[0].islower():
                break
        elif not text[0].islower() and not parts[-1].endswith(" "):
            # Without a trailing space the previous line ended the title (layout text marks wraps with one).
            break
        parts.append(nxt)
        i += 1
    return parts, i


def _inriktning_verdict(lines: Sequence[str], start: int, stop: int) -> Bedomning | None:
    """Inriktningsmål print no assessment line; the first sentence about the goal states it in prose."""
    text = paragraphs(lines[start : min(stop, start + 8)])
    for sentence in _SENTENCE_END_RE.split(text):
        if "inriktningsmål" not in sentence.lower():
            continue
        m = _INRIKTNING_VERDICT_RE.search(sentence.lower())
        if not m:
            return None
        if m.group(1):
            return Bedomning.DELVIS if m.group(1) == "delvis" else Bedomning.INTE
        return Bedomning.HELT
    return None


def _text_blocks(lines: Sequence[str], start: int, stop: int) -> list[TextBlock]:
    """Headed prose blocks of a goal, from after its assessment to its first table."""
    blocks: list[TextBlock] = []
    rubrik, block_start = "Text", start
    body: list[str] = []

    def flush() -> None:
        text = paragraphs(body)
        if text:
            blocks.append(TextBlock(rubrik=rubrik, text=text, rad=block_start + 1))

    for i in range(start, stop):
        line = lines[i]
        if _is_table_start(line):
            break
        key = heading_key(line) if len(line) < 80 else ""
        if key in _BLOCK_HEADINGS and len(strip_markup(line)) < 40:
            flush()
            rubrik, block_start, body = _BLOCK_HEADINGS[key], i, []
            continue
        body.append(line)
    flush()
    return blocks


def parse_goals(lines: Sequence[str], start: int, stop: int) -> list[GoalSpan]:
    """Every goal whose marker lies in lines[start:stop], with its number, title, assessment and text blocks."""
    marks = [(i, lv) for i, line in enumerate(lines[start:stop], start) if ":" in line and (lv := marker_level(line))]
    spans: list[GoalSpan] = []
    parents: dict[str, str | None] = {"inriktningsmal": None, "verksamhetsomradesmal": None}
    for n, (i, (level, inline)) in enumerate(marks):
        span_stop = marks[n + 1][0] if n + 1 < len(marks) else stop
        title_parts, after = _title_lines(lines, i + 1, span_stop, level, inline)
        if not title_parts:
            continue
        title = join_wrapped(title_parts)
        m = _NUMBERED_RE.match(title)
        nummer, titel = (m.group(1), m.group(2).strip()) if m else (None, title)
        bedomning, body_start = _verdict_and_body(lines, level, after, span_stop)
        mal = Goal(
            niva=level,
            nummer=nummer,
            titel=titel.strip(" *"),
            overordnat=_parent(level, nummer, parents),
            bedomning=bedomning,
            rad=i + 1,
            texter=_text_blocks(lines, body_start, span_stop),
        )
        if level != "namndmal":
            parents[level] = nummer or mal.titel
        spans.append(GoalSpan(mal=mal, start=i, stop=span_stop))
    return spans


def _parent(level: Niva, nummer: str | None, parents: dict[str, str | None]) -> str | None:
    """The enclosing goal one level up: by number when numbered, else the last goal of that level before."""
    if level == "inriktningsmal":
        return None
    if nummer and "." in nummer:
        return nummer.rsplit(".", 1)[0]
    return parents["inriktningsmal" if level == "verksamhetsomradesmal" else "verksamhetsomradesmal"]


def _verdict_and_body(lines: Sequence[str], level: Niva, after: int, stop: int) -> tuple[Bedomning | None, int]:
    """The goal's assessment and the line its text begins on. An inriktningsmål's verdict stands in its text; a
    lower goal's assessment is the first non-blank line after its title, when that line is one."""
    if level == "inriktningsmal":
        return _inriktning_verdict(lines, after, stop), after
    j = after
    while j < stop and not lines[j].strip():
        j += 1
    bedomning = _assessment(lines[j]) if j < stop else None
    return bedomning, (j + 1 if bedomning else after)
