"""The seed document's Python examples, as written (only the base URL points at the test service).

They run once, in order, in the ``seed`` fixture; the tests check the results by hand-computed values.
Data: the README's ``dados_usuarios.csv``::

    usuario_id,idade,renda,cidade,event_timestamp
    user_123,25,5000.5,SP,2025-01-10T10:00:00Z
    user_456,31,7000,RJ,2025-01-11T10:00:00Z
    user_123,26,5100,SP,2025-02-01T00:00:00Z
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator

import pandas as pd
import pytest

CSV = """usuario_id,idade,renda,cidade,event_timestamp
user_123,25,5000.5,SP,2025-01-10T10:00:00Z
user_456,31,7000,RJ,2025-01-11T10:00:00Z
user_123,26,5100,SP,2025-02-01T00:00:00Z
"""


@pytest.fixture(scope="module")
def seed(service_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    work = tmp_path_factory.mktemp("seed")
    (work / "dados_usuarios.csv").write_text(CSV)
    previous = os.getcwd()
    os.chdir(work)
    try:
        # ---- "Via API" (seed, section 1) ----
        import requests

        feature = {
            "name": "usuario_idade",
            "description": "Idade do usuário",
            "feature_type": "NUMERIC",
            "value_type": "INT",
            "entity": "usuario",
            "tags": ["demografia", "basico"],
        }

        response = requests.post(
            f"{service_url}/api/features/",
            json=feature
        )

        # ---- "Batch (Arquivos)" (seed, section 2) ----
        import pandas as pd
        from fstore.client import FStoreClient

        client = FStoreClient(service_url)

        # Carregar dados
        df = pd.read_csv("dados_usuarios.csv")

        # Registrar features
        report = client.ingest_batch(
            entity="usuario",
            feature_group="demografia",
            dataframe=df
        )

        # ---- "Para Treino (Offline)" (seed, section 4) ----
        training = client.get_training_features(
            entity="usuario",
            feature_list=["idade", "renda", "cidade"],
            start_date="2025-01-01",
            end_date="2025-02-20"
        )

        # ---- "Para Inferência (Online)" (seed, section 4) ----
        online = client.get_online_features(
            entity="usuario",
            entity_keys=["user_123", "user_456"],
            feature_list=["idade", "renda", "cidade"]
        )
        yield {"response": response, "report": report, "training": training, "online": online, "client": client}
    finally:
        os.chdir(previous)


def test_create_feature_via_requests(seed: Dict[str, Any]) -> None:
    response = seed["response"]
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "usuario_idade"
    assert body["version"] == 1
    assert body["value_type"] == "INT"
    assert body["tags"] == ["demografia", "basico"]
    assert any("usuario_id" in w for w in body["warnings"])  # the entity was created with its join key


def test_ingest_batch_report(seed: Dict[str, Any]) -> None:
    report = seed["report"]
    assert report["rows"] == 3
    assert report["values_written"] == 9
    assert report["entity_key_column"] == "usuario_id"
    assert report["event_time_column"] == "event_timestamp"
    assert report["features"] == ["usuario_idade", "renda", "cidade"]  # `idade` feeds usuario_idade
    assert {f["name"]: f["value_type"] for f in report["registered_features"]} == {"renda": "FLOAT", "cidade": "STRING"}
    client = seed["client"]
    assert client.get_feature("usuario_idade")["feature_group"] == "demografia"
    assert client.get_feature_group("demografia")["entity"] == "usuario"


def test_training_features_values(seed: Dict[str, Any]) -> None:
    training: pd.DataFrame = seed["training"]
    assert list(training.columns) == ["entity_key", "event_timestamp", "idade", "renda", "cidade"]
    rows = [
        (r.entity_key, r.event_timestamp.isoformat(), int(r.idade), float(r.renda), r.cidade)
        for r in training.itertuples(index=False)
    ]
    assert rows == [
        ("user_123", "2025-01-10T10:00:00+00:00", 25, 5000.5, "SP"),
        ("user_123", "2025-02-01T00:00:00+00:00", 26, 5100.0, "SP"),
        ("user_456", "2025-01-11T10:00:00+00:00", 31, 7000.0, "RJ"),
    ]


def test_training_features_dtypes(seed: Dict[str, Any]) -> None:
    training: pd.DataFrame = seed["training"]
    ts = training["event_timestamp"].dtype
    assert isinstance(ts, pd.DatetimeTZDtype) and str(ts.tz) == "UTC"
    assert str(training["idade"].dtype) == "Int64"
    assert str(training["renda"].dtype) == "float64"
    assert pd.api.types.is_string_dtype(training["cidade"].dtype)
    assert pd.api.types.is_string_dtype(training["entity_key"].dtype)


def test_online_features(seed: Dict[str, Any]) -> None:
    online = seed["online"]
    assert online.to_dict() == {
        "user_123": {"idade": 26, "renda": 5100, "cidade": "SP"},
        "user_456": {"idade": 31, "renda": 7000, "cidade": "RJ"},
    }
    assert online.statuses == {
        "user_123": {"idade": "PRESENT", "renda": "PRESENT", "cidade": "PRESENT"},
        "user_456": {"idade": "PRESENT", "renda": "PRESENT", "cidade": "PRESENT"},
    }
    assert online.resolved_features == ["usuario_idade", "renda", "cidade"]
    assert online.event_timestamp("user_123", "idade") == pd.Timestamp("2025-02-01T00:00:00Z")
    df = online.to_df()
    assert list(df.columns) == ["entity_key", "idade", "renda", "cidade"]
    assert df["entity_key"].tolist() == ["user_123", "user_456"]
    assert df["idade"].tolist() == [26, 31]
    assert str(df["idade"].dtype) == "Int64"
    assert str(df["renda"].dtype) == "float64"  # the FLOAT feature, though 5100 travels as a JSON integer
    assert df["cidade"].tolist() == ["SP", "RJ"]
