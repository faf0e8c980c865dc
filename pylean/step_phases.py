"""Where a time step's engine time goes (ours; Lean's nearest is the PerformanceTrackingTool's slice figures).

The profiler's split of the summed step time (pylean/algorithm_clock.py defines step and algorithm time):

* data and slices: building the Slice and the bars handed to consolidators;
* consolidator updates: feeding and scanning consolidators (Lean's steps 2 and 14);
* indicator updates: registered indicators updated from their consolidators;
* scheduled-event dispatch: finding and firing due events (steps 1 and 9);
* order processing and fills: the transaction passes (steps 8 and 17), fills included;
* algorithm callbacks: the algorithm time of the same steps;
* other engine work: the rest of the step time (cursor, warm-up, results sampling, capacity, the loop itself).

Each named phase is timed exclusively: the project's code it calls (a consolidator handler, a scheduled
callback) is algorithm time, and a phase nested in another (an indicator update inside a consolidator update)
counts once, for the inner phase. A phase entered from the project's code (the algorithm submits an order)
is algorithm time already and is not counted again. So the parts add up to the step time by construction,
and "other" is what no named phase and no callback claimed.

Like the algorithm clock, phases are wrapped once, where the engine binds its collaborators or registers an
indicator, and only while a recorder is installed: without one `phased` returns the callable itself and an
ordinary run pays nothing.
"""
from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, Iterator

from pylean.algorithm_clock import AlgorithmClock

PHASES = ("data_and_slices", "consolidator_updates", "indicator_updates", "scheduled_events", "order_processing")
DATA, CONSOLIDATORS, INDICATORS, SCHEDULED, ORDERS = range(len(PHASES))
OTHER, ALGORITHM = "other_engine", "algorithm_callbacks"


class StepPhases:
    """Exclusive nanoseconds per phase, added up while `counting` (the engine's time loop)."""

    __slots__ = ("clock", "totals_ns", "calls", "counting", "_nested_ns")

    def __init__(self, clock: AlgorithmClock) -> None:
        self.clock = clock
        self.totals_ns = [0] * len(PHASES)
        self.calls = [0] * len(PHASES)
        self.counting = False     # indicators are warmed up during initialize: only the time loop counts
        self._nested_ns = [0]

    def timed(self, phase: int, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn` with its own engine time added to `phase` (its callbacks and inner phases subtracted)."""
        clock, now, totals, calls = self.clock, time.perf_counter_ns, self.totals_ns, self.calls
        nested = self._nested_ns  # engine time of the phases that ran inside the open one (a 1-list: shared)

        def phased_call(*args: Any, **kwargs: Any) -> Any:
            if clock.depth or not self.counting:   # inside the project's code: algorithm time already
                return fn(*args, **kwargs)
            outer_nested = nested[0]
            nested[0] = 0
            algorithm_before = clock.step_ns
            started = now()
            try:
                return fn(*args, **kwargs)
            finally:
                engine_ns = now() - started - (clock.step_ns - algorithm_before)
                totals[phase] += engine_ns - nested[0]
                calls[phase] += 1
                nested[0] = outer_nested + engine_ns

        return phased_call

    def split(self, step_ns: int, algorithm_ns: int) -> dict[str, Any]:
        """Seconds per part of the summed step time; the parts add up to `step_ns`."""
        named = dict(zip(PHASES, self.totals_ns))
        other = step_ns - sum(named.values()) - algorithm_ns
        parts = {**named, OTHER: other, ALGORITHM: algorithm_ns}
        return {"step_time_s": step_ns / 1e9, "parts_s": {name: ns / 1e9 for name, ns in parts.items()},
                "calls": dict(zip(PHASES, self.calls))}


# ----------------------------------------------------------------------------- the recording run
_recording: StepPhases | None = None


@contextlib.contextmanager
def recording(phases: StepPhases | None) -> Iterator[None]:
    """Engine collaborators bound inside this block are timed by `phases` (nothing changes when it is None)."""
    global _recording
    saved, _recording = _recording, phases
    try:
        yield
    finally:
        _recording = saved


def phased(phase: int, fn: Callable[..., Any]) -> Callable[..., Any]:
    """At binding time: `fn` timed as `phase` when a recorder is installed, else `fn` itself."""
    phases = _recording
    return fn if phases is None else phases.timed(phase, fn)
