"""Conversions between pandas DataFrames and what the service sends and receives.

* Ingestion: a DataFrame becomes a Parquet file with proper types (datetimes as UTC timestamps,
  nullable integers kept as integers, categoricals as their values).
* Retrieval: Parquet from the service becomes a DataFrame with stable dtypes: integers ``Int64``
  and booleans ``boolean`` (nullable, so a missing value never turns a column into floats),
  floats ``float64``, timestamps tz-aware UTC, dates ``datetime.date`` objects, lists as lists.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
from typing import IO, Any, Callable, Dict, List, Optional, Sequence, Union


from .errors import ValidationError
from typing import TYPE_CHECKING

from ._optional import LazyModule

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq
else:
    pd = LazyModule("pandas")
    pa = LazyModule("pyarrow")
    pq = LazyModule("pyarrow.parquet")

DateLike = Union[str, _dt.date, _dt.datetime, "pd.Timestamp"]

#: Rows per Parquet row group (and per progress step) when writing an ingestion file.
ROWS_PER_GROUP = 100_000


# ---- DataFrame -> Parquet (ingestion) ------------------------------------------------------------
def prepare_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Returns a copy of ``df`` whose columns Parquet and the service read unambiguously.

    * A named index (e.g. ``usuario_id``) becomes a column; an unnamed index is dropped.
    * Naive datetimes are taken as UTC (as the service does); aware ones are converted to UTC.
    * Object columns holding ``datetime`` objects become UTC timestamps.
    * Categoricals become their values. Column names become strings and must be unique.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(
            f"dataframe must be a pandas DataFrame, not {type(df).__name__}", code="FSTORE_SDK_INVALID_ARGUMENT"
        )
    out = df
    if any(name is not None for name in out.index.names):
        out = out.reset_index()
    out = out.copy(deep=False)
    out.columns = [str(c) for c in out.columns]
    duplicated = sorted({c for c in out.columns if list(out.columns).count(c) > 1})
    if duplicated:
        raise ValidationError(f"Duplicate column names: {', '.join(duplicated)}", code="FSTORE_SDK_INVALID_ARGUMENT")
    for name in out.columns:
        out[name] = _prepare_series(out[name])
    return out.reset_index(drop=True)


def _prepare_series(s: pd.Series) -> pd.Series:
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.astype(dtype.categories.dtype)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(dtype):
        return s.dt.tz_localize("UTC")
    if pd.api.types.is_timedelta64_dtype(dtype):
        raise ValidationError(
            f"Column '{s.name}' holds time deltas, which FStore has no type for; convert it to a number (e.g. seconds)",
            code="FSTORE_SDK_INVALID_ARGUMENT",
        )
    if pd.api.types.is_object_dtype(dtype):
        non_null = s.dropna()
        if len(non_null) > 0 and all(isinstance(v, _dt.datetime) for v in non_null):
            return pd.to_datetime(s, utc=True)
    return s


def arrow_schema(df: pd.DataFrame) -> pa.Schema:
    """The Arrow schema of a prepared frame, inferred from all its rows (not a sample)."""
    try:
        return pa.Schema.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        raise ValidationError(f"The DataFrame cannot be converted to Parquet: {exc}", code="FSTORE_SDK_INVALID_ARGUMENT") from exc


def write_parquet(
    df: pd.DataFrame,
    sink: IO[bytes],
    *,
    rows_per_group: int = ROWS_PER_GROUP,
    on_rows: Optional[Callable[[int], None]] = None,
) -> int:
    """Writes a prepared frame to ``sink`` as Parquet in row groups; returns the row count.

    ``on_rows`` is called with the number of rows written after each row group (for progress).
    Timestamps are written in microseconds, the finest unit the service keeps.
    """
    schema = arrow_schema(df).remove_metadata()
    total = len(df)
    with pq.ParquetWriter(sink, schema, coerce_timestamps="us", allow_truncated_timestamps=True) as writer:
        for start in range(0, max(total, 1), rows_per_group):
            part = df.iloc[start : start + rows_per_group]
            try:
                table = pa.Table.from_pandas(part, schema=schema, preserve_index=False, safe=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
                raise ValidationError(
                    f"The DataFrame cannot be converted to Parquet: {exc}", code="FSTORE_SDK_INVALID_ARGUMENT"
                ) from exc
            writer.write_table(table)
            if on_rows:
                on_rows(len(part))
    return total


# ---- Parquet -> DataFrame (retrieval) ------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def nullable_dtypes() -> Dict[Any, Any]:
    """Arrow integer and boolean types as pandas' nullable dtypes (built on first use: pandas is optional)."""
    return {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }


def read_parquet_frame(data: Union[bytes, IO[bytes]]) -> pd.DataFrame:
    """Reads the service's Parquet into a DataFrame with stable dtypes (see module docstring)."""
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    table = pq.read_table(source)
    df = table.to_pandas(types_mapper=nullable_dtypes().get)
    for name in df.columns:
        if pd.api.types.is_datetime64_dtype(df[name].dtype):  # naive: the service means UTC
            df[name] = df[name].dt.tz_localize("UTC")
    return df


# ---- Values for JSON requests --------------------------------------------------------------------
def iso_instant(value: DateLike, *, name: str = "date") -> str:
    """Text the service accepts as an instant: a ``YYYY-MM-DD`` date or an ISO-8601 timestamp.

    Strings pass through unchanged; ``date`` objects become ``YYYY-MM-DD`` (a whole day when used
    as an end date); datetimes become UTC ISO-8601 (naive ones are taken as UTC).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        ts = pd.Timestamp(value)
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise ValidationError(
        f"{name} must be a string, date or datetime, not {type(value).__name__}", code="FSTORE_SDK_INVALID_ARGUMENT"
    )


def label_rows(entity_df: pd.DataFrame, key_column: str, time_column: str) -> List[Dict[str, Any]]:
    """``[{entity_key, timestamp}]`` for the point-in-time request, one per label row, in order."""
    for column in (key_column, time_column):
        if column not in entity_df.columns:
            raise ValidationError(
                f"entity_df has no column '{column}'; it needs an entity key column and a timestamp column "
                f"(columns: {', '.join(map(str, entity_df.columns))})",
                code="FSTORE_SDK_INVALID_ARGUMENT",
            )
    if len(entity_df) == 0:
        raise ValidationError("entity_df has no rows", code="FSTORE_SDK_INVALID_ARGUMENT")
    keys = entity_df[key_column]
    times = _times_as_text(entity_df[time_column])
    rows: List[Dict[str, Any]] = []
    for i, (key, time) in enumerate(zip(keys.tolist(), times)):
        if key is None or (isinstance(key, float) and key != key) or (isinstance(key, str) and not key.strip()):
            raise ValidationError(
                f"entity_df row {i + 1}: the entity key ('{key_column}') is missing", code="FSTORE_SDK_INVALID_ARGUMENT"
            )
        if time is None:
            raise ValidationError(
                f"entity_df row {i + 1}: the timestamp ('{time_column}') is missing", code="FSTORE_SDK_INVALID_ARGUMENT"
            )
        rows.append(
            {
                "entity_key": key if isinstance(key, (str, int, float)) and not isinstance(key, bool) else str(key),
                "timestamp": time,
            }
        )
    return rows


def json_records(df: pd.DataFrame, columns: Sequence[Any]) -> List[Dict[str, Any]]:
    """The rows of ``columns`` as JSON-ready dicts: Python scalars, ``None`` for missing values,
    datetimes as ISO-8601 text, arrays as lists (``request_data`` and label columns)."""
    out: List[Dict[str, Any]] = [{} for _ in range(len(df))]
    for column in columns:
        series = df[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series.dtype):
            values: List[Any] = _times_as_text(series)
        else:
            values = [_json_value(v) for v in series.tolist()]
        for row, value in zip(out, values):
            row[str(column)] = value
    return out


def _json_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return iso_instant(v, name="value")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if hasattr(v, "tolist"):  # numpy scalars and arrays
        return _json_value(v.tolist())
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return v


def _times_as_text(s: pd.Series) -> List[Optional[str]]:
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype):
        utc = s.dt.tz_convert("UTC") if isinstance(s.dtype, pd.DatetimeTZDtype) else s.dt.tz_localize("UTC")
        text = utc.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return [None if pd.isna(v) else str(v) for v in text.tolist()]
    out: List[Optional[str]] = []
    for v in s.tolist():
        if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
            out.append(None)
        elif isinstance(v, (str, _dt.date, _dt.datetime, pd.Timestamp)):
            out.append(iso_instant(v, name="timestamp"))
        else:
            out.append(str(v))
    return out


# ---- JSON values -> typed Series (online serving) ------------------------------------------------
def typed_series(values: Sequence[Any], value_type: Optional[str], name: str) -> pd.Series:
    """A Series of JSON feature values with the dtype their value type implies.

    Same dtypes as training frames: INT ``Int64``, FLOAT ``float64``, BOOL ``boolean``, TIMESTAMP
    UTC datetimes, DATE ``datetime.date`` objects, STRING pandas' default string dtype, lists as
    objects. Without a value type, pandas infers.
    """
    data = list(values)
    if value_type == "INT":
        return pd.Series(pd.array(data, dtype="Int64"), name=name)
    if value_type == "FLOAT":
        return pd.Series([float("nan") if v is None else float(v) for v in data], dtype="float64", name=name)
    if value_type == "BOOL":
        return pd.Series(pd.array(data, dtype="boolean"), name=name)
    if value_type == "TIMESTAMP":
        return pd.Series(pd.to_datetime(pd.Series(data, dtype=object), utc=True), name=name)
    if value_type == "DATE":
        return pd.Series([None if v is None else _dt.date.fromisoformat(str(v)[:10]) for v in data], dtype=object, name=name)
    if value_type and value_type.endswith("_LIST"):
        return pd.Series(data, dtype=object, name=name)
    if value_type == "STRING" and all(v is None for v in data):
        return pd.Series(data, dtype=object, name=name)
    return pd.Series(data, name=name)


def parse_instant(value: Optional[str]) -> Optional[pd.Timestamp]:
    """An ISO-8601 string (or ``None``) as a tz-aware UTC Timestamp (or ``None``)."""
    if value is None:
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
