"""FStore Python SDK: ``from fstore import FStoreClient`` (or ``from fstore.client import FStoreClient``)."""

from .client import FeatureDeprecationWarning, FStoreClient
from .errors import (
    AlreadyExistsError,
    ArchivedError,
    AuthenticationError,
    BackendUnavailableError,
    ConflictError,
    EntityNotFoundError,
    FeatureGroupNotFoundError,
    FeatureNotFoundError,
    FStoreConnectionError,
    FStoreError,
    FStoreTimeoutError,
    IngestRejectedError,
    InvalidNameError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RouteNotFoundError,
    ServerError,
    TransformError,
    UnsupportedFormatError,
    ValidationError,
    VersionConflictError,
    VersionNotFoundError,
)
from .online import OnlineFeatures
from .transforms import TransformPreview

__version__ = "0.1.0"

__all__ = [
    "FStoreClient",
    "FeatureDeprecationWarning",
    "OnlineFeatures",
    "TransformPreview",
    "FStoreError",
    "ValidationError",
    "TransformError",
    "InvalidNameError",
    "UnsupportedFormatError",
    "PayloadTooLargeError",
    "IngestRejectedError",
    "NotFoundError",
    "EntityNotFoundError",
    "FeatureGroupNotFoundError",
    "FeatureNotFoundError",
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
    "FStoreConnectionError",
    "FStoreTimeoutError",
    "__version__",
]
