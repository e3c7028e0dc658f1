"""The weights by which the layout indicator reader scores a reading of a row whose empty cells left no trace.

Every reading (which printed cell goes in which column) gets a score: a prior per column, corrected by
evidence in the row itself (gender cells that add up to or bracket the total, a forecast that repeats the
target or the outcome, a unit wrapped onto its own line in a narrow column, numbers far off the others). The
best reading wins; when a rival comes within the margin the row is flagged `osaker` with the rival. All the
numbers live here, named, so that tuning is one place and one diff. Keep every weight a multiple of 1/4: the
reader adds them in whatever order suits it and relies on the sums being exact (the same in any order).
"""

from __future__ import annotations

from malbas.etl.parse.indicators.kinds import RowPeriod, Stage

# ---------------------------------------------------------------- thousands separators
# '4 500', '1 320' (one digit, then three) are almost always one number; '137 123' or '100 100' (three
# digits, then three) are almost always two cells. Key: digits before the space.
MERGE_PRIOR = {1: 2.5, 2: -1.0, 3: -2.0}

# ---------------------------------------------------------------- column priors
# (utfall, foregaende_utfall, prognos) by report stage and row period. Early interim reports (T1) fill from
# the right: the outcome of annual indicators is not yet measured and the forecast equals the target. At year
# end (VB) every indicator has its outcome and the forecast is rare. Late interim reports (T2) lie between:
# an annual row may or may not have its outcome, so U and F come close (flagged).
STAGE_PRIORS = {
    (Stage.EARLY, RowPeriod.INTERIM): (1.0, 1.5, 2.0),
    (Stage.EARLY, RowPeriod.ANNUAL): (-2.0, 1.5, -4.0),
    (Stage.LATE, RowPeriod.INTERIM): (2.0, 1.5, 2.0),
    (Stage.LATE, RowPeriod.ANNUAL): (1.0, 1.5, -4.0),
    # late, but the report's own gender-split annual rows show that annual outcomes are already in
    (Stage.LATE_MEASURED, RowPeriod.INTERIM): (2.0, 1.5, 2.0),
    (Stage.LATE_MEASURED, RowPeriod.ANNUAL): (2.5, 1.5, -4.0),
    (Stage.YEAR_END, RowPeriod.INTERIM): (3.0, 1.5, 0.5),
    (Stage.YEAR_END, RowPeriod.ANNUAL): (3.0, 1.5, -3.0),
}
NO_FORECAST_COLUMN = (2.5, 1.5, 0.0)  # an annual or year-end table: the outcome is reported
GENDER_CELL = -1.5  # gender cells are the exception, filled only beside an outcome
TARGET = 4.5  # every indicator has a target: rows without one are rare
KF_TARGET = 4.5  # a KF table exists for the KF target (or its text)
KF_TARGET_UNDER_NAMNDMAL = -10.0  # a nämndmål's table has no KF target

# Text cells: a measured-value text ('Ingen mätning') belongs in a value column, other text in a target.
OUTCOME_TEXT_IN = {"kf_arsmal": -4.5, "arsmal": -4.5}
OUTCOME_TEXT_ELSEWHERE = -0.5
TEXT_IN = {"kf_arsmal": 0.0, "arsmal": -1.0}
TEXT_ELSEWHERE = -100.0  # other text cannot stand in a value column
# A unit wrapped onto its own line: the number sat in a narrow column (kvinnor, VB of the year before).
WRAPPED_UNIT = {"utfall_kvinnor": 0.75, "foregaende_utfall": 0.75, "utfall": -1.0}

# ---------------------------------------------------------------- evidence in the row
GENDER_SUM = 5.0  # counts: men + women = total
GENDER_COUNT_MISMATCH = -1.0
GENDER_BRACKET = 4.5  # a share lies strictly between the two gender shares
GENDER_ALL_EQUAL = 2.0  # 100 % 100 % 100 %: weaker, any three equal cells look like this
GENDER_EQUALS_ONE = 1.0  # the total equals one sex's share: possible, but equally a repeated value
GENDER_OUTSIDE = -1.0
GENDER_ONE_SIDED = -1.0  # one sex filled without an outcome
GENDER_COMPLEMENT = 3.5  # 'Andel flickor' 20,03 with 79,97: the other sex's share is the complement
GENDER_COMPLEMENT_RIGHT_SEX = 1.0
GENDER_LONE = -2.5  # one sex filled, the other empty, and nothing ties it to the total
ROUNDING_SLACK = 0.5  # rounded gender shares (88 and 88 around 88,1) still bracket the total
FORECAST_IS_OUTCOME = 1.5  # at year end the forecast repeats the outcome
FORECAST_IS_TARGET = 1.0  # earlier, the forecast repeats the target
OFF_MAGNITUDE = -2.0  # per number more than two orders of magnitude off the row's median
SPACED_TEXT_IN_VALUE_COLUMN = -5.0  # space-marked cells: text where a value belongs

# ---------------------------------------------------------------- certainty
MARGIN = 1.5  # the lead a reading needs over its rival to count as certain
MARGIN_REPEATED = 6.0  # three or more equal values void the arithmetic checks: only priors decide
MARGIN_SPACED = 0.5  # space-marked cells leave little doubt
ALTERNATIVE = 2.5  # a rival this close makes an inferred placement worth flagging
