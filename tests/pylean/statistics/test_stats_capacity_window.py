"""SymbolCapacity's window test makes the average dollar volume only when the window's bounds (5 or 1 minutes
at least, 120 at most) do not decide alone: the state after every step equals the always-compute rule."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.statistics import capacity as cap
from pylean.statistics.dotnet import decimal_to_double, net_div

T0 = datetime(2025, 10, 1, 14, 0)


class _AlwaysComputed(cap._SymbolCapacity):
    """The rule as Lean writes it: the average and k at every monitored step."""

    def _include(self, resolution, now, bar, previous_time, previous_volume):  # type: ignore[override]
        average = self._average_dollar_volume(now, bar, previous_time, previous_volume)
        fill = self.previous_fill
        if fill is None or resolution in ("hour", "daily"):
            return super()._include(resolution, now, bar, previous_time, previous_volume)
        fine = resolution in ("tick", "second")
        scale = cap._DOLLAR_VOLUME_SCALE // 60 if fine else cap._DOLLAR_VOLUME_SCALE
        k = net_div(Decimal(scale), average) if average != 0 else Decimal(10)
        minutes = 120 if k > 120 else int(max(5.0 if fine else 1.0, decimal_to_double(k)))
        return now <= fill + timedelta(minutes=minutes)


_steps = st.lists(st.tuples(st.integers(min_value=1, max_value=900),                     # seconds to the next bar
                            st.decimals(min_value=Decimal("0.01"), max_value=Decimal(3000), places=4),
                            st.integers(min_value=0, max_value=500_000),                 # volume
                            st.booleans()),                                              # a fill before the bar
                  min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(_steps, st.sampled_from([timedelta(seconds=1), timedelta(minutes=1)]))
def test_lazy_window_equals_the_always_computed_one(steps, period):
    fast, slow = cap._SymbolCapacity("X"), _AlwaysComputed("X")
    now = T0
    for gap, close, volume, fill in steps:
        now += timedelta(seconds=gap)
        if fill:
            for c in (fast, slow):
                c.on_fill(now, close * 10)
        bar = cap.CapacityBar(period, now, close, Decimal(volume))
        assert fast.update_market_capacity(now, bar) == slow.update_market_capacity(now, bar)
        assert vars(fast) == vars(slow)
