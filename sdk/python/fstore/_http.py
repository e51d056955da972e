"""HTTP transport: one ``requests.Session``, typed errors, and retries for idempotent calls only.

Retry policy: a call marked ``idempotent`` (GETs, online reads, training reads) is retried with
exponential backoff on connection failures and on 502/503/504, at most ``max_retries`` times.
Creates, updates, archives and ingestion are never retried: a lost response could otherwise
apply them twice.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Dict, Mapping, Optional, Tuple, Union

import requests

from ._version import __version__
from .errors import FStoreConnectionError, FStoreError, FStoreTimeoutError, error_from_response

logger = logging.getLogger("fstore")

RETRY_STATUSES = frozenset({502, 503, 504})
MAX_BACKOFF_SECONDS = 8.0

Timeout = Union[float, Tuple[float, float], None]


class Transport:
    """Sends requests to the FStore service and turns error responses into typed exceptions."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: Optional[str] = None,
        user: Optional[str] = None,
        timeout: Timeout = 30.0,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        session: Optional[requests.Session] = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.session = session or requests.Session()
        self.session.headers.setdefault("Accept", "application/json")
        self.session.headers["User-Agent"] = f"fstore-sdk-python/{__version__}"
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"
        if user:
            # The service records this as the actor of versions and audit events.
            self.session.headers["X-FStore-User"] = user

    def url(self, path: str) -> str:
        """Absolute URL of an API path (``/api/...``)."""
        return self.base_url + path

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based): factor * 2**attempt, capped."""
        return float(min(self.backoff_factor * (2**attempt), MAX_BACKOFF_SECONDS))

    def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        params: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        data: Any = None,
        files: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        stream: bool = False,
        timeout: Timeout = None,
    ) -> requests.Response:
        """Sends one request; returns the successful response or raises an ``FStoreError``.

        Retries only when ``idempotent`` is true, on connection errors and 502/503/504.
        """
        clean_params = {k: _param(v) for k, v in (params or {}).items() if v is not None}
        attempts = 1 + (self.max_retries if idempotent else 0)
        url = self.url(path)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.request(
                    method,
                    url,
                    params=clean_params or None,
                    json=json_body,
                    data=data,
                    files=files,
                    headers=dict(headers or {}),
                    stream=stream,
                    timeout=timeout if timeout is not None else self.timeout,
                )
            except requests.exceptions.ConnectionError as exc:
                # ConnectTimeout is both a ConnectionError and a Timeout; it never reached the service.
                if last:
                    raise FStoreConnectionError(
                        f"Cannot reach the FStore service at {self.base_url} ({method} {path}): {exc}",
                    ) from exc
                self._sleep_before_retry(attempt, method, path, f"connection error: {exc}")
                continue
            except requests.exceptions.Timeout as exc:
                raise FStoreTimeoutError(
                    f"The FStore service did not answer {method} {path} within {self.timeout}s",
                ) from exc
            except requests.exceptions.RequestException as exc:
                raise FStoreError(f"{method} {path} failed: {exc}", code="FSTORE_REQUEST_FAILED") from exc

            if response.status_code < 400:
                return response
            if response.status_code in RETRY_STATUSES and not last:
                response.close()
                self._sleep_before_retry(attempt, method, path, f"HTTP {response.status_code}")
                continue
            raise self._error(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> Any:
        """Sends a request and decodes its JSON body."""
        response = self.request(method, path, idempotent=idempotent, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise FStoreError(
                f"{method} {path} returned a body that is not JSON (status {response.status_code})",
                code="FSTORE_BAD_RESPONSE",
                status=response.status_code,
            ) from exc

    def _sleep_before_retry(self, attempt: int, method: str, path: str, why: str) -> None:
        delay = self.backoff(attempt)
        logger.warning("%s %s failed (%s); retry %d/%d in %.2fs", method, path, why, attempt + 1, self.max_retries, delay)
        time.sleep(delay)

    @staticmethod
    def _error(response: requests.Response) -> FStoreError:
        text = ""
        body: Any = None
        try:
            text = response.text
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        return error_from_response(response.status_code, body, text, response.headers.get("x-request-id"))


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def merge(*parts: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Merges mappings left to right, skipping ``None``."""
    out: Dict[str, Any] = {}
    for part in parts:
        if part:
            out.update(part)
    return out
