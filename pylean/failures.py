"""How a backtest ended when it did not complete: Lean's status, pylean's exit code, one line for stderr.

Lean ends a failed algorithm with status RuntimeError and an interrupted one with Stopped. pylean
also tells the user *whose* fault it was: bad data (exit 2), the algorithm's own code (exit 3) or
pylean itself (exit 5). The algorithm's code is any frame in a file under the project folder.
"""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pylean.data.errors import LeanDataError
from pylean.exit_codes import ExitCode


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM; a KeyboardInterrupt so that an algorithm's `except Exception` cannot swallow it."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"interrupted by {self.signal_name}")


@dataclass(frozen=True)
class Failure:
    status: str        # Lean's state.Status: "RuntimeError" or "Stopped"
    exit_code: ExitCode
    line: str          # the one line printed on stderr
    trace: str         # the full traceback, for the logs and state.StackTrace


def classify(exc: BaseException, project_dir: Path) -> Failure:
    """The Failure of a run that raised `exc` (called from inside the `except` block)."""
    trace = traceback.format_exc()
    if isinstance(exc, KeyboardInterrupt):
        name = getattr(exc, "signal_name", "SIGINT")
        return Failure("Stopped", ExitCode.INTERRUPTED, f"interrupted by {name}; the run was stopped", trace)
    data_error = _data_error(exc)
    if data_error is not None:
        return Failure("RuntimeError", ExitCode.BAD_INPUT, one_line(str(data_error)), trace)
    where = _user_frame(exc, project_dir)
    if where is not None:
        return Failure("RuntimeError", ExitCode.ALGORITHM_ERROR,
                       f"algorithm error: {type(exc).__name__}: {one_line(str(exc))} (at {where})", trace)
    return Failure("RuntimeError", ExitCode.ENGINE_FAULT,
                   f"internal error in pylean: {type(exc).__name__}: {one_line(str(exc))} "
                   f"(at {_innermost(exc)}; a bug, please report it)", trace)


def one_line(text: str) -> str:
    return " ".join(str(text).split()) or "(no message)"


def _data_error(exc: BaseException) -> LeanDataError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, LeanDataError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _user_frame(exc: BaseException, project_dir: Path) -> str | None:
    """file:line of the innermost frame inside the project (the algorithm's code), if any."""
    root = project_dir.resolve()
    if isinstance(exc, SyntaxError) and exc.filename and _inside(Path(exc.filename), root):
        return f"{Path(exc.filename).name}:{exc.lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if _inside(Path(frame.filename), root):
            return f"{Path(frame.filename).relative_to(root)}:{frame.lineno} in {frame.name}"
    return None


_PYLEAN = Path(__file__).resolve().parent


def _inside(path: Path, root: Path) -> bool:
    try:
        resolved = path.resolve()
    except OSError:
        return False
    return resolved.is_relative_to(root) and not resolved.is_relative_to(_PYLEAN)


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while results, run folders or baselines are written (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def unwritable(folder: Path) -> str | None:
    """Why no new file can be made in `folder` (its nearest existing folder is probed, nothing is left behind),
    as the end of a sentence naming it; None when one can."""
    probe_dir = folder
    while not probe_dir.exists() and probe_dir.parent != probe_dir:
        probe_dir = probe_dir.parent
    if not probe_dir.is_dir():
        return f": {probe_dir} is not a folder"
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=probe_dir)
    except OSError as exc:
        return f" is not writable ({exc.strerror or exc})"
    os.close(fd)
    os.unlink(probe)
    return None


@contextlib.contextmanager
def signals_raise(*signums: int) -> Iterator[None]:
    """Within: the first of `signums` (default SIGINT and SIGTERM) to arrive raises Interrupted, so `finally` blocks
    run and the run ends with status Stopped (main thread only). Later ones are ignored until the block ends: a
    stop often comes twice (the harness signals the run's process group, and its launch shim forwards the same
    signal), and a second Interrupted inside the clean-up would lose the result files."""
    chosen = signums or (signal.SIGINT, signal.SIGTERM)

    def handler(signum: int, _frame: object) -> None:
        for sig in chosen:
            signal.signal(sig, signal.SIG_IGN)
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, handler) for sig in chosen}
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)
