"""datakvalitet.typ: the kinds of data-quality note, checked and described

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "ej_redovisat",
    "indikator_osaker",
    "kolumn_osaker",
    "summa_avviker",
    "tabell_avviker",
    "antal_avviker",
    "identitet_motstridig",
)
COMMENT = (
    "Kind of note: ej_redovisat (a number in a table the parser did not read), indikator_osaker (an indicator row's "
    "columns uncertain), kolumn_osaker (an economy row's placement uncertain), summa_avviker (a printed total is not "
    "the sum of its rows), tabell_avviker (a sub-table disagrees with its summary), antal_avviker (a count the "
    "report states differs from what was read), identitet_motstridig (evidence for another nämnd, kind or year)."
)
OLD_COMMENT = "Kind of note, e.g. summa_avviker, kolumn_osaker."
TABLE_COMMENT = "Data-quality notes on a report: sums that do not add up, uncertain columns, numbers not read …"
OLD_TABLE_COMMENT = "Data-quality notes on a report: sums that do not add up, uncertain columns …"


def upgrade() -> None:
    # Every kind the parser has written is in KINDS, so stored notes pass the new CHECK as they are.
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    op.create_check_constraint(op.f("ck_datakvalitet_typ"), "datakvalitet", f"typ IN ({kinds})")
    op.alter_column("datakvalitet", "typ", comment=COMMENT, existing_comment=OLD_COMMENT)
    op.create_table_comment("datakvalitet", TABLE_COMMENT, existing_comment=OLD_TABLE_COMMENT)


def downgrade() -> None:
    op.create_table_comment("datakvalitet", OLD_TABLE_COMMENT, existing_comment=TABLE_COMMENT)
    op.alter_column("datakvalitet", "typ", comment=OLD_COMMENT, existing_comment=COMMENT)
    op.drop_constraint(op.f("ck_datakvalitet_typ"), "datakvalitet", type_="check")
