"""Online serving through ``OnlineFeatures``: values, statuses, event times, TTL expiry, errors."""

from __future__ import annotations

from typing import Callable

import pandas as pd
import pytest

from fstore import FeatureNotFoundError, FStoreClient, OnlineFeatures, ValidationError


def test_ttl_expiry_and_statuses(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("maquina"), unique("telemetria")
    client.create_feature_group(name=group, entity=entity, ttl_seconds=3600, description="one hour TTL")
    now = pd.Timestamp.now(tz="UTC").floor("s")
    old, fresh = now - pd.Timedelta(hours=2), now - pd.Timedelta(minutes=10)
    df = pd.DataFrame(
        {
            "entity_key": ["m_old", "m_fresh"],
            "event_timestamp": [old, fresh],
            f"{entity}_rpm": [1000, 2000],
        }
    )
    client.ingest_batch(entity=entity, feature_group=group, dataframe=df)

    online = client.get_online_features(entity=entity, entity_keys=["m_old", "m_fresh", "m_none"], feature_list=["rpm"])
    assert isinstance(online, OnlineFeatures)
    assert len(online) == 3 and list(online) == ["m_old", "m_fresh", "m_none"] and "m_old" in online
    assert online.statuses == {"m_old": {"rpm": "EXPIRED"}, "m_fresh": {"rpm": "PRESENT"}, "m_none": {"rpm": "NOT_FOUND"}}
    assert online.to_dict() == {"m_old": {"rpm": None}, "m_fresh": {"rpm": 2000}, "m_none": {"rpm": None}}
    assert online.event_timestamps == {"m_old": {"rpm": old}, "m_fresh": {"rpm": fresh}, "m_none": {"rpm": None}}
    assert online["m_fresh"] == {"rpm": 2000}
    assert online.value("m_fresh", "rpm") == 2000 and online.status("m_old", "rpm") == "EXPIRED"
    assert not online.all_present
    assert online.features == ["rpm"] and online.resolved_features == [f"{entity}_rpm"]

    df_out = online.to_df(include_status=True, include_event_timestamp=True)
    assert list(df_out.columns) == ["entity_key", "rpm", "rpm__status", "rpm__event_timestamp"]
    assert str(df_out["rpm"].dtype) == "Int64"
    assert df_out["rpm"].isna().tolist() == [True, False, True]
    assert df_out["rpm__status"].tolist() == ["EXPIRED", "PRESENT", "NOT_FOUND"]
    assert df_out["rpm__event_timestamp"].iloc[0] == old and pd.isna(df_out["rpm__event_timestamp"].iloc[2])

    # Extending the TTL makes the old value servable again (TTL is checked on every read).
    client.update_feature_group(group, ttl_seconds=3 * 3600)
    assert client.get_online_features(entity=entity, entity_keys=["m_old"], feature_list=["rpm"]).to_dict() == {
        "m_old": {"rpm": 1000}
    }


def test_late_older_event_does_not_overwrite(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("pedido"), unique("status")
    col = f"{entity}_etapa"
    client.ingest_batch(
        entity=entity,
        feature_group=group,
        dataframe=pd.DataFrame({"entity_key": ["p"], "timestamp": ["2025-02-01T00:00:00Z"], col: ["entregue"]}),
    )
    client.ingest_batch(
        entity=entity,
        feature_group=group,
        dataframe=pd.DataFrame({"entity_key": ["p"], "timestamp": ["2025-01-01T00:00:00Z"], col: ["enviado"]}),
    )
    online = client.get_online_features(entity=entity, entity_keys=["p"], feature_list=[col])
    assert online.to_dict() == {"p": {col: "entregue"}}


def test_duplicate_keys_keep_rows(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("dup"), unique("g")
    client.ingest_batch(entity=entity, feature_group=group, dataframe=pd.DataFrame({"entity_key": ["a"], f"{entity}_v": [1.5]}))
    online = client.get_online_features(entity=entity, entity_keys=["a", "a"], feature_list=["v"])
    assert online.to_df()["v"].tolist() == [1.5, 1.5]
    assert online.to_dict() == {"a": {"v": 1.5}}


def test_online_errors(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("erro"), unique("g")
    client.ingest_batch(entity=entity, feature_group=group, dataframe=pd.DataFrame({"entity_key": ["a"], f"{entity}_v": [1]}))
    with pytest.raises(FeatureNotFoundError) as caught:
        client.get_online_features(entity=entity, entity_keys=["a"], feature_list=["nao_existe"])
    assert caught.value.status == 404 and caught.value.code == "FSTORE_FEATURE_NOT_FOUND"
    with pytest.raises(ValidationError) as empty:
        client.get_online_features(entity=entity, entity_keys=[], feature_list=["v"])
    assert empty.value.status == 400 and empty.value.details


def test_offline_only_group_is_not_served(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("lote"), unique("historico")
    client.create_feature_group({"name": group, "entity": entity, "online": False})
    client.ingest_batch(
        entity=entity,
        feature_group=group,
        dataframe=pd.DataFrame({"entity_key": ["a"], "timestamp": ["2025-01-01T00:00:00Z"], f"{entity}_v": [1]}),
    )
    with pytest.raises(ValidationError, match="online: false"):
        client.get_online_features(entity=entity, entity_keys=["a"], feature_list=["v"])
    train = client.get_training_features(entity=entity, feature_list=["v"], start_date="2025-01-01", end_date="2025-01-01")
    assert train["v"].tolist() == [1]
