"""Jobs: materialization, SQL pulls, and following any job (wait, logs, cancel).

Mixed into ``FStoreClient``::

    client.materialize("perfil", incremental=True)          # newest offline values -> online
    client.pull_sql("usuario", "perfil", connection="env:ORDERS_URL", table="perfil", timestamp_column="updated_at")
    job = client.materialize("perfil", wait=False)
    client.wait_for_job(job["id"], timeout=600)
    client.job_logs(job["id"])
    client.cancel_job(job["id"])
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union, cast
from urllib.parse import quote, urlencode

from ._http import Transport
from .errors import ValidationError
from .frames import DateLike, iso_instant
from .transforms import wait_for_job

JobOrId = Union[str, Dict[str, Any]]


class JobsMixin:
    """Job methods of ``FStoreClient``."""

    _http: Transport

    def materialize(
        self,
        feature_group: str,
        *,
        entity: Optional[str] = None,
        start_date: Optional[DateLike] = None,
        end_date: Optional[DateLike] = None,
        incremental: bool = False,
        wait: bool = True,
        poll_seconds: float = 0.5,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Writes a feature group's newest offline value per key and feature to the online store.

        A window of event times (``start_date``/``end_date``, either may be left out), or
        ``incremental=True``: what was ingested since the last successful incremental run. The entity
        defaults to the group's. Order-safe: an older event never overwrites a newer online value.
        Returns the job (its ``result`` once done); with ``wait=False``, the queued job at once.
        """
        if incremental and (start_date is not None or end_date is not None):
            raise ValidationError("incremental=True takes what was ingested since the last run: give it without start_date and end_date", code="FSTORE_SDK_INVALID_ARGUMENT")
        if entity is None:
            entity = str(self._http.json("GET", f"/api/feature-groups/{_q(feature_group)}", idempotent=True)["entity"])
        body: Dict[str, Any] = {"entity": entity, "feature_group": feature_group}
        if start_date is not None:
            body["start_date"] = iso_instant(start_date, name="start_date")
        if end_date is not None:
            body["end_date"] = iso_instant(end_date, name="end_date")
        if incremental:
            body["incremental"] = True
        job = cast(Dict[str, Any], self._http.json("POST", "/api/materialize", idempotent=False, json_body=body))
        return wait_for_job(self._http, job, "Materialization", poll_seconds=poll_seconds, timeout=timeout) if wait else job

    def pull_sql(
        self,
        entity: str,
        feature_group: str,
        *,
        connection: str,
        timestamp_column: str,
        table: Optional[str] = None,
        query: Optional[str] = None,
        key_column: Optional[str] = None,
        full: bool = False,
        wait: bool = True,
        poll_seconds: float = 0.5,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Pulls the new rows of a PostgreSQL ``table`` or ``query`` into a feature group (a job).

        ``connection`` is a ``postgres://`` URL, ``env:VAR`` naming one on the service, or
        ``conn:NAME``, a saved connection (``GET /api/connections/``). Only rows whose
        ``timestamp_column`` is past the last successful pull's watermark are read (``full=True``
        reads every row). Returns the job; its ``result`` is the ingest report with ``rows_pulled``
        and the watermarks. See docs/ingestion-sql.md.
        """
        if (table is None) == (query is None):
            raise ValidationError("give table or query (one of them)", code="FSTORE_SDK_INVALID_ARGUMENT")
        body: Dict[str, Any] = {"connection": connection, "timestamp_column": timestamp_column}
        for name, value in (("table", table), ("query", query), ("key_column", key_column)):
            if value is not None:
                body[name] = value
        if full:
            body["full"] = True
        job = cast(Dict[str, Any], self._http.json("POST", f"/api/jobs/sql-pull/{_q(entity)}/{_q(feature_group)}", idempotent=False, json_body=body))
        return wait_for_job(self._http, job, "SQL pull", poll_seconds=poll_seconds, timeout=timeout) if wait else job

    def get_job(self, job: JobOrId) -> Dict[str, Any]:
        """One job with its state and progress."""
        return cast(Dict[str, Any], self._http.json("GET", f"/api/jobs/{_q(_id(job))}", idempotent=True))

    def list_jobs(self, *, state: Optional[str] = None, kind: Optional[str] = None, limit: int = 20) -> List[Dict[str, Any]]:
        """Recent jobs, newest first; ``state`` (queued, running, succeeded, failed, cancelled) and ``kind`` filter them."""
        params = {k: v for k, v in (("state", state), ("kind", kind), ("limit", limit)) if v is not None}
        return cast(List[Dict[str, Any]], self._http.json("GET", f"/api/jobs/?{urlencode(params)}", idempotent=True))

    def wait_for_job(self, job: JobOrId, *, poll_seconds: float = 0.5, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Waits until the job ends: returns it when it succeeded, raises ``FStoreError`` (the job's error code) otherwise."""
        return wait_for_job(self._http, self.get_job(job), "Job", poll_seconds=poll_seconds, timeout=timeout)

    def job_logs(self, job: JobOrId) -> Dict[str, Any]:
        """The job's log lines (an engine's output, such as Spark's)."""
        return cast(Dict[str, Any], self._http.json("GET", f"/api/jobs/{_q(_id(job))}/logs", idempotent=True))

    def cancel_job(self, job: JobOrId) -> Dict[str, Any]:
        """Asks a queued or running job to stop; returns the job as it is then. Nothing it would have written is kept."""
        return cast(Dict[str, Any], self._http.json("POST", f"/api/jobs/{_q(_id(job))}/cancel", idempotent=False))


def _id(job: JobOrId) -> str:
    return str(job["id"]) if isinstance(job, dict) else str(job)


def _q(name: str) -> str:
    return quote(str(name), safe="")
