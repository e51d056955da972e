"""Batch ingestion through the SDK: types survive the Parquet round trip, bad batches are rejected
whole with row/column details, and a rejected batch writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd
import pytest

from fstore import (
    EntityNotFoundError,
    FeatureNotFoundError,
    FStoreClient,
    IngestRejectedError,
    InvalidNameError,
    ValidationError,
)


def test_dtypes_round_trip(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("conta"), unique("perfil")
    key = f"{entity}_id"
    df = pd.DataFrame(
        {
            key: ["a", "b", "c"],
            # naive datetimes mean UTC
            "event_timestamp": pd.to_datetime(["2025-01-10 12:00", "2025-01-11 12:00", "2025-01-12 12:00"]),
            "n_int": [1, 2, 3],
            "n_nullable": pd.array([10, None, 30], dtype="Int64"),
            "n_float": [1.5, 2.0, None],
            "flag": [True, False, True],
            "label": ["x", "y", None],
            "category": pd.Categorical(["p", "q", "p"]),
            "birthday": [dt.date(2000, 1, 1), dt.date(2001, 2, 3), None],
            "seen_at": pd.to_datetime(["2025-01-01T01:02:03", "2025-01-02T00:00:00", "2025-01-03T00:00:00"]).tz_localize(
                "America/Sao_Paulo"
            ),
            "scores": [[1, 2], [3], []],
        }
    )
    report = client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    assert report["rows"] == 3
    types = {f["name"]: f["value_type"] for f in report["registered_features"]}
    assert types == {
        "n_int": "INT",
        "n_nullable": "INT",
        "n_float": "FLOAT",
        "flag": "BOOL",
        "label": "STRING",
        "category": "STRING",
        "birthday": "DATE",
        "seen_at": "TIMESTAMP",
        "scores": "INT_LIST",
    }

    features = list(types)
    out = client.get_training_features(entity=entity, feature_list=features, start_date="2025-01-01", end_date="2025-01-31")
    assert out["entity_key"].tolist() == ["a", "b", "c"]
    assert [t.isoformat() for t in out["event_timestamp"]] == [
        "2025-01-10T12:00:00+00:00",
        "2025-01-11T12:00:00+00:00",
        "2025-01-12T12:00:00+00:00",
    ]
    assert str(out["n_int"].dtype) == "Int64" and out["n_int"].tolist() == [1, 2, 3]
    assert str(out["n_nullable"].dtype) == "Int64"
    assert out["n_nullable"].iloc[0] == 10 and out["n_nullable"].isna().iloc[1] and out["n_nullable"].iloc[2] == 30
    assert str(out["n_float"].dtype) == "float64"
    assert out["n_float"].iloc[:2].tolist() == [1.5, 2.0] and pd.isna(out["n_float"].iloc[2])
    assert str(out["flag"].dtype) == "boolean" and out["flag"].tolist() == [True, False, True]
    assert pd.api.types.is_string_dtype(out["label"].dtype)
    assert out["label"].iloc[:2].tolist() == ["x", "y"] and pd.isna(out["label"].iloc[2])
    assert out["category"].tolist() == ["p", "q", "p"]
    assert out["birthday"].iloc[:2].tolist() == [dt.date(2000, 1, 1), dt.date(2001, 2, 3)]
    seen = out["seen_at"]
    assert isinstance(seen.dtype, pd.DatetimeTZDtype) and str(seen.dtype.tz) == "UTC"
    assert seen.iloc[0] == pd.Timestamp("2025-01-01T04:02:03Z")  # -03:00 converted to UTC
    assert [list(v) for v in out["scores"]] == [[1, 2], [3], []]

    # Online values come back with the same dtypes.
    online = client.get_online_features(entity=entity, entity_keys=["a", "b", "zz"], feature_list=features).to_df()
    assert str(online["n_int"].dtype) == "Int64"
    assert str(online["n_float"].dtype) == "float64"
    assert str(online["flag"].dtype) == "boolean"
    assert isinstance(online["seen_at"].dtype, pd.DatetimeTZDtype)
    assert online["seen_at"].iloc[0] == pd.Timestamp("2025-01-01T04:02:03Z")
    assert online["birthday"].iloc[1] == dt.date(2001, 2, 3)
    assert online["n_float"].iloc[1] == 2.0 and pd.isna(online["n_float"].iloc[2])


def test_named_index_is_the_key_and_aware_times_convert(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("loja"), unique("vendas")
    df = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2025-03-01T09:00:00"]).tz_localize("America/Sao_Paulo"),
            "loja_total": [99.5],
        },
        index=pd.Index(["s1"], name="entity_key"),
    )
    report = client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    assert report["entity_key_column"] == "entity_key"
    assert report["event_time_column"] == "timestamp"
    online = client.get_online_features(entity=entity, entity_keys=["s1"], feature_list=["loja_total"])
    assert online.value("s1", "loja_total") == 99.5
    assert online.event_timestamp("s1", "loja_total") == pd.Timestamp("2025-03-01T12:00:00Z")


def test_reingest_is_idempotent(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("item"), unique("precos")
    df = pd.DataFrame(
        {"entity_key": ["i1", "i1"], "event_timestamp": ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"], "preco": [1.0, 2.0]}
    )
    client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    client.ingest_batch(entity=entity, feature_group=group, dataframe=df)
    out = client.get_training_features(entity=entity, feature_list=["preco"], start_date="2025-01-01", end_date="2025-01-02")
    assert out["preco"].tolist() == [1.0, 2.0]


def test_rejected_batch_names_row_and_column_and_writes_nothing(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("cartao"), unique("limites")
    key = f"{entity}_id"
    good = pd.DataFrame({key: ["k1"], "event_timestamp": ["2025-01-10T00:00:00Z"], "limite": ["100"]})
    client.ingest_batch(entity=entity, feature_group=group, dataframe=good)
    feature_versions = len(client.feature_versions("limite"))
    group_version = client.get_feature_group(group)["version"]

    bad = pd.DataFrame(
        {
            key: ["k1", "k2", "k3"],
            "event_timestamp": ["2025-01-20T00:00:00Z", "2025-01-20T00:00:00Z", "2025-01-20T00:00:00Z"],
            "limite": ["200", "abc", "300"],  # row 2 is not an integer
            "extra_col": [1, 2, 3],  # a new column: must not be registered
        }
    )
    with pytest.raises(IngestRejectedError) as caught:
        client.ingest_batch(entity=entity, feature_group=group, dataframe=bad)
    err = caught.value
    assert err.status == 422 and err.code == "FSTORE_INGEST_REJECTED"
    assert err.invalid_rows == 1
    assert err.errors == [
        {"row": 2, "column": "limite", "value": "abc", "reason": "expected an integer for feature 'limite' (INT)"}
    ]
    assert "row 2" in err.message and "limite" in err.message

    # Nothing was written: no new values, no new feature, no new versions.
    online = client.get_online_features(entity=entity, entity_keys=["k1", "k2", "k3"], feature_list=["limite"])
    assert online.to_dict() == {"k1": {"limite": 100}, "k2": {"limite": None}, "k3": {"limite": None}}
    assert online.event_timestamp("k1", "limite") == pd.Timestamp("2025-01-10T00:00:00Z")
    history = client.get_training_features(entity=entity, feature_list=["limite"], start_date="2025-01-01", end_date="2025-12-31")
    assert history["entity_key"].tolist() == ["k1"] and history["limite"].tolist() == [100]
    with pytest.raises(FeatureNotFoundError):
        client.get_feature("extra_col")
    assert len(client.feature_versions("limite")) == feature_versions
    assert client.get_feature_group(group)["version"] == group_version


def test_rejected_batch_for_new_entity_registers_nothing(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("novo"), unique("grupo")
    bad = pd.DataFrame({f"{entity}_id": ["a", None], "event_timestamp": ["2025-01-01", "not a time"], "novo_x": [1, 2]})
    with pytest.raises(IngestRejectedError) as caught:
        client.ingest_batch(entity=entity, feature_group=group, dataframe=bad)
    problems = {(e["row"], e["column"]) for e in caught.value.errors}
    assert problems == {(2, f"{entity}_id"), (2, "event_timestamp")}
    with pytest.raises(EntityNotFoundError):
        client.get_entity(entity)
    with pytest.raises(FeatureNotFoundError):
        client.get_feature("novo_x")


def test_batch_without_key_column_is_rejected(client: FStoreClient, unique: Callable[[str], str]) -> None:
    with pytest.raises(IngestRejectedError) as caught:
        client.ingest_batch(entity=unique("sem"), feature_group=unique("chave"), dataframe=pd.DataFrame({"valor": [1]}))
    assert "No entity key column" in caught.value.message


def test_invalid_entity_name(client: FStoreClient) -> None:
    with pytest.raises(InvalidNameError) as caught:
        client.ingest_batch(entity="Usuario", feature_group="demografia", dataframe=pd.DataFrame({"id": ["a"], "x": [1]}))
    assert caught.value.status == 400 and "snake_case" in caught.value.message


def test_client_side_checks(client: FStoreClient) -> None:
    with pytest.raises(ValidationError):
        client.ingest_batch(entity="usuario", feature_group="demografia", dataframe=pd.DataFrame({"id": []}))
    with pytest.raises(ValidationError):
        client.ingest_batch(entity="usuario", feature_group="demografia", dataframe=[{"id": 1}])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="time deltas"):
        client.ingest_batch(
            entity="usuario", feature_group="demografia", dataframe=pd.DataFrame({"id": ["a"], "d": [pd.Timedelta("1h")]})
        )


def test_progress_is_reported(client: FStoreClient, unique: Callable[[str], str], capfd: pytest.CaptureFixture[str]) -> None:
    entity, group = unique("evento"), unique("contagem")
    n = 5000
    df = pd.DataFrame(
        {
            "entity_key": [f"k{i % 50}" for i in range(n)],
            "event_timestamp": pd.date_range("2025-01-01", periods=n, freq="min"),
            "evento_n": range(n),
        }
    )
    report = client.ingest_batch(entity=entity, feature_group=group, dataframe=df, progress=True)
    assert report["rows"] == n
    err = capfd.readouterr().err
    assert "uploading" in err and f"ingested {n:,} rows" in err
    online = client.get_online_features(entity=entity, entity_keys=["k0", "k49"], feature_list=["evento_n"])
    assert online.to_dict() == {"k0": {"evento_n": 4950}, "k49": {"evento_n": 4999}}


def test_ingest_file_and_rows(client: FStoreClient, unique: Callable[[str], str], tmp_path: pytest.TempPathFactory) -> None:
    entity, group = unique("arquivo"), unique("dados")
    path = tmp_path / "dados.csv"  # type: ignore[operator]
    path.write_text("entity_key,event_timestamp,arquivo_v\nf1,2025-01-01T00:00:00Z,7\n")
    assert client.ingest_file(entity, group, path)["rows"] == 1
    assert (
        client.ingest_rows(entity, group, [{"entity_key": "f2", "event_timestamp": "2025-01-02T00:00:00Z", "arquivo_v": 8}])[
            "rows"
        ]
        == 1
    )
    online = client.get_online_features(entity=entity, entity_keys=["f1", "f2"], feature_list=["arquivo_v"])
    assert online.to_dict() == {"f1": {"arquivo_v": 7}, "f2": {"arquivo_v": 8}}
