"""rapport.tackning: the share of the numbers in the report's tables the parser accounted for

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No backfill: the audit needs the report's text. Reports stored before it keep NULL until the nightly
    # re-reads their files (the parser version is newer).
    op.add_column(
        "rapport",
        sa.Column(
            "tackning",
            sa.Numeric(5, 4),
            nullable=True,
            comment="Self-audit: the share (0-1) of the numbers inside the report's tables that the parser accounted for (stored in a cell, or part of a name, period, header, date); the numbers left over are datakvalitet notes of typ ej_redovisat. NULL for reports loaded before the audit existed.",
        ),
    )


def downgrade() -> None:
    op.drop_column("rapport", "tackning")
