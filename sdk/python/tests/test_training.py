"""Training retrieval: point-in-time joins on label rows (hand-checked), TTL, windows, errors."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Tuple

import pandas as pd
import pytest

from fstore import FeatureNotFoundError, FStoreClient, FStoreError, ValidationError


@pytest.fixture
def history(client: FStoreClient, unique: Callable[[str], str]) -> Tuple[str, str]:
    """k1: saldo 1 at 01-10, 2 at 01-20; k2: saldo 10 at 01-10 (all 00:00Z, 2025). No TTL."""
    entity, group = unique("conta"), unique("saldos")
    df = pd.DataFrame(
        {
            "entity_key": ["k1", "k1", "k2"],
            "event_timestamp": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-01-10"], utc=True),
            # stored as <entity>_saldo; requested as "saldo" (names resolve within the entity)
            f"{entity}_saldo": [1, 2, 10],
            f"{entity}_tipo": ["a", "b", "c"],
        }
    )
    client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    return entity, group


def test_point_in_time_hand_checked(client: FStoreClient, history: Tuple[str, str]) -> None:
    entity, _ = history
    labels = pd.DataFrame(
        {
            "entity_key": ["k1", "k1", "k1", "k1", "k1", "k2", "k3"],
            "timestamp": [
                "2025-01-05",  # before any value
                "2025-01-10T00:00:00Z",  # equal to the first event time: included
                "2025-01-15",  # between
                "2025-01-20T00:00:00Z",  # equal to the second event time
                "2025-03-01",  # after everything
                "2025-01-10",  # a bare date is midnight UTC: equal
                "2025-01-15",  # unknown key
            ],
            "comprou": [0, 1, 0, 1, 1, 0, 1],
            "nota": ["x", "y", "z", "w", "v", "u", "t"],
        },
        index=[70, 71, 72, 73, 74, 75, 76],
    )
    out = client.get_historical_features(entity=entity, entity_df=labels, feature_list=["saldo", "tipo"])
    assert list(out.columns) == ["entity_key", "timestamp", "comprou", "nota", "saldo", "tipo"]
    assert out.index.tolist() == [70, 71, 72, 73, 74, 75, 76]
    saldo = [None if pd.isna(v) else int(v) for v in out["saldo"]]
    tipo = [None if pd.isna(v) else v for v in out["tipo"]]
    assert saldo == [None, 1, 1, 2, 2, 10, None]
    assert tipo == [None, "a", "a", "b", "b", "c", None]
    # labels pass through untouched, with their dtypes
    pd.testing.assert_frame_equal(out[["entity_key", "timestamp", "comprou", "nota"]], labels)
    assert str(out["saldo"].dtype) == "Int64"


def test_point_in_time_with_datetime_labels(client: FStoreClient, history: Tuple[str, str]) -> None:
    entity, _ = history
    labels = pd.DataFrame(
        {
            "conta": ["k1", "k1", "k2"],
            "quando": pd.to_datetime(["2025-01-09 21:00:00", "2025-01-19 20:59:59", "2025-01-09 20:59:59"]).tz_localize(
                "America/Sao_Paulo"
            ),
            "y": [True, False, True],
        }
    )
    out = client.get_historical_features(
        entity=entity, entity_df=labels, feature_list=["saldo"], entity_key_column="conta", timestamp_column="quando"
    )
    # 2025-01-09 21:00-03:00 == 01-10 00:00Z (equal: included); 01-19 20:59:59-03:00 is 1 s before 01-20Z.
    assert [None if pd.isna(v) else int(v) for v in out["saldo"]] == [1, 1, None]
    assert out["quando"].dtype == labels["quando"].dtype


def test_training_window(client: FStoreClient, history: Tuple[str, str]) -> None:
    entity, _ = history
    out = client.get_training_features(
        entity=entity, feature_list=["saldo"], start_date=dt.date(2025, 1, 10), end_date=dt.datetime(2025, 1, 19, 23, 59)
    )
    assert out["entity_key"].tolist() == ["k1", "k2"]
    assert out["saldo"].tolist() == [1, 10]
    whole_day = client.get_training_features(
        entity=entity, feature_list=["saldo"], start_date="2025-01-01", end_date="2025-01-20"
    )
    assert whole_day["saldo"].tolist() == [1, 2, 10]  # a bare end date covers the whole day
    empty = client.get_training_features(entity=entity, feature_list=["saldo"], start_date="2024-01-01", end_date="2024-12-31")
    assert len(empty) == 0
    assert list(empty.columns) == ["entity_key", "event_timestamp", "saldo"]
    assert isinstance(empty["event_timestamp"].dtype, pd.DatetimeTZDtype)


def test_ttl_in_point_in_time_and_window(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("sensor"), unique("leituras")
    client.create_feature_group(name=group, entity=entity, ttl_seconds=86400)  # one day
    df = pd.DataFrame(
        {
            "entity_key": ["s1", "s1"],
            "event_timestamp": ["2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z"],
            f"{entity}_temperatura": [20.5, 22.0],
        }
    )
    client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    labels = pd.DataFrame(
        {
            "entity_key": ["s1", "s1", "s1", "s1"],
            "timestamp": ["2025-01-01T12:00:00Z", "2025-01-03T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-05T23:00:00Z"],
        }
    )
    out = client.get_historical_features(entity=entity, entity_df=labels, feature_list=["temperatura"])
    values = [None if pd.isna(v) else float(v) for v in out["temperatura"]]
    assert values == [20.5, None, 22.0, 22.0]  # 01-03 is two days after the last value: expired


def test_training_errors(client: FStoreClient, history: Tuple[str, str]) -> None:
    entity, _ = history
    with pytest.raises(FeatureNotFoundError) as caught:
        client.get_training_features(entity=entity, feature_list=["nao_existe"], start_date="2025-01-01", end_date="2025-01-02")
    assert caught.value.status == 404 and "nao_existe" in caught.value.message
    with pytest.raises(ValidationError) as bad_date:
        client.get_training_features(entity=entity, feature_list=["saldo"], start_date="2025-02-30", end_date="2025-03-01")
    assert bad_date.value.code == "FSTORE_VALIDATION_FAILED" and "start_date" in bad_date.value.message
    with pytest.raises(ValidationError, match="before start_date"):
        client.get_training_features(entity=entity, feature_list=["saldo"], start_date="2025-02-01", end_date="2025-01-01")
    with pytest.raises(ValidationError, match="no column 'timestamp'"):
        client.get_historical_features(entity=entity, entity_df=pd.DataFrame({"entity_key": ["k1"]}), feature_list=["saldo"])
    with pytest.raises(ValidationError, match="same name"):
        client.get_historical_features(
            entity=entity,
            entity_df=pd.DataFrame({"entity_key": ["k1"], "timestamp": ["2025-01-01"], "saldo": [1]}),
            feature_list=["saldo"],
        )
    with pytest.raises(ValidationError, match="row 2"):
        client.get_historical_features(
            entity=entity,
            entity_df=pd.DataFrame({"entity_key": ["k1", "k1"], "timestamp": ["2025-01-01", None]}),
            feature_list=["saldo"],
        )
    with pytest.raises(ValidationError) as service_side:
        client.get_historical_features(
            entity=entity, entity_df=pd.DataFrame({"entity_key": ["k1"], "timestamp": ["ontem"]}), feature_list=["saldo"]
        )
    assert service_side.value.status == 400
    assert service_side.value.details["errors"][0] == {
        "row": 1,
        "column": "timestamp",
        "message": "timestamp 'ontem' is not a date or ISO-8601 timestamp",
    }


def test_point_in_time_engine_option(client: FStoreClient, history: Tuple[str, str]) -> None:
    """engine reaches the service: this test service has no Spark, so it refuses by name; the seed call is unchanged."""
    entity, _ = history
    labels = pd.DataFrame({"entity_key": ["k1"], "timestamp": ["2025-01-15"]})
    with pytest.raises(FStoreError) as refused:
        client.get_historical_features(entity=entity, entity_df=labels, feature_list=["saldo"], engine="spark")
    assert refused.value.code == "FSTORE_SPARK_UNAVAILABLE" and "sparkMaster" in refused.value.message
    with pytest.raises(ValidationError, match="engine must be"):
        client.get_historical_features(entity=entity, entity_df=labels, feature_list=["saldo"], engine="hadoop")
    embedded = client.get_historical_features(entity=entity, entity_df=labels, feature_list=["saldo"], engine="embedded")
    assert [int(v) for v in embedded["saldo"]] == [1]


def test_point_in_time_labels_from_a_query_on_a_data_source(client: FStoreClient, history: Tuple[str, str], unique: Callable[[str], str]) -> None:
    entity, _ = history
    source = unique("pedidos")
    orders = pd.DataFrame(
        {
            "conta": ["k1", "k1", "k2", "k9"],
            "quando": pd.to_datetime(["2025-01-15", "2025-01-25", "2025-01-05", "2025-01-15"], utc=True),
            "fraude": [1, 0, 1, 0],
        }
    )
    client.create_data_source_from_frame(source, orders)
    query = f"SELECT conta AS entity_key, quando AS timestamp, fraude FROM {source} WHERE conta <> 'k9' ORDER BY quando"
    out = client.get_historical_features(entity, feature_list=["saldo"], labels={"source": source, "query": query})
    assert list(out.columns) == ["entity_key", "timestamp", "fraude", "saldo"]
    assert out["entity_key"].tolist() == ["k2", "k1", "k1"]
    assert out["fraude"].tolist() == [1, 1, 0]
    # k2 at 01-05 is before its first value; k1 at 01-15 sees 1, at 01-25 sees 2.
    assert out["saldo"].isna().tolist() == [True, False, False]
    assert out["saldo"].tolist()[1:] == [1, 2]

    with pytest.raises(ValidationError, match="has no column 'timestamp'"):
        client.get_historical_features(entity, feature_list=["saldo"], labels={"source": source, "query": f"SELECT conta AS entity_key FROM {source}"})
    with pytest.raises(FStoreError) as unknown:
        client.get_historical_features(entity, feature_list=["saldo"], labels={"source": unique("nenhuma"), "query": "SELECT 1"})
    assert unknown.value.code == "FSTORE_DATA_SOURCE_NOT_FOUND"
    with pytest.raises(ValidationError, match="either entity_df or labels"):
        client.get_historical_features(entity, feature_list=["saldo"])
