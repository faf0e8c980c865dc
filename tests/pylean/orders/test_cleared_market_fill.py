"""The scan's shortcut for a fresh market order its submission cleared (BacktestingBrokerage._fill_cleared):
a failing slippage model is asked once and reported once, the order stays open and fills at the next scan,
exactly as the general loop does it (compared with a run where the order goes through that loop)."""
from __future__ import annotations

from datetime import time
from typing import Any

from orders_support import DAY1, QuietOrderTestAlgorithm, run

from pylean.enums import OrderStatus
from pylean.orders.fills import EquityFillModel


class _FailsOnce:
    """A user slippage model that raises the first time it is asked."""

    def __init__(self) -> None:
        self.asked = 0

    def get_slippage_approximation(self, asset: Any, order: Any) -> float:
        self.asked += 1
        if self.asked == 1:
            raise RuntimeError("boom")
        return 0.01


class _GeneralModel(EquityFillModel):
    """The default model through the brokerage's general loop (a subclass never takes the shortcut)."""


class _Trader(QuietOrderTestAlgorithm):
    """No on_order_event: the submission's clearance reaches the scan."""

    MODEL: type | None = None

    def setup(self) -> None:
        self.slippage = _FailsOnce()
        self.securities[self.test].set_slippage_model(self.slippage)
        if self.MODEL is not None:
            self.securities[self.test].set_fill_model(self.MODEL())
        self.after_submission: tuple[int, Any] | None = None

    def on_data(self, data: object) -> None:
        if self.time.time() == time(9, 31):
            ticket = self.market_order(self.test, 10)
            self.after_submission = (self.slippage.asked, ticket.status)


class _ThroughTheLoop(_Trader):
    MODEL = _GeneralModel


def _outcome(data: Any, algorithm: type) -> Any:
    out = run(data, algorithm)
    events = [(e.order_id, e.status, e._fill_price, e._fill_quantity, e._utc_time)
              for e in out.record.runtime.transactions.order_events]
    errors = [line for line in out.record.runtime.results.log_lines if "Transaction model failed" in line]
    algorithm = out.record.algorithm
    return algorithm.after_submission, algorithm.slippage.asked, events, errors


def test_a_failing_model_in_the_shortcut_is_reported_once_and_the_order_fills_later(data) -> None:
    data.write(data.day(DAY1))
    shortcut, loop = _outcome(data, _Trader), _outcome(data, _ThroughTheLoop)
    assert shortcut == loop
    after_submission, asked, events, errors = shortcut
    assert after_submission == (1, OrderStatus.SUBMITTED)
    assert len(errors) == 1 and "with error: boom" in errors[0]
    assert asked == 2 and [e[1] for e in events] == [OrderStatus.SUBMITTED, OrderStatus.FILLED]  # the next scan
