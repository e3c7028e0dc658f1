"""Which files a load reads: paths as given, folders expanded to their report files.

A folder is walked with os.scandir so that what can go wrong in a real inbox is said, never fatal: a file that
disappears during the scan is simply gone, a folder that cannot be read is a failure of its own, and hidden,
temporary and special files (FIFOs, devices, sockets, broken links and link loops) are skipped with a note instead of silently.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Files editors, downloads and copies leave while they are busy; they are never finished reports.
_TEMPORARY_SUFFIXES = (".tmp", ".temp", ".swp", ".swo", ".part", ".partial", ".crdownload", ".download")


@dataclass(frozen=True)
class Candidate:
    """One thing a load run handles: a file to read, or a note (skipped) or an error (failed) about a path."""

    path: Path
    note: str | None = None  # skipped without reading, and why
    error: str | None = None  # failed without reading, and why
    scanned: bool = False  # found in a folder (not named by the user): vanishing is then not an error


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _is_temporary(name: str) -> bool:
    lower = name.lower()
    return lower.endswith("~") or lower.endswith(_TEMPORARY_SUFFIXES) or (name.startswith("#") and name.endswith("#"))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _walk(folder: Path, files: list[tuple[int, Path]], others: list[Candidate]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        others.append(Candidate(folder, error=f"cannot read folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        path = Path(entry.path)
        if _is_hidden(entry.name):
            others.append(Candidate(path, note="hidden; not read"))
            continue
        looked = _look(entry, path, others)
        if looked is not None:
            _place(entry, path, *looked, files, others)


def _look(entry: os.DirEntry[str], path: Path, others: list[Candidate]) -> tuple[bool, os.stat_result] | None:
    """Whether an entry is a symbolic link, and the status of what it points at; None where that cannot be
    read (a note or an error added to `others`, but nothing for a file deleted while we looked)."""
    try:
        link = entry.is_symlink()
        st = entry.stat()  # follows a link to its target
    except FileNotFoundError:
        if link:
            others.append(Candidate(path, note="broken symbolic link; not read"))
        return None  # deleted while we looked: nothing to load
    except OSError as exc:
        if link and exc.errno == errno.ELOOP:  # a link that points, through others, back at itself
            others.append(Candidate(path, note="symbolic link loop; not read"))
        else:
            others.append(Candidate(path, error=exc.strerror or str(exc)))
        return None
    return link, st


def _place(  # noqa: PLR0913 - an entry, what it is, and the two lists it goes to
    entry: os.DirEntry[str],
    path: Path,
    link: bool,
    st: os.stat_result,
    files: list[tuple[int, Path]],
    others: list[Candidate],
) -> None:
    """Put an entry where it belongs: a report file among `files`, a folder walked (not followed through a
    link), anything else noted in `others`."""
    if stat.S_ISDIR(st.st_mode):
        if link:
            others.append(Candidate(path, note="link to a folder; not followed"))
        else:
            _walk(path, files, others)
    elif not stat.S_ISREG(st.st_mode):
        others.append(Candidate(path, note=f"{_kind(st.st_mode)}, not a report file; not read"))
    elif _is_temporary(entry.name):
        others.append(Candidate(path, note="temporary file; not read"))
    else:
        files.append((st.st_mtime_ns, path))


def scan(paths: list[Path]) -> list[Candidate]:
    """Folders expand to their report files, subfolders included, oldest first (when a folder holds a report
    and its corrected version, the newer file is loaded last and stays current), then the notes and errors
    about what was not read. Other paths are kept as given."""
    out: list[Candidate] = []
    for path in paths:
        if path.is_dir():
            files: list[tuple[int, Path]] = []
            others: list[Candidate] = []
            _walk(path, files, others)
            out.extend(Candidate(p, scanned=True) for _, p in sorted(files, key=lambda f: (f[0], str(f[1]))))
            out.extend(others)
        else:
            out.append(Candidate(path))
    return out
