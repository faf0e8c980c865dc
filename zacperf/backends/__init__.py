"""Engine backends: each runs one backtest as a fresh subprocess into a Lean-layout folder."""
from __future__ import annotations

from zacperf.backends.base import Backend, RunOutcome, RunRequest
from zacperf.errors import ZacperfError

BACKENDS = ("pylean", "lean")


def get_backend(name: str) -> Backend:
    if name == "pylean":
        from zacperf.backends.pylean import PyleanBackend
        return PyleanBackend()
    if name == "lean":
        from zacperf.backends.lean_cli import LeanCliBackend
        return LeanCliBackend()
    raise ZacperfError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Backend", "RunOutcome", "RunRequest", "get_backend"]
