"""The web view's pages (Flask's test client) over a real PostgreSQL holding the 4 samples: a comparison is of one
period, every verdict comes with its reason, every number links to the line that prints it, and the view reads
read-only (as the reader role when one is named). The browser test is tests/test_web_browser.py.

Expected values are read by hand from the sample texts (1-based lines).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from malbas.access import grant_reader
from malbas.cli import main
from malbas.database import DatabaseError, Target
from malbas.etl.load.runner import load_paths
from malbas.web import create_app
from malbas.web.connection import readonly_engine
from malbas.web.data import PageError, Period
from malbas.web.format import number
from malbas.web.sources import SourceFinder, first_matching
from tests.conftest import ALL_SAMPLES, VB_HASSELBY
from tests.test_queries import _truncate

INDEX = "Aktivt Medskapandeindex"
NUMBER_LINK = re.compile(r'<a class="tal" href="(/kalla/\d+/(\d+)\?v=[^"#]+)#L\d+"[^>]*>([^<]+)</a>')
CHOSEN_LINE = re.compile(r'<span id="L(\d+)" class="rad vald">')
MARKED = re.compile(
    r'<span id="L(\d+)" class="rad[^"]*"><a class="radnr" href="#L\d+">\d+</a>[^\n]*?<mark>([^<]*)</mark>'
)


@pytest.fixture(scope="module")
def db(session_engine: Engine) -> Iterator[Engine]:
    _truncate(session_engine)
    results = load_paths(session_engine, ALL_SAMPLES)
    assert [r.status for r in results] == ["loaded"] * 4, [r.line() for r in results]
    yield session_engine
    _truncate(session_engine)


@pytest.fixture(scope="module")
def view(db: Engine, database_url: str) -> Iterator[Engine]:
    engine = readonly_engine(Target(url=database_url, embedded=False, where="test"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(view: Engine) -> FlaskClient:
    return create_app(view, SourceFinder(view)).test_client()


def _id(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response.text


def _chart(page: str, name: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{name}-data">(.*?)</script>', page, re.S)
    assert found, f"no chart {name}"
    return json.loads(found.group(1))


def _index(db: Engine) -> int:
    return _id(db, "SELECT id FROM indikator WHERE namn = :n", n=INDEX)


def test_numbers_are_written_as_the_reports_print_them():
    assert number(Decimal("3.1")) == "3,1"
    assert number(Decimal("82")) == "82"
    assert number(Decimal("1E+2")) == "100"
    assert number(Decimal("-1234")) == "-1234"
    assert number(Decimal("123456.50")) == "123\u00a0456,50"
    assert number(None) == ""


def test_a_period_is_a_year_and_a_report_kind_or_the_latest_of_a_year():
    assert Period.parse("2020-VB") == Period(2020, "VB")
    assert Period.parse("2021-senaste").senaste
    for bad in ("2020", "VB-2020", "2020-VX", "2020-VB; drop"):
        with pytest.raises(PageError, match="okänd period"):
            Period.parse(bad)


def test_comparison_of_one_period_shows_that_period_alone(client, db):
    page = _page(client, f"/jamforelse?indikator={_index(db)}&period=2020-VB")
    assert "Alla staplar och rader gäller samma period: VB 2020" in page
    table = page.split('<table class="indikatorer">')[1]
    # Hässelby-Vällingby VB 2020, line 2394: utfall 79, män 76, kvinnor 80, VB 2019 79, årsmål 81, KF:s årsmål 82
    assert "Hässelby-Vällingby" in table and "Rinkeby-Kista" not in table and "Norrmalm" not in table
    assert [v for _, _, v in NUMBER_LINK.findall(table)] == ["79", "80", "76", "79", "81", "82"]
    assert {rad for _, rad, _ in NUMBER_LINK.findall(table)} == {"2394"}
    assert "årsmålet nås inte" in table and "utfall 79 &lt; årsmål 81" in table  # the verdict and its reason
    chart = _chart(page, "jamforelse")
    assert chart["data"]["labels"] == [["Hässelby-Vällingby"]]
    bars = {d["label"]: d["data"] for d in chart["data"]["datasets"]}
    assert bars == {"Totalt": [79], "Kvinnor/flickor": [80], "Män/pojkar": [76], "Årsmål": [81], "KF:s årsmål": [82]}


def test_latest_report_of_each_district_names_each_period(client, db):
    page = _page(client, f"/jamforelse?indikator={_index(db)}&period=2020-senaste")
    assert "perioderna skiljer sig" in page
    chart = _chart(page, "jamforelse")
    # Rinkeby-Kista's latest follow-up of 2020 is its T1 (line 4007: 77 77 77 79 82 82); its plan is no follow-up
    assert chart["data"]["labels"] == [["Hässelby-Vällingby", "VB 2020"], ["Rinkeby-Kista", "T1 2020"]]
    assert {d["label"]: d["data"] for d in chart["data"]["datasets"]}["Totalt"] == [79, 77]
    table = page.split('<table class="indikatorer">')[1]
    assert "<td>VB 2020</td>" in table and "<td>T1 2020</td>" in table and "VP 2020" not in table


def test_the_period_offered_first_has_the_most_districts(client, db):
    page = _page(client, f"/jamforelse?indikator={_index(db)}")
    assert re.search(r'<option value="2020-senaste" selected>', page)
    options = re.findall(r'<option value="(\d{4}-\w+)"', page)
    assert options == ["2021-VB", "2020-senaste", "2020-VB", "2020-T1", "2020-VP"]


def _decimal(shown: str) -> Decimal:
    return Decimal(re.sub(r"[\s\u00a0]", "", shown).replace(",", ".").replace("\u2212", "-"))


def _assert_links_reach_their_lines(client: FlaskClient, page: str) -> int:
    """Every number's link opens the line of its row, and marks the number where it is printed: on that line
    (tabbed text), or on one of the next few (a row of layout text broken over lines starts at its line)."""
    links = NUMBER_LINK.findall(page)
    assert links
    for url, rad, shown in links:
        source = _page(client, html.unescape(url))
        chosen = CHOSEN_LINE.search(source)
        assert chosen and chosen.group(1) == rad, url
        marked = MARKED.search(source)
        assert marked, f"{shown!r} is not marked on {url}"
        assert 0 <= int(marked.group(1)) - int(rad) <= 8, url
        printed, value = (_decimal(html.unescape(t)) for t in (marked.group(2), shown))
        assert printed == value, f"{url} marks {printed!r}, not {value!r}"
    return len(links)


def test_every_number_on_a_report_page_links_to_the_line_that_prints_it(client, db):
    rapport = _id(db, "SELECT id FROM rapport WHERE kalla = :k", k=VB_HASSELBY.name)
    page = _page(client, f"/rapport/{rapport}")
    # goals, indicators by kön, targets and the economy tables' cells: several hundred numbers
    assert _assert_links_reach_their_lines(client, page) > 500
    # a tabbed text prints a row's values on its line: the number is marked there
    utfall = re.search(r'href="(/kalla/\d+/2394\?v=80)#L2394"', page)
    assert (
        utfall
        and '<span id="L2394" class="rad vald"><a class="radnr" href="#L2394">2394</a>  Aktivt Medskapandeindex\t79\t76\t<mark>80</mark>'
        in _page(client, utfall.group(1))
    )
    assert "Uppfylls delvis" in page and "(skäl till bedömningen)" in page


def test_every_number_of_a_comparison_and_over_time_links_to_its_line(client, db):
    indicator = _id(db, "SELECT id FROM indikator WHERE namn LIKE 'Andel barn som lever i familjer%'")
    for url in (f"/jamforelse?indikator={indicator}&period=2020-senaste", f"/over-tid?indikator={indicator}"):
        _assert_links_reach_their_lines(client, _page(client, url))
    page = _page(client, f"/jamforelse?indikator={indicator}&period=2020-VB")
    # line 258: 3,1 %, 3,3 %, 3,1 %, 3,2 %, 2,7 %
    assert [v for _, _, v in NUMBER_LINK.findall(page)] == ["3,1", "3,3", "3,1", "3,2", "2,7"]


def test_over_time_follows_the_chosen_districts_through_the_periods(client, db):
    page = _page(client, f"/over-tid?indikator={_index(db)}&namnd=Rinkeby-Kista")
    chart = _chart(page, "overtid")
    assert chart["data"]["labels"] == ["VP 2020", "T1 2020"]
    series = {d["label"]: d["data"] for d in chart["data"]["datasets"]}
    # the plan (line 1427 of 003) sets årsmål 82; the T1 reports 77 against it
    assert series == {"Rinkeby-Kista: utfall": [None, 77], "Rinkeby-Kista: årsmål": [82, 82]}
    assert "Hässelby-Vällingby" not in page.split('<table class="indikatorer">')[1]


def test_goal_fulfilment_counts_each_level_of_one_period(client, db):
    page = _page(client, "/maluppfyllelse?period=2020-VB")
    chart = _chart(page, "maluppfyllelse")
    labels = [tuple(label) for label in chart["data"]["labels"]]
    counts = {d["label"]: d["data"] for d in chart["data"]["datasets"]}
    # Hässelby-Vällingby VB 2020, line 74: two inriktningsmål met fully, one partly; lines 84, 110, 120: of the
    # twelve KF goals seven met fully, five partly
    first = labels.index(("Hässelby-Vällingby", "Inriktningsmål", "VB 2020"))
    kf = labels.index(("Hässelby-Vällingby", "KF:s mål", "VB 2020"))
    assert [counts[b][first] for b in ("Uppfylls helt", "Uppfylls delvis", "Uppfylls inte")] == [2, 1, 0]
    assert [counts[b][kf] for b in ("Uppfylls helt", "Uppfylls delvis", "Uppfylls inte")] == [7, 5, 0]
    assert all(label[2] == "VB 2020" for label in labels)
    assert "Rinkeby-Kista" not in page


def test_search_reuses_malbas_search_and_links_each_hit(client):
    page = _page(client, "/sok?q=" + "ekonomiskt bistånd")
    hits = re.findall(r'<a class="kalla" href="(/kalla/\d+/\d+)#L\d+">', page)
    assert len(hits) >= 5
    assert "«" in page  # the matched words, marked as `malbas search` marks them
    assert 'class="rad vald"' in _page(client, hits[0])


def test_bad_requests_say_what_is_wrong(client):
    assert "okänd period" in _page(client, "/jamforelse?period=förra-året", 400)
    assert "indikator ska vara ett tal" in _page(client, "/over-tid?indikator=x%27%3B", 400)
    assert "ingen rapport med id 999999" in _page(client, "/rapport/999999", 404)
    assert "ingen indikator med id 999999" in _page(client, "/jamforelse?indikator=999999", 404)
    assert "har ingen rad 999999" in _page(client, "/kalla/1/999999", 404)


def test_pages_allow_nothing_from_elsewhere(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    script = client.get("/static/chart.umd.js")
    assert script.status_code == 200 and b"Chart.js v4" in script.data[:200]


def test_the_view_cannot_write(view):
    with pytest.raises(DBAPIError, match="read-only transaction"), view.begin() as conn:
        conn.execute(text("DELETE FROM utfall"))


def test_the_view_reads_as_the_reader_role_when_one_is_named(db, database_url):
    target = Target(url=database_url, embedded=False, where="test")
    grant_reader(db, "malbas_webb_test")
    engine = readonly_engine(target, "malbas_webb_test")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one() == "malbas_webb_test"
            assert conn.execute(text("SELECT count(*) FROM rapport")).scalar_one() == 4
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ WRITE"))
            conn.execute(text("DELETE FROM utfall"))
    finally:
        engine.dispose()
    with db.connect() as conn:
        me = conn.execute(text("SELECT current_user")).scalar_one()
    with pytest.raises(DatabaseError, match="can change malbas tables"):
        readonly_engine(target, me)
    with pytest.raises(DatabaseError, match="there is no role"):
        readonly_engine(target, "malbas_nobody")
    with pytest.raises(DatabaseError, match="invalid role name"):
        readonly_engine(target, 'x"; DROP TABLE rapport; --')


class _Nowhere(SourceFinder):
    """A server that finds no file: the report's files were moved and no folder was given."""

    def candidates(self, rapport_id: int, kalla: str, sha256: str) -> list[Path]:
        return []


def test_without_its_file_a_source_page_says_where_to_look(view, db):
    rapport = _id(db, "SELECT id FROM rapport WHERE kalla = :k", k=VB_HASSELBY.name)
    page = _page(create_app(view, _Nowhere(view)).test_client(), f"/kalla/{rapport}/2394")
    assert VB_HASSELBY.name in page and '<dd id="rad">2394</dd>' in page
    assert "malbas serve --sources" in page


def test_serve_says_in_one_line_why_it_cannot_start(db, database_url):
    runner = CliRunner()
    env = {"DATABASE_URL": database_url}
    no_role = runner.invoke(main, ["serve", "--port", "0", "--role", "malbas_nobody"], env=env)
    assert no_role.exit_code == 1
    assert (
        no_role.output.strip()
        == "malbas: there is no role malbas_nobody: create it with `malbas db grant-reader malbas_nobody`"
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = runner.invoke(main, ["serve", "--port", str(port)], env=env)
    assert busy.exit_code == 1
    assert busy.output.startswith(f"malbas: cannot listen on 127.0.0.1 port {port}: ")
    assert "unexpected" not in busy.output


def test_a_source_is_read_only_from_a_file_with_the_loaded_bytes(view, db, tmp_path: Path):
    rapport = _id(db, "SELECT id FROM rapport WHERE kalla = :k", k=VB_HASSELBY.name)
    sha = _id(db, "SELECT sha256 FROM rapport WHERE id = :id", id=rapport)
    # where it was loaded from (laddning.fil), then by name in the folders given
    assert SourceFinder(view, [tmp_path]).candidates(rapport, VB_HASSELBY.name, sha)[:2] == [
        VB_HASSELBY,
        tmp_path / VB_HASSELBY.name,
    ]
    copy = tmp_path / VB_HASSELBY.name
    shutil.copy(VB_HASSELBY, copy)
    found = first_matching([tmp_path / "missing.txt", tmp_path, copy], sha)
    assert found is not None and found.path == copy
    assert found.lines[2393].strip().startswith("Aktivt Medskapandeindex\t79\t76\t80")
    assert found.page_of(2394) is None  # the text marks no pages
    copy.write_text("Ändrad\n" + VB_HASSELBY.read_text(encoding="utf-8"), encoding="utf-8")
    assert first_matching([copy], sha) is None  # its lines would be out of step


def test_pages_of_a_text_come_from_its_form_feeds(tmp_path: Path):
    report = tmp_path / "r.txt"
    report.write_text("sida ett\nmer\n\fsida två\n\fsida tre\n", encoding="utf-8")
    found = first_matching([report], hashlib.sha256(report.read_bytes()).hexdigest())
    assert found is not None
    assert [found.page_of(n) for n in (1, 2, 3, 4)] == [1, 1, 2, 3]
