"""QuoteBar consolidation and RollingWindow (Lean QuoteBarConsolidator, RollingWindow, WindowBase)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consolidators_support import SPY, Driver, FakeRuntime, minutes, quote
from pylean.consolidators import QuoteBarConsolidator, TradeBarConsolidator
from pylean.data.market_data import TradeBar
from pylean.enums import Resolution
from pylean.indicators import RollingWindow

DAY = date(2013, 10, 7)


def test_quote_bars_take_bid_and_ask_separately_and_open_at_the_previous_close() -> None:
    rt = FakeRuntime()
    trades = rt.subscribe(SPY, Resolution.MINUTE, "trade")
    quotes = rt.subscribe(SPY, Resolution.MINUTE, "quote")
    driver = Driver(rt)
    consolidator = driver.record(QuoteBarConsolidator(timedelta(minutes=2)))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    assert quotes.consolidators == [consolidator] and trades.consolidators == []
    t = minutes(DAY, "09:30", "09:34")
    bars = [quote(t[0], (10, 11, 9, 10.5), (10.2, 11.2, 9.2, 10.7), 100, 200),
            quote(t[1], (10.4, 12, 10, 11), None, 300, 0),
            quote(t[2], (11.5, 11.6, 11.4, 11.5), (11.7, 11.8, 11.6, 11.7), 50, 60),
            quote(t[3], None, (11.9, 12.5, 11.1, 12.2), 0, 70)]
    driver.run(quotes, bars)
    first, second = (e.bar for e in driver.outputs)
    assert (first.time, first.end_time) == (t[0], t[2])
    assert (first.bid.open, first.bid.high, first.bid.low, first.bid.close) == (10, 12, 9, 11)
    assert (first.ask.open, first.ask.high, first.ask.low, first.ask.close) == (10.2, 11.2, 9.2, 10.7)
    assert (first.last_bid_size, first.last_ask_size) == (300, 200)
    # Lean seeds a new bar with the previous bar's closing bid/ask: that close is its open
    assert (second.bid.open, second.bid.high, second.bid.low, second.bid.close) == (11, 11.6, 11, 11.5)
    assert (second.ask.open, second.ask.high, second.ask.low, second.ask.close) == (10.7, 12.5, 10.7, 12.2)
    assert (second.last_bid_size, second.last_ask_size) == (50, 70)
    assert second.close == (11.5 + 12.2) / 2


def test_consolidator_window_as_the_rolling_window_regression_asserts() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.MINUTE)
    consolidator = TradeBarConsolidator(timedelta(minutes=10))
    checks: list[bool] = []

    def on_bar(sender: TradeBarConsolidator, bar: TradeBar) -> None:
        newest = sender[0]
        checks.append(sender.current is newest and newest.time == bar.time and newest.value == bar.close)
        if sender.window.count == 2:
            checks.append(sender.previous is sender[1] and sender[1].time < bar.time)

    consolidator.data_consolidated += on_bar
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    bars = [TradeBar(t, SPY, 1, 2, 0.5, 1.5, 10, timedelta(minutes=1)) for t in minutes(DAY, "09:30", "10:10")]
    Driver(rt).run(config, bars)
    assert checks == [True] + [True, True] * 3
    assert consolidator.Window.Count == 2 and consolidator.Window.Size == 2
    assert consolidator.Previous is consolidator[1] and consolidator.Current is consolidator[0]


def test_rolling_window_basics() -> None:
    window: RollingWindow[int] = RollingWindow[int](3)
    assert window.count == 0 and not window.is_ready and window[0] is None
    for item in range(1, 6):
        window.add(item)
    assert list(window) == [5, 4, 3] and window[0] == 5 and window[2] == 3 and window[-1] == 3
    assert window.samples == 5 and window.is_ready and window.most_recently_removed == 2
    assert window.Count == 3 and window.IsReady and len(window) == 3
    window[1] = 40
    assert list(window) == [5, 40, 3]
    # reading past the size grows the window (Lean's indexer) and returns nothing
    assert window[4] is None and window.size == 5 and window.count == 3
    window.size = 2
    assert list(window) == [5, 40]
    window.reset()
    assert window.count == 0 and window.samples == 0
    with pytest.raises(IndexError):
        window[-3]


def test_rolling_window_nothing_removed_yet() -> None:
    window = RollingWindow(2)
    window.add(1)
    with pytest.raises(RuntimeError):
        window.most_recently_removed


@given(st.integers(min_value=1, max_value=12), st.lists(st.integers(), max_size=40))
def test_rolling_window_holds_the_newest_items(size: int, items: list[int]) -> None:
    window = RollingWindow(size)
    for item in items:
        window.add(item)
    newest = list(reversed(items))[:size]
    assert list(window) == newest and window.count == len(newest) and window.samples == len(items)
    assert window.is_ready == (len(items) >= size)
    assert [window[i] for i in range(window.count)] == newest
    if len(items) > size:
        assert window.most_recently_removed == items[-size - 1]
