"""The one exception type the harness maps to exit code 2 (bad input or a broken environment)."""
from __future__ import annotations


class ZacperfError(Exception):
    """A problem the user must fix: bad scenario, missing tool, refused baseline. Printed as one line."""


class BackendUnavailable(ZacperfError):
    """The chosen backend cannot run here (no `lean` CLI, no Docker, pylean without --metrics-json)."""
