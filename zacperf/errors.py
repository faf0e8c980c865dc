"""The exceptions zacperf maps to exit codes (zacperf/exit_codes.py); each is printed as one line."""
from __future__ import annotations

import signal
from typing import ContextManager

from pylean.failures import Interrupted, signals_deferred, signals_raise  # noqa: F401 - zacperf's tools use them too


class ZacperfError(Exception):
    """A problem the user must fix: bad scenario, missing tool, refused baseline. Printed as one line (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class BackendUnavailable(ZacperfError):
    """The chosen backend cannot run here (no `lean` CLI, no Docker, pylean without --metrics-json)."""


def sigterm_raises() -> ContextManager[None]:
    """Within: SIGTERM raises Interrupted, as SIGINT raises KeyboardInterrupt (main thread only)."""
    return signals_raise(signal.SIGTERM)
