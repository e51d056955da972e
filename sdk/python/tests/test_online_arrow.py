"""The binary online answer (Arrow IPC): every view of ``OnlineFeatures`` equals the JSON answer's.

Same data, same request, ``format="json"`` and ``format="arrow"``: ``to_dict()``, ``statuses``,
``event_timestamps``, ``value()``, ``raw`` and ``to_df()`` (dtypes included) agree, for several value
types, NOT_FOUND, EXPIRED and a key requested twice.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Callable, List, Tuple

import pandas as pd
import pytest

from fstore import FStoreClient, ValidationError
from fstore.client import ARROW_MIN_KEYS, FeatureDeprecationWarning
from fstore.online import OnlineFeatures


def _seed(client: FStoreClient, unique: Callable[[str], str]) -> Tuple[str, List[str], pd.Timestamp, pd.Timestamp]:
    """An entity with a group of many value types (no TTL) and one with a one-hour TTL."""
    entity, perfil, sessao = unique("cliente"), unique("perfil"), unique("sessao")
    now = pd.Timestamp.now(tz="UTC").floor("s")
    when = pd.Timestamp("2025-01-10T00:00:00Z")
    client.ingest_batch(
        entity=entity,
        feature_group=perfil,
        dataframe=pd.DataFrame(
            {
                "entity_key": ["c1", "c2"],
                "event_timestamp": [when, when - pd.Timedelta(days=1)],
                f"{entity}_idade": pd.array([41, None], dtype="Int64"),
                f"{entity}_renda": [5100.0, 0.25],
                f"{entity}_ativo": pd.array([True, False], dtype="boolean"),
                f"{entity}_cidade": ["São Paulo", None],
                f"{entity}_visto_em": [pd.Timestamp("2025-01-09T08:07:06.789Z"), pd.NaT],
                f"{entity}_nascimento": [dt.date(1984, 2, 29), dt.date(2000, 1, 1)],
                f"{entity}_notas": [[3, -7], [1]],
                f"{entity}_tags": [["a", "ç"], []],
            }
        ),
    )
    client.create_feature_group(name=sessao, entity=entity, ttl_seconds=3600, description="one hour TTL")
    fresh, old = now - pd.Timedelta(minutes=10), now - pd.Timedelta(hours=2)
    client.ingest_batch(
        entity=entity,
        feature_group=sessao,
        dataframe=pd.DataFrame({"entity_key": ["c1", "c2"], "event_timestamp": [fresh, old], f"{entity}_cliques": [7, 3]}),
    )
    features = ["idade", "renda", "ativo", "cidade", "visto_em", "nascimento", "notas", "tags", "cliques"]
    return entity, features, fresh, old


def _assert_same(arrow: OnlineFeatures, json: OnlineFeatures) -> None:
    assert arrow.table is not None and json.table is None
    assert (arrow.entity, arrow.features, arrow.resolved_features) == (json.entity, json.features, json.resolved_features)
    assert arrow.entity_keys == json.entity_keys and len(arrow) == len(json)
    assert arrow.to_dict() == json.to_dict()
    assert arrow.statuses == json.statuses
    assert arrow.event_timestamps == json.event_timestamps
    assert arrow.all_present == json.all_present
    assert arrow.raw == json.raw
    for key in json.entity_keys:
        assert arrow[key] == json[key]
        for f in json.features:
            assert (arrow.value(key, f), arrow.status(key, f), arrow.event_timestamp(key, f)) == (
                json.value(key, f),
                json.status(key, f),
                json.event_timestamp(key, f),
            )
    for status, times in [(False, False), (True, False), (False, True), (True, True)]:
        pd.testing.assert_frame_equal(
            arrow.to_df(include_status=status, include_event_timestamp=times),
            json.to_df(include_status=status, include_event_timestamp=times),
            check_exact=True,
        )


def test_arrow_answer_equals_json(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, features, fresh, old = _seed(client, unique)
    types = {f["name"]: f["value_type"] for f in client.list_features(entity=entity)}
    assert [types[f"{entity}_{f}"] for f in features] == [
        "INT", "FLOAT", "BOOL", "STRING", "TIMESTAMP", "DATE", "INT_LIST", "STRING_LIST", "INT",
    ]  # fmt: skip

    keys = ["c2", "c1", "nobody", "c1"]
    json = client.get_online_features(entity, keys, features, format="json")
    arrow = client.get_online_features(entity, keys, features, format="arrow")
    _assert_same(arrow, json)

    # The cases are really there.
    assert arrow.statuses["c2"]["cliques"] == "EXPIRED" and arrow.statuses["nobody"]["idade"] == "NOT_FOUND"
    assert arrow.event_timestamps["c2"]["cliques"] == old and arrow.event_timestamps["c1"]["cliques"] == fresh
    assert arrow.to_dict()["c1"] == {
        "idade": 41,
        "renda": 5100.0,
        "ativo": True,
        "cidade": "São Paulo",
        "visto_em": "2025-01-09T08:07:06.789Z",
        "nascimento": "1984-02-29",
        "notas": [3, -7],
        "tags": ["a", "ç"],
        "cliques": 7,
    }
    df = arrow.to_df(include_status=True, include_event_timestamp=True)
    assert df["entity_key"].tolist() == keys
    assert str(df["idade"].dtype) == "Int64" and str(df["ativo"].dtype) == "boolean" and str(df["renda"].dtype) == "float64"
    assert df["cliques__status"].tolist() == ["EXPIRED", "PRESENT", "NOT_FOUND", "PRESENT"]
    assert df["visto_em"].iloc[1] == pd.Timestamp("2025-01-09T08:07:06.789Z")
    assert df["nascimento"].iloc[1] == dt.date(1984, 2, 29) and df["notas"].iloc[1] == [3, -7]


def test_arrow_answer_only_missing_values(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, features, _, _ = _seed(client, unique)
    keys = ["ninguem", "nobody"]
    _assert_same(client.get_online_features(entity, keys, features, format="arrow"), client.get_online_features(entity, keys, features, format="json"))


def test_auto_format_uses_arrow_for_large_batches(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, features, _, _ = _seed(client, unique)
    many = [f"k{i}" for i in range(ARROW_MIN_KEYS - 2)] + ["c1", "c2"]
    auto = client.get_online_features(entity, many, features)
    assert auto.table is not None
    _assert_same(auto, client.get_online_features(entity, many, features, format="json"))
    # The seed's call with a few keys stays JSON.
    assert client.get_online_features(entity=entity, entity_keys=["c1"], feature_list=["idade"]).table is None
    with pytest.raises(ValidationError, match="format"):
        client.get_online_features(entity, ["c1"], ["idade"], format="parquet")


def test_deprecation_warnings_in_both_formats(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, _, _, _ = _seed(client, unique)
    # The SDK has no call for it: the REST route.
    client._http.json("POST", f"/api/features/{entity}_renda/deprecate", idempotent=False, json_body={"reason": "Use the monthly income"})
    for fmt in ("json", "arrow"):
        # The service's serving view follows registry changes within a second.
        deadline = pd.Timestamp.now() + pd.Timedelta(seconds=5)
        while True:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                online = client.get_online_features(entity, ["c1"], ["renda"], format=fmt)
            if online.warnings or pd.Timestamp.now() > deadline:
                break
        assert [str(w.message) for w in caught if issubclass(w.category, FeatureDeprecationWarning)] == [
            f"Feature '{entity}_renda' is deprecated: Use the monthly income"
        ]
        assert online.to_dict() == {"c1": {"renda": 5100.0}}
