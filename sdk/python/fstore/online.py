"""``OnlineFeatures``: the answer of an online read, with convenient views."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional


from . import arrow_answer
from .frames import parse_instant, typed_series
from typing import TYPE_CHECKING

from ._optional import LazyModule

# pandas and pyarrow are optional (fstore-sdk[pandas]): imported on first use.
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
else:
    pd = LazyModule("pandas")
    pa = LazyModule("pyarrow")

ValueTypeLookup = Callable[[], Mapping[str, str]]


class OnlineFeatures:
    """Latest feature values for a list of entity keys, as served by ``POST /api/online/features``.

    Each (key, feature) has a ``value``, a ``status`` (``PRESENT``, ``NOT_FOUND`` or ``EXPIRED``:
    older than the group TTL, served as ``None``) and the ``event_timestamp`` of the value.
    Feature names are the requested ones (``idade``), ``resolved_features`` the registered ones
    (``usuario_idade``). Keys keep request order; a key requested twice appears twice in
    ``to_df()`` and once in the dict views.

    Example::

        features = client.get_online_features(entity="usuario", entity_keys=["user_123"], feature_list=["idade"])
        features.to_dict()        # {"user_123": {"idade": 26}}
        features.to_df()          # one row per key: entity_key, idade
        features.statuses         # {"user_123": {"idade": "PRESENT"}}
        features["user_123"]["idade"]

    Built from the JSON answer or from the binary one (``from_arrow``, an Arrow table): every view
    gives the same results either way; from Arrow, ``to_df()`` converts the columns directly.
    """

    def __init__(self, response: Mapping[str, Any], value_types: Optional[ValueTypeLookup] = None) -> None:
        self._raw: Optional[Dict[str, Any]] = dict(response)
        self._table: Optional[pa.Table] = None
        self.entity: str = str(response.get("entity", ""))
        self.resolved_features: List[str] = list(response.get("features") or [])
        results = list(response.get("results") or [])
        self._results_list: Optional[List[Dict[str, Any]]] = results
        first = results[0]["features"] if results else {}
        #: Requested feature names, in request order.
        self.features: List[str] = list(first.keys())
        #: Warnings of the answer (e.g. a requested feature is deprecated).
        self.warnings: List[str] = list(response.get("warnings") or [])
        self._value_types_lookup = value_types
        self._value_types: Optional[Dict[str, str]] = None

    @classmethod
    def from_arrow(cls, table: pa.Table) -> "OnlineFeatures":
        """From the binary answer (``fstore.arrow_answer``): value types come with it, no registry lookup."""
        meta = arrow_answer.metadata_of(table)
        self = cls.__new__(cls)
        self._raw = None
        self._table = table
        self.entity = str(meta["entity"])
        self.resolved_features = list(meta["features"])
        self._results_list = None
        self.features = arrow_answer.requested_features(table)
        self.warnings = list(meta["warnings"])
        self._value_types_lookup = None
        self._value_types = {f: str(meta["value_types"][f]) for f in self.features if f in meta["value_types"]}
        return self

    @property
    def raw(self) -> Dict[str, Any]:
        """The answer as the JSON answer has it (``entity``, ``features``, ``value_types``, ``results``...)."""
        if self._raw is None:
            self._raw = {
                **({"warnings": self.warnings} if self.warnings else {}),
                "entity": self.entity,
                "features": self.resolved_features,
                "value_types": dict(self.value_types),
                "results": self._results,
            }
        return self._raw

    @property
    def table(self) -> Optional[pa.Table]:
        """The Arrow table of a binary answer (``None`` for a JSON one)."""
        return self._table

    @property
    def _results(self) -> List[Dict[str, Any]]:
        if self._results_list is None:
            assert self._table is not None
            self._results_list = arrow_answer.results_of(self._table, self.value_types)
        return self._results_list

    # ---- sizes and iteration ----
    @property
    def entity_keys(self) -> List[str]:
        """The keys, in request order."""
        if self._table is not None:
            return list(self._table.column(0).to_pylist())
        return [r["entity_key"] for r in self._results]

    def __len__(self) -> int:
        return self._table.num_rows if self._table is not None else len(self._results)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entity_keys)

    def __contains__(self, key: object) -> bool:
        return key in self.entity_keys

    def __getitem__(self, key: str) -> Dict[str, Any]:
        """Values of one key: ``{feature: value}``."""
        return {f: v["value"] for f, v in self._row(key).items()}

    def __repr__(self) -> str:
        return f"OnlineFeatures(entity={self.entity!r}, keys={len(self)}, features={self.features!r})"

    # ---- scalar accessors ----
    def value(self, entity_key: str, feature: str) -> Any:
        """The value of one feature for one key (``None`` unless ``PRESENT``)."""
        return self._cell(entity_key, feature)["value"]

    def status(self, entity_key: str, feature: str) -> str:
        """``PRESENT``, ``NOT_FOUND`` or ``EXPIRED``."""
        return str(self._cell(entity_key, feature)["status"])

    def event_timestamp(self, entity_key: str, feature: str) -> Optional[pd.Timestamp]:
        """Event time of the stored value (UTC), ``None`` when there is none."""
        return parse_instant(self._cell(entity_key, feature)["event_timestamp"])

    # ---- dict views ----
    def to_dict(self) -> Dict[str, Dict[str, Any]]:
        """``{entity_key: {feature: value}}``; values not ``PRESENT`` are ``None``."""
        return {r["entity_key"]: {f: v["value"] for f, v in r["features"].items()} for r in self._results}

    @property
    def statuses(self) -> Dict[str, Dict[str, str]]:
        """``{entity_key: {feature: status}}``."""
        return {r["entity_key"]: {f: v["status"] for f, v in r["features"].items()} for r in self._results}

    @property
    def event_timestamps(self) -> Dict[str, Dict[str, Optional[pd.Timestamp]]]:
        """``{entity_key: {feature: event time (UTC) or None}}``."""
        return {
            r["entity_key"]: {f: parse_instant(v["event_timestamp"]) for f, v in r["features"].items()} for r in self._results
        }

    @property
    def all_present(self) -> bool:
        """True when every (key, feature) is ``PRESENT``."""
        return all(v["status"] == "PRESENT" for r in self._results for v in r["features"].values())

    # ---- DataFrame view ----
    @property
    def value_types(self) -> Dict[str, str]:
        """Value type per requested feature (looked up once in the registry, when needed)."""
        if self._value_types is None:
            by_resolved = dict(self._value_types_lookup()) if self._value_types_lookup else {}
            self._value_types = {
                requested: by_resolved[resolved]
                for requested, resolved in zip(self.features, self.resolved_features)
                if resolved in by_resolved
            }
        return self._value_types

    def to_df(self, include_status: bool = False, include_event_timestamp: bool = False) -> pd.DataFrame:
        """One row per requested key (in order): ``entity_key`` then one column per feature.

        Dtypes follow the features' value types, as in training frames (INT ``Int64``, FLOAT
        ``float64``, BOOL ``boolean``, TIMESTAMP UTC datetimes...). ``include_status`` adds
        ``<feature>__status`` columns, ``include_event_timestamp`` ``<feature>__event_timestamp``.
        """
        if self._table is not None:
            return arrow_answer.frame_of(self._table, self.value_types, include_status, include_event_timestamp)
        types = self.value_types if self._results else {}
        columns: Dict[str, pd.Series] = {
            "entity_key": pd.Series(self.entity_keys, name="entity_key", dtype=None if self._results else object)
        }
        for f in self.features:
            cells = [r["features"][f] for r in self._results]
            columns[f] = typed_series([c["value"] for c in cells], types.get(f), f)
            if include_status:
                columns[f"{f}__status"] = pd.Series([c["status"] for c in cells], dtype=object)
            if include_event_timestamp:
                stamps = [c["event_timestamp"] for c in cells]
                columns[f"{f}__event_timestamp"] = typed_series(stamps, "TIMESTAMP", f"{f}__event_timestamp")
        return pd.DataFrame({name: s.reset_index(drop=True) for name, s in columns.items()})

    # ---- internals ----
    def _row(self, key: str) -> Dict[str, Any]:
        for r in self._results:
            if r["entity_key"] == key:
                return dict(r["features"])
        raise KeyError(key)

    def _cell(self, key: str, feature: str) -> Dict[str, Any]:
        row = self._row(key)
        if feature not in row:
            raise KeyError(feature)
        return dict(row[feature])
