"""Reports malbas has never seen, made from the samples the way another committee or a later report of the same
reporting system (ILS-webb / Stratsys) would print them, with what the parser must read computed from the
hand-read truth (tests/truth.py) transformed the same way as the text.

What tests/variants.py and tests/economy_variants.py do not cover, and this module does:

* other indicator sets: units the samples lack ("kr/invånare", "‰", "dagar"), values with thousands groups and
  two decimals ("12 345,50"), negative values printed with U+2212 minus;
* another report kind from the same text: a T2 from a T1 ("Tertial 2 2025", "tertialrapport 2", feet
  "Tertialrapport 2"), every year moved;
* a facknämnd's report: no district, the committee named in prose and page feet ("Äldrenämnden, Tertialrapport 1"),
  while its KF activities name other committees (Socialnämnden, stadsdelsnämnderna) as often;
* economy tables in other column orders and widths, signed amounts with a hyphen, a table cut by a page break
  with its header repeated.

Each generator returns the text and the truth; `flagged` tells whether a miss is reported (an osaker row, a
kolumn_osaker / ej_redovisat / identitet_motstridig note, coverage below 100 %, or a warning): a miss that is not
is the bug class that matters most.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace

from malbas.etl.parse.records import Report
from tests.truth import TrueRow, expected_value
from tests.variants import Score, Style, Variant, score, transplant, wrap_words

# ---------------------------------------------------------------- other indicator sets


def _group(n: int) -> str:
    """12345 -> '12 345' (the reports' thousands separator is a space)."""
    return f"{n:,}".replace(",", " ")


def _scaled(cell: str, factor: int, decimals: int) -> str:
    value = expected_value(cell)
    if not isinstance(value, float):
        return cell
    scaled = round(value * factor, decimals)
    whole = int(abs(scaled))
    text = _group(whole)
    if decimals:
        text += "," + f"{abs(scaled):.{decimals}f}".split(".")[1]
    return ("-" if scaled < 0 else "") + text


def other_indicator_set(seed: int, *, thousands: bool = True) -> Callable[[list[TrueRow]], list[TrueRow]]:
    """A committee with other indicators: every fourth row in kr/invånare (values in the thousands with
    `thousands`, else below 1 000; two decimals in some), ‰ or dagar; every seventh row's outcome columns
    negative. Text cells stay as they are."""

    def rewrite(rows: list[TrueRow]) -> list[TrueRow]:
        rng = random.Random(seed)
        out = []
        for k, row in enumerate(rows):
            cells = dict(row.cells)
            enhet = row.enhet
            if k % 4 == seed % 4 and row.certain:
                enhet = rng.choice(("kr/invånare", "‰", "dagar"))
                if enhet == "kr/invånare":
                    decimals = rng.choice((0, 2))
                    factors = (150, 1200, 3100) if thousands else (3, 5, 9)
                    cells = {c: _scaled(v, rng.choice(factors), decimals) for c, v in cells.items()}
            if k % 7 == seed % 7 and row.certain:
                for c in ("utfall", "foregaende_utfall"):
                    value = expected_value(cells[c])
                    if isinstance(value, float) and value > 0:
                        cells[c] = "-" + cells[c]
            out.append(replace(row, enhet=enhet, cells=cells))
        return out

    return rewrite


def climate_indicator_set(seed: int) -> Callable[[list[TrueRow]], list[TrueRow]]:
    """A committee that measures climate impact: every fifth row in "kg CO2e", its values a hundredth of the
    sample's with two decimals ("0,29 kg CO2e"); in narrow columns the unit's second word wraps under its value."""

    def rewrite(rows: list[TrueRow]) -> list[TrueRow]:
        out = []
        for k, row in enumerate(rows):
            if k % 5 == seed % 5 and row.certain:
                cells = {c: _hundredth(v) for c, v in row.cells.items()}
                row = replace(row, enhet="kg CO2e", cells=cells)
            out.append(row)
        return out

    return rewrite


def _hundredth(cell: str) -> str:
    value = expected_value(cell)
    if not isinstance(value, float):
        return cell
    return f"{value / 100:.2f}".replace(".", ",")


def climate_unit_variant(sample: str, style: Style, seed: int) -> Variant:
    variant = transplant(sample, style, seed, rows=climate_indicator_set(seed))
    return replace(variant, description=f"{variant.description}, kg CO2e")


def with_unicode_minus(variant: Variant) -> Variant:
    """The values' hyphen minus printed as U+2212, as PDF extractions often give it (the truth keeps '-')."""
    text = re.sub(r"(?<![\w/+-])-(?=\d)", "\u2212", variant.text)
    return replace(variant, text=text, description=variant.description + " U+2212")


def indicator_set_variant(sample: str, style: Style, seed: int, *, thousands: bool = True) -> Variant:
    variant = transplant(sample, style, seed, rows=other_indicator_set(seed, thousands=thousands))
    return replace(variant, description=f"{variant.description}, other units{' in thousands' if thousands else ''}")


# ---------------------------------------------------------------- flagging


def flagged_lines(report: Report) -> set[int]:
    """Lines the parse itself marks as not read with certainty."""
    lines = {r.rad for r in report.indikatorer if r.osaker}
    lines |= {k.rad for k in report.kvalitet if k.rad is not None}
    return lines


def silent_rows(report: Report, variant: Variant) -> tuple[Score, list[str]]:
    """The score of the indicator rows, and the wrong rows nothing flags: no osaker and no note on their lines."""
    s = score(report.indikatorer, variant.expected)
    rows = {r.rad: r for r in report.indikatorer}
    noted = {k.rad for k in report.kvalitet if k.rad is not None}
    silent = []
    for miss in s.misses:
        if "[UNFLAGGED]" not in miss:
            continue
        rad = int(miss.split()[0][2:])
        row = rows[rad]
        if not any(rad <= n <= (row.slut or rad) for n in noted):
            silent.append(miss)
    return s, silent


# ---------------------------------------------------------------- economy tables of other committees and years

from tests.economy_variants import EconomyStyle, EconomyVariant, TrueTable, render_table  # noqa: E402

# Later years' forms: a second forecast column, the deviation "mot budget", the columns in another order, the
# outcome of the year before, monthly figures in tkr with signed amounts; values chosen so that sums hold.
LATER_FORMS = [
    TrueTable(
        "Uppföljning av driftbudget",
        "Mnkr",
        ["Budget 2020", "Prognos T1 2020", "Prognos T2 2020", "Avvikelse mot budget"],
        [
            ("Kostnader", {0: "1 845,2", 1: "1 861,0", 2: "1 858,4", 3: "-13,2"}),
            ("Intäkter", {0: "-212,4", 1: "-220,1", 2: "-225,6", 3: "13,2"}),
            ("Netto", {0: "1 632,8", 1: "1 640,9", 2: "1 632,8", 3: "0,0"}),
        ],
    ),
    TrueTable(
        "Driftbudget per verksamhetsområde",
        "Verksamhetsområde (mnkr)",
        ["Prognos 2020", "Budget 2020", "Avvikelse mot budget", "Utfall 2019"],
        [
            ("Förskola", {0: "598,1", 1: "603,4", 2: "5,3", 3: "589,9"}),
            ("Äldreomsorg", {0: "612,0", 1: "598,7", 2: "-13,3", 3: "601,2"}),
            ("Individ- och familjeomsorg", {0: "301,5", 1: "309,5", 2: "8,0", 3: "295,0"}),
            ("Stadsmiljö", {0: "44,0", 1: "44,0", 2: "0,0", 3: "41,7"}),
            ("Summa", {0: "1 555,6", 1: "1 555,6", 2: "0,0", 3: "1 527,8"}),
        ],
    ),
    TrueTable(
        "Ekonomiskt bistånd",
        "Tkr",
        ["Budget 2020", "Utfall jan-aug 2020", "Prognos 2020", "Avvikelse"],
        [
            ("Försörjningsstöd", {0: "145 200", 1: "98 640", 2: "150 960", 3: "-5 760"}),
            ("Varav hyror", {0: "61 000", 1: "41 200", 2: "63 050", 3: "-2 050"}),
        ],
    ),
]

_ECONOMY_FOOT = ["", "", "", "Tjänsteutlåtande ", "Sid 61 (78) ", ""]


def render_economy(
    tables: list[TrueTable], style: EconomyStyle, seed: int = 0, *, break_after: int = 0, base: str = "000"
) -> EconomyVariant:
    """Sample `base`'s goal part, then an economy part holding `tables`; with `break_after` = k, a page break
    (foot, then the header repeated with a two-space indent, as the indicator tables show it) after every k rows."""
    from malbas.etl.parse import hygiene
    from malbas.etl.parse.economy import find_economy_span
    from tests.truth import FILES, SAMPLES

    rng = random.Random(seed)
    head = (SAMPLES / FILES[base]).read_text(encoding="utf-8").split("\n")
    lines, _ = hygiene.split_lines("\n".join(head))
    span = find_economy_span(lines)
    assert span is not None
    out = head[: span[0]] + [" Uppföljning av ekonomi", ""]
    where: list[list[int]] = []
    starts: list[int] = []
    for t in tables:
        rendered, at = render_table(t, style, rng)
        firsts = [_row_first_line(rendered, a, label, style) for a, (label, _) in zip(at, t.rows, strict=True)]
        if break_after:
            header = rendered[2 : firsts[0] - 1]
            pieces = rendered[: firsts[0]]
            moved: list[int] = []
            for k, (a, first) in enumerate(zip(at, firsts, strict=True)):
                if k and k % break_after == 0:
                    pieces += _ECONOMY_FOOT + ["  " + header[0].lstrip(), *header[1:], ""]
                moved.append(len(pieces) + (a - first))
                pieces += rendered[first : a + 2]
            rendered, at = pieces, moved
        where.append([len(out) + k + 1 for k in at])
        starts.append(len(out) + 1)
        out += rendered
    out += ["Övrigt", "", "Inget att rapportera."]
    if not style.trailing_space:
        out = [line.rstrip() for line in out]
    return EconomyVariant("\n".join(out), list(tables), where, starts)


def _row_first_line(rendered: list[str], at: int, label: str, style: EconomyStyle) -> int:
    """The first line of a rendered row whose values are on line `at` (its label inline or above, then a blank)."""
    label_lines = wrap_words(label, style.label_width)
    if len(label_lines) == 1 and rendered[at].startswith(label_lines[0] + " "):
        return at
    return at - len(label_lines) - 1


def economy_silent_misses(variant: EconomyVariant, report: Report) -> list[str]:
    """Cells not read under their row and column whose line carries no note and whose table no kolumn_osaker."""
    from tests.economy_variants import _key, _value

    by_line: dict[int, list] = {}
    for c in report.ekonomi:
        by_line.setdefault(c.rad, []).append(c)
    noted = {k.rad for k in report.kvalitet if k.rad is not None}
    unsure = {k.rad for k in report.kvalitet if k.typ == "kolumn_osaker" and k.rad is not None}
    silent = []
    for t, (table, lines, start) in enumerate(zip(variant.tables, variant.value_lines, variant.starts, strict=True)):
        stop = variant.starts[t + 1] if t + 1 < len(variant.starts) else lines[-1] + 1
        table_unsure = any(start <= r < stop for r in unsure)
        for (label, cells), rad in zip(table.rows, lines, strict=True):
            got = by_line.get(rad, [])
            for k, raw in cells.items():
                want = _value(raw)
                ok = any(
                    abs(c.varde - want) < 1e-9
                    and _key(c.kolumn) == _key(table.columns[k])
                    and _key(c.rad_namn) == _key(label)
                    for c in got
                )
                if not ok and not table_unsure and rad not in noted:
                    seen = ", ".join(f"{c.rad_namn}/{c.kolumn}={c.text}" for c in got) or "no cells"
                    silent.append(f"{table.heading} l.{rad} {label[:30]} [{table.columns[k]}]={raw}: {seen}")
    return silent


# ---------------------------------------------------------------- a facknämnd's report


def as_facknamnd(text: str, district: str, name: str) -> str:
    """The report as a city-wide committee's (`name`, e.g. 'Äldrenämnden') would read: the district and its
    förvaltning replaced by the committee and its förvaltning, no 'stadsdelsnämnd' left anywhere. The KF
    activities keep naming the other committees they address ('Socialnämnden och stadsdelsnämnderna' becomes
    'Socialnämnden och nämnderna')."""
    stem = name[0].lower() + name[1 : -len("nämnden")]  # "äldre"
    own = re.escape(district).replace(r"\-", r"-\s?")
    text = re.sub(rf"\b{own}s?\s+stadsdelsnämnd\b", name, text)
    text = re.sub(rf"\b{own}s?\s+stadsdelsförvaltning\b", f"{stem}förvaltningen", text)
    text = re.sub(rf"\b{own}s?\b", "staden", text)
    text = re.sub(r"\b[Ss]tadsdelsnämnden\b", lambda m: name if m.group()[0] == "S" else name.lower(), text)
    text = re.sub(r"\b[Ss]tadsdelsnämndens\b", lambda m: (name if m.group()[0] == "S" else name.lower()) + "s", text)
    text = re.sub(r"\b[A-ZÅÄÖ][\wåäö-]*s?\s+stadsdels(?:nämnd|förvaltning)\b", "förvaltningen", text)
    text = re.sub(r"[Ss]tadsdelsnämnd", "nämnd", text)
    return re.sub(r"[Ss]tadsdelsförvaltning", "förvaltning", text)


# ---------------------------------------------------------------- another report kind from the same text


def t1_as_t2(variant: Variant) -> Variant:
    """A T1 as its T2 would print it: period cells 'Tertial 2 …', 'tertialrapport 2', feet 'Tertialrapport 2'; the
    T1's forward references to tertial 2 become the VB's."""
    text = re.sub(r"\b[Tt]ertial(?:rapport)? 2\b", "verksamhetsberättelsen", variant.text)
    text = re.sub(r"\b([Tt])ertialrapport 1", r"\1ertialrapport 2", text)
    text = re.sub(r"\b([Tt])ertial(\s+)1\b", r"\1ertial\g<2>2", text)
    text = text.replace("första tertialen", "andra tertialen").replace("januari - april", "januari - augusti")
    expected = {k: replace(r, period=r.period.replace("Tertial 1", "Tertial 2")) for k, r in variant.expected.items()}
    return Variant(text, expected, variant.description + " as T2")
