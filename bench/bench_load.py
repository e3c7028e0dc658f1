"""Load speed, measured side by side in one run: the real loader against parsing plus a bare COPY of the
same rows, the 336-report query-benchmark data written, and a projection for a decade of the whole city.

    python bench/bench_load.py [--repeat N] [--reports 1200]

1. load: `load_paths` of the samples into an emptied database (read, parse, write, history), best of N;
2. parse: reading and parsing the same files, and the enrichment the loader runs on them, best of N;
3. COPY: the rows that load wrote (every table but the history), copied back into the emptied tables with
   PostgreSQL's COPY in one transaction, best of N; the ratio load / (parse + enrich + COPY) is the loader's
   overhead (target ≤ 1.5), printed also with the enrichment counted as part of the load;
4. the 336 reports of bench_queries.py (14 districts × 6 years × 4 kinds) written with write_report
   (target ≤ 10 s), beside a bare COPY of the same rows;
5. the projection: N reports at the samples' per-report load time.

Uses DATABASE_URL's server or a throwaway embedded PostgreSQL, always in a fresh database that is dropped.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _db import SAMPLES, fresh_database, server_version
from bench_queries import DISTRICTS, FIRST_YEAR, KINDS, templates, variant
from sqlalchemy import Computed, Engine, text

from malbas import models
from malbas.etl.enrich.report import enrich
from malbas.etl.load.runner import FileResult, load_paths
from malbas.etl.load.writer import write_report
from malbas.etl.parse.parser import PARSER_VERSION, parse_file

_DATA_TABLES = [t for t in models.Base.metadata.sorted_tables if t.name != "laddning"]


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _timed_load(engine: Engine) -> tuple[float, list[FileResult]]:
    t0 = time.perf_counter()
    results = load_paths(engine, SAMPLES)
    return time.perf_counter() - t0, results


def _parse_seconds() -> tuple[float, float]:
    """(read + parse, enrich): the text turned into the records and derivations the loader stores."""
    parsed, enriched = 0.0, 0.0
    for p in SAMPLES:
        t0 = time.perf_counter()
        rapport = parse_file(p)
        t1 = time.perf_counter()
        enrich(rapport)
        parsed, enriched = parsed + t1 - t0, enriched + time.perf_counter() - t1
    return parsed, enriched


def _stored_columns(table) -> list[str]:  # noqa: ANN001
    return [c.name for c in table.columns if not isinstance(c.computed, Computed)]


def _dump(engine: Engine) -> dict[str, tuple[list[str], bytes, int]]:
    """Every data table's rows as COPY text, with the columns COPY can write (generated ones are recomputed)."""
    out = {}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table in _DATA_TABLES:
            columns = _stored_columns(table)
            data = bytearray()
            with cur.copy(f"COPY (SELECT {', '.join(columns)} FROM {table.name}) TO STDOUT") as copy:
                for chunk in copy:
                    data += chunk
            out[table.name] = (columns, bytes(data), data.count(b"\n"))
        raw.rollback()
    finally:
        raw.close()
    return out


def _copy_seconds(engine: Engine, dump: dict[str, tuple[list[str], bytes, int]]) -> float:
    """COPY the dumped rows into the emptied tables in one transaction (the loader's best case)."""
    _truncate(engine)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        t0 = time.perf_counter()
        for name, (columns, data, _) in dump.items():
            with cur.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data)
        raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()


def _write_city(engine: Engine, districts: int = 14, years: int = 6, seed: int = 1) -> tuple[int, float]:
    """bench_queries.py's data (district × year × kind copies of the samples), one transaction per report;
    only write_report is timed (making each copy is the benchmark's own work, not the loader's)."""
    rng = random.Random(seed)
    base = templates()
    seconds, n = 0.0, 0
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for district in DISTRICTS[:districts]:
            for kind in KINDS:
                rapport = variant(base[kind], district, year, kind, rng)
                t0 = time.perf_counter()
                with engine.begin() as conn:
                    write_report(conn, enrich(rapport), kalla=rapport.dokument.kalla, parser_version=PARSER_VERSION)
                seconds += time.perf_counter() - t0
                n += 1
    return n, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed runs of each side (default 7)")
    ap.add_argument("--reports", type=int, default=1200, help="reports to project the load time for")
    args = ap.parse_args()
    with fresh_database() as (engine, where):
        print(f"database: {where} (PostgreSQL {server_version(engine)})")
        loads, reloads, parses, copies = [], [], [], []
        dump: dict[str, tuple[list[str], bytes, int]] = {}
        for _ in range(args.repeat):
            _truncate(engine)
            seconds, results = _timed_load(engine)
            failed = [r.line() for r in results if r.status != "loaded"]
            if failed:
                raise SystemExit("load failed:\n" + "\n".join(failed))
            loads.append((seconds, results))
            reloads.append(_timed_load(engine)[0])
            dump = _dump(engine)
            parses.append(_parse_seconds())
            copies.append(_copy_seconds(engine, dump))
        load_s, results = min(loads, key=lambda run: run[0])
        parse_s, enrich_s, copy_s = min(p for p, _ in parses), min(e for _, e in parses), min(copies)
        rows = sum(n for _, _, n in dump.values())
        print(f"{len(SAMPLES)} files, {rows} rows in {len(dump)} tables per load, best of {args.repeat}\n")
        print(f"{'file':<28} {'s':>6} {'rows':>6}  (read + parse + write + history)")
        for r in results:
            n = sum(v for k, v in r.antal.items() if k != "indikatorer")
            print(f"{r.fil.rsplit('/', 1)[-1]:<28} {r.sekunder:>6.3f} {n:>6}")
        ratio = load_s / (parse_s + enrich_s + copy_s)
        print(f"\nload (load_paths):        best {load_s:.3f} s, median {statistics.median(s for s, _ in loads):.3f} s")
        print(f"parse (read + parse):     best {parse_s:.3f} s")
        print(f"enrich (derivations):     best {enrich_s:.3f} s (the runner enriches before its transaction)")
        print(f"COPY of the same rows:    best {copy_s:.3f} s ({rows / copy_s:,.0f} rows/s)")
        print(f"ratio load / (parse + enrich + COPY): {ratio:.2f}  (target <= 1.5)")
        print(f"ratio load / (parse + COPY):          {load_s / (parse_s + copy_s):.2f}  (enrichment counted as load)")
        print(f"reload unchanged:         best {min(reloads):.3f} s (every file skipped by its SHA-256)")

        print("\nthe query-benchmark data (bench_queries.py: 14 districts × 6 years × 4 kinds), parsed once:")
        _truncate(engine)
        n, write_s = _write_city(engine)
        city = _dump(engine)
        city_rows = sum(k for _, _, k in city.values())
        city_copy_s = _copy_seconds(engine, city)
        print(f"{n} reports ({city_rows:,} rows) written in {write_s:.1f} s (target <= 10 s)")
        print(
            f"COPY of the same rows:    {city_copy_s:.1f} s ({city_rows / city_copy_s:,.0f} rows/s); "
            f"ratio {write_s / city_copy_s:.2f}"
        )

        # Where the floor goes: the same COPY into tables without their stored Swedish search vectors (the
        # benchmark's own throwaway database; dropped columns are left out of the dump's column lists).
        with engine.begin() as conn:
            searchable = (
                conn.execute(text("SELECT table_name FROM information_schema.columns WHERE column_name = 'tsv'"))
                .scalars()
                .all()
            )
            for table_name in searchable:
                conn.execute(text(f"ALTER TABLE {table_name} DROP COLUMN tsv"))
        plain_copy_s = _copy_seconds(engine, city)
        print(
            f"COPY of the same rows without search vectors: {plain_copy_s:.1f} s "
            f"(to_tsvector('swedish') over {', '.join(sorted(searchable))} is {1 - plain_copy_s / city_copy_s:.0%} "
            "of the COPY)"
        )

        per_report = load_s / len(SAMPLES)
        projected = per_report * args.reports
        print(
            f"\nprojection: {args.reports:,} reports × {per_report * 1000:.0f} ms (the samples' read + parse + write) "
            f"= {projected:.0f} s ({projected / 60:.1f} min) for one night"
        )


if __name__ == "__main__":
    main()
