"""Result processing on the time slices that carry only universe data.

Lean's synchronizer emits a time slice for every universe selection (TimeSlice.UniverseData is not empty), even
when it holds no market data. The algorithm manager runs it through the whole loop, so
BacktestingResultHandler.ProcessSynchronousEvents runs at the selection time too: the portfolio value is
updated, the equity is sampled if the resample period has passed and the capacity estimate takes its step
(UpdateMarketCapacity: no bars in that slice, but a due snapshot is taken right there, before the next bars
add their volume). The universe manager runs the selections; this module steps the results at each of them.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

_ONE_TICK = timedelta(microseconds=1)


def advance_universes(universes: Any, until: datetime, engine: Any,
                      on_selection_slice: Callable[[datetime], None]) -> None:
    """`universes.advance(until, engine)`, one selection time at a time, calling `on_selection_slice(time)`
    after each (Lean: that slice's ProcessSynchronousEvents)."""
    end = universes.end if universes.end is not None else until
    while True:
        when = universes.next_selection_time()
        if when is None or when >= until or when > end or engine.rt.quit_requested:
            return
        universes.advance(when + _ONE_TICK, engine)  # exactly the selections due at `when`
        on_selection_slice(when)
