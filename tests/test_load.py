"""Loading against a real PostgreSQL: idempotence, atomic replacement, faults, history and the nightly lock."""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from malbas import models
from malbas.etl.load import writer
from malbas.etl.load.nightly import LockBusy, nightly_lock, run_nightly
from malbas.etl.load.runner import load_file, load_paths
from malbas.etl.parse.identity import Hints
from tests.conftest import ALL_SAMPLES, T1_RINKEBY, VB_HASSELBY, VB_NORRMALM

DATA_TABLES = [t for t in models.Base.metadata.sorted_tables if t.name != "laddning"]


def snapshot(engine) -> dict[str, int]:
    """Row counts of every data table plus a digest of the indicator values."""
    with engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in DATA_TABLES}
        counts["digest"] = conn.execute(
            text(
                "SELECT coalesce(md5(string_agg(namn || coalesce(arsmal::text, ''), ',' ORDER BY id)), '') FROM indikatorrad"
            )
        ).scalar_one()
    return counts


def utfall_of(engine, name_part: str, kon: str = "totalt") -> list[Decimal]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT u.varde FROM utfall u JOIN indikatorrad r ON r.id = u.indikatorrad_id "
                    "WHERE r.namn = :n AND u.kon = :k ORDER BY r.id"
                ),
                {"n": name_part, "k": kon},
            ).scalars()
        )


def corrected_copy(tmp_path, source, old: str, new: str):
    """A corrected version of a report: same nämnd and period, one value changed."""
    target = tmp_path / f"corrected_{source.name}"
    content = source.read_text(encoding="utf-8")
    assert content.count(old) == 1
    target.write_text(content.replace(old, new), encoding="utf-8")
    return target


BARN_EB = "Andel barn som lever i familjer som har ekonomiskt bistånd"
# 001 l.258: "  Andel barn som lever i familjer som har ekonomiskt bistånd\t3,1 %\t\t\t3,3 %\t3,1 %\t3,2 %\t2,7 %\tVB 2020"
LINE_258 = BARN_EB + "\t3,1 %\t\t\t3,3 %"


def test_load_all_samples_then_reload_changes_nothing(engine):
    first = load_paths(engine, ALL_SAMPLES)
    assert [r.status for r in first] == ["loaded"] * 4
    before = snapshot(engine)
    assert (
        before["rapport"] == 4 and before["namnd"] == 3 and before["period"] == 4
    )  # T1 2020, VB 2020, VP 2020, VB 2021
    again = load_paths(engine, ALL_SAMPLES)
    assert [r.status for r in again] == ["skipped"] * 4
    assert snapshot(engine) == before


def test_shared_dimensions_are_not_duplicated(engine):
    load_paths(engine, ALL_SAMPLES)
    with engine.connect() as conn:
        # The same KF indicator appears in all four reports but is one indikator row.
        n = conn.execute(
            text(
                "SELECT count(*) FROM indikator WHERE namn ILIKE 'Andel barn som lever i familjer som har ekonomiskt%'"
            )
        ).scalar_one()
        reports = conn.execute(
            text(
                "SELECT count(DISTINCT r.rapport_id) FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id "
                "WHERE i.namn ILIKE 'Andel barn som lever i familjer som har ekonomiskt%'"
            )
        ).scalar_one()
        rinkeby = conn.execute(text("SELECT count(*) FROM namnd WHERE kortnamn = 'Rinkeby-Kista'")).scalar_one()
    assert n == 1 and reports == 4 and rinkeby == 1


def test_corrected_report_replaces_the_old_one(engine, tmp_path):
    load_paths(engine, [VB_HASSELBY])
    assert utfall_of(engine, BARN_EB) == [Decimal("3.1")]
    before = snapshot(engine)
    fixed = corrected_copy(tmp_path, VB_HASSELBY, LINE_258, BARN_EB + "\t3,4 %\t\t\t3,3 %")
    [result] = load_paths(engine, [fixed])
    assert result.status == "replaced"
    assert utfall_of(engine, BARN_EB) == [Decimal("3.4")]
    after = snapshot(engine)
    assert after["rapport"] == 1
    same = {k for k in after if k not in ("digest", "avvikelse")}
    assert {k: after[k] for k in same} == {k: before[k] for k in same}
    # 3,4 % now misses the årsmål 3,2 % (lower is better) where 3,1 % met it: one more reported deviation.
    assert after["avvikelse"] == before["avvikelse"] + 1


def test_failure_in_the_middle_of_writing_leaves_the_database_as_it_was(engine, tmp_path, monkeypatch):
    load_paths(engine, [VB_HASSELBY, T1_RINKEBY])
    before = snapshot(engine)

    def explode(conn, *args, **kwargs):
        conn.execute(text("SELECT 1 / 0"))  # a real database error after goals and indicators were written

    monkeypatch.setattr(writer, "_write_activities", explode)
    fixed = corrected_copy(tmp_path, VB_HASSELBY, LINE_258, BARN_EB + "\t9,9 %\t\t\t3,3 %")
    results = load_paths(engine, [fixed, VB_NORRMALM])
    assert [r.status for r in results] == ["failed", "failed"]
    assert "division by zero" in results[0].fel
    assert snapshot(engine) == before
    assert utfall_of(engine, BARN_EB)[0] == Decimal("3.1")  # the old report is intact

    monkeypatch.undo()
    assert [r.status for r in load_paths(engine, [fixed, VB_NORRMALM])] == ["replaced", "loaded"]


def test_bad_file_among_good_ones(engine, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(T1_RINKEBY, inbox / "a.txt")
    (inbox / "b.txt").write_bytes(b"\x00\x01binary")
    (inbox / "c.txt").write_text("a shopping list\nmilk\n", encoding="utf-8")
    results = load_paths(engine, [inbox])
    assert [(r.status, r.fil.rsplit("/", 1)[-1]) for r in results] == [
        ("loaded", "a.txt"),
        ("failed", "b.txt"),
        ("failed", "c.txt"),
    ]
    assert "binary" in results[1].fel and "not a goal follow-up report" in results[2].fel


def test_laddning_tells_the_story(engine, tmp_path):
    run = uuid.uuid4()
    load_file(engine, T1_RINKEBY, run)
    load_file(engine, T1_RINKEBY, run)
    load_file(engine, tmp_path / "missing.txt", run)
    with engine.connect() as conn:
        rows = conn.execute(
            select(models.Laddning.status, models.Laddning.fel, models.Laddning.sha256, models.Laddning.antal)
            .where(models.Laddning.korning == run)
            .order_by(models.Laddning.id)
        ).all()
    assert [r.status for r in rows] == ["loaded", "skipped", "failed"]
    assert rows[0].sha256 == rows[1].sha256 and len(rows[0].sha256) == 64
    assert rows[0].antal["mal"] == 30 and rows[2].fel == "no such file"


def test_nightly_lock_is_exclusive(engine):
    with (
        nightly_lock(engine, wait_seconds=1),
        pytest.raises(LockBusy, match="another nightly load is running"),
        nightly_lock(engine, wait_seconds=0.3),
    ):
        pass
    with nightly_lock(engine, wait_seconds=0.3):  # released again
        pass


def test_two_overlapping_nightly_runs_never_interleave(engine, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for sample in ALL_SAMPLES:
        shutil.copy(sample, inbox / sample.name)
    spans: list[tuple[float, float, list[str]]] = []

    def run() -> None:
        start = time.monotonic()
        results = run_nightly(engine, inbox, wait_seconds=60)
        spans.append((start, time.monotonic(), [r.status for r in results]))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(s for _, _, s in spans)
    assert statuses == [["loaded"] * 4, ["skipped"] * 4]  # the second run saw the first one's complete work
    with engine.connect() as conn:
        runs = conn.execute(
            text("SELECT korning, min(startad), max(avslutad) FROM laddning GROUP BY korning ORDER BY 2")
        ).all()
    assert len(runs) == 2 and runs[0][2] <= runs[1][1]


def test_plan_evidence_annotates_uncertain_rows(engine):
    from tests.conftest import VP_RINKEBY

    load_paths(engine, [VP_RINKEBY, T1_RINKEBY])
    with engine.connect() as conn:
        osaker = dict(
            conn.execute(
                text(
                    "SELECT r.rad, r.osaker FROM indikatorrad r JOIN rapport ra ON ra.id = r.rapport_id "
                    "WHERE ra.kalla = :k AND r.osaker IS NOT NULL"
                ),
                {"k": T1_RINKEBY.name},
            ).all()
        )
    # T1 l.297-300 "1 320 1 100 1 100 st Tas fram av nämnd": the VP (l.360) plans årsmål 1 100 st
    assert osaker[297].endswith("the plan (VP) gives the same targets")


def test_plan_evidence_is_a_pure_annotation():
    from malbas.etl.enrich.plan_evidence import apply_plan_evidence
    from malbas.etl.parse.records import IndicatorRow

    rows = [
        IndicatorRow(namn="A", rad=1, arsmal=5.0, osaker="tvetydig"),
        IndicatorRow(namn="B", rad=2, arsmal=5.0, kf_arsmal=7.0, osaker="tvetydig"),
        IndicatorRow(namn="C", rad=3, arsmal=5.0),
    ]
    plan = {"a": (5.0, None), "b": (6.0, 7.0), "c": (1.0, None)}
    assert apply_plan_evidence(rows, plan, str.lower) == 1
    assert rows[0].osaker == "tvetydig; the plan (VP) gives the same targets"
    assert rows[1].osaker == "tvetydig; the plan (VP) gives the targets 6, 7"
    assert rows[2].osaker is None and rows[2].arsmal == 5.0


def test_a_newer_parser_rereads_unchanged_files(engine, monkeypatch):
    from malbas.etl.load import runner

    load_paths(engine, [VB_NORRMALM])
    before = snapshot(engine)
    monkeypatch.setattr(runner, "PARSER_VERSION", "99.0")
    [result] = load_paths(engine, [VB_NORRMALM])
    assert result.status == "replaced"
    assert snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT parser_version FROM rapport")).scalar_one() == "99.0"
    [again] = load_paths(engine, [VB_NORRMALM])
    assert again.status == "skipped"


def test_statistics_are_refreshed_only_after_writes(engine):
    from malbas.etl.load.maintenance import vacuum_analyze_after

    results = load_paths(engine, [VB_NORRMALM])
    assert vacuum_analyze_after(engine, results) is True
    with engine.connect() as conn:
        analyzed = conn.execute(text("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL"))
        # every table the load wrote, the searched texts and the indicator lookups among them
        assert {"utfall", "maltext", "textavsnitt", "indikator", "indikatoralias"} <= set(analyzed.scalars())
    assert vacuum_analyze_after(engine, load_paths(engine, [VB_NORRMALM])) is False  # skipped: nothing written


def test_indicators_off_target_are_deviations(engine):
    load_paths(engine, [VB_NORRMALM])
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.rad, r.namn, av.forklaring FROM avvikelse av JOIN indikatorrad r ON r.id = av.indikatorrad_id "
                "WHERE av.typ = 'indikator' ORDER BY r.rad"
            )
        ).all()
    by_line = {r.rad: r for r in rows}
    # 004 l.335-339: "Andel barn som lever i familjer som har ekonomiskt bistånd" 1,3 % against årsmål 0,8 %:
    # lower is better, so the VB outcome misses its target; its Analys explains why.
    assert 335 in by_line and by_line[335].forklaring
    # 004 l.611: 100 % against årsmål 100 % is met, so no deviation.
    assert 611 not in by_line


def test_misses_target_uses_forecast_before_year_end():
    from malbas.etl.enrich.verdicts import misses_target
    from malbas.etl.parse.records import IndicatorRow

    row = IndicatorRow(namn="Andel nöjda brukare", rad=1, utfall=50.0, prognos=90.0, arsmal=85.0)
    assert not misses_target(row, "T1")  # the forecast meets the target
    assert misses_target(row, "VB")  # the outcome does not
    lower = IndicatorRow(namn="Sjukfrånvaro", rad=2, utfall=7.0, arsmal=6.0)
    assert misses_target(lower, "VB")


def test_spelling_variants_of_a_committee_are_one_namnd(engine, tmp_path):
    variant = tmp_path / "variant.txt"
    # The same district written without the genitive s, as some extractions do.
    variant.write_text(
        VB_NORRMALM.read_text(encoding="utf-8").replace("Norrmalms stadsdelsnämnd", "Norrmalm stadsdelsnämnd")
    )
    load_paths(engine, [VB_NORRMALM])
    [result] = load_paths(engine, [variant])
    assert result.status == "replaced"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM namnd")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM rapport")).scalar_one() == 1


def test_economy_columns_keep_their_order_and_deviations(engine):
    load_paths(engine, [VB_NORRMALM])
    with engine.connect() as conn:
        # 004 l.5637: "Förskoleverksamhet 283,6 283,6 0 0,5" under "Budget netto | Utfall netto | Avvikelse
        # Bokslut 2021 | Avvikelse Bokslut 2020"
        cells = conn.execute(
            text(
                "SELECT c.kolumn_nr, c.varde FROM ekonomicell c JOIN ekonomirad r ON r.id = c.ekonomirad_id "
                "WHERE c.rad = 5637 ORDER BY c.kolumn_nr"
            )
        ).all()
        assert [(n, float(v)) for n, v in cells] == [(1, 283.6), (2, 283.6), (3, 0.0), (4, 0.5)]
        # 004 l.5390-5392 "Kostnader … 17,7 …": the 2021 deviation is reported, so the row is a deviation
        kostnader = conn.execute(
            text(
                "SELECT count(*) FROM avvikelse a JOIN ekonomirad r ON r.id = a.ekonomirad_id "
                "WHERE a.typ = 'ekonomi' AND r.namn = 'Kostnader'"
            )
        ).scalar_one()
        assert kostnader >= 1


def test_old_and_corrected_versions_in_one_inbox_do_not_flip_flop(engine, tmp_path):
    import os

    inbox = tmp_path / "inbox" / "2020"  # subfolders are read too
    inbox.mkdir(parents=True)
    old = inbox / "z_old.txt"
    old.write_text(VB_HASSELBY.read_text(encoding="utf-8"), encoding="utf-8")
    new = corrected_copy(tmp_path, VB_HASSELBY, LINE_258, BARN_EB + "\t3,4 %\t\t\t3,3 %")
    new = new.rename(inbox / "a_new.txt")
    os.utime(old, ns=(1_000_000_000, 1_000_000_000))  # the old version is the older file
    first = load_paths(engine, [tmp_path / "inbox"])
    assert [(r.fil.rsplit("/", 1)[-1], r.status) for r in first] == [("z_old.txt", "loaded"), ("a_new.txt", "replaced")]
    second = load_paths(engine, [tmp_path / "inbox"])
    assert [r.status for r in second] == ["skipped", "skipped"]
    assert "older version" in second[0].line()
    assert utfall_of(engine, BARN_EB) == [Decimal("3.4")]


def test_an_older_parser_does_not_overwrite_a_newer_ones_rows(engine, monkeypatch):
    from malbas.etl.load import runner

    load_paths(engine, [VB_NORRMALM])
    monkeypatch.setattr(runner, "PARSER_VERSION", "0.9")
    assert [r.status for r in load_paths(engine, [VB_NORRMALM])] == ["skipped"]


def test_a_plan_reports_no_economy_deviations(engine):
    from tests.conftest import VP_RINKEBY

    load_paths(engine, [VP_RINKEBY])
    with engine.connect() as conn:
        # 003 l.1659-1662 "Differens" compares Budget 2020 with Budget 2019: a plan, not a deviation
        assert conn.execute(text("SELECT count(*) FROM avvikelse WHERE typ = 'ekonomi'")).scalar_one() == 0


def test_coverage_is_stored_and_a_low_one_is_warned(engine, tmp_path):
    # 004 without its indicator header lines ("Periodens utfall …"): its tables go unread
    headless = tmp_path / "headless.txt"
    headless.write_text(re.sub(r"(?m)^.*Periodens.*\n", "", VB_NORRMALM.read_text(encoding="utf-8")), encoding="utf-8")
    # 000 l.2854 '16 3 2 0 1', the last row of a survey table of five columns, with one count gone: which
    # column is empty cannot be known, so the row's four numbers are not read (one note, on their line)
    gap = corrected_copy(tmp_path, T1_RINKEBY, "16 3 2 0 1", "16 3 2 0")
    results = {Path(r.fil).name: r for r in load_paths(engine, [gap, VB_HASSELBY, headless])}
    assert (
        results[gap.name]
        .line()
        .endswith(" — coverage 99.8%, 1 numbers in tables not read (datakvalitet typ ej_redovisat)")
    )
    assert "coverage" not in results[VB_HASSELBY.name].line()
    assert " — warning: coverage " in results["headless.txt"].line()
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT kalla, tackning FROM rapport")).all())
    assert stored[gap.name] == round(Decimal(2210) / Decimal(2214), 4)  # 2214 numbers, 4 of them not read
    assert stored[VB_HASSELBY.name] == Decimal("1.0000")
    assert stored["headless.txt"] < Decimal("0.95")


def test_load_takes_the_identity_the_text_does_not_give(engine, tmp_path):
    nameless = tmp_path / "nameless.txt"
    nameless.write_text(
        re.sub(r"Norrmalms? stadsdels", "vår stadsdels", VB_NORRMALM.read_text(encoding="utf-8")), encoding="utf-8"
    )
    [result] = load_paths(engine, [nameless], hints=Hints(namnd="Norrmalms stadsdelsnämnd"))
    assert result.status == "loaded", result.line()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n.namn FROM rapport r JOIN namnd n ON n.id = r.namnd_id")).scalar_one() == (
            "Norrmalms stadsdelsnämnd"
        )
