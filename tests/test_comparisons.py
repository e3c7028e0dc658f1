"""Comparisons across districts that hold, against the four samples: one period per comparison or the period
marked, every verdict beside its reason, and the demo saying what it compares.

Samples: Rinkeby-Kista VP 2020 (003) and T1 2020 (000), Hässelby-Vällingby VB 2020 (001), Norrmalm VB 2021 (004).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from malbas import models, queries
from malbas.cli import main
from malbas.etl.load.runner import load_paths
from tests.conftest import ALL_SAMPLES

RINKEBY, HASSELBY, NORRMALM = "Rinkeby-Kista", "Hässelby-Vällingby", "Norrmalm"
PERSONER = "Andel personer som har ekonomiskt bistånd i förhållande till befolkningen"
# Every required parameter a saved query takes, with a value the samples answer.
REQUIRED = {"indikator": "ekonomiskt bistånd", "namnd": "rinkeby", "ar": "2020", "rapporttyp": "VB"}
# The one query that follows a district over time rather than setting districts side by side.
OVER_TIME = "indikator_over_tid"


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def db(session_engine: Engine) -> Iterator[Engine]:
    _truncate(session_engine)
    assert [r.status for r in load_paths(session_engine, ALL_SAMPLES)] == ["loaded"] * 4
    yield session_engine
    _truncate(session_engine)


def _run(name: str, db: Engine, **params: str) -> pd.DataFrame:
    query = queries.get(name)
    required = {p.name: REQUIRED[p.name] for p in query.params if p.required}
    return queries.run(name, engine=db, **(required | params))


def _cli(database_url: str, *args: str):  # noqa: ANN202 - click's Result
    return CliRunner().invoke(main, ["--database-url", database_url, *args], catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_every_row_of_a_district_comparison_says_its_period(db: Engine, name: str) -> None:
    frame = _run(name, db)
    if "namnd" not in frame.columns:
        pytest.skip(f"{name} sets no districts side by side")
    kind = "rapporttyp" if "rapporttyp" in frame.columns else "prognos_fran"
    assert {"ar", kind} <= set(frame.columns), name
    assert frame[["ar", kind]].notna().all().all(), name
    if name != OVER_TIME and not frame.empty:
        # Rows are ordered (and ranked) within a period: the year never goes back down the result (or down one
        # indicator's rows, where a query lists indicator by indicator).
        groups = frame.groupby("indikator", sort=False) if "indikator" in frame.columns else [(None, frame)]
        assert all(rows["ar"].is_monotonic_increasing for _, rows in groups), name


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_every_verdict_stands_next_to_its_reason(db: Engine, name: str) -> None:
    columns = list(_run(name, db).columns)
    if "arsmal_uppnatt" in columns:
        assert columns[columns.index("arsmal_uppnatt") + 1] == "arsmal_uppnatt_grund", name


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_a_querys_table_columns_are_its_own(db: Engine, name: str) -> None:
    query = queries.get(name)
    if query.table_columns:
        assert set(query.table_columns) <= set(_run(name, db).columns), name
    if "arsmal_uppnatt" in query.table_columns:
        assert "arsmal_uppnatt_grund" in query.table_columns, name


def test_indikator_over_tid_shows_why_a_t1_is_judged_met(db: Engine) -> None:
    frame = queries.run("indikator_over_tid", engine=db, namnd="rinkeby", indikator=PERSONER)
    t1 = frame[frame.rapporttyp == "T1"].iloc[0]
    # 000 l.263: outcome so far 4,35 %, forecast 4,5 %, årsmål 4,5 %: a T1 is judged on its forecast, and says so.
    assert bool(t1.arsmal_uppnatt) is True
    assert t1.arsmal_uppnatt_grund.startswith("prognos helår 4,5 ≤ årsmål 4,5")


def test_senaste_keeps_each_districts_latest_report_of_the_year(db: Engine) -> None:
    every = queries.run("indikator_per_namnd", engine=db, indikator=PERSONER, ar=2020)
    assert sorted(zip(every.namnd, every.rapporttyp, strict=True)) == [
        (HASSELBY, "VB"),
        (RINKEBY, "T1"),
        (RINKEBY, "VP"),
    ]
    latest = queries.run("indikator_per_namnd", engine=db, indikator=PERSONER, ar=2020, senaste="ja")
    # Rinkeby-Kista's latest report of 2020 is its T1 (000); the plan (003) is older.
    assert sorted(zip(latest.namnd, latest.rapporttyp, strict=True)) == [(HASSELBY, "VB"), (RINKEBY, "T1")]
    no = queries.run("indikator_per_namnd", engine=db, indikator=PERSONER, ar=2020, senaste="nej")
    assert len(no) == len(every)


def test_a_pivot_over_several_periods_names_the_period_in_each_header(db: Engine) -> None:
    frame = queries.run("indikator_per_namnd", engine=db, indikator=PERSONER)
    wide = queries.pivot(frame, queries.get("indikator_per_namnd"))
    assert list(wide.columns) == [
        "indikator",
        f"{RINKEBY} (VP 2020)",
        f"{RINKEBY} (T1 2020)",
        f"{HASSELBY} (VB 2020)",
        f"{NORRMALM} (VB 2021)",
    ]
    [row] = wide.itertuples(index=False)
    # 000 l.263 4,35 (T1), 001 l.259 2,22 (VB 2020), 004 l.355 0,48 (VB 2021); the plan has no outcome.
    assert pd.isna(row[1]) and list(row)[2:] == [4.35, 2.22, 0.48]
    one = queries.run("indikator_per_namnd", engine=db, indikator=PERSONER, ar=2020, rapporttyp="VB")
    assert list(queries.pivot(one, queries.get("indikator_per_namnd")).columns) == ["indikator", HASSELBY]


def test_a_pivot_refuses_two_values_for_one_cell() -> None:
    frame = queries.typed_frame(
        [("X", "Norrmalm", 2021, "VB", 1.0), ("X", "Norrmalm", 2021, "VB", 2.0), ("Y", "Norrmalm", 2021, "VB", 1.0)],
        ["indikator", "namnd", "ar", "rapporttyp", "utfall"],
    )
    with pytest.raises(queries.QueryError, match="X has more than one utfall for Norrmalm"):
        queries.pivot(frame, queries.get("indikator_per_namnd"))
    same = frame.assign(utfall=1.0)  # the same value twice (an indicator under two goals) is one value
    assert queries.pivot(same, queries.get("indikator_per_namnd"))["Norrmalm"].tolist() == [1.0, 1.0]


def test_cli_pivot_says_the_periods_it_holds(db: Engine, database_url: str) -> None:
    result = _cli(database_url, "query", "indikator_per_namnd", "-p", f"indikator={PERSONER}", "--pivot")
    assert result.exit_code == 0, result.output
    assert f"{NORRMALM} (VB 2021)" in result.stdout and f"{RINKEBY} (T1 2020)" in result.stdout
    assert "rows from 4 periods (VP 2020, T1 2020, VB 2020, VB 2021); each column names its period" in result.stderr


def test_demo_compares_each_districts_latest_report_and_says_so(database_url: str, engine: Engine) -> None:
    result = CliRunner().invoke(main, ["--database-url", database_url, "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "latest report of the year" in out
    tables = [line for line in out.splitlines() if line.startswith("|")]
    assert tables and max(len(line) for line in tables) <= 110
    assert "True" not in out and "False" not in out and "| ja" not in out  # booleans one way: yes / no
    rows = [line for line in tables if not line.startswith(("| namnd", "|:"))]
    periods = {(RINKEBY, "T1 2020"), (HASSELBY, "VB 2020"), (NORRMALM, "VB 2021")}
    assert {(cells[0], cells[1]) for cells in ([c.strip() for c in r.strip("|").split("|")] for r in rows)} == periods
    assert "VP 2020" not in out  # the plan is older than Rinkeby-Kista's T1: not its latest report
    # Every verdict shown comes with its reason, under the table.
    assert "Hässelby-Vällingby VB 2020: arsmal_uppnatt no (utfall" in out
    assert "Norrmalm VB 2021: arsmal_uppnatt" in out and "Rinkeby-Kista T1 2020: arsmal_uppnatt" in out
