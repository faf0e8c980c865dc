"""The order path's shortcuts change nothing: randomized order scripts (market, limit and stop orders, updates,
cancels, SetHoldings) give the same order events, tickets, orders and books with the shortcuts as with each
patched back to the general path it stands for (the default fill model's own, not a user subclass's)."""
from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings, strategies as st
from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_state import ctx_of
from pylean.orders import brokerage as brokerage_module

ACTIONS = ("market", "limit", "stop", "update", "cancel", "target")


def _general_paths() -> list[Any]:
    """Each shortcut replaced by what it stands for."""
    return [
        mock.patch.object(brokerage_module, "quick_market_fill", lambda security, order: None),
    ]


def _script(steps: list[tuple[int, str, int]], listen: bool) -> type:
    class Scripted(OrderTestAlgorithm):
        def setup(self) -> None:
            self.tickets: list[Any] = []
            self.step = 0

        def on_data(self, data: Any) -> None:
            self.step += 1
            for minute, action, amount in steps:
                if minute != self.step:
                    continue
                price = float(self.securities[self.test].price)
                if action == "market":
                    self.tickets.append(self.market_order(self.test, amount))
                elif action == "limit":
                    self.tickets.append(self.limit_order(self.test, amount, price - 0.05 * (amount % 5)))
                elif action == "stop":
                    self.tickets.append(self.stop_market_order(self.test, amount, price + 0.05 * (amount % 5)))
                elif action == "target":
                    self.tickets.extend(self.set_holdings(self.test, amount / 100))
                elif self.tickets:
                    ticket = self.tickets[amount % len(self.tickets)]
                    if action == "cancel":
                        ticket.cancel()
                    else:
                        ticket.update_quantity(amount)

        def on_order_event(self, order_event: Any) -> None:
            if listen:
                super().on_order_event(order_event)

    return Scripted


def _write(data: MiniData) -> None:
    bars = data.day(DAY1)
    for minute, key in enumerate(sorted(bars.trade)[:120]):
        price = 100 + (minute % 9) * 0.07 - (minute % 4) * 0.06
        bars.set(f"{key.seconds // 3600:02d}:{key.seconds // 60 % 60:02d}", price, price + 0.15, price - 0.15, price)
    data.write(bars)


def _record(outcome: Any) -> Any:
    algorithm = algo(outcome)
    handler = ctx_of(algorithm).transactions
    events = [(repr(e), e.id, e.ticket.order_id) for e in handler.order_events]
    orders = [(repr(o), o.status, o._price, o._quantity_filled, o._last_fill_time, o._last_update_time,
               o._canceled_time, o._submission_bid, o._submission_ask, o._submission_last) for o in handler.orders.values()]
    tickets = [(repr(t), [repr(e) for e in t._order_events], t._quantity_filled, t._average_fill_price)
               for t in algorithm.tickets]
    books = (algorithm.portfolio.cash, [(h.quantity, h.average_price) for h in algorithm.portfolio.values()])
    return algorithm.events, events, orders, tickets, books


@settings(max_examples=12)
@given(steps=st.lists(st.tuples(st.integers(1, 100), st.sampled_from(ACTIONS), st.integers(-60, 60).filter(bool)),
                      min_size=1, max_size=12),
       listen=st.booleans())
def test_shortcuts_change_nothing(lean_data: Path, steps: Any, listen: bool) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        records = []
        for general in (False, True):
            data = MiniData(root / str(general) / "data", lean_data)
            _write(data)
            with ExitStack() as stack:
                if general:
                    for patch in _general_paths():
                        stack.enter_context(patch)
                outcome = run(data, _script(steps, listen))
            records.append(_record(outcome))
        assert records[0] == records[1]
    finally:
        shutil.rmtree(root, ignore_errors=True)
