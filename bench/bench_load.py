"""Load throughput: all samples into an empty database, then again unchanged (skipped by SHA-256).

    python bench/bench_load.py [--repeat N]

Uses DATABASE_URL's server or a throwaway embedded PostgreSQL, always in a fresh database that is dropped.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _db import SAMPLES, fresh_database, server_version
from sqlalchemy import Engine, text

from malbas import models
from malbas.etl.load.runner import FileResult, load_paths
from malbas.etl.load.writer import write_report
from malbas.etl.parse.parser import PARSER_VERSION, parse_file


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _timed_load(engine: Engine) -> tuple[float, list[FileResult]]:
    t0 = time.perf_counter()
    results = load_paths(engine, SAMPLES)
    return time.perf_counter() - t0, results


def _write_only(engine: Engine) -> list[float]:
    """Seconds per file for write_report alone (parsed beforehand), into an emptied database."""
    parsed = [parse_file(p) for p in SAMPLES]
    _truncate(engine)
    out = []
    for p, rapport in zip(SAMPLES, parsed, strict=True):
        t0 = time.perf_counter()
        with engine.begin() as conn:
            write_report(conn, rapport, kalla=p.name, parser_version=PARSER_VERSION)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="empty-database loads to time (default 3)")
    args = ap.parse_args()
    with fresh_database() as (engine, where):
        print(f"database: {where} (PostgreSQL {server_version(engine)})")
        empty_runs, reload_runs = [], []
        for i in range(args.repeat):
            if i:
                _truncate(engine)
            seconds, results = _timed_load(engine)
            failed = [r.line() for r in results if r.status != "loaded"]
            if failed:
                raise SystemExit("load failed:\n" + "\n".join(failed))
            empty_runs.append((seconds, results))
            reload_runs.append(_timed_load(engine))
        seconds, results = min(empty_runs, key=lambda run: run[0])
        rows = sum(sum(r.antal.values()) for r in results)
        print(f"{len(SAMPLES)} files, {rows} rows per load, best of {args.repeat}\n")
        write_only = _write_only(engine)
        print(f"{'file':<28} {'s':>6} {'write s':>8} {'rows':>6} {'rows/s':>7}  (s = read + parse + write)")
        for r, w in zip(results, write_only, strict=True):
            n = sum(r.antal.values())
            print(f"{r.fil.rsplit('/', 1)[-1]:<28} {r.sekunder:>6.2f} {w:>8.2f} {n:>6} {n / r.sekunder:>7.0f}")
        empty = [s for s, _ in empty_runs]
        reload = [s for s, _ in reload_runs]
        statuses = {r.status for _, rs in reload_runs for r in rs}
        print(
            f"\nload into empty database: best {min(empty):.2f} s, median {statistics.median(empty):.2f} s, "
            f"{rows / min(empty):.0f} rows/s"
        )
        print(
            f"reload unchanged:         best {min(reload):.3f} s, median {statistics.median(reload):.3f} s "
            f"(status: {', '.join(sorted(statuses))})"
        )


if __name__ == "__main__":
    main()
