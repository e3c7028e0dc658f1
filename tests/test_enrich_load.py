"""What the loader stores from the enrichment: the same as the export shows, and plan evidence that does not
depend on the order the plan and its follow-ups are loaded in."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import Engine, text

from malbas.cli import main
from malbas.etl.load.runner import load_paths
from tests.conftest import T1_RINKEBY, VB_NORRMALM, VP_RINKEBY

_OSAKER = """
SELECT r.rad, r.osaker FROM indikatorrad r JOIN rapport ra ON ra.id = r.rapport_id
WHERE ra.kalla = :k AND r.osaker IS NOT NULL ORDER BY r.rad
"""


def _osaker(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(_OSAKER), {"k": T1_RINKEBY.name}).all()]


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM rapport"))


def test_plan_evidence_does_not_depend_on_load_order(engine: Engine) -> None:
    load_paths(engine, [T1_RINKEBY])
    alone = _osaker(engine)
    load_paths(engine, [VP_RINKEBY])  # the plan after its T1 annotates the T1
    plan_after = _osaker(engine)
    _empty(engine)
    load_paths(engine, [VP_RINKEBY])
    load_paths(engine, [T1_RINKEBY])
    plan_first = _osaker(engine)
    assert plan_after == plan_first
    assert plan_after != alone
    # T1 l.297-300 "1 320 1 100 1 100 st Tas fram av nämnd": the VP (l.360) plans årsmål 1 100 st.
    assert dict(plan_after)[297].endswith("; the plan (VP) gives the same targets")
    assert not any("verksamhetsplan" in o for _, o in alone)
    # Loading the plan again (or a corrected plan) replaces the note, never stacks a second one.
    load_paths(engine, [VP_RINKEBY])  # unchanged: skipped
    with engine.begin() as conn:
        conn.execute(text("UPDATE rapport SET sha256 = 'x' WHERE kalla = :k"), {"k": VP_RINKEBY.name})
    load_paths(engine, [VP_RINKEBY])
    assert _osaker(engine) == plan_first
    # Without its plan the T1 keeps only its own reasons.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM rapport WHERE kalla = :k"), {"k": VP_RINKEBY.name})
    from malbas.etl.load.plan_evidence import annotate_follow_ups

    with engine.begin() as conn:
        namnd_id = conn.execute(
            text("SELECT namnd_id FROM rapport WHERE kalla = :k"), {"k": T1_RINKEBY.name}
        ).scalar_one()
        annotate_follow_ups(conn, namnd_id, 2020)
    assert _osaker(engine) == alone


def test_the_database_stores_what_parse_json_exports(engine: Engine) -> None:
    load_paths(engine, [VB_NORRMALM])
    result = CliRunner().invoke(main, ["parse", str(VB_NORRMALM), "--json"])
    doc = json.loads(result.output)
    exported = {
        (r["rad"], r["namn"]): (r["indikator_nyckel"], r["riktning"], r["arsmal_uppnatt"], r["arsmal_uppnatt_grund"])
        for r in doc["indikatorer"]
    }
    with engine.connect() as conn:
        stored = {
            (rad, namn): (nyckel, riktning, uppnatt, grund)
            for rad, namn, nyckel, riktning, uppnatt, grund in conn.execute(
                text(
                    "SELECT r.rad, r.namn, i.nyckel, r.riktning, r.arsmal_uppnatt, r.arsmal_uppnatt_grund "
                    "FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id"
                )
            )
        }
        cells = {
            (t, rn, k, rad): (s, m, f, a, roll)
            for t, rn, k, rad, s, m, f, a, roll in conn.execute(
                text(
                    "SELECT tabell, verksamhet, kolumn, rad, storhet, matt, resultatoverforing, kolumn_ar, "
                    "jamforelse_roll FROM v_ekonomicell"
                )
            )
        }
        deviations = conn.execute(text("SELECT count(*) FROM avvikelse WHERE typ = 'ekonomi'")).scalar_one()
        indicator_deviations = conn.execute(text("SELECT count(*) FROM avvikelse WHERE typ = 'indikator'")).scalar_one()
    assert stored == exported
    assert cells == {
        (c["tabell"], c["rad_namn"], c["kolumn"], c["rad"]): (
            c["storhet"],
            c["matt"],
            c["resultatoverforing"],
            c["kolumn_ar"],
            c["jamforelse_roll"],
        )
        for c in doc["ekonomi"]
    }
    assert deviations == len(doc["ekonomiavvikelser"])
    assert indicator_deviations == sum(r["avvikelse"] for r in doc["indikatorer"])


_DERIVED = {
    "indicators": "SELECT nyckel, namn, niva, riktning, riktning_grund FROM indikator ORDER BY nyckel",
    "verdicts": "SELECT rad, riktning, arsmal_uppnatt, arsmal_uppnatt_grund, osaker FROM indikatorrad ORDER BY id",
    "rows": "SELECT r.rad, i.nyckel FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id ORDER BY r.id",
    "aliases": "SELECT rapport_id, namn, grund, rad FROM indikatoralias ORDER BY rapport_id, namn",
    "deviations": "SELECT typ, rad, forklaring FROM avvikelse ORDER BY typ, rad",
    "cells": "SELECT id, storhet, matt, resultatoverforing, kolumn_ar, jamforelse_roll FROM ekonomicell ORDER BY id",
}


def _derived(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in _DERIVED.items()}


def test_db_rederive_restores_what_loading_derived_and_changes_nothing_else(engine: Engine, database_url) -> None:
    load_paths(engine, [VP_RINKEBY, T1_RINKEBY, VB_NORRMALM])
    loaded = _derived(engine)
    assert loaded["deviations"] and loaded["aliases"] and any(v[2] is False for v in loaded["verdicts"])
    # Damage every derived column the way an older version of the rules would have left them.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE indikatorrad SET arsmal_uppnatt = NULL, arsmal_uppnatt_grund = NULL, riktning = NULL")
        )
        conn.execute(text("UPDATE ekonomicell SET storhet = 'ovrigt', matt = NULL, jamforelse_roll = NULL"))
        conn.execute(text("DELETE FROM avvikelse WHERE typ IN ('indikator', 'ekonomi')"))
        conn.execute(text("DELETE FROM indikatoralias"))
    assert _derived(engine) != loaded
    result = CliRunner().invoke(main, ["--database-url", database_url, "db", "rederive"])
    assert result.exit_code == 0, result.output
    assert _derived(engine) == loaded
    # Again: nothing changes.
    assert CliRunner().invoke(main, ["--database-url", database_url, "db", "rederive"]).exit_code == 0
    assert _derived(engine) == loaded
