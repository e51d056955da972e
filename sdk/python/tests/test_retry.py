"""The client's retry policy, against a local stub HTTP server (no FStore service needed).

Idempotent calls (GETs, online reads, training reads) are retried with exponential backoff on
connection errors and 502/503/504; creates, updates and ingestion never are.
"""

from __future__ import annotations

import json
import socket
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import pandas as pd
import pytest

import fstore._http
from fstore import BackendUnavailableError, FStoreClient, FStoreConnectionError, ServerError
from fstore.errors import ConnectionError as SdkConnectionError

Script = Dict[Tuple[str, str], List[Tuple[int, Any]]]


class Stub:
    """Answers each (method, path) with a scripted list of (status, body); the last entry repeats."""

    def __init__(self) -> None:
        self.script: Script = {}
        self.calls: Dict[Tuple[str, str], int] = defaultdict(int)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                key = (self.command, self.path.split("?")[0])
                stub.calls[key] += 1
                answers = stub.script.get(key, [(404, {"error": {"code": "FSTORE_ROUTE_NOT_FOUND", "message": "no"}})])
                status, body = answers[min(stub.calls[key] - 1, len(answers) - 1)]
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


UNAVAILABLE = (503, {"error": {"code": "FSTORE_BACKEND_UNAVAILABLE", "message": "online store is unavailable"}})
HEALTH = (200, {"status": "ok", "version": "0.1.0", "stores": {}})


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub()
    yield s
    s.close()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """Records backoff delays instead of sleeping."""
    recorded: List[float] = []
    monkeypatch.setattr(fstore._http.time, "sleep", lambda s: recorded.append(s))
    return recorded


def test_get_retried_on_503_then_succeeds(stub: Stub, sleeps: List[float]) -> None:
    stub.script[("GET", "/health")] = [UNAVAILABLE, UNAVAILABLE, HEALTH]
    client = FStoreClient(stub.url, max_retries=3, backoff_factor=0.25)
    assert client.health()["status"] == "ok"
    assert stub.calls[("GET", "/health")] == 3
    assert sleeps == [0.25, 0.5]  # exponential backoff


def test_real_sleep_between_retries(stub: Stub) -> None:
    stub.script[("GET", "/health")] = [UNAVAILABLE, (502, b"<html>bad gateway</html>"), HEALTH]
    client = FStoreClient(stub.url, backoff_factor=0.01)
    assert client.health()["status"] == "ok"
    assert stub.calls[("GET", "/health")] == 3


def test_retries_exhausted(stub: Stub, sleeps: List[float]) -> None:
    stub.script[("GET", "/api/features/")] = [(504, b"gateway timeout")]
    client = FStoreClient(stub.url, max_retries=2, backoff_factor=1.0)
    with pytest.raises(BackendUnavailableError) as caught:
        client.list_features()
    assert stub.calls[("GET", "/api/features/")] == 3
    assert caught.value.status == 504 and caught.value.code == "FSTORE_HTTP_504"
    assert sleeps == [1.0, 2.0]


def test_post_create_never_retried(stub: Stub, sleeps: List[float]) -> None:
    stub.script[("POST", "/api/features/")] = [UNAVAILABLE, (201, {"name": "x", "version": 1})]
    client = FStoreClient(stub.url, max_retries=3)
    with pytest.raises(BackendUnavailableError) as caught:
        client.create_feature(name="x", value_type="INT", entity="e")
    assert caught.value.code == "FSTORE_BACKEND_UNAVAILABLE" and caught.value.status == 503
    assert stub.calls[("POST", "/api/features/")] == 1
    assert sleeps == []


def test_writes_and_ingestion_never_retried(stub: Stub, sleeps: List[float]) -> None:
    stub.script[("PUT", "/api/features/x")] = [UNAVAILABLE]
    stub.script[("POST", "/api/ingest/e/g/upload")] = [UNAVAILABLE]
    stub.script[("POST", "/api/ingest/e/g")] = [UNAVAILABLE]
    client = FStoreClient(stub.url, max_retries=3)
    with pytest.raises(BackendUnavailableError):
        client.update_feature("x", description="d")
    with pytest.raises(BackendUnavailableError):
        client.ingest_batch(entity="e", feature_group="g", dataframe=pd.DataFrame({"entity_key": ["a"], "v": [1]}))
    with pytest.raises(BackendUnavailableError):
        client.ingest_rows("e", "g", [{"entity_key": "a", "v": 1}])
    assert stub.calls[("PUT", "/api/features/x")] == 1
    assert stub.calls[("POST", "/api/ingest/e/g/upload")] == 1
    assert stub.calls[("POST", "/api/ingest/e/g")] == 1
    assert sleeps == []


def test_online_read_is_retried(stub: Stub, sleeps: List[float]) -> None:
    body = {
        "entity": "e",
        "features": ["e_v"],
        "results": [{"entity_key": "a", "features": {"v": {"value": 1, "status": "PRESENT", "event_timestamp": None}}}],
    }
    stub.script[("POST", "/api/online/features")] = [UNAVAILABLE, (200, body)]
    client = FStoreClient(stub.url)
    assert client.get_online_features(entity="e", entity_keys=["a"], feature_list=["v"]).to_dict() == {"a": {"v": 1}}
    assert stub.calls[("POST", "/api/online/features")] == 2
    assert len(sleeps) == 1


def test_500_is_not_retried(stub: Stub, sleeps: List[float]) -> None:
    stub.script[("GET", "/api/features/x")] = [(500, {"error": {"code": "FSTORE_INTERNAL", "message": "Internal error"}})]
    client = FStoreClient(stub.url)
    with pytest.raises(ServerError):
        client.get_feature("x")
    assert stub.calls[("GET", "/api/features/x")] == 1 and sleeps == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_errors(sleeps: List[float]) -> None:
    client = FStoreClient(f"http://127.0.0.1:{_closed_port()}", max_retries=2, backoff_factor=0.1)
    with pytest.raises(FStoreConnectionError) as caught:
        client.health()
    assert isinstance(caught.value, SdkConnectionError) and caught.value.status is None
    assert sleeps == [0.1, 0.2]  # a GET is retried on connection errors
    sleeps.clear()
    with pytest.raises(SdkConnectionError):
        client.create_entity(name="e")
    assert sleeps == []  # a create is not
