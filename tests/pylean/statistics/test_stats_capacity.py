"""Hand-worked cases of the estimated strategy capacity (pylean/statistics/capacity.py, spec §4.6)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from pylean.statistics.capacity import CapacityBar, CapacityEstimate
from pylean.statistics.dotnet import decimal_str, round_to_significant_digits

MINUTE = timedelta(minutes=1)


def utc(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2013, 10, d, h, m, tzinfo=timezone.utc)


def _never(_symbol: str) -> CapacityBar:
    raise AssertionError("bar_for must not be called")


def test_one_buy_then_minute_bars() -> None:
    """Buy 100 @ 100 at 13:31 UTC; TPV 100000.

    13:31 (fill step) close 100, vol 1000: first bar, avg $ vol = 100*1000 = 100000 -> k = 6e6/1e5 = 60 min
          -> included: 100 * d(=1, first fill) * 1000 = 100000
    13:32 close 101, vol 0 (fill-forward): skipped, still monitoring
    13:33 close 102, vol 2000: avg = 102 * (2000 + 1000) / 2 min = 153000 -> k = 39 -> included: +204000
    13:34 close 100, vol 1e6: avg = 100 * 1002000 / 1 = 100.2e6 -> k < 1 -> 1 min after the fill -> outside, stop
    market capacity = 304000 * 0.20 (minute) = 60800, one trade.
    Forced snapshot 1: sale share 10000/10000 = 1 -> 60800 / 1 = 60800 (reported to the nearest 1000: 61000.00).
    Forced snapshot 2 (sale volume reset): scaling = holdings 10000 / 100000 = 0.1 -> 608000;
          0.33 * 608000 + 0.66 * 60800 = 240768 -> nearest 1000: 241000.00 -> summary "$240000.00".
    """
    est = CapacityEstimate(datetime(2013, 10, 7), datetime(2013, 10, 11, 23, 59, 59, 999999))
    bars = {utc(7, 13, 31): (D(100), D(1000)), utc(7, 13, 32): (D(101), D(0)),
            utc(7, 13, 33): (D(102), D(2000)), utc(7, 13, 34): (D(100), D(1_000_000)),
            utc(7, 13, 35): (D(100), D(5))}
    held = lambda s: D(10000)  # noqa: E731
    est.on_step(utc(7, 13, 30), _never, held, D(100000))  # nothing traded yet: returns at once
    for t, (close, volume) in bars.items():
        if t == utc(7, 13, 31):
            est.on_fill("SPY", t, D(10000))
        est.on_step(t, lambda s, c=close, v=volume, t=t: CapacityBar(MINUTE, t, c, v), held, D(100000))
    assert est.capacity == D("0.00") and est.lowest_capacity_asset is None  # no snapshot before Oct 11
    est.on_step(utc(7, 13, 36), _never, held, D(100000))  # monitoring ended at 13:34
    est.finalize(utc(7, 20), held, D(100000), passes=1)
    assert est.capacity == D("61000.00") and est.lowest_capacity_asset == "SPY"
    est.finalize(utc(7, 20), held, D(100000), passes=1)
    assert est.capacity == D("241000.00")
    assert decimal_str(round_to_significant_digits(est.capacity, 2)) == "240000.00"


def test_fast_trading_discount_and_trade_count() -> None:
    """Second fill 39 min after the first: d = 2 * 39 / 390 = 0.2; the bar volume is discounted."""
    est = CapacityEstimate(datetime(2013, 10, 7), datetime(2013, 10, 11))
    est.on_fill("SPY", utc(7, 14, 0), D(5000))
    est.on_step(utc(7, 14, 0), lambda s: CapacityBar(MINUTE, utc(7, 14), D(100), D(1000)), lambda s: D(0), D(10**5))
    est.on_fill("SPY", utc(7, 14, 39), D(5000))
    est.on_step(utc(7, 14, 39), lambda s: CapacityBar(MINUTE, utc(7, 14, 39), D(100), D(3900)),
                lambda s: D(0), D(10**5))
    est.finalize(utc(7, 20), lambda s: D(0), D(10**5), passes=1)
    # (100*1*1000 + 100*0.2*3900) * 0.20 / 2 trades / sale share 1
    assert est.capacity == D("18000.00")


def test_precise_daily_bar_counts_as_hour_bar() -> None:
    """A 09:30-16:00 daily bar (6.5 h) is an HOUR bar: included only at the fill time rounded up to the hour."""
    est = CapacityEstimate(datetime(2013, 10, 8), datetime(2013, 10, 17, 23, 59, 59))
    day = timedelta(hours=6, minutes=30)
    est.on_fill("SPY", utc(9, 20), D(100000))
    est.on_step(utc(9, 20), lambda s: CapacityBar(day, utc(9, 20), D(140), D(1_000_000)), lambda s: D(1), D(10**5))
    est.on_step(utc(10, 20), lambda s: CapacityBar(day, utc(10, 20), D(150), D(9_000_000)), lambda s: D(1), D(10**5))
    est.finalize(utc(10, 20), lambda s: D(1), D(10**5), passes=1)
    assert est.capacity == D("7000000.00")  # 140 * 1e6 * 0.05 only


def test_daily_bar_window() -> None:
    """A 24 h bar is included when now's UTC date is the fill time rounded up to the next midnight."""
    est = CapacityEstimate(datetime(2013, 10, 1), datetime(2013, 10, 30))
    est.on_fill("SPY", utc(8, 14), D(1000))
    one_day = timedelta(days=1)
    est.on_step(utc(9, 4), lambda s: CapacityBar(one_day, utc(9, 4), D(10), D(100)), lambda s: D(0), D(10**5))
    est.on_step(utc(10, 4), lambda s: CapacityBar(one_day, utc(10, 4), D(10), D(10**6)), lambda s: D(0), D(10**5))
    est.finalize(utc(10, 4), lambda s: D(0), D(10**5), passes=1)
    assert est.capacity == D("0.00")  # 10 * 100 * 0.02 = 20 -> rounds to 0 thousands


def test_snapshot_schedule_and_thirty_day_removal() -> None:
    """Snapshots every max(min(days - 1, 7), 1) days from the start date, compared with UTC dates; a symbol
    neither held nor traded for 30 days leaves, so the smallest asset can change."""
    est = CapacityEstimate(datetime(2013, 10, 1), datetime(2013, 12, 31, 23, 59, 59))
    bar = lambda close, vol, t: (lambda s: CapacityBar(MINUTE, t, D(close), D(vol)))  # noqa: E731
    est.on_fill("AAA", utc(1, 14), D(1000))
    est.on_fill("BBB", utc(1, 14), D(1000))
    est.on_step(utc(1, 14), lambda s: CapacityBar(MINUTE, utc(1, 14), D(10), D(100) if s == "AAA" else D(10**4)),
                lambda s: D(1000) if s == "BBB" else D(0), D(10**5))
    # Oct 7: both bars are outside the 120-minute window, monitoring ends; Oct 7 < Oct 1 + 7 days: no snapshot
    est.on_step(utc(7, 14), bar(10, 5, utc(7, 14)), lambda s: D(0), D(10**5))
    assert est.lowest_capacity_asset is None
    holdings = lambda s: D(1000) if s == "BBB" else D(0)  # noqa: E731
    est.on_step(utc(8, 14), bar(1, 1, utc(8, 14)), holdings, D(10**5))
    assert est.lowest_capacity_asset == "AAA"
    for day in range(1, 36):  # snapshots Oct 15, 22, 29, Nov 5 (AAA dropped after it), Nov 12
        t = utc(8, 14) + timedelta(days=day)
        est.on_step(t, _never, holdings, D(10**5))
        if t.date() == datetime(2013, 11, 11).date():
            assert est.lowest_capacity_asset == "AAA"
    assert est.lowest_capacity_asset == "BBB"  # AAA not held, last traded > 30 days ago: removed


@pytest.mark.parametrize("passes", [1, 2])
def test_finalize_without_fills_keeps_no_capacity(passes: int) -> None:
    est = CapacityEstimate(datetime(2013, 10, 7), datetime(2013, 10, 11))
    est.finalize(utc(11, 20), lambda s: D(0), D(10**5), passes=passes)
    assert est.capacity == 0 and est.lowest_capacity_asset is None
