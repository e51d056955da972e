"""Request-time inputs of on-demand transforms (Feast's ``RequestSource``): ``request_data`` online as a
dict, a list of dicts or a DataFrame; the same inputs from the label frame's columns in training, with
the same values."""

from __future__ import annotations

from typing import Callable, Tuple

import pandas as pd
import pytest

from conftest import IngestHistory
from fstore import FStoreClient, ValidationError

SCORE_TS = """
export default function transform(row: { RENDA: number | null; valor_transacao: number; canal: string }) {
  if (row.RENDA === null) return null;
  return { RATIO: row.valor_transacao / row.RENDA, APP: row.canal === "app" };
}
"""


@pytest.fixture
def scored(client: FStoreClient, unique: Callable[[str], str], ingest_history: IngestHistory) -> Tuple[str, str, str]:
    """An entity with renda (1000 then 4000 for c1, 500 for c2) and an on-demand transform over it."""
    entity, group, transform = unique("cliente"), unique("perfil"), unique("transacao")
    renda = f"{entity}_renda"
    ingest_history(entity, group, renda, [1000.0, 4000.0, 500.0])
    source = unique("perfil_src")
    client.create_data_source(source, "feature_group", feature_group=group)
    client.publish_transform(
        transform,
        "typescript",
        SCORE_TS.replace("RENDA", renda).replace("RATIO", f"{entity}_valor_sobre_renda").replace("APP", f"{entity}_canal_app"),
        sources=[source],
        entity=entity,
        on_demand=True,
        request_inputs=[{"name": "valor_transacao", "value_type": "FLOAT"}, {"name": "canal", "value_type": "STRING"}],
    )
    return entity, f"{entity}_valor_sobre_renda", f"{entity}_canal_app"


@pytest.mark.parametrize("format", ["json", "arrow"])
def test_request_data_shared_per_key_or_frame(client: FStoreClient, scored: Tuple[str, str, str], format: str) -> None:
    entity, ratio, app = scored
    shared = client.get_online_features(entity, ["c1", "c2"], [ratio, app], request_data={"valor_transacao": 120.5, "canal": "app"}, format=format)
    assert shared.to_df()[ratio].tolist() == [120.5 / 4000, 120.5 / 500]
    assert shared.to_df()[app].tolist() == [True, True]

    per_key = [{"valor_transacao": 40.0, "canal": "web"}, {"valor_transacao": 50.0, "canal": "app"}]
    listed = client.get_online_features(entity, ["c1", "c2"], [ratio, app], request_data=per_key, format=format)
    framed = client.get_online_features(entity, ["c1", "c2"], [ratio, app], request_data=pd.DataFrame(per_key), format=format)
    assert listed.to_df()[ratio].tolist() == framed.to_df()[ratio].tolist() == [0.01, 0.1]
    assert listed.to_df()[app].tolist() == framed.to_df()[app].tolist() == [False, True]


def test_bad_request_data_names_the_input(client: FStoreClient, scored: Tuple[str, str, str]) -> None:
    entity, ratio, _ = scored
    with pytest.raises(ValidationError, match=r"request_data\[1\] \(entity key 1\): 'valor_transacao' is missing"):
        client.get_online_features(entity, ["c1", "c2"], [ratio], request_data=[{"valor_transacao": 1.0, "canal": "app"}, {"canal": "app"}])
    with pytest.raises(ValidationError, match=r"'valor_transacao' must be a number \(FLOAT\)"):
        client.get_online_features(entity, ["c1"], [ratio], request_data={"valor_transacao": "muito", "canal": "app"})
    with pytest.raises(ValidationError, match="1 objects for 2 entity keys"):
        client.get_online_features(entity, ["c1", "c2"], [ratio], request_data=[{"valor_transacao": 1.0, "canal": "app"}])
    with pytest.raises(ValidationError, match="a dict, a list of dicts or a DataFrame"):
        client.get_online_features(entity, ["c1"], [ratio], request_data="valor=1")  # type: ignore[arg-type]


def test_training_reads_the_label_columns_and_matches_serving(client: FStoreClient, scored: Tuple[str, str, str]) -> None:
    entity, ratio, app = scored
    labels = pd.DataFrame(
        {
            "entity_key": ["c1", "c2", "c1", "c1"],
            "timestamp": pd.to_datetime(["2025-06-01", "2025-06-01", "2025-06-01", "2025-01-05"], utc=True),
            "valor_transacao": [120.5, 7.0, 0.25, 100.0],
            "canal": ["app", "web", "web", "app"],
            "fraude": [1, 0, 0, 1],
        }
    )
    trained = client.get_historical_features(entity, labels, [ratio, app])
    assert list(trained.columns) == ["entity_key", "timestamp", "valor_transacao", "canal", "fraude", ratio, app]
    # The last row is before c1's second value: its state then is renda 1000.
    assert trained[ratio].tolist()[3] == 0.1

    served = client.get_online_features(entity, labels["entity_key"][:3].tolist(), [ratio, app], request_data=labels[["valor_transacao", "canal"]][:3])
    assert trained[ratio].tolist()[:3] == served.to_df()[ratio].tolist()
    assert trained[app].tolist()[:3] == served.to_df()[app].tolist()
