"""The doubles fast path of the buying power re-check (pylean/orders/buying_power.py `_clearly_sufficient`)
answers "sufficient" only where Lean's decimal model (BuyingPowerModel.HasSufficientBuyingPowerForOrder)
says sufficient too: randomized books, prices, leverages and orders, boundaries included."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import assume, example, given, settings, strategies as st

from pylean.orders.buying_power import SecurityMarginModel, _clearly_sufficient, check_buying_power
from pylean.orders.fees import InteractiveBrokersFeeModel
from pylean.orders.types import LimitOrder, MarketOrder, StopMarketOrder
from pylean.portfolio import SecurityPortfolioManager
from pylean.securities import FeedCursor, SecurityHolding, SecurityManager
from pylean.symbols import Symbol

NOW = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)


class _Cache:
    def __init__(self, price: Decimal) -> None:
        self.price = price
        self.cursor = FeedCursor()  # no day block: the portfolio's per-step memo stays out of it

    def trade_decimal(self, name: str = "close") -> Decimal:
        return self.price


class _Properties:
    contract_multiplier = Decimal(1)
    lot_size = Decimal(1)


class _Security:
    def __init__(self, ticker: str, price: Decimal, leverage: Decimal) -> None:
        self.symbol = Symbol.create(ticker)
        self.cache = _Cache(price)
        self.symbol_properties = _Properties()
        self.buying_power_model = SecurityMarginModel(leverage)
        self.fee_model = InteractiveBrokersFeeModel()
        self.holdings = SecurityHolding(self)  # type: ignore[arg-type]


_prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=6)
_leverages = st.sampled_from([Decimal(1), Decimal(2), Decimal(3), Decimal(4), Decimal("1.5")])
_quantities = st.integers(min_value=-20_000, max_value=20_000)


def _book(cash: Decimal, held: list[tuple[int, Decimal, Decimal]]) -> tuple[SecurityPortfolioManager, list]:
    portfolio = SecurityPortfolioManager(SecurityManager(), cash)
    securities = []
    for i, (quantity, price, leverage) in enumerate(held):
        security = _Security(f"H{i}", price, leverage)
        if quantity:
            security.holdings._quantity = Decimal(quantity)
            security.holdings._average_price = price
            portfolio._held[security.symbol] = security.holdings
        securities.append(security)
    return portfolio, securities


@settings(max_examples=1500, deadline=None)
@given(cash=st.decimals(min_value=Decimal(-200_000), max_value=Decimal(2_000_000), places=2),
       held=st.lists(st.tuples(_quantities, _prices, _leverages), max_size=3),
       own=st.tuples(_quantities, _prices, _leverages), quantity=_quantities,
       filled_share=st.sampled_from([0, 0, 1, 2]), kind=st.sampled_from(["market", "limit", "stop"]),
       offset=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=3))
@example(cash=Decimal(100000), held=[], own=(0, Decimal(100), Decimal(2)), quantity=1999,
         filled_share=0, kind="market", offset=Decimal(1))
@example(cash=Decimal(100000), held=[], own=(0, Decimal(100), Decimal(2)), quantity=1998,
         filled_share=0, kind="market", offset=Decimal(1))
def test_fast_sufficient_is_always_the_decimal_models_answer(cash, held, own, quantity, filled_share, kind, offset):
    assume(quantity != 0)
    portfolio, _ = _book(cash, held)
    security = _Security("OWN", own[1], own[2])
    if own[0]:
        security.holdings._quantity = Decimal(own[0])
        security.holdings._average_price = own[1]
        portfolio._held[security.symbol] = security.holdings
    if kind == "market":
        order = MarketOrder(security.symbol, quantity, NOW)
    elif kind == "limit":
        order = LimitOrder(security.symbol, quantity, own[1] * offset, NOW)
    else:
        order = StopMarketOrder(security.symbol, quantity, own[1] * offset, NOW)
    order._quantity_filled = Decimal(quantity * filled_share // 4)
    exact = security.buying_power_model.has_sufficient_buying_power(portfolio, security, order)
    if _clearly_sufficient(portfolio, security, order):  # type: ignore[arg-type]
        assert exact.is_sufficient
    assert check_buying_power(portfolio, security, order).is_sufficient == exact.is_sufficient  # type: ignore[arg-type]


def test_the_fast_path_answers_ordinary_orders_and_leaves_the_boundary_to_the_decimals():
    portfolio, _ = _book(Decimal(100000), [])
    security = _Security("OWN", Decimal(100), Decimal(2))
    assert _clearly_sufficient(portfolio, security, MarketOrder(security.symbol, 100, NOW))  # type: ignore[arg-type]
    # 1999 x 100 / 2 + 9.995 fee = 99959.995 < 100000: sufficient, but within the slack: the decimals decide
    near = MarketOrder(security.symbol, 1999, NOW)
    assert check_buying_power(portfolio, security, near).is_sufficient  # type: ignore[arg-type]
    too_big = MarketOrder(security.symbol, 2000, NOW)
    assert not _clearly_sufficient(portfolio, security, too_big)  # type: ignore[arg-type]
    assert not check_buying_power(portfolio, security, too_big).is_sufficient  # type: ignore[arg-type]


def test_remembered_floats_and_totals_follow_every_fill():
    """SecurityHolding keeps the float it last read per decimal object; the portfolio keeps its total profit
    per fill count: a fill changes both at once."""
    from pylean.numbers import to_float
    portfolio, _ = _book(Decimal(100000), [])
    security = _Security("OWN", Decimal("100.37"), Decimal(2))
    portfolio.securities.add(security)  # type: ignore[arg-type]
    holding = security.holdings
    assert (holding.quantity, holding.average_price, portfolio.total_profit) == (0.0, 0.0, 0.0)
    for quantity, price in ((10, "100.37"), (-4, "101.13"), (-6, "99.99"), (3, "232.43599999999998")):
        portfolio.process_fill(holding, NOW, Decimal(price), Decimal(quantity), Decimal(1))
        assert holding.quantity == to_float(holding._quantity)
        assert holding.average_price == to_float(holding._average_price)
        assert portfolio.total_profit == to_float(holding._net_profit)
