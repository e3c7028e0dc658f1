"""City scale: a decade of the whole city (30 committees × 4 reports × 10 years ≈ 1,200 reports) loaded with
`malbas load` as a user runs it, and every figure beside its floor.

    python bench/bench_city.py [--reports 1200] [--rounds 3] [--corpus DIR] [--pdf-pages 100]

The corpus is files, made reproducibly from the four samples: each file is a byte copy of a sample with its
identity and numbers varied. The committee's name is replaced by one of 30 (its genitive kept), every year
shifted to the copy's year, every decimal number's digits redrawn with a fixed seed (same width), and a T1
retitled as a T2 where no T2 sample exists. Every file has its own (committee, year, report kind), so none
replaces another. Each round uses a fresh database on the same server and measures, side by side:

- load: `malbas load DIR` in a subprocess (wall time), then `malbas search` at once (statistics as the load
  left them), the saved queries and search (p50), the database's size and its parts, and the CLI's start-up;
- parse: reading, parsing and enriching every file in this process, and a naive pass over the same bytes
  (read, split lines, find numbers);
- COPY: the rows the load wrote, copied back in one transaction into tables of plain columns (no index, no
  constraint, no search vector: the floor) and into the real, emptied tables;
- the 4 samples loaded by `malbas load` against their parse plus plain COPY;
- PDF reading against PDFium (bench_pdf.py's generated report).

Each figure is the median over the rounds, each ratio the median of the ratios taken within a round. Uses
DATABASE_URL's server or a throwaway embedded PostgreSQL; every database is created and dropped here.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from _db import SAMPLES, database, server
from bench_load import _DATA_TABLES, _dump, _stored_columns
from bench_load import _copy_seconds as real_copy_seconds
from bench_queries import DISTRICTS
from sqlalchemy import Engine, text

from malbas import queries
from malbas.etl.enrich.report import enrich
from malbas.etl.parse.parser import parse_file
from malbas.vocabulary import kortnamn

COMMITTEES = DISTRICTS  # 30 short names
KINDS = ("VP", "T1", "T2", "VB")
FIRST_YEAR = 2016
YEARS = 10
SEED = 24

_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_DECIMAL_RE = re.compile(r"\b\d+,\d+\b")
_T1_RES = [
    (re.compile(r"\b(Tertialrapport\s*)1(?=\d+\(\d+\))", re.IGNORECASE), r"\g<1>2"),  # glued page counters
    (re.compile(r"\b(Tertial(?:rapport)?\s*)1(?!\d)", re.IGNORECASE), r"\g<1>2"),
    (re.compile(r"\bT1\b"), "T2"),
]
_NAIVE_NUMBER_RE = re.compile(r"-?\d[\d ]*(?:,\d+)?")


# --- the corpus ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    path: Path
    committee: str  # short name as printed, e.g. "Rinkeby-Kista"
    year: int
    kind: str


def samples() -> list[Sample]:
    out = []
    for path in SAMPLES:
        d = parse_file(path).dokument
        out.append(Sample(path, kortnamn(d.namnd), d.ar, str(d.rapporttyp)))
    return out


def _name_pattern(short: str) -> re.Pattern[str]:
    """The name, also broken after its hyphen ("Rinkeby- Kista"), or any part of it alone ("i Rinkeby"): the
    parser scores a committee named in prose by its name's parts. A genitive -s stays after the match."""
    parts = [re.escape(p) for p in short.split("-")]
    alternatives = [r"-[ \t]?".join(parts), *parts] if len(parts) > 1 else parts
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")(?=s?\b)")


def _redraw(match: re.Match[str], rng: random.Random) -> str:
    digits = list(match.group())
    for i, ch in enumerate(digits):
        if ch.isdigit():
            leading = i == 0 and ch != "0" and len(match.group().split(",")[0]) > 1
            digits[i] = str(rng.randint(1, 9) if leading else rng.randint(0, 9))
    return "".join(digits)


def variant(sample: Sample, data: str, committee: str, year: int, kind: str, rng: random.Random) -> str:
    """The sample's text as `committee`'s `kind` report of `year`."""
    out = _name_pattern(sample.committee).sub(committee, data)
    shift = year - sample.year
    out = _YEAR_RE.sub(lambda m: str(int(m.group()) + shift) if 1990 <= int(m.group()) <= 2035 else m.group(), out)
    if kind == "T2" and sample.kind == "T1":
        for pattern, replacement in _T1_RES:
            out = pattern.sub(replacement, out)
    return _DECIMAL_RE.sub(lambda m: _redraw(m, rng), out)


def plan(n: int) -> list[tuple[int, str, str]]:
    """(year, committee, kind) of the first `n` reports: year by year, so a small run still has every kind."""
    every = [(y, c, k) for y in range(FIRST_YEAR, FIRST_YEAR + YEARS) for c in COMMITTEES for k in KINDS]
    return every[:n]


def build_corpus(directory: Path, n: int) -> tuple[list[Path], str]:
    """Write the corpus; returns the files and a digest of their bytes (the same every time)."""
    base = samples()
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in base:
        by_kind[s.kind].append(s)
    by_kind.setdefault("T2", by_kind["T1"])
    texts = {s.path: s.path.read_text(encoding="utf-8") for s in base}
    rng = random.Random(SEED)
    digest = hashlib.sha256()
    files = []
    for i, (year, committee, kind) in enumerate(plan(n)):
        choices = by_kind[kind]  # two VB samples (a layout and a tabbed text) take turns
        sample = choices[(i // len(KINDS)) % len(choices)]
        data = variant(sample, texts[sample.path], committee, year, kind, rng).encode("utf-8")
        path = directory / f"{i:04d}.txt"
        path.write_bytes(data)
        digest.update(data)
        files.append(path)
    return files, digest.hexdigest()[:16]


# --- measuring -------------------------------------------------------------------------------------------------

MALBAS = str(Path(sys.executable).with_name("malbas"))
# What any `malbas load` pays before its first file: Python, click and the load's code (SQLAlchemy, the models,
# the parser), imported as the command imports them.
LOAD_START_UP = [sys.executable, "-c", "import malbas.cli, malbas.etl.load.runner, malbas.etl.load.maintenance"]


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} … exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return seconds


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url}


def malbas_load(url: str, paths: list[Path]) -> float:
    return _run([MALBAS, "load", *map(str, paths)], _env(url))


def parse_seconds(files: list[Path]) -> float:
    """Read, parse and enrich every file (what the load does before writing)."""
    t0 = time.perf_counter()
    for path in files:
        enrich(parse_file(path))
    return time.perf_counter() - t0


def naive_seconds(files: list[Path]) -> float:
    """Read, decode, split into lines and find every number: the least a parser must do."""
    t0 = time.perf_counter()
    for path in files:
        for line in path.read_bytes().decode("utf-8").splitlines():
            _NAIVE_NUMBER_RE.findall(line)
    return time.perf_counter() - t0


def plain_copy_seconds(engine: Engine, dump: dict[str, tuple[list[str], bytes, int]]) -> float:
    """COPY the dumped rows in one transaction into tables of the same columns without indexes, constraints
    or generated search vectors (the floor of any writer)."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS plain CASCADE; CREATE SCHEMA plain"))
        for table in _DATA_TABLES:
            conn.execute(text(f"CREATE TABLE plain.{table.name} (LIKE public.{table.name})"))
            for column in set(table.columns.keys()) - set(_stored_columns(table)):
                conn.execute(text(f"ALTER TABLE plain.{table.name} DROP COLUMN {column}"))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        t0 = time.perf_counter()
        for name, (columns, data, _) in dump.items():
            with cur.copy(f"COPY plain.{name} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data)
        raw.commit()
        seconds = time.perf_counter() - t0
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA plain CASCADE"))
    return seconds


def p50(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


SEARCHES = ("trygghet", "ekonomiskt bistånd", '"ekonomiskt bistånd" -barn', "förskola or fritidsgård")


def query_params(year: int) -> dict[str, dict[str, object]]:
    """One realistic parameter set per saved query, on a year the corpus holds."""
    return {
        "aktiviteter_med_avvikelse": {"ar": year},
        "budgetavvikelse": {"ar": year, "verksamhet": "förskola"},
        "indikator_jamforelse": {"indikator": "ekonomiskt bistånd", "ar": year},
        "indikator_over_tid": {"namnd": "rinkeby", "indikator": "ekonomiskt bistånd"},
        "indikator_per_namnd": {"indikator": "ekonomiskt bistånd", "ar": year},
        "konsskillnader": {"ar": year, "rapporttyp": "VB"},
        "malbedomningar": {"ar": year, "rapporttyp": "VB"},
        "maluppfyllelse_per_namnd": {"kf_indikator": "true"},
    }


def _params(name: str, year: int) -> dict[str, object]:
    given = dict(query_params(year).get(name, {}))
    defaults = {"indikator": "ekonomiskt bistånd", "namnd": "rinkeby", "ar": year, "rapporttyp": "VB"}
    for p in queries.get(name).params:
        if p.required and p.name not in given:
            given[p.name] = defaults.get(p.name, "")
    return given


_SIZE_SQL = """
WITH t AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind = 'r'
)
SELECT
    pg_database_size(current_database()),
    (SELECT sum(pg_table_size(oid)) FROM t),
    (SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i JOIN t ON t.oid = i.indrelid
     JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam WHERE am.amname <> 'gin'),
    (SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i JOIN t ON t.oid = i.indrelid
     JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam WHERE am.amname = 'gin')
"""


def sizes(engine: Engine) -> dict[str, float]:
    """MB: the database, its tables (heap + TOAST), B-tree indexes, GIN indexes, and the search vectors'
    own bytes inside the tables."""
    with engine.connect() as conn:
        total, tables, btree, gin = conn.execute(text(_SIZE_SQL)).one()
        searchable = conn.execute(
            text(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tsv'"
            )
        ).scalars()
        vectors = sum(
            conn.execute(text(f"SELECT coalesce(sum(pg_column_size(tsv)), 0) FROM {t}")).scalar_one()
            for t in searchable
        )
    mb = 1024 * 1024
    return {
        "database": total / mb,
        "tables": float(tables) / mb,
        "search vectors (in tables)": float(vectors) / mb,
        "B-tree indexes": float(btree or 0) / mb,
        "GIN indexes (search)": float(gin or 0) / mb,
    }


def cli_seconds(url: str, year: int, runs: int) -> dict[str, float]:
    """Wall time of commands a user types, each the median of `runs`, beside starting Python itself."""
    name = "indikator_over_tid"
    params = [a for k, v in _params(name, year).items() for a in ("-p", f"{k}={v}")]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "malbas --help": [MALBAS, "--help"],
        "malbas query --list": [MALBAS, "query", "--list"],
        f"malbas query {name}": [MALBAS, "query", name, *params],
    }
    env = _env(url)
    return {label: statistics.median(_run(args, env) for _ in range(runs)) for label, args in commands.items()}


def pdf_pages_per_second(pages: int) -> dict[str, float]:
    """pages/s of PDFium's glyphs and boxes (the floor) and of malbas extract, on bench_pdf.py's report."""
    import bench_pdf

    data, count, _ = bench_pdf._report(bench_pdf._one_report(), pages)
    return {
        "PDFium glyphs + boxes": count / bench_pdf._time(bench_pdf.pypdfium2_chars, data, rounds=1),
        "malbas extract": count / bench_pdf._time(bench_pdf.malbas_extract, data, rounds=1),
    }


# --- the rounds ------------------------------------------------------------------------------------------------


@dataclass
class Round:
    figures: dict[str, float]


@contextmanager
def corpus_dir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    tmp = Path(tempfile.mkdtemp(prefix="malbas-city-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def one_round(server_url: str, is_embedded: bool, files: list[Path], args: argparse.Namespace) -> dict[str, float]:
    f: dict[str, float] = {}
    year = plan(len(files))[-1][0] - (1 if len(files) > len(COMMITTEES) * len(KINDS) else 0)
    with database(server_url, is_embedded) as (engine, url, _):
        f["load"] = malbas_load(url, files)
        with engine.connect() as conn:
            loaded = conn.execute(text("SELECT count(*), count(DISTINCT (namnd_id, period_id)) FROM rapport")).one()
        if loaded[0] != len(files) or loaded[1] != len(files):
            raise SystemExit(f"{len(files)} files but {loaded[0]} reports of {loaded[1]} identities were loaded")
        t0 = time.perf_counter()
        queries.search(engine, SEARCHES[0], limit=20)
        f["search right after the load"] = time.perf_counter() - t0
        for name in queries.catalogue():
            f[f"query {name}"] = p50(lambda n=name: queries.run(n, engine=engine, **_params(n, year)), args.runs)
        for words in SEARCHES:
            f[f"search {words}"] = p50(lambda w=words: queries.search(engine, w, limit=20), args.runs)
        f.update({f"size {k}": v for k, v in sizes(engine).items()})
        f.update({f"cli {k}": v for k, v in cli_seconds(url, year, args.cli_runs).items()})
        dump = _dump(engine)
        f["rows"] = sum(n for _, _, n in dump.values())
        f["plain COPY"] = plain_copy_seconds(engine, dump)
        f["COPY into the real tables"] = real_copy_seconds(engine, dump)
    f["parse"] = parse_seconds(files)
    f["naive pass"] = naive_seconds(files)
    f["load / (parse + plain COPY)"] = f["load"] / (f["parse"] + f["plain COPY"])
    f["parse / naive"] = f["parse"] / f["naive pass"]

    with database(server_url, is_embedded) as (engine, url, _):
        f["samples: malbas load"] = malbas_load(url, SAMPLES)
        dump = _dump(engine)
        f["samples: plain COPY"] = plain_copy_seconds(engine, dump)
    f["samples: parse"] = parse_seconds(SAMPLES)
    f["samples: start-up"] = statistics.median(_run(LOAD_START_UP) for _ in range(args.cli_runs))
    f["samples: load / (parse + plain COPY)"] = f["samples: malbas load"] / (
        f["samples: parse"] + f["samples: plain COPY"]
    )
    if args.pdf_pages:
        pdf = pdf_pages_per_second(args.pdf_pages)
        f["pdf PDFium glyphs + boxes"] = pdf["PDFium glyphs + boxes"]
        f["pdf malbas extract"] = pdf["malbas extract"]
    return f


def _row(what: str, now: str, floor: str = "", target: str = "") -> None:
    print(f"| {what} | {now} | {floor} | {target} |")


def report(rounds: list[dict[str, float]], files: list[Path], mb: float) -> None:
    m = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    n = len(files)
    print(f"\nmedians of {len(rounds)} rounds; {n:,} reports, {mb:.0f} MB of text, {m['rows']:,.0f} rows written\n")
    print("| what | now | floor / peer | target |\n|---|---|---|---|")
    _row(
        f"load of {n:,} reports (`malbas load DIR`)",
        f"**{m['load']:.1f} s**",
        f"parse {m['parse']:.1f} s; COPY of the same rows as plain columns {m['plain COPY']:.1f} s, "
        f"into the real tables {m['COPY into the real tables']:.1f} s",
        f"≤ {180 * n / 1200:.0f} s (180 s per 1,200)",
    )
    _row("load ÷ (parse + plain COPY)", f"{m['load / (parse + plain COPY)']:.2f}", "", "≤ 1.5")
    _row(
        "`malbas load` of the 4 samples",
        f"{m['samples: malbas load']:.2f} s = {m['samples: load / (parse + plain COPY)']:.1f}× (parse + plain COPY)",
        f"parse {m['samples: parse']:.2f} s, plain COPY {m['samples: plain COPY']:.2f} s; "
        f"start-up of the load's code alone {m['samples: start-up']:.2f} s",
        "≤ 1.5×",
    )
    parts = ", ".join(
        f"{k.removeprefix('size ')} {m[k]:.0f} MB" for k in m if k.startswith("size ") and k != "size database"
    )
    without = m["size database"] - m["size search vectors (in tables)"] - m["size GIN indexes (search)"]
    _row("database size", f"{m['size database']:.0f} MB", f"{parts}; {without:.0f} MB without search", "≤ 450 MB")
    for k in m:
        if k.startswith("query "):
            _row(f"`{k.removeprefix('query ')}` p50", f"{m[k] * 1000:.0f} ms", "", "≤ 50 ms")
    for k in m:
        if k.startswith("search "):
            _row(f"`malbas search` {k.removeprefix('search ')}", f"{m[k] * 1000:.0f} ms", "", "≤ 100 ms")
    mbps, naive = mb / m["parse"], mb / m["naive pass"]
    _row(
        "parse",
        f"{mbps:.2f} MB/s = {m['parse / naive']:.1f}× a naive pass",
        f"naive (read, split, number regex) {naive:.1f} MB/s",
        "≤ 4×",
    )
    if "pdf malbas extract" in m:
        _row(
            "PDF read",
            f"{m['pdf malbas extract']:.0f} pages/s",
            f"PDFium glyphs and boxes {m['pdf PDFium glyphs + boxes']:.0f} pages/s",
            "≥ 60 pages/s",
        )
    cli = {k.removeprefix("cli "): v for k, v in m.items() if k.startswith("cli ")}
    floor = cli.pop("python -c pass")
    targets = iter(("≤ 0.2 s", "≤ 0.3 s", "≤ 0.5 s"))
    for label, seconds in cli.items():
        _row(f"`{label.removeprefix('malbas ')}`", f"{seconds:.2f} s", f"`python -c pass` {floor:.2f} s", next(targets))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1200, help="reports in the corpus (default 1200)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds; figures are medians (default 3)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per query and search (default 10)")
    ap.add_argument("--cli-runs", type=int, default=5, help="runs of each command line timed (default 5)")
    ap.add_argument("--pdf-pages", type=int, default=100, help="pages of the PDF read (0: skip)")
    ap.add_argument("--corpus", type=Path, help="write the corpus here and keep it (default: a temporary folder)")
    args = ap.parse_args()
    n = min(args.reports, len(COMMITTEES) * len(KINDS) * YEARS)
    with corpus_dir(args.corpus) as directory:
        t0 = time.perf_counter()
        files, digest = build_corpus(directory, n)
        mb = sum(p.stat().st_size for p in files) / 1e6
        print(
            f"corpus: {n} files, {mb:.0f} MB, digest {digest} (seed {SEED}), built in {time.perf_counter() - t0:.0f} s"
        )
        with server() as (server_url, is_embedded):
            rounds = []
            for i in range(args.rounds):
                t0 = time.perf_counter()
                rounds.append(one_round(server_url, is_embedded, files, args))
                print(f"round {i + 1}: {time.perf_counter() - t0:.0f} s (load {rounds[-1]['load']:.1f} s)", flush=True)
        report(rounds, files, mb)


if __name__ == "__main__":
    main()
