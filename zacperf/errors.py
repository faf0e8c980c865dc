"""The exceptions zacperf maps to exit codes (zacperf/exit_codes.py); each is printed as one line."""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class ZacperfError(Exception):
    """A problem the user must fix: bad scenario, missing tool, refused baseline. Printed as one line (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class BackendUnavailable(ZacperfError):
    """The chosen backend cannot run here (no `lean` CLI, no Docker, pylean without --metrics-json)."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or SIGINT) as an exception, so that `finally` blocks run; a KeyboardInterrupt, so that
    `except Exception` cannot swallow it."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"interrupted by {self.signal_name}")


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within: SIGTERM raises Interrupted, as SIGINT raises KeyboardInterrupt (main thread only)."""
    def handler(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while a run folder or baseline is written (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
