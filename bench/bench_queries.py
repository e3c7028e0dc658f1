"""Saved-query latency (p50/p95) on a scaled dataset derived from the samples.

    python bench/bench_queries.py [--districts 14] [--years 6] [--runs 20]   # the city: --districts 30 --years 10

Each sample is parsed once; copies are then written through etl.load.writer.write_report with another
district, year and report kind and with every number scaled by a per-copy factor, so the data has the
real shape (goals, indicator rows, outcomes, activities, economy cells) at city scale: by default
14 districts × 6 years × 4 report kinds = 336 reports. Uses DATABASE_URL's server or a throwaway
embedded PostgreSQL, always in a fresh database that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import random
import statistics
import time

from _db import SAMPLES, fresh_database, server_version
from sqlalchemy import Engine, func, select

from malbas import queries
from malbas.etl.enrich.report import enrich
from malbas.etl.load.writer import write_report
from malbas.etl.parse.identity import period_label
from malbas.etl.parse.parser import PARSER_VERSION, parse_file
from malbas.etl.parse.records import Report
from malbas.models import Ekonomicell, Indikatorrad, Mal, Rapport, Utfall
from malbas.vocabulary import Bedomning

# Short names of 30 district committees: the 14 of today and 16 more, none a part of another's name (the parser
# scores a committee named in prose by its name's parts); --districts 30 --years 10 is the city's 1,200 reports.
DISTRICTS = [
    "Rinkeby-Kista", "Spånga-Tensta", "Hässelby-Vällingby", "Bromma", "Kungsholmen", "Norrmalm", "Östermalm",
    "Södermalm", "Enskede-Årsta-Vantör", "Skarpnäck", "Farsta", "Älvsjö", "Hägersten-Liljeholmen", "Skärholmen",
    "Vasastan", "Katarina-Sofia", "Bagarmossen", "Fruängen", "Akalla", "Husby", "Hjulsta", "Blackeberg",
    "Råcksta", "Traneberg", "Abrahamsberg", "Hammarbyhöjden", "Midsommarkransen", "Aspudden", "Hökarängen",
    "Gubbängen",
]  # fmt: skip
KINDS = ("VP", "T1", "T2", "VB")
FIRST_YEAR = 2018
NUMERIC = ("utfall", "utfall_man", "utfall_kvinnor", "foregaende_utfall", "prognos", "arsmal", "kf_arsmal")

# One realistic parameter set per saved query; a query added later gets its required params from DEFAULTS.
PARAMS: dict[str, dict[str, object]] = {
    "aktiviteter_med_avvikelse": {"ar": 2021},
    "budgetavvikelse": {"ar": 2021, "verksamhet": "förskola"},
    "indikator_over_tid": {"namnd": "rinkeby", "indikator": "ekonomiskt bistånd"},
    "indikator_per_namnd": {"indikator": "ekonomiskt bistånd", "ar": 2021},
    "konsskillnader": {"ar": 2021, "rapporttyp": "VB"},
    "malbedomningar": {"ar": 2021, "rapporttyp": "VB"},
    "maluppfyllelse_per_namnd": {"kf_indikator": "true"},
    "prognostraffsakerhet": {},
}
DEFAULTS = {"indikator": "ekonomiskt bistånd", "namnd": "rinkeby", "ar": 2021, "rapporttyp": "VB"}


def _district_name(short: str) -> str:
    # Written the way the reports print it; the writer derives kortnamn by dropping the genitive s.
    return f"{short if short.endswith(('s', 'ö', 'x')) else short + 's'} stadsdelsnämnd"


def templates() -> dict[str, Report]:
    """One parsed sample per report kind; T2 has no sample, so a T1 stands in for it."""
    parsed = [parse_file(p) for p in SAMPLES]
    by_kind: dict[str, Report] = {}
    for r in parsed:
        by_kind.setdefault(r.dokument.rapporttyp, r)
    by_kind.setdefault("T2", by_kind.get("T1") or parsed[0])
    for kind in KINDS:
        by_kind.setdefault(kind, parsed[0])
    return by_kind


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 2)


def variant(template: Report, district: str, year: int, kind: str, rng: random.Random) -> Report:
    """A copy of `template` as if `district` had published it for `kind` `year`, numbers varied ±15 %."""
    r = copy.deepcopy(template)
    d = r.dokument
    d.namnd, d.ar, d.rapporttyp, d.period = _district_name(district), year, kind, period_label(kind, year)
    d.kalla = f"bench_{district}_{year}_{kind}.txt"
    d.sha256 = hashlib.sha256(d.kalla.encode()).hexdigest()
    for row in r.indikatorer:
        factor = rng.uniform(0.85, 1.15)
        for column in NUMERIC:
            setattr(row, column, _scaled(getattr(row, column), factor))
    for cell in r.ekonomi:
        cell.varde = _scaled(cell.varde, rng.uniform(0.9, 1.1))
    for goal in r.mal:
        if goal.bedomning is not None:
            goal.bedomning = rng.choice([Bedomning.HELT] * 6 + [Bedomning.DELVIS] * 3 + [Bedomning.INTE])
    return r


def build(engine: Engine, districts: int, years: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    base = templates()
    t0 = time.perf_counter()
    n = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for district in DISTRICTS[:districts]:
            for kind in KINDS:
                rapport = variant(base[kind], district, year, kind, rng)
                with engine.begin() as conn:
                    write_report(conn, enrich(rapport), kalla=rapport.dokument.kalla, parser_version=PARSER_VERSION)
                n += 1
        print(f"  {year}: {n} reports written, {time.perf_counter() - t0:.0f} s", flush=True)
    # What `malbas load` / `nightly` do after writing: fresh statistics and visibility maps.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")
    return time.perf_counter() - t0


def counts(engine: Engine) -> str:
    with engine.connect() as conn:
        parts = [
            f"{label} {conn.execute(select(func.count()).select_from(model)).scalar_one():,}"
            for label, model in (
                ("rapporter", Rapport),
                ("mål", Mal),
                ("indikatorrader", Indikatorrad),
                ("utfall", Utfall),
                ("ekonomiceller", Ekonomicell),
            )
        ]
    return ", ".join(parts)


def latencies(fn, runs: int) -> tuple[list[float], int]:  # noqa: ANN001
    rows = len(fn())  # warm-up (plan cache, pages in memory)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times, rows


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=14, help=f"districts (max {len(DISTRICTS)})")
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--runs", type=int, default=20, help="timed runs per query")
    args = ap.parse_args()
    with fresh_database() as (engine, where):
        print(f"database: {where} (PostgreSQL {server_version(engine)})")
        n = min(args.districts, len(DISTRICTS)) * args.years * len(KINDS)
        print(f"building {min(args.districts, len(DISTRICTS))} districts × {args.years} years × 4 kinds = {n} reports")
        seconds = build(engine, args.districts, args.years)
        print(f"built in {seconds:.0f} s ({n / seconds:.1f} reports/s): {counts(engine)}\n")
        print(f"{'query':<28} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}  params ({args.runs} runs, DataFrame included)")
        for name, query in queries.catalogue().items():
            params = dict(PARAMS.get(name, {}))
            for p in query.params:
                if p.required and p.name not in params:
                    params[p.name] = DEFAULTS.get(p.name, "")
            times, rows = latencies(
                lambda name=name, params=params: queries.run(name, engine=engine, **params), args.runs
            )
            shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "(none)"
            print(f"{name:<28} {rows:>6} {statistics.median(times) * 1000:>8.1f} {p95(times) * 1000:>8.1f}  {shown}")
        times, rows = latencies(lambda: queries.search(engine, "ekonomiskt bistånd", limit=20), args.runs)
        print(
            f"{'search (full text)':<28} {rows:>6} {statistics.median(times) * 1000:>8.1f} {p95(times) * 1000:>8.1f}"
            "  'ekonomiskt bistånd', limit 20"
        )


if __name__ == "__main__":
    main()
