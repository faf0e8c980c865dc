"""OrderManager, trailing entry, monitors and time actions, replaying the recorded MCD 2025-10-01 trace."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from zac_fakes import FakeAlgorithm, bar15, build_managers

from AlgorithmImports import OrderStatus
from core.strategy import LONG_TRAIL
from trading.entry_monitors import range_distance, vwap_keeps
from trading.open_orders import OpenOrdersView, OrderEpoch, OrderStatusView
from trading.order_manager import entry_trailing_pct, stop_loss_price, take_profit_price

T = datetime(2025, 10, 1, 11, 11)
MCD_RANGE30 = 1.241679


@pytest.fixture
def algo() -> FakeAlgorithm:
    return FakeAlgorithm(T.replace(hour=0))


@pytest.fixture
def mcd(algo: FakeAlgorithm) -> Any:
    managers, _ = build_managers(algo, {"MCD": 298.54})
    algo.time = T
    m = managers[0]
    day = m.data.day
    day.open, day.high, day.low, day.close = 304.5914, 304.77, 298.30, 298.54
    m.metrics.range30 = MCD_RANGE30
    m.metrics.vwap_price = (298.54 - 304.5914) / 304.5914 * 100
    return m


def orders(algo: FakeAlgorithm) -> list[tuple[int, float, str, float | None]]:
    return [(o.id, o.quantity, o.tag, o.stop_price if o.kind == "stop" else o.limit_price)
            for o in algo.transactions.orders.values()]


def test_entry_stop_is_unrounded_and_evaluated_in_the_original_order() -> None:
    from config.parameters import TradingParameters
    p = TradingParameters()
    day_range = 304.77 - 298.30
    pct = entry_trailing_pct("cond2", 298.59, day_range, p)
    assert 298.59 * (1 + pct / 100) == 299.10759999999993  # recorded order #3
    pct = entry_trailing_pct("cond1", 298.54, day_range, p)
    assert pct == 0.17337710189589253 and 298.54 * (1 + pct / 100) == 299.0576
    assert 298.56 * (1 + pct / 100) == 299.07763467542037  # recorded #2 reuses #1's percentage
    assert entry_trailing_pct("cond3", 100.0, 5.0, p) == 0.85
    assert entry_trailing_pct("cond1", 100.0, 0.0, p) == pytest.approx(0.08)  # no range: 1 % of price


def test_exit_prices_reproduce_recorded_round_trips() -> None:
    assert stop_loss_price(299.40763840313247, MCD_RANGE30, 125, long=True) == 294.76
    assert take_profit_price(299.40763840313247, MCD_RANGE30, 20, long=True) == 300.15
    assert stop_loss_price(347.091, 1.485586, 125, long=False) == 353.54
    assert take_profit_price(347.091, 1.485586, 20, long=False) == 346.06


def test_entry_placement_size_tag_and_hard_constraint(algo: FakeAlgorithm, mcd: Any) -> None:
    assert mcd.orders.execute_entry("cond1", True, 298.54, T, mcd.all_symbols)
    assert orders(algo) == [(1, 1004, "Buy-cond1-Trail-MCD", 299.0576)]
    entry = mcd.strategy.pending["cond1"]
    assert entry.kind == LONG_TRAIL and entry.size == 1004 and entry.ticket.order_id == 1
    assert mcd.orders.order_sent
    assert not mcd.orders.execute_entry("cond2", True, 298.54, T, mcd.all_symbols)  # one entry at a time
    assert len(algo.transactions.orders) == 1


def test_short_entry_and_capital_limit(algo: FakeAlgorithm, mcd: Any) -> None:
    assert mcd.orders.execute_entry("cond4", False, 298.54, T, mcd.all_symbols)
    order = algo.transactions.orders[1]
    assert order.quantity == -1004 and order.tag == "Short-cond4-Trail-MCD"
    assert order.stop_price == 298.54 * (1 - entry_trailing_pct("cond4", 298.54, 304.77 - 298.30, mcd.params) / 100)
    other = algo.add("V", 0.0)  # priced at 0 so the total portfolio value stays 500k
    algo.portfolio[other].quantity, algo.portfolio[other].average_price = 8000, 200.0  # 1.6M exposure
    assert mcd.orders.position_size(298.54, [mcd.symbol, other]) == 0


def test_trailing_replacement_loses_tracking(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.orders.execute_entry("cond1", True, 298.54, T, mcd.all_symbols)
    algo.securities[mcd.symbol].price = 298.56
    mcd.data.on_new_15s_bar()
    assert orders(algo)[1] == (2, 1004, "Trail-Update-cond1-MCD", 299.07763467542037)
    assert algo.transactions.statuses(1) == [OrderStatus.SUBMITTED, OrderStatus.CANCEL_PENDING,
                                             OrderStatus.CANCELED]
    assert mcd.strategy.pending == {} and not mcd.orders.order_sent  # quirk Q4
    algo.securities[mcd.symbol].price = 298.9
    mcd.data.on_new_15s_bar()
    assert len(algo.transactions.orders) == 2  # the replacement is static
    assert not mcd.orders.execute_entry("cond2", True, 298.9, T, mcd.all_symbols)  # its open order blocks


def test_trailing_only_remembers_a_lower_price(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.orders.execute_entry("cond2", True, 298.59, T, mcd.all_symbols)
    algo.securities[mcd.symbol].price = 298.5308
    mcd.data.on_new_15s_bar()
    assert len(algo.transactions.orders) == 1 and mcd.strategy.pending["cond2"].current_market_price == 298.5308
    algo.securities[mcd.symbol].price = 298.64
    mcd.data.on_new_15s_bar()
    assert orders(algo)[1][3] == 299.1576866740346  # recorded #4


def round_trip_to_exits(algo: FakeAlgorithm, mcd: Any) -> None:
    """#1 buy-cond1 at P 298.81, trailed at 298.8899 (#2), filled at its stop -> SL #3, TP #4."""
    mcd.orders.execute_entry("cond1", True, 298.81, T, mcd.all_symbols)
    algo.securities[mcd.symbol].price = 298.8899
    mcd.data.on_new_15s_bar()
    algo.time = T.replace(minute=28, second=21)
    algo.transactions.fill(2, algo.transactions.orders[2].stop_price)


def test_fill_of_untracked_replacement_uses_cond2_fallback(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.metrics.range30 = MCD_RANGE30
    round_trip_to_exits(algo, mcd)
    assert orders(algo) == [(1, 1003, "Buy-cond1-Trail-MCD", 299.3276),
                            (2, 1003, "Trail-Update-cond1-MCD", 299.40763840313247),
                            (3, -1003, "SL-cond2-MCD-299.40763840313247", 294.76),
                            (4, -1003, "TP-cond2-MCD-299.40763840313247", 300.15)]
    assert mcd.strategy.trade_start == T.replace(minute=28, second=21)
    assert mcd.orders.position == 1003 and not mcd.orders.order_sent


def test_ratchet_then_stop_fill_starts_cooldowns(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    algo.time = T.replace(minute=45, second=15)
    algo.securities[mcd.symbol].price = 299.75
    mcd.orders.update_stop_loss()
    assert len(algo.transactions.orders) == 4  # profit 0.115 % is under y = 0.124 %
    algo.securities[mcd.symbol].price = 299.85
    mcd.orders.update_stop_loss()
    assert orders(algo)[4] == (5, -1003, "SL-cond2-MCD-Updated", 299.48)
    assert algo.transactions.orders[3].status == OrderStatus.CANCELED  # drained by #5's submission
    mcd.orders.update_stop_loss()
    assert len(algo.transactions.orders) == 5  # same stop: nothing to do
    exit_time = T.replace(minute=52, second=49)
    algo.time = exit_time
    algo.transactions.fill(5, 299.48)
    assert algo.transactions.orders[4].status == OrderStatus.CANCEL_PENDING  # TP #4 cancelled on the flat
    assert mcd.last_exit_symbol == exit_time and mcd.last_exit_by_condition == {"cond2": exit_time}
    assert mcd.strategy.last_exit["cond2"] == exit_time and mcd.strategy.trade_start is None
    assert mcd.in_exit_cooldown("cond1", exit_time + timedelta(minutes=239))
    assert not mcd.in_exit_cooldown("cond1", exit_time + timedelta(minutes=240))


def test_ratchet_skips_a_short_record_of_a_long_condition(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.orders.execute_entry("cond4", False, 298.54, T, mcd.all_symbols)
    algo.transactions.fill(1, algo.transactions.orders[1].stop_price)
    assert [o.tag.split("-")[:2] for o in algo.transactions.orders.values()][1:] == [["SL", "cond4"], ["TP", "cond4"]]
    algo.securities[mcd.symbol].price = 290.0
    mcd.orders.update_stop_loss()
    assert algo.transactions.orders[4].tag == "SL-cond4-MCD-Updated"
    assert algo.transactions.orders[4].stop_price < algo.portfolio[mcd.symbol].average_price


def test_action1_moves_take_profit_when_losing_and_stop_otherwise(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    start = mcd.strategy.trade_start
    algo.securities[mcd.symbol].price = 299.0
    mcd.strategy.trade_time_action(start + timedelta(minutes=29, seconds=49), 299.0)
    assert algo.transactions.updates == []
    mcd.strategy.trade_time_action(start + timedelta(minutes=29, seconds=59), 299.0)
    assert algo.transactions.updates == []  # re-evaluated at most every 10 s
    mcd.strategy.trade_time_action(start + timedelta(minutes=30), 299.0)  # losing: TP to break-even
    assert algo.transactions.orders[4].limit_price == 299.41 and mcd.strategy.action1_done
    mcd.strategy.trade_time_action(start + timedelta(minutes=31), 299.0)
    assert len(algo.transactions.updates) == 1  # once


def test_action1_stop_to_break_even_when_winning(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    mcd.strategy.trade_time_action(mcd.strategy.trade_start + timedelta(minutes=30), 299.6)
    assert algo.transactions.orders[3].stop_price == 299.41


def test_action2_flattens_without_cooldown(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    algo.securities[mcd.symbol].price = 299.2
    start = mcd.strategy.trade_start
    mcd.strategy.action1_done = True
    mcd.strategy.trade_time_action(start + timedelta(minutes=150), 299.2)
    market = algo.transactions.orders[5]
    assert (market.kind, market.quantity, market.tag) == ("market", -1003, "eod-action2-MCD")
    assert algo.portfolio[mcd.symbol].quantity == 0
    assert algo.transactions.orders[3].status == OrderStatus.CANCELED
    assert mcd.last_exit_symbol is None and mcd.strategy.trade_start == start  # no SL/TP tag: no reset


def test_range_monitor_cancels_long_entries_and_resets_flags(algo: FakeAlgorithm, mcd: Any) -> None:
    start = T.replace(minute=0, second=45)
    lows = [299.5, 298.82] + [298.9] * 42 + [298.30]  # oldest first; the second-oldest is 11:00:45
    for i, low in enumerate(lows):
        mcd.data.window.appendleft(bar15(mcd.symbol, start + timedelta(seconds=15 * (i - 1)), low, low + 1, low, low))
    assert range_distance([b.low for b in mcd.data.window], long=True) == pytest.approx(0.52)
    mcd.strategy.flags["cond1"] = True
    mcd.orders.execute_entry("cond1", True, 298.54, T, mcd.all_symbols)
    mcd.monitor.monitor_range_based_cancellations()
    assert algo.transactions.orders[1].status == OrderStatus.CANCEL_PENDING
    assert not mcd.strategy.flags["cond1"] and not mcd.orders.order_sent


def test_vwap_monitor_cancels_without_resetting_flags(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.strategy.flags["cond1"] = True
    mcd.orders.execute_entry("cond1", True, 298.54, T, mcd.all_symbols)
    mcd.monitor.monitor_vwap_conditions()
    assert algo.transactions.orders[1].status == OrderStatus.SUBMITTED  # -1.99 % is far enough
    mcd.metrics.vwap_price = -0.5  # soft threshold (55 - 7) % x 1.2417 = 0.596
    mcd.monitor.monitor_vwap_conditions()
    assert algo.transactions.orders[1].status == OrderStatus.CANCEL_PENDING
    assert mcd.strategy.flags["cond1"]  # quirk Q6
    algo.transactions.drain()
    assert mcd.strategy.pending == {}
    assert vwap_keeps(0.6, 0.596, long=False) and not vwap_keeps(0.6, 0.596, long=True)


def test_algo_off_cancels_entries_only(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    algo.time = T.replace(hour=14, minute=0)
    mcd.strategy.flags["cond4"] = True
    mcd.strategy.pending.clear()
    other = algo.transactions.submit(mcd.symbol, -10, "stop", "Short-cond4-Trail-MCD", stop=1.0)
    mcd.strategy.pending["cond4"] = mcd.strategy.pending.get("cond4") or _pending(other, "cond4")
    mcd.cancel_entries()
    assert other.order.status == OrderStatus.CANCEL_PENDING
    assert algo.transactions.orders[3].status == OrderStatus.SUBMITTED  # SL kept
    assert algo.transactions.orders[4].status == OrderStatus.SUBMITTED  # TP kept
    assert "cond4" not in mcd.strategy.pending and not mcd.strategy.flags["cond4"]


def _pending(ticket: Any, condition: str) -> Any:
    from core.strategy import SHORT_TRAIL, PendingEntry
    return PendingEntry(ticket, 1.0, 1.0, 1.0, 10, condition, SHORT_TRAIL, 0.1, T)


def test_end_of_day_flattens_and_resets(algo: FakeAlgorithm, mcd: Any) -> None:
    round_trip_to_exits(algo, mcd)
    eod = T.replace(hour=15, minute=59, second=0)
    algo.time = eod
    mcd.strategy.flags["cond1"] = True
    mcd.end_of_day()
    market = algo.transactions.orders[5]
    assert (market.kind, market.quantity, market.tag) == ("market", -1003, "EOD-Close")
    assert algo.portfolio[mcd.symbol].quantity == 0 and mcd.orders.position == 0
    assert all(algo.transactions.orders[i].status == OrderStatus.CANCEL_PENDING for i in (3, 4))
    assert mcd.last_exit_symbol == eod  # the EOD fill saw the open TP's tag
    assert mcd.data.day.open == 0 and mcd.rally.samples == [] and not any(mcd.strategy.flags.values())
    assert mcd.strategy.last_exit["cond1"] == eod and mcd.strategy.trading_enabled


def test_cancel_event_removes_the_pending_record(algo: FakeAlgorithm, mcd: Any) -> None:
    mcd.orders.execute_entry("cond1", True, 298.54, T, mcd.all_symbols)
    algo.transactions.cancel_order(1)
    assert "cond1" in mcd.strategy.pending and mcd.orders.order_sent
    algo.transactions.drain()
    assert mcd.strategy.pending == {} and not mcd.orders.order_sent


def test_epoch_views_answer_like_the_engine_until_the_next_order_event() -> None:
    """The optimized path's open-orders and order-status views: the engine's answer, read again after each
    order event (as main.py bumps the epoch), so submissions, fills and cancels are all seen."""
    algo = FakeAlgorithm(datetime(2025, 10, 1, 10))
    symbol = algo.add("AAA")
    epoch = OrderEpoch()
    algo.order_event_handler = lambda event: epoch.bump()
    open_orders, status = OpenOrdersView(algo, symbol, epoch), OrderStatusView(algo, epoch)

    def agree(order_id: int) -> None:
        engine = algo.transactions.get_order_by_id(order_id)
        assert status(order_id) == (None if engine is None else engine.status)
        assert [o.id for o in open_orders()] == [o.id for o in algo.transactions.get_open_orders(symbol)]

    agree(99)
    stop = algo.stop_market_order(symbol, -10, 95.0, "SL")
    limit = algo.limit_order(symbol, -10, 110.0, "TP")
    for ticket in (stop, limit):
        agree(ticket.order_id)
    algo.transactions.fill(limit.order_id, 110.0)
    agree(limit.order_id)
    agree(stop.order_id)
    algo.transactions.cancel_order(stop.order_id)
    algo.transactions.drain()
    agree(stop.order_id)
    assert status(stop.order_id) == OrderStatus.CANCELED and status(limit.order_id) == OrderStatus.FILLED
