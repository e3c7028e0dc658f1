"""The README's Python examples run as written, against a real database (its words must stay true)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)


def test_the_python_examples_run(database_url, engine, monkeypatch, capsys):
    assert len(BLOCKS) >= 2  # the public API, then queries, pandas and the ORM
    matplotlib.use("Agg")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for block in BLOCKS:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    # the first block parses 004 (Norrmalm VB 2021, 90 indicator rows, every table number read) and loads the samples
    assert "Norrmalms stadsdelsnämnd VB 2021 90 100.0%" in out
    assert out.count("loaded    ") == 4
    # the ORM walk prints Norrmalm's indicator rows with their outcomes by kön
    assert "VB 2021" in out and "'kvinnor'" in out
    assert os.environ["DATABASE_URL"] == database_url
    # The charts compare one period, or say each bar's period: VB 2020 is Hässelby-Vällingby's alone (001);
    # the latest report of 2020 is Rinkeby-Kista's T1 (000) and Hässelby-Vällingby's VB (001).
    ax = namespace["ax"]
    assert ax.get_title() == "VB 2020"  # type: ignore[attr-defined]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Hässelby-Vällingby"]  # type: ignore[attr-defined]
    latest = namespace["latest_ax"]
    labels = sorted(t.get_text() for t in latest.get_xticklabels())  # type: ignore[attr-defined]
    assert labels == ["Hässelby-Vällingby VB 2020", "Rinkeby-Kista T1 2020"]
