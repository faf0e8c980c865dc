"""What `import clr` gives a Lean project (pythonnet's clr module): the calls Lean projects make are harmless here.

AddReference loads an assembly in Lean; pylean's classes are always loaded, so it only has to accept the call.
GetClrType answers the Python class itself, which is what pylean's APIs take where Lean takes a System.Type.
"""
from __future__ import annotations

from typing import Any


def AddReference(name: str) -> None:  # noqa: N802 - pythonnet's name
    """Accepted and ignored: every namespace pylean provides is always available."""


def GetClrType(python_type: Any) -> Any:  # noqa: N802 - pythonnet's name
    return python_type


def clrmethod(*args: Any, **kwargs: Any) -> Any:
    """pythonnet's decorator exposing a method to .NET; in pylean the method is already callable as it is."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda method: method


add_reference = AddReference
get_clr_type = GetClrType
