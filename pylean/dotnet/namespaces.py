"""Lean's .NET namespaces as importable modules, for one run: `from QuantConnect.Orders.Fills import FillModel`.

Every `QuantConnect.*` namespace answers any name pylean's AlgorithmImports exports (pylean keeps one flat
API rather than Lean's C# namespace tree), `System` and `System.Collections.Generic` answer the .NET types
Lean projects use, and `clr` accepts pythonnet's calls. The finder goes first on sys.meta_path while a run
is on, so it wins over quantconnect-stubs, whose packages of the same names only work inside Lean.

Lean also ships a few of its models as Python modules beside its assemblies (Common/Orders/Slippage/
VolumeShareSlippageModel.py is imported as `Orders.Slippage.VolumeShareSlippageModel`); those names are
answered last, only when nothing on sys.path (the project, a Lean checkout) provides them.
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType

DOTNET_ROOTS = frozenset({"QuantConnect", "System", "clr"})
# Lean's Python files in Common/, importable by module path; each exports the class of its file name
LEAN_COMMON_MODULES = frozenset({"Orders", "Orders.Slippage", "Orders.Slippage.VolumeShareSlippageModel"})


def _algorithm_api() -> dict[str, object]:
    """pylean's Lean classes and functions (not the Python modules AlgorithmImports also re-exports)."""
    from pylean import algorithm_imports

    return {name: value for name, value in vars(algorithm_imports).items()
            if not name.startswith("_") and not isinstance(value, ModuleType)
            and getattr(value, "__module__", "").startswith("pylean")}


def _namespace_contents(fullname: str) -> dict[str, object]:
    if fullname == "clr":
        from pylean.dotnet import clr
        return {name: getattr(clr, name) for name in dir(clr) if not name.startswith("_") and name != "annotations"
                and callable(getattr(clr, name))}
    if fullname == "System":
        from pylean.dotnet import system
        return {name: getattr(system, name) for name in system.__all__}
    if fullname == "System.Collections.Generic":
        from pylean.dotnet import collections_generic
        return {name: getattr(collections_generic, name) for name in collections_generic.__all__}
    if fullname.startswith("System."):
        return {}
    if fullname.startswith("QuantConnect") or fullname in LEAN_COMMON_MODULES:
        return _algorithm_api()
    return {}


class _NamespaceLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        contents = _namespace_contents(module.__name__)
        vars(module).update(contents)
        module.__all__ = sorted(contents)  # type: ignore[attr-defined]


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, handles: Callable[[str], bool]) -> None:
        self._handles = handles
        self._loader = _NamespaceLoader()

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if not self._handles(fullname):
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self._loader, is_package=True)
        spec.submodule_search_locations = []  # a package: its sub-namespaces are found by this finder too
        return spec


def is_dotnet_namespace(fullname: str) -> bool:
    return fullname.split(".", 1)[0] in DOTNET_ROOTS


@contextlib.contextmanager
def dotnet_imports() -> Iterator[None]:
    """For one run: .NET namespaces import from pylean; modules the run imported from them are dropped after."""
    first, last = _Finder(is_dotnet_namespace), _Finder(LEAN_COMMON_MODULES.__contains__)
    shadowed = {name: module for name, module in sys.modules.items() if _ours(name)}
    for name in shadowed:  # e.g. the stubs' QuantConnect package imported by a type checker in this process
        del sys.modules[name]
    sys.meta_path.insert(0, first)
    sys.meta_path.append(last)
    try:
        yield
    finally:
        sys.meta_path.remove(first)
        sys.meta_path.remove(last)
        for name in [name for name in sys.modules if _ours(name)]:
            del sys.modules[name]
        sys.modules.update(shadowed)


def _ours(name: str) -> bool:
    return is_dotnet_namespace(name) or name in LEAN_COMMON_MODULES
