"""Parse one report: a `Reading` (its text and the reader's doubts) → typed records. Pure: no database, no file
system beyond `parse_file`, which reads the file first (malbas.etl.read)."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from malbas.etl.parse import audit, hygiene, stated_counts
from malbas.etl.parse.activities import scan_layout_activities, scan_tabbed_activities
from malbas.etl.parse.economy import EconomyScan, find_economy_span, layout_tables, scan_tables, tabbed_tables
from malbas.etl.parse.economy.model import Table
from malbas.etl.parse.errors import ParseError
from malbas.etl.parse.furniture import find_furniture, mark_furniture
from malbas.etl.parse.goals import GoalSpan, enclosing_goal, parse_goals
from malbas.etl.parse.identity import Hints, detect_form, identify, period_label
from malbas.etl.parse.indicators import scan_layout_indicators, scan_tabbed_indicators
from malbas.etl.parse.keyfigures import KeyFigureTable, scan_key_figures
from malbas.etl.parse.readers import RowScan, TableReader
from malbas.etl.parse.records import Activity, Coverage, Document, IndicatorRow, QualityNote, Report
from malbas.etl.parse.sections import parse_sections
from malbas.etl.parse.structure import check_structure
from malbas.etl.read.reading import Doubt, Reading
from malbas.etl.read.source import read_file
from malbas.vocabulary import KvalitetTyp, Textform

# Bump when parsing changes what is extracted: loads then re-read files already stored by an older version.
PARSER_VERSION = "2.3"


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


def parse_text(
    text: str,
    *,
    kalla: str = "<text>",
    sha256: str | None = None,
    hints: Hints | None = None,
    doubts: Sequence[Doubt] = (),
) -> Report:
    """Parse a report's text extraction into a Report. Raises ParseError for anything that is not a report.

    `hints` supply the committee, report kind or year for a report whose text does not say. `doubts` are the
    reader's, per line of the text (a PDF's geometry): rows on those lines are uncertain, their doubted figures
    not accounted for."""
    raw_lines, _ = hygiene.split_lines(hygiene.normalise(text))
    form = detect_form(raw_lines)
    if form == Textform.LAYOUT:
        raw_lines = hygiene.restore_wrap_spaces(raw_lines)
    furniture = find_furniture(raw_lines)
    lines = mark_furniture(raw_lines, furniture)
    identity = identify(lines, furniture, hints)
    economy = find_economy_span(lines)
    if economy is None:
        # Every report of the system ends with its economy part; a text without it was cut short.
        raise ParseError("truncated report: the text ends before the economy part ('Uppföljning av ekonomi')")
    goals_stop = economy[0]
    goals = parse_goals(lines, 0, goals_stop)
    if not goals:
        raise ParseError("no goals could be read after the goal markers (unknown layout)")
    check_structure(lines, goals, economy, furniture)
    first = goals[0].start
    tables = _read_tables(lines, first, goals_stop, economy, form)
    _assign_goals(tables.indikatorer, goals)
    _assign_goals(tables.aktiviteter, goals)
    kvalitet = list(tables.economy.notes)
    avsnitt = parse_sections(lines, [(first, goals_stop), economy])
    kvalitet += stated_counts.compare(
        lines, goals, tables.indikatorer, tables.aktiviteter, avsnitt, (first, goals_stop)
    )
    kvalitet += _apply_doubts(doubts, tables)
    for row in tables.indikatorer:
        if row.osaker:
            kvalitet.append(
                QualityNote(typ=KvalitetTyp.INDIKATOR_OSAKER, meddelande=f"{row.namn}: {row.osaker}", rad=row.rad)
            )
    for conflict in identity.conflicts:
        kvalitet.append(QualityNote(typ=KvalitetTyp.IDENTITET_MOTSTRIDIG, meddelande=conflict, rad=None))
    key_figures = _key_figures(lines, tables, first, goals_stop, economy)
    tackning = _coverage(lines, tables, first, goals_stop, economy, doubts, key_figures)
    kvalitet.extend(
        QualityNote(
            typ=KvalitetTyp.EJ_REDOVISAT,
            meddelande=f"a number in a table region that no cell holds: {line[:120]}",
            rad=rad,
        )
        for rad, line in tackning.ej_redovisade
    )
    dokument = Document(
        namnd=identity.namnd,
        rapporttyp=identity.rapporttyp,
        ar=identity.ar,
        period=period_label(identity.rapporttyp, identity.ar),
        kalla=kalla,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        textform=form,
    )
    warnings = [*tables.warnings, *tables.economy.warnings, *identity.conflicts]
    if identity.namnd is None:
        warnings.append("the nämnd is not named in the text (give it with --namnd)")
    return Report(
        dokument=dokument,
        mal=[g.mal for g in goals],
        indikatorer=tables.indikatorer,
        aktiviteter=tables.aktiviteter,
        ekonomi=tables.economy.cells,
        nyckeltal=[f for t in key_figures for f in t.figures],
        avsnitt=avsnitt,
        kvalitet=kvalitet,
        varningar=warnings,
        tackning=tackning,
    )


@dataclass(slots=True)
class _Tables:
    indikatorer: list[IndicatorRow]
    aktiviteter: list[Activity]
    economy: EconomyScan
    warnings: list[str]
    indicator_spans: list[tuple[int, int]]
    activity_spans: list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class FormReaders:
    """The reader of each table kind for one text form."""

    indicators: TableReader[RowScan[IndicatorRow]]
    activities: TableReader[RowScan[Activity]]
    economy: TableReader[list[Table]]


READERS: dict[Textform, FormReaders] = {
    Textform.TABBED: FormReaders(scan_tabbed_indicators, scan_tabbed_activities, tabbed_tables),
    Textform.LAYOUT: FormReaders(scan_layout_indicators, scan_layout_activities, layout_tables),
}


def _read_tables(
    lines: Sequence[str], first: int, goals_stop: int, economy: tuple[int, int], form: Textform
) -> _Tables:
    """Every table of the report, by the readers of its text form."""
    readers = READERS[form]
    indicators = readers.indicators(lines, first, goals_stop)
    activities = readers.activities(lines, first, goals_stop)
    eco = scan_tables(lines, economy[0], economy[1], readers.economy)
    return _Tables(
        indicators.rows,
        activities.rows,
        eco,
        [*indicators.warnings, *activities.warnings],
        indicators.spans,
        activities.spans,
    )


def _apply_doubts(doubts: Sequence[Doubt], tables: _Tables) -> list[QualityNote]:
    """The reader's doubts on the rows they concern: an indicator row becomes uncertain with the reason, an
    economy row gets a `kolumn_osaker` note (once per line)."""
    by_line = {d.line: d for d in doubts}
    for row in tables.indikatorer:
        if doubt := by_line.get(row.rad):
            row.osaker = f"{row.osaker}; {doubt.reason}" if row.osaker else doubt.reason
    notes: dict[int, QualityNote] = {}
    for cell in tables.economy.cells:
        if (doubt := by_line.get(cell.rad)) and cell.rad not in notes:
            message = f"{cell.tabell} / {cell.rad_namn}: {doubt.reason}"
            notes[cell.rad] = QualityNote(typ=KvalitetTyp.KOLUMN_OSAKER, meddelande=message, rad=cell.rad)
    return list(notes.values())


def _key_figures(
    lines: Sequence[str], tables: _Tables, first: int, goals_stop: int, economy: tuple[int, int]
) -> list[KeyFigureTable]:
    """The key-figure tables outside every indicator, activity and economy table (a run of TAB lines in tabbed
    text is an indicator table's span only where it holds an indicator or activity row)."""
    rows = sorted({r.rad - 1 for r in tables.indikatorer} | {a.rad - 1 for a in tables.aktiviteter})
    spans = [(a, b) for a, b in [*tables.indicator_spans, *tables.activity_spans] if _holds_any(rows, a, b)]
    covered = [*spans, *((t.start, t.stop) for t in tables.economy.tables)]
    return scan_key_figures(lines, [(first, goals_stop), economy], covered)


def _holds_any(ordered: list[int], a: int, b: int) -> bool:
    """Whether any of the sorted numbers lies in [a, b)."""
    k = bisect_left(ordered, a)
    return k < len(ordered) and ordered[k] < b


def _outside(spans: Sequence[tuple[int, int]], cuts: Sequence[KeyFigureTable]) -> list[tuple[int, int]]:
    """The spans with the key-figure tables' lines cut out (a tabbed run of TAB lines may be one)."""
    out = list(spans)
    for t in cuts:
        out = [p for a, b in out for p in ((a, min(b, t.start)), (max(a, t.stop), b)) if p[0] < p[1]]
    return out


def _coverage(
    lines: Sequence[str],
    tables: _Tables,
    first: int,
    goals_stop: int,
    economy: tuple[int, int],
    doubts: Sequence[Doubt] = (),
    key_figures: Sequence[KeyFigureTable] = (),
) -> Coverage:
    """The self-audit: every number in a table region, accounted for by what was read there."""
    texts = audit.by_line(
        [entry for r in tables.indikatorer for entry in audit.indicator_texts(r)]
        + [(a.rad, audit.activity_texts(a)) for a in tables.aktiviteter]
        + [(c.rad, audit.economy_models(c)) for c in tables.economy.cells]
    )
    regions = [
        audit.Region("indikatortabell", a, b, audit.texts_within(texts, a, b))
        for a, b in _outside(tables.indicator_spans, key_figures)
    ]
    regions += [
        audit.Region("aktivitetstabell", a, b, audit.texts_within(texts, a, b)) for a, b in tables.activity_spans
    ]
    regions += [
        audit.Region("ekonomitabell", t.start, t.stop, (t.header_text, *audit.texts_within(texts, t.start, t.stop)))
        for t in tables.economy.tables
    ]
    regions += [audit.Region("nyckeltal", t.start, t.stop, t.accounted()) for t in key_figures]
    covered = [(r.start, r.stop) for r in regions]
    regions += audit.stray_rows(lines, first, goals_stop, covered)
    regions += audit.stray_rows(lines, economy[0], economy[1], covered)
    return audit.audit(lines, regions, {d.line - 1: d.figures for d in doubts if d.figures})


def parse_reading(reading: Reading, *, kalla: str, sha256: str, hints: Hints | None = None) -> Report:
    """Parse what a file read as: its text, with the reader's doubts; a report read from a PDF says so."""
    report = parse_text(reading.text, kalla=kalla, sha256=sha256, hints=hints, doubts=reading.doubts)
    if reading.pdf:
        report.dokument.textform = Textform.PDF  # read from the PDF into the tabbed form
    return report


def parse_file(path: Path, hints: Hints | None = None) -> Report:
    """Read and parse a report file. Raises ReportError (ReadError, ParseError) with a one-line reason."""
    data, reading = read_file(path)
    return parse_reading(reading, kalla=path.name, sha256=hashlib.sha256(data).hexdigest(), hints=hints)
