"""ekonomirad.overordnad: the label of the row or heading a row details, as `malbas parse --json` exports it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 08:30:00.000000

A row under a group heading that has no values of its own (investment projects under "Centrala medel") has no
parent row to point at, so foralder_id alone could not tell it from a top-level row. Stored rows get the
label of their parent row where they have one; rows under a heading get theirs when their report is loaded
again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "ekonomirad",
        sa.Column(
            "overordnad",
            sa.Text(),
            nullable=True,
            comment="For a row that details another (varav rows, rows under a group heading): the label of the row "
            "or heading it details; NULL for a top-level row.",
        ),
    )
    op.execute("UPDATE ekonomirad r SET overordnad = f.namn FROM ekonomirad f WHERE f.id = r.foralder_id")


def downgrade() -> None:
    op.drop_column("ekonomirad", "overordnad")
