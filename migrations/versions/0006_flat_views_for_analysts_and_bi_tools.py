"""flat views for analysts and BI tools

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:00:00

Flat, documented views so an analyst (psql, Metabase, DBeaver, Excel) never writes the five-table join; the
saved queries read them too. Every view and column carries a COMMENT.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name -> (SELECT, view comment, {column: comment})
VIEWS: dict[str, tuple[str, str, dict[str, str]]] = {
    "v_indikatorrad": (
        """
        SELECT r.id AS indikatorrad_id, ra.id AS rapport_id, n.kortnamn AS namnd, p.ar, p.rapporttyp,
               p.etikett AS period, p.ordning AS periodordning, m.nummer AS mal, m.niva AS malniva,
               r.indikator_id, i.namn AS indikator, r.namn AS indikator_som_tryckt, i.niva AS indikatorniva,
               r.kf_indikator, r.enhet,
               ut.varde AS utfall, uk.varde AS utfall_kvinnor, um.varde AS utfall_man,
               r.foregaende_utfall, r.prognos, r.arsmal, r.kf_arsmal, r.text AS textceller, r.riktning,
               r.arsmal_uppnatt, r.arsmal_uppnatt_grund, r.osaker, r.analys, ra.kalla, r.rad
        FROM indikatorrad r
        JOIN indikator i ON i.id = r.indikator_id
        JOIN rapport ra ON ra.id = r.rapport_id
        JOIN namnd n ON n.id = ra.namnd_id
        JOIN period p ON p.id = ra.period_id
        LEFT JOIN mal m ON m.id = r.mal_id
        LEFT JOIN utfall ut ON ut.indikatorrad_id = r.id AND ut.kon = 'totalt'
        LEFT JOIN utfall uk ON uk.indikatorrad_id = r.id AND uk.kon = 'kvinnor'
        LEFT JOIN utfall um ON um.indikatorrad_id = r.id AND um.kon = 'man'
        """,
        "One row per indicator row of a report: district, year, report kind, the indicator (canonical name and "
        "as printed), outcomes totalt/kvinnor/män, targets, forecast, the target verdict with its reason, source.",
        {
            "indikatorrad_id": "The indicator row (indikatorrad.id).",
            "rapport_id": "The report (rapport.id).",
            "namnd": "Committee short name, e.g. 'Norrmalm'.",
            "ar": "Year.",
            "rapporttyp": "VP, T1, T2 or VB.",
            "period": "Period label, e.g. 'Tertial 1 2020'.",
            "periodordning": "Sort key within a year: VP 0, T1 1, T2 2, VB 3.",
            "mal": "Number of the enclosing goal, e.g. '1.4'.",
            "malniva": "Level of the enclosing goal (verksamhetsomradesmal = a KF goal, namndmal).",
            "indikator_id": "The indicator (indikator.id): the same across spellings and districts.",
            "indikator": "Canonical indicator name (the city's wording for a KF indicator).",
            "indikator_som_tryckt": "The indicator name as this report prints it.",
            "indikatorniva": "KF or namnd.",
            "kf_indikator": "True when this report lists the row under a KF goal.",
            "enhet": "Unit (%, st, …).",
            "utfall": "Periodens utfall, totalt.",
            "utfall_kvinnor": "Utfall kvinnor/flickor.",
            "utfall_man": "Utfall män/pojkar.",
            "foregaende_utfall": "Previous outcome (VB of the year before).",
            "prognos": "Full-year forecast (Prognos helår).",
            "arsmal": "The committee's annual target.",
            "kf_arsmal": "The council's annual target.",
            "textceller": "Text cells by column, e.g. {'kf_arsmal': 'Max 10 personer'}.",
            "riktning": "Direction the verdict used: hogre or lagre (NULL when nothing decides).",
            "arsmal_uppnatt": "Target met: the forecast in T1/T2, the outcome in VB; NULL when it cannot be told.",
            "arsmal_uppnatt_grund": "Why (the comparison and the evidence for the direction), or why no verdict.",
            "osaker": "NULL when the columns were assigned with certainty, else the reason they were not.",
            "analys": "The row's Analys comment.",
            "kalla": "Source file.",
            "rad": "Source line of the row.",
        },
    ),
    "v_indikatorutfall": (
        """
        SELECT u.id AS utfall_id, v.indikatorrad_id, v.rapport_id, v.namnd, v.ar, v.rapporttyp, v.period,
               v.periodordning, v.indikator_id, v.indikator, v.indikator_som_tryckt, v.kf_indikator, v.enhet,
               u.kon, u.varde, u.text AS cell, v.foregaende_utfall, v.prognos, v.arsmal, v.kf_arsmal,
               v.riktning, v.arsmal_uppnatt, v.arsmal_uppnatt_grund, v.osaker, v.kalla, u.rad
        FROM utfall u JOIN v_indikatorrad v ON v.indikatorrad_id = u.indikatorrad_id
        """,
        "One row per indicator outcome by kön: district, year, report kind, indicator, kön, value, targets, "
        "the row's target verdict and reason, source line. The long form for charts and BI tools.",
        {
            "utfall_id": "The outcome (utfall.id).",
            "indikatorrad_id": "The indicator row.",
            "rapport_id": "The report.",
            "namnd": "Committee short name.",
            "ar": "Year.",
            "rapporttyp": "VP, T1, T2 or VB.",
            "period": "Period label.",
            "periodordning": "Sort key within a year: VP 0, T1 1, T2 2, VB 3.",
            "indikator_id": "The indicator: the same across spellings and districts.",
            "indikator": "Canonical indicator name.",
            "indikator_som_tryckt": "The indicator name as printed.",
            "kf_indikator": "True when listed under a KF goal.",
            "enhet": "Unit.",
            "kon": "totalt, kvinnor or man.",
            "varde": "The outcome as a number; NULL for text cells.",
            "cell": "The cell as printed.",
            "foregaende_utfall": "Previous outcome (totalt).",
            "prognos": "Full-year forecast (totalt).",
            "arsmal": "The committee's annual target.",
            "kf_arsmal": "The council's annual target.",
            "riktning": "Direction the verdict used.",
            "arsmal_uppnatt": "The row's target verdict (on the total).",
            "arsmal_uppnatt_grund": "Why.",
            "osaker": "Why the row's columns are uncertain, if they are.",
            "kalla": "Source file.",
            "rad": "Source line.",
        },
    ),
    "v_ekonomicell": (
        """
        SELECT c.id AS ekonomicell_id, ra.id AS rapport_id, n.kortnamn AS namnd, p.ar, p.rapporttyp,
               p.ordning AS periodordning, t.id AS tabell_id, t.rubrik AS tabell, er.id AS ekonomirad_id,
               er.namn AS verksamhet, er.foralder_id IS NOT NULL AS varav, c.kolumn, c.kolumn_nr, c.storhet,
               c.matt, c.resultatoverforing, c.kolumn_ar, c.jamforelse_roll, c.varde, c.enhet, ra.kalla, c.rad
        FROM ekonomicell c
        JOIN ekonomirad er ON er.id = c.ekonomirad_id
        JOIN ekonomitabell t ON t.id = er.tabell_id
        JOIN rapport ra ON ra.id = c.rapport_id
        JOIN namnd n ON n.id = ra.namnd_id
        JOIN period p ON p.id = ra.period_id
        """,
        "One row per economy cell: district, year, report kind, table, row, the column's label and typed "
        "meaning (storhet, mått, före/efter resultatöverföringar, year, role in the budget comparison), value.",
        {
            "ekonomicell_id": "The cell (ekonomicell.id).",
            "rapport_id": "The report.",
            "namnd": "Committee short name.",
            "ar": "Year of the report.",
            "rapporttyp": "VP, T1, T2 or VB.",
            "periodordning": "Sort key within a year: VP 0, T1 1, T2 2, VB 3.",
            "tabell_id": "The table (ekonomitabell.id).",
            "tabell": "The table's heading.",
            "ekonomirad_id": "The row (ekonomirad.id).",
            "verksamhet": "Row label, e.g. 'Förskola', 'Totalt'.",
            "varav": "True for varav rows (part of the row above; do not add them to the total).",
            "kolumn": "Column label as printed.",
            "kolumn_nr": "Position of the column, from 1.",
            "storhet": "What the column holds: budget, utfall, prognos, avvikelse, prognosavvikelse, justering, resultat, ovrigt.",
            "matt": "netto, kostnad, intakt or brutto; NULL when the label does not say.",
            "resultatoverforing": "fore or efter resultatöverföringar; NULL when the label does not say.",
            "kolumn_ar": "The year the label names.",
            "jamforelse_roll": "budget, jamfort or avvikelse in the table's budget comparison for the report's year.",
            "varde": "The value as printed.",
            "enhet": "mnkr, tkr or %.",
            "kalla": "Source file.",
            "rad": "Source line of the value.",
        },
    ),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    for name, (select, comment, columns) in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {select}")
        op.execute(f"COMMENT ON VIEW {name} IS {_quote(comment)}")
        for column, text in columns.items():
            op.execute(f"COMMENT ON COLUMN {name}.{column} IS {_quote(text)}")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
