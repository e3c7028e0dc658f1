"""The parser's tuning, one frozen settings object per concern (the economy readers' limits are in
economy/settings.py, the layout indicator reader's weights in indicators/weights.py).

All the numbers live here, named, so that tuning is one place and one diff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tally:
    """The weight of a vote backed by n occurrences: `base + n × per`, n counted up to `most_counted`, the weight
    at most `most`."""

    base: float
    per: float = 0.0
    most_counted: float = math.inf
    most: float = math.inf

    def weight(self, n: int) -> float:
        return min(self.base + min(n, self.most_counted) * self.per, self.most)


@dataclass(frozen=True, slots=True)
class IdentityWeights:
    """The weight of each piece of evidence for the report's committee, kind and year (identity.py).

    What the report prints about itself outweighs what its tables imply, and that outweighs prose, which names
    other reports and committees in passing. Counted evidence grows with its count, to a limit, so that many
    cells cannot outvote a title.
    """

    title: float = 10.0  # 'Tertialrapport 1 2025 för Skarpnäcks stadsdelsnämnd'
    page_foot: float = 4.0  # 'Skarpnäcks stadsdelsnämnd, Tertialrapport 1' in the recurring feet
    # 'Tertialrapport' in the feet without its number: T1 and T2 alike.
    page_foot_tertial: float = 1.0
    tertial_cells: Tally = Tally(3.0, 0.2, most_counted=20)  # period cells 'Tertial 1 2025'
    vb_cells: Tally = Tally(2.5, 0.2, most_counted=20)  # period cells 'VB 2021'
    bokslut_cells: Tally = Tally(1.0, 0.1, most=2.0)  # 'Bokslut 2021' (also a year-before column)
    # 'Utfall VB 2024': the outcome of the year before the report's.
    earlier_outcome: Tally = Tally(2.0, 0.1, most_counted=10)
    budget_year: float = 1.5  # 'Budget 2025' in the economy headers
    periodicity: float = 3.0  # 'Periodicitet' in indicator headers: plans only
    forecast: float = 0.5  # forecast columns: T1 and T2 alike
    prose_kind: Tally = Tally(1.0, 0.2, most=2.0)  # 'i tertialrapport 1'
    prose_year: Tally = Tally(0.5, 0.1, most=1.5)  # 'verksamhetsåret 2021'
    activity_dates: Tally = Tally(0.5, 0.05, most=1.5)  # activities dated 2021-01-01 – 2021-12-31
    # A losing value backed by a source this strong is a conflict worth a warning.
    conflict: float = 3.0
    # A committee told from prose alone must be named this many times more than any other.
    prose_margin: float = 2.0


IDENTITY = IdentityWeights()
