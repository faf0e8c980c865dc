"""Run one engine process and measure it: wall time, the process's own peak RSS, an RSS series.

Every measured run is a fresh subprocess (no module state leaks between runs). Peak RSS is the
engine process's own ru_maxrss, collected by a tiny launch shim (`_spawn.py`) that forks the
engine and wait4()s it: started directly from the harness, a child's ru_maxrss would begin at the
harness's RSS (Linux keeps the pre-exec high-water mark), i.e. the wrong process's memory (R-1).
An RSS series is sampled every `sample_s` for leak spotting (R-17). The shim gets its own
session, so a timeout stops the engine and everything it started, and nothing else.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zacperf.errors import ZacperfError


@dataclass
class ProcessStats:
    exit_code: int
    wall_s: float
    peak_rss_bytes: int | None
    peak_rss_source: str
    rss_samples: list[tuple[float, int]] = field(default_factory=list)
    timed_out: bool = False
    cpu_s: float | None = None       # user + system CPU seconds of the engine process (launch shim), else None

    def memory(self) -> dict[str, object]:
        return {"peak_rss_bytes": self.peak_rss_bytes, "source": self.peak_rss_source,
                "samples": [[round(t, 2), b] for t, b in _thin(self.rss_samples, 600)], "cpu_s": self.cpu_s}


def _thin(samples: list[tuple[float, int]], limit: int) -> list[tuple[float, int]]:
    if len(samples) <= limit:
        return samples
    step = len(samples) / limit
    return [samples[int(i * step)] for i in range(limit)] + [samples[-1]]


def _maxrss_bytes(ru_maxrss: int) -> int:
    return int(ru_maxrss) if sys.platform == "darwin" else int(ru_maxrss) * 1024


def run_measured(command: Sequence[str], stdout_path: Path, stderr_path: Path, *, cwd: Path | None = None,
                 env: Mapping[str, str] | None = None, timeout_s: float = 3600.0, sample_s: float = 0.5,
                 on_tick: Callable[[float], None] | None = None,
                 extra_sampler: Callable[[], int | None] | None = None) -> ProcessStats:
    """Run `command` to completion with stdout/stderr in files; measure it."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        psutil = None  # type: ignore[assignment]
    usage_file = Path(stderr_path).with_name(f".{Path(stderr_path).name}.rusage")
    shimmed = hasattr(os, "fork")
    argv = ([sys.executable, "-I", "-S", str(SHIM), str(usage_file), "--", *command] if shimmed else list(command))
    if shimmed and shutil.which(command[0]) is None and not Path(command[0]).is_file():
        raise ZacperfError(f"cannot start {command[0]}: not found")
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    cwd=str(cwd) if cwd else None, env=dict(env) if env is not None else None,
                                    start_new_session=True)
        except FileNotFoundError as exc:
            raise ZacperfError(f"cannot start {command[0]}: not found") from exc
        done: dict[str, object] = {}

        def wait() -> None:
            done["code"] = proc.wait()
            done["end"] = time.perf_counter()

        waiter = threading.Thread(target=wait, name="zacperf-wait", daemon=True)
        waiter.start()
        samples: list[tuple[float, int]] = []
        handle = psutil.Process(proc.pid) if psutil is not None else None
        engine_handle = None
        external_peak: int | None = None
        timed_out = False
        try:
            while waiter.is_alive():
                waiter.join(sample_s)
                elapsed = time.perf_counter() - started
                if not waiter.is_alive():
                    break
                if handle is not None:
                    try:
                        if engine_handle is None:
                            children = handle.children() if shimmed else [handle]
                            engine_handle = children[0] if children else None
                        if engine_handle is not None:
                            samples.append((elapsed, int(engine_handle.memory_info().rss)))
                    except Exception:  # noqa: BLE001,S110 - the process may be exiting (NoSuchProcess, zombie)
                        pass
                if extra_sampler is not None:
                    value = extra_sampler()
                    if value is not None:
                        external_peak = max(external_peak or 0, value)
                        samples.append((elapsed, int(value)))
                if on_tick is not None:
                    on_tick(elapsed)
                if elapsed > timeout_s:
                    timed_out = True
                    _stop_group(proc.pid)
                    waiter.join(30)
                    break
        except KeyboardInterrupt:                  # Ctrl-C reaches only the harness: stop the run too
            _stop_group(proc.pid)
            raise
        waiter.join()
    wall = float(done.get("end", time.perf_counter())) - started   # type: ignore[arg-type]
    if extra_sampler is not None:                                  # a sample taken after the last tick
        value = extra_sampler()
        if value is not None:
            external_peak = max(external_peak or 0, value)
    if extra_sampler is not None:
        peak, source = external_peak, "docker stats (engine container)"
    elif shimmed and _read_usage(usage_file) is not None:
        peak, source = _read_usage(usage_file), "ru_maxrss of the engine process (launch shim)"
    else:  # pragma: no cover - no fork (Windows), or the shim was killed
        peak, source = (max((b for _, b in samples), default=None), "psutil samples (coarse)")
    cpu_s = _read_cpu(usage_file) if shimmed else None
    usage_file.unlink(missing_ok=True)
    code = int(done.get("code", -9))  # type: ignore[call-overload]
    return ProcessStats(exit_code=code, wall_s=wall, peak_rss_bytes=peak, peak_rss_source=source,
                        rss_samples=samples, timed_out=timed_out, cpu_s=cpu_s)


SHIM = Path(__file__).with_name("_spawn.py")


def _read_usage(path: Path) -> int | None:
    try:
        return _maxrss_bytes(int(path.read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None


def _read_cpu(path: Path) -> float | None:
    """utime + stime from the shim's "maxrss utime stime" line."""
    try:
        _, user, system = path.read_text().split()[:3]
        return round(float(user) + float(system), 6)
    except (OSError, ValueError):
        return None


def _stop_group(pid: int, grace_s: float = 10.0) -> None:
    """Stop the run's own process group (it was started in a new session): TERM, then KILL after a grace
    period in which pylean writes its result files with status Stopped."""
    try:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            time.sleep(0.1)
            os.killpg(pid, 0)       # ProcessLookupError once the whole group is gone
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except OSError:  # pragma: no cover
        pass
