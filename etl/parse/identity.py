"""Report identity from the text alone: committee, report kind and year, from every piece of evidence.

The file name means nothing. Reports print their identity in several places, any of which may be missing
from an extraction: a title line ("Tertialrapport 1 2025 för Skarpnäcks stadsdelsnämnd"), page feet
("Skarpnäcks stadsdelsnämnd, Tertialrapport 1"), the period cells of indicator tables ("Tertial 1 2025",
wrapped any way: "Tertial" / "1 2025"), table headers ("Periodens utfall VB 2024" is the year before;
"Prognos helår" exists only in interim reports; "Periodicitet" only in plans), economy headers
("Budget 2025", "Bokslut 2021") and prose ("i tertialrapport 1", "verksamhetsåret 2021"). Each source casts
weighted votes; the winner must lead clearly, and a strong source that disagrees is reported as a conflict.
Values the text truly does not give can be supplied by the caller (`Hints`, the CLI's --namnd/--rapporttyp/--ar).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.furniture import Furniture
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.settings import IDENTITY as W
from malbas.etl.parse.text import lines_matching, lines_with, strip_markup
from malbas.vocabulary import Rapporttyp, Textform

_YEAR = r"(?:19|20)\d\d"
_TITLE_RE = re.compile(
    rf"^(?P<kind>Verksamhetsplan|Verksamhetsberättelse|Tertialrapport\s*(?P<t>[12])?)"
    rf"(?:\s+(?:VB|VP|T[12]))?\s+(?P<year>{_YEAR})(?:\s+för\s+(?P<namnd>.+?))?\s*$",
    re.IGNORECASE,
)
# "Skarpnäcks stadsdelsnämnd", "Hägersten-Liljeholmens stadsdelsförvaltning", "Hägersten- Liljeholmens stadsdelsnämnd"
_DISTRICT_RE = re.compile(r"\b((?:[A-ZÅÄÖ][a-zåäöéü]+)(?:-\s?[A-ZÅÄÖ][a-zåäöéü]+)*)\s+stadsdels(?:nämnd|förvaltning)\b")
_NOT_A_NAME = {"Till", "Den", "Denna", "Varje", "Respektive", "Alla", "Samtliga", "Övriga", "Som", "Och", "Stadens"}
_FACKNAMND_RE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:- och [a-zåäö]+)?nämnden)\b")
# The kind named in a foot or in prose: "Tertialrapport 1", "tertialrapport 2", "Verksamhetsberättelse".
_KIND_WORD_RE = re.compile(
    r"\b(tertialrapport|verksamhetsberättelse|verksamhetsplan)(?:\s*([12])(?!\d))?", re.IGNORECASE
)
_PERIOD_CELL_RE = re.compile(rf"\b(?:Tertial\s*([12])|T([12]))\s+({_YEAR})\b")
_VB_CELL_RE = re.compile(rf"\bVB\s+({_YEAR})\b")
_BOKSLUT_RE = re.compile(rf"\b(?:Bokslut|Årsbokslut)\s+({_YEAR})\b")
# A header naming the earlier period's outcome ("Periodens utfall VB 2019", "Utfall VB 2024"); layout text may
# put the year on the next line.
_EARLIER_OUTCOME_RE = re.compile(rf"\butfall\s+(?:VB|T[12]|Tertial\s*[12])\s+({_YEAR})\b", re.IGNORECASE)
_EARLIER_OUTCOME_CUT_RE = re.compile(r"\butfall\s+(?:VB|T[12]|Tertial\s*[12])\s*$", re.IGNORECASE)
_BUDGET_YEAR_RE = re.compile(rf"\b(?:Budget|Prognos|Bokslut|Utfall)\s+(?:\w+\s+)?({_YEAR})\b")
_PROSE_YEAR_RE = re.compile(
    rf"\b(?:verksamhetsåret|år|året|tertialrapport\s*[12]|verksamhetsberättelse|verksamhetsplan)\s+({_YEAR})\b",
    re.IGNORECASE,
)
_DATES_RE = re.compile(rf"\b({_YEAR})-01-01\s+({_YEAR})-12-31\b")

_DIGIT = re.compile(r"\d")
_WRAPPED_BEFORE_YEAR = re.compile(r"Tertial\s*[12]?\s*$|utfall\s+(?:VB|T[12])\s*$")
_PERIOD_CUT = re.compile(r"(?:Tertial|Tertial\s*[12]|T[12])\s*$")  # a period cell wrapped before its year
_HYPHEN_SPACE = re.compile(r"-\s+")
_WHITESPACE = re.compile(r"\s+")
_KIND_OF_WORD = {"verksamhetsplan": Rapporttyp.VP, "verksamhetsberättelse": Rapporttyp.VB}
_INTERIM = (Rapporttyp.T1, Rapporttyp.T2)


def _tertial(number: str) -> Rapporttyp:
    """The interim report of a tertial number ('1' or '2')."""
    return Rapporttyp.T1 if number == "1" else Rapporttyp.T2


def _kind_of(word: str, number: str | None) -> Rapporttyp | None:
    """The kind a word names ('Verksamhetsplan', 'tertialrapport 2'); a 'tertialrapport' without its number none."""
    word = word.lower()
    if word.startswith("tertialrapport"):
        return _tertial(number) if number else None
    return _KIND_OF_WORD[word]


@dataclass(frozen=True, slots=True)
class Hints:
    """Identity given by the caller for a report whose text does not say (or says it wrongly)."""

    namnd: str | None = None
    rapporttyp: Rapporttyp | None = None
    ar: int | None = None

    @classmethod
    def given(cls, namnd: str | None = None, rapporttyp: str | None = None, ar: int | None = None) -> Hints | None:
        """The hints a caller gave (kind in any case), or None when none was."""
        if namnd is None and rapporttyp is None and ar is None:
            return None
        return cls(namnd=namnd, rapporttyp=Rapporttyp(rapporttyp.upper()) if rapporttyp else None, ar=ar)


@dataclass(slots=True)
class Identity:
    namnd: str | None
    rapporttyp: Rapporttyp
    ar: int
    evidence: list[str] = field(default_factory=list)  # what decided each part
    conflicts: list[str] = field(default_factory=list)  # strong evidence that disagrees with the result


def detect_form(lines: Sequence[str]) -> Textform:
    """Tabbed text keeps table rows on one line with TAB-separated cells; layout text has no TABs."""
    tabbed_rows = sum(1 for line in lines if line.count("\t") >= 2)
    return Textform.TABBED if tabbed_rows >= 5 else Textform.LAYOUT


def period_label(kind: Rapporttyp, year: int) -> str:
    return {
        Rapporttyp.VP: f"Verksamhetsplan {year}",
        Rapporttyp.T1: f"Tertial 1 {year}",
        Rapporttyp.T2: f"Tertial 2 {year}",
        Rapporttyp.VB: f"VB {year}",
    }[kind]


class _Votes:
    """Weighted votes per candidate value, remembering the strongest source behind each."""

    def __init__(self) -> None:
        self.weight: dict[object, float] = defaultdict(float)
        self.sources: dict[object, list[tuple[float, str]]] = defaultdict(list)

    def add(self, value: object, weight: float, source: str) -> None:
        self.weight[value] += weight
        self.sources[value].append((weight, source))

    def ranked(self) -> list[object]:
        return sorted(self.weight, key=lambda value: -self.weight[value])

    def winner(self) -> object | None:
        ranked = self.ranked()
        return ranked[0] if ranked else None

    def strongest(self, value: object) -> tuple[float, str]:
        return max(self.sources[value], default=(0.0, ""))


def _joined_period_text(lines: Sequence[str], i: int) -> str:
    """A period cell that layout text wraps: 'Tertial' / '1 2025', 'Tertial 1' / '2025', with blank lines between."""
    text = lines[i].replace("\t", " ")
    j, added = i + 1, 0
    while j < len(lines) and added < 2 and _PERIOD_CUT.search(text.rstrip()):
        if lines[j].strip():
            text = text.rstrip() + " " + lines[j].strip()
            added += 1
        j += 1
        if j - i > 3:
            break
    return text


def _title(lines: Sequence[str]) -> re.Match[str] | None:
    for line in lines[:80]:
        m = _TITLE_RE.match(strip_markup(line))
        if m:
            return m
    return None


def _feet_votes(furniture: Furniture, kind: _Votes, namnd: _Votes) -> None:
    kinds: Counter[str] = Counter()
    for foot in set(furniture.feet):
        m = _KIND_WORD_RE.search(foot)
        if m:
            kinds[m.group(1).lower()] += 1
        name = _committee_in_foot(foot, named_kind=m is not None)
        if name:
            namnd.add(name, W.page_foot, f"page foot {foot!r}")
    for word, _ in kinds.most_common(1):
        if word != "tertialrapport":
            kind.add(_KIND_OF_WORD[word], W.page_foot, f"page feet {word!r}")
        elif number := _tertial_of_counters(furniture.counters) or _tertial_in_feet(furniture.feet):
            kind.add(_tertial(number), W.page_foot, "page feet 'Tertialrapport'")
        else:
            for interim in _INTERIM:
                kind.add(interim, W.page_foot_tertial, "page feet 'Tertialrapport'")


def _committee_in_foot(foot: str, named_kind: bool) -> str | None:
    """The committee a page foot names: a district, or a city-wide committee before the report kind
    ('Äldrenämnden, Tertialrapport 1')."""
    district = _DISTRICT_RE.search(foot)
    if district and district.group(1) not in _NOT_A_NAME:
        return _district_name(district.group(1))
    if named_kind and (fack := _FACKNAMND_RE.match(foot.strip())):
        return fack.group(1)
    return None


def _tertial_in_feet(feet: Sequence[str]) -> str | None:
    numbers = Counter(m.group(2) for foot in feet if (m := _KIND_WORD_RE.search(foot)) and m.group(2))
    return numbers.most_common(1)[0][0] if numbers else None


def _tertial_of_counters(counters: Sequence[str]) -> str | None:
    """'Tertialrapport 141(102)', '…142(102)', '…15(102)': the report number is the digit every counter starts
    with when the page numbers glued after it vary."""
    glued = [c for c in counters if len(c) >= 2]
    if len(glued) < 3 or len({c[1:] for c in glued}) < 2:
        return None
    first = {c[0] for c in glued}
    return first.pop() if len(first) == 1 and first <= {"1", "2"} else None


def _district_name(name: str) -> str:
    return _HYPHEN_SPACE.sub("-", name) + " stadsdelsnämnd"


def _district_from_prose(lines: Sequence[str], doubts: list[str]) -> str | None:
    """The committee named most in the text: candidates come from "<X> stadsdelsnämnd/-förvaltning",
    and each is scored by how often its parts occur anywhere (other districts are named only in passing).
    A winner without a clear lead is appended to `doubts`."""
    candidates: set[str] = set()
    for line in lines:
        if "stadsdels" in line:
            for m in _DISTRICT_RE.finditer(line):
                if m.group(1) not in _NOT_A_NAME:
                    candidates.add(_HYPHEN_SPACE.sub("-", m.group(1)))
    if not candidates:
        return None
    text = "\n".join(lines)

    def score(name: str) -> int:
        return sum(text.count(part) for part in _name_parts(name))

    best = max(sorted(candidates), key=lambda name: (score(name), name.endswith("s")))
    # A part of the winner's own name ("Spånga" of "Spånga-Tensta", "Södermalm" of "Södermalms") is no rival.
    rivals = [score(name) for name in candidates if not (set(_name_parts(name)) & set(_name_parts(best)))]
    runner_up = max(rivals, default=0)
    if score(best) < W.prose_margin * runner_up:
        doubts.append(
            f"nämnd: no title line or page foot names the committee and the text names {best} hardly more than "
            "another district (give it with --namnd if it is wrong)"
        )
    return f"{best} stadsdelsnämnd"


def _name_parts(name: str) -> list[str]:
    parts = name.split("-")
    parts[-1] = parts[-1][:-1] if parts[-1].endswith("s") and len(parts[-1]) > 4 else parts[-1]
    return parts


def _facknamnd_from_prose(lines: Sequence[str], doubts: list[str]) -> str | None:
    """The city-wide committee the text names most ('Socialnämnden har under året …'). A guess, always noted in
    `doubts`: a committee's KF activities name the committees they address ('Socialnämnden och
    stadsdelsnämnderna ska …') as often as the report names itself."""
    counts: Counter[str] = Counter()
    for line in lines:
        if "nämnden" in line:
            counts.update(m.group(1) for m in _FACKNAMND_RE.finditer(line))
    if not counts:
        return None
    (name, n), *rest = counts.most_common(2)
    if n < 3:
        return None
    runner_up = f", {rest[0][0]} {rest[0][1]} times" if rest else ""
    doubts.append(
        f"nämnd: no title line or page foot names the committee; {name} is the committee the text names most "
        f"({n} times{runner_up}; give it with --namnd if it is wrong)"
    )
    return name


def _clean_namnd(name: str) -> str:
    name = strip_markup(name)
    name = _HYPHEN_SPACE.sub("-", name)
    return _WHITESPACE.sub(" ", name).strip(" .")


def _holds_year(line: str) -> bool:
    """Whether a line may hold a year (1900-2099): a cheap test before the patterns that count years."""
    return "19" in line or "20" in line


def _count(counter: Counter[str], pattern: re.Pattern[str], line: str) -> None:
    for m in pattern.finditer(line):
        counter[m.group(1)] += 1


@dataclass(slots=True)
class _TableEvidence:
    """What the tables and prose say of the kind and year: counts of period cells, headers, dates and mentions."""

    tertial: Counter[tuple[str, str]] = field(default_factory=Counter)  # (tertial, year)
    vb: Counter[str] = field(default_factory=Counter)
    bokslut: Counter[str] = field(default_factory=Counter)
    earlier: Counter[str] = field(default_factory=Counter)
    budget: Counter[str] = field(default_factory=Counter)
    prose_kind: Counter[Rapporttyp] = field(default_factory=Counter)
    prose_year: Counter[str] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)
    forecast: bool = False
    periodicity: bool = False

    def read(self, lines: Sequence[str]) -> None:
        text = "\n".join(lines)  # searched once as one string (the words hold no line break)
        self.periodicity = "Periodicitet" in text
        self.forecast = "Progno" in text
        # every piece of evidence carries a year, or is a period cell or header wrapped before it (a line without
        # digits then ends in 'Tertial' or 'VB')
        wrapped = (i for i in lines_with(text, ("Tertial", "VB")) if _WRAPPED_BEFORE_YEAR.search(lines[i]))
        for i in sorted({*lines_matching(text, _DIGIT), *wrapped}):
            self._read_line(lines, i, lines[i].replace("\t", " "))

    def _read_line(self, lines: Sequence[str], i: int, line: str) -> None:
        if "Tertial" in line or "T1" in line or "T2" in line:
            self._period_cells(lines, i)
        if "tfall" in line:
            line = self._earlier_outcomes(lines, i, line)
        self._cells(line)
        if "apport" in line or "erksamhets" in line or "år" in line or "År" in line:
            self._prose(line)

    def _period_cells(self, lines: Sequence[str], i: int) -> None:
        for m in _PERIOD_CELL_RE.finditer(_joined_period_text(lines, i)):
            self.tertial[(m.group(1) or m.group(2), m.group(3))] += 1

    def _earlier_outcomes(self, lines: Sequence[str], i: int, line: str) -> str:
        """Count 'Utfall VB 2024' headers (the year before); the line without them."""
        if _EARLIER_OUTCOME_CUT_RE.search(line) and i + 1 < len(lines):
            line = line.rstrip() + " " + lines[i + 1].strip()
        _count(self.earlier, _EARLIER_OUTCOME_RE, line)
        return _EARLIER_OUTCOME_RE.sub(" ", line)  # 'Utfall VB 2024' is the year before, not a VB cell

    def _cells(self, line: str) -> None:
        if not _holds_year(line):
            return  # every cell and header counted here carries a year
        if "VB" in line:
            _count(self.vb, _VB_CELL_RE, line)
        if "okslut" in line:
            _count(self.bokslut, _BOKSLUT_RE, line)
        if "Progno" in line or "Budget" in line:
            _count(self.budget, _BUDGET_YEAR_RE, line)
        if "-01-01" in line:
            for m in _DATES_RE.finditer(line):
                if m.group(1) == m.group(2):
                    self.dates[m.group(1)] += 1

    def _prose(self, line: str) -> None:
        low = line.lower()
        if "tertialrapport" in low or "verksamhetsberättelse" in low or "verksamhetsplan" in low:
            for m in _KIND_WORD_RE.finditer(line):
                if (named := _kind_of(m.group(1), m.group(2))) is not None:
                    self.prose_kind[named] += 1
        if ("år" in low or "tertialrapport" in low or "verksamhets" in low) and _holds_year(line):
            _count(self.prose_year, _PROSE_YEAR_RE, line)

    def kind_votes(self, kind: _Votes) -> None:
        for (t, y), n in self.tertial.items():
            kind.add(_tertial(t), W.tertial_cells.weight(n), f"{n} period cells 'Tertial {t} {y}'")
        for y, n in self.vb.items():
            kind.add(Rapporttyp.VB, W.vb_cells.weight(n), f"{n} period cells 'VB {y}'")
        for y, n in self.bokslut.most_common(1):
            kind.add(Rapporttyp.VB, W.bokslut_cells.weight(n), f"{n} cells 'Bokslut {y}'")
        self._column_votes(kind)
        for k, n in self.prose_kind.most_common(2):
            kind.add(k, W.prose_kind.weight(n), f"{n} mentions in the text")

    def _column_votes(self, kind: _Votes) -> None:
        """Columns only some kinds have: 'Periodicitet' in plans, forecasts in interim reports."""
        if self.periodicity and not self.tertial and not self.vb:
            kind.add(Rapporttyp.VP, W.periodicity, "indicator headers with 'Periodicitet' (plans only)")
        if self.forecast and not self.vb and not self.periodicity:
            for interim in _INTERIM:
                kind.add(interim, W.forecast, "forecast columns (interim reports)")

    def year_votes(self, year: _Votes) -> None:
        for (t, y), n in self.tertial.items():
            year.add(int(y), W.tertial_cells.weight(n), f"{n} period cells 'Tertial {t} {y}'")
        for y, n in self.vb.items():
            year.add(int(y), W.vb_cells.weight(n), f"{n} period cells 'VB {y}'")
        for y, n in self.bokslut.most_common(1):
            year.add(int(y), W.bokslut_cells.weight(n), f"{n} cells 'Bokslut {y}'")
        for y, n in self.earlier.items():
            year.add(int(y) + 1, W.earlier_outcome.weight(n), f"{n} headers with the outcome of {y}, the year before")
        for y, n in self.budget.most_common(1):
            year.add(int(y), W.budget_year, f"{n} economy headers with {y}")
        for y, n in self.prose_year.most_common(1):
            year.add(int(y), W.prose_year.weight(n), f"{n} mentions of {y} in the text")
        for y, n in self.dates.most_common(1):
            year.add(int(y), W.activity_dates.weight(n), f"{n} activities dated {y}-01-01 – {y}-12-31")


def _table_votes(lines: Sequence[str], kind: _Votes, year: _Votes) -> None:
    """Period cells, indicator and economy headers, activity dates and prose."""
    evidence = _TableEvidence()
    evidence.read(lines)
    evidence.kind_votes(kind)
    evidence.year_votes(year)


def _title_votes(lines: Sequence[str], kind: _Votes, year: _Votes, namnd: _Votes) -> None:
    title = _title(lines)
    if not title:
        return
    if (named := _kind_of(title.group("kind"), title.group("t"))) is not None:
        kind.add(named, W.title, "the title line")
    year.add(int(title.group("year")), W.title, "the title line")
    if title.group("namnd"):
        namnd.add(_clean_namnd(title.group("namnd")), W.title, "the title line")


def _judge(label: str, votes: _Votes, chosen: object, given: object, evidence: list[str], conflicts: list[str]) -> None:
    """What decided a part of the identity, and the strong sources that say otherwise."""
    if given is not None:
        evidence.append(f"{label} {given}: given by the caller")
    else:
        evidence.append(f"{label} {chosen}: {votes.strongest(chosen)[1]}")
    for other in votes.ranked():
        weight, source = votes.strongest(other)
        if other != chosen and weight >= W.conflict:
            conflicts.append(f"{label}: {source} says {other}, but {chosen} was chosen")


def _committee(
    lines: Sequence[str], namnd: _Votes, hints: Hints, evidence: list[str], conflicts: list[str]
) -> str | None:
    """The committee: given, voted for, or told from prose (a guess, noted among the conflicts)."""
    name = (
        hints.namnd
        or namnd.winner()
        or _district_from_prose(lines, conflicts)
        or _facknamnd_from_prose(lines, conflicts)
    )
    if not (isinstance(name, str) and name):
        return None
    name = name[0].upper() + name[1:]
    evidence.append(f"nämnd {name}: {'given by the caller' if hints.namnd else namnd.strongest(name)[1] or 'the text'}")
    return name


def _require(chosen_kind: object, chosen_year: object) -> None:
    if chosen_kind is None or chosen_year is None:
        missing = " and ".join(
            w for w, v in (("report kind (VP/T1/T2/VB)", chosen_kind), ("year", chosen_year)) if v is None
        )
        raise ParseError(f"unknown layout: cannot tell the {missing} from the text (give it with --rapporttyp/--ar)")


def identify(lines: Sequence[str], furniture: Furniture | None = None, hints: Hints | None = None) -> Identity:
    """The report's identity. Raises ParseError when the text is not a goal follow-up report, or when its kind
    or year cannot be told (and no hint gives them)."""
    if not any(marker_level(line) for line in lines):
        raise ParseError("not a goal follow-up report: no 'KF:s inriktningsmål:' / 'Nämndmål:' goal markers found")
    hints = hints or Hints()
    kind, year, namnd = _Votes(), _Votes(), _Votes()
    _title_votes(lines, kind, year, namnd)
    if furniture is not None:
        _feet_votes(furniture, kind, namnd)
    _table_votes(lines, kind, year)
    chosen_kind = hints.rapporttyp or kind.winner()
    chosen_year = hints.ar or year.winner()
    _require(chosen_kind, chosen_year)
    evidence: list[str] = []
    conflicts: list[str] = []
    _judge("report kind", kind, chosen_kind, hints.rapporttyp, evidence, conflicts)
    _judge("year", year, chosen_year, hints.ar, evidence, conflicts)
    return Identity(
        namnd=_committee(lines, namnd, hints, evidence, conflicts),
        rapporttyp=Rapporttyp(str(chosen_kind)),
        ar=int(chosen_year),  # type: ignore[call-overload]
        evidence=evidence,
        conflicts=conflicts,
    )
