"""indicator identity across spellings, verdict reasons, economy column meanings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:00:00

Schema: indikator.riktning may be NULL (nothing decides) and gets its evidence (riktning_grund); indikatorrad
gets the direction and the reason of its verdict; indikatoralias keeps every spelling of an indicator with
the report it comes from; ekonomicell gets the typed meaning of its column and its role in the table's
budget comparison.

Data: the new columns are derived from the stored rows by malbas itself after the upgrade (REDERIVE below;
malbas.database.migrate runs etl/load/rederive.py), so this migration never depends on application code:
indicators are merged by their identity key, verdicts, deviations, column meanings and plan evidence are
derived again. The merge is not undone by a downgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The meaning of derived columns changed: after upgrading past this revision, malbas derives them again.
REDERIVE = True


def upgrade() -> None:
    op.alter_column(
        "indikator",
        "riktning",
        existing_type=sa.TEXT(),
        nullable=True,
        comment="Which way is better: hogre or lagre, from the KF reference table or the name; NULL when nothing "
        "decides (a row's own text cells, e.g. 'Max 10 personer', may still decide its verdict).",
    )
    op.add_column(
        "indikator",
        sa.Column(
            "riktning_grund", sa.Text(), nullable=True, comment="The evidence for riktning, or why it is unknown."
        ),
    )
    op.alter_column(
        "indikator",
        "nyckel",
        existing_type=sa.TEXT(),
        existing_nullable=False,
        comment="Identity key: the name's words stemmed (Swedish), so inflection, punctuation and, for KF "
        "indicators, typos of one name share it.",
    )
    op.alter_column(
        "indikator",
        "namn",
        existing_type=sa.TEXT(),
        existing_nullable=False,
        comment="Canonical name: the city's wording for a KF indicator (reference table), else as first printed.",
    )
    op.create_table_comment(
        "indikator",
        "An indicator shared across reports and districts: one row per indicator, whatever its spelling (the "
        "spellings seen are in indikatoralias).",
    )
    op.add_column(
        "indikatorrad",
        sa.Column(
            "riktning",
            sa.Text(),
            nullable=True,
            comment="The direction the verdict used: hogre or lagre (from the row's text cells, the KF reference "
            "table or the name); NULL when nothing decides or the target is a band ('+/- 1 %').",
        ),
    )
    op.create_check_constraint(op.f("ck_indikatorrad_riktning"), "indikatorrad", "riktning IN ('hogre', 'lagre')")
    op.add_column(
        "indikatorrad",
        sa.Column(
            "arsmal_uppnatt_grund",
            sa.Text(),
            nullable=True,
            comment="Why: the comparison and the evidence for the direction (e.g. 'utfall 12,1 > årsmål 10; lägre "
            "är bättre (KF:s årsmål ''Max 10 personer'')'), or why there is no verdict.",
        ),
    )
    op.alter_column(
        "indikatorrad",
        "arsmal_uppnatt",
        existing_type=sa.BOOLEAN(),
        existing_nullable=True,
        comment="Whether the årsmål is met: the full-year forecast in T1/T2, the outcome in VB, in the "
        "indicator's direction; NULL when it cannot be told (arsmal_uppnatt_grund says why; always in plans).",
    )
    op.create_table(
        "indikatoralias",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("rapport_id", sa.Integer(), nullable=False, comment="Source report."),
        sa.Column("indikator_id", sa.Integer(), nullable=False, comment="The indicator."),
        sa.Column("namn", sa.Text(), nullable=False, comment="The name as printed in the report."),
        sa.Column(
            "grund",
            sa.Text(),
            nullable=False,
            comment="How it matched: namn (its own stemmed words), referens (a KF indicator's key in the reference "
            "table), alias (a wording the table lists), stavning (within typo distance of a KF indicator).",
        ),
        sa.Column("rad", sa.Integer(), nullable=False, comment="Source line of the first row with this spelling."),
        sa.CheckConstraint("grund IN ('namn', 'referens', 'alias', 'stavning')", name=op.f("ck_indikatoralias_grund")),
        sa.ForeignKeyConstraint(
            ["indikator_id"], ["indikator.id"], name=op.f("fk_indikatoralias_indikator_id_indikator")
        ),
        sa.ForeignKeyConstraint(
            ["rapport_id"], ["rapport.id"], name=op.f("fk_indikatoralias_rapport_id_rapport"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indikatoralias")),
        sa.UniqueConstraint("rapport_id", "namn", name=op.f("uq_indikatoralias_rapport_id_namn")),
        comment="Every spelling of an indicator seen, with the report it comes from and how it was matched to "
        "its indicator.",
    )
    op.create_index("ix_indikatoralias_indikator", "indikatoralias", ["indikator_id"], unique=False)
    op.create_index(op.f("ix_indikatoralias_rapport_id"), "indikatoralias", ["rapport_id"], unique=False)
    _economy_columns()


def _economy_columns() -> None:
    op.add_column(
        "ekonomicell",
        sa.Column(
            "storhet",
            sa.Text(),
            server_default="ovrigt",
            nullable=False,
            comment="What the column holds, read from its label: budget, utfall (Utfall/Bokslut), prognos, "
            "avvikelse (Avvikelse/Differens), prognosavvikelse, justering, resultat, ovrigt.",
        ),
    )
    op.add_column(
        "ekonomicell",
        sa.Column(
            "matt",
            sa.Text(),
            nullable=True,
            comment="Which money the column counts: netto, kostnad, intakt, brutto; NULL when the label does not say.",
        ),
    )
    op.add_column(
        "ekonomicell",
        sa.Column(
            "resultatoverforing",
            sa.Text(),
            nullable=True,
            comment="fore or efter the result units' transfers between years; NULL when the label does not say.",
        ),
    )
    op.add_column(
        "ekonomicell",
        sa.Column(
            "kolumn_ar",
            sa.SmallInteger(),
            nullable=True,
            comment="The year the column label names (the last one), NULL when it names none.",
        ),
    )
    op.add_column(
        "ekonomicell",
        sa.Column(
            "jamforelse_roll",
            sa.Text(),
            nullable=True,
            comment="Role in the table's budget comparison for the report's year: budget, jamfort (the outcome in "
            "VB, the forecast in T1/T2, same measure as the budget) or avvikelse; NULL for other columns and in plans.",
        ),
    )
    op.create_check_constraint(
        op.f("ck_ekonomicell_storhet"),
        "ekonomicell",
        "storhet IN ('budget', 'utfall', 'prognos', 'avvikelse', 'prognosavvikelse', 'justering', 'resultat', 'ovrigt')",
    )
    op.create_check_constraint(
        op.f("ck_ekonomicell_matt"), "ekonomicell", "matt IN ('netto', 'kostnad', 'intakt', 'brutto')"
    )
    op.create_check_constraint(
        op.f("ck_ekonomicell_resultatoverforing"), "ekonomicell", "resultatoverforing IN ('fore', 'efter')"
    )
    op.create_check_constraint(
        op.f("ck_ekonomicell_jamforelse_roll"), "ekonomicell", "jamforelse_roll IN ('budget', 'jamfort', 'avvikelse')"
    )
    op.create_table_comment("ekonomicell", "A numeric cell of an economy table, with the typed meaning of its column.")


def downgrade() -> None:
    op.drop_table_comment(
        "ekonomicell", existing_comment="A numeric cell of an economy table, with the typed meaning of its column."
    )
    op.create_table_comment("ekonomicell", "A numeric cell of an economy table.")
    for name in ("jamforelse_roll", "resultatoverforing", "matt", "storhet"):
        op.drop_constraint(op.f(f"ck_ekonomicell_{name}"), "ekonomicell", type_="check")
    for name in ("jamforelse_roll", "kolumn_ar", "resultatoverforing", "matt", "storhet"):
        op.drop_column("ekonomicell", name)
    op.drop_index(op.f("ix_indikatoralias_rapport_id"), table_name="indikatoralias")
    op.drop_index("ix_indikatoralias_indikator", table_name="indikatoralias")
    op.drop_table("indikatoralias")
    op.alter_column(
        "indikatorrad",
        "arsmal_uppnatt",
        existing_type=sa.BOOLEAN(),
        existing_nullable=True,
        comment="Whether the årsmål is met: the full-year forecast in T1/T2, the outcome in VB, in the "
        "indicator's direction; NULL when either value is missing (and in plans).",
    )
    op.drop_column("indikatorrad", "arsmal_uppnatt_grund")
    op.drop_constraint(op.f("ck_indikatorrad_riktning"), "indikatorrad", type_="check")
    op.drop_column("indikatorrad", "riktning")
    op.create_table_comment(
        "indikator", "An indicator definition shared across reports and districts, keyed by its normalised name."
    )
    op.alter_column(
        "indikator",
        "namn",
        existing_type=sa.TEXT(),
        existing_nullable=False,
        comment="Name as first printed.",
    )
    op.alter_column(
        "indikator",
        "nyckel",
        existing_type=sa.TEXT(),
        existing_nullable=False,
        comment="Normalised name (lower case, letters and digits only) that matches across reports.",
    )
    op.drop_column("indikator", "riktning_grund")
    op.execute("UPDATE indikator SET riktning = 'hogre' WHERE riktning IS NULL")
    op.alter_column(
        "indikator",
        "riktning",
        existing_type=sa.TEXT(),
        nullable=False,
        comment="Which way is better: hogre, or lagre for shares on bistånd, sick leave, waiting times … "
        "(read from the name; used to tell whether a target is met).",
    )
