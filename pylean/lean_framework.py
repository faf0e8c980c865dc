"""Lean's own Python framework modules (`Alphas.*`, `Portfolio.*`, `Execution.*`, `Risk.*`, `Selection.*`),
imported in place from a Lean checkout the user points at (`--lean-root DIR` or `$LEAN_ROOT`).

They are Lean's code: pylean never carries a copy. With a checkout, its `Algorithm.Framework` and
`Algorithm.Python` folders go on `sys.path` for the run; without one, importing such a module stops with a
one-line error that says how to point at a checkout.
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

LEAN_ROOT_ENV = "LEAN_ROOT"
FRAMEWORK_PACKAGES = frozenset({"Alphas", "Portfolio", "Execution", "Risk", "Selection"})
FRAMEWORK_FOLDERS = ("Algorithm.Framework", "Algorithm.Python")


class LeanRootError(ValueError):
    """The Lean checkout named by --lean-root / $LEAN_ROOT is not one."""


def resolve_lean_root(explicit: str | os.PathLike[str] | None) -> Path | None:
    """--lean-root, else $LEAN_ROOT, else None; a named folder must hold Lean's Algorithm.Framework."""
    value = explicit if explicit else os.environ.get(LEAN_ROOT_ENV)
    if not value:
        return None
    root = Path(value).expanduser().resolve()
    if not (root / "Algorithm.Framework").is_dir():
        raise LeanRootError(f"not a Lean checkout (no Algorithm.Framework folder): {root}")
    return root


def framework_paths(lean_root: Path) -> list[Path]:
    """The framework and regression folders, then each framework package's own folder: Lean's modules import
    each other by bare name too (`from EqualWeightingPortfolioConstructionModel import ...`)."""
    folders = [lean_root / folder for folder in FRAMEWORK_FOLDERS]
    folders += [lean_root / "Algorithm.Framework" / package for package in sorted(FRAMEWORK_PACKAGES)]
    return [folder for folder in folders if folder.is_dir()]


def missing_framework_message(name: str) -> str:
    return (f"{name} is part of Lean's Python framework, which pylean imports from a Lean checkout: "
            f"pass --lean-root DIR or set {LEAN_ROOT_ENV}=DIR")


def pylean_framework_class(name: str) -> type | None:
    """The class AlgorithmImports gives under `name` (Lean's C# framework classes, written by pylean)."""
    from pylean import algorithm_imports

    found = getattr(algorithm_imports, name, None)
    return found if isinstance(found, type) else None


class _ClassModule(importlib.abc.Loader):
    """`Pkg.Name` for a class Lean has in C# only (no Name.py in the checkout): a module holding pylean's class."""

    def __init__(self, klass: type) -> None:
        self.klass = klass

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        setattr(module, self.klass.__name__, self.klass)


class _NoFramework(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path without a checkout: a framework package nothing else found gets the one-line hint."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if path is None and fullname in FRAMEWORK_PACKAGES:
            raise ModuleNotFoundError(missing_framework_message(fullname), name=fullname)
        return None


class _CSharpFrameworkClasses(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path with a checkout: `from Execution.ImmediateExecutionModel import
    ImmediateExecutionModel` and the like, where Lean has the class in C# only (no such .py in the checkout),
    resolve to pylean's class of that name."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.partition(".")
        if package not in FRAMEWORK_PACKAGES or not name or "." in name:
            return None
        klass = pylean_framework_class(name)
        return importlib.machinery.ModuleSpec(fullname, _ClassModule(klass)) if klass is not None else None


@contextlib.contextmanager
def framework_imports(lean_root: Path | None) -> Iterator[None]:
    """For one run: import the framework from `lean_root`, or explain how to when there is none."""
    finder: importlib.abc.MetaPathFinder = _NoFramework() if lean_root is None else _CSharpFrameworkClasses()
    sys.meta_path.append(finder)
    added = [str(p) for p in framework_paths(lean_root) if str(p) not in sys.path] if lean_root is not None else []
    sys.path.extend(added)  # after the project's own folders: a project module of the same name wins
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for entry in added:
            if entry in sys.path:
                sys.path.remove(entry)
