"""Key-figure tables (nyckeltal) malbas has never seen, printed into a layout sample's goal Analys the way the
planning system's layout text shows them: statistics by year with a change column, monthly key figures with a
"Snitt" column and Varav kvinnor / Varav män rows, ratios by term, counts with varav sub-rows, a survey of
counts under a header of words with each question wrapped above its values.

The tables are written here by hand, cell by cell (their values are the truth; the sums and averages they
print hold). `render` prints them under extraction traits (trailing spaces or none, blank lines between rows,
labels wrapped above their values, "17%" or "17 %", U+2212 minus, a page break inside a table).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from tests.truth import FILES, SAMPLES


@dataclass(frozen=True)
class TrueKeyTable:
    name: str
    lead: str  # the header's row heading ("" for none)
    columns: list[str]
    rows: list[tuple[str, list[str], str | None]]  # label, cells as printed, kon


SHAPES = [
    TrueKeyTable(
        "Orosanmälningar per 1 000 barn",
        "",
        ["2017", "2018", "2019", "2020", "Förändring"],
        [
            ("Orosanmälningar", ["12,4", "14,1", "13,0", "15,2", "17%"], None),
            ("Varav flickor", ["11,8", "13,2", "12,1", "14,9", "23%"], "kvinnor"),
            ("Varav pojkar", ["13,0", "15,0", "13,9", "15,5", "12%"], "man"),
            ("Utredningar inledda", ["6,1", "6,4", "7,0", "6,3", "-10%"], None),
        ],
    ),
    TrueKeyTable(
        "Ekonomiskt bistånd per månad",
        "Antal hushåll",
        ["Jan", "Feb", "Mar", "Apr", "Snitt 2020"],
        [
            ("Hushåll med ekonomiskt bistånd", ["1 234", "1 250", "1 198", "1 242", "1 231"], None),
            ("Varav kvinnor", ["612", "630", "601", "621", "616"], "kvinnor"),
            ("Varav män", ["622", "620", "597", "621", "615"], "man"),
            ("Hushåll med långvarigt bistånd", ["498", "502", "505", "511", "504"], None),
        ],
    ),
    TrueKeyTable(
        "Barngrupper i förskolan",
        "",
        ["VT 2019", "HT 2019", "VT 2020"],
        [
            ("Snitt barngrupp", ["16,1", "16,6", "17,1"], None),
            ("Antal barn/anställd", ["5,1", "5,2", "5,3"], None),
        ],
    ),
    TrueKeyTable(
        "Placerade barn och unga",
        "",
        ["2018", "2019", "2020"],
        [
            ("Antal placerade barn", ["45", "52", "48"], None),
            ("varav i familjehem", ["30", "35", "31"], None),
            ("varav på HVB", ["15", "17", "17"], None),
        ],
    ),
    TrueKeyTable(
        "Brukarundersökning i hemtjänsten",
        "Fråga",
        ["Ja", "Ja delvis", "Nej", "Vet ej"],
        [
            ("1. Du får den hjälp du behöver av hemtjänsten på de tider som ni har kommit överens om.", ["41", "6", "2", "1"], None),
            ("2. Personalen bemöter dig på ett respektfullt sätt.", ["45", "3", "1", "1"], None),
            ("3. Du vet vem du ska kontakta om du vill framföra klagomål.", ["30", "8", "9", "3"], None),
        ],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Trait:
    trailing_space: bool = True
    blank_between_rows: bool = False
    label_width: int = 0  # wrap labels longer than this above their values (0: never, except long labels)
    spaced_percent: bool = False  # '17 %' instead of '17%'
    unicode_minus: bool = False
    page_break_after: int = 0  # a page foot after this many rows (0: none)
    value_gap: int = 1  # spaces between values


TRAITS = {
    "plain": Trait(),
    "no trailing spaces, blank lines": Trait(trailing_space=False, blank_between_rows=True),
    "labels wrapped above values": Trait(label_width=18, blank_between_rows=True),
    "spaced values, '17 %', U+2212": Trait(spaced_percent=True, unicode_minus=True, value_gap=3),
    "page break inside": Trait(page_break_after=2),
}


@dataclass(frozen=True)
class KeyVariant:
    text: str
    tables: list[TrueKeyTable]
    description: str


def _wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur + " ")
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return [*lines, cur]


def _value_text(cells: list[str], trait: Trait) -> str:
    out = []
    for cell in cells:
        if trait.spaced_percent and cell.endswith("%"):
            cell = cell[:-1] + " %"
        if trait.unicode_minus and cell.startswith("-"):
            cell = "\u2212" + cell[1:]
        out.append(cell)
    return (" " * trait.value_gap).join(out)


def render_table(table: TrueKeyTable, trait: Trait) -> list[str]:
    header = " ".join([table.lead, *table.columns]).strip()
    out = [table.name + " ", "", header + " "]
    for k, (label, cells, _) in enumerate(table.rows):
        if trait.page_break_after and k == trait.page_break_after:
            out += ["", "", "", "Tjänsteutlåtande ", "Sid 31 (78) ", ""]
        values = _value_text(cells, trait)
        width = trait.label_width or 60
        if len(label) > width:
            out += [*_wrap(label, width), "", values]
        else:
            out.append(f"{label} {values}")
        if trait.blank_between_rows:
            out.append("")
    return out


def render(trait_name: str, seed: int = 0, base: str = "000") -> KeyVariant:
    """Sample `base` with every shape printed under a goal's Analys heading (which Analys, by `seed`)."""
    trait = TRAITS[trait_name]
    rng = random.Random(seed)
    lines = (SAMPLES / FILES[base]).read_text(encoding="utf-8").split("\n")
    economy = next(i for i, line in enumerate(lines) if line.strip() == "Uppföljning av ekonomi")
    tables = _table_lines(lines)
    # a goal's Analys (a row's Analys inside an indicator table holds prose only)
    analys = [i for i, line in enumerate(lines[:economy]) if line.strip() == "Analys" and i not in tables]
    places = sorted(rng.sample(analys, len(SHAPES)), reverse=True)
    for table, at in zip(SHAPES, places, strict=True):  # from the end, so earlier places keep their index
        lines[at + 1 : at + 1] = ["", *render_table(table, trait), ""]
    if not trait.trailing_space:
        lines = [line.rstrip() for line in lines]
    return KeyVariant("\n".join(lines), list(SHAPES), f"{base} key-figure tables, {trait_name}, seed {seed}")


def render_tabbed(seed: int = 0, base: str = "001", empty_cell: bool = False) -> KeyVariant:
    """Tabbed sample `base` with every shape printed as a TAB table under a goal's Analys heading (as a PDF's
    extraction writes it); with `empty_cell`, one row's second value left empty (its TAB kept)."""
    rng = random.Random(seed)
    lines = (SAMPLES / FILES[base]).read_text(encoding="utf-8").split("\n")
    economy = next(i for i, line in enumerate(lines) if "Uppföljning av ekonomi" in line and "\t" not in line)
    analys = [i for i, line in enumerate(lines[:economy]) if line.strip().strip("#* ") == "Analys"]
    places = sorted(rng.sample(analys, len(SHAPES)), reverse=True)
    tables = list(SHAPES)
    if empty_cell:
        first = tables[0]
        label, cells, kon = first.rows[1]
        tables[0] = TrueKeyTable(
            first.name,
            first.lead,
            first.columns,
            [first.rows[0], (label, cells[:1] + [""] + cells[2:], kon), *first.rows[2:]],
        )
    for table, at in zip(tables, places, strict=True):
        rendered = [f"#### **{table.name}**", "", "\t".join([table.lead, *table.columns])]
        rendered += ["\t".join([label, *cells]) for label, cells, _ in table.rows]
        lines[at + 1 : at + 1] = ["", *rendered, ""]
    return KeyVariant("\n".join(lines), tables, f"{base} key-figure tables as TAB tables, seed {seed}")


def _table_lines(lines: list[str]) -> set[int]:
    """The lines of the sample's indicator and activity tables."""
    from malbas.etl.parse.activities import scan_layout_activities
    from malbas.etl.parse.furniture import find_furniture, mark_furniture
    from malbas.etl.parse.indicators import scan_layout_indicators

    marked = mark_furniture(lines, find_furniture(lines))
    spans = scan_layout_indicators(marked, 0, len(marked)).spans + scan_layout_activities(marked, 0, len(marked)).spans
    return {i for a, b in spans for i in range(a, b)}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _number(cell: str) -> float:
    return float(cell.rstrip("%").replace(" ", "").replace(",", "."))


@dataclass
class KeyScore:
    cells: int = 0
    right: int = 0
    misses: list[str] | None = None


def score(variant: KeyVariant, figures: list) -> KeyScore:  # noqa: ANN001
    """Every true cell against the figures read: same row label, column, value and kön."""
    s = KeyScore(misses=[])
    got = {(_key(f.rad_namn), _key(f.kolumn)): f for f in figures}
    for table in variant.tables:
        for label, cells, kon in table.rows:
            for column, cell in zip(table.columns, cells, strict=True):
                if not cell:
                    continue  # an empty cell holds no figure
                s.cells += 1
                f = got.get((_key(label), column))
                if f is not None and abs(f.varde - _number(cell)) < 1e-9 and (f.kon or None) == kon:
                    s.right += 1
                else:
                    assert s.misses is not None
                    s.misses.append(f"{table.name} / {label[:30]} / {column}: {cell} -> {f}")
    return s
