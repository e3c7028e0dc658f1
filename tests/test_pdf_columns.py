"""The columns of a table from the evidence of all its rows (etl/pdf/columns.py), on tables laid out here glyph by
glyph: every word's place is known, so each rule is shown on the one situation it is for."""

from __future__ import annotations

from malbas.etl.pdf.columns import find_columns
from malbas.etl.pdf.lines import SEGMENT_GAP, Line, _segments
from malbas.etl.pdf.reader import Word

SIZE = 8.0
CHAR = 0.5 * SIZE  # every glyph 4 points wide
SPACE = 0.28 * SIZE  # a word space, as the report fonts set it


def _words(x: float, text: str, y: float) -> list[Word]:
    out = []
    for token in text.split():
        glyphs = tuple(x + k * CHAR for k in range(len(token)))
        out.append(Word(token, x, x + len(token) * CHAR, y - SIZE, y + 2, y, SIZE, False, CHAR, glyphs))
        x += len(token) * CHAR + SPACE
    return out


def line(y: float, *cells: tuple[float, str]) -> Line:
    """A line of a table: cells as (x where the cell's text starts, text)."""
    words = [w for x, text in cells for w in _words(x, text, y)]
    result = Line(words, y, SIZE)
    result.segments = _segments(words, SIZE, SEGMENT_GAP)
    return result


def texts(columns, block: list[Line]) -> list[str]:
    """The text of each column on the lines of a block."""
    out = [""] * len(columns.bands)
    for ln in block:
        for w in ln.words:
            k = columns.column(w)
            out[k] = f"{out[k]} {w.text}".strip()
    return out


HEADER = [line(100, (60, "Indikator"), (300, "Årsmål"), (350, "KF:s årsmål"), (430, "Period"))]


def test_a_value_set_a_word_space_from_its_name_is_a_cell_of_its_own() -> None:
    """003 line 356 as a browser may set it: the name fills its column and "8 %" stands one word space after
    it, at the column's edge, so the line is one run of text; the other rows' values start at that edge too,
    which shows the gutter."""
    name = _words(60, "Andel familjer med ekonomiskt bistånd i", 148)
    edge = name[-1].x1 + SPACE  # where the Årsmål column starts
    header = [line(100, (60, "Indikator"), (edge, "Årsmål"), (edge + 50, "KF:s årsmål"), (edge + 130, "Period"))]
    rows = [
        [line(112 + 12 * k, (60, text), (edge, value), (edge + 50, "1,5 %"), (edge + 130, "Tertial"))]
        for k, (text, value) in enumerate([("Andel barn som lever i", "4,5 %"), ("Antal aspiranter", "57 st")])
    ]
    value = _words(edge, "8 %", 148)
    merged = Line([*name, *value, *_words(edge + 50, "2,7 %", 148), *_words(edge + 130, "Tertial", 148)], 148, SIZE)
    merged.segments = _segments(merged.words, SIZE, SEGMENT_GAP)
    assert len(merged.segments) == 3  # the name and "8 %" are one run of text
    columns = find_columns([[header, *rows, [merged]]], [header], [])
    assert len(columns.bands) == 4
    assert texts(columns, [merged]) == ["Andel familjer med ekonomiskt bistånd i", "8 %", "2,7 %", "Tertial"]


def test_a_heading_of_two_words_heads_one_column() -> None:
    """ "KF:s årsmål" over values set under its first word only: the word space between the heading's words is
    no gutter, though no row has text there."""
    rows = [
        [line(112 + 12 * k, (60, f"Indikator nummer {k}"), (300, "75 %"), (350, "75 %"), (430, "År"))] for k in range(4)
    ]
    columns = find_columns([[HEADER, *rows]], [HEADER], [])
    assert texts(columns, HEADER) == ["Indikator", "Årsmål", "KF:s årsmål", "Period"]


def test_a_value_and_its_unit_stay_one_cell_in_a_table_of_one_row() -> None:
    """With one row, the word space in "70 %" is the only text between the heading cells: it parts nothing."""
    header = [line(100, (60, "Indikator"), (200, "Utfall män/"), (280, "Utfall")), line(110, (200, "pojkar"))]
    row = [line(124, (60, "Andelen nöjda"), (210, "70 %"), (280, "79 %"))]
    columns = find_columns([[header, row]], [header], [])
    assert texts(columns, row) == ["Andelen nöjda", "70 %", "79 %"]


def test_a_full_width_comment_is_not_split_into_cells() -> None:
    """An Analys row runs on over the gutters: it is no evidence against them, and they stand."""
    rows = [
        [line(112, (60, "Antal aspiranter"), (300, "57 st"), (350, "800 st"), (430, "Tertial"))],
        [line(124, (60, "Analys Förvaltningen har inte kunnat föra manuell statistik över året"))],
        [line(136, (60, "Andel personer med"), (300, "3 %"), (350, "1,0 %"), (430, "Tertial"))],
    ]
    columns = find_columns([[HEADER, *rows]], [HEADER], [])
    assert len(columns.bands) == 4
    assert columns.crosses(rows[1][0])  # its words run over the gutters: a full-width row
    assert not columns.crosses(rows[0][0])
