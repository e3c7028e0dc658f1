"""Migrations on populated databases: data stored at the oldest revision survives every upgrade to head.

Each migration that changes data gets a case here: fill a database at the revision before it (by hand, in that
revision's schema), upgrade, check the data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from malbas.database import Target, current_revision, head_revision, migrate
from malbas.urls import to_libpq_url, to_sqlalchemy_url


@pytest.fixture
def scratch(server_url: str) -> Iterator[tuple[Target, Engine]]:
    """An empty database of its own (not the session's), dropped afterwards."""
    name = f"malbas_mig_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(to_sqlalchemy_url(server_url)).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        yield Target(url=to_libpq_url(url), embedded=False, where="migration test"), engine
    finally:
        engine.dispose()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# A database as revision 0001 stored it: two spellings of one committee (a report of the same period under
# each, the second loaded later), an indicator whose lower values are better, forecasts, outcomes and an
# economy table whose cells predate column numbers.
_AT_0001 = """
INSERT INTO namnd (id, namn, kortnamn, typ) VALUES
    (1, 'Skärholmens stadsdelsnämnd', 'Skärholmen', 'stadsdelsnamnd'),
    (2, 'Skärholmen stadsdelsnämnd', 'Skärholmen', 'stadsdelsnamnd'),
    (3, 'Kungsholmens stadsdelsnämnd', 'Kungsholmen', 'stadsdelsnamnd');
INSERT INTO period (id, ar, rapporttyp, etikett, startdatum, slutdatum, ordning) VALUES
    (1, 2021, 'T1', 'Tertial 1 2021', '2021-01-01', '2021-04-30', 1),
    (2, 2021, 'VB', 'VB 2021', '2021-01-01', '2021-12-31', 3);
INSERT INTO rapport (id, namnd_id, period_id, kalla, sha256, textform, parser_version, laddad, antal, varningar)
VALUES
    (1, 1, 1, 't1-old.txt', 'a1', 'layout', '1.2', '2021-05-10', '{}', '[]'),
    (2, 2, 1, 't1-new.txt', 'a2', 'layout', '1.2', '2021-05-20', '{}', '[]'),
    (3, 2, 2, 'vb.txt', 'a3', 'tabbed', '1.2', '2022-02-01', '{}', '[]'),
    (4, 3, 2, 'kungsholmen-vb.txt', 'a4', 'tabbed', '1.2', '2022-02-02', '{}', '[]');
INSERT INTO indikator (id, nyckel, namn, enhet, niva, riktning) VALUES
    (1, 'andelnojda', 'Andel nöjda', '%', 'KF', 'hogre'),
    (2, 'sjukfranvaro', 'Sjukfrånvaro', '%', 'namnd', 'lagre');
INSERT INTO indikatorrad (id, rapport_id, indikator_id, namn, kf_indikator, prognos, arsmal, text, celler, rad) VALUES
    (1, 1, 1, 'Andel nöjda', true, 80, 85, '{}', '{}', 10),
    (2, 2, 1, 'Andel nöjda', true, 90, 85, '{}', '{}', 10),
    (3, 2, 2, 'Sjukfrånvaro', false, 7, 6, '{}', '{}', 20),
    (4, 3, 1, 'Andel nöjda', true, NULL, 85, '{}', '{}', 30),
    (5, 3, 2, 'Sjukfrånvaro', false, NULL, 6, '{}', '{}', 40),
    (6, 4, 1, 'Andel nöjda', true, NULL, NULL, '{}', '{}', 50);
INSERT INTO utfall (rapport_id, indikatorrad_id, indikator_id, kon, varde, text, rad) VALUES
    (2, 2, 1, 'totalt', 70, '70', 10),
    (3, 4, 1, 'totalt', 84, '84', 30),
    (3, 4, 1, 'kvinnor', 88, '88', 30),
    (3, 5, 2, 'totalt', 5.5, '5,5', 40),
    (4, 6, 1, 'totalt', 91, '91', 50);
INSERT INTO ekonomitabell (id, rapport_id, rubrik, rad) VALUES (1, 3, 'Driftbudget', 100);
INSERT INTO ekonomirad (id, rapport_id, tabell_id, namn, rad) VALUES (1, 3, 1, 'Förskola', 101), (2, 3, 1, 'Summa', 102);
INSERT INTO ekonomicell (id, rapport_id, ekonomirad_id, kolumn, varde, enhet, text, rad) VALUES
    (1, 3, 1, 'Budget 2021', 10, 'mnkr', '10', 101),
    (2, 3, 1, 'Utfall 2021', 9, 'mnkr', '9', 101),
    (3, 3, 1, 'Avvikelse', 1, 'mnkr', '1', 101),
    (4, 3, 2, 'Budget 2021', 10, 'mnkr', '10', 102),
    (5, 3, 2, 'Avvikelse', 1, 'mnkr', '1', 102);
"""


def test_the_package_knows_the_head_revision_without_alembic() -> None:
    # `require_schema` compares the database with this constant; a new migration must update it.
    from malbas.revision import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_a_populated_database_upgrades_from_the_first_revision_to_head(scratch) -> None:
    target, engine = scratch
    migrate(target, "0001")
    with engine.begin() as conn:
        for statement in _AT_0001.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    migrate(target)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        namnd = conn.execute(text("SELECT id, namn, kortnamn FROM namnd ORDER BY id")).all()
        reports = conn.execute(text("SELECT id, namnd_id, kalla FROM rapport ORDER BY id")).all()
        verdicts = dict(conn.execute(text("SELECT id, arsmal_uppnatt FROM indikatorrad")).all())
        columns = conn.execute(text("SELECT id, kolumn_nr FROM ekonomicell ORDER BY id")).all()
        outcomes = conn.execute(text("SELECT count(*) FROM utfall")).scalar_one()
    # One committee per short name; the first-created spelling stays.
    assert namnd == [(1, "Skärholmens stadsdelsnämnd", "Skärholmen"), (3, "Kungsholmens stadsdelsnämnd", "Kungsholmen")]
    # The T1 loaded later is current; the older one went with its rows; the VB moved to the kept committee.
    assert reports == [(2, 1, "t1-new.txt"), (3, 1, "vb.txt"), (4, 3, "kungsholmen-vb.txt")]
    assert 1 not in verdicts
    # T1: forecast 90 vs 85 (higher is better) is met; sick leave forecast 7 vs 6 (lower is better) is not.
    # VB: outcome 84 vs 85 is not met; sick leave 5,5 vs 6 is; no årsmål, no verdict.
    assert verdicts == {2: True, 3: False, 4: False, 5: True, 6: None}
    # Columns numbered by first appearance in their table: Budget 1, Utfall 2, Avvikelse 3.
    assert [nr for _, nr in columns] == [1, 2, 3, 1, 3]
    assert outcomes == 5  # no outcome of a kept report was lost (the dropped T1 had none)


# A database as revision 0003 stored it: one KF indicator split by inflection into two indikator rows, verdicts by
# the old keyword rule (Personalkontinuitet stored as met, the 48-hour share as not met), an economy table whose
# forecast before transfers sat beside a deviation after them, and a plan whose Differens was stored as a deviation.
_AT_0003 = """
INSERT INTO namnd (id, namn, kortnamn, typ) VALUES (1, 'Norrmalms stadsdelsnämnd', 'Norrmalm', 'stadsdelsnamnd');
INSERT INTO period (id, ar, rapporttyp, etikett, startdatum, slutdatum, ordning) VALUES
    (1, 2021, 'VB', 'VB 2021', '2021-01-01', '2021-12-31', 3),
    (2, 2021, 'VP', 'Verksamhetsplan 2021', '2021-01-01', '2021-12-31', 0),
    (3, 2021, 'T1', 'Tertial 1 2021', '2021-01-01', '2021-04-30', 1);
INSERT INTO rapport (id, namnd_id, period_id, kalla, sha256, textform, parser_version, antal, varningar) VALUES
    (1, 1, 1, 'vb.txt', 'b1', 'layout', '1.3', '{}', '[]'),
    (2, 1, 2, 'vp.txt', 'b2', 'tabbed', '1.3', '{}', '[]'),
    (3, 1, 3, 't1.txt', 'b3', 'layout', '1.3', '{}', '[]');
INSERT INTO indikator (id, nyckel, namn, enhet, niva, riktning) VALUES
    (1, 'andelbrukareinomsocialpsykiatrisominteupplevermdiskriminering', 'Andel brukare inom socialpsykiatri som inte upplever diskriminering', '%', 'KF', 'hogre'),
    (2, 'andelbrukareinomsocialpsykiatrinsominteupplevermdiskriminering', 'Andel brukare inom socialpsykiatrin som inte upplever diskriminering', '%', 'KF', 'hogre'),
    (3, 'antalpersonal', 'Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod', 'personer', 'KF', 'hogre'),
    (4, 'andelbarn48', 'Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallats till samtal med socialtjänsten inom 48 timmar', '%', 'KF', 'lagre'),
    (5, 'orphan', 'Left over from a deleted report', NULL, 'namnd', 'hogre');
INSERT INTO indikatorrad (id, rapport_id, indikator_id, namn, kf_indikator, prognos, arsmal, kf_arsmal, text, celler, osaker, arsmal_uppnatt, rad) VALUES
    (1, 1, 2, 'Andel brukare inom socialpsykiatrin som inte upplever diskriminering', true, NULL, 92, NULL, '{"kf_arsmal": "öka"}', '{}', NULL, false, 2213),
    (2, 2, 1, 'Andel brukare inom socialpsykiatri som inte upplever diskriminering', true, NULL, 90, NULL, '{"kf_arsmal": "öka"}', '{}', NULL, NULL, 743),
    (3, 1, 3, 'Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod', true, NULL, 10, NULL, '{"kf_arsmal": "Max 10 personer"}', '{}', NULL, true, 3485),
    (4, 1, 4, 'Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallats till samtal med socialtjänsten inom 48 timmar', true, NULL, 75, NULL, '{"kf_arsmal": "Tas fram av nämnd"}', '{}', NULL, false, 2153),
    (5, 3, 2, 'Andel brukare inom socialpsykiatrin som inte upplever diskriminering', true, 95, 92, NULL, '{"kf_arsmal": "öka"}', '{}', 'kolumnerna osäkra; verksamhetsplanen anger målen 91', true, 2300),
    (6, 2, 3, 'Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod', true, NULL, 9, NULL, '{"kf_arsmal": "Max 10 personer"}', '{}', NULL, NULL, 975);
INSERT INTO utfall (rapport_id, indikatorrad_id, indikator_id, kon, varde, text, rad) VALUES
    (1, 1, 2, 'totalt', 90, '90 %', 2213),
    (1, 3, 3, 'totalt', 12.1, '12,1', 3485),
    (1, 4, 4, 'totalt', 100, '100 %', 2153);
INSERT INTO avvikelse (rapport_id, typ, indikatorrad_id, forklaring, rad) VALUES (1, 'indikator', 4, 'fel', 2153);
INSERT INTO ekonomitabell (id, rapport_id, rubrik, rad) VALUES (1, 1, 'Driftbudget per verksamhetsområde', 100), (2, 2, 'Förskola', 200);
INSERT INTO ekonomirad (id, rapport_id, tabell_id, namn, rad) VALUES
    (1, 1, 1, 'Förskoleverksamhet', 101), (2, 1, 1, 'Totalt', 102), (3, 2, 2, 'Förskola', 201);
INSERT INTO ekonomicell (id, rapport_id, ekonomirad_id, kolumn, kolumn_nr, varde, enhet, text, rad) VALUES
    (1, 1, 1, 'Budget 2021 (netto)', 1, 407.3, 'mnkr', '407,3', 101),
    (2, 1, 1, 'Bokslut före resultatöverföringar', 2, 403.0, 'mnkr', '403,0', 101),
    (3, 1, 1, 'Bokslut efter resultatöverföringar', 3, 407.3, 'mnkr', '407,3', 101),
    (4, 1, 1, 'Avvikelse efter resultatöverföringar', 4, 0.0, 'mnkr', '0,0', 101),
    (5, 1, 2, 'Budget 2021 (netto)', 1, 1966.2, 'mnkr', '1966,2', 102),
    (6, 1, 2, 'Bokslut före resultatöverföringar', 2, 1914.4, 'mnkr', '1914,4', 102),
    (7, 1, 2, 'Bokslut efter resultatöverföringar', 3, 1918.4, 'mnkr', '1918,4', 102),
    (8, 1, 2, 'Avvikelse efter resultatöverföringar', 4, 47.8, 'mnkr', '47,8', 102),
    (9, 2, 3, 'Budget 2021 Netto', 1, 322.7, 'mnkr', '322,7', 201),
    (10, 2, 3, 'Budget 2020 Netto', 2, 320.0, 'mnkr', '320,0', 201),
    (11, 2, 3, 'Differens', 3, 2.7, 'mnkr', '2,7', 201);
INSERT INTO avvikelse (rapport_id, typ, ekonomirad_id, rad) VALUES (2, 'ekonomi', 3, 201);
"""


def _fill(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        for statement in sql.split(";\n"):  # statements end a line; texts may hold a ';'
            if statement.strip():
                conn.execute(text(statement))


def test_upgrade_from_0003_merges_spellings_and_derives_verdicts_and_economy_meanings_again(scratch) -> None:
    target, engine = scratch
    migrate(target, "0003")
    _fill(engine, _AT_0003)
    migrate(target)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        indicators = q("SELECT id, namn, riktning FROM indikator ORDER BY id")
        rows = dict(q("SELECT id, indikator_id FROM indikatorrad"))
        outcomes = q("SELECT DISTINCT indikator_id FROM utfall WHERE indikatorrad_id IN (1, 3)")
        verdicts = {
            i: (v, r, g)
            for i, v, r, g in q("SELECT id, arsmal_uppnatt, riktning, arsmal_uppnatt_grund FROM indikatorrad")
        }
        deviations = q(
            "SELECT typ, indikatorrad_id, ekonomirad_id FROM avvikelse ORDER BY typ, indikatorrad_id, ekonomirad_id"
        )
        aliases = q("SELECT rapport_id, namn, grund FROM indikatoralias ORDER BY rapport_id, namn")
        cells = {
            i: (s, m, f, a, r)
            for i, s, m, f, a, r in q(
                "SELECT id, storhet, matt, resultatoverforing, kolumn_ar, jamforelse_roll FROM ekonomicell"
            )
        }
        osaker = dict(q("SELECT id, osaker FROM indikatorrad WHERE osaker IS NOT NULL"))
        view = q("SELECT namnd, indikator, arsmal_uppnatt FROM v_indikatorrad WHERE rad = 3485")
    # The two spellings are one indicator now (the lower id kept), the orphan is gone, the names are canonical.
    assert rows[1] == rows[2] == rows[5] == 1 and rows[3] == rows[6] == 3 and rows[4] == 4
    assert sorted(outcomes) == [(1,), (3,)]
    assert [i for i, *_ in indicators] == [1, 3, 4]
    assert indicators[0][1] == "Andel brukare inom socialpsykiatri som inte upplever diskriminering"
    assert (indicators[1][2], indicators[2][2]) == ("lagre", "hogre")
    # Personalkontinuitet 12,1 against 10 with "Max 10 personer" is not met; the 48-hour share 100 % against 75 % is.
    assert verdicts[3][:2] == (False, "lagre") and "Max 10 personer" in verdicts[3][2]
    assert verdicts[4][:2] == (True, "hogre")
    assert verdicts[1][:2] == (False, "hogre")  # 90 against 92, KF:s årsmål "öka"
    assert verdicts[2][0] is None and verdicts[2][2].startswith("verksamhetsplan")
    assert verdicts[5][0] is True  # T1 forecast 95 against 92
    # Deviations follow: the indicator rows that miss their target, and only the follow-up's economy row whose
    # deviation for the year (after transfers) is not zero. The plan's Differens is no deviation any more.
    assert deviations == [("ekonomi", None, 2), ("indikator", 1, None), ("indikator", 3, None)]
    # Every spelling with its report: the VP spells "socialpsykiatri", the VB and T1 "socialpsykiatrin".
    assert ("Andel brukare inom socialpsykiatri som inte upplever diskriminering", "referens") in [
        (n, g) for _, n, g in aliases
    ]
    assert sum(1 for r, n, _ in aliases if n.endswith("socialpsykiatrin som inte upplever diskriminering")) == 2
    # Economy columns by meaning; the deviation after transfers is paired with the outcome after transfers.
    assert cells[1] == ("budget", "netto", None, 2021, "budget")
    assert cells[2] == ("utfall", None, "fore", None, None)
    assert cells[3] == ("utfall", None, "efter", None, "jamfort")
    assert cells[4] == ("avvikelse", None, "efter", None, "avvikelse")
    assert cells[11] == ("avvikelse", None, None, None, None)  # a plan has no comparison roles
    # The T1's plan note is rewritten against the plan under the new key: the plan's 90 for the merged indicator.
    assert osaker == {5: "kolumnerna osäkra; the plan (VP) gives the targets 90"}
    assert view == [
        (
            "Norrmalm",
            "Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod",
            False,
        )
    ]


def test_views_and_their_columns_carry_comments(scratch) -> None:
    target, engine = scratch
    migrate(target)
    with engine.connect() as conn:
        views = conn.execute(
            text(
                "SELECT c.relname, obj_description(c.oid) FROM pg_class c WHERE c.relkind = 'v' "
                "AND c.relnamespace = 'public'::regnamespace ORDER BY 1"
            )
        ).all()
        missing = conn.execute(
            text(
                "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                "WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 "
                "AND col_description(c.oid, a.attnum) IS NULL"
            )
        ).all()
    assert [v for v, _ in views] == ["v_ekonomicell", "v_indikatorrad", "v_indikatorstavning", "v_indikatorutfall"]
    assert all(comment for _, comment in views)
    assert missing == []


_AT_0003_HISTORY = """
INSERT INTO namnd (id, namn, kortnamn, typ) VALUES (1, 'Norrmalms stadsdelsnämnd', 'Norrmalm', 'stadsdelsnamnd');
INSERT INTO period (id, ar, rapporttyp, etikett, startdatum, slutdatum, ordning)
    VALUES (1, 2021, 'VB', 'VB 2021', '2021-01-01', '2021-12-31', 3);
INSERT INTO rapport (id, namnd_id, period_id, kalla, sha256, textform, parser_version, laddad, antal, varningar)
    VALUES (1, 1, 1, 'vb.txt', 'a1', 'layout', '1.4', '2022-02-01', '{"mal": 1}', '[]');
INSERT INTO mal (id, rapport_id, niva, nummer, titel, rad) VALUES (1, 1, 'namndmal', '1.1.1', 'Trygg stad', 10);
INSERT INTO maltext (id, rapport_id, mal_id, rubrik, text, rad)
    VALUES (1, 1, 1, 'Analys', 'Förskolorna har utvecklat arbetet med trygghet.', 11);
INSERT INTO laddning (korning, startad, avslutad, status, fil, sha256, rapport_id)
    VALUES ('00000000-0000-0000-0000-000000000001', '2022-02-01', '2022-02-01', 'loaded', 'vb.txt', 'a1', 1),
           ('00000000-0000-0000-0000-000000000002', '2022-02-02', NULL, 'running', 'killed.txt', NULL, NULL);
"""


def test_0004_marks_rows_of_dead_runs_and_recomputes_search_vectors(scratch) -> None:
    target, engine = scratch
    migrate(target, "0003")
    with engine.begin() as conn:
        for statement in _AT_0003_HISTORY.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    migrate(target)
    with engine.begin() as conn:
        history = conn.execute(text("SELECT fil, status, fel, avslutad IS NOT NULL FROM laddning ORDER BY id")).all()
        # "Förskolorna" stems to the same lexeme as "förskola": the vector was recomputed, the text kept
        found = conn.execute(text("SELECT text FROM maltext WHERE tsv @@ to_tsquery('swedish', 'förskola')")).all()
        conn.execute(
            text(
                "INSERT INTO laddning (korning, startad, status, fil) VALUES (gen_random_uuid(), now(), 'refused', 'x')"
            )
        )
    assert history == [
        ("vb.txt", "loaded", None, True),
        ("killed.txt", "interrupted", "the load run ended before this file was done (killed or interrupted)", True),
    ]
    assert found == [("Förskolorna har utvecklat arbetet med trygghet.",)]


def test_0008_and_0009_keep_stored_notes_and_then_check_their_kinds(scratch) -> None:
    """Reports stored before the self-audit get no coverage (NULL, not a made-up 1.0); the notes every parser
    version wrote pass the new CHECK; a kind outside the vocabulary is refused afterwards."""
    target, engine = scratch
    migrate(target, "0007")
    _fill(
        engine,
        """
INSERT INTO namnd (id, namn, kortnamn, typ) VALUES (1, 'Skärholmens stadsdelsnämnd', 'Skärholmen', 'stadsdelsnamnd');
INSERT INTO period (id, ar, rapporttyp, etikett, startdatum, slutdatum, ordning)
    VALUES (1, 2021, 'VB', 'VB 2021', '2021-01-01', '2021-12-31', 3);
INSERT INTO rapport (id, namnd_id, period_id, kalla, sha256, textform, parser_version, laddad, antal, varningar)
    VALUES (1, 1, 1, 'vb.txt', 'a1', 'layout', '2.0', '2022-02-01', '{}', '[]');
INSERT INTO datakvalitet (rapport_id, typ, meddelande, rad) VALUES
    (1, 'summa_avviker', 'Driftbudget: the column adds up to 10 but the row says 11', 40),
    (1, 'tabell_avviker', 'Fritid: Budget = 5 but Driftbudget says 6', 41),
    (1, 'kolumn_osaker', 'Förskola: one value short', 42),
    (1, 'indikator_osaker', 'Andel nöjda: columns uncertain', 43),
    (1, 'ej_redovisat', 'a number in a table region that no cell holds: 13 2 3', 44),
    (1, 'identitet_motstridig', 'report kind: the page feet say T2, but VB was chosen', NULL)
""",
    )
    migrate(target)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT tackning FROM rapport")).scalar_one() is None
        kinds = conn.execute(text("SELECT typ FROM datakvalitet ORDER BY rad NULLS LAST")).scalars().all()
    assert kinds == [
        "summa_avviker",
        "tabell_avviker",
        "kolumn_osaker",
        "indikator_osaker",
        "ej_redovisat",
        "identitet_motstridig",
    ]
    with pytest.raises(Exception, match="ck_datakvalitet_typ"), engine.begin() as conn:
        conn.execute(text("INSERT INTO datakvalitet (rapport_id, typ, meddelande) VALUES (1, 'summan_fel', 'x')"))


def test_no_migration_imports_application_code() -> None:
    """A migration is frozen history: it must not change behaviour when etl/ changes (derived columns are
    derived again by malbas after an upgrade instead, see etl/load/rederive.py)."""
    import ast

    from malbas.database import migrations_dir

    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith(("malbas", "etl"))], path.name
