"""The SDK's version is FStore's (package.json), installed as the distribution's and sent to the service."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import fstore
from fstore import FStoreClient

REPO = Path(__file__).resolve().parents[3]


def test_version_is_the_repository_version() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert fstore.__version__ == package["version"]
    assert importlib.metadata.version("fstore-sdk") == fstore.__version__


def test_user_agent_names_the_version() -> None:
    client = FStoreClient("http://127.0.0.1:9")
    assert client._http.session.headers["User-Agent"] == f"fstore-sdk-python/{fstore.__version__}"
