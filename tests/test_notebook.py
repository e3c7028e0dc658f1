"""The example notebook runs top to bottom in a real kernel against the test database."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sqlalchemy import Engine

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "compare_kf_indicator.ipynb"

# The districts of the four samples, read from the reports' front matter (000 and 003 are both Rinkeby-Kista).
DISTRICTS = ("Rinkeby-Kista", "Hässelby-Vällingby", "Norrmalm")


def _output_text(output: nbformat.NotebookNode) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return str(output.get("data", {}).get("text/plain", ""))


@pytest.mark.slow
def test_notebook_runs_against_the_test_database(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel inherits this process's environment; the notebook prefers this variable over DATABASE_URL.
    monkeypatch.setenv("MALBAS_NOTEBOOK_DATABASE_URL", database_url)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    texts = ["".join(_output_text(o) for o in cell.get("outputs", [])) for cell in nb.cells if cell.cell_type == "code"]
    assert any(sum(name in text for name in DISTRICTS) >= 3 for text in texts), "no cell output names 3 districts"
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs)
    # The notebook wrote into the test database, not somewhere else.
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM rapport").scalar_one() == 4
