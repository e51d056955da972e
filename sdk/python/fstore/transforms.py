"""Data sources and transforms: preview on real data, publish with a plan, run, lineage.

Mixed into ``FStoreClient``::

    client.create_data_source_from_frame("transactions", df)
    preview = client.preview_transform(
        "sql",
        "SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count "
        "FROM transactions GROUP BY user_id",
        sources=["transactions"],
        entity="user",
    )
    preview.frame          # the result rows as a DataFrame
    client.publish_transform("user_transactions", "sql", code, sources=["transactions"], entity="user")
    client.run_transform("user_transactions")
"""

from __future__ import annotations

import io
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, cast
from urllib.parse import quote


from ._http import Transport
from .errors import FStoreError, NotFoundError, ValidationError
from .frames import DateLike, iso_instant, prepare_frame, write_parquet
from typing import TYPE_CHECKING

from ._optional import LazyModule

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule("pandas")

_SOURCES = "/api/data-sources"
_CONNECTIONS = "/api/connections"
_TRANSFORMS = "/api/transforms"
_TERMINAL = {"succeeded", "failed", "cancelled"}


class TransformPreview:
    """The result of ``preview_transform``: rows as a DataFrame plus schema and statistics."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.raw: Dict[str, Any] = dict(body)
        self.columns: List[Dict[str, Any]] = list(body["columns"])
        self.row_count: int = int(body["row_count"])
        self.elapsed_ms: float = float(body["elapsed_ms"])
        self.warnings: List[str] = list(body["warnings"])
        self.entity_key_column: str = str(body["entity_key_column"])
        self.event_time_column: Optional[str] = body.get("event_time_column")
        names = [c["name"] for c in self.columns]
        self.frame: pd.DataFrame = pd.DataFrame(list(body["rows"]), columns=names)
        self.stats: pd.DataFrame = pd.DataFrame(list(body["stats"])).set_index("column") if body["stats"] else pd.DataFrame()

    @property
    def features(self) -> Dict[str, Optional[str]]:
        """Feature columns and the value type each would get when published."""
        return {c["name"]: c["value_type"] for c in self.columns if c["role"] == "feature"}

    def __repr__(self) -> str:
        return f"TransformPreview({self.row_count} rows, columns={[c['name'] for c in self.columns]}, {self.elapsed_ms:.0f} ms)"


class TransformsMixin:
    """Data source and transform methods of ``FStoreClient``."""

    _http: Transport

    # ---- data sources ----
    def create_data_source(self, name: str, type: str, **fields: Any) -> Dict[str, Any]:
        """Registers a source: ``type="file"`` with ``path`` (inside the service's ``fileSourceDirs``),
        ``type="postgres"`` with ``connection="env:VAR"`` and ``table`` or ``query``, or
        ``type="feature_group"`` with ``feature_group``. Its schema is read at once."""
        body = {"name": name, "type": type, **fields}
        return cast(Dict[str, Any], self._http.json("POST", f"{_SOURCES}/", idempotent=False, json_body=body))

    def create_data_source_from_frame(self, name: str, dataframe: pd.DataFrame, **fields: Any) -> Dict[str, Any]:
        """Uploads a DataFrame (as Parquet) and keeps it in the service's data folder as a file source."""
        if not isinstance(dataframe, pd.DataFrame):
            raise ValidationError(f"dataframe must be a pandas DataFrame, not {type(dataframe).__name__}", code="FSTORE_SDK_INVALID_ARGUMENT")
        if dataframe.empty:
            raise ValidationError("The DataFrame has no rows", code="FSTORE_SDK_INVALID_ARGUMENT")
        buffer = io.BytesIO()
        write_parquet(prepare_frame(dataframe), buffer)
        files = {"file": (f"{name}.parquet", buffer.getvalue(), "application/vnd.apache.parquet")}
        upload = self._http.json("POST", "/api/uploads/", idempotent=False, files=files)
        return self.create_data_source(name, "file", upload_id=upload["upload_id"], **fields)

    def list_data_sources(self) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._http.json("GET", f"{_SOURCES}/", idempotent=True))

    def get_data_source(self, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("GET", f"{_SOURCES}/{_q(name)}", idempotent=True))

    # ---- saved connections ----
    def create_connection(self, name: str, kind: str, url: str, description: Optional[str] = None) -> Dict[str, Any]:
        """Saves a named ``postgres`` or ``kafka`` connection. ``url`` never holds a password: it is
        ``env:VAR`` (a variable of the service holding the full URL) or a credential-free URL (Kafka:
        ``host:port,host:port``). Name it as ``connection="conn:<name>"`` in ``create_data_source``
        and ``pull_sql``. See docs/ingestion-sql.md#saved-connections."""
        body: Dict[str, Any] = {"name": name, "kind": kind, "url": url}
        if description is not None:
            body["description"] = description
        return cast(Dict[str, Any], self._http.json("POST", f"{_CONNECTIONS}/", idempotent=False, json_body=body))

    def list_connections(self) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._http.json("GET", f"{_CONNECTIONS}/", idempotent=True))

    def get_connection(self, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("GET", f"{_CONNECTIONS}/{_q(name)}", idempotent=True))

    def update_connection(self, name: str, kind: str, url: str, description: Optional[str] = None) -> Dict[str, Any]:
        body: Dict[str, Any] = {"name": name, "kind": kind, "url": url}
        if description is not None:
            body["description"] = description
        return cast(Dict[str, Any], self._http.json("PUT", f"{_CONNECTIONS}/{_q(name)}", idempotent=False, json_body=body))

    def delete_connection(self, name: str) -> None:
        self._http.request("DELETE", f"{_CONNECTIONS}/{_q(name)}", idempotent=False)

    def test_connection(self, name: str) -> Dict[str, Any]:
        """Connects once (5 s at most): ``{"ok": bool, "message": str, "elapsed_ms": float}``."""
        return cast(Dict[str, Any], self._http.json("POST", f"{_CONNECTIONS}/{_q(name)}/test", idempotent=False))

    # ---- transforms ----
    def preview_transform(
        self,
        language: str,
        code: str,
        *,
        sources: Sequence[str],
        entity: str,
        sample: str = "head",
        rows: Optional[int] = None,
        seed: Optional[int] = None,
        limit: int = 200,
        entity_key_column: Optional[str] = None,
        event_time_column: Optional[str] = None,
        request_inputs: Optional[Sequence[Mapping[str, str]]] = None,
        request_data: Optional[Mapping[str, Any]] = None,
    ) -> TransformPreview:
        """Runs a SQL (DuckDB dialect) or TypeScript transform on a sample of its sources; nothing is stored.

        ``sample`` is ``"head"`` (first ``rows`` of each source, 10,000 by default), ``"random"``
        (repeatable with ``seed``) or ``"all"``. Raises ``TransformError`` with ``.location`` on errors.
        An on-demand transform's ``request_inputs`` (``[{"name": ..., "value_type": ...}]``) take their
        values from ``request_data``, given to every sample row.
        """
        spec: Dict[str, Any] = {"mode": sample}
        if rows is not None:
            spec["rows"] = int(rows)
        if seed is not None:
            spec["seed"] = int(seed)
        body = _definition(language, code, sources, entity, entity_key_column, event_time_column)
        body.update({"sample": spec, "limit": int(limit)})
        if request_inputs is not None:
            body["request_inputs"] = [dict(i) for i in request_inputs]
        if request_data is not None:
            body["request_data"] = dict(request_data)
        return TransformPreview(self._http.json("POST", f"{_TRANSFORMS}/preview", idempotent=True, json_body=body))

    def plan_transform(self, name: str, language: str, code: str, *, sources: Sequence[str], entity: str, **options: Any) -> Dict[str, Any]:
        """What publishing would create, change or archive, whether it breaks consumers, and what depends on it."""
        body = {"name": name, **_definition(language, code, sources, entity, options.pop("entity_key_column", None), options.pop("event_time_column", None)), **options}
        return cast(Dict[str, Any], self._http.json("POST", f"{_TRANSFORMS}/plan", idempotent=True, json_body=body))

    def publish_transform(
        self,
        name: str,
        language: str,
        code: str,
        *,
        sources: Sequence[str],
        entity: str,
        expected_version: Optional[int] = None,
        **options: Any,
    ) -> Dict[str, Any]:
        """Publishes the transform: its derived feature group and features, as a new version.

        ``options``: ``feature_group``, ``entity_key_column``, ``event_time_column``, ``on_demand``,
        ``request_inputs`` (on demand: ``[{"name": "valor_transacao", "value_type": "FLOAT"}]``, values
        from ``request_data`` online and from label columns in training), ``ttl_seconds``, ``online``,
        ``description``, ``owner``, ``tags``.
        """
        key, time_column = options.pop("entity_key_column", None), options.pop("event_time_column", None)
        body = {"name": name, **_definition(language, code, sources, entity, key, time_column), **options}
        try:
            current = self._http.json("GET", f"{_TRANSFORMS}/{_q(name)}", idempotent=True)
        except NotFoundError:
            current = None
        if current is None:
            return cast(Dict[str, Any], self._http.json("POST", f"{_TRANSFORMS}/", idempotent=False, json_body=body))
        headers = {"If-Match": str(expected_version)} if expected_version is not None else None
        return cast(Dict[str, Any], self._http.json("PUT", f"{_TRANSFORMS}/{_q(name)}", idempotent=False, json_body=body, headers=headers))

    def get_transform(self, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("GET", f"{_TRANSFORMS}/{_q(name)}", idempotent=True))

    def run_transform(
        self,
        name: str,
        *,
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        wait: bool = True,
        poll_seconds: float = 0.5,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Runs (or backfills ``start``..``end``) a published transform into its group.

        With ``wait`` (default) returns the finished job and raises ``FStoreError`` when it failed.
        """
        body: Dict[str, Any] = {}
        if start is not None:
            body["start"] = iso_instant(start, name="start")
        if end is not None:
            body["end"] = iso_instant(end, name="end")
        job = cast(Dict[str, Any], self._http.json("POST", f"{_TRANSFORMS}/{_q(name)}/runs", idempotent=False, json_body=body))
        if not wait:
            return job
        return wait_for_job(self._http, job, "Transform run", poll_seconds=poll_seconds, timeout=timeout)

    def lineage(self, kind: str, name: str) -> Dict[str, Any]:
        """Upstream and downstream of a registry object: ``{"root", "nodes", "edges"}``."""
        return cast(Dict[str, Any], self._http.json("GET", f"/api/lineage/{_q(kind)}/{_q(name)}", idempotent=True))


def wait_for_job(http: Transport, job: Dict[str, Any], what: str, *, poll_seconds: float, timeout: Optional[float]) -> Dict[str, Any]:
    """Polls a job until it ends; returns it when it succeeded, raises ``FStoreError`` (its code) otherwise."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while job["state"] not in _TERMINAL:
        if deadline is not None and time.monotonic() > deadline:
            raise FStoreError(f"{what} {job['id']} did not finish within {timeout}s", code="FSTORE_SDK_TIMEOUT")
        time.sleep(poll_seconds)
        job = cast(Dict[str, Any], http.json("GET", f"/api/jobs/{_q(job['id'])}", idempotent=True))
    if job["state"] != "succeeded":
        error = job.get("error") or {}
        raise FStoreError(str(error.get("message", f"{what} {job['state']}")), code=str(error.get("code", "FSTORE_JOB_FAILED")), details=job)
    return job


def _definition(
    language: str, code: str, sources: Sequence[str], entity: str, entity_key_column: Optional[str], event_time_column: Optional[str]
) -> Dict[str, Any]:
    if isinstance(sources, str):
        raise ValidationError("sources must be a list of data source names, not a string", code="FSTORE_SDK_INVALID_ARGUMENT")
    body: Dict[str, Any] = {"language": language, "code": code, "sources": list(sources), "entity": entity}
    if entity_key_column is not None:
        body["entity_key_column"] = entity_key_column
    if event_time_column is not None:
        body["event_time_column"] = event_time_column
    return body


def _q(name: str) -> str:
    return quote(str(name), safe="")
