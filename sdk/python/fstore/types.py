"""Typed shapes of the service's JSON objects (plain dicts at run time, typed for editors and mypy).

They mirror ``shared/domain/schemas.ts`` and ``shared/api/serving.ts`` of the service.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict

ValueType = Literal["INT", "FLOAT", "STRING", "BOOL", "DATE", "TIMESTAMP", "INT_LIST", "FLOAT_LIST", "STRING_LIST", "BOOL_LIST"]
FeatureType = Literal["NUMERIC", "CATEGORICAL", "TEMPORAL"]
FeatureStatus = Literal["PRESENT", "NOT_FOUND", "EXPIRED"]


class _Stored(TypedDict, total=False):
    version: int
    status: Literal["active", "archived"]
    created_at: str
    updated_at: str
    updated_by: str
    #: Present on create/update responses only.
    warnings: List[str]


class Entity(_Stored, total=False):
    name: str
    join_key: str
    description: str
    tags: List[str]


class FeatureGroup(_Stored, total=False):
    name: str
    entity: str
    description: str
    owner: str
    tags: List[str]
    source: Optional[str]
    ttl_seconds: Optional[int]
    online: bool
    features: List[str]


class Feature(_Stored, total=False):
    name: str
    description: str
    feature_type: FeatureType
    value_type: ValueType
    entity: str
    feature_group: Optional[str]
    tags: List[str]
    source: Optional[str]
    owner: str


class FieldChange(TypedDict):
    field: str
    before: Any
    after: Any


class VersionRecord(TypedDict):
    kind: str
    name: str
    version: int
    created_at: str
    author: str
    action: Literal["create", "update", "archive", "restore"]
    summary: str
    changes: List[FieldChange]
    definition: Dict[str, Any]


class VersionDiff(TypedDict):
    kind: str
    name: str
    #: ``from`` is a Python keyword: read it as ``diff["from"]``.
    to: int
    changes: List[FieldChange]


class AuditEvent(TypedDict, total=False):
    id: str
    time: str
    actor: str
    action: str
    kind: str
    name: str
    version_before: Optional[int]
    version_after: Optional[int]
    details: Dict[str, Any]


class RegisteredFeature(TypedDict):
    name: str
    value_type: ValueType


class IngestReport(TypedDict):
    entity: str
    feature_group: str
    rows: int
    values_written: int
    online_values_written: int
    entity_key_column: str
    event_time_column: Optional[str]
    features: List[str]
    registered_features: List[RegisteredFeature]
    warnings: List[str]
    elapsed_ms: float


class Health(TypedDict, total=False):
    status: str
    version: str
    stores: Dict[str, str]
