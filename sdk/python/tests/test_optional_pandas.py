"""pandas and pyarrow are extras: without them the SDK imports and its JSON calls work against a
real service, and a DataFrame call says how to install them (run in a child interpreter where
``import pandas`` and ``import pyarrow`` fail, as on a machine without the extra)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys
sys.modules["pandas"] = None   # an import of either now raises ImportError
sys.modules["pyarrow"] = None
from fstore.client import FStoreClient
from fstore._optional import MissingExtraError

client = FStoreClient(sys.argv[1])
out = {"health": client.health()["status"]}
client.create_feature(name="sem_pandas_nota", entity="sem_pandas", value_type="INT")
out["entity"] = client.get_entity("sem_pandas")["name"]
client.ingest_rows("sem_pandas", "sem_pandas", [{"sem_pandas_id": "k1", "sem_pandas_nota": 7, "event_timestamp": "2025-01-01T00:00:00Z"}])
# Online reads answer as objects without pandas; "auto" keeps to JSON even for many keys.
online = client.get_online_features(entity="sem_pandas", entity_keys=[f"k{i}" for i in range(30)], feature_list=["sem_pandas_nota"])
out["online"] = online.to_dict()["k1"]
for call in (
    lambda: client.get_training_features(entity="sem_pandas", feature_list=["x"], start_date="2025-01-01", end_date="2025-01-02"),
    lambda: client.ingest_batch(entity="sem_pandas", feature_group="g", dataframe=[{"sem_pandas_id": "a"}]),
    lambda: client.get_online_features(entity="sem_pandas", entity_keys=["a"], feature_list=["x"], format="arrow"),
):
    try:
        call()
        out.setdefault("errors", []).append(None)
    except MissingExtraError as err:
        out.setdefault("errors", []).append(str(err))
out["pandas_imported"] = sys.modules.get("pandas") is not None
print(json.dumps(out))
"""


def test_without_pandas_the_json_calls_work_and_dataframe_calls_name_the_extra(service_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(SDK_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, service_url], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["health"] == "ok"
    assert out["entity"] == "sem_pandas"
    assert out["online"] == {"sem_pandas_nota": 7}
    assert len(out["errors"]) == 3
    for message in out["errors"]:
        assert message is not None and 'pip install "fstore-sdk[pandas]"' in message
    assert out["pandas_imported"] is False
