"""An identity consolidator whose handlers are all pylean's indicator updates builds each indicator's point
itself (IdentityDataConsolidator._feed): the indicators must end as the plain handler-by-handler path leaves
them, an indicator registered twice is updated twice, and a handler added later is called in its place."""
from __future__ import annotations

from datetime import datetime, timedelta

from consolidators_support import SPY, FakeRuntime, flat
from pylean.algorithm_indicators import _register
from pylean.algorithm_state import state_of
from pylean.consolidators import IdentityDataConsolidator
from pylean.enums import Resolution
from pylean.indicators import ExponentialMovingAverage, SimpleMovingAverage

START = datetime(2013, 10, 7, 9, 30)


class PlainIdentityDataConsolidator(IdentityDataConsolidator):
    """Subclasses take the plain path: the engine calls `_feed` on pylean's exact classes only."""

    __slots__ = ()


class _Algorithm:
    pass


def _run(consolidator_class: type, late_handler: bool) -> tuple[list, list]:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    algorithm = _Algorithm()
    state_of(algorithm).ctx = rt
    consolidator = consolidator_class()
    sma, ema = SimpleMovingAverage(4), ExponentialMovingAverage(3)
    for indicator in (sma, ema, sma):  # the SMA registered twice: two updates a bar
        _register(algorithm, SPY, indicator, consolidator, None)
    calls = []
    manager = rt.subscription_manager
    for i in range(12):
        if late_handler and i == 6:
            consolidator.data_consolidated += lambda sender, bar: calls.append((bar.end_time, sma.samples))
        bar = flat(START + timedelta(seconds=i), 100.0 + (i * 7) % 5 / 4)
        manager.clock = bar.end_time
        manager.feed(config, bar)
    states = [(type(i).__name__, i.samples, i.is_ready, [(p.time, p._value) for p in i.window], i.current.value)
              for i in (sma, ema)]
    return states, calls


def test_direct_point_updates_match_the_handler_path() -> None:
    fast, _ = _run(IdentityDataConsolidator, late_handler=False)
    plain, _ = _run(PlainIdentityDataConsolidator, late_handler=False)
    assert fast == plain
    assert fast[0][1] == 24  # two updates of the SMA a bar


def test_a_handler_added_later_runs_in_order() -> None:
    fast, fast_calls = _run(IdentityDataConsolidator, late_handler=True)
    plain, plain_calls = _run(PlainIdentityDataConsolidator, late_handler=True)
    assert fast == plain and fast_calls == plain_calls
    assert [samples for _, samples in fast_calls] == [14, 16, 18, 20, 22, 24]  # after the indicators' updates
