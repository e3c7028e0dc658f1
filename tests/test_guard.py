"""A damaged file never replaces good data; `malbas reports`, `reports delete` and `load --force` are the way back."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from malbas.cli import main
from malbas.etl.load.guard import losses, refusal
from malbas.etl.load.runner import load_paths
from tests.conftest import ALL_SAMPLES, T1_RINKEBY, VB_HASSELBY, VB_NORRMALM
from tests.test_load import BARN_EB, LINE_258, corrected_copy, snapshot


def shuffled_copy(tmp_path, source, seed: int = 1):
    lines = source.read_text(encoding="utf-8").split("\n")
    random.Random(seed).shuffle(lines)
    target = tmp_path / f"shuffled_{seed}_{source.name}"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def damaged_copy(tmp_path):
    """004 that still reads as a report but has lost most of it: the title page (identity) and the economy part
    kept, the goal part in between cut down to three nämndmål markers (a shuffled copy no longer serves: the
    parser refuses it for its lines out of order)."""
    lines = VB_NORRMALM.read_text(encoding="utf-8").split("\n")
    economy = next(i for i, line in enumerate(lines) if line.strip() == "Uppföljning av ekonomi")
    first_goal = next(i for i, line in enumerate(lines) if "Nämndmål:" in line)
    goals_kept = [i for i, line in enumerate(lines[:economy]) if "Nämndmål:" in line][:3]
    cut = lines[:first_goal] + [line for i in goals_kept for line in lines[i : i + 3]] + lines[economy:]
    damaged = tmp_path / "damaged.txt"
    damaged.write_text("\n".join(cut), encoding="utf-8")
    return damaged


def history(engine) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT status, fel FROM laddning ORDER BY id"))]


def test_the_rules():
    current = {"mal": 35, "indikatorrader": 90, "ekonomiceller": 400}
    assert losses(current, {"mal": 1, "indikatorrader": 0, "ekonomiceller": 400}) == [
        "goals 35 -> 1",
        "indicator rows 90 -> 0",
    ]
    assert losses(current, {"mal": 18, "indikatorrader": 45, "ekonomiceller": 200}) == []  # half is still plausible
    assert losses(current, {"mal": 17, "indikatorrader": 90, "ekonomiceller": 400}) == ["goals 35 -> 17"]
    assert losses({"mal": 1, "ekonomiceller": 0}, {"mal": 0, "ekonomiceller": 0}) == ["goals 1 -> 0"]
    assert losses({"mal": 0}, {"mal": 0}) == []  # nothing to lose
    assert refusal("good.txt", current, current) is None
    reason = refusal("good.txt", current, {"mal": 35, "indikatorrader": 2, "ekonomiceller": 400})
    assert reason is not None and "good.txt" in reason and "--force" in reason and "\n" not in reason


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_shuffled_report_never_replaces_the_good_one(engine, tmp_path, sample, seed):
    [good] = load_paths(engine, [sample])
    assert good.status == "loaded"
    before = snapshot(engine)
    [bad] = load_paths(engine, [shuffled_copy(tmp_path, sample, seed)])
    assert bad.status in ("refused", "failed"), (
        bad.line()
    )  # refused by the guard, or by the parser (lines out of order)
    assert bad.fel and "\n" not in bad.fel
    assert snapshot(engine) == before
    # The good file is still the current version: unchanged, so skipped, and never "an older version".
    [again] = load_paths(engine, [sample])
    assert again.status == "skipped" and again.anmarkning is None


def test_a_refused_file_names_what_it_would_lose(engine, tmp_path):
    load_paths(engine, [VB_NORRMALM])
    [result] = load_paths(engine, [damaged_copy(tmp_path)])
    assert result.status == "refused", result.line()
    assert result.fel.startswith(f"refused to replace the report loaded from {VB_NORRMALM.name}: it would lose")
    assert "goals 35 -> " in result.fel and "indicator rows 90 -> " in result.fel
    assert history(engine)[-1] == ("refused", result.fel)


def test_force_overrides_the_guard_and_the_good_file_comes_back(engine, tmp_path):
    load_paths(engine, [VB_NORRMALM])
    before = snapshot(engine)
    bad = damaged_copy(tmp_path)
    [forced] = load_paths(engine, [bad], force=True)
    assert forced.status == "replaced"
    assert snapshot(engine)["indikatorrad"] < before["indikatorrad"]
    # Without --force the good file is now an older version of the report, and is skipped ...
    [skipped] = load_paths(engine, [VB_NORRMALM])
    assert skipped.status == "skipped" and "older version" in skipped.anmarkning and "--force" in skipped.anmarkning
    # ... with --force it is loaded back deliberately.
    [back] = load_paths(engine, [VB_NORRMALM], force=True)
    assert back.status == "replaced"
    assert snapshot(engine) == before
    # and afterwards, plain re-runs over both files leave the good one in place: the damaged file is now the
    # older version
    rerun = load_paths(engine, [bad, VB_NORRMALM])
    assert [r.status for r in rerun] == ["skipped", "skipped"] and "older version" in rerun[0].anmarkning
    assert snapshot(engine) == before


def test_a_plausible_correction_still_replaces(engine, tmp_path):
    load_paths(engine, [VB_HASSELBY])
    fixed = corrected_copy(tmp_path, VB_HASSELBY, LINE_258, BARN_EB + "\t3,4 %\t\t\t3,3 %")
    assert [r.status for r in load_paths(engine, [fixed])] == ["replaced"]


def test_reports_list_delete_and_reload(engine, database_url, tmp_path):
    runner = CliRunner()
    load_paths(engine, [VB_NORRMALM, T1_RINKEBY])
    listed = runner.invoke(main, ["--database-url", database_url, "reports", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    import json

    rows = json.loads(listed.output)
    assert {(r["namnd"], r["period"], r["kalla"]) for r in rows} == {
        ("Norrmalm", "VB 2021", VB_NORRMALM.name),
        ("Rinkeby-Kista", "Tertial 1 2020", T1_RINKEBY.name),
    }
    norrmalm = next(r for r in rows if r["namnd"] == "Norrmalm")
    # 004: 35 goals and 90 indicator rows (test_accuracy reads them by hand)
    assert (norrmalm["mal"], norrmalm["indikatorrader"], len(norrmalm["sha256"])) == (35, 90, 12)
    rinkeby = next(r for r in rows if r["namnd"] == "Rinkeby-Kista")
    # 000's survey table of bare counts (l.2834–2854) is read as a key-figure table; 004's tables are read whole
    assert (norrmalm["tackning"], rinkeby["tackning"]) == (1.0, 1.0)
    table = runner.invoke(main, ["--database-url", database_url, "reports"])
    assert table.exit_code == 0 and VB_NORRMALM.name in table.output and norrmalm["sha256"] in table.output

    by_id = runner.invoke(main, ["--database-url", database_url, "reports", "delete", str(norrmalm["id"])])
    assert by_id.exit_code == 0, by_id.output
    assert by_id.output.startswith(f"deleted report {norrmalm['id']}: Norrmalm VB 2021")
    by_file = runner.invoke(main, ["--database-url", database_url, "reports", "delete", str(T1_RINKEBY)])
    assert by_file.exit_code == 0, by_file.output
    assert snapshot(engine)["rapport"] == 0
    missing = runner.invoke(main, ["--database-url", database_url, "reports", "delete", "999"])
    assert missing.exit_code == 1 and "no loaded report has id 999" in missing.output
    assert [s for s, _ in history(engine)][-2:] == ["deleted", "deleted"]

    # A deleted report does not come back with the next nightly; --force brings it back.
    [kept_out] = load_paths(engine, [VB_NORRMALM])
    assert kept_out.status == "skipped" and "deleted on" in kept_out.anmarkning
    [back] = load_paths(engine, [VB_NORRMALM], force=True)
    assert back.status == "loaded"
    assert [r.status for r in load_paths(engine, [VB_NORRMALM])] == ["skipped"]


def test_load_force_on_the_command_line(engine, database_url, tmp_path):
    runner = CliRunner()
    load_paths(engine, [VB_NORRMALM])
    bad = damaged_copy(tmp_path)
    refused = runner.invoke(main, ["--database-url", database_url, "load", str(bad)])
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0].startswith(f"refused   {bad}: refused to replace")
    assert "1 refused" in refused.output.splitlines()[-1]
    forced = runner.invoke(main, ["--database-url", database_url, "load", "--force", str(bad)])
    assert forced.exit_code == 0 and forced.output.startswith("replaced")
    # each CLI invocation is its own run in laddning (the load_paths call above is the first)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT korning) FROM laddning")).scalar_one() == 3
