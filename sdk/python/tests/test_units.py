"""Unit tests without a service: error mapping, frame preparation, date handling, OnlineFeatures."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fstore import errors
from fstore.frames import iso_instant, label_rows, prepare_frame, typed_series, write_parquet
from fstore.online import OnlineFeatures


@pytest.mark.parametrize(
    "code,status,cls",
    [
        ("FSTORE_VALIDATION_FAILED", 400, errors.ValidationError),
        ("FSTORE_INVALID_NAME", 400, errors.InvalidNameError),
        ("FSTORE_INGEST_REJECTED", 422, errors.IngestRejectedError),
        ("FSTORE_UNSUPPORTED_FORMAT", 415, errors.UnsupportedFormatError),
        ("FSTORE_ENTITY_NOT_FOUND", 404, errors.EntityNotFoundError),
        ("FSTORE_FEATURE_GROUP_NOT_FOUND", 404, errors.FeatureGroupNotFoundError),
        ("FSTORE_FEATURE_NOT_FOUND", 404, errors.FeatureNotFoundError),
        ("FSTORE_VERSION_NOT_FOUND", 404, errors.VersionNotFoundError),
        ("FSTORE_ROUTE_NOT_FOUND", 404, errors.RouteNotFoundError),
        ("FSTORE_ALREADY_EXISTS", 409, errors.AlreadyExistsError),
        ("FSTORE_VERSION_CONFLICT", 409, errors.VersionConflictError),
        ("FSTORE_ARCHIVED", 409, errors.ArchivedError),
        ("FSTORE_PAYLOAD_TOO_LARGE", 413, errors.PayloadTooLargeError),
        ("FSTORE_BACKEND_UNAVAILABLE", 503, errors.BackendUnavailableError),
        ("FSTORE_TRANSFORM_BUSY", 503, errors.ServiceBusyError),
        ("FSTORE_SHUTTING_DOWN", 503, errors.ServiceBusyError),
        ("FSTORE_TRANSFORM_TIMEOUT", 422, errors.TransformError),
        ("FSTORE_TRANSFORM_MEMORY", 422, errors.TransformError),
        ("FSTORE_INTERNAL", 500, errors.ServerError),
        ("FSTORE_SOMETHING_NEW", 409, errors.ConflictError),
    ],
)
def test_error_mapping(code: str, status: int, cls: type) -> None:
    err = errors.error_from_response(status, {"error": {"code": code, "message": "m", "details": {"k": 1}}})
    assert type(err) is cls
    assert (err.code, err.message, err.details, err.status) == (code, "m", {"k": 1}, status)
    assert isinstance(err, errors.FStoreError)
    assert str(err) == f"[{code} {status}] m"


def test_every_catalogue_code_has_a_class() -> None:
    # ERROR_CODES is generated from the service's catalogue (npm run generate:sdk-types).
    assert set(errors._BY_CODE) == set(errors.ERROR_CODES)
    assert set(errors._SPECIFIC) <= set(errors.ERROR_CODES), "a code the service no longer has"
    for code, info in errors.ERROR_CODES.items():
        err = errors.error_from_response(info.status, {"error": {"code": code, "message": info.title}})
        assert type(err) is errors._BY_CODE[code] and err.status == info.status
    assert isinstance(errors.error_from_response(404, {"error": {"code": "FSTORE_UPLOAD_NOT_FOUND", "message": "m"}}), errors.NotFoundError)
    assert isinstance(errors.error_from_response(502, {"error": {"code": "FSTORE_SOURCE_UNAVAILABLE", "message": "m"}}), errors.BackendUnavailableError)


def test_error_mapping_without_body() -> None:
    err = errors.error_from_response(502, None, "<html>Bad gateway</html>")
    assert isinstance(err, errors.BackendUnavailableError) and err.code == "FSTORE_HTTP_502" and "Bad gateway" in err.message
    assert isinstance(errors.error_from_response(404, {"detail": "x"}), errors.NotFoundError)


def test_families() -> None:
    assert issubclass(errors.InvalidNameError, errors.ValidationError)
    assert issubclass(errors.FeatureNotFoundError, errors.NotFoundError)
    assert issubclass(errors.VersionConflictError, errors.ConflictError)
    assert issubclass(errors.BackendUnavailableError, errors.ServerError)
    assert errors.ConnectionError is errors.FStoreConnectionError
    assert issubclass(errors.FStoreTimeoutError, errors.FStoreConnectionError)


def test_ingest_rejected_accessors() -> None:
    details = {"invalid_rows": 2, "rows": 5, "errors": [{"row": 2, "column": "idade", "value": "x", "reason": "r"}]}
    err = errors.IngestRejectedError("bad", details=details, status=422)
    assert err.invalid_rows == 2 and err.errors[0]["column"] == "idade" and err.column_problems == []
    assert errors.IngestRejectedError("bad", details={"columns": ["column 'X' bad"]}).column_problems == ["column 'X' bad"]


def test_prepare_frame() -> None:
    df = pd.DataFrame(
        {
            "naive": pd.to_datetime(["2025-01-01 10:00:00"]),
            "aware": pd.to_datetime(["2025-01-01 10:00:00"]).tz_localize("Europe/Lisbon"),
            "cat": pd.Categorical(["a"]),
            "objdt": [dt.datetime(2025, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=-3)))],
            1: [5],
        },
        index=pd.Index(["k"], name="entity_key"),
    )
    out = prepare_frame(df)
    assert list(out.columns) == ["entity_key", "naive", "aware", "cat", "objdt", "1"]
    assert out["naive"].iloc[0] == pd.Timestamp("2025-01-01T10:00:00Z")
    assert str(out["aware"].dt.tz) == "UTC"
    assert out["objdt"].iloc[0] == pd.Timestamp("2025-01-01T13:00:00Z")
    assert not isinstance(out["cat"].dtype, pd.CategoricalDtype)
    mixed = pd.Series(
        [
            dt.datetime(2025, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
            dt.datetime(2025, 1, 1, 10, tzinfo=dt.timezone.utc),
        ],
        dtype=object,
    )
    converted = prepare_frame(pd.DataFrame({"o": mixed}))["o"]
    assert isinstance(converted.dtype, pd.DatetimeTZDtype)
    assert converted.tolist() == [pd.Timestamp("2025-01-01T13:00:00Z"), pd.Timestamp("2025-01-01T10:00:00Z")]
    # unnamed index is dropped
    assert list(prepare_frame(pd.DataFrame({"a": [1]}, index=[7])).columns) == ["a"]
    with pytest.raises(errors.ValidationError, match="Duplicate"):
        prepare_frame(pd.DataFrame([[1, 2]], columns=["a", "a"]))


def test_write_parquet_row_groups_and_units() -> None:
    df = prepare_frame(pd.DataFrame({"t": pd.date_range("2025-01-01", periods=25, freq="h"), "v": range(25)}))
    seen = []
    buf = io.BytesIO()
    assert write_parquet(df, buf, rows_per_group=10, on_rows=seen.append) == 25
    assert seen == [10, 10, 5]
    meta = pq.ParquetFile(io.BytesIO(buf.getvalue()))
    assert meta.metadata.num_row_groups == 3
    assert str(meta.schema_arrow.field("t").type) == "timestamp[us, tz=UTC]"


def test_iso_instant() -> None:
    assert iso_instant("2025-01-01") == "2025-01-01"
    assert iso_instant(dt.date(2025, 2, 20)) == "2025-02-20"
    assert iso_instant(dt.datetime(2025, 2, 20, 10, 30)) == "2025-02-20T10:30:00.000000Z"
    assert iso_instant(pd.Timestamp("2025-02-20T10:30:00-03:00")) == "2025-02-20T13:30:00.000000Z"
    with pytest.raises(errors.ValidationError):
        iso_instant(20250220)  # type: ignore[arg-type]


def test_label_rows() -> None:
    df = pd.DataFrame({"k": [1, 2], "t": [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02T03:04:05")], "y": [0, 1]})
    assert label_rows(df, "k", "t") == [
        {"entity_key": 1, "timestamp": "2025-01-01T00:00:00.000000Z"},
        {"entity_key": 2, "timestamp": "2025-01-02T03:04:05.000000Z"},
    ]
    with pytest.raises(errors.ValidationError, match="row 1"):
        label_rows(pd.DataFrame({"k": [None], "t": ["2025-01-01"]}), "k", "t")
    with pytest.raises(errors.ValidationError, match="no rows"):
        label_rows(pd.DataFrame({"k": [], "t": []}), "k", "t")


def test_typed_series() -> None:
    assert str(typed_series([1, None], "INT", "x").dtype) == "Int64"
    assert typed_series([2, None], "FLOAT", "x").dtype == "float64"
    assert str(typed_series([True, None], "BOOL", "x").dtype) == "boolean"
    ts = typed_series(["2025-01-01T00:00:00.000Z", None], "TIMESTAMP", "x")
    assert isinstance(ts.dtype, pd.DatetimeTZDtype) and pd.isna(ts.iloc[1])
    assert typed_series(["2025-01-31", None], "DATE", "x").tolist() == [dt.date(2025, 1, 31), None]
    assert typed_series([[1], None], "INT_LIST", "x").tolist() == [[1], None]


def test_online_features_without_results() -> None:
    empty = OnlineFeatures({"entity": "e", "features": [], "results": []})
    assert len(empty) == 0 and empty.to_dict() == {} and list(empty.to_df().columns) == ["entity_key"]
    with pytest.raises(KeyError):
        empty["missing"]
