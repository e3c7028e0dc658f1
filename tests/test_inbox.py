"""The inbox as it is in real life: files that vanish, special files, odd names, notes for what is not read."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from malbas.cli import main
from malbas.etl.errors import ReportError
from malbas.etl.load import scan as scan_module
from malbas.etl.load.runner import load_candidates, load_paths, report_files
from malbas.etl.read.source import read_report
from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY


def statuses(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT status FROM laddning ORDER BY id")).scalars())


def test_a_file_deleted_during_the_scan_is_simply_gone(engine, tmp_path, monkeypatch):
    shutil.copy(VB_NORRMALM, tmp_path / "a.txt")
    shutil.copy(T1_RINKEBY, tmp_path / "b.txt")
    real = os.scandir

    def listing_then_delete(folder):  # the folder is listed, then b.txt goes before it is looked at
        entries = list(real(folder))
        (tmp_path / "b.txt").unlink(missing_ok=True)
        return _Listing(entries)

    monkeypatch.setattr(scan_module.os, "scandir", listing_then_delete)
    results = load_paths(engine, [tmp_path])
    assert [(r.fil.rsplit("/", 1)[-1], r.status) for r in results] == [("a.txt", "loaded")]


class _Listing(list):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_file_deleted_after_the_scan_is_skipped_not_failed(engine, tmp_path):
    shutil.copy(VB_NORRMALM, tmp_path / "a.txt")
    shutil.copy(T1_RINKEBY, tmp_path / "b.txt")
    candidates = report_files([tmp_path])
    (tmp_path / "a.txt").unlink()
    results = load_candidates(engine, candidates)
    assert [(r.fil.rsplit("/", 1)[-1], r.status) for r in results] == [("a.txt", "skipped"), ("b.txt", "loaded")]
    assert results[0].anmarkning == "gone before it could be read"
    # A file the user named that does not exist is still an error.
    [missing] = load_paths(engine, [tmp_path / "a.txt"])
    assert missing.status == "failed" and missing.fel == "no such file"


def test_only_regular_files_are_read_and_the_size_limit_holds_while_reading(tmp_path):
    """/dev/zero claims size 0 and never ends; a FIFO without a writer blocks on open. Run in a child process
    with a memory limit and a timeout, so that a regression fails this test instead of hanging the suite."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
        from pathlib import Path
        from malbas.etl.errors import ReportError
        from malbas.etl.read.source import read_report
        for p in ("/dev/zero", {str(fifo)!r}):
            try:
                read_report(Path(p))
            except ReportError as exc:
                print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["not a regular file (a FIFO, device or socket): only report files are read"] * 2


def test_a_file_growing_past_the_limit_is_refused(tmp_path, monkeypatch):
    from malbas.etl.read import source

    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("x" * 1001, encoding="utf-8")
    with pytest.raises(ReportError, match="file too large"):
        read_report(big)
    big.write_text("Åå" * 250, encoding="utf-8")  # exactly at the limit: read
    assert read_report(big)[0] == ("Åå" * 250).encode()


def test_hidden_temporary_and_special_files_are_skipped_with_a_note(engine, tmp_path):
    shutil.copy(VB_NORRMALM, tmp_path / "report.txt")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    (tmp_path / "report.txt~").write_text("x")
    (tmp_path / "upload.part").write_text("x")
    (tmp_path / "#autosave#").write_text("x")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    results = load_paths(engine, [tmp_path])
    by_name = {r.fil.rsplit("/", 1)[-1]: r for r in results}
    assert by_name["report.txt"].status == "loaded"
    notes = {name: r.anmarkning for name, r in by_name.items() if name != "report.txt"}
    assert notes == {
        ".hidden.txt": "hidden; not read",
        ".git": "hidden; not read",
        "report.txt~": "temporary file; not read",
        "upload.part": "temporary file; not read",
        "#autosave#": "temporary file; not read",
        "pipe": "a FIFO, not a report file; not read",
        "dangling": "broken symbolic link; not read",
    }
    assert all(by_name[n].status == "skipped" for n in notes)
    assert statuses(engine) == ["loaded"]  # what is not read is not load history


def test_odd_file_names_keep_one_line_per_file(engine, database_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(VP_RINKEBY, inbox / "a\nloaded    fake.txt")
    (inbox / "b\x1b[31m\r.txt").write_text("not a report\n", encoding="utf-8")
    for command in (["load", str(inbox)], ["nightly", "--inbox", str(inbox)]):
        result = CliRunner().invoke(main, ["--database-url", database_url, *command])
        lines = result.output.splitlines()
        assert len(lines) == 3, result.output  # two files and the total
        assert "\x1b" not in result.output and "\r" not in result.output
        assert "a\\nloaded    fake.txt" in lines[0] and "b\\x1b[31m\\r.txt" in lines[1]
    listed = CliRunner().invoke(main, ["--database-url", database_url, "reports"])
    assert "a\\nloaded" in listed.output and "a\nloaded" not in listed.output


STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d run [0-9a-f]{8} "


def test_nightly_lines_carry_a_timestamp_and_the_run_id(engine, database_url, tmp_path):
    shutil.copy(VB_NORRMALM, tmp_path / "a.txt")
    result = CliRunner().invoke(main, ["--database-url", database_url, "nightly", "--inbox", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and all(re.match(STAMP, line) for line in lines), lines
    assert lines[0].split(" ", 3)[3].startswith("loaded    ") and " total: 1 files: 1 loaded" in lines[1]
    run = lines[0].split()[2]
    assert len({line.split()[2] for line in lines}) == 1
    with engine.connect() as conn:
        korning = conn.execute(text("SELECT korning::text FROM laddning")).scalar_one()
    assert korning.startswith(run)


def test_nightly_json_summary(engine, database_url, tmp_path):
    shutil.copy(VB_NORRMALM, tmp_path / "a.txt")
    (tmp_path / "README").write_text("Lägg rapporterna här.\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    result = CliRunner().invoke(main, ["--database-url", database_url, "nightly", "--json", "--inbox", str(tmp_path)])
    assert result.exit_code == 1
    summary = json.loads(result.output)
    assert summary["totals"] == {"loaded": 1, "replaced": 0, "skipped": 1, "failed": 1}
    assert summary["exit_code"] == 1 and summary["new_failures"] == 1 and not summary["interrupted"]
    files = {f["fil"].rsplit("/", 1)[-1]: f for f in summary["files"]}
    assert files["a.txt"]["antal"]["mal"] == 35 and len(files["a.txt"]["sha256"]) == 64
    assert files["README"]["status"] == "failed" and "not a goal follow-up report" in files["README"]["fel"]
    assert files[".DS_Store"]["anmarkning"] == "hidden; not read"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT korning::text FROM laddning")).scalar_one() == summary["run_id"]


def test_a_non_report_fails_the_night_it_appears_and_is_a_known_failure_after(engine, database_url, tmp_path):
    runner = CliRunner()
    shutil.copy(VB_HASSELBY, tmp_path / "a.txt")
    readme = tmp_path / "README.md"
    readme.write_text("# Inkorg\nLägg rapporterna här.\n", encoding="utf-8")
    nightly = ["--database-url", database_url, "nightly", "--inbox", str(tmp_path)]
    first = runner.invoke(main, nightly)
    assert first.exit_code == 1
    failed = [line for line in first.output.splitlines() if " failed " in line]
    assert len(failed) == 1 and "README.md" in failed[0] and "known failure" not in failed[0]
    second = runner.invoke(main, nightly)
    assert second.exit_code == 0, second.output
    [known] = [line for line in second.output.splitlines() if "README.md" in line]
    with engine.connect() as conn:
        first_seen = conn.execute(text("SELECT min(startad) FROM laddning WHERE fil LIKE '%README.md'")).scalar_one()
    assert known.endswith(f"(known failure, first seen {first_seen:%Y-%m-%d})")
    assert "1 known failures" in second.output.splitlines()[-1]
    # `malbas load` of it is still an error: the user asked for that file
    assert runner.invoke(main, ["--database-url", database_url, "load", str(readme)]).exit_code == 1
    # A changed file is new again.
    readme.write_text("# Inkorg\nLägg rapporterna här, en per nämnd.\n", encoding="utf-8")
    assert runner.invoke(main, nightly).exit_code == 1


def test_an_unreadable_file_is_reported(engine, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file; tests/test_nightly_scenario.py reads an unreadable folder as another user")
    shutil.copy(VB_NORRMALM, tmp_path / "a.txt")
    (tmp_path / "a.txt").chmod(0)
    [result] = load_paths(engine, [tmp_path])
    assert result.status == "failed" and result.fel == "Permission denied"
