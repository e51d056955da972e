"""The binary online answer: an Arrow IPC stream of ``POST /api/online/features``.

Columns: ``entity_key``, then per requested feature ``f``: ``f`` (its value type's Arrow type, null
unless PRESENT; utf8 JSON text when the field's metadata says ``fstore.encoding: json``),
``f__status`` (dictionary utf8) and ``f__event_timestamp`` (timestamp[ms, UTC]). Schema metadata:
``fstore.entity``, ``fstore.features`` (resolved names), ``fstore.value_types`` (per requested name)
and ``fstore.warnings`` (JSON). Both views built here match those of the JSON answer exactly: the
JSON-shaped results (times as the service's ISO text) and DataFrames with ``typed_series`` dtypes.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional


from .frames import nullable_dtypes, typed_series
from typing import TYPE_CHECKING

from ._optional import LazyModule

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
else:
    pd = LazyModule("pandas")
    pa = LazyModule("pyarrow")
    pc = LazyModule("pyarrow.compute")

ARROW_STREAM = "application/vnd.apache.arrow.stream"

# The dtype typed_series gives TIMESTAMP text as FStore writes it (with and without any value):
# pandas versions differ (ns; us, or s when all are null), so it is asked rather than assumed.
_TIMESTAMP_DTYPES: Dict[bool, Any] = {}


def read_stream(data: bytes) -> pa.Table:
    """The table of an Arrow IPC stream."""
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def metadata_of(table: pa.Table) -> Dict[str, Any]:
    """The answer's metadata: ``entity``, ``features`` (resolved), ``value_types`` and ``warnings``."""
    raw = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    return {
        "entity": raw.get("fstore.entity", ""),
        "features": json.loads(raw.get("fstore.features", "[]")),
        "value_types": json.loads(raw.get("fstore.value_types", "{}")),
        "warnings": json.loads(raw.get("fstore.warnings", "[]")),
    }


def requested_features(table: pa.Table) -> List[str]:
    """Requested feature names in request order: every third column after ``entity_key``."""
    return [table.schema.field(i).name for i in range(1, table.num_columns, 3)]


def results_of(table: pa.Table, value_types: Mapping[str, str]) -> List[Dict[str, Any]]:
    """The JSON answer's ``results``: ``[{entity_key, features: {f: {value, status, event_timestamp}}}]``."""
    keys = table.column(0).to_pylist()
    columns = []
    for n, feature in enumerate(requested_features(table)):
        i = 1 + 3 * n
        values = _json_values(table.column(i), table.schema.field(i), value_types.get(feature))
        statuses = table.column(i + 1).to_pylist()
        times = _iso_texts(table.column(i + 2))
        columns.append((feature, values, statuses, times))
    return [
        {
            "entity_key": key,
            "features": {
                f: {"value": values[r], "status": statuses[r], "event_timestamp": times[r]} for f, values, statuses, times in columns
            },
        }
        for r, key in enumerate(keys)
    ]


def frame_of(
    table: pa.Table, value_types: Mapping[str, str], include_status: bool, include_event_timestamp: bool
) -> pd.DataFrame:
    """``OnlineFeatures.to_df()`` straight from the columns (pyarrow to pandas, no loop over cells)."""
    features = requested_features(table)
    # Positional names: requested names may collide with the status and time columns' names.
    wanted = [0]
    for n in range(len(features)):
        wanted += [1 + 3 * n] + ([2 + 3 * n] if include_status else []) + ([3 + 3 * n] if include_event_timestamp else [])
    picked = pa.table([_decoded(table.column(i)) for i in wanted], names=[f"c{i}" for i in wanted])
    df = picked.to_pandas(types_mapper=nullable_dtypes().get)
    columns: Dict[str, pd.Series] = {"entity_key": df["c0"].astype(pd.Series(["k"]).dtype)}
    for n, f in enumerate(features):
        i = 1 + 3 * n
        field = table.schema.field(i)
        columns[f] = _typed(df[f"c{i}"], table.column(i), field, value_types.get(f), f)
        if include_status:
            columns[f"{f}__status"] = df[f"c{i + 1}"].astype(object)
        if include_event_timestamp:
            stamps = df[f"c{i + 2}"]
            columns[f"{f}__event_timestamp"] = stamps.astype(_timestamp_dtype(bool(stamps.notna().any())))
    return pd.DataFrame({name: s.rename(name).reset_index(drop=True) for name, s in columns.items()})


# ---- internals ----
def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column


def _is_json(field: pa.Field) -> bool:
    return (field.metadata or {}).get(b"fstore.encoding") == b"json"


def _json_values(column: pa.ChunkedArray, field: pa.Field, value_type: Optional[str]) -> List[Any]:
    """Values as the JSON answer has them: times and dates as ISO text."""
    if _is_json(field):
        return [None if v is None else json.loads(v) for v in column.to_pylist()]
    if value_type == "TIMESTAMP":
        return _iso_texts(column)
    if value_type == "DATE":
        return [None if d is None else d.isoformat() for d in column.to_pylist()]
    return column.to_pylist()


def _iso_texts(column: pa.ChunkedArray) -> List[Optional[str]]:
    """timestamp[ms, UTC] as the service writes instants: ``2025-01-10T00:00:00.000Z``."""
    text = pc.strftime(column.cast(pa.timestamp("ms", tz="UTC")), format="%Y-%m-%dT%H:%M:%S")
    return [None if t is None else f"{t}Z" for t in text.to_pylist()]


def _typed(series: pd.Series, column: pa.ChunkedArray, field: pa.Field, value_type: Optional[str], name: str) -> pd.Series:
    """A value column with the dtype ``typed_series`` gives the same values from JSON."""
    if _is_json(field) or (value_type or "").endswith("_LIST"):
        return typed_series(_json_values(column, field, value_type), value_type, name)
    has_value = column.null_count < len(column)
    if value_type == "TIMESTAMP":
        return series.astype(_timestamp_dtype(has_value))
    if value_type == "STRING":
        return series if has_value else pd.Series([None] * len(series), dtype=object)
    if value_type in ("INT", "FLOAT", "BOOL", "DATE"):
        return series
    return typed_series(column.to_pylist(), value_type, name)


def _timestamp_dtype(has_value: bool) -> Any:
    if has_value not in _TIMESTAMP_DTYPES:
        sample = ["2025-01-01T00:00:00.000Z"] if has_value else [None]
        _TIMESTAMP_DTYPES[has_value] = typed_series(sample, "TIMESTAMP", "sample").dtype
    return _TIMESTAMP_DTYPES[has_value]
