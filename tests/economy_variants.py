"""Economy tables of the samples re-rendered as layout text, for testing the economy reader on unseen forms.

The tabbed samples' economy tables (their tabbed parse is the truth: TAB-separated cells leave no doubt about
columns) are written the way pdftotext writes a PDF table: the header's cells left to right, a cell that wraps
ending its line (its other lines follow, then a blank line), one-line cells sharing a line; headers wrapped at
narrow widths and mid-word ("Begärda" / "budgetjusteringa" / "r", "Prognos (före" / "resultat-" /
"överföringar)"); row labels wrapped, with their values on the label's last line or on a line of their own;
values joined by single spaces (so spaces are both thousands separators and cell gaps), empty cells invisible
or marked by spaces. A few table forms the samples lack (monthly key figures for ekonomiskt bistånd,
resultatenheter and investments of a later year, omslutningsförändringar) are written from values chosen here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from malbas.etl.parse import hygiene
from malbas.etl.parse.economy import find_economy_span
from malbas.etl.parse.economy.tabbed import tabbed_tables as _tabbed_tables
from malbas.etl.parse.parser import parse_text
from malbas.etl.parse.records import EconomyCell
from tests.truth import FILES, SAMPLES
from tests.variants import wrap_cell, wrap_words


@dataclass(slots=True)
class TrueTable:
    heading: str
    stub: str
    columns: list[str]
    rows: list[tuple[str, dict[int, str]]]  # (label, column index -> cell as printed)


@dataclass(frozen=True, slots=True)
class EconomyStyle:
    header_width: int = 16  # characters per header cell line
    label_width: int = 24
    spaced: bool = False  # empty cells marked by spaces
    inline_labels: float = 0.6  # share of one-line labels that carry their values on the same line
    trailing_space: bool = True


@cache
def tabbed_tables(sample: str) -> list[TrueTable]:
    """The economy tables of a tabbed sample, as its tabbed reader sees them."""
    text = (SAMPLES / FILES[sample]).read_text(encoding="utf-8")
    lines, _ = hygiene.split_lines(hygiene.normalise(text))
    span = find_economy_span(lines)
    assert span is not None
    out = []
    for t in _tabbed_tables(lines, span[0], span[1]):
        rows = [(r.label, {c.col: c.raw for c in r.cells}) for r in t.rows if r.cells and r.label]
        if rows and len(t.cols) >= 2 and not any(re.fullmatch(r"Kolumn \d+", c) for c in t.cols):
            heading = next((h for h in _heading_above(lines, t.header_idx)), "Ekonomi")
            out.append(TrueTable(heading, t.stub, list(t.cols), rows))
    return out


def _heading_above(lines: Sequence[str], i: int) -> list[str]:
    for j in range(i - 1, max(i - 12, -1), -1):
        text = lines[j].strip().lstrip("#").strip().replace("*", "")
        if text and "\t" not in lines[j] and len(text) < 70 and not text.endswith("."):
            return [text]
    return []


# Table forms a later report has and the samples do not (issue 11, trait 8), with values chosen so that their
# own sums hold.
NEW_FORMS = [
    TrueTable(
        "Ekonomiskt bistånd",
        "Antal hushåll",
        ["Jan", "Feb", "Mar", "Apr", "Snitt 2025", "Snitt 2024"],
        [
            (
                "Antal hushåll med ekonomiskt bistånd",
                {0: "1 204", 1: "1 187", 2: "1 210", 3: "1 199", 4: "1 200", 5: "1 256"},
            ),
            ("Varav kvinnor", {0: "655", 1: "648", 2: "660", 3: "652", 4: "654", 5: "689"}),
            ("Varav män", {0: "549", 1: "539", 2: "550", 3: "547", 4: "546", 5: "567"}),
        ],
    ),
    TrueTable(
        "Resultatenheter",
        "Resultatenhetens namn",
        [
            "Resultatenhetens bruttobudget",
            "Resultatöverföring från 2024",
            "Resultat 2025 Överskott (+)/Underskott (-)",
            "Resultatöverföring till 2026",
        ],
        [
            ("Förskolor norr", {0: "48 120", 1: "2 406", 2: "-310", 3: "2 096"}),
            ("Förskolor söder", {0: "51 870", 1: "1 150", 2: "420", 3: "1 570"}),
            ("Summa resultatenheter", {0: "99 990", 1: "3 556", 2: "110", 3: "3 666"}),
        ],
    ),
    TrueTable(
        "Investeringar",
        "Mnkr",
        ["Budget 2025", "Begärda budgetjusteringar", "Prognos 2025", "Avvikelse"],
        [
            ("Parkinvesteringar", {0: "6,6", 1: "1,2", 2: "7,8", 3: "0,0"}),
            ("Inventarier och utrustning", {0: "3,0", 2: "2,5", 3: "0,5"}),
            ("Summa investeringar", {0: "9,6", 1: "1,2", 2: "10,3", 3: "0,5"}),
        ],
    ),
    TrueTable(
        "Driftbudget per verksamhetsområde",
        "Mnkr",
        [
            "Budget 2025 (netto)",
            "Begärda budgetjusteringar",
            "Prestations- och omslutningsförändringar",
            "Prognos (före resultatöverföringar)",
            "Avvikelse",
        ],
        [
            ("Nämnd och administration", {0: "2 865,7", 1: "7,4", 2: "0,6", 3: "2 868,7", 4: "5,0"}),
            ("Förskola", {0: "412,3", 1: "0,0", 2: "-2,1", 3: "405,0", 4: "5,2"}),
            ("Totalt", {0: "3 278,0", 1: "7,4", 2: "-1,5", 3: "3 273,7", 4: "10,2"}),
        ],
    ),
    TrueTable(
        "Omslutningsförändringar",
        "Mnkr",
        ["Kostnader", "Intäkter", "Netto"],
        [
            ("Statsbidrag äldreomsorg", {0: "4,2", 1: "-4,2", 2: "0,0"}),
            ("Ersättning från Migrationsverket", {0: "1,5", 1: "-1,5", 2: "0,0"}),
        ],
    ),
]


def _cell_lines(cells: Sequence[str], width: int, rng: random.Random) -> list[str]:
    """Header cells in pdftotext's order (like the indicator value cells)."""
    out: list[str] = []
    parts: list[str] = []
    for text in cells:
        pieces = wrap_cell(text, max(4, width + rng.choice((-2, 0, 0, 2))))
        if len(pieces) == 1:
            parts.append(pieces[0])
            continue
        parts.append(pieces[0].rstrip() + (" " if pieces[0].endswith(" ") else ""))
        out.append(" ".join(p.rstrip() if k < len(parts) - 1 else p for k, p in enumerate(parts)))
        out.extend(pieces[1:])
        out.append("")
        parts = []
    if parts:
        out.append(" ".join(parts))
    return out


def render_table(table: TrueTable, style: EconomyStyle, rng: random.Random) -> tuple[list[str], list[int]]:
    """The table's lines and, per row, the 0-based index of the line holding its values."""
    out = [table.heading, ""] + _cell_lines([table.stub, *table.columns], style.header_width, rng) + [""]
    at: list[int] = []
    for label, cells in table.rows:
        slots = [cells.get(k, "") for k in range(len(table.columns))]
        values = " ".join(slots) if style.spaced else " ".join(s for s in slots if s)
        label_lines = wrap_words(label, style.label_width)
        if len(label_lines) == 1 and rng.random() < style.inline_labels:
            at.append(len(out))
            out.append(f"{label_lines[0]} {values}")
        else:
            out += label_lines + [""]
            at.append(len(out))
            out.append(values)
        out.append("")
    return out, at


@dataclass(slots=True)
class EconomyScore:
    cells: int = 0
    right: int = 0  # value under the right row and column
    found: int = 0  # value under the right row, any column
    flagged: int = 0  # wrong cells in rows or tables flagged kolumn_osaker
    misses: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / max(self.cells, 1)

    def summary(self) -> str:
        return f"cells {self.right}/{self.cells} right ({self.share:.2%}), {self.found} found, {self.flagged} wrong but flagged"


def _key(text: str) -> str:
    return re.sub(r"[^a-zåäö0-9]", "", text.lower())


def _value(raw: str) -> float:
    return float(raw.replace(" ", "").replace(",", ".").replace("−", "-").rstrip("%*"))


@dataclass(slots=True)
class EconomyVariant:
    text: str
    tables: list[TrueTable]
    value_lines: list[list[int]]  # per table, per row: the 1-based line of its values
    starts: list[int]  # per table, the 1-based line of its heading


def render_report(tables: Sequence[TrueTable], style: EconomyStyle, seed: int = 0) -> EconomyVariant:
    """Sample 000's goal part, then an economy part holding `tables`."""
    rng = random.Random(seed)
    head = (SAMPLES / FILES["000"]).read_text(encoding="utf-8").split("\n")
    lines, _ = hygiene.split_lines("\n".join(head))
    span = find_economy_span(lines)
    assert span is not None
    out = head[: span[0]] + [" Uppföljning av ekonomi", ""]
    where: list[list[int]] = []
    starts: list[int] = []
    for t in tables:
        rendered, at = render_table(t, style, rng)
        where.append([len(out) + k + 1 for k in at])
        starts.append(len(out) + 1)
        out += rendered
    out += ["Övrigt", "", "Inget att rapportera."]
    if not style.trailing_space:
        out = [line.rstrip() for line in out]
    return EconomyVariant("\n".join(out), list(tables), where, starts)


def score(variant: EconomyVariant) -> EconomyScore:
    report = parse_text(variant.text)
    by_line: dict[int, list[EconomyCell]] = {}
    for c in report.ekonomi:
        by_line.setdefault(c.rad, []).append(c)
    flagged_lines = {k.rad for k in report.kvalitet if k.typ == "kolumn_osaker"}
    s = EconomyScore()
    for table, lines, start in zip(variant.tables, variant.value_lines, variant.starts, strict=True):
        table_flagged = any(start <= r < lines[0] for r in flagged_lines)
        for (label, cells), rad in zip(table.rows, lines, strict=True):
            got = by_line.get(rad, [])
            for k, raw in cells.items():
                s.cells += 1
                want = _value(raw)
                matching = [c for c in got if abs(c.varde - want) < 1e-9]
                if matching:
                    s.found += 1
                if any(_key(c.kolumn) == _key(table.columns[k]) and _key(c.rad_namn) == _key(label) for c in matching):
                    s.right += 1
                    continue
                if table_flagged or rad in flagged_lines:
                    s.flagged += 1
                seen = ", ".join(f"{c.kolumn}={c.text}" for c in got) or "no cells"
                s.misses.append(f"{table.heading} l.{rad} {label[:30]} [{table.columns[k]}]={raw}: {seen}")
    return s
