"""Jobs from the SDK: materialize (a window or incrementally), and following any job by id."""

from __future__ import annotations

from typing import Callable

import pandas as pd
import pytest

from conftest import IngestHistory
from fstore import FStoreClient, NotFoundError, ValidationError


def test_materialize_a_window_then_incrementally(client: FStoreClient, unique: Callable[[str], str], ingest_history: IngestHistory) -> None:
    entity, group = unique("cliente"), unique("perfil")
    ingest_history(entity, group, f"{entity}_idade", [30, 31, 44])

    window = client.materialize(group, start_date="2025-01-01", end_date=pd.Timestamp("2025-01-31", tz="UTC"))
    assert window["state"] == "succeeded"
    assert window["kind"] == "materialize"
    # The newest value per key within the window: c1's of 01-10 and c2's.
    assert window["result"]["values_read"] == 2
    assert window["result"]["keys"] == 2

    first = client.materialize(group, entity=entity, incremental=True)
    assert first["result"]["values_read"] == 2
    assert client.materialize(group, incremental=True)["result"]["values_read"] == 0
    online = client.get_online_features(entity=entity, entity_keys=["c1", "c2"], feature_list=["idade"])
    assert online.to_dict() == {"c1": {"idade": 31}, "c2": {"idade": 44}}


def test_follow_a_job_by_id(client: FStoreClient, unique: Callable[[str], str], ingest_history: IngestHistory) -> None:
    entity, group = unique("cliente"), unique("perfil")
    ingest_history(entity, group, f"{entity}_idade", [30, 31, 44])
    queued = client.materialize(group, wait=False)
    assert queued["state"] in ("queued", "running", "succeeded")
    done = client.wait_for_job(queued["id"], timeout=60)
    assert done["state"] == "succeeded"
    assert client.get_job(done)["id"] == queued["id"]
    assert queued["id"] in [j["id"] for j in client.list_jobs(kind="materialize", limit=100)]
    assert isinstance(client.job_logs(queued["id"]), dict)
    # A finished job stays as it ended.
    assert client.cancel_job(queued["id"])["state"] == "succeeded"


def test_bad_materialize_requests_are_named_and_start_nothing(client: FStoreClient) -> None:
    before = len(client.list_jobs(kind="materialize", limit=1000))
    with pytest.raises(ValidationError, match="without start_date and end_date"):
        client.materialize("perfil", incremental=True, start_date="2025-01-01")
    with pytest.raises(NotFoundError):
        client.materialize("no_such_group")
    with pytest.raises(ValidationError, match="table or query"):
        client.pull_sql("cliente", "perfil", connection="env:X", timestamp_column="t")
    assert len(client.list_jobs(kind="materialize", limit=1000)) == before
