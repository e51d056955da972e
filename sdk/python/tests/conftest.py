"""Test fixtures: a REAL FStore service process for the whole session.

``node <repo>/bin/fstore.js serve --port <free port> --data-dir <tmp>`` is started once, awaited on
``/health`` and stopped at the end. It needs the TypeScript build (``dist/``): run ``npm run build``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pandas as pd
import pytest
import requests

from fstore import FStoreClient

SDK_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = SDK_DIR.parents[1]
CLI = REPO_DIR / "bin" / "fstore.js"
BUILT_ENTRY = REPO_DIR / "dist" / "service" / "src" / "cli" / "run.js"
STARTUP_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def running_service(work: Path, data_dir: Path, extra_env: Optional[Dict[str, str]] = None) -> Iterator[str]:
    """``fstore serve`` on a free loopback port with the caller's FSTORE_* settings only; yields its URL."""
    node = shutil.which("node")
    if node is None:
        pytest.exit("The Python SDK tests need Node.js (`node`) to run the FStore service; it is not on PATH.", returncode=1)
    if not BUILT_ENTRY.exists():
        pytest.exit(
            f"The FStore service is not built ({BUILT_ENTRY} is missing). Run `npm run build` in {REPO_DIR} first.",
            returncode=1,
        )
    log_path = work / "service.log"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FSTORE_")}
    env.update({"FSTORE_LOG_LEVEL": "warn", **(extra_env or {})})
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [node, str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
            cwd=str(work),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.exit(f"The FStore service exited with code {proc.returncode} at start:\n{_tail(log_path)}", returncode=1)
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.exit(
                    f"The FStore service did not answer {url}/health within {STARTUP_SECONDS:.0f}s:\n{_tail(log_path)}",
                    returncode=1,
                )
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def service_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a freshly started FStore service with an empty data dir."""
    work = tmp_path_factory.mktemp("fstore-service")
    with running_service(work, work / "data") as url:
        yield url


@pytest.fixture(scope="session")
def client(service_url: str) -> Iterator[FStoreClient]:
    """An SDK client of the test service."""
    with FStoreClient(service_url, user="sdk_tests") as c:
        yield c


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Makes snake_case names unique to one test: ``unique("cliente")`` -> ``cliente_3f9a1c2b``."""
    suffix = uuid.uuid4().hex[:8]
    return lambda prefix: f"{prefix}_{suffix}"


#: Writes three rows of one feature: c1 on 2025-01-01 and 2025-01-10, c2 on 2025-01-05 (values in that order).
IngestHistory = Callable[[str, str, str, List[Any]], None]


@pytest.fixture
def ingest_history(client: FStoreClient) -> IngestHistory:
    """The small history several tests build on: ``ingest_history(entity, group, feature, [v1, v2, v3])``
    writes c1's values at 2025-01-01 and 2025-01-10 and c2's at 2025-01-05."""

    def ingest(entity: str, group: str, feature: str, values: List[Any]) -> None:
        client.ingest_batch(
            entity=entity,
            feature_group=group,
            dataframe=pd.DataFrame(
                {
                    "entity_key": ["c1", "c1", "c2"],
                    "event_timestamp": pd.to_datetime(["2025-01-01", "2025-01-10", "2025-01-05"], utc=True),
                    feature: values,
                }
            ),
        )

    return ingest
