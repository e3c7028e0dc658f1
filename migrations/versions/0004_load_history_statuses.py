"""load history: refused, interrupted and deleted statuses

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUSES = "status IN ('running', 'loaded', 'skipped', 'replaced', 'failed')"
_NEW_STATUSES = "status IN ('running', 'loaded', 'skipped', 'replaced', 'failed', 'refused', 'interrupted', 'deleted')"
_OLD_STATUS_COMMENT = "running, loaded, skipped, replaced or failed."
_NEW_STATUS_COMMENT = (
    "running (only while its run is alive), loaded, skipped, replaced, failed, refused (the plausibility guard "
    "kept the loaded version), interrupted (the run ended first) or deleted."
)
_OLD_FEL_COMMENT = "One-line error for failed files."
_NEW_FEL_COMMENT = "One-line reason: the error of a failed, refused or interrupted file, or why one was skipped."


def upgrade() -> None:
    op.drop_constraint(op.f("ck_laddning_status"), "laddning", type_="check")
    op.create_check_constraint(op.f("ck_laddning_status"), "laddning", _NEW_STATUSES)
    op.alter_column("laddning", "status", existing_type=sa.Text(), comment=_NEW_STATUS_COMMENT,
                    existing_comment=_OLD_STATUS_COMMENT, existing_nullable=False)
    op.alter_column("laddning", "fel", existing_type=sa.Text(), comment=_NEW_FEL_COMMENT,
                    existing_comment=_OLD_FEL_COMMENT, existing_nullable=True)
    # Rows a killed run left `running` before runs held a liveness lock: no such run is alive after an upgrade
    # that nothing else runs beside.
    op.execute(
        "UPDATE laddning SET status = 'interrupted', avslutad = coalesce(avslutad, now()), "
        "fel = 'the load run ended before this file was done (killed or interrupted)' WHERE status = 'running'"
    )


def downgrade() -> None:
    op.execute("UPDATE laddning SET status = 'failed' WHERE status IN ('refused', 'interrupted')")
    op.execute("DELETE FROM laddning WHERE status = 'deleted'")
    op.drop_constraint(op.f("ck_laddning_status"), "laddning", type_="check")
    op.create_check_constraint(op.f("ck_laddning_status"), "laddning", _OLD_STATUSES)
    op.alter_column("laddning", "status", existing_type=sa.Text(), comment=_OLD_STATUS_COMMENT,
                    existing_comment=_NEW_STATUS_COMMENT, existing_nullable=False)
    op.alter_column("laddning", "fel", existing_type=sa.Text(), comment=_OLD_FEL_COMMENT,
                    existing_comment=_NEW_FEL_COMMENT, existing_nullable=True)
