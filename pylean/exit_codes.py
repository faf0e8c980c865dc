"""The engine's exit codes (the subset of the project's table in README.md "Exit codes" that pylean uses).

zacperf/exit_codes.py holds the whole table for the harness, the profiler and the sweep; pylean does
not import zacperf, so the shared values are repeated here and a test checks that both agree.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0                # the backtest completed
    BAD_INPUT = 2         # a file, folder, option or value the user must fix (one line on stderr)
    ALGORITHM_ERROR = 3   # the algorithm's own code raised (status RuntimeError, traceback in the log)
    ENGINE_FAULT = 5      # a bug inside pylean itself (status RuntimeError, traceback in the log)
    INTERRUPTED = 130     # SIGINT or SIGTERM (status Stopped)


DESCRIPTIONS = {
    ExitCode.OK: "completed",
    ExitCode.BAD_INPUT: "bad input: a data file, folder, option or value to fix (one line on stderr)",
    ExitCode.ALGORITHM_ERROR: "the algorithm raised (status RuntimeError, traceback in <id>-log.txt)",
    ExitCode.ENGINE_FAULT: "a fault inside pylean itself (status RuntimeError, traceback in <id>-log.txt)",
    ExitCode.INTERRUPTED: "interrupted by SIGINT or SIGTERM (status Stopped)",
}
