"""Python modules that Lean ships in its Common/ folder and algorithms import by path, answered by pylean's
own implementations: `from Orders.Slippage.VolumeShareSlippageModel import VolumeShareSlippageModel`.

The finder sits at the end of sys.meta_path: a project's own module of the same name always wins."""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

# module name -> the names it provides, as (attribute, "module:attribute" of pylean's implementation)
_MODULES: dict[str, dict[str, str]] = {
    "Orders": {},
    "Orders.Slippage": {},
    "Orders.Slippage.VolumeShareSlippageModel": {
        "VolumeShareSlippageModel": "pylean.orders.slippage_models:VolumeShareSlippageModel"},
}


class _LeanCommonFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _MODULES:
            return None
        is_package = any(name.startswith(fullname + ".") for name in _MODULES)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=is_package)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        for attribute, target in _MODULES[module.__name__].items():
            source, _, name = target.partition(":")
            setattr(module, attribute, getattr(importlib.import_module(source), name))


def install() -> None:
    if not any(isinstance(finder, _LeanCommonFinder) for finder in sys.meta_path):
        sys.meta_path.append(_LeanCommonFinder())


install()
