"""Saved queries, search, the `malbas query` CLI and the ORM, against a real PostgreSQL holding the 4 samples.

Expected values are read by hand from the report text (line numbers below are 1-based lines of the samples).
The samples are loaded once for this module; tables are emptied when the module is done.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from malbas import models, queries
from malbas.cli import main
from malbas.etl.load.runner import load_paths
from malbas.models import Aktivitet, Indikator, Indikatorrad, Mal, Namnd, Rapport, Utfall
from tests.conftest import ALL_SAMPLES

RINKEBY, HASSELBY, NORRMALM = "Rinkeby-Kista", "Hässelby-Vällingby", "Norrmalm"
BISTAND = "ekonomiskt bistånd"
PERSONER = "Andel personer som har ekonomiskt bistånd i förhållande till befolkningen"
BARN = "Andel barn som lever i familjer som har ekonomiskt bistånd"
HBTQ = "Utveckla och följa upp den nya mötesplatsen för hbtq-personer"
INJECTION = "x'; DROP TABLE namnd; --"


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def db(session_engine: Engine) -> Iterator[Engine]:
    """The session database with the 4 samples loaded (once for the module)."""
    _truncate(session_engine)
    results = load_paths(session_engine, ALL_SAMPLES)
    assert [r.status for r in results] == ["loaded"] * 4, [r.line() for r in results]
    yield session_engine
    _truncate(session_engine)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _flag(value: object) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def _row(frame: pd.DataFrame, namnd: str, rapporttyp: str, indikator: str) -> pd.Series:
    hits = frame[(frame.namnd == namnd) & (frame.rapporttyp == rapporttyp) & (frame.indikator == indikator)]
    assert len(hits) == 1, f"{namnd} {rapporttyp} {indikator}: {len(hits)} rows"
    return hits.iloc[0]


# --- every saved query -------------------------------------------------------------------------------------

REQUIRED = {"indikator": BISTAND, "namnd": "rinkeby", "ar": "2020", "rapporttyp": "VB"}


def test_catalogue_lists_the_saved_queries() -> None:
    assert set(queries.catalogue()) == {
        "aktiviteter_med_avvikelse",
        "budgetavvikelse",
        "indikator_jamforelse",
        "indikator_over_tid",
        "indikator_per_namnd",
        "indikatoralias",
        "indikatorer",
        "konsskillnader",
        "malbedomningar",
        "maluppfyllelse_per_namnd",
        "prognostraffsakerhet",
    }
    for q in queries.catalogue().values():
        assert q.description, q.name


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_every_saved_query_runs_with_its_required_params(db: Engine, name: str) -> None:
    query = queries.catalogue()[name]
    params = {p.name: REQUIRED[p.name] for p in query.params if p.required}
    frame = queries.run(name, engine=db, **params)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame.columns) >= 3
    if name == "prognostraffsakerhet":
        # No district has both a T1/T2 forecast and the VB outcome of the same year among the samples
        # (Rinkeby-Kista T1+VP 2020, Hässelby-Vällingby VB 2020, Norrmalm VB 2021).
        assert frame.empty
    else:
        assert not frame.empty, name


def test_indikator_over_tid_follows_one_district_through_the_year(db: Engine) -> None:
    frame = queries.run("indikator_over_tid", engine=db, namnd="rinkeby", indikator=PERSONER)
    assert set(frame.namnd) == {RINKEBY}
    assert list(frame.rapporttyp) == ["VP", "T1"]  # ordered by period: plan before tertial
    vp, t1 = frame.iloc[0], frame.iloc[1]
    assert _num(vp.utfall) is None and _num(vp.arsmal) == pytest.approx(4.5)  # 003 line 357: 4,5 %  1,5 %
    assert _num(vp.kf_arsmal) == pytest.approx(1.5)
    assert _num(t1.utfall) == pytest.approx(4.35)  # 000 line 263


# --- indikator_per_namnd: "ekonomiskt bistånd" checked against the report text -------------------------------


def test_indikator_per_namnd_ekonomiskt_bistand(db: Engine) -> None:
    frame = queries.run("indikator_per_namnd", engine=db, indikator=BISTAND)
    assert "namnd" in frame.columns
    assert set(frame.namnd) == {RINKEBY, HASSELBY, NORRMALM}

    # 000 lines 258-270 (T1 2020): utfall 4,35 %, män 3,68 %, kvinnor 4,88 %, VB 2019 4,42 %, prognos 4,5 %,
    # årsmål 4,5 %, KF:s årsmål 1,5 %.
    r = _row(frame, RINKEBY, "T1", PERSONER)
    assert (r.ar, _num(r.utfall), _num(r.utfall_man), _num(r.utfall_kvinnor)) == (2020, 4.35, 3.68, 4.88)
    assert (_num(r.foregaende_utfall), _num(r.prognos), _num(r.arsmal), _num(r.kf_arsmal)) == (4.42, 4.5, 4.5, 1.5)
    assert _flag(r.arsmal_uppnatt) is True  # a lower share is better: 4,35 <= 4,5

    # 001 line 258 (VB 2020): 3,1 % with the män/kvinnor cells empty, VB 2019 3,3 %, prognos 3,1 %, årsmål 3,2 %.
    r = _row(frame, HASSELBY, "VB", BARN)
    assert (r.ar, _num(r.utfall), _num(r.utfall_man), _num(r.utfall_kvinnor)) == (2020, 3.1, None, None)
    assert (_num(r.foregaende_utfall), _num(r.prognos), _num(r.arsmal), _num(r.kf_arsmal)) == (3.3, 3.1, 3.2, 2.7)
    assert _flag(r.arsmal_uppnatt) is True
    # 001 line 259: 2,22 % (män 2,2 %, kvinnor 2,23 %) against årsmål 2,15 %: not met.
    r = _row(frame, HASSELBY, "VB", PERSONER)
    assert (_num(r.utfall), _num(r.utfall_man), _num(r.utfall_kvinnor), _num(r.arsmal)) == (2.22, 2.2, 2.23, 2.15)
    assert _flag(r.arsmal_uppnatt) is False

    # 004 lines 335-339 (VB 2021): "1,3 %   1,3 % 0,8 % 2,7 %": utfall 1,3, empty män/kvinnor, VB 2020 1,3,
    # årsmål 0,8, KF 2,7. The Analys (line 342) says it "överstiger årsmålet".
    r = _row(frame, NORRMALM, "VB", BARN)
    assert (r.ar, _num(r.utfall), _num(r.utfall_man), _num(r.utfall_kvinnor)) == (2021, 1.3, None, None)
    assert (_num(r.foregaende_utfall), _num(r.arsmal), _num(r.kf_arsmal)) == (1.3, 0.8, 2.7)
    assert _flag(r.arsmal_uppnatt) is False
    # 004 line 355: 0,48 % 0,53 % 0,43 % 0,52 % 0,5 % 1,5 %.
    r = _row(frame, NORRMALM, "VB", PERSONER)
    assert (_num(r.utfall), _num(r.utfall_man), _num(r.utfall_kvinnor)) == (0.48, 0.53, 0.43)
    assert (_num(r.foregaende_utfall), _num(r.arsmal), _num(r.kf_arsmal)) == (0.52, 0.5, 1.5)


def test_indikator_per_namnd_filters_year_and_kind(db: Engine) -> None:
    frame = queries.run("indikator_per_namnd", engine=db, indikator=BISTAND, ar=2021)
    assert set(frame.namnd) == {NORRMALM} and set(frame.ar) == {2021}
    frame = queries.run("indikator_per_namnd", engine=db, indikator=BISTAND, rapporttyp="vp")  # case-insensitive
    assert set(frame.namnd) == {RINKEBY} and set(frame.rapporttyp) == {"VP"}


# --- malbedomningar ----------------------------------------------------------------------------------------


def test_malbedomningar_counts_delvis_per_district(db: Engine) -> None:
    frame = queries.run("malbedomningar", engine=db)
    assert set(frame.bedomning.dropna()) <= {"helt", "delvis", "inte"}
    goals = frame[frame.niva.isin(["verksamhetsomradesmal", "namndmal"])]
    delvis = goals[goals.bedomning == "delvis"].groupby(["namnd", "rapporttyp"]).size().to_dict()
    # "Uppfylls delvis" marker lines of KF and nämnd goals: 000 lines 593, 769, 970; 004 lines 637, 1013;
    # 001: 326 394 494 865 1103 1264 1391 1431 1486 1668 1751 1948 2080 2169 2490; the VP 003 assesses nothing.
    assert delvis == {(RINKEBY, "T1"): 3, (NORRMALM, "VB"): 2, (HASSELBY, "VB"): 15}


def test_malbedomningar_inriktningsmal_verdict_from_prose(db: Engine) -> None:
    frame = queries.run("malbedomningar", engine=db, niva="inriktningsmal", ar=2020, rapporttyp="VB")
    # 001 has no verdict line for inriktningsmål, only prose: line 142 "bidrar delvis till att uppfylla",
    # 1780 "inriktningsmålet uppfylls helt", 2242 "inriktningsmålet nås helt".
    assert list(zip(frame.nummer, frame.bedomning, strict=True)) == [("1", "delvis"), ("2", "helt"), ("3", "helt")]


def test_malbedomningar_filters_level(db: Engine) -> None:
    frame = queries.run("malbedomningar", engine=db, niva="verksamhetsomradesmal", rapporttyp="VB", ar=2021)
    assert set(frame.niva) == {"verksamhetsomradesmal"} and set(frame.namnd) == {NORRMALM}
    # 004 line 212: "KF:s mål för verksamhetsområdet: 1.1 I Stockholm är människor …", line 215 " Uppfylls helt".
    first = frame.iloc[0]
    assert (first.nummer, first.bedomning, first.rad) == ("1.1", "helt", 212)


# --- aktiviteter_med_avvikelse -----------------------------------------------------------------------------


def test_aktiviteter_med_avvikelse_has_the_hbtq_meeting_place(db: Engine) -> None:
    frame = queries.run("aktiviteter_med_avvikelse", engine=db)
    hits = frame[frame.aktivitet.str.startswith(HBTQ)]
    assert len(hits) == 1
    row = hits.iloc[0]
    # 000 line 3571: "Utveckla och följa upp … 2020-01-01 2020-12-31 Avvikelse", Analys on lines 3573-3575.
    assert (row.namnd, row.ar, row.rapporttyp, row.rad) == (RINKEBY, 2020, "T1", 3571)
    assert (row.startdatum, row.slutdatum) == (pd.Timestamp(2020, 1, 1), pd.Timestamp(2020, 12, 31))
    assert row.forklaring.startswith("Uppstart, planering och utveckling av mötesplatsens innehåll pågår.")
    assert "Öppnandet av mötesplatsen beräknas ske i augusti." in row.forklaring


def test_aktiviteter_med_avvikelse_filters_district(db: Engine) -> None:
    frame = queries.run("aktiviteter_med_avvikelse", engine=db, namnd="RINKEBY")
    assert not frame.empty and set(frame.namnd) == {RINKEBY}
    assert queries.run("aktiviteter_med_avvikelse", engine=db, namnd="no such district").empty


# --- errors and injection ----------------------------------------------------------------------------------


def test_unknown_query_name_is_a_query_error(db: Engine) -> None:
    with pytest.raises(queries.QueryError, match="unknown query"):
        queries.run("no_such_query", engine=db)
    with pytest.raises(queries.QueryError, match="unknown query"):
        queries.run("../migrations/env", engine=db)  # names are never paths


def test_missing_or_unknown_parameter_is_a_query_error(db: Engine) -> None:
    with pytest.raises(queries.QueryError, match="needs parameter indikator"):
        queries.run("indikator_per_namnd", engine=db)
    with pytest.raises(queries.QueryError, match="needs parameter indikator"):
        queries.run("indikator_per_namnd", engine=db, indikator="")
    with pytest.raises(queries.QueryError, match="no parameter"):
        queries.run("malbedomningar", engine=db, bogus="1")


def test_sql_in_a_parameter_is_bound_not_executed(db: Engine) -> None:
    assert queries.run("indikator_per_namnd", engine=db, indikator=INJECTION).empty
    assert queries.run("aktiviteter_med_avvikelse", engine=db, namnd=INJECTION).empty
    assert queries.search(db, INJECTION).empty
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Namnd)).scalar_one() == 3


# --- search ------------------------------------------------------------------------------------------------


def test_search_finds_ekonomiskt_bistand_in_all_districts(db: Engine) -> None:
    frame = queries.search(db, BISTAND, limit=200)
    assert {"namnd", "period", "rad", "var", "utdrag"} <= set(frame.columns)
    assert set(frame.namnd) == {
        "Rinkeby-Kista stadsdelsnämnd",
        "Hässelby-Vällingby stadsdelsnämnd",
        "Norrmalms stadsdelsnämnd",
    }
    assert (frame.rad > 0).all()
    assert frame.iloc[0].utdrag.count("«") >= 2  # the best hit has both words highlighted
    assert frame["rank"].is_monotonic_decreasing


def _hits(db: Engine, words: str) -> set[tuple[str, str, str, int]]:
    frame = queries.search(db, words, limit=1000)
    return {(r.namnd, r.period, r.var, r.rad) for r in frame.itertuples()}


def test_search_stems_words_and_keeps_phrases_and_exclusions(db: Engine) -> None:
    both = _hits(db, BISTAND)
    # Stemmed: another inflection of the same words finds the same paragraphs.
    assert _hits(db, "ekonomiska bistånd") == both
    # A phrase needs the words next to each other and in order: the same words reversed find fewer paragraphs
    # as a phrase, the same paragraphs without quotes.
    phrase = _hits(db, f'"{BISTAND}"')
    assert phrase and phrase <= both
    assert len(_hits(db, '"bistånd ekonomiskt"')) < len(phrase)
    assert _hits(db, "bistånd ekonomiskt") == both
    # -word leaves out the paragraphs that hold it.
    without = _hits(db, f"{BISTAND} -barn")
    assert without and without < both
    assert not without & _hits(db, f"{BISTAND} barn")


def test_search_ranks_a_capped_set_of_the_newest_matches_and_excerpts_every_hit(db: Engine) -> None:
    capped = queries.search(db, BISTAND, limit=100, settings=queries.SearchSettings(candidates=1))
    assert 1 <= len(capped) <= 4  # one candidate of each kind of text
    every = queries.search(db, BISTAND, limit=1000)
    assert len(every) > 4
    # each excerpt is chosen from around the words found, so each shows one of them highlighted
    assert all("«" in excerpt for excerpt in every.utdrag)


def test_search_finds_a_deviation_explanation(db: Engine) -> None:
    frame = queries.search(db, "mötesplatslokalen försenats")
    hits = frame[frame["var"] == "avvikelse (aktivitet)"]
    assert not hits.empty
    assert set(hits.namnd) == {"Rinkeby-Kista stadsdelsnämnd"}
    assert 3571 <= hits.iloc[0].rad <= 3575  # the activity row or its Analys (000 lines 3571-3575)


# --- CLI ---------------------------------------------------------------------------------------------------


def _cli(database_url: str, *args: str):  # noqa: ANN202 - click's Result
    return CliRunner().invoke(main, ["--database-url", database_url, *args], catch_exceptions=False)


def test_cli_query_list(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "--list")
    assert result.exit_code == 0
    for name in queries.catalogue():
        assert name in result.stdout
    assert "-p indikator=" in result.stdout


def test_cli_query_csv_and_json(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "--format", "csv")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(StringIO(result.stdout))
    assert set(frame.namnd) == {RINKEBY, HASSELBY, NORRMALM}
    t1 = frame[frame.rapporttyp == "T1"].iloc[0]
    assert (t1.utfall, t1.utfall_kvinnor, t1.utfall_man) == (4.35, 4.88, 3.68)

    result = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    norrmalm = [r for r in rows if r["namnd"] == NORRMALM]
    assert len(norrmalm) == 1 and float(norrmalm[0]["utfall"]) == 0.48


def test_cli_query_xlsx_is_readable(db: Engine, database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "bistand.xlsx"
    result = _cli(
        database_url, "query", "indikator_per_namnd", "-p", f"indikator={BISTAND}", "--format", "xlsx", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(out)
    assert set(frame.namnd) == {RINKEBY, HASSELBY, NORRMALM}
    assert "utfall_kvinnor" in frame.columns


def test_cli_query_errors_are_one_line(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "indikator_per_namnd")
    assert result.exit_code == 1
    assert "needs parameter indikator" in result.stderr
    result = _cli(database_url, "query", "indikator_per_namnd", "-p", "indikator")
    assert result.exit_code == 1 and "KEY=VALUE" in result.stderr


# --- ORM ---------------------------------------------------------------------------------------------------


def test_orm_down_from_namnd_to_utfall(db: Engine) -> None:
    with Session(db) as session:
        norrmalm = session.scalars(select(Namnd).where(Namnd.kortnamn == NORRMALM)).one()
        assert (norrmalm.namn, norrmalm.typ) == ("Norrmalms stadsdelsnämnd", "stadsdelsnamnd")
        [rapport] = norrmalm.rapporter
        assert (rapport.period.ar, rapport.period.rapporttyp, rapport.textform) == (2021, "VB", "layout")
        assert rapport in rapport.period.rapporter
        # 004 line 212: KF:s mål för verksamhetsområdet 1.1, under inriktningsmål 1 (line 114).
        goal = next(m for m in rapport.mal if m.nummer == "1.1")
        assert goal.niva == "verksamhetsomradesmal" and goal.overordnat is not None
        assert goal.overordnat.nummer == "1" and goal in goal.overordnat.undermal
        rad = next(r for r in goal.indikatorrader if r.namn == PERSONER)
        assert rad.kf_indikator
        assert {u.kon: u.varde for u in rad.utfall} == {
            "totalt": Decimal("0.48"),
            "man": Decimal("0.53"),
            "kvinnor": Decimal("0.43"),
        }
        # Nämndmål 1.1.1 (line 490) hangs under 1.1.
        assert "1.1.1" in {m.nummer for m in goal.undermal}


def test_orm_up_from_utfall_to_namnd(db: Engine) -> None:
    with Session(db) as session:
        stmt = (
            select(Utfall)
            .join(Utfall.indikatorrad)
            .join(Indikatorrad.rapport)
            .where(Indikatorrad.namn == PERSONER, Utfall.kon == "man")
            .order_by(Rapport.kalla)
        )
        found = [
            (u.varde, u.indikatorrad.rapport.namnd.kortnamn, u.indikatorrad.rapport.period.rapporttyp)
            for u in session.scalars(stmt)
        ]
        assert found == [
            (Decimal("3.68"), RINKEBY, "T1"),  # 000
            (Decimal("2.2"), HASSELBY, "VB"),  # 001
            (Decimal("0.53"), NORRMALM, "VB"),  # 004
        ]
        u = session.scalars(stmt).first()
        assert u is not None and u in u.indikatorrad.utfall
        assert u.indikator is u.indikatorrad.indikator
        assert u.indikatorrad in u.indikator.rader
        assert u.indikatorrad.mal is not None and u.indikatorrad in u.indikatorrad.mal.indikatorrader


def test_orm_activity_and_its_deviation(db: Engine) -> None:
    with Session(db) as session:
        # The plan 003 (line 1270) lists the same activity without a deviation; the T1 000 flags it (line 3571).
        acts = session.scalars(select(Aktivitet).where(Aktivitet.namn == HBTQ).order_by(Aktivitet.rad)).all()
        assert [(a.rapport.period.rapporttyp, a.rad, a.avvikelse) for a in acts] == [
            ("VP", 1270, False),
            ("T1", 3571, True),
        ]
        act = acts[1]
        assert acts[0].avvikelser == []
        [dev] = act.avvikelser
        assert dev.typ == "aktivitet" and dev.aktivitet is act and dev in dev.rapport.avvikelser
        assert act.rapport.namnd.kortnamn == RINKEBY
        assert act in act.rapport.aktiviteter
        assert act.mal is not None and act in act.mal.aktiviteter


def test_orm_indicator_is_shared_across_reports(db: Engine) -> None:
    with Session(db) as session:
        ind = session.scalars(select(Indikator).where(Indikator.namn == PERSONER)).one()
        assert ind.niva == "KF" and ind.riktning == "lagre"
        districts = {r.rapport.namnd.kortnamn for r in ind.rader}
        assert districts == {RINKEBY, HASSELBY, NORRMALM}
        assert len(ind.rader) == 4  # 000, 001, 003 (plan: targets only), 004
        assert all(isinstance(m, Mal) for r in ind.rader for m in [r.mal] if m is not None)


# --- typed results, outputs, pivot, views (issue 12) -------------------------------------------------------


def test_results_are_typed_so_describe_and_plot_work_without_casts(db: Engine) -> None:
    frame = queries.run("indikator_per_namnd", engine=db, indikator=BISTAND)
    assert str(frame.utfall.dtype) == "Float64" and str(frame.arsmal.dtype) == "Float64"
    assert str(frame.ar.dtype) == "Int64" and str(frame.arsmal_uppnatt.dtype) == "boolean"
    summary = frame[["utfall", "arsmal"]].describe()
    assert summary.loc["count", "utfall"] >= 5
    import matplotlib

    matplotlib.use("Agg")
    axes = frame.pivot_table(index="namnd", columns="rapporttyp", values="utfall", aggfunc="mean").plot.bar()
    assert axes.get_ylabel() == "" and len(axes.patches) > 0
    acts = queries.run("aktiviteter_med_avvikelse", engine=db)
    assert pd.api.types.is_datetime64_any_dtype(acts.startdatum.dtype)


def test_json_output_has_numbers_and_iso_dates(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "aktiviteter_med_avvikelse", "-p", "namnd=rinkeby", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = [r for r in json.loads(result.stdout) if r["aktivitet"].startswith(HBTQ)]
    assert (row["startdatum"], row["slutdatum"], row["ar"], row["rad"]) == ("2020-01-01", "2020-12-31", 2020, 3571)
    result = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "--format", "json")
    norrmalm = [r for r in json.loads(result.stdout) if r["namnd"] == NORRMALM]
    assert norrmalm[0]["utfall"] == 0.48 and norrmalm[0]["arsmal_uppnatt"] is True  # 004 l.355: 0,48 % vs 0,5 %


def test_output_file_format_follows_its_extension(db: Engine, database_url: str, tmp_path: Path) -> None:
    for name in ("rader.csv", "rader.json", "rader.xlsx"):
        out = tmp_path / name
        result = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "-o", str(out))
        assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "rader.csv").utfall.notna().any()
    assert json.loads((tmp_path / "rader.json").read_text())[0]["namnd"]
    assert set(pd.read_excel(tmp_path / "rader.xlsx").namnd) == {RINKEBY, HASSELBY, NORRMALM}
    result = _cli(database_url, "query", "malbedomningar", "-o", str(tmp_path / "x.json"), "--format", "csv")
    assert result.exit_code == 1 and "extension says json but --format says csv" in result.stderr
    assert not (tmp_path / "x.json").exists()
    result = _cli(database_url, "query", "malbedomningar", "-o", str(tmp_path / "x.txt"))
    assert result.exit_code == 1 and "cannot tell the format" in result.stderr


def test_pivot_one_row_per_indicator_one_column_per_district(db: Engine, database_url: str, tmp_path: Path) -> None:
    frame = queries.run("indikator_jamforelse", engine=db, ar=2020, rapporttyp="VB", kf_indikator="ja")
    wide = queries.pivot(frame, queries.get("indikator_jamforelse"))
    assert list(wide.columns) == ["indikator", HASSELBY]
    row = wide[wide.indikator == PERSONER].iloc[0]
    assert row[HASSELBY] == pytest.approx(2.22)  # 001 l.259
    out = tmp_path / "jamforelse.xlsx"
    result = _cli(
        database_url, "query", "indikator_jamforelse", "-p", "ar=2020", "-p", "rapporttyp=VB", "--pivot", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "indikator" and HASSELBY in header
    column = get_column_letter(header.index(HASSELBY) + 1)
    values = [c for c in sheet[column][1:] if c.value is not None]
    assert values and all(c.number_format == "#,##0.0#" for c in values)
    result = _cli(database_url, "query", "malbedomningar", "--pivot")
    assert result.exit_code == 1 and "has no pivot" in result.stderr


def test_pivot_across_districts_compares_one_kf_indicator(db: Engine) -> None:
    # The KF indicator is one identity across its spellings, so every district that reports it has a column:
    # 001 l.1027 'socialpsykiatri' 96 %, 004 l.2217 'socialpsykiatrin' 90 % (both VB, different years).
    frames = [
        queries.run("indikator_jamforelse", engine=db, ar=ar, rapporttyp="VB", indikator="socialpsykiatri som inte")
        for ar in (2020, 2021)
    ]
    values = {(r.namnd, r.ar): r.varde for f in frames for r in f.itertuples()}
    assert values == {(HASSELBY, 2020): 96.0, (NORRMALM, 2021): 90.0}
    assert len({r.indikator_id for f in frames for r in f.itertuples()}) == 1


def test_kf_indikator_accepts_ja_and_nej(db: Engine) -> None:
    ja = queries.run("maluppfyllelse_per_namnd", engine=db, kf_indikator="ja")
    nej = queries.run("maluppfyllelse_per_namnd", engine=db, kf_indikator="nej")
    alla = queries.run("maluppfyllelse_per_namnd", engine=db)
    key = ["namnd", "ar", "rapporttyp"]
    both = ja.set_index(key).bedomda.add(nej.set_index(key).bedomda, fill_value=0)
    assert (both.sort_index() == alla.set_index(key).bedomda.sort_index()).all()
    with pytest.raises(queries.QueryError, match="kf_indikator must be one of"):
        queries.run("maluppfyllelse_per_namnd", engine=db, kf_indikator="kanske")


def test_an_empty_result_says_why(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "prognostraffsakerhet")
    assert result.exit_code == 0
    assert "no rows: needs a T1 or T2 and the VB of the same district and year" in result.stderr


def test_the_readme_psql_example_works_with_text_values(db: Engine, database_url: str) -> None:
    import shutil
    import subprocess

    from malbas import embedded

    psql = shutil.which("psql") or str(embedded.psql_path())
    sql = str(Path(queries.__file__).resolve().parent.parent / "queries" / "malbedomningar.sql")
    out = subprocess.run(
        [
            psql,
            database_url,
            "-X",
            "-A",
            "-F",
            "|",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            "ar=2020",
            "-v",
            "rapporttyp=VB",
            "-v",
            "niva=",
            "-f",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    rows = [line.split("|") for line in out.stdout.splitlines()[1:-1]]
    assert rows and {r[0] for r in rows} == {HASSELBY} and {r[2] for r in rows} == {"VB"}


def test_views_give_one_row_per_outcome_with_verdict_and_source(db: Engine) -> None:
    with db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT namnd, ar, rapporttyp, kon, varde, arsmal, arsmal_uppnatt, kalla, rad FROM v_indikatorutfall "
                "WHERE indikator = :i AND namnd = :n ORDER BY kon"
            ),
            {"i": PERSONER, "n": NORRMALM},
        ).all()
    # 004 l.355: 0,48 % (män 0,53 %, kvinnor 0,43 %) against årsmål 0,5 %.
    assert [(r.kon, float(r.varde)) for r in rows] == [("kvinnor", 0.43), ("man", 0.53), ("totalt", 0.48)]
    assert {(r.ar, r.rapporttyp, float(r.arsmal), r.arsmal_uppnatt, r.kalla) for r in rows} == {
        (2021, "VB", 0.5, True, "004_ef35c64e421e5e72.txt")
    }


def test_budgetavvikelse_compares_like_with_like(db: Engine) -> None:
    frame = queries.run("budgetavvikelse", engine=db)
    assert set(frame.rapporttyp) == {"T1", "VB"}  # a plan's Differens is no deviation

    def one(namnd: str, tabell: str, verksamhet: str) -> pd.Series:
        hits = frame[(frame.namnd == namnd) & (frame.tabell == tabell) & (frame.verksamhet == verksamhet)]
        assert len(hits) == 1, (tabell, verksamhet)
        return hits.iloc[0]

    # 001 l.2730 Förskoleverksamhet: budget netto 407,3, bokslut efter 407,3, avvikelse efter 0,0 (not före 403,0).
    r = one(HASSELBY, "Analys av resultaträkning - uppföljning av driftbudget (2)", "Förskoleverksamhet")
    assert (_num(r.budget), _num(r.prognos_eller_utfall), _num(r.avvikelse)) == (407.3, 407.3, 0.0)
    assert (r.matt, r.resultatoverforing, r.jamfort_med) == ("netto", "efter", "utfall")
    # 001 l.2752 Barn och ungdom: only gross Kostnader/Intäkter printed, so only the net deviation 18,4 is shown.
    r = one(HASSELBY, "Individ- och familjeomsorg", "Barn och ungdom")
    assert (_num(r.budget), _num(r.prognos_eller_utfall), _num(r.avvikelse), r.matt) == (None, None, 18.4, "netto")
    # 000 l.4509 Administration 29,7 18,6 11,1 (Budget 2020 Netto, Prognos 2020, Differens): a T1 forecast.
    r = one(RINKEBY, "Nämnd och förvaltningsadministration", "Administration")
    assert (_num(r.budget), _num(r.prognos_eller_utfall), _num(r.avvikelse), r.jamfort_med) == (
        29.7,
        18.6,
        11.1,
        "prognos",
    )
    # 004 l.5660 'Äldreomsorg 543,6 508,2 35,4 46,8': budget netto, utfall netto, avvikelse 2021 (not 2020's 46,8).
    r = one(NORRMALM, "Äldreomsorg", "Äldreomsorg")
    assert (_num(r.budget), _num(r.prognos_eller_utfall), _num(r.avvikelse)) == (543.6, 508.2, 35.4)
    # Rows that show all three agree with themselves: budget − compared = ±deviation (investments and income
    # rows count the other way), to rounding. The exceptions are the reports' own: 004 l.5505/5507 print
    # 'Bokslut efter' equal to the deviation (the format guide notes it), 004 l.5561/5563 disagree with table C.
    full = frame.dropna(subset=["budget", "prognos_eller_utfall", "avvikelse"])
    diff = full.budget - full.prognos_eller_utfall
    agrees = ((diff - full.avvikelse).abs() <= 0.15) | ((diff + full.avvikelse).abs() <= 0.15)
    assert set(full[~agrees].rad) == {5505, 5507, 5561, 5563}


def test_cli_indikatorer_alias_lists_the_merges(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "indikatorer", "--alias", "--format", "csv")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(StringIO(result.stdout))
    spellings = set(frame[frame.indikator == "Andel upphandlingar där marknadsdialog har genomförts"].stavning)
    assert spellings == {
        "Andel upphandlingar där marknaddialog har genomförts",  # 003 l.1431
        "Andel upphandlingar där marknadsdialog har genomförts",
    }
    assert set(frame.grund) <= {"namn", "referens", "alias", "stavning"}
    result = _cli(database_url, "indikatorer", "--kf", "--format", "csv")
    kf = pd.read_csv(StringIO(result.stdout))
    assert len(kf) == 87 and set(kf.niva) == {"KF"}  # every KF indicator of the samples once
