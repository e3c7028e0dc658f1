"""Report-level text sections outside the goals and the economy: summary, internal control, covid-19 …"""

from __future__ import annotations

import re
from collections.abc import Sequence

from malbas.etl.parse.records import TextBlock
from malbas.etl.parse.text import heading_key, paragraphs, strip_markup

DEFAULT_SECTION = "ovrigt"  # the kind of a section whose heading names none of the kinds below

# heading key -> section kind. Matched on whole short lines only.
_EXACT = {
    "sammanfattande analys": "sammanfattning",
    "förslag till beslut": "forslag_till_beslut",
    "inledning": "inledning",
    "bedömning av nämndens interna kontroll": "intern_kontroll",
    "intern kontroll": "intern_kontroll",
    "agenda 2030": "agenda2030",
    "agenda 2030 och lika rättigheter för alla": "agenda2030",
    "jämställdhet": "jamstalldhet",
    "jämställdhetsintegrering": "jamstalldhet",
    "barns rättigheter": "barns_rattigheter",
    "nationella minoriteter": "nationella_minoriteter",
    "systematiskt kvalitetsarbete": "kvalitetsarbete",
    "kvalitetsarbete": "kvalitetsarbete",
    "synpunkter och klagomål": "synpunkter_klagomal",
    "klagomål och synpunkter": "synpunkter_klagomal",
    "särskilda redovisningar": "sarskilda_redovisningar",
    "samverkan med andra nämnder och bolag": "samverkan",
    "kf-uppdrag": "kf_uppdrag",
    "uppdrag från kommunfullmäktige": "kf_uppdrag",
    "övrigt": DEFAULT_SECTION,
}
_COVID_RE = re.compile(r"^konsekvenser av .*(covid|pandemi)")
_TOC_RE = re.compile(r"\.{4,}\s*\d*\s*$|\t\d+\s*$")


def section_kind(line: str) -> str | None:
    text = strip_markup(line)
    if not text or len(text) > 90 or text.endswith((".", ",")) or _TOC_RE.search(line):
        return None
    key = heading_key(line)
    if key in _EXACT:
        return _EXACT[key]
    if _COVID_RE.match(key):
        return "covid"
    return None


def _open_runs(n: int, skip: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The maximal runs [a, b) of lines 0..n that no `skip` span covers, in order."""
    runs: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted((max(a, 0), min(b, n)) for a, b in skip):
        if a >= b:
            continue  # an empty span skips nothing
        if a > pos:
            runs.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        runs.append((pos, n))
    return runs


def parse_sections(lines: Sequence[str], skip: Sequence[tuple[int, int]]) -> list[TextBlock]:
    """Typed text sections in the lines not covered by the `skip` spans (goals, economy): only those lines are
    visited, and a skipped line ends the section before it."""
    blocks: list[TextBlock] = []
    current: tuple[str, str, int] | None = None  # (kind, heading, index)
    body: list[str] = []

    def flush() -> None:
        if current is None:
            return
        kind, heading, at = current
        text = paragraphs(body)
        if kind == "intern_kontroll" or text:
            blocks.append(TextBlock(rubrik=heading, text=text, rad=at + 1, typ=kind))

    for a, b in _open_runs(len(lines), skip):
        for i in range(a, b):
            line = lines[i]
            kind = section_kind(line)
            if kind:
                flush()
                current, body = (kind, strip_markup(line), i), []
            elif current is not None:
                body.append(line)
        if b < len(lines):  # a skipped line follows
            flush()
            current, body = None, []
    flush()
    return blocks
