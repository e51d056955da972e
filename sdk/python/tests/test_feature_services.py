"""Feature services (Feast's ``FeatureService``): create and list them, then read online, training and
point-in-time values with ``feature_service=`` instead of ``entity`` and ``feature_list``."""

from __future__ import annotations

from typing import Callable, Tuple

import pandas as pd
import pytest

from conftest import IngestHistory
from fstore import FeatureNotFoundError, FeatureServiceNotFoundError, FStoreClient, ValidationError


@pytest.fixture
def model_inputs(client: FStoreClient, unique: Callable[[str], str], ingest_history: IngestHistory) -> Tuple[str, str, str]:
    """An entity with two groups: perfil (idade at 01-01 and 01-10) and sessao (cliques at 01-09), 2025."""
    entity, perfil, sessao = unique("cliente"), unique("perfil"), unique("sessao")
    ingest_history(entity, perfil, f"{entity}_idade", [30, 31, 44])
    client.ingest_batch(
        entity=entity,
        feature_group=sessao,
        dataframe=pd.DataFrame(
            {"entity_key": ["c1"], "event_timestamp": pd.to_datetime(["2025-01-09"], utc=True), f"{entity}_cliques": [7]}
        ),
    )
    return entity, perfil, sessao


def test_create_list_and_serve_by_feature_service(client: FStoreClient, unique: Callable[[str], str], model_inputs: Tuple[str, str, str]) -> None:
    entity, perfil, sessao = model_inputs
    name = unique("modelo")
    created = client.create_feature_service(name=name, features=[f"{perfil}:idade", f"{sessao}:{entity}_cliques"], description="churn")
    assert created["entity"] == entity
    assert created["features"] == [f"{entity}_idade", f"{entity}_cliques"]
    assert created["version"] == 1
    assert [s["name"] for s in client.list_feature_services(entity=entity)] == [name]
    assert client.get_feature_service(name)["description"] == "churn"

    online = client.get_online_features(entity_keys=["c1", "c9"], feature_service=name)
    assert online.to_dict() == {"c1": {f"{entity}_idade": 31, f"{entity}_cliques": 7}, "c9": {f"{entity}_idade": None, f"{entity}_cliques": None}}
    by_list = client.get_online_features(entity=entity, entity_keys=["c1", "c9"], feature_list=[f"{entity}_idade", f"{entity}_cliques"])
    assert online.to_dict() == by_list.to_dict()
    # The Arrow answer, and its value types, too.
    arrow = client.get_online_features(entity_keys=["c1"], feature_service=name, format="arrow")
    assert arrow.to_dict() == {"c1": {f"{entity}_idade": 31, f"{entity}_cliques": 7}}

    window = client.get_training_features(feature_service=name, start_date="2025-01-01", end_date="2025-01-31")
    assert list(window.columns) == ["entity_key", "event_timestamp", f"{entity}_idade", f"{entity}_cliques"]
    assert len(window) == 4

    labels = pd.DataFrame({"entity_key": ["c1", "c2"], "timestamp": ["2025-01-09T12:00:00Z", "2025-01-06"], "churn": [1, 0]})
    out = client.get_historical_features(entity_df=labels, feature_service=name)
    assert list(out.columns) == ["entity_key", "timestamp", "churn", f"{entity}_idade", f"{entity}_cliques"]
    assert [int(v) for v in out[f"{entity}_idade"]] == [30, 44]
    assert [None if pd.isna(v) else int(v) for v in out[f"{entity}_cliques"]] == [7, None]

    updated = client.update_feature_service(name, features=[f"{perfil}:idade"], expected_version=1)
    assert updated["version"] == 2 and updated["features"] == [f"{entity}_idade"]
    assert [v["action"] for v in client.feature_service_versions(name)] == ["create", "update"]


def test_feature_service_errors(client: FStoreClient, unique: Callable[[str], str], model_inputs: Tuple[str, str, str]) -> None:
    entity, perfil, _ = model_inputs
    with pytest.raises(FeatureServiceNotFoundError, match="does not exist"):
        client.get_online_features(entity_keys=["c1"], feature_service=unique("nenhum"))
    with pytest.raises(FeatureNotFoundError, match="nada"):
        client.create_feature_service(name=unique("ruim"), features=[f"{perfil}:nada"])
    with pytest.raises(ValidationError, match="not both"):
        client.get_online_features(entity=entity, entity_keys=["c1"], feature_list=["idade"], feature_service="x")
    with pytest.raises(ValidationError, match="feature_list"):
        client.get_training_features(entity=entity, start_date="2025-01-01", end_date="2025-01-31")
