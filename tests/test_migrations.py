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


_AT_0003 = """
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
        for statement in _AT_0003.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    migrate(target)
    with engine.begin() as conn:
        history = conn.execute(text("SELECT fil, status, fel, avslutad IS NOT NULL FROM laddning ORDER BY id")).all()
        # "Förskolorna" stems to the same lexeme as "förskola": the vector was recomputed, the text kept
        found = conn.execute(text("SELECT text FROM maltext WHERE tsv @@ to_tsquery('swedish', 'förskola')")).all()
        conn.execute(text("INSERT INTO laddning (korning, startad, status, fil) VALUES (gen_random_uuid(), now(), 'refused', 'x')"))
    assert history == [
        ("vb.txt", "loaded", None, True),
        ("killed.txt", "interrupted", "the load run ended before this file was done (killed or interrupted)", True),
    ]
    assert found == [("Förskolorna har utvecklat arbetet med trygghet.",)]
