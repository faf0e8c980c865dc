"""What the SetHoldings/market-order path remembers instead of working out again gives the answers it
gave before: the scan's buying power re-check, the subscription kinds, a target's decimal, `_plain`."""
from __future__ import annotations

from datetime import time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from orders_support import DAY1, TICKER, run

from pylean.algorithm import QCAlgorithm
from pylean.algorithm_trading import _percent_decimal
from pylean.enums import OrderStatus, Resolution
from pylean.orders.fill_model import subscribed_kinds
from pylean.orders.fills import EquityFillModel
from pylean.orders.pre_checks import is_daily_resolution_only
from pylean.statistics.trades import _plain


class _SecondAskFills(EquityFillModel):
    """Fills a limit order only when asked a second time (the step's scan before on_data says "not yet")."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def limit_fill(self, asset: Any, order: Any) -> Any:
        self.asked += 1
        event = super().limit_fill(asset, order)
        if self.asked == 1:
            event.status, event.fill_price, event.fill_quantity = OrderStatus.SUBMITTED, 0, 0
        return event


class _NoOrderEvents(QCAlgorithm):
    """No on_order_event: nothing runs between a submission's buying power check and its scan."""

    def initialize(self) -> None:
        self.set_start_date(DAY1.year, DAY1.month, DAY1.day)
        self.set_end_date(DAY1.year, DAY1.month, DAY1.day)
        self.set_cash(10000)
        self.set_benchmark(lambda _: 1)
        self.test = self.add_equity(TICKER, Resolution.MINUTE).symbol
        self.securities[self.test].set_fill_model(_SecondAskFills())

    def on_data(self, data: object) -> None:
        if self.time.time() == time(9, 31):
            self.limit_order(self.test, 180, 101.0)  # fills in the market order's scan: 9,000 of 10,000 margin
        if self.time.time() == time(9, 32):
            self.market_order(self.test, 40)  # cleared at submission (2,000 of 10,000), too much after the fill


def test_the_scan_asks_again_when_an_older_order_fills_first(data) -> None:
    data.write(data.day(DAY1))
    out = run(data, _NoOrderEvents)
    events = [(e.order_id, e.status, e.message) for e in out.record.runtime.transactions.order_events]
    assert [e[:2] for e in events] == [(1, OrderStatus.SUBMITTED), (2, OrderStatus.SUBMITTED),
                                       (1, OrderStatus.FILLED), (2, OrderStatus.INVALID)]
    assert "Insufficient buying power" in events[-1][2]


def _security(*configs: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(subscriptions=list(configs))


def test_subscription_answers_follow_an_added_subscription() -> None:
    trade = SimpleNamespace(kind="trade", is_internal=False, resolution=Resolution.DAILY)
    security = _security(trade)
    assert subscribed_kinds(security) == {"trade"} and is_daily_resolution_only(security)
    security.subscriptions.append(SimpleNamespace(kind="quote", is_internal=False, resolution=Resolution.MINUTE))
    assert subscribed_kinds(security) == {"trade", "quote"} and not is_daily_resolution_only(security)
    internal = _security(SimpleNamespace(kind="quote", is_internal=True, resolution=Resolution.DAILY))
    assert subscribed_kinds(internal) == frozenset() and not is_daily_resolution_only(internal)


def test_plain_tells_equal_prices_written_with_more_decimals_apart() -> None:
    assert _plain(Decimal("1.5"))
    assert not _plain(Decimal("1.5000000000000"))  # 13 decimals: the same value, not plain
    assert _plain(Decimal("1.5"))
    assert not _plain(Decimal("1E+12")) and _plain(Decimal("999999999999"))
    assert not _plain(Decimal("NaN")) and not _plain(Decimal("sNaN"))  # (a signaling NaN cannot be hashed)


def test_a_target_fraction_is_the_decimal_of_its_repr() -> None:
    for value in (0.25, 0.2, 0.25, 1 / 3, -0.1, 1e-10, 2, Decimal("0.5")):
        assert str(_percent_decimal(value)) == str(Decimal(repr(value)) if isinstance(value, float) else
                                                   Decimal(value))
    assert str(_percent_decimal(-0.0)) == "-0.0" and str(_percent_decimal(0.0)) == "0.0"
