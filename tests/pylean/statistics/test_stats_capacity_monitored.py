"""CapacityEstimate keeps a `monitored` flag on each symbol instead of searching its monitored list per fill:
random fills, steps and snapshots (symbols leaving after 30 days uninvested included) keep the flag equal to
list membership and give the capacity figures of the list-search rule."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.statistics import capacity as cap

T0 = datetime(2025, 10, 1, 14, 0)


class _ListSearch(cap.CapacityEstimate):
    """on_fill as Lean writes it: add the symbol to the monitored list unless the list holds it."""

    def on_fill(self, symbol, utc_time, fill_value):  # type: ignore[override]
        capacity = self._by_symbol.get(symbol)
        if capacity is None:
            capacity = cap._SymbolCapacity(symbol)
            self._by_symbol.add(capacity)
        capacity.on_fill(utc_time, fill_value)
        if capacity not in self._monitored:
            self._monitored.append(capacity)


_steps = st.lists(st.tuples(st.integers(min_value=1, max_value=60 * 24 * 12),             # minutes to the next step
                            st.sampled_from(["A", "B", "C", None]),                      # the symbol filled, if any
                            st.integers(min_value=1, max_value=500_000),                 # volume
                            st.booleans()),                                              # A and B still held
                  min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(_steps)
def test_monitored_flag_follows_the_list(steps):
    fast, slow = cap.CapacityEstimate(T0, T0 + timedelta(days=60)), _ListSearch(T0, T0 + timedelta(days=60))
    now = T0
    for minutes, filled, volume, held in steps:
        now += timedelta(minutes=minutes)
        bar = cap.CapacityBar(timedelta(minutes=1), now, Decimal("101.25"), Decimal(volume))

        def holdings(symbol: str) -> Decimal:
            return Decimal(1000) if held and symbol != "C" else Decimal(0)

        for estimate in (fast, slow):
            if filled is not None:
                estimate.on_fill(filled, now, Decimal(volume))
            estimate.on_step(now, lambda _symbol: bar, holdings, Decimal(100_000))
        listed = [id(c) for c in fast._monitored]
        assert len(listed) == len(set(listed))
        assert sorted(id(c) for c in fast._by_symbol.values() if c.monitored) == sorted(listed)
        assert [c.symbol for c in fast._monitored] == [c.symbol for c in slow._monitored]
        assert (fast.capacity, fast.lowest_capacity_asset) == (slow.capacity, slow.lowest_capacity_asset)
