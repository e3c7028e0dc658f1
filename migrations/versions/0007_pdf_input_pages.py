"""PDF input: rapport.sidor (first line of each page) and textform 'pdf'

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXTFORM_OLD = "layout (pdftotext-like) or tabbed (markdown-like)."
_TEXTFORM_NEW = "layout (pdftotext-like), tabbed (markdown-like), or pdf (read from the PDF into the tabbed form)."


def upgrade() -> None:
    op.add_column(
        "rapport",
        sa.Column(
            "sidor",
            postgresql.ARRAY(sa.Integer()),
            nullable=True,
            comment="PDF input: the line of the extracted text (malbas extract) on which each page begins, page 1 first; the page of a row with line rad is the number of entries <= rad. NULL for text input.",
        ),
    )
    op.drop_constraint(op.f("ck_rapport_textform"), "rapport", type_="check")
    op.create_check_constraint(op.f("ck_rapport_textform"), "rapport", "textform IN ('layout', 'tabbed', 'pdf')")
    op.alter_column(
        "rapport", "textform", existing_type=sa.Text(), comment=_TEXTFORM_NEW, existing_comment=_TEXTFORM_OLD
    )


def downgrade() -> None:
    op.execute("DELETE FROM rapport WHERE textform = 'pdf'")
    op.alter_column(
        "rapport", "textform", existing_type=sa.Text(), comment=_TEXTFORM_OLD, existing_comment=_TEXTFORM_NEW
    )
    op.drop_constraint(op.f("ck_rapport_textform"), "rapport", type_="check")
    op.create_check_constraint(op.f("ck_rapport_textform"), "rapport", "textform IN ('layout', 'tabbed')")
    op.drop_column("rapport", "sidor")
