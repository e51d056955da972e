"""The SDK against a REAL FStore service with auth on (its own process: the session service runs with auth off).

The first admin key is made with ``fstore keys create`` on the data folder before the service starts,
as an operator bootstraps a deployment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Callable, Dict, Iterator

import pandas as pd
import pytest
import requests

from fstore import AuthenticationError, FStoreClient, PermissionDeniedError

from conftest import BUILT_ENTRY, CLI, running_service


def _fstore(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FSTORE_")}
    return subprocess.run(["node", str(CLI), *args], env=env, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def auth_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, str]]:
    """URL of a service with FSTORE_AUTH=true, and an admin key made with the CLI."""
    if shutil.which("node") is None or not BUILT_ENTRY.exists():
        pytest.exit("The auth tests need Node.js and the service build (`npm run build`).", returncode=1)
    work = tmp_path_factory.mktemp("fstore-auth")
    data_dir = work / "data"
    created = _fstore("keys", "create", "--data-dir", str(data_dir), "--name", "py-admin", "--role", "admin")
    assert created.returncode == 0, created.stderr
    admin_key = created.stdout.strip()
    with running_service(work, data_dir, {"FSTORE_AUTH": "true", "FSTORE_MONITORING_INTERVAL_SECONDS": "0"}) as url:
        writer = requests.post(
            f"{url}/api/keys", json={"name": "py-writer", "role": "writer"}, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
        )
        assert writer.status_code == 201, writer.text
        reader = requests.post(
            f"{url}/api/keys", json={"name": "py-reader", "role": "reader"}, headers={"X-API-Key": admin_key}, timeout=30
        )
        assert reader.status_code == 201, reader.text
        yield {"url": url, "admin": admin_key, "writer": writer.json()["key"], "reader": reader.json()["key"]}


def test_without_a_key_the_error_says_one_is_needed(auth_service: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FSTORE_API_KEY", raising=False)
    with FStoreClient(auth_service["url"], max_retries=0) as client:
        with pytest.raises(AuthenticationError) as err:
            client.list_entities()
    assert err.value.status == 401
    assert err.value.code == "FSTORE_UNAUTHENTICATED"
    assert "Authorization: Bearer" in err.value.message


def test_a_wrong_key_is_refused(auth_service: Dict[str, str]) -> None:
    with FStoreClient(auth_service["url"], api_key="fsk_0000000000000000_" + "A" * 43, max_retries=0) as client:
        with pytest.raises(AuthenticationError, match="not recognised"):
            client.list_entities()


def test_writer_ingests_and_reader_serves_but_not_the_reverse(auth_service: Dict[str, str], unique: Callable[[str], str]) -> None:
    entity, group = unique("cliente"), unique("perfil")
    with FStoreClient(auth_service["url"], api_key=auth_service["writer"], user="mallory") as writer:
        frame = pd.DataFrame({"entity_key": ["c1"], "idade": [30], "event_timestamp": ["2025-01-01T00:00:00Z"]})
        writer.ingest_batch(entity=entity, feature_group=group, dataframe=frame)
    with FStoreClient(auth_service["url"], api_key=auth_service["reader"]) as reader:
        online = reader.get_online_features(entity=entity, entity_keys=["c1"], feature_list=["idade"])
        assert online.to_dict()["c1"]["idade"] == 30
        with pytest.raises(PermissionDeniedError) as err:
            reader.ingest_batch(entity=entity, feature_group=group, dataframe=frame)
    assert err.value.status == 403
    assert "needs role writer" in err.value.message
    audit = requests.get(
        f"{auth_service['url']}/api/audit", params={"kind": "feature_group", "name": group}, headers={"X-API-Key": auth_service["admin"]}, timeout=30
    ).json()
    # The SDK's `user` is ignored with auth on: the key is the author.
    assert {e["actor"] for e in audit} == {"key:py-writer"}


def test_the_key_can_come_from_the_environment(auth_service: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FSTORE_API_KEY", auth_service["reader"])
    with FStoreClient(auth_service["url"]) as client:
        assert isinstance(client.list_entities(), list)


def test_error_classes_by_code_and_status() -> None:
    from fstore.errors import ValidationError, error_from_response

    def body(code: str) -> Dict[str, Dict[str, str]]:
        return {"error": {"code": code, "message": "m"}}

    assert type(error_from_response(401, body("FSTORE_UNAUTHENTICATED"))) is AuthenticationError
    assert type(error_from_response(403, body("FSTORE_FORBIDDEN_ROLE"))) is PermissionDeniedError
    assert type(error_from_response(403, body("FSTORE_FORBIDDEN_PATH"))) is ValidationError
    # A proxy's own 401/403 (no FStore error body) still maps to the auth classes.
    assert type(error_from_response(401, None, "Unauthorized")) is AuthenticationError
    assert type(error_from_response(403, None, "Forbidden")) is PermissionDeniedError
