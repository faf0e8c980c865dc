"""QCAlgorithm.GetSecurityForOrder: an order for a ticker the algorithm never added adds its security first.
A ticker string the symbol cache does not know becomes a custom symbol with no data: the order is refused for
its zero price, the security stays in the collection (so a second order adds nothing), the user-defined
universe is re-triggered once (one data point), and the user's on_securities_changed is not told."""
from __future__ import annotations

from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import OrderStatus, Resolution
from support.runs import run_class


class OrdersAnUnknownTicker(QCAlgorithm):
    order_unknown = True
    record: dict

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)
        type(self).record = {"statuses": [], "changed": []}

    def on_data(self, data) -> None:  # noqa: ANN001
        if self.order_unknown and len(self.record["statuses"]) < 3:
            self.record["statuses"].append(self.market_order("NOSUCHTICKER", 1).status)
            self.record["held"] = "NOSUCHTICKER" in self.securities

    def on_securities_changed(self, changes) -> None:  # noqa: ANN001
        self.record["changed"] += [str(s.symbol) for s in changes.added_securities]


class OrdersNothing(OrdersAnUnknownTicker):
    order_unknown = False


def _run(klass: type, data: Path, out: Path) -> int:
    outcome = run_class(klass, data, out)
    return outcome.data_points


def test_an_order_for_an_unknown_ticker_adds_a_data_less_security(lean_data: Path, tmp_path: Path) -> None:
    plain = _run(OrdersNothing, lean_data, tmp_path / "plain")
    points = _run(OrdersAnUnknownTicker, lean_data, tmp_path / "unknown")
    record = OrdersAnUnknownTicker.record
    assert record["statuses"] == [OrderStatus.INVALID] * 3  # no price: refused each time
    assert record["held"] is True
    assert "NOSUCHTICKER" not in record["changed"]
    assert points == plain + 1  # added once, one universe trigger
