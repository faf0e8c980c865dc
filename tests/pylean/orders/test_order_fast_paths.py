"""The order path's shortcuts change nothing: randomized order scripts (market, limit and stop orders, updates,
cancels, SetHoldings) give the same order events, tickets, orders and books with the shortcuts as with each
patched back to the general path it stands for (the default fill model's own, not a user subclass's)."""
from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import MethodType
from typing import Any
from unittest import mock

from hypothesis import given, settings, strategies as st
from orders_support import MiniData, OrderTestAlgorithm, ScriptedOrders, algo, fast_and_general, write_minute_prices

from pylean.algorithm_state import ctx_of
from pylean.orders import brokerage as brokerage_module, buying_power_api, fees
from pylean.orders.buying_power import SecurityMarginModel
from pylean.orders.fees import (ConstantFeeModel, ConstantSlippageModel, FeeModel, InteractiveBrokersFeeModel,
                                NullSlippageModel)
from pylean.orders.types import CashAmount, MarketOrder, OrderFee

ACTIONS = ("market", "limit", "stop", "update", "cancel", "target")


def _general_paths() -> list[Any]:
    """Each shortcut replaced by what it stands for."""
    return [
        mock.patch.object(brokerage_module, "quick_market_fill", lambda security, order: None),
        *_model_look_ups(),
    ]


def _model_look_ups() -> list[Any]:
    """The default fee, slippage and margin models' answers taken from their looked-up methods again."""
    nothing = type("NoModel", (), {})
    return [mock.patch.object(fees, "_PLAIN_FEE_MODEL", nothing),
            mock.patch.object(fees, "_PLAIN_SLIPPAGE_MODEL", nothing),
            mock.patch.object(buying_power_api, "OWN_MODEL_CLASSES", set())]


def _script(script: list[tuple[int, str, int]], listen: bool) -> type:
    class Scripted(ScriptedOrders, OrderTestAlgorithm):
        steps = script

        def act_stop(self, amount: int, price: float) -> None:
            self.tickets.append(self.stop_market_order(self.test, amount, price + 0.05 * (amount % 5)))

        def on_order_event(self, order_event: Any) -> None:
            if listen:
                super().on_order_event(order_event)

    return Scripted


def _write(data: MiniData) -> None:
    write_minute_prices(data, 120, lambda minute: 100 + (minute % 9) * 0.07 - (minute % 4) * 0.06)


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
    fast, general = fast_and_general(lean_data, _write, _script(steps, listen), _general_paths, _record)
    assert fast == general


def _fee_model(kind: int) -> Any:
    model: Any = [InteractiveBrokersFeeModel, FeeModel, lambda: ConstantFeeModel(2.5)][kind % 3]()
    if kind >= 3:  # something set on the instance: a method of its own, or just a field
        if kind % 2:
            model.get_order_fee = lambda parameters: OrderFee(CashAmount(Decimal(7), "USD"))
        else:
            model.note = "x"
    return model


def _slippage_model(kind: int) -> Any:
    model: Any = [NullSlippageModel, lambda: ConstantSlippageModel(0.001)][kind % 2]()
    if kind >= 2:
        if kind % 2:
            model.get_slippage_approximation = lambda asset, order: 0.25
        else:
            model.note = "x"
    return model


@settings(max_examples=200)
@given(quantity=st.integers(-100_000, 100_000).filter(bool), price=st.decimals("0.01", "2000", places=4),
       fee_kind=st.integers(0, 5), slippage_kind=st.integers(0, 3), margin_note=st.booleans())
def test_model_shortcuts_answer_as_the_look_ups(quantity: int, price: Any, fee_kind: int, slippage_kind: int,
                                               margin_note: bool) -> None:
    cache = mock.Mock(trade_decimal=lambda name="close": price)
    security = mock.Mock(fee_model=_fee_model(fee_kind), slippage_model=_slippage_model(slippage_kind), cache=cache)
    margin = SecurityMarginModel(2)
    if margin_note:
        margin.get_reserved_buying_power_for_position = MethodType(lambda self, parameters: 0, margin)
    order = MarketOrder(mock.Mock(), Decimal(quantity), datetime(2013, 10, 7, 14, 31, tzinfo=timezone.utc))
    answers = []
    for general in (False, True):
        with ExitStack() as stack:
            if general:
                for patch in _model_look_ups():
                    stack.enter_context(patch)
            answers.append((fees.market_order_fee(security, Decimal(quantity)), fees.slippage(security, order),
                            buying_power_api._user_override(margin, "get_reserved_buying_power_for_position"),
                            buying_power_api._user_override(
                                margin, "get_maximum_order_quantity_for_target_buying_power")))
    assert answers[0] == answers[1]
    assert [str(a) for a in answers[0][:2]] == [str(a) for a in answers[1][:2]]  # (same exponents too)
