"""The .NET side of a Lean project's imports: `import clr`, `from System... import`, `from QuantConnect... import`.

In Lean these names come from pythonnet's view of the C# assemblies; pylean maps them onto its own classes
(see namespaces.py) for the duration of a run.
"""
from pylean.dotnet.namespaces import dotnet_imports

__all__ = ["dotnet_imports"]
