"""The Python names Lean's AlgorithmImports.py brings into scope besides Lean's types (Common/AlgorithmImports.py):
`os`, `sys`, `json`, `pd`, `plt`, `AddReference`, typing's names (`List`, `Dict`, `Optional`, ...) and Python's
own `Exception` (restored after `from System import *`); `math` and `np` come from pylean's AlgorithmImports.
Lean projects use them without importing them.
"""
# ruff: noqa: F401, F403  (this module exists to re-export names)
from __future__ import annotations

import json
import os
import sys
import typing
from builtins import Exception
from importlib import import_module
from types import ModuleType
from typing import *
from typing import Any

from pylean.dotnet.clr import AddReference


class _LazyModule(ModuleType):
    """`pd`: pandas is imported on first use, so a run that never touches it does not pay its import time."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._target: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if self._target is None:
            self._target = import_module(self.__name__)
        return getattr(self._target, attribute)


pd = _LazyModule("pandas")
plt = _LazyModule("matplotlib.pyplot")

__all__ = ["AddReference", "Exception", "json", "os", "pd", "plt", "sys", *typing.__all__]
