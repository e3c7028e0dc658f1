"""The nightly over a real-life inbox, end to end in a process of its own (as another local user when the tests
run as root, so that an unreadable folder is really unreadable): every good report loads, every bad one is
named on one line, the run exits non-zero once, and nothing is left `running`."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

from tests.conftest import T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY
from tests.test_faults import LINE_258

AS_ROOT = os.geteuid() == 0
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d run ([0-9a-f]{8}) (.*)$")

# The child: the inbox scan lists e_vanishing.txt, which then disappears before it is read.
_CHILD = """
import sys
from pathlib import Path
from malbas.etl.load import runner
real = runner.report_files
def scan_then_vanish(paths):
    found = real(paths)
    Path(sys.argv[2], "e_vanishing.txt").unlink(missing_ok=True)
    return found
runner.report_files = scan_then_vanish  # the nightly command lists the inbox with it
from malbas.cli import main
main(["nightly", "--inbox", sys.argv[2]])
"""


def _inbox() -> Path:
    inbox = Path(tempfile.mkdtemp(prefix="malbas-inbox-"))
    inbox.chmod(0o777)  # the loading user may delete from it (the vanishing file)
    broken = VB_HASSELBY.read_text(encoding="utf-8").replace(LINE_258, LINE_258.replace("3,1 %", "<5"))
    (inbox / "a_hasselby_broken_cell.txt").write_text(broken, encoding="utf-8")
    shutil.copy(T1_RINKEBY, inbox / "b_rinkeby.txt")
    shutil.copy(VB_NORRMALM, inbox / "c_norrmalm.txt")
    lines = VB_NORRMALM.read_text(encoding="utf-8").split("\n")
    random.Random(1).shuffle(lines)
    (inbox / "d_norrmalm_shuffled.txt").write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(VP_RINKEBY, inbox / "e_vanishing.txt")
    (inbox / "README").write_text("Lägg rapporterna här, en fil per rapport.\n", encoding="utf-8")
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    for i, name in enumerate(["a_hasselby_broken_cell.txt", "b_rinkeby.txt", "c_norrmalm.txt",
                              "d_norrmalm_shuffled.txt", "e_vanishing.txt", "README"]):  # fmt: skip
        os.utime(inbox / name, (1_600_000_000 + i, 1_600_000_000 + i))
        (inbox / name).chmod(0o644)
    locked = inbox / "locked"
    locked.mkdir()
    shutil.copy(VP_RINKEBY, locked / "plan.txt")
    locked.chmod(0)
    return inbox


def _nightly(inbox: Path, login: tuple[str, dict[str, str]]) -> subprocess.CompletedProcess:
    url, extra = login
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "MALBAS_"))} | extra | {"DATABASE_URL": url}
    prefix = NOBODY if AS_ROOT else []
    cmd = [*prefix, sys.executable, "-c", _CHILD, "--", str(inbox)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd="/")


def _body(stdout: str) -> tuple[set[str], list[str]]:
    runs, body = set(), []
    for line in stdout.splitlines():
        m = STAMP.match(line)
        assert m, f"no timestamp and run id: {line!r}"
        runs.add(m.group(1))
        body.append(m.group(2))
    return runs, body


def test_a_night_with_every_kind_of_trouble(engine, portable_login):
    inbox = _inbox()
    try:
        first = _nightly(inbox, portable_login)
        assert first.returncode == 1, first.stdout + first.stderr
        runs, body = _body(first.stdout)
        assert len(runs) == 1 and first.stderr == ""
        by_name = {line.split()[1].rstrip(":").rsplit("/", 1)[-1]: line for line in body[:-1]}
        assert by_name.keys() == {
            "a_hasselby_broken_cell.txt", "b_rinkeby.txt", "c_norrmalm.txt", "d_norrmalm_shuffled.txt",
            "e_vanishing.txt", "README", ".DS_Store", "locked",
        }  # fmt: skip
        assert by_name["a_hasselby_broken_cell.txt"].startswith("loaded ")
        assert by_name["b_rinkeby.txt"].startswith("loaded ")
        assert by_name["c_norrmalm.txt"].startswith("loaded ")
        assert by_name["d_norrmalm_shuffled.txt"].split()[0] in ("refused", "failed")
        assert by_name["e_vanishing.txt"].endswith(": gone before it could be read")
        assert by_name["README"].startswith("failed ") and "not a goal follow-up report" in by_name["README"]
        assert by_name[".DS_Store"].endswith(": hidden; not read")
        assert by_name["locked"] == f"failed    {inbox / 'locked'}: cannot read folder: Permission denied"
        assert body[-1].startswith("total: 8 files: 3 loaded, 0 replaced, 2 skipped, ")
        with engine.connect() as conn:
            history = dict(conn.execute(text("SELECT status, count(*) FROM laddning GROUP BY status")).all())
            kept = conn.execute(text("SELECT count(*) FROM rapport")).scalar_one()
            norrmalm = conn.execute(text("SELECT kalla FROM rapport WHERE kalla LIKE '%norrmalm%'")).scalar_one()
        assert "running" not in history and kept == 3 and norrmalm == "c_norrmalm.txt"

        # The next night: the same unchanged files are known failures; the unreadable folder still fails.
        second = _nightly(inbox, portable_login)
        _, body = _body(second.stdout)
        assert second.returncode == 1, second.stdout + second.stderr
        known = [line for line in body if "known failure, first seen" in line]
        assert len(known) == 2 and any("README" in line for line in known)
        (inbox / "locked").chmod(0o755)
        shutil.rmtree(inbox / "locked")
        third = _nightly(inbox, portable_login)
        assert third.returncode == 0, third.stdout + third.stderr  # only known failures left
    finally:
        (inbox / "locked").exists() and (inbox / "locked").chmod(0o755)
        shutil.rmtree(inbox, ignore_errors=True)
