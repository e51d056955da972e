"""Transforms from Python against the real service: the seed's SQL authored, previewed, published, run, served."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from fstore import FStoreClient, TransformError
from fstore.errors import NotFoundError, ValidationError

SEED_SQL = (
    "SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count\n"
    "FROM {source} GROUP BY user_id"
)


@pytest.fixture()
def transactions(client: FStoreClient) -> str:
    name = f"tx_{uuid.uuid4().hex[:8]}"
    df = pd.DataFrame(
        {
            "user_id": ["u1", "u1", "u2", "u1"],
            "transaction_amount": [10.0, 30.0, 100.0, 20.0],
            "event_time": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-02", "2025-01-20"], utc=True),
        }
    )
    source = client.create_data_source_from_frame(name, df)
    assert [c["name"] for c in source["columns"]] == ["user_id", "transaction_amount", "event_time"]
    return name


def test_preview_returns_a_frame_with_schema_and_stats(client: FStoreClient, transactions: str) -> None:
    preview = client.preview_transform("sql", SEED_SQL.format(source=transactions), sources=[transactions], entity="user")
    frame = preview.frame.sort_values("user_id").reset_index(drop=True)
    assert frame.to_dict("records") == [
        {"user_id": "u1", "avg_transaction_value": 20.0, "transaction_count": 3},
        {"user_id": "u2", "avg_transaction_value": 100.0, "transaction_count": 1},
    ]
    assert preview.features == {"avg_transaction_value": "FLOAT", "transaction_count": "INT"}
    assert preview.stats.loc["transaction_count", "max"] == 3
    assert preview.row_count == 2


def test_sql_errors_carry_their_location(client: FStoreClient, transactions: str) -> None:
    with pytest.raises(TransformError) as caught:
        client.preview_transform("sql", f"SELECT user_id,\n  AVG(amount) AS a FROM {transactions} GROUP BY 1", sources=[transactions], entity="user")
    assert caught.value.code == "FSTORE_TRANSFORM_SQL"
    assert caught.value.location == (2, 7)
    with pytest.raises(ValidationError):
        client.preview_transform("sql", "SELECT 1", sources=transactions, entity="user")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        client.preview_transform("sql", "SELECT 1", sources=["no_such_source"], entity="user")


def test_publish_run_and_serve_the_seed_transform(client: FStoreClient, transactions: str) -> None:
    name = f"user_tx_{uuid.uuid4().hex[:6]}"
    code = SEED_SQL.format(source=transactions).replace("avg_transaction_value", f"{name}_avg").replace("transaction_count", f"{name}_count")
    plan = client.plan_transform(name, "sql", code, sources=[transactions], entity="user")
    assert [c["action"] for c in plan["changes"]] == ["create", "create", "create", "create"]
    published = client.publish_transform(name, "sql", code, sources=[transactions], entity="user")
    assert published["version"] == 1
    job = client.run_transform(name)
    assert job["result"]["rows"] == 2
    online = client.get_online_features(entity="user", entity_keys=["u1", "u2"], feature_list=[f"{name}_avg", f"{name}_count"])
    assert online.to_df()[f"{name}_avg"].tolist() == [20.0, 100.0]
    lineage = client.lineage("feature", f"{name}_avg")
    assert {"from": f"data_source:{transactions}", "to": f"transform:{name}"} in lineage["edges"]
    # Publishing again with a change makes version 2.
    republished = client.publish_transform(name, "sql", code.replace("AVG(", "MAX("), sources=[transactions], entity="user", expected_version=1)
    assert republished["version"] == 2
