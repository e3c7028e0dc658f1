"""The text a report was read from, so that a number can be shown on its line with the lines around it.

The database keeps each fact's source file (`rapport.kalla`, its SHA-256) and line (`rad`), not the file itself.
The file is looked for where it was loaded from (`laddning.fil`), then by name in the folders the server was
given and among the shipped samples, and shown only when its bytes have the SHA-256 of the loaded report: a file
changed since would put the line numbers out of step. A PDF is read into the text its lines count (the same
reader as the load), so its rows are shown as the parser read them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from malbas import samples
from malbas.etl.errors import ReadError
from malbas.etl.read.source import read_file


@dataclass(frozen=True)
class SourceSettings:
    """How much of a source file a source page shows and how many files the server keeps read."""

    context_lines: int = 8  # lines shown above and below the fact's line
    cached_files: int = 16  # source texts kept in memory (a report's text is well under 1 MB)


SOURCE_SETTINGS = SourceSettings()


@dataclass(frozen=True)
class SourceText:
    path: Path
    lines: list[str]  # line 1 is lines[0]
    page_starts: list[int] | None  # first line of each page, when pages are known

    def page_of(self, line: int) -> int | None:
        return page_of(self.page_starts, line)


@dataclass(frozen=True)
class Excerpt:
    first: int  # number of the first line shown
    lines: list[str]
    target: int
    marked: tuple[int, int, int] | None = None  # (line, start, end) of the value asked for, when found


def value_pattern(shown: str) -> re.Pattern[str]:
    """The value as a page writes it ('6,8', '12 345', '-3') as the report may print it: digit groups with or
    without a space between them, a hyphen or minus sign, trailing decimal zeros, no digit running on."""
    digits = shown.replace("\u00a0", " ").strip()
    sign = r"[-\u2212]" if digits.startswith(("-", "\u2212")) else ""
    body = digits.lstrip("-\u2212")
    whole, comma, fraction = body.replace(" ", "").partition(",")
    head = len(whole) % 3 or 3  # 1234 may be printed 1 234: a space may stand before every group of three
    parts = [re.escape(whole[:head]), *(re.escape(whole[i : i + 3]) for i in range(head, len(whole), 3))]
    parts[-1] += re.escape(comma + fraction)
    zeros = "0*" if "," in body else "(?:,0+)?"  # the database keeps 1,0 as 1
    return re.compile(r"(?<![\d,.])" + sign + r"[ \u00a0]?".join(parts) + zeros + r"(?![\d]|,\d)")


def page_of(page_starts: Sequence[int] | None, line: int) -> int | None:
    """The page a line is on: the number of pages that start at or before it (None when pages are unknown)."""
    if not page_starts:
        return None
    page = bisect_right(list(page_starts), line)
    return page or None


def excerpt(
    source: SourceText, line: int, value: str | None = None, context: int = SOURCE_SETTINGS.context_lines
) -> Excerpt:
    """The lines around `line`; with `value`, where it is printed on that line or the next ones (a row of a
    layout text breaks over lines, and its line is the first)."""
    first = max(1, line - context)
    last = min(len(source.lines), line + context)
    marked = None
    if value:
        pattern = value_pattern(value)
        for number in range(line, last + 1):
            found = pattern.search(source.lines[number - 1])
            if found:
                marked = (number, found.start(), found.end())
                break
    return Excerpt(first, source.lines[first - 1 : last], line, marked)


class SourceFinder:
    """Finds and reads the file a loaded report came from; thread-safe (the server answers in threads)."""

    def __init__(self, engine: Engine, folders: Sequence[Path] = ()) -> None:
        self.engine = engine
        self.folders = [*folders, samples.folder()]
        self._cache: dict[str, SourceText] = {}
        self._lock = threading.Lock()

    def text_of(self, rapport_id: int, kalla: str, sha256: str) -> SourceText | None:
        with self._lock:
            if sha256 in self._cache:
                return self._cache[sha256]
        found = self._read(rapport_id, kalla, sha256)
        if found is not None:
            with self._lock:
                if len(self._cache) >= SOURCE_SETTINGS.cached_files:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[sha256] = found
        return found

    def candidates(self, rapport_id: int, kalla: str, sha256: str) -> list[Path]:
        """Where the file may be: the paths it was loaded from (newest first), then by name in each folder."""
        with self.engine.connect() as conn:
            loaded = conn.execute(
                text(
                    "SELECT DISTINCT ON (fil) fil FROM laddning"
                    " WHERE (rapport_id = :id OR sha256 = :sha) AND sha256 = :sha ORDER BY fil, startad DESC"
                ),
                {"id": rapport_id, "sha": sha256},
            ).scalars()
            paths = [Path(p) for p in loaded]
        # A bare file name names nothing: only a name in the given folders is looked at.
        named = Path(kalla).name
        return [*paths, *(folder / named for folder in self.folders)]

    def _read(self, rapport_id: int, kalla: str, sha256: str) -> SourceText | None:
        return first_matching(self.candidates(rapport_id, kalla, sha256), sha256)


def first_matching(paths: Sequence[Path], sha256: str) -> SourceText | None:
    """The text of the first of `paths` that is a readable report file with exactly the bytes `sha256` names."""
    for path in paths:
        try:
            if not path.is_file():
                continue
            data, reading = read_file(path)
        except (OSError, ReadError):
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            continue
        starts = list(reading.page_starts) if reading.page_starts else _form_feed_pages(reading.text)
        return SourceText(path, [line.rstrip("\r").replace("\f", "") for line in reading.text.split("\n")], starts)
    return None


def _form_feed_pages(text: str) -> list[int] | None:
    """Page starts of a text extraction that marks its pages with form feeds (pdftotext does); else None."""
    if "\f" not in text:
        return None
    starts = [1]
    for number, line in enumerate(text.split("\n"), start=1):
        starts.extend(number for _ in range(line.count("\f")))
    return starts
