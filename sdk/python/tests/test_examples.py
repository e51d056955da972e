"""The examples work: the script runs against the test service, and the notebook has the same
cells and runs too (its code cells are executed in order, without Jupyter)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPT = EXAMPLES / "training_and_online.py"
NOTEBOOK = EXAMPLES / "training_and_online.ipynb"


def _script_cells() -> List[Dict[str, str]]:
    """The ``# %%`` cells of the script, as (type, source) pairs like the notebook's."""
    cells = []
    for block in re.split(r"^# %%", SCRIPT.read_text(), flags=re.M)[1:]:
        header, _, body = block.partition("\n")
        if header.strip() == "[markdown]":
            text = "\n".join(re.sub(r"^# ?", "", line) for line in body.strip("\n").splitlines())
            cells.append({"type": "markdown", "source": text})
        else:
            cells.append({"type": "code", "source": body.strip("\n")})
    return cells


def _notebook() -> Dict[str, Any]:
    return json.loads(NOTEBOOK.read_text())


def test_script_runs_against_the_service(service_url: str) -> None:
    env = dict(os.environ, FSTORE_URL=service_url)
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "service: ok" in out and "ingested rows: 4" in out and "training rows: 4" in out
    assert "'c1': {'gasto_30d': 80.5, 'n_compras': 2, 'segmento': 'prata'}" in out
    assert "'c9': {'gasto_30d': 'NOT_FOUND'" in out


def test_notebook_is_valid_and_matches_the_script() -> None:
    nb = _notebook()
    assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["language"] == "python"
    for cell in nb["cells"]:
        assert cell["cell_type"] in ("code", "markdown") and isinstance(cell["source"], list)
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and "execution_count" in cell
    cells = [{"type": c["cell_type"], "source": "".join(c["source"])} for c in nb["cells"]]
    assert cells == _script_cells()


def test_notebook_runs(service_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FSTORE_URL", service_url)
    namespace: Dict[str, Any] = {"__name__": "__notebook__"}
    for i, cell in enumerate(_notebook()["cells"]):
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"<notebook cell {i}>", "exec"), namespace)
    train = namespace["train"]
    assert [None if v != v else v for v in train["gasto_30d"].tolist()] == [120.0, 80.5, None, 15.0]
    assert train["churn"].tolist() == [0, 1, 0, 1]
    assert "training rows: 4" in capsys.readouterr().out
