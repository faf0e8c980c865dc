"""Exit codes of the nightly job, batches and sweeps (see the exit-code table in the README).

A private copy of the project's agreed table, kept here until the shared exit-code module lands;
the values must not change.
"""
from __future__ import annotations

OK = 0
DIVERGENT = 1            # golden parity or flag parity failed
BAD_INPUT = 2
ALGORITHM_ERROR = 3
PERF_REGRESSION = 4
ENGINE_FAULT = 5
INTERRUPTED = 130

# when several outcomes occur in one job, the first in this list decides the exit code
PRECEDENCE = (BAD_INPUT, DIVERGENT, ALGORITHM_ERROR, ENGINE_FAULT, PERF_REGRESSION, OK)


def worst(codes: list[int]) -> int:
    """The code that decides a job made of several outcomes (OK when there are none)."""
    present = set(codes)
    for code in PRECEDENCE:
        if code in present:
            return code
    return max(present) if present else OK
