"""Unit tests of the FillToFill/FIFO trade builder and trade statistics (pylean/statistics/trades.py)."""
from __future__ import annotations

import statistics
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from pylean.statistics.trades import (
    LONG,
    SHORT,
    Trade,
    TradeBuilder,
    compute_trade_statistics,
)

T = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)


def _at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


@pytest.fixture()
def trades() -> list[Trade]:
    """Two longs closed FIFO by two sells (partial close, then a reversal to short), the short closed by
    two partial fills of one order (its fee counted once)."""
    ids = iter(str(i) for i in range(100))
    b = TradeBuilder(id_factory=lambda: next(ids))
    b.process_fill("SPY", _at(0), 1, D("10"), D("100"), D("1"))
    b.set_market_price("SPY", D("12"))
    b.set_market_price("SPY", D("9"))
    b.process_fill("SPY", _at(9), 2, D("11"), D("50"), D("1"))
    b.set_market_price("SPY", D("13"))
    b.process_fill("SPY", _at(29), 3, D("12.5"), D("-120"), D("1.5"))
    assert b.has_open_position("SPY")
    b.process_fill("SPY", _at(59), 4, D("10"), D("-60"), D("1"))
    b.process_fill("SPY", _at(89), 5, D("9"), D("10"), D("1"))
    b.process_fill("SPY", _at(89), 5, D("9"), D("20"), D("1"))  # second fill of order 5: fee ignored
    assert not b.has_open_position("SPY")
    return b.closed_trades


def test_fifo_partial_closes_and_reversal(trades: list[Trade]) -> None:
    rows = [(t.direction, t.entry_price, t.quantity, t.exit_price, t.profit_loss, t.total_fees, t.order_ids)
            for t in trades]
    assert rows == [
        (LONG, D("10"), D("100"), D("12.5"), D("250.00"), D("2.5"), [1, 3]),   # first long closed whole
        (LONG, D("11"), D("20"), D("12.5"), D("30.00"), D("1"), [2, 3]),       # second long, partial
        (LONG, D("11"), D("30"), D("10"), D("-30"), D("1"), [2, 4]),           # its rest; fees moved earlier
        (SHORT, D("10"), D("10"), D("9"), D("10"), D("1"), [4, 5]),            # reversal short, partial
        (SHORT, D("10"), D("20"), D("9"), D("20"), D("0"), [4, 5]),
    ]
    assert [t.is_win for t in trades] == [True, True, False, True, True]
    assert [t.entry_time for t in trades] == [_at(0), _at(9), _at(9), _at(59), _at(59)]
    assert [t.exit_time for t in trades] == [_at(29), _at(29), _at(59), _at(89), _at(89)]


def test_mae_mfe_and_end_trade_drawdown(trades: list[Trade]) -> None:
    # position range 9..13 while long; short reopened at 10 (range reset), then 9
    assert [(t.mae, t.mfe, t.end_trade_drawdown) for t in trades] == [
        (D("-100"), D("300"), D("300")),  # worst 9, best 13; peak profit 3 then 0 at 9 ... max drawdown 3/share
        (D("-40"), D("40"), D("10.0")),   # entered at 11: peak +2 at 13, +1.5 at 12.5 -> 0.5/share
        (D("-60"), D("60"), D("90")),     # then -1 at 10 -> 3/share
        (D("0"), D("10"), D("0")),
        (D("0"), D("20"), D("0")),
    ]


def test_trade_json(trades: list[Trade]) -> None:
    j = trades[0].to_json(lambda s: {"value": s, "id": "SPY R735QTJ8XC9X", "permtick": s})
    assert list(j) == ["id", "symbols", "entryTime", "entryPrice", "direction", "quantity", "exitTime",
                       "exitPrice", "profitLoss", "totalFees", "mae", "mfe", "duration", "endTradeDrawdown",
                       "isWin", "orderIds"]
    assert j["symbols"][0]["id"] == "SPY R735QTJ8XC9X"
    assert (j["entryTime"], j["exitTime"], j["duration"]) == ("2013-10-07T13:31:00Z", "2013-10-07T14:00:00Z",
                                                               "00:29:00")
    assert (j["id"], j["direction"], j["isWin"], j["orderIds"]) == ("0", 0, True, [1, 3])


def test_default_ids_are_guids() -> None:
    b = TradeBuilder()
    b.process_fill("A", T, 1, D(1), D(1), D(0))
    b.process_fill("A", _at(1), 2, D(2), D(-1), D(0))
    assert len(b.closed_trades[0].id) == 36


def test_market_price_ignored_without_position() -> None:
    b = TradeBuilder()
    b.set_market_price("SPY", D(1))
    assert not b.has_open_position("SPY") and b.closed_trades == []


def test_multiplier_scales_money() -> None:
    b = TradeBuilder()
    b.process_fill("ES", T, 1, D("100"), D("-2"), D("2"), multiplier=D(50))
    b.set_market_price("ES", D("98"))
    b.process_fill("ES", _at(5), 2, D("99"), D("2"), D("2"), multiplier=D(50))
    t = b.closed_trades[0]
    assert (t.direction, t.profit_loss, t.mfe, t.mae, t.total_fees) == (SHORT, D("100"), D("200"), D("0"), D("4"))


def test_trade_statistics(trades: list[Trade]) -> None:
    s = compute_trade_statistics(trades)
    assert (s["startDateTime"], s["endDateTime"]) == ("2013-10-07T13:31:00Z", "2013-10-07T15:00:00Z")
    assert (s["totalNumberOfTrades"], s["numberOfWinningTrades"], s["numberOfLosingTrades"]) == (5, 4, 1)
    # decimal scales survive: 12.5 - 10 = 2.5 (scale 1) x 100 shares -> Math.Round(250.0m, 2) = 250.0
    assert (s["totalProfitLoss"], s["totalProfit"], s["totalLoss"]) == ("280.0", "310.0", "-30")
    assert (s["largestProfit"], s["largestLoss"]) == ("250.0", "-30")
    # running means go through inexact divisions (/3), so the 4-decimal rounding keeps trailing zeros
    assert (s["averageProfitLoss"], s["averageProfit"], s["averageLoss"]) == ("56.0000", "77.5000", "-30")
    assert (s["maxConsecutiveWinningTrades"], s["maxConsecutiveLosingTrades"]) == (2, 1)
    assert (s["winRate"], s["lossRate"], s["winLossRatio"]) == ("0.8", "0.2", "4")
    assert (s["profitLossRatio"], s["profitFactor"]) == ("2.5833", "10.3333")
    assert (s["averageMAE"], s["averageMFE"], s["largestMAE"], s["largestMFE"]) == \
        ("-40.0000", "86.0000", "-100", "300")
    assert s["maximumClosedTradeDrawdown"] == "-30.0" and s["maximumIntraTradeDrawdown"] == "-400"
    assert s["profitToMaxDrawdownRatio"] == "9.3333"
    assert (s["maximumEndTradeDrawdown"], s["averageEndTradeDrawdown"]) == ("300", "-30.0000")
    assert s["totalFees"] == "5.5"
    std = statistics.stdev([250, 30, -30, 10, 20])
    assert float(s["profitLossStandardDeviation"]) == pytest.approx(std, abs=5e-5)
    assert float(s["sharpeRatio"]) == pytest.approx(56 / std, abs=5e-5)
    assert (s["profitLossDownsideDeviation"], s["sortinoRatio"]) == ("0", "0")  # one loss only
    # durations 29, 20, 50, 30, 30 minutes
    assert s["medianTradeDuration"] == "00:30:00"
    assert s["medianWinningTradeDuration"] == "00:30:00" and s["medianLosingTradeDuration"] == "00:50:00"
    assert s["averageLosingTradeDuration"] == "00:50:00"
    assert s["averageTradeDuration"] == "00:31:48" and s["averageWinningTradeDuration"] == "00:27:15"
    assert s["maximumDrawdownDuration"] == "00:00:00"


def test_trade_statistics_empty() -> None:
    s = compute_trade_statistics([])
    assert s["startDateTime"] is None and s["totalNumberOfTrades"] == 0
    assert s["winLossRatio"] == "0" and s["profitFactor"] == "0" and s["averageTradeDuration"] == "00:00:00"


def test_trade_statistics_ratio_defaults() -> None:
    win = Trade("A", T, D(1), LONG, D(1), _at(60), D(2), D(1), D(0), D(0), D(1), D(0), True, [1])
    s = compute_trade_statistics([win, win])
    assert (s["winLossRatio"], s["profitFactor"], s["profitToMaxDrawdownRatio"]) == ("10", "10", "10")
    assert s["maximumDrawdownDuration"] == "00:00:00" and s["averageWinningTradeDuration"] == "01:00:00"
