"""add_order's one-frame path for a new market order (TransactionHandler._add_market_order) changes nothing:
randomized order scripts without on_order_event (market buys and sells of any size, some refused for buying
power, resting limit orders, updates, cancels, SetHoldings, day orders, a user slippage model) leave the same
orders, events, tickets, requests, responses, books and logs, field by field and in the same field order, as
when every order goes through the general path."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings, strategies as st
from orders_support import (MiniData, QuietOrderTestAlgorithm, ScriptedOrders, algo, fast_and_general, run,
                            write_minute_prices)

from pylean.algorithm_state import ctx_of
from pylean.orders.time_in_force import TimeInForce
from pylean.orders.transactions import TransactionHandler
from pylean.orders.types import OrderProperties

ACTIONS = ("market", "big", "day", "limit", "update", "cancel", "target", "slip")


class _Slippage:
    """A user slippage model: the fill asks it (a cent)."""

    def get_slippage_approximation(self, asset: Any, order: Any) -> float:
        return 0.01


def _script(script: list[tuple[int, str, int]]) -> type:
    class Scripted(ScriptedOrders, QuietOrderTestAlgorithm):
        steps = script

        def act_market(self, amount: int, price: float) -> None:
            self.tickets.append(self.market_order(self.test, amount, tag="t" if amount % 3 else ""))

        def act_big(self, amount: int, price: float) -> None:  # far beyond the buying power: refused
            self.tickets.append(self.market_order(self.test, amount * 1000))

        def act_day(self, amount: int, price: float) -> None:  # a time in force the one-frame fill does not take
            properties = OrderProperties(TimeInForce.DAY)
            self.tickets.append(self.market_order(self.test, amount, order_properties=properties))

        def act_limit(self, amount: int, price: float) -> None:  # resting: the next market order is not alone
            self.tickets.append(self.limit_order(self.test, amount, price - 0.05 * (1 + amount % 5)))

        def act_slip(self, amount: int, price: float) -> None:
            self.securities[self.test].set_slippage_model(_Slippage())

    return Scripted


def _write(data: MiniData) -> None:
    write_minute_prices(data, 60, lambda minute: 100 + (minute % 7) * 0.09 - (minute % 3) * 0.05)


def _fields(obj: Any, *skip: str) -> list[tuple[str, Any]]:
    """Every instance field in its order (the same order means the same instance layout), objects by repr
    (without their addresses)."""
    return [(name, value if isinstance(value, (int, float, str, bool, type(None)))
             else re.sub(" at 0x[0-9a-f]+", "", repr(value)))
            for name, value in vars(obj).items() if name not in skip]


def _record(outcome: Any) -> Any:
    algorithm = algo(outcome)
    handler = ctx_of(algorithm).transactions
    # (the brokerage's no-fill memo holds object ids: it differs from run to run)
    orders = [(_fields(o, "properties", "_no_fill_memo"), o.properties.time_in_force.kind)
              for o in handler.orders.values()]
    events = [(_fields(e, "ticket"), e.ticket.order_id, repr(e.order_fee)) for e in handler.order_events]
    tickets = []
    for ticket in handler.tickets.values():
        request = ticket._submit_request
        tickets.append((_fields(ticket, "_handler", "_submit_request", "_order", "_order_events"),
                        [e.id for e in ticket._order_events],
                        _fields(request, "order_properties", "response"), _fields(request.response),
                        [(_fields(r, "response"), _fields(r.response)) for r in ticket._update_requests]))
    books = (algorithm.portfolio.cash, [(h.quantity, h.average_price) for h in algorithm.portfolio.values()])
    # the algorithm's log (errors and warnings) and order events as written, the statistics and OrderListHash
    files = [[line for line in path.read_text().splitlines() if " completed in " not in line]  # (wall clock)
             for pattern in ("*-log.txt", "*-order-events.json") for path in sorted(outcome.output.glob(pattern))]
    summary = (outcome.record.statistics, outcome.record.order_list_hash)
    return orders, events, tickets, books, files, summary, list(handler.brokerage._pending), list(handler._open)


@settings(max_examples=25)
@given(steps=st.lists(st.tuples(st.integers(1, 50), st.sampled_from(ACTIONS), st.integers(-60, 60).filter(bool)),
                      min_size=1, max_size=14))
def test_market_order_fast_path_changes_nothing(lean_data: Path, steps: Any) -> None:
    def general_path() -> list[Any]:  # every order through add_order's general path
        return [mock.patch.object(TransactionHandler, "_add_market_order", lambda *_: None)]

    fast, general = fast_and_general(lean_data, _write, _script(steps), general_path, _record)
    assert fast == general


def test_fast_path_is_taken(lean_data: Path) -> None:
    """The scripts above do reach the one-frame path (else the comparison proves nothing)."""
    root = Path(tempfile.mkdtemp())
    try:
        data = MiniData(root / "data", lean_data)
        _write(data)
        taken = []
        original = TransactionHandler._add_market_order

        def spy(self: Any, request: Any, security: Any) -> Any:
            ticket = original(self, request, security)
            taken.append(ticket is not None)
            return ticket

        with mock.patch.object(TransactionHandler, "_add_market_order", spy):
            run(data, _script([(2, "market", 5), (3, "market", -5), (4, "big", 7), (5, "target", 20)]))
        assert taken == [True, True, True, True]
    finally:
        shutil.rmtree(root, ignore_errors=True)
