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
    return [lean_root / folder for folder in FRAMEWORK_FOLDERS if (lean_root / folder).is_dir()]


def missing_framework_message(name: str) -> str:
    return (f"{name} is part of Lean's Python framework, which pylean imports from a Lean checkout: "
            f"pass --lean-root DIR or set {LEAN_ROOT_ENV}=DIR")


class _NoFramework(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: a framework package nothing else found gets the one-line hint."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if path is None and fullname in FRAMEWORK_PACKAGES:
            raise ModuleNotFoundError(missing_framework_message(fullname), name=fullname)
        return None


@contextlib.contextmanager
def framework_imports(lean_root: Path | None) -> Iterator[None]:
    """For one run: import the framework from `lean_root`, or explain how to when there is none."""
    if lean_root is None:
        finder = _NoFramework()
        sys.meta_path.append(finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)
        return
    added = [str(p) for p in framework_paths(lean_root) if str(p) not in sys.path]
    sys.path.extend(added)  # after the project's own folders: a project module of the same name wins
    try:
        yield
    finally:
        for entry in added:
            if entry in sys.path:
                sys.path.remove(entry)
