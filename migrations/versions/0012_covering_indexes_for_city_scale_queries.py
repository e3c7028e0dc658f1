"""covering indexes for the saved queries at city scale (1,200 reports)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00.000000

maluppfyllelse_per_namnd counts verdicts, targets and forecasts per report: one index on indikatorrad
(rapport_id) carries them all (it replaces ix_indikatorrad_uppnatt, which lacked the årsmål and forecast the
unjudged count needs). indikatorer, indikatoralias and indikator_per_namnd read the few hundred distinct spellings
by skipping along indikatoralias (indikator_id, namn), and indikatorer counts reports per indicator from
(indikator_id, rapport_id); both replace ix_indikatoralias_indikator, whose lookups by indicator they serve too.
Indexes only: no data changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_indikatorrad_rapport_bedomning",
        "indikatorrad",
        ["rapport_id"],
        unique=False,
        postgresql_include=["id", "kf_indikator", "arsmal_uppnatt", "arsmal", "prognos"],
    )
    op.drop_index(
        "ix_indikatorrad_uppnatt",
        table_name="indikatorrad",
        postgresql_include=["arsmal_uppnatt", "kf_indikator"],
        postgresql_where=sa.text("arsmal_uppnatt IS NOT NULL"),
    )
    op.create_index("ix_indikatoralias_indikator_namn", "indikatoralias", ["indikator_id", "namn"], unique=False)
    op.create_index(
        "ix_indikatoralias_indikator_rapport", "indikatoralias", ["indikator_id", "rapport_id"], unique=False
    )
    op.drop_index("ix_indikatoralias_indikator", table_name="indikatoralias")


def downgrade() -> None:
    op.create_index("ix_indikatoralias_indikator", "indikatoralias", ["indikator_id"], unique=False)
    op.drop_index("ix_indikatoralias_indikator_rapport", table_name="indikatoralias")
    op.drop_index("ix_indikatoralias_indikator_namn", table_name="indikatoralias")
    op.create_index(
        "ix_indikatorrad_uppnatt",
        "indikatorrad",
        ["rapport_id"],
        unique=False,
        postgresql_include=["arsmal_uppnatt", "kf_indikator"],
        postgresql_where=sa.text("arsmal_uppnatt IS NOT NULL"),
    )
    op.drop_index("ix_indikatorrad_rapport_bedomning", table_name="indikatorrad")
