"""How the command line reports problems: one line on stderr, `malbas: ` first, a non-zero exit."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from malbas.errors import describe


def printable(text: str) -> str:
    """A file name or message safe for one output line: control characters (newline, ESC …) escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"malbas: {printable(message)}", err=True)
    sys.exit(code)


def fail_with(exc: BaseException, code: int = 1) -> NoReturn:
    fail(describe(exc), code)


def fail_line(line: str, code: int = 1) -> NoReturn:
    """Fail with a line that carries its own prefix (the nightly's timestamp and run id) instead of `malbas: `."""
    click.echo(printable(line), err=True)
    sys.exit(code)
