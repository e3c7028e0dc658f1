"""Keep planner statistics and visibility maps fresh after a load, so the comparison queries use their
covering indexes (index-only scans) at once instead of after autovacuum gets round to it."""

from __future__ import annotations

from sqlalchemy import Engine, text

from malbas.etl.load.runner import FileResult
from malbas.models import Base

# Every table: a load writes them all (the history too). The search (maltext, textavsnitt) and the indicator
# lookups (indikator, indikatoralias) plan as badly on stale statistics as the comparison queries do.
_TABLES = tuple(table.name for table in Base.metadata.sorted_tables)


def vacuum_analyze_after(engine: Engine, results: list[FileResult]) -> bool:
    """VACUUM (ANALYZE) the fact tables when the run wrote anything. Returns whether it ran."""
    if not any(r.status in ("loaded", "replaced") for r in results):
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"VACUUM (ANALYZE) {', '.join(_TABLES)}"))
    return True
