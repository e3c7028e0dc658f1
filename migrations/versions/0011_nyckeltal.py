"""nyckeltal: the figures of key-figure tables (statistics by year, monthly key figures, ratios, counts)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: reports stored before it get their key figures when the nightly re-reads their files
    # (the parser version is newer).
    op.create_table(
        "nyckeltal",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("rapport_id", sa.Integer(), nullable=False, comment="Source report."),
        sa.Column(
            "tabell", sa.Text(), nullable=False, comment="The table's name: the heading above it, else its row heading."
        ),
        sa.Column(
            "radnamn",
            sa.Text(),
            nullable=False,
            comment="The row label as printed, e.g. 'Orosanmälningar', 'Varav män'.",
        ),
        sa.Column(
            "kolumn",
            sa.Text(),
            nullable=False,
            comment="The column label as printed, e.g. '2020', 'Jan', 'Snitt 2020', 'Förändring', 'Ja delvis'.",
        ),
        sa.Column("varde", sa.Numeric(), nullable=False, comment="The value as printed (a change in % as its number)."),
        sa.Column("enhet", sa.Text(), nullable=True, comment="'%' where the cell prints it, else NULL."),
        sa.Column(
            "kon",
            sa.Text(),
            nullable=True,
            comment="kvinnor or man where the row says so ('Varav kvinnor', 'Pojkar'), else NULL.",
        ),
        sa.Column("text", sa.Text(), nullable=False, comment="The cell as printed."),
        sa.Column("rad", sa.Integer(), nullable=False, comment="Source line of the row's values."),
        sa.Column("tabell_rad", sa.Integer(), nullable=False, comment="Source line of the table's header."),
        sa.CheckConstraint("kon IN ('totalt', 'kvinnor', 'man')", name=op.f("ck_nyckeltal_kon")),
        sa.ForeignKeyConstraint(
            ["rapport_id"], ["rapport.id"], name=op.f("fk_nyckeltal_rapport_id_rapport"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nyckeltal")),
        comment="A figure of a key-figure table: statistics by year, monthly key figures, ratios, counts (neither "
        "an indicator nor an economy table), one row per cell.",
    )
    op.create_index(op.f("ix_nyckeltal_rapport_id"), "nyckeltal", ["rapport_id"], unique=False)
    op.create_index("ix_nyckeltal_tabell_radnamn", "nyckeltal", ["tabell", "radnamn"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_nyckeltal_tabell_radnamn", table_name="nyckeltal")
    op.drop_index(op.f("ix_nyckeltal_rapport_id"), table_name="nyckeltal")
    op.drop_table("nyckeltal")
