"""Reading a report file: size limits, encodings, PDFs (read into text) and the inputs we refuse (empty, binary)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from malbas.etl.parse.errors import ParseError
from malbas.etl.pdf import is_pdf

MAX_BYTES = 50 * 1024 * 1024  # the largest real reports are well under 1 MB of text


def decode(data: bytes) -> str:
    """Bytes → text. UTF-8 first; Windows-1252/Latin-1 exports are recognised by their Swedish letters."""
    if not data.strip():
        raise ParseError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark (e.g. Windows tools)
        try:
            return decode(data.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            raise ParseError("UTF-16 byte-order mark but the text does not decode as UTF-16") from None
    if is_pdf(data):
        from malbas.etl.pdf.extract import extract  # the PDF library loads only when a PDF comes

        return extract(data).text
    if b"\x00" in data[:65536]:
        raise ParseError("binary file (NUL bytes): not a text extraction of a report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if not any(ch in text for ch in "åäöÅÄÖ"):
            raise ParseError("not UTF-8 text and not recognisable as Windows-1252/Latin-1 Swedish text") from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 65536):
        raise ParseError("binary file (control characters): not a text extraction of a report")
    return text


def read_report(path: Path) -> tuple[bytes, str]:
    """Read and decode a report file; raises ParseError with a one-line reason.

    Only a regular file is read (a FIFO, /dev/zero or a socket is refused before reading), and the size limit
    holds while reading: the size a file claims is not trusted (devices claim 0, files grow)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; regular files ignore it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ParseError("no such file") from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a report file") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ParseError("is a directory, not a report file")
        if not stat.S_ISREG(mode):
            raise ParseError("not a regular file (a FIFO, device or socket): only report files are read")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ParseError(f"file too large (over {MAX_BYTES // 2**20} MB; reports are well under 1 MB)")
    return data, decode(data)
