"""The plausibility guard: a new version of a report must not throw away most of what the loaded one holds.

A damaged extraction (lines shuffled, pages lost, two files run together) often still parses, but into far
fewer goals, indicator rows or economy cells than the good version already loaded for the same nämnd and
period. Replacing the good rows with it would lose data without a word, so such a replacement is refused
unless the user forces it (`malbas load --force`).

The rule, per count (goals, indicator rows, economy cells): refused when the loaded version has some and the
new one has fewer than half as many (falling to zero included). Growing, or shrinking by half or less, loads.
"""

from __future__ import annotations

from collections.abc import Mapping

GUARDED = (("mal", "goals"), ("indikatorrader", "indicator rows"), ("ekonomiceller", "economy cells"))


def losses(current: Mapping[str, int], new: Mapping[str, int]) -> list[str]:
    """The guarded counts the new version would lose most of, as 'goals 35 -> 1'."""
    out = []
    for key, label in GUARDED:
        before, after = int(current.get(key) or 0), int(new.get(key) or 0)
        if before > 0 and after * 2 < before:
            out.append(f"{label} {before} -> {after}")
    return out


def refusal(current_file: str, current: Mapping[str, int], new: Mapping[str, int]) -> str | None:
    """The one-line reason to refuse replacing `current_file`'s rows with the new counts, or None to go ahead."""
    lost = losses(current, new)
    if not lost:
        return None
    return (
        f"refused to replace the report loaded from {current_file}: it would lose most of its data "
        f"({', '.join(lost)}); check the file, or load it with --force"
    )
