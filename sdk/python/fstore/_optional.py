"""pandas and pyarrow are optional (``pip install "fstore-sdk[pandas]"``).

The registry, jobs, monitoring rules and other JSON calls work with ``requests`` alone; what takes
or returns DataFrames (ingestion, training sets, online reads as frames, previews) imports pandas
and pyarrow on first use, and says how to install them when they are missing.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

INSTALL_HINT = 'pip install "fstore-sdk[pandas]"'


class MissingExtraError(ImportError):
    """A DataFrame feature of the SDK was used without pandas/pyarrow installed."""


class LazyModule:
    """A module imported on first attribute access, with an install hint when it is missing."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def _load(self) -> ModuleType:
        if self._module is None:
            try:
                self._module = importlib.import_module(self._name)
            except ImportError as err:
                package = self._name.split(".")[0]
                raise MissingExtraError(
                    f"This part of the FStore SDK reads or returns pandas DataFrames, which needs pandas and pyarrow "
                    f"({package} is not installed): {INSTALL_HINT}"
                ) from err
        return self._module

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._load(), attribute)


def is_dataframe(value: object) -> bool:
    """Whether ``value`` is a pandas DataFrame, without importing pandas (unimported, it cannot be one)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def require_dataframes() -> None:
    """Raises MissingExtraError now, before any request, when pandas or pyarrow is missing."""
    LazyModule("pandas").DataFrame  # noqa: B018 - the attribute access imports the module
    LazyModule("pyarrow").Table  # noqa: B018


def dataframes_available() -> bool:
    """Whether pandas and pyarrow can be imported (the binary online answer needs them)."""
    try:
        require_dataframes()
    except MissingExtraError:
        return False
    return True
