"""Typed exceptions rebuilt from the service's error body ``{"error": {"code", "message", "details"}}``.

Every exception carries the service's ``code``, ``message``, ``details`` and the HTTP ``status``.
Catch a family (``NotFoundError``, ``ValidationError``, ``ConflictError``) or the exact case
(``FeatureNotFoundError``, ``InvalidNameError``, ``VersionConflictError``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Type

from ._error_codes import ERROR_CODES, ErrorCode, ErrorCodeInfo

__all__ = [
    "FStoreError",
    "ValidationError",
    "TransformError",
    "InvalidNameError",
    "UnsupportedFormatError",
    "PayloadTooLargeError",
    "LimitExceededError",
    "IngestRejectedError",
    "NotFoundError",
    "EntityNotFoundError",
    "FeatureGroupNotFoundError",
    "FeatureNotFoundError",
    "FeatureServiceNotFoundError",
    "VersionNotFoundError",
    "RouteNotFoundError",
    "AuthenticationError",
    "PermissionDeniedError",
    "ConflictError",
    "AlreadyExistsError",
    "VersionConflictError",
    "ArchivedError",
    "ServerError",
    "BackendUnavailableError",
    "ServiceBusyError",
    "FStoreConnectionError",
    "FStoreTimeoutError",
    "ConnectionError",
    "error_from_response",
    "ERROR_CODES",
    "ErrorCode",
    "ErrorCodeInfo",
]


class FStoreError(Exception):
    """Base of every FStore SDK error.

    Attributes:
        code: the service's stable error code (``FSTORE_...``), or an SDK code for client-side failures.
        message: human-readable explanation from the service.
        details: structured details (row errors, validation paths), or ``None``.
        status: HTTP status of the response, or ``None`` when no response was received.
        request_id: the request's id (the service's ``X-Request-Id``), to quote when reporting a
            problem: the service's log lines of that request carry it. ``None`` without a response.
    """

    default_code = "FSTORE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        details: Any = None,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code
        self.message: str = message
        self.details: Any = details
        self.status: Optional[int] = status
        self.request_id: Optional[str] = request_id

    def __str__(self) -> str:
        prefix = f"[{self.code}" + (f" {self.status}" if self.status is not None else "") + "] "
        suffix = f" (request {self.request_id})" if self.request_id else ""
        return prefix + self.message + suffix

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class TransformError(FStoreError):
    """A transform failed to compile, errored, timed out or returned bad output (``FSTORE_TRANSFORM_*``).

    ``location`` is ``(line, column)`` in the transform's code when the service knows it.
    """

    default_code = "FSTORE_TRANSFORM_RUNTIME"

    @property
    def location(self) -> Optional[tuple]:
        where = self.details.get("location") if isinstance(self.details, dict) else None
        return (int(where["line"]), int(where["column"])) if isinstance(where, dict) else None


# ---- 400-class: the request is wrong -------------------------------------------------------------
class ValidationError(FStoreError):
    """The request is invalid (``FSTORE_VALIDATION_FAILED``); ``details`` lists the problems."""

    default_code = "FSTORE_VALIDATION_FAILED"


class InvalidNameError(ValidationError):
    """A name is not valid snake_case (``FSTORE_INVALID_NAME``)."""

    default_code = "FSTORE_INVALID_NAME"


class UnsupportedFormatError(ValidationError):
    """The data format is not supported (``FSTORE_UNSUPPORTED_FORMAT``)."""

    default_code = "FSTORE_UNSUPPORTED_FORMAT"


class PayloadTooLargeError(ValidationError):
    """The request body exceeds the service's ``maxBodyBytes`` (``FSTORE_PAYLOAD_TOO_LARGE``)."""

    default_code = "FSTORE_PAYLOAD_TOO_LARGE"


class LimitExceededError(ValidationError):
    """A configured limit was reached and nothing was written (``FSTORE_LIMIT_EXCEEDED``).

    The message names the limit and its configuration key (for example ``maxBatchColumns``).
    """

    default_code = "FSTORE_LIMIT_EXCEEDED"


class IngestRejectedError(FStoreError):
    """An ingestion batch was rejected whole and nothing was written (``FSTORE_INGEST_REJECTED``).

    ``errors`` lists row-level problems as ``{"row", "column", "value", "reason"}`` (``row`` is
    1-based over data rows); ``column_problems`` lists batch-level problems about columns.
    """

    default_code = "FSTORE_INGEST_REJECTED"

    @property
    def errors(self) -> List[Dict[str, Any]]:
        """Row-level problems (first 100), each with ``row``, ``column``, ``value`` and ``reason``."""
        if isinstance(self.details, dict):
            return list(self.details.get("errors") or [])
        return []

    @property
    def invalid_rows(self) -> Optional[int]:
        """How many rows were invalid, when the service counted them."""
        if isinstance(self.details, dict) and isinstance(self.details.get("invalid_rows"), int):
            return int(self.details["invalid_rows"])
        return None

    @property
    def column_problems(self) -> List[str]:
        """Problems about columns (unknown key column, invalid column names...)."""
        if isinstance(self.details, dict):
            return [str(c) for c in self.details.get("columns") or []]
        return []


# ---- 404 ------------------------------------------------------------------------------------------
class NotFoundError(FStoreError):
    """Something named in the request does not exist."""

    default_code = "FSTORE_NOT_FOUND"


class EntityNotFoundError(NotFoundError):
    default_code = "FSTORE_ENTITY_NOT_FOUND"


class FeatureGroupNotFoundError(NotFoundError):
    default_code = "FSTORE_FEATURE_GROUP_NOT_FOUND"


class FeatureNotFoundError(NotFoundError):
    default_code = "FSTORE_FEATURE_NOT_FOUND"


class FeatureServiceNotFoundError(NotFoundError):
    default_code = "FSTORE_FEATURE_SERVICE_NOT_FOUND"


class VersionNotFoundError(NotFoundError):
    default_code = "FSTORE_VERSION_NOT_FOUND"


class RouteNotFoundError(NotFoundError):
    """The endpoint does not exist (usually an SDK/service version mismatch)."""

    default_code = "FSTORE_ROUTE_NOT_FOUND"


# ---- 401 and 403 ----------------------------------------------------------------------------------
class AuthenticationError(FStoreError):
    """The service requires an API key and none, or an unknown, revoked or expired one, was sent (401).

    Pass ``api_key=`` to ``FStoreClient`` or set ``FSTORE_API_KEY``.
    """

    default_code = "FSTORE_UNAUTHENTICATED"


class PermissionDeniedError(FStoreError):
    """The API key's role does not allow the request (403); the message names the role needed."""

    default_code = "FSTORE_FORBIDDEN_ROLE"


# ---- 409 ------------------------------------------------------------------------------------------
class ConflictError(FStoreError):
    """The request conflicts with the current state."""

    default_code = "FSTORE_CONFLICT"


class AlreadyExistsError(ConflictError):
    default_code = "FSTORE_ALREADY_EXISTS"


class VersionConflictError(ConflictError):
    """The object changed since it was read (``expected_version`` did not match)."""

    default_code = "FSTORE_VERSION_CONFLICT"


class ArchivedError(ConflictError):
    default_code = "FSTORE_ARCHIVED"


# ---- 5xx and transport ----------------------------------------------------------------------------
class ServerError(FStoreError):
    """The service failed (``FSTORE_INTERNAL`` or an unexpected 5xx)."""

    default_code = "FSTORE_INTERNAL"


class BackendUnavailableError(ServerError):
    """A storage backend (or a gateway in front of the service) is unavailable: 502/503/504."""

    default_code = "FSTORE_BACKEND_UNAVAILABLE"


class ServiceBusyError(BackendUnavailableError):
    """The service refused the work for now (503): too many transform previews and runs are running
    or waiting (``FSTORE_TRANSFORM_BUSY``; ``details["limit"]`` names the setting), or it is stopping
    (``FSTORE_SHUTTING_DOWN``). Retry later."""

    default_code = "FSTORE_TRANSFORM_BUSY"


class FStoreConnectionError(FStoreError):
    """The service could not be reached (refused, DNS, reset). ``status`` is ``None``."""

    default_code = "FSTORE_CONNECTION_FAILED"


class FStoreTimeoutError(FStoreConnectionError):
    """The service did not answer within the client's timeout."""

    default_code = "FSTORE_TIMEOUT"


#: Alias with the short name; shadows the builtin only where imported explicitly.
ConnectionError = FStoreConnectionError  # noqa: A001


def _class_for_status(status: int) -> Type[FStoreError]:
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 413:
        return PayloadTooLargeError
    if status == 415:
        return UnsupportedFormatError
    if status in (502, 503, 504):
        return BackendUnavailableError
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return ValidationError
    return FStoreError


#: Codes with a class of their own, or a family other than the one of their HTTP status.
_SPECIFIC: Dict[str, Type[FStoreError]] = {
    "FSTORE_VALIDATION_FAILED": ValidationError,
    "FSTORE_TRANSFORM_SQL": TransformError,
    "FSTORE_TRANSFORM_COMPILE": TransformError,
    "FSTORE_TRANSFORM_RUNTIME": TransformError,
    "FSTORE_TRANSFORM_OUTPUT": TransformError,
    "FSTORE_TRANSFORM_TIMEOUT": TransformError,
    "FSTORE_TRANSFORM_MEMORY": TransformError,
    "FSTORE_DATA_SOURCE_NOT_FOUND": NotFoundError,
    "FSTORE_TRANSFORM_NOT_FOUND": NotFoundError,
    "FSTORE_INVALID_NAME": InvalidNameError,
    "FSTORE_UNSUPPORTED_FORMAT": UnsupportedFormatError,
    "FSTORE_PAYLOAD_TOO_LARGE": PayloadTooLargeError,
    "FSTORE_LIMIT_EXCEEDED": LimitExceededError,
    "FSTORE_INGEST_REJECTED": IngestRejectedError,
    "FSTORE_ENTITY_NOT_FOUND": EntityNotFoundError,
    "FSTORE_FEATURE_GROUP_NOT_FOUND": FeatureGroupNotFoundError,
    "FSTORE_FEATURE_NOT_FOUND": FeatureNotFoundError,
    "FSTORE_FEATURE_SERVICE_NOT_FOUND": FeatureServiceNotFoundError,
    "FSTORE_VERSION_NOT_FOUND": VersionNotFoundError,
    "FSTORE_ROUTE_NOT_FOUND": RouteNotFoundError,
    "FSTORE_UNAUTHENTICATED": AuthenticationError,
    "FSTORE_FORBIDDEN_ROLE": PermissionDeniedError,
    # A file path outside the allowed folders is bad input, not a matter of the key's role.
    "FSTORE_FORBIDDEN_PATH": ValidationError,
    "FSTORE_API_KEY_NOT_FOUND": NotFoundError,
    "FSTORE_ALREADY_EXISTS": AlreadyExistsError,
    "FSTORE_VERSION_CONFLICT": VersionConflictError,
    "FSTORE_ARCHIVED": ArchivedError,
    "FSTORE_BACKEND_UNAVAILABLE": BackendUnavailableError,
    "FSTORE_TRANSFORM_BUSY": ServiceBusyError,
    "FSTORE_SHUTTING_DOWN": ServiceBusyError,
    "FSTORE_INTERNAL": ServerError,
}

#: Every code of the service's error catalogue (``ERROR_CODES``, generated from it): its own class,
#: else the family of its HTTP status. A code this SDK does not know yet is mapped by the response's status.
_BY_CODE: Dict[str, Type[FStoreError]] = {code: _SPECIFIC.get(code) or _class_for_status(info.status) for code, info in ERROR_CODES.items()}


def error_from_response(status: int, body: Any, fallback_text: str = "", request_id: Optional[str] = None) -> FStoreError:
    """Builds the typed exception for an error response.

    Args:
        status: HTTP status code.
        body: the decoded JSON body (or ``None`` when it was not JSON).
        fallback_text: raw body text used as the message when the body has no FStore error shape.
        request_id: the response's ``X-Request-Id`` header, used when the body does not name one.
    """
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        code = str(error["code"])
        cls = _BY_CODE.get(code) or _class_for_status(status)
        message = str(error.get("message") or code)
        named = error.get("request_id")
        return cls(message, code=code, details=error.get("details"), status=status, request_id=named if isinstance(named, str) else request_id)
    cls = _class_for_status(status)
    text = (fallback_text or "").strip()
    message = f"HTTP {status}" + (f": {text[:500]}" if text else "")
    return cls(message, code=f"FSTORE_HTTP_{status}", details=None, status=status, request_id=request_id)
