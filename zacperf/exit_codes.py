"""One exit-code table for pylean, tools/perf_harness.py, scripts/profile_ondata.py and tools/sweep.py.

Documented once, in README.md ("Exit codes"). `exit_code_for(exc)` maps an exception to its code, so
every command line tool ends the same way: `except BaseException as exc: return report(exc, prog)`.
pylean repeats its subset in pylean/exit_codes.py (it must not import zacperf).
"""
from __future__ import annotations

import sys
import traceback
from enum import IntEnum
from typing import TextIO

from zacperf.errors import ZacperfError


class ExitCode(IntEnum):
    OK = 0
    DIVERGENT = 1
    BAD_INPUT = 2
    ALGORITHM_ERROR = 3
    PERF_REGRESSION = 4
    ENGINE_FAULT = 5
    INTERRUPTED = 130


DESCRIPTIONS = {
    ExitCode.OK: "identical to the golden baseline / done",
    ExitCode.DIVERGENT: "divergent: golden or enable_perf_opt parity failed (or repeats disagree)",
    ExitCode.BAD_INPUT: "bad input: a scenario, parameter, data, baseline or output problem to fix (one line on stderr)",
    ExitCode.ALGORITHM_ERROR: "the algorithm's own code raised (status RuntimeError; traceback in the run folder)",
    ExitCode.PERF_REGRESSION: "slower than the stored perf baseline (--check-regression)",
    ExitCode.ENGINE_FAULT: "a bug inside pylean or zacperf itself (traceback in the run folder)",
    ExitCode.INTERRUPTED: "interrupted by SIGINT or SIGTERM (run folder marked Stopped)",
}


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code of a command that ended with `exc`."""
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(exc, ZacperfError):
        return ExitCode(exc.exit_code)
    return ExitCode.ENGINE_FAULT


def from_engine(code: int) -> ExitCode:
    """An engine process's exit status as one of ours (a signal death counts as an interrupt or a fault)."""
    if code in (-2, -15, 130, 143):
        return ExitCode.INTERRUPTED
    try:
        known = ExitCode(code)
    except ValueError:
        return ExitCode.ENGINE_FAULT
    return known if known in (ExitCode.OK, ExitCode.BAD_INPUT, ExitCode.ALGORITHM_ERROR) else ExitCode.ENGINE_FAULT


def worst(codes: list[int]) -> int:
    """The exit code of several runs: an interrupt first, then a fault, bad input, algorithm error, divergence."""
    for code in (ExitCode.INTERRUPTED, ExitCode.ENGINE_FAULT, ExitCode.BAD_INPUT, ExitCode.ALGORITHM_ERROR,
                 ExitCode.PERF_REGRESSION, ExitCode.DIVERGENT):
        if code in codes:
            return int(code)
    return max(codes, default=0)


def report(exc: BaseException, prog: str, stream: TextIO | None = None) -> int:
    """Print the one stderr line of a failed command and return its exit code (a traceback only for faults)."""
    stream = stream or sys.stderr
    code = exit_code_for(exc)
    if code is ExitCode.INTERRUPTED:
        stream.write(f"{prog}: interrupted ({getattr(exc, 'signal_name', 'SIGINT')}); the run was stopped\n")
    elif code is ExitCode.ENGINE_FAULT:
        stream.write("".join(traceback.format_exception(exc)))
        stream.write(f"{prog}: internal error: {type(exc).__name__}: {one_line(str(exc))} (a bug; exit 5)\n")
    else:
        stream.write(f"{prog}: error: {one_line(str(exc))}\n")
    stream.flush()
    return int(code)


def one_line(text: str) -> str:
    return " ".join(text.split()) or "(no message)"
