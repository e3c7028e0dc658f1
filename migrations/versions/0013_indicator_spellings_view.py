"""the indicators' spellings as a view

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 13:15:00.000000

indikatorer, indikatoralias and indikator_per_namnd each read every spelling of every indicator once, by
skipping along indikatoralias (indikator_id, namn) from one spelling to the next (a few hundred steps instead of
every report's aliases). The skip is written once, here, as v_indikatorstavning; the three queries read it. A
view only: no data changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SELECT = """
WITH RECURSIVE stavningar AS (
    (SELECT a.indikator_id, a.namn FROM indikatoralias a ORDER BY a.indikator_id, a.namn LIMIT 1)
    UNION ALL
    SELECT nasta.indikator_id, nasta.namn
    FROM stavningar s
    CROSS JOIN LATERAL (
        SELECT a.indikator_id, a.namn FROM indikatoralias a
        WHERE (a.indikator_id, a.namn) > (s.indikator_id, s.namn)
        ORDER BY a.indikator_id, a.namn
        LIMIT 1
    ) AS nasta
)
SELECT indikator_id, namn FROM stavningar
"""

COMMENTS = {
    "": "Every spelling of every indicator, once (read from indikatoralias by skipping along its index).",
    "indikator_id": "The indicator (indikator.id).",
    "namn": "A spelling some report prints it in.",
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute(f"CREATE VIEW v_indikatorstavning AS {SELECT}")
    for column, text in COMMENTS.items():
        target = "VIEW v_indikatorstavning" if not column else f"COLUMN v_indikatorstavning.{column}"
        op.execute(f"COMMENT ON {target} IS {_quote(text)}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_indikatorstavning")
