"""PDF input: PDFs made from the tabbed samples read back to the facts of their tabbed text.

No real report PDF is in the repository, so tests/pdf_render.py lays the tabbed samples out as the city's
reports are laid out (running header and footer, header repeated on every page, narrow columns, rows cut
by page breaks, empty cells left empty). Every cell of the tabbed text is known, so the expected reading
of each PDF is the parse of its tabbed text. PDFs are made once per session.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import VB_HASSELBY, VP_RINKEBY
from pdf_render import DEJAVU_TIGHT, GEOMETRY_A, GEOMETRY_B, SERIF_OPEN, STIX_TIGHT, UNSEEN, Geometry, render
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from malbas.cli import main
from malbas.etl.load.runner import load_paths
from malbas.etl.parse.parser import parse_text
from malbas.etl.parse.records import Report
from malbas.etl.pdf import is_pdf, page_starts
from malbas.etl.pdf.extract import extract
from malbas.etl.read.source import read_report
from malbas.models import Laddning, Rapport

SAMPLES = {"VB": VB_HASSELBY, "VP": VP_RINKEBY}


@pytest.fixture(scope="session")
def make_pdf(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Geometry], Path]:
    """The PDF of a sample in a geometry, made once per session."""
    made: dict[tuple[str, str], Path] = {}
    folder = tmp_path_factory.mktemp("pdf")

    def make(sample: str, geometry: Geometry) -> Path:
        key = (sample, geometry.name)
        if key not in made:
            text = SAMPLES[sample].read_text(encoding="utf-8")
            d = parse_text(text).dokument
            path = folder / f"{sample}-{geometry.name}.pdf"
            path.write_bytes(render(text, geometry, f"{d.namnd} · {d.period}"))
            made[key] = path
        return made[key]

    return make


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _goals(report: Report) -> list[tuple]:
    return [(m.niva, m.nummer, m.titel, m.overordnat, m.bedomning) for m in report.mal]


def _activities(report: Report) -> list[tuple]:
    return [
        (a.mal, _norm(a.namn), a.startdatum, a.slutdatum, a.status, a.avvikelse, a.kf_uppdrag)
        for a in report.aktiviteter
    ]


def _cell_agreement(expected: Report, got: Report) -> tuple[int, int]:
    """(right, total) over every indicator row's name and cells, rows paired by goal and position."""
    right = total = 0
    assert len(got.indikatorer) == len(expected.indikatorer)
    for want, have in zip(expected.indikatorer, got.indikatorer, strict=True):
        total += 1 + len(want.celler)
        right += (want.mal, _norm(want.namn)) == (have.mal, _norm(have.namn))
        right += sum(_norm(value) == _norm(have.celler.get(column)) for column, value in want.celler.items())
    return right, total


@cache
def _read(path: Path) -> Report:
    """The parse of a file, once per session (the samples and the session's PDFs do not change)."""
    return parse_text(read_report(path)[1], kalla=path.name)


def _assert_reads_like_tabbed(sample: str, pdf: Path) -> None:
    expected = _read(SAMPLES[sample])
    got = _read(pdf)
    assert (got.dokument.namnd, got.dokument.rapporttyp, got.dokument.ar) == (
        expected.dokument.namnd,
        expected.dokument.rapporttyp,
        expected.dokument.ar,
    )
    assert _goals(got) == _goals(expected)
    right, total = _cell_agreement(expected, got)
    assert right / total >= 0.995, f"{right} of {total} indicator cells"
    assert _activities(got) == _activities(expected)


# ---------------------------------------------------------------- the same facts as the tabbed text


@pytest.mark.parametrize("geometry", [GEOMETRY_A, GEOMETRY_B], ids=lambda g: g.name)
@pytest.mark.parametrize("sample", ["VB", "VP"])
def test_a_pdf_reads_to_the_facts_of_its_tabbed_text(make_pdf, sample: str, geometry: Geometry) -> None:
    _assert_reads_like_tabbed(sample, make_pdf(sample, geometry))


@pytest.mark.parametrize("geometry", UNSEEN, ids=lambda g: g.name)
def test_pdfs_laid_out_in_other_ways_read_as_well(make_pdf, geometry: Geometry) -> None:
    """Letter, legal and A3 pages, Times, DejaVu and STIX fonts, rules under rows only or none, figures set
    flush right, padding from 1.5 to 6 points (cells 3 points apart), cells set in the middle of their row,
    other page furniture."""
    _assert_reads_like_tabbed("VB", make_pdf("VB", geometry))


@pytest.mark.parametrize("geometry", UNSEEN, ids=lambda g: g.name)
def test_the_plan_reads_as_well_in_other_layouts(make_pdf, geometry: Geometry) -> None:
    _assert_reads_like_tabbed("VP", make_pdf("VP", geometry))


def _economy_values(report: Report) -> Counter[tuple[str, float]]:
    return Counter((_norm(c.rad_namn), c.varde) for c in report.ekonomi)


@pytest.mark.parametrize("geometry", [GEOMETRY_A, *UNSEEN], ids=lambda g: g.name)
def test_economy_cells_come_through_in_every_layout(make_pdf, geometry: Geometry) -> None:
    expected, got = _read(SAMPLES["VB"]), _read(make_pdf("VB", geometry))
    want, have = _economy_values(expected), _economy_values(got)
    assert sum(have.values()) == sum(want.values())
    assert sum((want & have).values()) / sum(want.values()) >= 0.985


@pytest.mark.parametrize("geometry", [SERIF_OPEN, DEJAVU_TIGHT, STIX_TIGHT], ids=lambda g: g.name)
def test_rows_keep_their_columns_where_spacing_varies(make_pdf, geometry: Geometry) -> None:
    """Rows below an Analys text, or below the tail of a row cut by a page break, sit further apart than the
    rows above them; they still take the header's columns (an empty cell stays empty)."""
    got = _read(make_pdf("VB", geometry))
    rows = {_norm(r.namn): r for r in got.indikatorer}
    # 001 line 320: 1,71 % | | | | 1,71 % | 1,9 % | | VB 2020
    unga = rows[
        "Andel unga vuxna 18-24 år med ekonomiskt bistånd i förhållande till samtliga unga vuxna 18-24 år i befolkningen"
    ]
    assert (unga.utfall, unga.utfall_man, unga.foregaende_utfall, unga.prognos, unga.arsmal, unga.kf_arsmal) == (
        1.71,
        None,
        None,
        1.71,
        1.9,
        None,
    )
    # 001 line 1036: 52,6 % | 50 % | 59,1 % | 61 % | | 43 % | 42 % | VB 2020
    insats = rows["Andel insats/insatser avslutade enligt plan inom vuxna missbruk"]
    assert (insats.utfall, insats.utfall_man, insats.utfall_kvinnor, insats.foregaende_utfall) == (52.6, 50, 59.1, 61)
    assert (insats.prognos, insats.arsmal, insats.kf_arsmal) == (None, 43, 42)
    # 001 lines 2782-2785: a header of three rows, the third set apart ("Mnkr … Netto Netto")
    flykting = {c.kolumn: c.varde for c in got.ekonomi if c.rad_namn == "Ensamkommande barn och handläggning"}
    assert sorted(flykting.values()) == sorted([15.5, -15.5, 15.3, -18.8, 3.4, 2.1])


def test_hand_read_cells_come_through(make_pdf) -> None:
    got = _read(make_pdf("VB", GEOMETRY_A))
    rows = {_norm(r.namn): r for r in got.indikatorer}
    # 001 line 265: Antal aspiranter som fått Stockholmsjobb 22 st | 4 st | 18 st | 31 st | 22 st | 20 st | 800 st | VB 2020
    aspiranter = rows["Antal aspiranter som fått Stockholmsjobb"]
    assert (aspiranter.utfall, aspiranter.utfall_man, aspiranter.utfall_kvinnor) == (22, 4, 18)
    assert (aspiranter.foregaende_utfall, aspiranter.prognos, aspiranter.arsmal, aspiranter.kf_arsmal) == (
        31,
        22,
        20,
        800,
    )
    assert aspiranter.period == "VB 2020"
    # 001 lines 1049 + 1052: the name cut by the source's own page break, one row in the PDF
    alkohol = rows["Andel ungdomar som i stockholmsenkäten uppger att de inte använder alkohol"]
    assert (alkohol.utfall, alkohol.utfall_man, alkohol.utfall_kvinnor, alkohol.arsmal, alkohol.kf_arsmal) == (
        65,
        67,
        62,
        70,
        62,
    )
    assert alkohol.prognos is None and alkohol.foregaende_utfall is None  # empty cells stay empty
    # 001 line 2600: "!" marker, Avvikelse flagged
    process = next(a for a in got.aktiviteter if a.namn.startswith("Processen för äldreomsorg - hemtjänst"))
    assert (process.status, process.avvikelse) == ("!", True)


def test_the_vp_keeps_its_icons_and_empty_target_cells(make_pdf) -> None:
    got = _read(make_pdf("VP", SERIF_OPEN))
    # 003 line 410: "♀ Andel nyanlända kvinnor och män …" Årsmål 100, KF:s årsmål empty, Tertial
    row = next(r for r in got.indikatorer if r.namn.startswith("Andel nyanlända kvinnor och män som får"))
    assert (row.arsmal, row.kf_arsmal, row.periodicitet) == (100, None, "Tertial")


# ---------------------------------------------------------------- page breaks and provenance


def _page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(pdf.read_bytes())
    try:
        return [_norm(document[i].get_textpage().get_text_range().replace("\r\n", " ")) for i in range(len(document))]
    finally:
        document.close()


def test_rows_cut_by_page_breaks_are_whole_again(make_pdf) -> None:
    pdf = make_pdf("VB", GEOMETRY_A)
    pages = _page_texts(pdf)
    names = [_norm(r.namn) for r in _read(SAMPLES["VB"]).indikatorer] + [
        _norm(a.namn) for a in _read(SAMPLES["VB"]).aktiviteter
    ]

    def cut_at(name: str, k: int) -> bool:
        """The name starts on page k and ends on page k + 1 (its first and last words, as printed)."""
        words = name.split()
        head, tail = " ".join(words[:2]), " ".join(words[-2:])
        return len(words) >= 6 and head in pages[k] and tail in pages[k + 1] and tail not in pages[k]

    cut = [n for n in names if any(cut_at(n, k) for k in range(len(pages) - 1))]
    assert cut, "the generated PDF should cut some rows at page breaks"
    read = {_norm(r.namn) for r in _read(pdf).indikatorer} | {_norm(a.namn) for a in _read(pdf).aktiviteter}
    assert set(cut) <= read


def test_every_row_points_to_the_page_it_starts_on(make_pdf) -> None:
    pdf = make_pdf("VB", GEOMETRY_B)
    extraction = extract(pdf.read_bytes())
    pages = _page_texts(pdf)
    assert len(extraction.page_starts) == len(pages)
    assert extraction.page_starts == page_starts(extraction.text)
    assert extraction.page_starts[0] == 1 and extraction.page_starts == sorted(extraction.page_starts)
    report = parse_text(extraction.text)
    for row in [*report.indikatorer, *report.aktiviteter]:
        page = bisect_right(extraction.page_starts, row.rad)
        start = " ".join(_norm(row.namn).split()[:3])
        assert start in pages[page - 1], (row.namn, page)


def test_page_furniture_and_repeated_headers_are_left_out(make_pdf) -> None:
    pdf = make_pdf("VP", GEOMETRY_A)
    text = extract(pdf.read_bytes()).text
    lines = text.split("\n")
    assert not any(re.fullmatch(r"\f?\d+\(\d+\)", line) for line in lines)  # "12(53)"
    assert not any("Tjänsteutlåtande" in line for line in lines)
    pages_with_header = sum("Indikator Årsmål KF:s årsmål Periodicitet" in page for page in _page_texts(pdf))
    header_lines = sum(line.lstrip("\f").startswith("Indikator\tÅrsmål\tKF:s årsmål\tPeriodicitet") for line in lines)
    tabbed = VP_RINKEBY.read_text(encoding="utf-8").split("\n")
    # one header line per table of the tabbed text (its page-break repeats are undone when rendering) …
    tables_in_source = sum(
        1
        for i, line in enumerate(tabbed)
        if line.startswith("Indikator\t") and not any(tabbed[k].startswith("Indikator\t") for k in range(i - 8, i))
    )
    assert header_lines <= tables_in_source
    # … though the PDF prints the header on more pages than that
    assert pages_with_header > header_lines


@pytest.mark.parametrize("geometry", [GEOMETRY_A, SERIF_OPEN], ids=lambda g: g.name)
def test_headings_set_larger_than_the_body_are_marked_as_headings(make_pdf, geometry: Geometry) -> None:
    """Helvetica-Bold states no weight (only its name says bold); DejaVu Serif states one."""
    lines = extract(make_pdf("VB", geometry).read_bytes()).text.split("\n")
    marks = [re.match(r"\f?(#*)\s*(.*)", line) for line in lines]
    levels = {m.group(2): len(m.group(1)) for m in marks if m}
    # 001: "## Uppföljning av ekonomi", "### Analys av resultaträkning - uppföljning av driftbudget"
    assert levels["Uppföljning av ekonomi"] >= 1
    assert levels["Analys av resultaträkning - uppföljning av driftbudget"] == levels["Uppföljning av ekonomi"] + 1
    # 001: "#### Löneöversyn 2020", bold at the body's size: an aside, not a heading of the outline
    assert levels["Löneöversyn 2020"] == 0
    expected, got = _read(SAMPLES["VB"]), _read(make_pdf("VB", geometry))
    # the table after that aside is named by the heading above it, as in the tabbed text
    name = "Analys av resultaträkning - uppföljning av driftbudget (2)"
    assert sum(c.tabell == name for c in got.ekonomi) == sum(c.tabell == name for c in expected.ekonomi) > 0


def test_tables_come_out_as_tab_separated_rows(make_pdf) -> None:
    text = extract(make_pdf("VP", GEOMETRY_A).read_bytes()).text
    # 003 line 356: Andel barn som lever i familjer som har ekonomiskt bistånd | 8 % | 2,7 % | Tertial
    assert "Andel barn som lever i familjer som har ekonomiskt bistånd\t8 %\t2,7 %\tTertial" in text
    # 003 line 410: an empty KF:s årsmål cell is an empty field
    assert re.search(r"inflyttade till stadsdelsområdet\t100\t\tTertial\n", text)


# ---------------------------------------------------------------- bad PDFs


def _encrypted() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt="hemligt")
    c.drawString(72, 700, "KF:s inriktningsmål:")
    c.save()
    return out.getvalue()


def _scanned() -> bytes:
    """A page that is only a picture (a scan): no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(image).text((40, 40), "Verksamhetsberättelse 2020", fill=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawInlineImage(image, 0, 0, *A4)
    c.save()
    return out.getvalue()


def _bad_pdfs(make_pdf) -> dict[str, tuple[bytes, str]]:
    good = make_pdf("VP", GEOMETRY_A).read_bytes()
    return {
        "truncated.pdf": (good[:4000], "damaged PDF"),
        "encrypted.pdf": (_encrypted(), "encrypted PDF"),
        "scanned.pdf": (_scanned(), "no text layer"),
        "header-only.pdf": (b"%PDF-1.7\n%%EOF\n", "damaged PDF"),
    }


def test_bad_pdfs_get_one_line_errors(make_pdf, tmp_path: Path) -> None:
    runner = CliRunner()
    for name, (data, reason) in _bad_pdfs(make_pdf).items():
        path = tmp_path / name
        path.write_bytes(data)
        for command in ("parse", "extract"):
            result = runner.invoke(main, [command, str(path)])
            assert result.exit_code == 1, (name, command, result.output)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0], (name, command, lines)
            assert "Traceback" not in result.output


def test_a_bad_pdf_stores_nothing_and_does_not_stop_the_others(make_pdf, engine, tmp_path: Path) -> None:
    for name, (data, _) in _bad_pdfs(make_pdf).items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "zz-plan.pdf"
    good.write_bytes(make_pdf("VP", GEOMETRY_A).read_bytes())
    results = {Path(r.fil).name: r for r in load_paths(engine, [tmp_path])}
    assert {n for n, r in results.items() if r.status == "failed"} == set(_bad_pdfs(make_pdf))
    assert results["zz-plan.pdf"].status == "loaded"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Rapport)).scalar_one() == 1
        failed = conn.execute(select(Laddning.fil, Laddning.fel).where(Laddning.status == "failed")).all()
    assert len(failed) == 4 and all(fel and "\n" not in fel for _, fel in failed)


# ---------------------------------------------------------------- loading and the command line


def test_a_loaded_pdf_records_its_form_and_pages(make_pdf, engine, tmp_path: Path) -> None:
    # Detected by content: the file name says nothing.
    path = tmp_path / "rapport.txt"
    path.write_bytes(make_pdf("VB", GEOMETRY_A).read_bytes())
    (result,) = load_paths(engine, [path])
    assert result.status == "loaded", result.fel
    page_count = len(_page_texts(path))
    with engine.connect() as conn:
        textform, sidor = conn.execute(select(Rapport.textform, Rapport.sidor)).one()
    assert textform == "pdf"
    assert len(sidor) == page_count and sidor[0] == 1 and sidor == sorted(sidor)


def test_extract_writes_the_text_the_parser_reads(make_pdf, tmp_path: Path) -> None:
    pdf = make_pdf("VP", GEOMETRY_B)
    out = tmp_path / "plan.txt"
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(pdf), "-o", str(out)])
    assert result.exit_code == 0, result.output
    from_text, from_pdf = _read(out), _read(pdf)
    assert _goals(from_text) == _goals(from_pdf)
    assert [r.rad for r in from_text.indikatorer] == [r.rad for r in from_pdf.indikatorer]
    summary = runner.invoke(main, ["parse", str(pdf)])
    assert summary.exit_code == 0 and "pdf text" in summary.output.splitlines()[0]
    not_pdf = runner.invoke(main, ["extract", str(VP_RINKEBY)])
    assert not_pdf.exit_code == 1 and "not a PDF" in not_pdf.stderr


def test_pdfs_are_told_by_their_content() -> None:
    assert is_pdf(b"%PDF-1.4\n...")
    assert is_pdf(b"\xef\xbb\xbfjunk before the header %PDF-1.7\n")
    assert not is_pdf(b"Verksamhetsplan 2020\n")
    assert page_starts("a\nb\n\fc\n\f\fd\n") == [1, 3, 4, 4]
