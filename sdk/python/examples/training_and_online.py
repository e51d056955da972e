# %% [markdown]
# # FStore: a training set with labels, then online features
#
# Ingests purchase features of customers (`cliente`), builds a point-in-time correct training set
# for churn labels, and reads the latest values for inference. Start a service first
# (`npx fstore serve`) and set `FSTORE_URL` if it is not on `http://localhost:8000`.
# Running it again is harmless: re-ingesting the same rows never duplicates history.
# The notebook `training_and_online.ipynb` has the same cells.

# %%
import os

import pandas as pd

from fstore import AlreadyExistsError, FStoreClient

client = FStoreClient(os.environ.get("FSTORE_URL", "http://localhost:8000"))
print("service:", client.health()["status"])

# %% [markdown]
# ## 1. Register the entity and ingest features
# New columns become features with types inferred from the DataFrame's dtypes.

# %%
try:
    client.create_entity(name="cliente", join_key="cliente_id", description="Clientes da loja")
except AlreadyExistsError:
    pass

compras = pd.DataFrame(
    {
        "cliente_id": ["c1", "c1", "c2", "c2"],
        "event_timestamp": pd.to_datetime(
            ["2025-01-05T00:00:00Z", "2025-02-01T00:00:00Z", "2025-01-10T00:00:00Z", "2025-03-01T00:00:00Z"]
        ),
        "cliente_gasto_30d": [120.0, 80.5, 300.0, 15.0],
        "cliente_n_compras": [3, 2, 7, 1],
        "cliente_segmento": ["ouro", "prata", "ouro", "bronze"],
    }
)
report = client.ingest_batch(entity="cliente", feature_group="compras", dataframe=compras)
print("ingested rows:", report["rows"])

# %% [markdown]
# ## 2. Training set: features as they were at each label's time
# Each label row gets every feature's latest value at or before its timestamp, never a later one.

# %%
labels = pd.DataFrame(
    {
        "entity_key": ["c1", "c1", "c2", "c2"],
        "timestamp": pd.to_datetime(
            ["2025-01-20T00:00:00Z", "2025-02-15T00:00:00Z", "2025-01-09T00:00:00Z", "2025-03-01T00:00:00Z"]
        ),
        "churn": [0, 1, 0, 1],
    }
)
train = client.get_historical_features(
    entity="cliente",
    entity_df=labels,
    feature_list=["gasto_30d", "n_compras", "segmento"],
)
print("training rows:", len(train))
print(train.to_string())

# %% [markdown]
# ## 3. Online features for inference

# %%
online = client.get_online_features(
    entity="cliente",
    entity_keys=["c1", "c2", "c9"],
    feature_list=["gasto_30d", "n_compras", "segmento"],
)
print("online:", online.to_dict())
print("statuses:", online.statuses)
print(online.to_df().to_string())
