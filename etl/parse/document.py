"""Report identity from the text alone: text form, committee, report kind, year and period label.

The file name carries no meaning; everything here is read from the content.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.goals import marker_level
from malbas.etl.parse.text import strip_markup
from malbas.vocabulary import Rapporttyp, Textform

_TITLE_RE = re.compile(
    r"^(?P<kind>Verksamhetsplan|Verksamhetsberättelse|Tertialrapport\s*(?P<t>[12]))"
    r"(?:\s+(?:VB|VP|T[12]))?\s+(?P<year>20\d\d)(?:\s+för\s+(?P<namnd>.+?))?\s*$",
    re.IGNORECASE,
)
# "Skarpnäcks stadsdelsnämnd", "Hägersten-Liljeholmens stadsdelsförvaltning", "Hägersten- Liljeholmens stadsdelsnämnd"
_DISTRICT_RE = re.compile(r"\b((?:[A-ZÅÄÖ][a-zåäöéü]+)(?:-\s?[A-ZÅÄÖ][a-zåäöéü]+)*)\s+stadsdels(?:nämnd|förvaltning)\b")
_NOT_A_NAME = {"Till", "Den", "Denna", "Varje", "Respektive", "Alla", "Samtliga", "Övriga", "Som", "Och"}
_TERTIAL_RE = re.compile(r"\bTertial\s+([12])\s+(20\d\d)\b")
_VB_PERIOD_RE = re.compile(r"\bVB\s+(20\d\d)\s*$")
_YEAR_RE = re.compile(r"\b(20\d\d)\b")


def detect_form(lines: Sequence[str]) -> Textform:
    """Tabbed text keeps table rows on one line with TAB-separated cells; layout text has no TABs."""
    tabbed_rows = sum(1 for line in lines if line.count("\t") >= 2)
    return Textform.TABBED if tabbed_rows >= 5 else Textform.LAYOUT


def _clean_namnd(name: str) -> str:
    name = strip_markup(name)
    name = re.sub(r"-\s+", "-", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    return name


def _district_from_prose(lines: Sequence[str]) -> str | None:
    """The committee named most in the text: candidates come from "<X> stadsdelsnämnd/-förvaltning",
    and each is scored by how often its parts occur anywhere (other districts are named only in passing)."""
    candidates: set[str] = set()
    for line in lines:
        if "stadsdels" in line:
            for m in _DISTRICT_RE.finditer(line):
                if m.group(1) not in _NOT_A_NAME:
                    candidates.add(re.sub(r"-\s+", "-", m.group(1)))
    if not candidates:
        return None
    text = "\n".join(lines)

    def score(name: str) -> int:
        parts = name.split("-")
        parts[-1] = parts[-1][:-1] if parts[-1].endswith("s") and len(parts[-1]) > 4 else parts[-1]
        return sum(text.count(part) for part in parts)

    best = max(sorted(candidates), key=lambda name: (score(name), name.endswith("s")))
    return f"{best} stadsdelsnämnd"


_FACKNAMND_RE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:- och [a-zåäö]+)?nämnden)\b")


def _facknamnd_from_prose(lines: Sequence[str]) -> str | None:
    """A city-wide committee names itself most: 'Socialnämnden har under året …'."""
    counts: Counter[str] = Counter()
    for line in lines:
        if "nämnden" in line:
            counts.update(m.group(1) for m in _FACKNAMND_RE.finditer(line))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 3 else None


def _title(lines: Sequence[str]) -> re.Match[str] | None:
    for line in lines[:80]:
        m = _TITLE_RE.match(strip_markup(line))
        if m:
            return m
    return None


def _kind_from_tables(lines: Sequence[str]) -> tuple[Rapporttyp, int] | None:
    """Report kind and year from period cells and table headers when no title line survived."""
    tertial: Counter[tuple[str, str]] = Counter()
    vb: Counter[str] = Counter()
    periodicitet = 0
    for i, line in enumerate(lines):
        if "Tertial" in line:
            # Layout text breaks the period cell after "Tertial 1": the year sits on the next line.
            if re.search(r"Tertial\s+[12]\s*$", line) and i + 1 < len(lines):
                line = line.rstrip() + " " + lines[i + 1].strip()
            for m in _TERTIAL_RE.finditer(line):
                tertial[(m.group(1), m.group(2))] += 1
        if "VB" in line:
            vb_match = _VB_PERIOD_RE.search(line.replace("\t", " ").rstrip())
            if vb_match:
                vb[vb_match.group(1)] += 1
        if "Periodicitet" in line and "Årsmål" in line:
            periodicitet += 1
    if tertial and sum(tertial.values()) >= max(vb.values(), default=0):
        (t, year), _ = tertial.most_common(1)[0]
        return (Rapporttyp.T1 if t == "1" else Rapporttyp.T2), int(year)
    if vb:
        return Rapporttyp.VB, int(vb.most_common(1)[0][0])
    if periodicitet:
        years = Counter(m.group(1) for line in lines[:200] for m in _YEAR_RE.finditer(line))
        if years:
            return Rapporttyp.VP, int(years.most_common(1)[0][0])
    return None


def period_label(kind: Rapporttyp, year: int) -> str:
    return {
        "VP": f"Verksamhetsplan {year}",
        "T1": f"Tertial 1 {year}",
        "T2": f"Tertial 2 {year}",
        "VB": f"VB {year}",
    }[kind]


def identify(lines: Sequence[str]) -> tuple[str | None, Rapporttyp, int]:
    """(nämnd, report kind, year). Raises ParseError when the text is not a goal follow-up report."""
    if not any(marker_level(line) for line in lines):
        raise ParseError("not a goal follow-up report: no 'KF:s inriktningsmål:' / 'Nämndmål:' goal markers found")
    namnd: str | None = None
    kind: Rapporttyp | None = None
    year: int | None = None
    m = _title(lines)
    if m:
        word = m.group("kind").lower()
        if word.startswith("verksamhetsplan"):
            kind = Rapporttyp.VP
        elif word.startswith("verksamhetsberättelse"):
            kind = Rapporttyp.VB
        else:
            kind = Rapporttyp.T1 if m.group("t") == "1" else Rapporttyp.T2
        year = int(m.group("year"))
        if m.group("namnd"):
            namnd = _clean_namnd(m.group("namnd"))
    if kind is None or year is None:
        found = _kind_from_tables(lines)
        if found is None:
            raise ParseError("unknown layout: cannot tell the report kind (VP/T1/T2/VB) or its year")
        kind, year = found
    if namnd is None:
        namnd = _district_from_prose(lines) or _facknamnd_from_prose(lines)
    if namnd:
        namnd = namnd[0].upper() + namnd[1:]
    return namnd, kind, year
