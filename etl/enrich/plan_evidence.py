"""Evidence from the committee's plan (VP) for uncertain indicator rows of its follow-up reports.

Where a follow-up row's columns could not be assigned with certainty, the plan for the same year says which
årsmål and KF:s årsmål to expect. A match supports the reading; a mismatch is noted (targets do change
during a year, so the plan never overrides what the report prints).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from malbas.etl.parse.records import IndicatorRow

PlanTargets = Mapping[str, tuple[float | None, float | None]]  # indicator key -> (årsmål, KF:s årsmål)


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-9


def apply_plan_evidence(rows: Iterable[IndicatorRow], plan: PlanTargets, key) -> int:  # noqa: ANN001
    """Annotate uncertain rows with what the plan says; returns how many rows the plan supports."""
    supported = 0
    for row in rows:
        if not row.osaker or "verksamhetsplanen" in row.osaker:
            continue
        targets = plan.get(key(row.namn))
        if targets is None:
            continue
        arsmal, kf_arsmal = targets
        checks = [(row.arsmal, arsmal)] + ([(row.kf_arsmal, kf_arsmal)] if kf_arsmal is not None else [])
        known = [(got, want) for got, want in checks if want is not None]
        if not known:
            continue
        if all(_same(got, want) for got, want in known):
            row.osaker += "; målen stöds av verksamhetsplanen"
            supported += 1
        else:
            wanted = ", ".join(f"{w:g}" for _, w in known)
            row.osaker += f"; verksamhetsplanen anger målen {wanted}"
    return supported
