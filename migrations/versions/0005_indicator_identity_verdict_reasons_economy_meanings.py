"""indicator identity across spellings, verdict reasons, economy column meanings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:00:00

Schema: indikator.riktning may be NULL (nothing decides) and gets its evidence (riktning_grund); indikatorrad
gets the direction and the reason of its verdict; indikatoralias keeps every spelling of an indicator with
the report it comes from; ekonomicell gets the typed meaning of its column and its role in the table's
budget comparison.

Data: what the enrichment layer derives is derived again for the stored rows, as a reload with this version
would derive it: indicators are merged by their new identity key (one KF indicator across "socialpsykiatri"
/ "socialpsykiatrin", typos …), verdicts and indicator deviations are recomputed on evidence, economy
columns get their meaning and economy deviations are picked by it, and the plan evidence of uncertain rows is
rewritten (it used the old keys). The merge is not undone by a downgrade.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
    conn = op.get_bind()
    _merge_indicator_identities(conn)
    _fill_aliases(conn)
    _rederive_verdicts(conn)
    _describe_economy_columns(conn)
    _rewrite_plan_evidence(conn)


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


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _merge_indicator_identities(conn: sa.Connection) -> None:
    """One indikator per identity key: rows are regrouped by the key of the name they print; each group keeps
    the lowest id among its old indicators (a new row where that id went to another group)."""
    from malbas.etl.enrich.direction import direction_of
    from malbas.etl.enrich.identity import identify

    old = {
        id_: (niva, enhet) for id_, niva, enhet in conn.execute(sa.text("SELECT id, niva, enhet FROM indikator")).all()
    }
    rows = conn.execute(sa.text("SELECT id, namn, kf_indikator, indikator_id FROM indikatorrad ORDER BY id")).all()
    groups: dict[str, dict[str, Any]] = {}
    for row_id, namn, kf, indikator_id in rows:
        identity = identify(namn)
        group = groups.setdefault(identity.nyckel, {"identity": identity, "rows": [], "old": set(), "kf": False})
        group["rows"].append(row_id)
        group["old"].add(indikator_id)
        group["kf"] |= bool(kf) or identity.kf_referens or old[indikator_id][0] == "KF"
    conn.execute(sa.text("UPDATE indikator SET nyckel = 'gammal:' || id"))
    taken: set[int] = set()
    moves = []
    for key in sorted(groups):
        group = groups[key]
        identity = group["identity"]
        direction = direction_of(identity.namn)
        values = {
            "nyckel": key,
            "namn": identity.namn,
            "niva": "KF" if group["kf"] else "namnd",
            "enhet": next((old[i][1] for i in sorted(group["old"]) if old[i][1]), None),
            "riktning": direction.riktning,
            "grund": direction.grund,
        }
        free = sorted(i for i in group["old"] if i not in taken)
        if free:
            keep = free[0]
            conn.execute(
                sa.text(
                    "UPDATE indikator SET nyckel = :nyckel, namn = :namn, niva = :niva, enhet = :enhet, "
                    "riktning = :riktning, riktning_grund = :grund WHERE id = :id"
                ),
                values | {"id": keep},
            )
        else:
            keep = conn.execute(
                sa.text(
                    "INSERT INTO indikator (nyckel, namn, niva, enhet, riktning, riktning_grund) "
                    "VALUES (:nyckel, :namn, :niva, :enhet, :riktning, :grund) RETURNING id"
                ),
                values,
            ).scalar_one()
        taken.add(keep)
        moves += [{"row": row_id, "ind": keep} for row_id in group["rows"]]
    if moves:
        conn.execute(sa.text("UPDATE indikatorrad SET indikator_id = :ind WHERE id = :row"), moves)
    conn.execute(
        sa.text(
            "UPDATE utfall u SET indikator_id = r.indikator_id FROM indikatorrad r "
            "WHERE r.id = u.indikatorrad_id AND u.indikator_id <> r.indikator_id"
        )
    )
    # Indicators no row points at any more (merged into another, or left over from deleted reports).
    conn.execute(sa.text("DELETE FROM indikator WHERE nyckel LIKE 'gammal:%'"))


def _fill_aliases(conn: sa.Connection) -> None:
    from malbas.etl.enrich.identity import identify

    spellings = conn.execute(
        sa.text("SELECT rapport_id, namn, min(indikator_id), min(rad) FROM indikatorrad GROUP BY rapport_id, namn")
    ).all()
    rows = [
        {"rapport_id": r, "indikator_id": i, "namn": n, "grund": identify(n).grund.value, "rad": rad}
        for r, n, i, rad in spellings
    ]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO indikatoralias (rapport_id, indikator_id, namn, grund, rad) "
                "VALUES (:rapport_id, :indikator_id, :namn, :grund, :rad)"
            ),
            rows,
        )


def _rederive_verdicts(conn: sa.Connection) -> None:
    """Verdicts with reasons, and the indicator deviations that follow from them."""
    from malbas.etl.enrich.verdicts import target_verdict
    from malbas.etl.parse.records import IndicatorRow

    rows = conn.execute(
        sa.text(
            """
            SELECT r.id, r.rapport_id, r.namn, r.rad, r.prognos, r.arsmal, r.kf_arsmal, r.text, r.osaker,
                   r.analys, p.rapporttyp,
                   (SELECT u.varde FROM utfall u WHERE u.indikatorrad_id = r.id AND u.kon = 'totalt') AS utfall
            FROM indikatorrad r JOIN rapport ra ON ra.id = r.rapport_id JOIN period p ON p.id = ra.period_id
            """
        )
    ).mappings()
    updates, deviations = [], []
    for r in rows:
        row = IndicatorRow(
            namn=r["namn"],
            rad=r["rad"],
            utfall=_num(r["utfall"]),
            prognos=_num(r["prognos"]),
            arsmal=_num(r["arsmal"]),
            kf_arsmal=_num(r["kf_arsmal"]),
            text=dict(r["text"] or {}),
            osaker=r["osaker"],
        )
        verdict = target_verdict(row, r["rapporttyp"])
        updates.append(
            {
                "id": r["id"],
                "riktning": verdict.riktning.value if verdict.riktning else None,
                "uppnatt": verdict.uppnatt,
                "grund": verdict.grund,
            }
        )
        if verdict.uppnatt is False:
            deviations.append(
                {"rapport_id": r["rapport_id"], "id": r["id"], "forklaring": r["analys"], "rad": r["rad"]}
            )
    if updates:
        conn.execute(
            sa.text(
                "UPDATE indikatorrad SET riktning = :riktning, arsmal_uppnatt = :uppnatt, "
                "arsmal_uppnatt_grund = :grund WHERE id = :id"
            ),
            updates,
        )
    conn.execute(sa.text("DELETE FROM avvikelse WHERE typ = 'indikator'"))
    if deviations:
        conn.execute(
            sa.text(
                "INSERT INTO avvikelse (rapport_id, typ, indikatorrad_id, forklaring, rad) "
                "VALUES (:rapport_id, 'indikator', :id, :forklaring, :rad)"
            ),
            deviations,
        )


def _describe_economy_columns(conn: sa.Connection) -> None:
    """Column meanings and budget-comparison roles per table; economy deviations picked by them."""
    from malbas.etl.enrich.economy import column_meaning, comparison_roles, reports_deviation
    from malbas.etl.parse.records import EconomyCell

    cells = conn.execute(
        sa.text(
            """
            SELECT c.id, c.kolumn, c.varde, c.enhet, c.rad, er.id AS rad_id, er.namn AS rad_namn, er.rad AS rad_rad,
                   er.foralder_id, t.id AS tabell_id, t.rubrik, t.rad AS tabell_rad, ra.id AS rapport_id,
                   p.rapporttyp, p.ar
            FROM ekonomicell c
            JOIN ekonomirad er ON er.id = c.ekonomirad_id
            JOIN ekonomitabell t ON t.id = er.tabell_id
            JOIN rapport ra ON ra.id = t.rapport_id
            JOIN period p ON p.id = ra.period_id
            ORDER BY t.id, er.rad, c.kolumn_nr, c.id
            """
        )
    ).mappings()
    tables: dict[int, list[tuple[Any, EconomyCell]]] = {}
    for c in cells:
        record = EconomyCell(
            tabell=c["rubrik"],
            rad_namn=c["rad_namn"],
            kolumn=c["kolumn"],
            varde=float(c["varde"]),
            enhet=c["enhet"],
            rad=c["rad_rad"],
            tabell_rad=c["tabell_rad"],
            overordnad_rad="" if c["foralder_id"] is not None else None,
        )
        tables.setdefault(c["tabell_id"], []).append((c, record))
    updates, deviations = [], []
    for table_cells in tables.values():
        first = table_cells[0][0]
        roles = comparison_roles([rec for _, rec in table_cells], first["rapporttyp"], first["ar"])
        by_row: dict[int, list[EconomyCell]] = {}
        for c, rec in table_cells:
            meaning = column_meaning(rec.kolumn)
            role = roles.get(rec.kolumn)
            updates.append(
                {
                    "id": c["id"],
                    "storhet": meaning.storhet.value,
                    "matt": meaning.matt.value if meaning.matt else None,
                    "fe": meaning.resultatoverforing.value if meaning.resultatoverforing else None,
                    "ar": meaning.ar,
                    "roll": role.value if role else None,
                }
            )
            by_row.setdefault(c["rad_id"], []).append(rec)
        if first["rapporttyp"] != "VP":
            deviations += [
                {"rapport_id": first["rapport_id"], "rad_id": rad_id, "rad": recs[0].rad}
                for rad_id, recs in by_row.items()
                if reports_deviation(recs, roles)
            ]
    if updates:
        conn.execute(
            sa.text(
                "UPDATE ekonomicell SET storhet = :storhet, matt = :matt, resultatoverforing = :fe, "
                "kolumn_ar = :ar, jamforelse_roll = :roll WHERE id = :id"
            ),
            updates,
        )
    conn.execute(sa.text("DELETE FROM avvikelse WHERE typ = 'ekonomi'"))
    if deviations:
        conn.execute(
            sa.text(
                "INSERT INTO avvikelse (rapport_id, typ, ekonomirad_id, rad) VALUES (:rapport_id, 'ekonomi', :rad_id, :rad)"
            ),
            deviations,
        )


def _rewrite_plan_evidence(conn: sa.Connection) -> None:
    """The plan note of uncertain follow-up rows, against the plan's targets under the new keys."""
    from malbas.etl.enrich.plan_evidence import plan_note

    plans: dict[tuple[int, int], dict[str, tuple[float | None, float | None]]] = {}
    for namnd_id, ar, key, arsmal, kf in conn.execute(
        sa.text(
            """
            SELECT ra.namnd_id, p.ar, i.nyckel, r.arsmal, r.kf_arsmal
            FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id
            JOIN rapport ra ON ra.id = r.rapport_id JOIN period p ON p.id = ra.period_id
            WHERE p.rapporttyp = 'VP' ORDER BY r.rad
            """
        )
    ):
        plans.setdefault((namnd_id, ar), {})[key] = (_num(arsmal), _num(kf))
    rows = conn.execute(
        sa.text(
            """
            SELECT r.id, r.osaker, r.arsmal, r.kf_arsmal, i.nyckel, ra.namnd_id, p.ar
            FROM indikatorrad r JOIN indikator i ON i.id = r.indikator_id
            JOIN rapport ra ON ra.id = r.rapport_id JOIN period p ON p.id = ra.period_id
            WHERE p.rapporttyp <> 'VP' AND r.osaker IS NOT NULL
            """
        )
    ).all()
    changed = []
    for row_id, osaker, arsmal, kf, key, namnd_id, ar in rows:
        plan = plans.get((namnd_id, ar))
        note = plan_note(osaker, _num(arsmal), _num(kf), plan.get(key) if plan is not None else None)
        if note != osaker:
            changed.append({"id": row_id, "osaker": note})
    if changed:
        conn.execute(sa.text("UPDATE indikatorrad SET osaker = :osaker WHERE id = :id"), changed)


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
