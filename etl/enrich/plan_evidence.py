"""Evidence from the committee's plan (VP) for uncertain indicator rows of its follow-up reports.

Where a follow-up row's columns could not be assigned with certainty, the plan for the same year says which
årsmål and KF:s årsmål to expect. A match supports the reading; a mismatch is noted (targets do change
during a year, so the plan never overrides what the report prints).

The note is a pure function of the row's own reason, its targets and the plan's, and a previous note is
replaced, never stacked: so the stored text is the same whether the plan is loaded before its follow-ups or
after them (the loader re-annotates stored follow-ups when a plan arrives).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from malbas.etl.parse.numbers import swedish
from malbas.etl.parse.records import IndicatorRow

PlanTargets = Mapping[str, tuple[float | None, float | None]]  # identity key -> (årsmål, KF:s årsmål)

_SUPPORTED = "; the plan (VP) gives the same targets"
_DIFFERS = "; the plan (VP) gives the targets "
# Notes of earlier versions (written in Swedish) are recognised too, so a re-annotation replaces them.
_OLD_SUPPORTED, _OLD_DIFFERS = "; målen stöds av verksamhetsplanen", "; verksamhetsplanen anger målen "
_NOTE = re.compile(
    rf"({re.escape(_SUPPORTED)}|{re.escape(_OLD_SUPPORTED)}|(?:{re.escape(_DIFFERS)}|{re.escape(_OLD_DIFFERS)})[^;]*)$"
)


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-9


def base_reason(osaker: str) -> str:
    """The row's own reason, without a plan note added earlier."""
    return _NOTE.sub("", osaker)


def plan_note(
    osaker: str | None, arsmal: float | None, kf_arsmal: float | None, targets: tuple[float | None, float | None] | None
) -> str | None:
    """The uncertain row's reason with what the plan says about its targets (None for a certain row)."""
    if not osaker:
        return osaker
    reason = base_reason(osaker)
    if targets is None:
        return reason
    known = _plan_checks(arsmal, kf_arsmal, targets)
    if not known:
        return reason
    if all(_same(got, want) for got, want in known):
        return reason + _SUPPORTED
    return reason + _DIFFERS + ", ".join(swedish(w) for _, w in known if w is not None)


def _plan_checks(
    arsmal: float | None, kf_arsmal: float | None, targets: tuple[float | None, float | None]
) -> list[tuple[float | None, float]]:
    """The (row's, plan's) pairs of targets the plan states: the årsmål, and the KF årsmål where it has one."""
    plan_arsmal, plan_kf = targets
    checks = [(arsmal, plan_arsmal)] + ([(kf_arsmal, plan_kf)] if plan_kf is not None else [])
    return [(got, want) for got, want in checks if want is not None]


def apply_plan_evidence(rows: Iterable[IndicatorRow], plan: PlanTargets, key) -> int:  # noqa: ANN001
    """Annotate uncertain rows in place with what the plan says; returns how many rows the plan supports."""
    supported = 0
    for row in rows:
        if not row.osaker:
            continue
        row.osaker = plan_note(row.osaker, row.arsmal, row.kf_arsmal, plan.get(key(row.namn)))
        supported += bool(row.osaker and row.osaker.endswith(_SUPPORTED))
    return supported
