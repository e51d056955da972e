"""Registry calls (entities, feature groups, features, feature services): create, list, get, update,
archive, restore, versions and diffs. Mixed into ``FStoreClient``; every kind shares one implementation."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, cast
from urllib.parse import quote

from ._http import Transport, merge
from .errors import ValidationError
from .types import AuditEvent, Entity, Feature, FeatureGroup, FeatureService, VersionDiff, VersionRecord

_FEATURES = "/api/features"
_ENTITIES = "/api/entities"
_GROUPS = "/api/feature-groups"
_SERVICES = "/api/feature-services"


def _body(definition: Optional[Mapping[str, Any]], fields: Mapping[str, Any], what: str) -> Dict[str, Any]:
    if definition is not None and not isinstance(definition, Mapping):
        raise ValidationError(
            f"{what} must be a dict of fields, not {type(definition).__name__}", code="FSTORE_SDK_INVALID_ARGUMENT"
        )
    return merge(definition, fields)


class RegistryMixin:
    """Registry methods of ``FStoreClient``. Writes are never retried; reads are."""

    _http: Transport

    # ---- generic, per kind ----
    def _create(self, base: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("POST", f"{base}/", idempotent=False, json_body=body))

    def _list(self, base: str, params: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._http.json("GET", f"{base}/", idempotent=True, params=params))

    def _get(self, base: str, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("GET", f"{base}/{_q(name)}", idempotent=True))

    def _update(self, base: str, name: str, changes: Dict[str, Any], expected_version: Optional[int]) -> Dict[str, Any]:
        headers = {"If-Match": str(expected_version)} if expected_version is not None else None
        return cast(
            Dict[str, Any], self._http.json("PUT", f"{base}/{_q(name)}", idempotent=False, json_body=changes, headers=headers)
        )

    def _archive(self, base: str, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("DELETE", f"{base}/{_q(name)}", idempotent=False))

    def _restore(self, base: str, name: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("POST", f"{base}/{_q(name)}/restore", idempotent=False))

    def _versions(self, base: str, name: str) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._http.json("GET", f"{base}/{_q(name)}/versions", idempotent=True))

    def _version(self, base: str, name: str, version: int) -> Dict[str, Any]:
        return cast(Dict[str, Any], self._http.json("GET", f"{base}/{_q(name)}/versions/{int(version)}", idempotent=True))

    def _diff(self, base: str, name: str, from_version: int, to_version: int) -> Dict[str, Any]:
        params = {"from": int(from_version), "to": int(to_version)}
        return cast(Dict[str, Any], self._http.json("GET", f"{base}/{_q(name)}/diff", idempotent=True, params=params))

    # ---- features ----
    def create_feature(self, feature: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> Feature:
        """Registers a feature (version 1): ``create_feature(name=..., value_type=..., entity=...)``
        or ``create_feature({...})``. The entity is created if missing (see ``warnings``).

        Raises ``InvalidNameError``, ``ValidationError``, ``AlreadyExistsError``.
        """
        return cast(Feature, self._create(_FEATURES, _body(feature, fields, "feature")))

    def list_features(
        self,
        entity: Optional[str] = None,
        tag: Optional[str] = None,
        q: Optional[str] = None,
        feature_group: Optional[str] = None,
        include_archived: bool = False,
    ) -> List[Feature]:
        """Features, optionally filtered by entity, tag, group or text ``q`` (name, description, tags)."""
        params = {
            "entity": entity,
            "tag": tag,
            "q": q,
            "feature_group": feature_group,
            "include_archived": include_archived or None,
        }
        return cast(List[Feature], self._list(_FEATURES, params))

    def get_feature(self, name: str) -> Feature:
        """The current version of a feature. Raises ``FeatureNotFoundError``."""
        return cast(Feature, self._get(_FEATURES, name))

    def update_feature(self, name: str, expected_version: Optional[int] = None, **changes: Any) -> Feature:
        """Changes a feature's definition (a new version). With ``expected_version``, fails with
        ``VersionConflictError`` if someone changed it since that version."""
        return cast(Feature, self._update(_FEATURES, name, changes, expected_version))

    def archive_feature(self, name: str) -> Feature:
        """Archives a feature (a new version; history is kept)."""
        return cast(Feature, self._archive(_FEATURES, name))

    def restore_feature(self, name: str) -> Feature:
        """Restores an archived feature (a new version)."""
        return cast(Feature, self._restore(_FEATURES, name))

    def feature_versions(self, name: str) -> List[VersionRecord]:
        """All versions of a feature, oldest first."""
        return cast(List[VersionRecord], self._versions(_FEATURES, name))

    def feature_version(self, name: str, version: int) -> VersionRecord:
        """One version of a feature. Raises ``VersionNotFoundError``."""
        return cast(VersionRecord, self._version(_FEATURES, name, version))

    def diff_feature(self, name: str, from_version: int, to_version: int) -> VersionDiff:
        """Field-level changes between two versions of a feature."""
        return cast(VersionDiff, self._diff(_FEATURES, name, from_version, to_version))

    # ---- entities ----
    def create_entity(self, entity: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> Entity:
        """Registers an entity: ``create_entity(name="usuario", join_key="usuario_id")``."""
        return cast(Entity, self._create(_ENTITIES, _body(entity, fields, "entity")))

    def list_entities(self, include_archived: bool = False) -> List[Entity]:
        """All entities."""
        return cast(List[Entity], self._list(_ENTITIES, {"include_archived": include_archived or None}))

    def get_entity(self, name: str) -> Entity:
        """The current version of an entity. Raises ``EntityNotFoundError``."""
        return cast(Entity, self._get(_ENTITIES, name))

    def update_entity(self, name: str, expected_version: Optional[int] = None, **changes: Any) -> Entity:
        """Changes an entity (``join_key``, ``description``, ``tags``); a new version."""
        return cast(Entity, self._update(_ENTITIES, name, changes, expected_version))

    def archive_entity(self, name: str) -> Entity:
        """Archives an entity."""
        return cast(Entity, self._archive(_ENTITIES, name))

    def restore_entity(self, name: str) -> Entity:
        """Restores an archived entity."""
        return cast(Entity, self._restore(_ENTITIES, name))

    def entity_versions(self, name: str) -> List[VersionRecord]:
        """All versions of an entity, oldest first."""
        return cast(List[VersionRecord], self._versions(_ENTITIES, name))

    def diff_entity(self, name: str, from_version: int, to_version: int) -> VersionDiff:
        """Field-level changes between two versions of an entity."""
        return cast(VersionDiff, self._diff(_ENTITIES, name, from_version, to_version))

    # ---- feature groups ----
    def create_feature_group(self, group: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> FeatureGroup:
        """Registers a feature group: ``create_feature_group(name="demografia", entity="usuario", ttl_seconds=86400)``.

        ``ttl_seconds``: online values older than this are served as ``EXPIRED`` and ignored by
        training joins. ``online=False`` keeps the group out of the online store.
        """
        return cast(FeatureGroup, self._create(_GROUPS, _body(group, fields, "feature group")))

    def list_feature_groups(self, entity: Optional[str] = None, include_archived: bool = False) -> List[FeatureGroup]:
        """Feature groups (with the names of their features), optionally of one entity."""
        return cast(List[FeatureGroup], self._list(_GROUPS, {"entity": entity, "include_archived": include_archived or None}))

    def get_feature_group(self, name: str) -> FeatureGroup:
        """The current version of a group. Raises ``FeatureGroupNotFoundError``."""
        return cast(FeatureGroup, self._get(_GROUPS, name))

    def update_feature_group(self, name: str, expected_version: Optional[int] = None, **changes: Any) -> FeatureGroup:
        """Changes a group (``ttl_seconds``, ``online``, ``description``...); a new version."""
        return cast(FeatureGroup, self._update(_GROUPS, name, changes, expected_version))

    def archive_feature_group(self, name: str) -> FeatureGroup:
        """Archives a group."""
        return cast(FeatureGroup, self._archive(_GROUPS, name))

    def restore_feature_group(self, name: str) -> FeatureGroup:
        """Restores an archived group."""
        return cast(FeatureGroup, self._restore(_GROUPS, name))

    def feature_group_versions(self, name: str) -> List[VersionRecord]:
        """All versions of a group, oldest first."""
        return cast(List[VersionRecord], self._versions(_GROUPS, name))

    def diff_feature_group(self, name: str, from_version: int, to_version: int) -> VersionDiff:
        """Field-level changes between two versions of a group."""
        return cast(VersionDiff, self._diff(_GROUPS, name, from_version, to_version))

    # ---- feature services ----
    def create_feature_service(self, service: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> FeatureService:
        """Registers a feature service (version 1), the set of features a model consumes, like Feast's
        ``FeatureService``: ``create_feature_service(name="fraude_modelo", features=["perfil:idade", "usuario_plano"])``.

        ``features``: ``"group:feature"`` references or feature names, from one or several groups of one
        entity; stored as the registered names, in order. Online and training calls then take
        ``feature_service="fraude_modelo"`` instead of ``entity`` and ``feature_list``.

        Raises ``FeatureNotFoundError``, ``FeatureGroupNotFoundError``, ``ValidationError`` (features of two
        entities, a feature listed twice), ``InvalidNameError``, ``AlreadyExistsError``.
        """
        return cast(FeatureService, self._create(_SERVICES, _body(service, fields, "feature service")))

    def list_feature_services(
        self, entity: Optional[str] = None, feature: Optional[str] = None, include_archived: bool = False
    ) -> List[FeatureService]:
        """Feature services, optionally of one entity or only those that serve ``feature``."""
        params = {"entity": entity, "feature": feature, "include_archived": include_archived or None}
        return cast(List[FeatureService], self._list(_SERVICES, params))

    def get_feature_service(self, name: str) -> FeatureService:
        """The current version of a feature service. Raises ``FeatureServiceNotFoundError``."""
        return cast(FeatureService, self._get(_SERVICES, name))

    def update_feature_service(self, name: str, expected_version: Optional[int] = None, **changes: Any) -> FeatureService:
        """Changes a feature service (``features``, ``description``, ``tags``...); a new version."""
        return cast(FeatureService, self._update(_SERVICES, name, changes, expected_version))

    def archive_feature_service(self, name: str) -> FeatureService:
        """Archives a feature service: it is no longer served (history is kept)."""
        return cast(FeatureService, self._archive(_SERVICES, name))

    def restore_feature_service(self, name: str) -> FeatureService:
        """Restores an archived feature service (a new version)."""
        return cast(FeatureService, self._restore(_SERVICES, name))

    def feature_service_versions(self, name: str) -> List[VersionRecord]:
        """All versions of a feature service, oldest first."""
        return cast(List[VersionRecord], self._versions(_SERVICES, name))

    def diff_feature_service(self, name: str, from_version: int, to_version: int) -> VersionDiff:
        """Field-level changes between two versions of a feature service."""
        return cast(VersionDiff, self._diff(_SERVICES, name, from_version, to_version))

    # ---- audit ----
    def audit(
        self,
        kind: Optional[str] = None,
        name: Optional[str] = None,
        actor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> List[AuditEvent]:
        """Audit events, newest first; ``kind`` is ``entity``, ``feature_group``, ``feature``, ``feature_service``..."""
        params = {"kind": kind, "name": name, "actor": actor, "limit": limit}
        return cast(List[AuditEvent], self._http.json("GET", "/api/audit", idempotent=True, params=params))


def _q(name: str) -> str:
    return quote(str(name), safe="")
