"""Summaries malbas has never seen: the 'Sammanfattande analys' of a layout sample rewritten the way another
committee's would print it, one paragraph per inriktningsmål under a line that is the inriktningsmål's title
(no marker, no number, or a number; on one line or wrapped over two; a shortened title the parser cannot
recognise), each paragraph stating how the goals under it are judged ("tre av kommunfullmäktiges fyra
verksamhetsområdesmål förväntas uppnås helt och ett delvis. De fem nämndmålen bedöms uppfyllas helt.").

The counts come from the goal part read by hand: the goal numbers in tests/truth.py (GOALS) and the goals
assessed delvis, from the guides' outlines (000 §2: KF 1.2 and nämndmål 1.2.1, 1.2.2 delvis; 004 §2: KF 1.2
and nämndmål 1.2.1 delvis; every other goal helt). Every statement is true, so no `antal_avviker` note may
come from the summary; `false_count` changes one count, which must give one.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from tests.truth import FILES, GOALS, SAMPLES
from tests.variants import wrap_words

TITLES = {
    "000": (
        "En modern storstad med möjligheter och valfrihet för alla",
        "En hållbart växande och dynamisk storstad med hög tillväxt",
        "En ekonomiskt hållbar och innovativ storstad för framtiden",
    ),
    "004": (
        "En modern storstad med möjligheter och valfrihet för alla",
        "En hållbart växande och dynamisk storstad med hög tillväxt",
        "En ekonomiskt hållbar och innovativ storstad för framtiden",
    ),
}
DELVIS = {"000": {"1.2", "1.2.1", "1.2.2"}, "004": {"1.2", "1.2.1"}}

# How the summary prints an inriktningsmål's title above its paragraph.
HEADINGS = ("title", "numbered", "wrapped", "shortened")
_WORDS = {
    1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio", 10: "tio",
    11: "elva", 12: "tolv",
}  # fmt: skip


@dataclass(frozen=True)
class SummaryVariant:
    text: str
    statements: list[tuple[int, str]]  # (1-based line, the statement's count words as printed)
    description: str


def _counts(sample: str, im: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(KF goals helt, delvis), (nämndmål helt, delvis) under inriktningsmål `im`, from the hand-read goals."""
    kf = [n for _, n in GOALS[sample] if n.startswith(f"{im}.") and n.count(".") == 1]
    nm = [n for _, n in GOALS[sample] if n.startswith(f"{im}.") and n.count(".") == 2]

    def split(goals: list[str]) -> tuple[int, int]:
        delvis = sum(1 for g in goals if g in DELVIS[sample])
        return len(goals) - delvis, delvis

    return split(kf), split(nm)


def _say(n: int, rng: random.Random) -> str:
    return _WORDS[n] if n in _WORDS and rng.random() < 0.7 else str(n)


def _heading(title: str, im: int, form: str) -> list[str]:
    if form == "numbered":
        return [f"{im}. {title} "]
    if form == "wrapped":
        return [line + " " for line in wrap_words(title, len(title) // 2 + 4)]
    if form == "shortened":
        return [" ".join(title.split()[:3]) + " "]
    return [f"{title} "]


def _paragraph(sample: str, im: int, rng: random.Random) -> tuple[str, list[str]]:
    (kf_helt, kf_delvis), (nm_helt, nm_delvis) = _counts(sample, im)
    kf_total, nm_total = kf_helt + kf_delvis, nm_helt + nm_delvis
    printed: list[str] = []
    if kf_delvis:
        first = f"{_say(kf_helt, rng)} av kommunfullmäktiges {_say(kf_total, rng)}"
        sentence = f"Uppföljningen visar att {first} verksamhetsområdesmål förväntas uppnås helt och {_say(kf_delvis, rng)} delvis."
    else:
        first = f"samtliga {_say(kf_total, rng)}"
        sentence = f"Uppföljningen visar att {first} verksamhetsområdesmål förväntas uppnås helt."
    printed.append(first)
    if nm_delvis:
        second = f"Av de {_say(nm_total, rng)} nämndmålen"
        sentence += f" {second} bedöms {_say(nm_helt, rng)} uppfyllas helt och {_say(nm_delvis, rng)} delvis."
    else:
        second = f"De {_say(nm_total, rng)} nämndmålen"
        sentence += f" {second} bedöms uppfyllas helt."
    printed.append(second)
    return sentence + " Arbetet har fortsatt enligt verksamhetsplanen.", printed


def summary_variant(sample: str, form: str, seed: int = 0) -> SummaryVariant:
    """Sample `sample` (layout text) with its summary rewritten: every inriktningsmål's title printed in `form`,
    its paragraph wrapped at 90 characters as layout text wraps it."""
    rng = random.Random(seed)
    lines = (SAMPLES / FILES[sample]).read_text(encoding="utf-8").split("\n")
    goals_start = next(i for i, line in enumerate(lines) if line.startswith("Uppföljning av Kommunfullmäktiges"))
    out = [" Sammanfattande analys ", "Stadsdelsnämnden har bidragit till att uppfylla kommunfullmäktiges tre "]
    out += ["inriktningsmål. Nedan sammanfattas bedömningen under respektive inriktningsmål. ", ""]
    statements: list[tuple[int, str]] = [(2, "kommunfullmäktiges tre")]
    for im, title in enumerate(TITLES[sample], start=1):
        out += _heading(title, im, form)
        paragraph, printed = _paragraph(sample, im, rng)
        wrapped = [line + " " for line in wrap_words(paragraph, 90)]
        joined = "\n".join(wrapped)
        for words in printed:
            at = re.search(r"\s+".join(re.escape(p) for p in words.split()), joined)
            assert at is not None, words
            statements.append((len(out) + joined.count("\n", 0, at.start()) + 1, words))
        out += [*wrapped, ""]
    text = "\n".join(out + lines[goals_start:])
    return SummaryVariant(text, statements, f"{sample} summary, titles {form}, seed {seed}")


def false_count(variant: SummaryVariant, k: int) -> tuple[SummaryVariant, int]:
    """The variant with statement `k`'s total raised by one (digits or a word), and the line it starts on."""
    rad, words = variant.statements[k]
    parts = words.split()
    count = parts[-2] if words.startswith(("Av de", "De ")) else parts[-1]
    value = int(count) if count.isdigit() else next(n for n, w in _WORDS.items() if w == count)
    raised = str(value + 1) if count.isdigit() else _WORDS.get(value + 1, str(value + 1))
    changed = " ".join(raised if p is count else p for p in parts)
    start = sum(len(line) + 1 for line in variant.text.split("\n")[: rad - 1])
    pattern = r"\s+".join(re.escape(p) for p in parts)  # the statement may wrap
    text = variant.text[:start] + re.sub(pattern, changed, variant.text[start:], count=1)
    return SummaryVariant(text, variant.statements, variant.description + f", count {k} false"), rad
