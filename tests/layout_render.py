"""Render indicator rows of a tabbed report as pdftotext-like LAYOUT text with invisible empty cells.

Test helper for measuring how parse_layout_indicators generalises: the tabbed samples are parsed essentially
perfectly, so their rows give free ground truth for layout text that mimics sample 000 (guide 000 §4):

* a 23-line header whose words are broken the way pdftotext breaks them in the narrow columns;
* per row a name block wrapped at ~25 characters (trailing space on every line but the last, sometimes one
  leading space), a blank line, then the non-empty cells joined by single spaces with NO trace of empty cells;
  a cell wider than its column wraps (unit or words onto the next lines, a blank line after the cell);
  a one-line name shares its line with the first cells;
* the period cell ("VB 2020", "2020", or "Tertial 2 " + newline + year) and row-level "Analys" comments;
* goal marker lines around tables, page-break header repeats, an activity table after each indicator table.

Randomness (leading spaces, page breaks, name widths) comes from a seeded generator, so renders are stable.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from malbas.etl.parse.layout_indicators import parse_layout_indicators
from malbas.etl.parse.numbers import parse_cell
from malbas.etl.parse.parser import parse_file
from malbas.etl.parse.records import INDICATOR_VALUE_COLUMNS, Goal, IndicatorRow

# Column text widths (characters) from sample 000: kvinnor and VB columns wrap "4,88 %", Prognos wraps "100,1 %",
# KF wraps "Tas fram av nämnd" after "Tas", the period column wraps "Tertial 1 2020" after "Tertial 1".
WIDTHS = {
    "utfall": 9,
    "utfall_man": 6,
    "utfall_kvinnor": 5,
    "foregaende_utfall": 5,
    "prognos": 6,
    "arsmal": 8,
    "kf_arsmal": 7,
    "period": 9,
}
NAME_WIDTH = 25


def header_lines(earlier: str = "VB 2019", indent: str = " ") -> list[str]:
    """The 23-line split header of sample 000 (l.209-231) with the earlier period's label."""
    label = earlier.split()
    head = [f"{indent}Indikator Periodens ", "utfall", "", "Utfall ", "män/ ", "pojkar", "", "Utfall ", "kvinn", "or/ "]
    head += ["flicko", "r", "", "Perio", "dens ", "utfall "]
    head += [w + " " for w in label[:-1]] + [label[-1]]
    return head + ["", "Progno", "s helår Årsmål KF:s ", "", "årsmål Period"]


def wrap_cell(text: str, width: int) -> list[str]:
    """Word-wrap a cell; a word wider than the column is broken mid-word (one char wider, as pdftotext does)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) <= width:
            cur += " " + word
            continue
        if cur:
            lines.append(cur + " ")
        while len(word) > width + 1:
            lines.append(word[: width + 1])
            word = word[width + 1 :]
        cur = word
    lines.append(cur)
    return lines


def wrap_name(name: str, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in name.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur + " ")
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return lines


def wrap_prose(text: str, width: int = 130, limit: int = 400) -> list[str]:
    """A row-level Analys comment: long lines with trailing spaces, cut at a word boundary after `limit` chars."""
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "."
    return wrap_name(text, width)


def value_lines(cells: list[tuple[str, str]], period_lines: list[str], first: str = "") -> list[str]:
    """pdftotext's reading order for a row: one-line cells share a line; a wrapped cell ends its line, its other
    lines follow, then a blank line; the next cell starts a new line. `first` is text that opens the first line."""
    out: list[str] = []
    cur = first
    for col, text in cells:
        parts = wrap_cell(text, WIDTHS[col])
        if len(parts) == 1:
            cur += parts[0] + " "
            continue
        out.append(cur + parts[0])
        out.extend(parts[1:])
        out.append("")
        cur = ""
    out.append(cur + period_lines[0])
    out.extend(period_lines[1:])
    return out


@dataclass(slots=True)
class Rendered:
    text: str
    expected: dict[int, IndicatorRow] = field(default_factory=dict)  # 1-based name line -> true row


def relabel_period(period: str | None, kind: str) -> str | None:
    """Turn a VB report's period cells into those of another report kind ('T2': 'VB 2020' -> 'Tertial 2 2020')."""
    if period is None or kind == "VB":
        return period
    m = re.fullmatch(r"VB (\d{4})", period)
    if m and kind.startswith("T"):
        return f"Tertial {kind[1:]} {m.group(1)}"
    return period


def _period_lines(period: str) -> list[str]:
    if len(period) <= WIDTHS["period"]:
        return [period]
    head, year = period.rsplit(" ", 1)
    return [head + " ", year]


def render_rows(
    rows: Sequence[IndicatorRow],
    goals: Sequence[Goal] = (),
    *,
    kind: str = "VB",
    earlier: str = "VB 2019",
    seed: int = 0,
) -> Rendered:
    """Render `rows` (from a tabbed parse, goal numbers in `mal`) as one layout-text goal section per goal."""
    rng = random.Random(seed)
    titles = {g.nummer: g.titel for g in goals if g.nummer}
    out: list[str] = ["Uppföljning av Kommunfullmäktiges inriktningsmål", ""]
    result = Rendered("")
    groups: list[list[IndicatorRow]] = []
    for r in rows:
        if groups and groups[-1][-1].mal == r.mal and groups[-1][-1].kf_indikator == r.kf_indikator:
            groups[-1].append(r)
        else:
            groups.append([r])
    for group in groups:
        first = group[0]
        marker = "KF:s mål för verksamhetsområdet:" if first.kf_indikator else "Nämndmål:"
        out.append(marker)
        title = f"{first.mal} {titles.get(first.mal, 'Verksamheten utvecklas')}"
        out.extend(wrap_name(title, 95))
        out += ["", " Uppfylls helt", "", "Analys", ""]
        out += ["Förvaltningen bedömer att målet uppfylls helt. Indikatorerna nedan visar utvecklingen under året.", ""]
        out.extend(header_lines(earlier))
        out.append("")
        since_break = 0
        for r in group:
            if since_break >= 3 and rng.random() < 0.12:
                out.pop()  # the repeated header follows the row with no blank line
                out.extend(header_lines(earlier, "  "))
                out.append("")
                since_break = 0
            since_break += 1
            truth = replace(r, period=relabel_period(r.period, kind), celler=dict(r.celler), text=dict(r.text))
            truth.celler.pop("period", None)
            name_lines = wrap_name(r.namn, NAME_WIDTH + rng.choice((-1, 0, 0, 1)))
            if rng.random() < 0.3:
                name_lines[0] = " " + name_lines[0]
            result.expected[len(out) + 1] = truth
            cells = [(c, truth.celler[c]) for c in INDICATOR_VALUE_COLUMNS if c in truth.celler]
            period = _period_lines(truth.period or "")
            if len(name_lines) == 1:
                out.extend(value_lines(cells, period, name_lines[0] + " "))
            else:
                out.extend(name_lines)
                out.append("")
                out.extend(value_lines(cells, period))
            if r.analys:
                out += ["", "Analys"] + wrap_prose(r.analys)
            out.append("")
        out += [" Aktivitet Startdatum Slutdatum Avvikelse", "", "Genomföra en aktivitet 2020-01-01 2020-12-31", ""]
    out += [" Uppföljning av ekonomi", ""]
    result.text = "\n".join(out)
    return result


# ---------------------------------------------------------------- scoring


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_equal(expected: str | None, actual: str | None) -> bool:
    if not expected or not actual:
        return not expected and not actual
    e, a = parse_cell(expected), parse_cell(actual)
    if e.number is not None or a.number is not None:
        return e.number == a.number
    return _norm(expected) == _norm(actual)


@dataclass(slots=True)
class Score:
    right: int = 0
    wrong: int = 0
    rows: int = 0
    missing_rows: int = 0
    wrong_rows_flagged: int = 0
    wrong_rows_unflagged: int = 0
    flagged_rows: int = 0
    kinds: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / max(self.right + self.wrong, 1)


def score(parsed: Sequence[IndicatorRow], expected: dict[int, IndicatorRow]) -> Score:
    """Compare every cell (7 value columns, period, unit, name) of the parsed rows with the true rows."""
    by_line = {r.rad: r for r in parsed}
    s = Score()
    for rad, truth in expected.items():
        s.rows += 1
        got = by_line.get(rad)
        if got is None:
            s.missing_rows += 1
            s.wrong += 10
            s.kinds["missing row"] += 1
            s.misses.append(f"l.{rad} {truth.namn[:40]}: no row")
            continue
        errors = []
        for col in INDICATOR_VALUE_COLUMNS:
            e, a = truth.celler.get(col), got.celler.get(col)
            if not cell_equal(e, a):
                errors.append(f"{col}: {e!r} -> {a!r}")
                kind = "extra" if not e else "missing" if not a else "different"
                s.kinds[f"{kind} {col}"] += 1
        if (truth.period or "") != (got.period or ""):
            errors.append(f"period: {truth.period!r} -> {got.period!r}")
            s.kinds["period"] += 1
        if truth.enhet != got.enhet:
            errors.append(f"enhet: {truth.enhet!r} -> {got.enhet!r}")
            s.kinds["unit"] += 1
        if _norm(truth.namn) != _norm(got.namn):
            errors.append(f"namn: {truth.namn!r} -> {got.namn!r}")
            s.kinds["name"] += 1
        s.wrong += len(errors)
        s.right += 10 - len(errors)
        if got.osaker:
            s.flagged_rows += 1
        if errors:
            if got.osaker:
                s.wrong_rows_flagged += 1
            else:
                s.wrong_rows_unflagged += 1
            flag = "FLAGGED" if got.osaker else "UNFLAGGED"
            s.misses.append(f"l.{rad} [{flag}] {truth.namn[:40]}: " + "; ".join(errors))
    extra = set(by_line) - set(expected)
    s.kinds["extra row"] += len(extra)
    return s


def render_report(path: Path, *, kind: str = "VB", seed: int = 0) -> Rendered:
    """Render the indicator rows of a tabbed sample report (its own tabbed parse is the ground truth)."""
    rapport = parse_file(path)
    return render_rows(rapport.indikatorer, rapport.mal, kind=kind, seed=seed)


def measure(path: Path, *, kind: str = "VB", seed: int = 0) -> Score:
    rendered = render_report(path, kind=kind, seed=seed)
    lines = rendered.text.split("\n")
    parsed, _ = parse_layout_indicators(lines, 0, len(lines))
    return score(parsed, rendered.expected)
