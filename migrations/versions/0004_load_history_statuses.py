"""load history: refused, interrupted and deleted statuses; search vectors that never fail a report

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

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


_SOKVEKTOR = """
CREATE OR REPLACE FUNCTION sokvektor(doc text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    n integer := length(doc);
BEGIN
    IF octet_length(doc) < 200000 THEN  -- a tsvector is at most about 5 times its text: always fits
        RETURN to_tsvector('swedish'::regconfig, doc);
    END IF;
    LOOP
        BEGIN
            RETURN to_tsvector('swedish'::regconfig, left(doc, n));
        EXCEPTION WHEN program_limit_exceeded THEN
            n := n * 3 / 4;
        END;
    END LOOP;
END
$$;
COMMENT ON FUNCTION sokvektor(text) IS
    'Swedish full-text search vector of a text; of its beginning when the whole would exceed tsvector''s 1 MB.';
"""

# (table, text expression, column comment): the generated search vectors, recomputed with sokvektor.
_VECTORS = [
    ("textavsnitt", "rubrik || ' ' || text", "Swedish full-text search vector."),
    ("maltext", "text", "Swedish search vector."),
    ("avvikelse", "coalesce(forklaring, '')", "Swedish search vector."),
    ("indikatorrad", "namn || ' ' || coalesce(analys, '')", "Swedish search vector over name and Analys."),
]


def _vectors(function: str) -> None:
    """Generated columns cannot change their expression before PostgreSQL 17: drop and add them again."""
    for table, expression, comment in _VECTORS:
        op.drop_index(f"ix_{table}_tsv", table_name=table)
        op.drop_column(table, "tsv")
        computed = (
            f"{function}({expression})"
            if function == "sokvektor"
            else f"to_tsvector('swedish'::regconfig, {expression})"
        )
        op.add_column(
            table,
            sa.Column(
                "tsv", postgresql.TSVECTOR(), sa.Computed(computed, persisted=True), nullable=False, comment=comment
            ),
        )
        op.create_index(f"ix_{table}_tsv", table, ["tsv"], unique=False, postgresql_using="gin")


def upgrade() -> None:
    op.execute(_SOKVEKTOR)
    _vectors("sokvektor")
    op.drop_constraint(op.f("ck_laddning_status"), "laddning", type_="check")
    op.create_check_constraint(op.f("ck_laddning_status"), "laddning", _NEW_STATUSES)
    op.alter_column(
        "laddning",
        "status",
        existing_type=sa.Text(),
        comment=_NEW_STATUS_COMMENT,
        existing_comment=_OLD_STATUS_COMMENT,
        existing_nullable=False,
    )
    op.alter_column(
        "laddning",
        "fel",
        existing_type=sa.Text(),
        comment=_NEW_FEL_COMMENT,
        existing_comment=_OLD_FEL_COMMENT,
        existing_nullable=True,
    )
    # Rows a killed run left `running` before runs held a liveness lock: no such run is alive after an upgrade
    # that nothing else runs beside.
    op.execute(
        "UPDATE laddning SET status = 'interrupted', avslutad = coalesce(avslutad, now()), "
        "fel = 'the load run ended before this file was done (killed or interrupted)' WHERE status = 'running'"
    )


def downgrade() -> None:
    _vectors("to_tsvector")
    op.execute("DROP FUNCTION sokvektor(text)")
    op.execute("UPDATE laddning SET status = 'failed' WHERE status IN ('refused', 'interrupted')")
    op.execute("DELETE FROM laddning WHERE status = 'deleted'")
    op.drop_constraint(op.f("ck_laddning_status"), "laddning", type_="check")
    op.create_check_constraint(op.f("ck_laddning_status"), "laddning", _OLD_STATUSES)
    op.alter_column(
        "laddning",
        "status",
        existing_type=sa.Text(),
        comment=_OLD_STATUS_COMMENT,
        existing_comment=_NEW_STATUS_COMMENT,
        existing_nullable=False,
    )
    op.alter_column(
        "laddning",
        "fel",
        existing_type=sa.Text(),
        comment=_OLD_FEL_COMMENT,
        existing_comment=_NEW_FEL_COMMENT,
        existing_nullable=True,
    )
