"""Monitoring from Python: quality and drift as DataFrames, alert rules and alerts.

Mixed into ``FStoreClient``::

    client.drift("cliente", ["cliente_score"], baseline=("2025-01-01", "2025-01-31"), current=("2025-02-01", "2025-02-07"))
    client.quality("cliente", feature_group="perfil", start="2025-02-01", end="2025-02-07")
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, cast


from ._http import Transport
from .frames import DateLike, iso_instant
from typing import TYPE_CHECKING

from ._optional import LazyModule, require_dataframes

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule("pandas")

Window = Tuple[DateLike, DateLike]


def _window(window: Window, name: str) -> Dict[str, str]:
    start, end = window
    return {"start": iso_instant(start, name=f"{name} start"), "end": iso_instant(end, name=f"{name} end")}


class MonitoringMixin:
    """Monitoring methods of ``FStoreClient``."""

    _http: Transport

    def drift(
        self,
        entity: str,
        features: Sequence[str],
        *,
        baseline: Window,
        current: Window,
        psi_threshold: Optional[float] = None,
    ) -> pd.DataFrame:
        """One row per feature: kind, counts, psi, ks, ks_p_value, js, chi2, chi2_p_value, drifted."""
        require_dataframes()
        body: Dict[str, Any] = {"entity": entity, "features": list(features), "baseline": _window(baseline, "baseline"), "current": _window(current, "current")}
        if psi_threshold is not None:
            body["psi_threshold"] = float(psi_threshold)
        report = self._http.json("POST", "/api/monitoring/drift", idempotent=True, json_body=body)
        rows = [{k: v for k, v in f.items() if k != "bins"} for f in report["features"]]
        return pd.DataFrame(rows).set_index("feature") if rows else pd.DataFrame()

    def quality(
        self,
        entity: str,
        *,
        start: DateLike,
        end: DateLike,
        features: Optional[Sequence[str]] = None,
        feature_group: Optional[str] = None,
    ) -> pd.DataFrame:
        """One row per feature: count, rows, null_rate, min, max, mean, std, p1..p99, distinct."""
        require_dataframes()
        params: Dict[str, Any] = {"entity": entity, "start": iso_instant(start, name="start"), "end": iso_instant(end, name="end")}
        if features:
            params["features"] = ",".join(features)
        if feature_group:
            params["feature_group"] = feature_group
        report = self._http.json("GET", "/api/monitoring/quality", idempotent=True, params=params)
        rows = []
        for f in report["features"]:
            row = {k: v for k, v in f.items() if k not in ("quantiles", "top")}
            row.update(f["quantiles"])
            rows.append(row)
        return pd.DataFrame(rows).set_index("feature") if rows else pd.DataFrame()

    def create_alert_rule(self, name: str, type: str, **fields: Any) -> Dict[str, Any]:
        """Creates or replaces a rule: drift, null_rate, freshness, latency_p99 or kafka_lag."""
        body = {"name": name, "type": type, **fields}
        return cast(Dict[str, Any], self._http.json("POST", "/api/monitoring/rules", idempotent=False, json_body=body))

    def evaluate_alerts(self) -> List[Dict[str, Any]]:
        """Evaluates every rule now; returns each (rule, target) result."""
        return cast(List[Dict[str, Any]], self._http.json("POST", "/api/monitoring/evaluate", idempotent=False))

    def alerts(self, state: Optional[str] = None) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._http.json("GET", "/api/monitoring/alerts", idempotent=True, params={"state": state}))
