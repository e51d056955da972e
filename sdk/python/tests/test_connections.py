"""Saved connections through the SDK, against the real service (docs/ingestion-sql.md#saved-connections)."""

from __future__ import annotations

import uuid

import pytest

from fstore import FStoreClient
from fstore.errors import FStoreError, NotFoundError, ValidationError


def test_saves_tests_changes_and_deletes_a_connection(client: FStoreClient) -> None:
    name = f"dw_{uuid.uuid4().hex[:8]}"
    saved = client.create_connection(name, "postgres", "postgres://reader@127.0.0.1:1/shop", description="closed port")
    assert saved["url"] == "postgres://reader@127.0.0.1:1/shop"
    assert name in [c["name"] for c in client.list_connections()]

    result = client.test_connection(name)
    assert result["ok"] is False and result["message"]

    assert client.update_connection(name, "postgres", "env:WAREHOUSE_URL")["url"] == "env:WAREHOUSE_URL"
    assert client.get_connection(name)["description"] == ""

    client.delete_connection(name)
    with pytest.raises(NotFoundError):
        client.get_connection(name)


def test_refuses_a_password_and_unknown_names(client: FStoreClient) -> None:
    with pytest.raises(ValidationError) as refused:
        client.create_connection(f"leaky_{uuid.uuid4().hex[:8]}", "postgres", "postgres://u:s3cret@db/app")
    assert "s3cret" not in str(refused.value)
    with pytest.raises(FStoreError) as unknown:
        client.pull_sql("usuario", "pedidos", connection="conn:nenhuma", table="pedidos", timestamp_column="criado_em", wait=False)
    assert unknown.value.status == 400
