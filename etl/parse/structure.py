"""Structural refusal: one report per file, its lines in the order the reporting system prints them.

ILS-webb prints a report in a fixed shape: one identity (title, page feet), the goal part with its goals in
number order (inriktningsmål 1, 2, 3; KF goals 1.1, 1.2 … under inriktningsmål 1; nämndmål 1.1.1 … under KF
goal 1.1), each goal marker directly followed by its title, then one economy part ('Uppföljning av ekonomi').
A file that breaks that shape holds two reports (two identities, the numbering starting over, the economy part
twice) or has its lines out of order (markers without their titles, numbers out of sequence, markers after the
economy part); loading it as one report would mix or scramble facts, so it is refused with a one-line reason.

What real reports do is allowed: unnumbered goals (they are not judged by number), a missing number (1.1 then
1.3), a missing inriktningsmål marker (KF goal 2.1 right after 1.5), one mistyped number (an isolated outlier),
markers with a leading space or at a page top, goal titles restated without markers (summaries).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from malbas.etl.parse.economy import find_economy_span
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.furniture import Furniture
from malbas.etl.parse.goals import GoalSpan, marker_level, parse_goals
from malbas.etl.parse.settings import STRUCTURE
from malbas.etl.parse.text import ICONS, lines_with, strip_markup

# The depth of a goal number at each level: inriktningsmål "1", KF goal "1.1", nämndmål "1.1.1".
_DEPTH = {"inriktningsmal": 1, "verksamhetsomradesmal": 2, "namndmal": 3}
# A title line that names the report: "Verksamhetsberättelse VB 2024 för Spånga-Tensta stadsdelsnämnd".
_TITLE_RE = re.compile(
    r"^(?P<kind>verksamhetsplan|verksamhetsberättelse|tertialrapport\s*[12]?)(?:\s+(?:VB|VP|T[12]))?\s+"
    r"(?P<year>(?:19|20)\d\d)\s+för\s+(?P<namnd>\S.*?)\s*$",
    re.IGNORECASE,
)
# The committee a page foot names: "Skarpnäcks stadsdelsnämnd", "Socialnämnden".
_COMMITTEE_RE = re.compile(
    r"\b([A-ZÅÄÖ][\wåäöéü]*(?:-\s?[A-ZÅÄÖ][\wåäöéü]*)*)\s+stadsdels(?:nämnd|förvaltning)|\b([A-ZÅÄÖ][a-zåäö-]*nämnden)\b"
)
_DISTRICT_COMMITTEE = re.compile(r"stadsdels(?:nämnd|förvaltning)(?:en)?")
_HYPHEN_SPACE = re.compile(r"-\s+")
_WHITESPACE = re.compile(r"\s+")
_GENERIC_COMMITTEES = {"stadsdelsnämnden", "nämnden"}
_KIND_RE = re.compile(r"\b(tertialrapport|verksamhetsberättelse|verksamhetsplan)\b", re.IGNORECASE)
# Words every title line and every goal marker holds (the marker pattern ends in '…mål:' or '…området:').
_TITLE_WORDS = ("erksamhetsplan", "erksamhetsberättelse", "ertialrapport")
_MARKER_ENDS = ("mål:", "mål :", "området:", "området :", "MÅL:")


def check_structure(
    lines: Sequence[str], goals: Sequence[GoalSpan], economy: tuple[int, int], furniture: Furniture
) -> None:
    """Raise ParseError when the lines are not one report in the system's order.

    `lines` are the report's lines (furniture marked), `goals` the goals read before the economy part,
    `economy` its [start, stop) and `furniture` the page furniture found in the lines."""
    text = "\n".join(lines)  # searched as one string: a loop over every line costs more than all the checks
    _one_identity(lines, lines_with(text, _TITLE_WORDS), furniture)
    _one_economy_part(lines, economy)
    later = parse_goals(lines, economy[0], len(lines))
    _numbers_in_order([*goals, *later])
    markers = [i for i in lines_with(text, _MARKER_ENDS) if marker_level(lines[i])]
    _no_markers_after_economy([i for i in markers if i >= economy[0]])
    _markers_hold_titles([i for i in markers if i < economy[0]], goals)


def _one_identity(lines: Sequence[str], candidates: Sequence[int], furniture: Furniture) -> None:
    """Two title lines naming different reports, or page feet naming two committees or report kinds.
    `candidates` are the lines that may be titles (they name a report kind)."""
    titles: dict[tuple[str, str, str], tuple[int, str]] = {}  # identity -> (first line, its text)
    for i in candidates:
        line = lines[i]
        if " för " not in line or len(line) > 160:
            continue
        text = strip_markup(line)
        m = _TITLE_RE.match(text)
        if m:
            identity = (_WHITESPACE.sub("", m.group("kind").lower()), m.group("year"), _committee_key(m.group("namnd")))
            titles.setdefault(identity, (i, text))
    if len(titles) > 1:
        (a, first), (b, second) = sorted(titles.values())[:2]
        raise ParseError(
            f"two reports in one file: the title at line {a + 1} reads {first!r}, the title at line {b + 1} reads {second!r}"
        )
    committees: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    shown: dict[str, str] = {}  # key -> the name as the first foot prints it
    for foot in furniture.feet:
        m = _COMMITTEE_RE.search(foot)
        if m and m.group(0).lower() not in _GENERIC_COMMITTEES:
            key = _committee_key(m.group(0))
            committees[key] += 1
            shown.setdefault(key, m.group(0))
        k = _KIND_RE.search(foot)
        if k:
            kinds[k.group(1).lower()] += 1
            shown.setdefault(k.group(1).lower(), k.group(1))
    for what, counts in (("committees", committees), ("report kinds", kinds)):
        recurring = sorted(shown[key] for key, n in counts.items() if n >= 2)  # a one-off foot may be a misread
        if len(recurring) > 1:
            raise ParseError(f"two reports in one file: the page feet name two {what} ({', '.join(recurring)})")


def _committee_key(name: str) -> str:
    """'Spånga- Tensta stadsdelsnämnd' and 'Spånga-Tensta stadsdelsförvaltning' are one committee."""
    key = _HYPHEN_SPACE.sub("-", strip_markup(name)).lower()
    key = _DISTRICT_COMMITTEE.sub("stadsdel", key)
    return _WHITESPACE.sub(" ", key).strip(" .")


def _one_economy_part(lines: Sequence[str], economy: tuple[int, int]) -> None:
    nxt = find_economy_span(lines[economy[0] + 1 :])
    if nxt is not None:
        second = economy[0] + 1 + nxt[0]
        raise ParseError(
            f"two reports in one file: the economy part ('Uppföljning av ekonomi') starts twice, "
            f"at lines {economy[0] + 1} and {second + 1}"
        )


def _number_key(span: GoalSpan) -> tuple[int, ...] | None:
    """The goal's number as a tuple, when it has the depth of its level and reads as a goal number."""
    nummer = span.mal.nummer
    if not nummer:
        return None
    key = tuple(int(part) for part in nummer.split("."))
    if len(key) != _DEPTH[span.mal.niva] or max(key) > STRUCTURE.goal_number:
        return None
    return key


def _numbers_in_order(goals: Sequence[GoalSpan]) -> None:
    """Numbered goals follow the tree in order: tuples compare so that 1 < 1.1 < 1.1.1 < 1.2 < 2, which is
    inriktningsmål rising, KF goals within their inriktningsmål and nämndmål under their KF goal at once.
    Equal numbers pass (a repeated number is a typo, not a new report); one isolated outlier passes too."""
    numbered = [(key, g) for g in goals if (key := _number_key(g)) is not None]
    prev: tuple[tuple[int, ...], GoalSpan] | None = None
    tolerated = False
    for k, (key, goal) in enumerate(numbered):
        if prev is None or key >= prev[0]:
            prev = (key, goal)
            continue
        following = numbered[k + 1][0] if k + 1 < len(numbered) else None
        if not tolerated and following is not None and following >= prev[0]:
            tolerated = True  # 1.3, 1.2, 1.4: one mistyped number, the sequence goes on
            continue
        raise _out_of_order(goal, key, *prev)


def _out_of_order(goal: GoalSpan, key: tuple[int, ...], prev_key: tuple[int, ...], prev: GoalSpan) -> ParseError:
    before = prev.mal.nummer
    if key[0] < prev_key[0]:
        return ParseError(
            f"the goal numbering starts over at line {goal.mal.rad} ({goal.mal.nummer} after {before}): "
            "a second report in the file, or its lines are out of order"
        )
    return ParseError(
        f"goal numbers out of sequence at line {goal.mal.rad} ({goal.mal.nummer} after {before}): "
        "the lines are out of order"
    )


def _no_markers_after_economy(after: Sequence[int]) -> None:
    """Every goal marker precedes the economy part; one stray match (a wrapped prose line that starts with
    'nämndens mål:') is not enough to refuse. `after` are the marker lines from the economy part on."""
    if len(after) >= 2:
        shown = ", ".join(str(i + 1) for i in after[:3]) + (" …" if len(after) > 3 else "")
        raise ParseError(
            f"{len(after)} goal markers after the economy part (lines {shown}): "
            "a second report in the file, or its lines are out of order"
        )


def _markers_hold_titles(markers: Sequence[int], goals: Sequence[GoalSpan]) -> None:
    """Most goal markers (`markers`: their lines before the economy part) are followed by their goal: a numbered
    title, or (for reports that do not number their goals) a title followed at once by the goal's assessment
    or first block heading."""
    if len(markers) < STRUCTURE.markers:
        return
    placed = sum(1 for g in goals if _in_place(g))
    if 2 * placed < len(markers):
        raise ParseError(
            f"goal markers without their goals: only {placed} of {len(markers)} goal markers are followed by a "
            "goal title; the lines are out of order"
        )


def _in_place(span: GoalSpan) -> bool:
    goal = span.mal
    if _number_key(span) is not None:
        return True
    title = goal.titel.lstrip(ICONS + " ")
    if not title[:1].isupper():
        return False  # a random prose line continues a sentence
    if goal.bedomning is not None:
        return True
    return any(t.rubrik != "Text" and t.rad - goal.rad <= STRUCTURE.near_title for t in goal.texter[:2])
