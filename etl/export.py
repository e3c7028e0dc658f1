"""The `malbas parse --json` export contract: fixed keys, JSON numbers, ISO dates.

The export is of an enriched report (etl/enrich/report.py): the parsed cells under their parser keys, and
beside them what malbas derives and stores: each indicator row's identity, direction and target verdict with
its reason, whether it is a deviation; each economy cell's typed meaning and role in its table's budget
comparison; the economy rows with a deviation.
"""

from __future__ import annotations

from typing import Any

from malbas.etl.enrich.report import EnrichedReport
from malbas.etl.parse.audit import MAX_LISTED
from malbas.etl.parse.records import Coverage, IndicatorRow, Report
from malbas.vocabulary import Niva


def to_export(enriched: EnrichedReport) -> dict[str, Any]:
    rapport = enriched.rapport
    d = rapport.dokument
    return {
        "dokument": {
            "namnd": d.namnd,
            "rapporttyp": d.rapporttyp,
            "ar": d.ar,
            "period": d.period,
            "kalla": d.kalla,
            "sha256": d.sha256,
            "textform": d.textform,
        },
        "mal": _goals(rapport),
        "indikatorer": _indicators(enriched),
        "aktiviteter": _activities(rapport),
        "ekonomi": _economy(enriched),
        "ekonomiavvikelser": [
            {"tabell": tabell, "rad_namn": rad_namn, "rad": rad}
            for (tabell, _), (rad_namn, rad) in sorted(enriched.ekonomiavvikelser, key=lambda k: k[1][1])
        ],
        "nyckeltal": _key_figures(rapport),
        "avsnitt": [{"typ": t.typ, "rubrik": t.rubrik, "text": t.text, "rad": t.rad} for t in rapport.avsnitt],
        "kvalitet": [{"typ": k.typ, "meddelande": k.meddelande, "rad": k.rad} for k in rapport.kvalitet],
        "varningar": rapport.varningar,
        "tackning": coverage_export(rapport.tackning),
    }


def _goals(rapport: Report) -> list[dict[str, Any]]:
    """The goals, level by level as printed, with their texts."""
    return [
        {
            "niva": m.niva,
            "nummer": m.nummer,
            "titel": m.titel,
            "overordnat": m.overordnat,
            "bedomning": m.bedomning,
            "rad": m.rad,
            "texter": [{"rubrik": t.rubrik, "text": t.text, "rad": t.rad} for t in m.texter],
        }
        for m in rapport.mal
    ]


def _indicators(enriched: EnrichedReport) -> list[dict[str, Any]]:
    """Each indicator row: its parsed cells and what enrich derives (identity, direction, verdict, deviation)."""
    return [
        {
            "namn": r.namn,
            "mal": r.mal,
            "kf_indikator": r.kf_indikator,
            "utfall": r.utfall,
            "utfall_man": r.utfall_man,
            "utfall_kvinnor": r.utfall_kvinnor,
            "foregaende_utfall": r.foregaende_utfall,
            "prognos": r.prognos,
            "arsmal": r.arsmal,
            "kf_arsmal": r.kf_arsmal,
            "enhet": r.enhet,
            "period": r.period,
            "periodicitet": r.periodicitet,
            "text": r.text,
            "analys": r.analys,
            "osaker": r.osaker,
            "rad": r.rad,
            "indikator_nyckel": e.identitet.nyckel,
            "indikator_namn": e.identitet.namn,
            "identitet_grund": e.identitet.grund,
            "riktning": e.verdict.riktning,
            "arsmal_uppnatt": e.verdict.uppnatt,
            "arsmal_uppnatt_grund": e.verdict.grund,
            "avvikelse": e.avvikelse,
        }
        for e in enriched.indikatorer
        for r in [e.row]
    ]


def _activities(rapport: Report) -> list[dict[str, Any]]:
    """The activities with their dates, status and deviation."""
    return [
        {
            "namn": a.namn,
            "mal": a.mal,
            "kf_uppdrag": a.kf_uppdrag,
            "startdatum": a.startdatum.isoformat() if a.startdatum else None,
            "slutdatum": a.slutdatum.isoformat() if a.slutdatum else None,
            "status": a.status,
            "avvikelse": a.avvikelse,
            "avvikelse_text": a.avvikelse_text,
            "analys": a.analys,
            "rad": a.rad,
        }
        for a in rapport.aktiviteter
    ]


def _economy(enriched: EnrichedReport) -> list[dict[str, Any]]:
    """Each economy cell with the typed meaning of its column and its role in the budget comparison."""
    return [
        {
            "tabell": c.tabell,
            "rad_namn": c.rad_namn,
            "kolumn": c.kolumn,
            "varde": c.varde,
            "enhet": c.enhet,
            "rad": c.rad,
            "overordnad_rad": c.overordnad_rad,
            "storhet": e.betydelse.storhet,
            "matt": e.betydelse.matt,
            "resultatoverforing": e.betydelse.resultatoverforing,
            "kolumn_ar": e.betydelse.ar,
            "jamforelse_roll": e.roll,
        }
        for e in enriched.ekonomi
        for c in [e.cell]
    ]


def _key_figures(rapport: Report) -> list[dict[str, Any]]:
    """The key-figure tables, cell by cell."""
    return [
        {
            "tabell": f.tabell,
            "rad_namn": f.rad_namn,
            "kolumn": f.kolumn,
            "varde": f.varde,
            "enhet": f.enhet,
            "kon": f.kon,
            "rad": f.rad,
            "tabell_rad": f.tabell_rad,
        }
        for f in rapport.nyckeltal
    ]


def coverage_export(c: Coverage) -> dict[str, Any]:
    """The self-audit in the export: numbers in table regions, accounted for, share, and what was left over."""
    return {
        "tal": c.tal,
        "redovisade": c.redovisade,
        "andel": round(c.andel, 4),
        "ej_redovisade": [{"rad": rad, "text": text} for rad, text in c.ej_redovisade[:MAX_LISTED]],
        "antal_ej_redovisade": len(c.ej_redovisade),
        "tabeller": [
            {"typ": r.kind, "rad": r.rad, "tal": r.tal, "redovisade": r.redovisade} for r in c.regioner if r.tal
        ],
    }


# The audit's region kinds (export names, `tackning.regioner[].typ`) as the summary says them.
_REGION_IN_ENGLISH = {
    "indikatortabell": "indicator table",
    "aktivitetstabell": "activity table",
    "ekonomitabell": "economy table",
    "nyckeltal": "key-figure table",
    "tabellrad": "table row",
}


def summary_lines(rapport: Report) -> list[str]:
    """The human-readable summary `malbas parse FILE` prints (English; the domain words as in the schema)."""
    uncertain = [r for r in rapport.indikatorer if r.osaker]
    return [
        *_count_lines(rapport, uncertain),
        *_coverage_lines(rapport.tackning),
        *(f"  uncertain row, line {r.rad}: {r.namn[:60]} — {r.osaker}" for r in uncertain),
        *_note_lines(rapport),
    ]


def _count_lines(rapport: Report, uncertain: list[IndicatorRow]) -> list[str]:
    """What was read: the report's identity and how many of each kind of record."""
    d = rapport.dokument
    levels = {lv: sum(1 for m in rapport.mal if m.niva == lv) for lv in Niva}
    c = rapport.tackning
    return [
        f"{d.kalla}: {d.namnd or '(nämnd unknown)'} · {d.period} ({d.rapporttyp}) · {d.textform} text",
        f"  goals:           {len(rapport.mal)} ({levels[Niva.INRIKTNINGSMAL]} inriktningsmål, "
        f"{levels[Niva.VERKSAMHETSOMRADESMAL]} KF goals, {levels[Niva.NAMNDMAL]} nämndmål)",
        f"  indicator rows:  {len(rapport.indikatorer)} ({sum(r.kf_indikator for r in rapport.indikatorer)} KF indicators, "
        f"{len(uncertain)} uncertain)",
        f"  activities:      {len(rapport.aktiviteter)} ({sum(a.avvikelse for a in rapport.aktiviteter)} with a deviation)",
        f"  economy cells:   {len(rapport.ekonomi)} in {len({c.tabell for c in rapport.ekonomi})} tables",
        f"  key figures:     {len(rapport.nyckeltal)} in {len({f.tabell_rad for f in rapport.nyckeltal})} tables",
        f"  text sections:   {len(rapport.avsnitt)}",
        f"  coverage:        {c.redovisade} of {c.tal} numbers in tables accounted for ({c.andel:.1%})",
    ]


def _coverage_lines(c: Coverage) -> list[str]:
    """The tables that left numbers unread, and the first numbers not read."""
    out = []
    for region in c.regioner:
        if region.tal and region.redovisade < region.tal:
            where = _REGION_IN_ENGLISH.get(region.kind, region.kind)
            out.append(f"    {where} at line {region.rad}: {region.redovisade} of {region.tal} numbers accounted for")
    out += [f"    not read, line {rad}: {text[:90]}" for rad, text in c.ej_redovisade[:MAX_LISTED]]
    return out


def _note_lines(rapport: Report) -> list[str]:
    """The data-quality notes (those not listed above) and the warnings."""
    notes = [k for k in rapport.kvalitet if k.typ not in ("indikator_osaker", "ej_redovisat")]
    out = [f"  data-quality notes: {len(rapport.kvalitet)}"]
    out += [f"    {k.typ}{f', line {k.rad}' if k.rad else ''}: {k.meddelande}" for k in notes]
    out += [f"  warning: {w}" for w in rapport.varningar]
    return out
