"""Monitoring from Python against the real service: a shifted distribution shows as drift and fires an alert."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from fstore import FStoreClient
from fstore.errors import ValidationError

import pytest


def test_drift_quality_and_alert(client: FStoreClient) -> None:
    suffix = uuid.uuid4().hex[:6]
    entity, group, feature = f"loja_{suffix}", f"vendas_{suffix}", f"loja_{suffix}_ticket"
    now = datetime.now(timezone.utc)
    rng = np.random.default_rng(7)

    def frame(values: np.ndarray, start: datetime, span: timedelta) -> pd.DataFrame:
        n = len(values)
        return pd.DataFrame(
            {
                f"{entity}_id": [f"k{i}" for i in range(n)],
                "event_timestamp": [start + span * (i / n) for i in range(n)],
                feature: values,
            }
        )

    client.ingest_batch(entity, group, frame(rng.normal(100, 10, 2000), now - timedelta(days=30), timedelta(days=10)))
    client.ingest_batch(entity, group, frame(rng.normal(130, 10, 1000), now - timedelta(hours=12), timedelta(hours=11)))

    baseline = (now - timedelta(days=31), now - timedelta(days=19))
    drift = client.drift(entity, [feature], baseline=baseline, current=(now - timedelta(days=1), now))
    assert bool(drift.loc[feature, "drifted"]) is True
    assert drift.loc[feature, "psi"] > 1
    assert drift.loc[feature, "ks_p_value"] < 1e-6

    quality = client.quality(entity, start=now - timedelta(days=1), end=now, feature_group=group)
    assert quality.loc[feature, "count"] == 1000
    assert 125 < quality.loc[feature, "p50"] < 135

    client.create_alert_rule(f"drift_{suffix}", "drift", entity=entity, feature_group=group, baseline={"start": baseline[0].isoformat(), "end": baseline[1].isoformat()})
    results = [r for r in client.evaluate_alerts() if r["rule"] == f"drift_{suffix}"]
    assert [r["breached"] for r in results] == [True]
    assert any(a["rule"] == f"drift_{suffix}" for a in client.alerts(state="firing"))

    with pytest.raises(ValidationError):
        client.create_alert_rule(f"bad_{suffix}", "drift", entity=entity, feature_group=group)  # no baseline


def test_deprecated_features_warn_but_are_served(client: FStoreClient) -> None:
    from fstore import FeatureDeprecationWarning

    suffix = uuid.uuid4().hex[:6]
    entity = f"conta_{suffix}"
    client.ingest_rows(entity, f"saldos_{suffix}", [{f"{entity}_id": "k1", f"{entity}_saldo": 10.5, "event_timestamp": "2025-01-01T00:00:00Z"}])
    client._http.json("POST", f"/api/features/{entity}_saldo/deprecate", idempotent=False, json_body={"reason": "Use the daily balance"})
    with pytest.warns(FeatureDeprecationWarning, match="Use the daily balance"):
        online = client.get_online_features(entity, ["k1"], ["saldo"])
    assert online.to_dict()["k1"]["saldo"] == 10.5
    with pytest.warns(FeatureDeprecationWarning, match="is deprecated"):
        train = client.get_historical_features(entity, pd.DataFrame({"entity_key": ["k1"], "timestamp": ["2025-02-01"]}), ["saldo"])
    assert train["saldo"].tolist() == [10.5]
