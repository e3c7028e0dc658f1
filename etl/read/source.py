"""Reading a report file: size limits, encodings, PDFs (read into the tabbed text form) and the inputs we refuse
(empty, binary)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from malbas.etl.errors import ReadError
from malbas.etl.pdf import is_pdf
from malbas.etl.read.reading import Reading

MAX_BYTES = 50 * 1024 * 1024  # the largest real reports are well under 1 MB of text


def read_bytes(data: bytes) -> Reading:
    """A report's bytes → its text. A PDF is read by its content, whatever the file is called."""
    if is_pdf(data):
        from malbas.etl.pdf.extract import extract  # the PDF library loads only when a PDF comes

        extraction = extract(data)
        return Reading(extraction.text, pdf=True, page_starts=extraction.page_starts, doubts=extraction.doubts)
    return Reading(decode(data))


def decode(data: bytes) -> str:
    """Text bytes → text. UTF-8 first; Windows-1252/Latin-1 exports are recognised by their Swedish letters."""
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark (e.g. Windows tools)
        return _decode_utf16(data)
    if is_pdf(data):
        return read_bytes(data).text
    if b"\x00" in data[:65536]:
        raise ReadError("binary file (NUL bytes): not a text extraction of a report")
    text = _utf8_or_cp1252(data)
    if not text.strip():  # only whitespace the bytes did not show as such (no-break spaces, U+3000 …)
        raise ReadError("empty file")
    if _control_characters(text) > 0.01 * min(len(text), 65536):
        raise ReadError("binary file (control characters): not a text extraction of a report")
    return text


def _decode_utf16(data: bytes) -> str:
    """Text with a UTF-16 byte-order mark: decoded, then checked as any other text."""
    try:
        return decode(data.decode("utf-16").encode("utf-8"))
    except UnicodeDecodeError:
        raise ReadError("UTF-16 byte-order mark but the text does not decode as UTF-16") from None


def _utf8_or_cp1252(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), else Windows-1252 if the text then shows Swedish letters."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if not any(ch in text for ch in "åäöÅÄÖ"):
            raise ReadError("not UTF-8 text and not recognisable as Windows-1252/Latin-1 Swedish text") from None
        return text


# Control characters other than tab, newlines and form feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_characters(text: str) -> int:
    """How many control characters other than tab, newlines and form feed the text's first 64 KiB hold."""
    return len(_CONTROL_RE.findall(text, 0, 65536))


def read_file(path: Path) -> tuple[bytes, Reading]:
    """Read a report file: its bytes and what they read as. Raises ReadError with a one-line reason."""
    data = read_raw(path)
    return data, read_bytes(data)


def read_raw(path: Path) -> bytes:
    """A report file's bytes, unread (see `read_bytes`). Raises ReadError with a one-line reason.

    Only a regular file is read (a FIFO, /dev/zero or a socket is refused before reading), and the size limit
    holds while reading: the size a file claims is not trusted (devices claim 0, files grow)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; regular files ignore it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a report file") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError("is a directory, not a report file")
        if not stat.S_ISREG(mode):
            raise ReadError("not a regular file (a FIFO, device or socket): only report files are read")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ReadError(f"file too large (over {MAX_BYTES // 2**20} MB; reports are well under 1 MB)")
    return data


def read_report(path: Path) -> tuple[bytes, str]:
    """A report file's bytes and text (`read_file` without the reader's doubts and pages)."""
    data, reading = read_file(path)
    return data, reading.text
