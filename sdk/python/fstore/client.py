"""``FStoreClient``: the Python entry point to an FStore service.

Example (the calls of the FStore guide)::

    from fstore.client import FStoreClient

    client = FStoreClient("http://localhost:8000")
    client.ingest_batch(entity="usuario", feature_group="demografia", dataframe=df)
    train = client.get_training_features(
        entity="usuario", feature_list=["idade", "renda", "cidade"], start_date="2025-01-01", end_date="2025-02-20"
    )
    online = client.get_online_features(
        entity="usuario", entity_keys=["user_123", "user_456"], feature_list=["idade", "renda", "cidade"]
    )
    # or by a feature service (client.create_feature_service(name="credito", features=[...])):
    online = client.get_online_features(entity_keys=["user_123"], feature_service="credito")
"""

from __future__ import annotations

import logging
import warnings
import os
import tempfile
import time
from typing import Any, Dict, Mapping, Optional, Sequence, Union, cast
from urllib.parse import quote


from ._http import Timeout, Transport
from .arrow_answer import ARROW_STREAM, read_stream
from .errors import FStoreError, ValidationError
from .frames import DateLike, iso_instant, json_records, label_rows, prepare_frame, read_parquet_frame, write_parquet
from .online import OnlineFeatures
from .progress import Progress, ProgressReader
from .registry import RegistryMixin
from .monitoring import MonitoringMixin
from .jobs import JobsMixin
from .transforms import TransformsMixin, wait_for_job
from .types import Health, IngestReport, LabelQuery
from typing import TYPE_CHECKING

from ._optional import LazyModule, dataframes_available, is_dataframe, require_dataframes

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule("pandas")

#: Request-time inputs: one dict for all keys, one dict per key, or a DataFrame with a row per key.
RequestData = Union[Mapping[str, Any], Sequence[Mapping[str, Any]], "pd.DataFrame"]

logger = logging.getLogger("fstore")

PARQUET = "application/vnd.apache.parquet"
#: Frames with at least this many rows show upload progress unless ``progress=False``.
PROGRESS_MIN_ROWS = 100_000
#: ``get_online_features(format="auto")`` asks for the binary (Arrow) answer from this many keys on;
#: below, JSON costs the service and the client less (the Arrow answer carries its schema each time).
ARROW_MIN_KEYS = 20

_UPLOAD_TYPES = {
    ".csv": "text/csv",
    ".parquet": PARQUET,
    ".pq": PARQUET,
    ".ndjson": "application/x-ndjson",
    ".jsonl": "application/x-ndjson",
}


class FeatureDeprecationWarning(DeprecationWarning):
    """A requested feature is deprecated: it is still served; the message names the replacement."""


class FStoreClient(RegistryMixin, TransformsMixin, MonitoringMixin, JobsMixin):
    """Client of the FStore REST API.

    Args:
        url: base URL of the service (``http://localhost:8000`` by default).
        api_key: an FStore API key (``fsk_...``), sent as ``Authorization: Bearer <key>``; defaults to the
            ``FSTORE_API_KEY`` environment variable. Needed when the service runs with auth on.
        timeout: seconds to wait for the service (a float, or a ``(connect, read)`` pair).
        max_retries: retries of idempotent calls (reads, online and training retrieval) on connection
            errors and 502/503/504, with exponential backoff. Writes are never retried.
        backoff_factor: first retry delay in seconds; doubles on each retry (capped at 8 s).
        user: recorded by the service as the author of changes (``X-FStore-User``); ignored when auth is
            on, where the author is the API key (``key:<name>``).
    """

    def __init__(
        self,
        url: str = "http://localhost:8000",
        api_key: Optional[str] = None,
        timeout: Timeout = 30.0,
        max_retries: int = 3,
        *,
        backoff_factor: float = 0.5,
        user: Optional[str] = None,
    ) -> None:
        self.url = url.rstrip("/")
        if api_key is None:
            api_key = os.environ.get("FSTORE_API_KEY") or None
        self._http = Transport(
            self.url, api_key=api_key, user=user, timeout=timeout, max_retries=max_retries, backoff_factor=backoff_factor
        )

    def __repr__(self) -> str:
        return f"FStoreClient(url={self.url!r})"

    def close(self) -> None:
        """Closes pooled connections."""
        self._http.session.close()

    def __enter__(self) -> "FStoreClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- service ----
    def health(self) -> Health:
        """Liveness and the storage adapters in use: ``{"status": "ok", "version", "stores"}``."""
        return cast(Health, self._http.json("GET", "/health", idempotent=True))

    # ---- ingestion ----
    def ingest_batch(
        self,
        entity: str,
        feature_group: str,
        dataframe: pd.DataFrame,
        *,
        progress: Optional[bool] = None,
    ) -> IngestReport:
        """Ingests a DataFrame into (entity, feature group), sent as one streamed Parquet upload.

        Columns: the entity key (the entity's join key, else ``entity_key``, ``<entity>_id`` or ``id``;
        a named index counts), the event time ``event_timestamp`` or ``timestamp`` (datetimes or
        ISO strings; naive means UTC), then features. Unknown feature columns are registered with
        types inferred from their dtypes; a missing entity or group is created.

        A batch with any invalid row is rejected whole (``IngestRejectedError`` with ``errors`` naming
        row, column and reason) and nothing is written. Never retried (re-sending is harmless,
        but the caller decides).

        Args:
            progress: show progress on stderr (tqdm if installed); by default only for frames of
                ``PROGRESS_MIN_ROWS`` rows or more.

        Returns:
            The service's report: ``rows``, ``values_written``, ``registered_features``, ``warnings``...
        """
        require_dataframes()
        frame = prepare_frame(dataframe)
        rows = len(frame)
        if rows == 0:
            raise ValidationError("The DataFrame has no rows", code="FSTORE_SDK_INVALID_ARGUMENT")
        show = progress if progress is not None else rows >= PROGRESS_MIN_ROWS
        target = f"{entity}/{feature_group}"
        started = time.monotonic()
        with tempfile.TemporaryFile(prefix="fstore-ingest-", suffix=".parquet") as file:
            converting = Progress(rows, f"fstore: converting {target}", unit="rows", enabled=show)
            write_parquet(frame, file, on_rows=converting.update)
            converting.close()
            size = file.tell()
            file.seek(0)
            uploading = Progress(size, f"fstore: uploading {target}", unit="B", enabled=show)
            report = self._upload(entity, feature_group, ProgressReader(file, size, uploading), PARQUET)
            uploading.close(
                f"fstore: ingested {report['rows']:,} rows into {target} "
                f"({report['values_written']:,} values) in {time.monotonic() - started:.1f}s"
            )
        logger.info("ingested %d rows into %s (%d values)", report["rows"], target, report["values_written"])
        return report

    def ingest_file(
        self,
        entity: str,
        feature_group: str,
        path: Union[str, "os.PathLike[str]"],
        *,
        content_type: Optional[str] = None,
    ) -> IngestReport:
        """Uploads a CSV, Parquet or NDJSON file as is (streamed), typed by its extension or ``content_type``."""
        ext = os.path.splitext(str(path))[1].lower()
        media = content_type or _UPLOAD_TYPES.get(ext)
        if media is None:
            raise ValidationError(
                f"Cannot tell the format of '{path}'; use .csv, .parquet or .ndjson, or pass content_type",
                code="FSTORE_SDK_INVALID_ARGUMENT",
            )
        size = os.path.getsize(path)
        with open(path, "rb") as file:
            return self._upload(entity, feature_group, ProgressReader(file, size, Progress(size, "", enabled=False)), media)

    def ingest_rows(self, entity: str, feature_group: str, rows: Sequence[Mapping[str, Any]]) -> IngestReport:
        """Ingests a few rows given as dicts (JSON); for DataFrames use ``ingest_batch``."""
        path = f"/api/ingest/{_q(entity)}/{_q(feature_group)}"
        body = {"rows": [dict(r) for r in rows]}
        return cast(IngestReport, self._http.json("POST", path, idempotent=False, json_body=body))

    def _upload(self, entity: str, feature_group: str, body: ProgressReader, media_type: str) -> IngestReport:
        path = f"/api/ingest/{_q(entity)}/{_q(feature_group)}/upload"
        return cast(
            IngestReport,
            self._http.json("POST", path, idempotent=False, data=body, headers={"Content-Type": media_type}),
        )

    # ---- online serving ----
    def get_online_features(
        self,
        entity: Optional[str] = None,
        entity_keys: Optional[Sequence[Any]] = None,
        feature_list: Optional[Sequence[str]] = None,
        *,
        feature_service: Optional[str] = None,
        request_data: Optional[RequestData] = None,
        format: str = "auto",
    ) -> OnlineFeatures:
        """Latest values of ``feature_list`` (or of a feature service's features) for ``entity_keys``
        (for inference).

        Names resolve within the entity (``idade`` finds ``usuario_idade``). ``feature_service="name"``
        instead of ``entity`` and ``feature_list`` reads the service's features, in its order (its
        entity is the default; ``entity`` may repeat it). Returns an ``OnlineFeatures`` with
        ``to_dict()``, ``to_df()``, ``statuses`` and ``event_timestamps``. Raises
        ``FeatureNotFoundError`` for an unknown feature, ``FeatureServiceNotFoundError`` for an unknown
        service, ``ValidationError`` when both or neither of ``feature_list`` and ``feature_service`` are given.

        ``request_data``: request-time inputs of on-demand features (their transform's
        ``request_inputs``, like the amount of the transaction being scored): a dict shared by all
        keys, a list of dicts, or a DataFrame with one row per key in the order of ``entity_keys``.
        A missing or mistyped input raises ``ValidationError`` naming it (and the key's index).

        ``format``: how the answer travels; every view of the result is the same either way.
        ``"arrow"`` asks for the binary answer (an Arrow IPC stream, which ``to_df()`` turns into a
        DataFrame without going through Python objects), ``"json"`` for JSON, ``"auto"`` (default)
        for Arrow from ``ARROW_MIN_KEYS`` keys on. A service that does not serve Arrow answers
        JSON, which is used as well.
        """
        if format not in ("auto", "arrow", "json"):
            raise ValidationError(f"format must be 'auto', 'arrow' or 'json', not {format!r}", code="FSTORE_SDK_INVALID_ARGUMENT")
        if entity_keys is None:
            raise ValidationError("entity_keys is required", code="FSTORE_SDK_INVALID_ARGUMENT")
        keys = [str(k) for k in entity_keys]
        body: Dict[str, Any] = {"entity_keys": keys, **_feature_selection(entity, feature_list, feature_service)}
        if request_data is not None:
            body["request_data"] = _request_data(request_data)
        if format == "arrow":
            require_dataframes()
        # Without pyarrow (pandas extra not installed), "auto" keeps to JSON.
        if format == "json" or (format == "auto" and (len(keys) < ARROW_MIN_KEYS or not dataframes_available())):
            response = self._http.json("POST", "/api/online/features", idempotent=True, json_body=body)
            online = OnlineFeatures(response, value_types=lambda: self._value_types(str(response["entity"])))
        else:
            online = self._online_arrow(body)
        for message in online.warnings:
            warnings.warn(message, FeatureDeprecationWarning, stacklevel=2)
        return online

    def _online_arrow(self, body: Dict[str, Any]) -> OnlineFeatures:
        accept = f"{ARROW_STREAM}, application/json;q=0.5"
        response = self._http.request("POST", "/api/online/features", idempotent=True, json_body=body, headers={"Accept": accept})
        if response.headers.get("Content-Type", "").split(";")[0].strip() == ARROW_STREAM:
            return OnlineFeatures.from_arrow(read_stream(response.content))
        try:
            answer = response.json()
        except ValueError as exc:
            raise FStoreError(
                "POST /api/online/features returned neither Arrow nor JSON", code="FSTORE_BAD_RESPONSE", status=response.status_code
            ) from exc
        return OnlineFeatures(answer, value_types=lambda: self._value_types(str(answer["entity"])))

    def _value_types(self, entity: str) -> Dict[str, str]:
        return {str(f["name"]): str(f["value_type"]) for f in self.list_features(entity=entity, include_archived=True)}

    # ---- training retrieval ----
    def get_training_features(
        self,
        entity: Optional[str] = None,
        feature_list: Optional[Sequence[str]] = None,
        start_date: Optional[DateLike] = None,
        end_date: Optional[DateLike] = None,
        *,
        feature_service: Optional[str] = None,
    ) -> pd.DataFrame:
        """Training rows for a time window, point-in-time correct.

        One row per entity key and event time in ``[start_date, end_date]`` (a bare end date covers
        the whole day) at which any requested feature has a value, each feature as of that time.
        Columns: ``entity_key``, ``event_timestamp`` (tz-aware UTC), then the requested features.
        ``feature_service="name"`` instead of ``entity`` and ``feature_list`` takes a feature service's
        features. Transferred as Parquet; dtypes as described in ``fstore.frames``.
        """
        require_dataframes()
        if start_date is None or end_date is None:
            raise ValidationError("start_date and end_date are required", code="FSTORE_SDK_INVALID_ARGUMENT")
        body = {
            **_feature_selection(entity, feature_list, feature_service),
            "start_date": iso_instant(start_date, name="start_date"),
            "end_date": iso_instant(end_date, name="end_date"),
            "format": "parquet",
        }
        return self._training("/api/training/features", body)

    def get_historical_features(
        self,
        entity: Optional[str] = None,
        entity_df: Optional[pd.DataFrame] = None,
        feature_list: Optional[Sequence[str]] = None,
        *,
        feature_service: Optional[str] = None,
        labels: Optional[LabelQuery] = None,
        entity_key_column: str = "entity_key",
        timestamp_column: str = "timestamp",
        engine: Optional[str] = None,
        poll_seconds: float = 0.5,
        timeout: Optional[float] = None,
    ) -> pd.DataFrame:
        """Point-in-time join of features onto label rows (like Feast's entity dataframe).

        For each row of ``entity_df`` (an entity key and a timestamp, plus any labels) each feature
        is its latest value at or before the timestamp and within its group's TTL, never a later one.
        Returns ``entity_df`` unchanged (same rows, order, index, labels and dtypes) with one column
        per requested feature appended. Its other columns travel with the label rows, so on-demand
        features with request inputs read them there (``valor_transacao`` from the column of that
        name), as ``get_online_features(request_data=...)`` gives them online. ``engine="spark"`` runs the join as a Spark job on the
        server (it must have ``sparkMaster`` set; same rows, for label sets too large for one
        machine); the default is the offline store's own join. ``feature_service="name"`` instead of
        ``entity`` and ``feature_list`` appends a feature service's features.

        Instead of ``entity_df``, ``labels={"source": "pg_orders", "query": "SELECT ..."}`` takes the
        label rows from a query on a registered data source, run on the server (no export first; Feast
        takes a SQL string as its entity dataframe): a training-set job, waited for (``poll_seconds``,
        ``timeout``). Its result has the columns ``entity_key`` and ``timestamp`` (or the query's own
        names given as ``entity_key_column`` / ``timestamp_column``), the query's other columns, then
        one per feature.
        """
        if engine not in (None, "embedded", "spark"):
            raise ValidationError(f"engine must be 'embedded' or 'spark', not {engine!r}", code="FSTORE_SDK_INVALID_ARGUMENT")
        selection = _feature_selection(entity, feature_list, feature_service)
        require_dataframes()
        if (entity_df is None) == (labels is None):
            raise ValidationError("give either entity_df or labels={'source': ..., 'query': ...}", code="FSTORE_SDK_INVALID_ARGUMENT")
        if labels is not None:
            return self._training_set_from_query(selection, labels, entity_key_column, timestamp_column, engine, poll_seconds, timeout)
        assert entity_df is not None
        # The columns to append: the list's names, or the service's features (the names it answers with).
        names = list(feature_list) if feature_list is not None else list(self.get_feature_service(str(feature_service))["features"])
        clash = [f for f in names if f in entity_df.columns]
        if clash:
            raise ValidationError(
                f"entity_df columns {', '.join(map(repr, clash))} have the same name as requested features",
                code="FSTORE_SDK_INVALID_ARGUMENT",
            )
        # The other columns go along as label columns: on-demand features read their request inputs there.
        rows = label_rows(entity_df, entity_key_column, timestamp_column)
        others = [c for c in entity_df.columns if c not in (entity_key_column, timestamp_column, "entity_key", "timestamp")]
        for row, values in zip(rows, json_records(entity_df, others)):
            row.update(values)
        body = {
            **selection,
            "rows": rows,
            "format": "parquet",
            **({"engine": engine} if engine else {}),
        }
        served = self._training("/api/training/point-in-time", body)
        if len(served) != len(entity_df):
            raise ValidationError(
                f"The service returned {len(served)} rows for {len(entity_df)} label rows", code="FSTORE_BAD_RESPONSE"
            )
        out = entity_df.copy()
        for f in names:
            out[f] = served[f].array  # positional: rows come back in label order
        return out

    def _training_set_from_query(
        self,
        selection: Dict[str, Any],
        labels: LabelQuery,
        key_column: str,
        time_column: str,
        engine: Optional[str],
        poll_seconds: float,
        timeout: Optional[float],
    ) -> pd.DataFrame:
        if not isinstance(labels, Mapping) or set(labels) != {"source", "query"}:
            raise ValidationError("labels must be {'source': <data source>, 'query': <SELECT>}", code="FSTORE_SDK_INVALID_ARGUMENT")
        body: Dict[str, Any] = {
            **selection,
            "labels": {"source": str(labels["source"]), "query": str(labels["query"])},
            "key_column": key_column,
            "time_column": time_column,
            "format": "parquet",
            **({"engine": engine} if engine else {}),
        }
        job = cast(Dict[str, Any], self._http.json("POST", "/api/jobs/training-set", idempotent=False, json_body=body))
        job = wait_for_job(self._http, job, "Training set", poll_seconds=poll_seconds, timeout=timeout)
        for message in job.get("result", {}).get("warnings", []) or []:
            warnings.warn(message, FeatureDeprecationWarning, stacklevel=3)
        response = self._http.request("GET", f"/api/jobs/{_q(job['id'])}/result", idempotent=True, headers={"Accept": PARQUET})
        return read_parquet_frame(response.content)

    def _training(self, path: str, body: Dict[str, Any]) -> pd.DataFrame:
        response = self._http.request("POST", path, idempotent=True, json_body=body, headers={"Accept": PARQUET})
        header = response.headers.get("X-FStore-Warning")
        for message in header.split(" | ") if header else []:
            warnings.warn(message, FeatureDeprecationWarning, stacklevel=3)
        return read_parquet_frame(response.content)


def _request_data(data: RequestData) -> Any:
    """``request_data`` as JSON: a dict as is, a list of dicts, or a DataFrame's rows."""
    if is_dataframe(data):
        return json_records(data, list(data.columns))
    if isinstance(data, Mapping):
        return dict(data)
    if isinstance(data, Sequence) and not isinstance(data, str) and all(isinstance(d, Mapping) for d in data):
        return [dict(d) for d in data]
    raise ValidationError(
        "request_data must be a dict, a list of dicts or a DataFrame with one row per key", code="FSTORE_SDK_INVALID_ARGUMENT"
    )


def _feature_selection(
    entity: Optional[str], feature_list: Optional[Sequence[str]], feature_service: Optional[str]
) -> Dict[str, Any]:
    """The request's features: ``feature_list`` within ``entity``, or ``feature_service``; exactly one."""
    if feature_list is not None and feature_service is not None:
        raise ValidationError("Give feature_list or feature_service, not both", code="FSTORE_SDK_INVALID_ARGUMENT")
    if feature_service is not None:
        return {"feature_service": feature_service, **({"entity": entity} if entity is not None else {})}
    if feature_list is None:
        raise ValidationError(
            "Name the features: feature_list (with entity) or feature_service", code="FSTORE_SDK_INVALID_ARGUMENT"
        )
    if entity is None:
        raise ValidationError("entity is required with feature_list", code="FSTORE_SDK_INVALID_ARGUMENT")
    return {"entity": entity, "feature_list": list(feature_list)}


def _q(name: str) -> str:
    return quote(str(name), safe="")
