"""Progress of a load of many files: in a terminal, a bar with files done / files in all and the time left
(tqdm, on stderr) under the per-file lines; otherwise (cron, a pipe, a log file) the plain per-file lines only."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click

from malbas.cli.errors import printable


@dataclass(frozen=True)
class ProgressSettings:
    """`min_files`: a load of fewer files is over before a bar could say anything useful."""

    min_files: int = 2


PROGRESS = ProgressSettings()


def in_terminal() -> bool:
    """Both streams on a terminal: a bar written into a log file or a pipe would be noise."""
    return sys.stdout.isatty() and sys.stderr.isatty()


class FileProgress:
    """Prints each file's line as it is done, and advances the bar when there is one."""

    def __init__(self, total: int, bar: bool, label: Callable[[str], str] = str) -> None:
        self._label = label  # what goes before the line (the nightly run's timestamp and id)
        self._bar = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc="loading", unit="file", file=sys.stderr, dynamic_ncols=True, leave=False)

    def done(self, line: str) -> None:
        text = printable(self._label(line))
        if self._bar is None:
            click.echo(text)
            return
        self._bar.write(text, file=sys.stdout)  # above the bar, which is drawn again below
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@contextmanager
def file_progress(
    total: int, label: Callable[[str], str] = str, settings: ProgressSettings = PROGRESS
) -> Iterator[FileProgress]:
    progress = FileProgress(total, bar=total >= settings.min_files and in_terminal(), label=label)
    try:
        yield progress
    finally:
        progress.close()
