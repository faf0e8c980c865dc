"""A module imported on first use: Lean's AlgorithmImports gives `pd` (pandas), which most algorithms never touch
and which costs pylean's start-up a noticeable import when loaded eagerly."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    def __init__(self, name: str) -> None:
        self.__dict__["_pylean_name"] = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self.__dict__["_pylean_name"])

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._module(), attribute)

    def __dir__(self) -> list[str]:
        return dir(self._module())

    def __repr__(self) -> str:
        return repr(self._module())


pd = LazyModule("pandas")
