"""Parser throughput on the sample reports: MB/s and ms per file (text already in memory, best of N runs; the
parser's line caches are emptied before each run, so every run reads the report for the first time).

python bench/bench_parse.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from malbas.etl.parse.parser import parse_text  # noqa: E402
from malbas.etl.parse.text import clear_line_caches  # noqa: E402
from malbas.etl.read.source import read_report  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10, help="parses per file (default 10)")
    args = ap.parse_args()
    samples = sorted(p for p in (ROOT / "sample_reports").iterdir() if p.is_file() and not p.name.startswith("."))
    texts = [(p, read_report(p)[1]) for p in samples]
    for _, text in texts:  # warm-up: imports, regex compilation
        parse_text(text)

    print(f"parse_text, {args.repeat} runs per file, Python {sys.version.split()[0]}")
    print(f"{'file':<28} {'lines':>6} {'KB':>7} {'best ms':>8} {'median ms':>10} {'MB/s':>6}  rows")
    total_bytes, total_best = 0, 0.0
    for path, text in texts:
        times = []
        for _ in range(args.repeat):
            clear_line_caches()
            t0 = time.perf_counter()
            rapport = parse_text(text, kalla=path.name)
            times.append(time.perf_counter() - t0)
        size = len(text.encode("utf-8"))
        best = min(times)
        total_bytes += size
        total_best += best
        rows = (
            f"mal {len(rapport.mal)}, ind {len(rapport.indikatorer)}, akt {len(rapport.aktiviteter)}, "
            f"ekon {len(rapport.ekonomi)}"
        )
        print(
            f"{path.name:<28} {text.count(chr(10)):>6} {size / 1024:>7.0f} {best * 1000:>8.1f} "
            f"{statistics.median(times) * 1000:>10.1f} {size / best / 1e6:>6.2f}  {rows}"
        )
    print(
        f"{'all':<28} {'':>6} {total_bytes / 1024:>7.0f} {total_best * 1000:>8.1f} {'':>10} "
        f"{total_bytes / total_best / 1e6:>6.2f}  ({total_best * 1000 / len(texts):.1f} ms per file on average)"
    )


if __name__ == "__main__":
    main()
