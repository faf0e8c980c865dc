"""CapacityEstimate's per-symbol `monitored` flag (tested at each fill instead of scanning the list) always
says whether the symbol is in the monitored list, through fills, monitored steps, snapshots and removals;
the fast-trading discount remembered by the gap equals the one worked out from its ticks."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.statistics import capacity as cap
from pylean.statistics.dotnet import timedelta_ticks

T0 = datetime(2025, 10, 1, 14, 0)
SYMBOLS = ["A", "B", "C"]

_events = st.lists(st.tuples(st.integers(min_value=0, max_value=3 * 24 * 3600),  # seconds to the event
                             st.sampled_from(SYMBOLS), st.booleans(),             # a fill, else a step
                             st.integers(min_value=0, max_value=400_000),         # the bar's volume
                             st.booleans()),                                      # the symbol is held
                   min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(_events, st.integers(min_value=2, max_value=40))
def test_the_monitored_flag_is_membership_of_the_monitored_list(events, days):
    estimate = cap.CapacityEstimate(T0, T0 + timedelta(days=days))
    held: set[str] = set()
    seen: dict[int, cap._SymbolCapacity] = {}
    now = T0
    for gap, symbol, fill, volume, hold in events:
        now += timedelta(seconds=gap)
        (held.add if hold else held.discard)(symbol)
        if fill:
            estimate.on_fill(symbol, now, Decimal("1234.5"))
        else:
            bar = cap.CapacityBar(timedelta(minutes=1), now, Decimal("10.25"), Decimal(volume))
            estimate.on_step(now, lambda _s: bar, lambda s: Decimal(100) if s in held else Decimal(0),
                             Decimal(100_000))
        for c in estimate._by_symbol.values():
            seen[id(c)] = c
        monitored = [id(c) for c in estimate._monitored]
        assert len(monitored) == len(set(monitored))
        for key, c in seen.items():
            assert c.monitored == (key in monitored)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_the_discount_remembered_by_the_gap_is_the_one_of_its_ticks(gap):
    assert cap._fast_trading_discount(T0 + gap, T0) == cap._discount_of_ticks(timedelta_ticks(gap))
