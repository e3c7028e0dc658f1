"""utfall's totals by report in indicator order

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 14:00:00.000000

prognostraffsakerhet pairs each T1/T2 with the VB of its district and year and matches their forecasts and
outcomes by indicator: with utfall's covering index keyed (rapport_id, kon, indikator_id) instead of (rapport_id,
kon), a report's totals come in indicator order, grouped and merged with the forecasts (ix_indikatorrad_prognos,
in the same order) without hashing. It replaces ix_utfall_rapport_kon, whose lookups by report and kön it serves
too. An index only: no data changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_utfall_rapport_kon_indikator",
        "utfall",
        ["rapport_id", "kon", "indikator_id"],
        unique=False,
        postgresql_include=["indikatorrad_id", "varde"],
    )
    op.drop_index(
        "ix_utfall_rapport_kon", table_name="utfall", postgresql_include=["indikator_id", "indikatorrad_id", "varde"]
    )


def downgrade() -> None:
    op.create_index(
        "ix_utfall_rapport_kon",
        "utfall",
        ["rapport_id", "kon"],
        unique=False,
        postgresql_include=["indikator_id", "indikatorrad_id", "varde"],
    )
    op.drop_index(
        "ix_utfall_rapport_kon_indikator", table_name="utfall", postgresql_include=["indikatorrad_id", "varde"]
    )
