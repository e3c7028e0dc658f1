"""The command line: parse summary and JSON contract, load exit codes, bad input, db commands."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from malbas.cli import main
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def parse_json(runner, path) -> dict:
    result = runner.invoke(main, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_parse_summary(runner):
    result = runner.invoke(main, ["parse", str(VB_NORRMALM)])
    assert result.exit_code == 0
    assert "Norrmalms stadsdelsnämnd · VB 2021 (VB)" in result.output
    assert "goals:           35 (3 inriktningsmål, 12 KF goals, 20 nämndmål)" in result.output
    assert "activities:      121 (1 with a deviation)" in result.output
    assert "coverage:        1815 of 1815 numbers in tables accounted for (100.0%)" in result.output


def test_parse_json_contract_layout_t1(runner):
    doc = parse_json(runner, T1_RINKEBY)
    assert doc["dokument"] | {"sha256": None} == {
        "namnd": "Rinkeby-Kista stadsdelsnämnd",
        "rapporttyp": "T1",
        "ar": 2020,
        "period": "Tertial 1 2020",
        "kalla": T1_RINKEBY.name,
        "sha256": None,
        "textform": "layout",
    }
    assert len(doc["dokument"]["sha256"]) == 64
    goal = next(m for m in doc["mal"] if m["nummer"] == "1.2")
    assert (goal["niva"], goal["overordnat"], goal["bedomning"], goal["rad"]) == (
        "verksamhetsomradesmal",
        "1",
        "delvis",
        590,
    )
    # l.263-275: "Andel personer som har ekonomiskt bistånd …" 4,35 % | 3,68 | 4,88 | VB 2019 4,42 | 4,5 | 4,5 | 1,5
    row = next(r for r in doc["indikatorer"] if r["namn"].startswith("Andel personer som har ekonomiskt bistånd"))
    assert {
        k: row[k] for k in ("utfall", "utfall_man", "utfall_kvinnor", "foregaende_utfall", "prognos", "arsmal")
    } == {
        "utfall": 4.35,
        "utfall_man": 3.68,
        "utfall_kvinnor": 4.88,
        "foregaende_utfall": 4.42,
        "prognos": 4.5,
        "arsmal": 4.5,
    }
    assert (row["kf_arsmal"], row["enhet"], row["period"], row["mal"], row["kf_indikator"]) == (
        1.5,
        "%",
        "Tertial 1 2020",
        "1.1",
        True,
    )
    # l.3571: the only activity with the Avvikelse flag, explained by the Analys under it (l.3573-3575)
    act = next(a for a in doc["aktiviteter"] if a["avvikelse"])
    assert act["namn"] == "Utveckla och följa upp den nya mötesplatsen för hbtq-personer"
    assert (act["startdatum"], act["slutdatum"], act["rad"], act["mal"]) == ("2020-01-01", "2020-12-31", 3571, "2.4.1")
    assert act["avvikelse_text"]


def test_parse_json_tabbed_vp(runner):
    doc = parse_json(runner, VP_RINKEBY)
    assert (doc["dokument"]["rapporttyp"], doc["dokument"]["textform"]) == ("VP", "tabbed")
    # l.360: " Antal tillhandahållna platser för feriejobb\t1 100 st\tTas fram av nämnd\tTertial"
    row = next(r for r in doc["indikatorer"] if r["namn"] == "Antal tillhandahållna platser för feriejobb")
    assert (row["arsmal"], row["kf_arsmal"], row["text"], row["rad"]) == (
        1100.0,
        None,
        {"kf_arsmal": "Tas fram av nämnd"},
        360,
    )
    assert all(m["bedomning"] is None for m in doc["mal"])


def test_parse_json_tabbed_vb_kf_uppdrag(runner):
    doc = parse_json(runner, VB_HASSELBY)
    # l.1065-1070: an activity whose name continues after a page break; it is a KF-uppdrag under goal 1.4
    act = next(a for a in doc["aktiviteter"] if a["rad"] == 1065)
    assert act["namn"].endswith(
        "stödet till elever med funktionsnedsättning som går ut ungdomsgymnasiet och gymnasiesärskolan."
    )
    assert (act["mal"], act["kf_uppdrag"]) == ("1.4", True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary", "binary file"),
        (b"%PDF-1.5\n", "damaged PDF"),
        ("Inköpslista\nmjölk\nbröd\n".encode(), "not a goal follow-up report"),
    ],
)
def test_parse_bad_input_one_line_error(runner, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(main, ["parse", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert f"malbas: {bad}: " in result.output and message in result.output


def test_parse_missing_path_and_directory(runner, tmp_path):
    missing = runner.invoke(main, ["parse", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    folder = runner.invoke(main, ["parse", str(tmp_path)])
    assert folder.exit_code == 1 and "is a directory" in folder.output


def test_load_exit_codes_and_lines(runner, engine, database_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(VP_RINKEBY, inbox / VP_RINKEBY.name)
    (inbox / "zz_truncated.txt").write_text(VP_RINKEBY.read_text(encoding="utf-8")[:2000], encoding="utf-8")
    result = runner.invoke(main, ["--database-url", database_url, "load", str(inbox)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("loaded    ") and "mal 30" in lines[0]
    assert lines[1].startswith("failed    ") and "zz_truncated.txt" in lines[1]
    assert lines[2] == "total: 2 files: 1 loaded, 0 replaced, 0 skipped, 1 failed; " + lines[2].split("; ")[1]
    again = runner.invoke(main, ["--database-url", database_url, "load", str(inbox / VP_RINKEBY.name)])
    assert again.exit_code == 0 and again.output.startswith("skipped")


def test_db_commands(runner, engine, database_url):
    url = runner.invoke(main, ["--database-url", database_url, "db", "url"])
    assert url.exit_code == 0 and url.output.strip() == database_url
    status = runner.invoke(main, ["--database-url", database_url, "db", "status"])
    from malbas.database import head_revision

    head = head_revision()
    assert status.exit_code == 0 and f"revision: {head}" in status.output and "utfall" in status.output


def test_password_is_never_printed(runner):
    result = runner.invoke(main, ["--database-url", "postgresql://analyst:s3cret@127.0.0.1:1/x", "db", "upgrade"])
    assert result.exit_code == 1
    assert "s3cret" not in result.output and "database error" in result.output


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (["-p", "ar=abc"], "ar must be a year"),
        (["-p", "rapporttyp=t9"], "rapporttyp must be one of VP, T1, T2, VB"),
    ],
)
def test_query_parameters_are_checked(runner, engine, database_url, params, message):
    result = runner.invoke(main, ["--database-url", database_url, "query", "malbedomningar", *params])
    assert result.exit_code == 1 and message in result.output


def test_search_takes_web_search_syntax(runner, engine, database_url):
    result = runner.invoke(main, ["--database-url", database_url, "search", "-förskola", "--limit", "3"])
    assert result.exit_code == 0 and "no matches" in result.output  # an empty database, but the syntax is accepted
    bad = runner.invoke(main, ["--database-url", database_url, "search", "x", "--limit", "0"])
    assert bad.exit_code == 2


def test_jdbc_url_for_a_socket_url(runner):
    url = "postgresql://postgres@/malbas?host=/tmp/sock&port=54329"
    result = runner.invoke(main, ["--database-url", url, "db", "url", "--jdbc"])
    assert result.output.strip() == "jdbc:postgresql://127.0.0.1:54329/malbas?user=postgres"


def _tcp_host_port(database_url: str) -> tuple[str, int, str]:
    from sqlalchemy.engine import make_url

    u = make_url(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    host = u.host or u.query.get("host") or "127.0.0.1"
    port = int(u.port or u.query.get("port") or 5432)
    return ("127.0.0.1" if str(host).startswith("/") else str(host)), port, str(u.database)


LEAKY_COMMANDS = [["db", "status"], ["db", "upgrade"], ["demo"], ["reports"], ["query", "malbedomningar"]]


@pytest.mark.parametrize("command", LEAKY_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    "url",
    ["postgresql://u@127.0.0.1:1/db?password=S3CRET", "postgresql://u:p@ss@S3CRET@127.0.0.1:1/db"],
    ids=["query", "unescaped-at"],
)
def test_no_password_leaks_when_the_server_is_unreachable(command, url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    assert "S3CRET" not in result.output and "ss@" not in result.output, result.output
    assert "database error" in result.output or "database:" in result.output


def test_no_password_leaks_from_a_working_connection(engine, database_url, monkeypatch, tmp_path):
    """A reader whose password holds '@' and sits in the URL's query or authority: the commands work (the '@'
    is not taken for the host) and print the password nowhere, nor store it in laddning."""
    from sqlalchemy import text

    from malbas.access import grant_reader

    grant_reader(engine, "leaky_reader", "p@ss@S3CRET")
    with engine.begin() as conn:  # let it load too, for the laddning check
        conn.execute(text("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO leaky_reader"))
        conn.execute(text("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO leaky_reader"))
    host, port, db = _tcp_host_port(database_url)
    for url in (
        f"postgresql://leaky_reader@{host}:{port}/{db}?password=p%40ss%40S3CRET",
        f"postgresql://leaky_reader:p@ss@S3CRET@{host}:{port}/{db}",
    ):
        monkeypatch.setenv("DATABASE_URL", url)
        status = CliRunner().invoke(main, ["db", "status"])
        assert status.exit_code == 0, status.output
        assert "S3CRET" not in status.output and "revision:" in status.output
        bad = tmp_path / "bad.txt"
        bad.write_text("inte en rapport\n", encoding="utf-8")
        loaded = CliRunner().invoke(main, ["load", str(bad)])
        assert loaded.exit_code == 1 and "S3CRET" not in loaded.output
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT string_agg(concat_ws(' ', fil, fel, antal::text), ' ') FROM laddning"))
        assert "S3CRET" not in (stored.scalar_one() or "")
    with engine.begin() as conn:
        conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM leaky_reader"))
        conn.execute(text("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM leaky_reader"))
        conn.execute(text("REVOKE ALL ON SCHEMA public FROM leaky_reader"))
        db_name = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f'REVOKE ALL ON DATABASE "{db_name}" FROM leaky_reader'))
        conn.execute(text("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM leaky_reader"))
        conn.execute(text("DROP ROLE leaky_reader"))
