"""TradeBars / DataDictionary: Symbol keys at dict speed, ticker strings as Lean accepts them."""
from __future__ import annotations

from datetime import datetime

import pytest

from pylean.data.market_data import TradeBar
from pylean.data.slice import TradeBars
from pylean.symbols import Symbol


def test_symbol_and_ticker_keys() -> None:
    spy, aapl = Symbol.create("SPY"), Symbol.create("AAPL")
    bar = TradeBar(datetime(2013, 10, 7, 9, 30), spy, 1.0, 2.0, 0.5, 1.5, 10.0)
    bars = TradeBars({spy: bar})
    assert bars[spy] is bar and bars["SPY"] is bar and bars["spy"] is bar
    assert spy in bars and "SPY" in bars and "spy" in bars and aapl not in bars and "AAPL" not in bars
    assert bars.contains_key(spy) and bars.contains_key("spy") and not bars.ContainsKey("AAPL")
    assert bars.get("SPY") is bar and bars.get(aapl) is None and bars.get("AAPL", 7) == 7
    assert bars.get(spy, 7) is bar and bars.count == 1 and bars.Count == 1
    with pytest.raises(KeyError):
        bars["AAPL"]
    with pytest.raises(KeyError):
        bars[aapl]
