"""Parse one report: bytes → text → typed records. Pure: no database, no file system beyond `read_report`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from malbas.etl.parse import hygiene
from malbas.etl.parse.economy import find_economy_span, parse_economy
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.furniture import find_furniture, mark_furniture
from malbas.etl.parse.goals import GoalSpan, enclosing_goal, parse_goals
from malbas.etl.parse.identity import Hints, detect_form, identify, period_label
from malbas.etl.parse.layout_activities import parse_layout_activities
from malbas.etl.parse.layout_indicators import parse_layout_indicators
from malbas.etl.parse.records import Document, QualityNote, Report
from malbas.etl.parse.sections import parse_sections
from malbas.etl.parse.source import read_report
from malbas.etl.parse.tabbed_tables import parse_tabbed_activities, parse_tabbed_indicators
from malbas.vocabulary import Textform

# Bump when parsing changes what is extracted: loads then re-read files already stored by an older version.
PARSER_VERSION = "2.0"


def _assign_goals(rows: Sequence, goals: list[GoalSpan]) -> None:
    """Set each row's enclosing goal (number, else title) and whether it sits under a KF goal."""
    goal_lines = [g.mal.rad for g in goals]
    for row in rows:
        k = enclosing_goal(goal_lines, row.rad)
        if k is None:
            continue
        mal = goals[k].mal
        row.mal = mal.nummer or mal.titel
        kf = mal.niva != "namndmal"
        if hasattr(row, "kf_indikator"):
            row.kf_indikator = kf
        else:
            row.kf_uppdrag = kf


def parse_text(text: str, *, kalla: str = "<text>", sha256: str | None = None, hints: Hints | None = None) -> Report:
    """Parse a report's text extraction into a Report. Raises ParseError for anything that is not a report.

    `hints` supply the committee, report kind or year for a report whose text does not say."""
    raw_lines, _ = hygiene.split_lines(hygiene.normalise(text))
    form = detect_form(raw_lines)
    if form == Textform.LAYOUT:
        raw_lines = hygiene.restore_wrap_spaces(raw_lines)
    furniture = find_furniture(raw_lines)
    lines = mark_furniture(raw_lines, furniture)
    identity = identify(lines, furniture, hints)
    namnd, kind, year = identity.namnd, identity.rapporttyp, identity.ar
    economy = find_economy_span(lines)
    if economy is None:
        # Every report of the system ends with its economy part; a text without it was cut short.
        raise ParseError("truncated report: the text ends before the economy part ('Uppföljning av ekonomi')")
    goals_stop = economy[0]
    goals = parse_goals(lines, 0, goals_stop)
    if not goals:
        raise ParseError("no goals could be read after the goal markers (unknown layout)")
    first = goals[0].start
    if form == "tabbed":
        indikatorer, w1 = parse_tabbed_indicators(lines, first, goals_stop)
        aktiviteter, w2 = parse_tabbed_activities(lines, first, goals_stop)
    else:
        indikatorer, w1 = parse_layout_indicators(lines, first, goals_stop)
        aktiviteter, w2 = parse_layout_activities(lines, first, goals_stop)
    _assign_goals(indikatorer, goals)
    _assign_goals(aktiviteter, goals)
    ekonomi, kvalitet, w3 = parse_economy(lines, economy[0], economy[1], form)
    skip = [(first, goals_stop), economy]
    avsnitt = parse_sections(lines, skip)
    for row in indikatorer:
        if row.osaker:
            kvalitet.append(
                QualityNote(typ="indikator_osaker", meddelande=f"{row.namn}: {row.osaker}", rad=row.rad)
            )
    dokument = Document(
        namnd=namnd,
        rapporttyp=kind,
        ar=year,
        period=period_label(kind, year),
        kalla=kalla,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        textform=form,
    )
    if namnd is None:
        w3 = [*w3, "nämnd not found in the text"]
    return Report(
        dokument=dokument,
        mal=[g.mal for g in goals],
        indikatorer=indikatorer,
        aktiviteter=aktiviteter,
        ekonomi=ekonomi,
        avsnitt=avsnitt,
        kvalitet=kvalitet,
        varningar=[*w1, *w2, *w3],
    )


def parse_file(path: Path) -> Report:
    data, text = read_report(path)
    return parse_text(text, kalla=path.name, sha256=hashlib.sha256(data).hexdigest())
