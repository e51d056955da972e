"""Registry management through the SDK: features, entities, groups, versions, diffs, audit, errors."""

from __future__ import annotations

from typing import Callable

import pandas as pd
import pytest

from fstore import (
    AlreadyExistsError,
    ArchivedError,
    ConflictError,
    EntityNotFoundError,
    FeatureGroupNotFoundError,
    FeatureNotFoundError,
    FStoreClient,
    InvalidNameError,
    NotFoundError,
    ValidationError,
    VersionConflictError,
    VersionNotFoundError,
)


def test_feature_lifecycle(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity = unique("cliente")
    name = f"{entity}_idade"
    created = client.create_feature(
        name=name, description="Idade", feature_type="NUMERIC", value_type="INT", entity=entity, tags=["demografia"]
    )
    assert created["version"] == 1 and created["status"] == "active"
    assert created["updated_by"] == "sdk_tests"  # the client's user is the author
    assert client.get_entity(entity)["join_key"] == f"{entity}_id"  # created on demand

    # The dict form creates too.
    other = client.create_feature({"name": f"{entity}_renda", "value_type": "FLOAT", "entity": entity, "tags": ["financeiro"]})
    assert other["feature_type"] == "NUMERIC"

    assert {f["name"] for f in client.list_features(entity=entity)} == {name, f"{entity}_renda"}
    assert [f["name"] for f in client.list_features(entity=entity, tag="demografia")] == [name]
    assert [f["name"] for f in client.list_features(q=f"{entity}_ren")] == [f"{entity}_renda"]
    assert client.get_feature(name)["description"] == "Idade"

    updated = client.update_feature(name, description="Idade em anos", tags=["demografia", "basico"])
    assert updated["version"] == 2
    versions = client.feature_versions(name)
    assert [v["version"] for v in versions] == [1, 2]
    assert [v["action"] for v in versions] == ["create", "update"]
    assert client.feature_version(name, 1)["definition"]["description"] == "Idade"
    diff = client.diff_feature(name, 1, 2)
    assert diff["from"] == 1 and diff["to"] == 2
    changes = {c["field"]: (c["before"], c["after"]) for c in diff["changes"]}
    assert changes == {"description": ("Idade", "Idade em anos"), "tags": (["demografia"], ["demografia", "basico"])}

    with pytest.raises(VersionConflictError) as stale:
        client.update_feature(name, expected_version=1, description="stale")
    assert stale.value.status == 409 and isinstance(stale.value, ConflictError)
    assert client.update_feature(name, expected_version=2, owner="time_ml")["version"] == 3

    archived = client.archive_feature(name)
    assert archived["status"] == "archived" and archived["version"] == 4
    assert name not in {f["name"] for f in client.list_features(entity=entity)}
    assert name in {f["name"] for f in client.list_features(entity=entity, include_archived=True)}
    assert client.restore_feature(name)["status"] == "active"

    events = client.audit(kind="feature", name=name)
    assert [e["action"] for e in events][:2] == ["feature.restore", "feature.archive"]  # newest first
    assert all(e["actor"] == "sdk_tests" for e in events)
    assert len(client.audit(kind="feature", name=name, limit=1)) == 1


def test_entity_and_group_management(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity, group = unique("produto"), unique("catalogo")
    e = client.create_entity(name=entity, join_key="sku", description="Produtos", tags=["loja"])
    assert e["join_key"] == "sku"
    assert entity in {x["name"] for x in client.list_entities()}
    assert client.update_entity(entity, description="Produtos da loja")["version"] == 2
    assert [c["field"] for c in client.diff_entity(entity, 1, 2)["changes"]] == ["description"]
    assert len(client.entity_versions(entity)) == 2

    g = client.create_feature_group(name=group, entity=entity, ttl_seconds=600, owner="time_dados")
    assert g["ttl_seconds"] == 600 and g["online"] is True and g["features"] == []
    assert [x["name"] for x in client.list_feature_groups(entity=entity)] == [group]
    assert client.update_feature_group(group, ttl_seconds=None)["ttl_seconds"] is None
    assert client.diff_feature_group(group, 1, 2)["changes"] == [{"field": "ttl_seconds", "before": 600, "after": None}]
    assert len(client.feature_group_versions(group)) == 2

    client.archive_feature_group(group)
    with pytest.raises(ArchivedError):
        client.ingest_batch(entity=entity, feature_group=group, dataframe=pd.DataFrame({"sku": ["a"], f"{entity}_x": [1]}))
    client.archive_entity(entity)  # its only group is archived
    assert client.restore_entity(entity)["status"] == "active"
    assert client.restore_feature_group(group)["status"] == "active"
    with pytest.raises(ConflictError, match="still used"):
        client.archive_entity(entity)


def test_registry_errors(client: FStoreClient, unique: Callable[[str], str]) -> None:
    entity = unique("erros")
    with pytest.raises(InvalidNameError) as bad_name:
        client.create_feature(name="Usuario Idade", value_type="INT", entity=entity)
    err = bad_name.value
    assert isinstance(err, ValidationError) and err.status == 400 and err.code == "FSTORE_INVALID_NAME"
    assert "usuario_idade" in err.message  # the service suggests the snake_case name

    with pytest.raises(ValidationError) as missing:
        client.create_feature(name=f"{entity}_x", entity=entity)  # no value_type
    assert missing.value.code == "FSTORE_VALIDATION_FAILED"
    assert missing.value.details == [{"path": "body", "message": "required field 'value_type' is missing"}]

    with pytest.raises(ValidationError):
        client.create_feature(name=f"{entity}_y", value_type="INT", entity=entity, feature_type="TEMPORAL")

    client.create_feature(name=f"{entity}_z", value_type="INT", entity=entity)
    with pytest.raises(AlreadyExistsError) as dup:
        client.create_feature(name=f"{entity}_z", value_type="INT", entity=entity)
    assert dup.value.status == 409

    with pytest.raises(FeatureNotFoundError) as nf:
        client.get_feature("nao_existe_mesmo")
    assert isinstance(nf.value, NotFoundError) and nf.value.status == 404
    # The request's id (the service's X-Request-Id, in its log lines), also in the message.
    assert nf.value.request_id and len(nf.value.request_id) == 36
    assert f"(request {nf.value.request_id})" in str(nf.value)
    assert bad_name.value.request_id != nf.value.request_id
    with pytest.raises(EntityNotFoundError):
        client.get_entity("nao_existe_mesmo")
    with pytest.raises(FeatureGroupNotFoundError):
        client.get_feature_group("nao_existe_mesmo")
    with pytest.raises(VersionNotFoundError):
        client.feature_version(f"{entity}_z", 99)
    with pytest.raises(ValidationError):
        client.create_feature(["not", "a", "dict"])  # type: ignore[arg-type]


def test_health(client: FStoreClient) -> None:
    health = client.health()
    assert health["status"] == "ok" and set(health["stores"]) == {"registry", "online", "offline"}
