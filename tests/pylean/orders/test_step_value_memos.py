"""Within a step only a filled position is valued again: the portfolio's decimal total
(`total_holdings_value_decimal`) and the buying power shortcuts' double books (`double_books`) keep each
position's value for the step with the quantity object it was worked out for. Randomized fills and steps
against the values worked out from nothing, digit for digit; then SetHoldings' own order path."""
from __future__ import annotations

from datetime import datetime, time, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings, strategies as st
from orders_support import DAY1, QuietOrderTestAlgorithm, run

from pylean.orders.buying_power import SecurityMarginModel, _float, double_books
from pylean.portfolio import SecurityPortfolioManager
from pylean.securities import FeedCursor, SecurityHolding, SecurityManager
from pylean.symbols import Symbol

NOW = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)


class _Block:
    """A day block as the memos see it: an object held weakly."""


class _Cache:
    def __init__(self, cursor: FeedCursor, prices: dict[int, Decimal]) -> None:
        self.cursor = cursor
        self.prices = prices  # step k -> price

    def trade_decimal(self, name: str = "close") -> Decimal:
        return self.prices[self.cursor.k]


class _Properties:
    contract_multiplier = Decimal(1)
    lot_size = Decimal(1)


class _Security:
    def __init__(self, ticker: str, cursor: FeedCursor, prices: dict[int, Decimal]) -> None:
        self.symbol = Symbol.create(ticker)
        self.cache = _Cache(cursor, prices)
        self.symbol_properties = _Properties()
        self.buying_power_model = SecurityMarginModel(Decimal(2))
        self.holdings = SecurityHolding(self)  # type: ignore[arg-type]


def _expected_total(portfolio: SecurityPortfolioManager) -> Decimal:
    total = Decimal(0)
    for holding in portfolio._held.values():
        total += holding._quantity * holding.security.cache.trade_decimal()
    return portfolio._cash + total


def _expected_books(portfolio: SecurityPortfolioManager) -> tuple[float, float, float]:
    tpv = used = 0.0
    cash = float(portfolio._cash)
    tpv, size = cash, abs(cash)
    for holding in portfolio._held.values():
        value = _float(holding._quantity) * _float(holding.security.cache.trade_decimal())
        tpv += value
        used += abs(value) / 2.0
        size += abs(value)
    return tpv, used, size


_price = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900"), places=4)
_operation = st.one_of(
    st.tuples(st.just("fill"), st.integers(0, 3), st.integers(-500, 500).filter(bool), _price),
    st.tuples(st.just("step"), st.lists(_price, min_size=4, max_size=4)),
    st.tuples(st.just("block"), st.lists(_price, min_size=4, max_size=4)),
)


@settings(max_examples=300, deadline=None)
@given(first=st.lists(_price, min_size=4, max_size=4), operations=st.lists(_operation, max_size=30),
       cash=st.decimals(min_value=Decimal(1000), max_value=Decimal(10**7), places=2))
def test_totals_remembered_within_a_step_are_the_totals_from_nothing(first, operations, cash) -> None:
    cursor = FeedCursor()
    cursor.block, cursor.k = _Block(), 0
    prices: list[dict[int, Decimal]] = [{0: p} for p in first]
    securities = [_Security(f"S{i}", cursor, prices[i]) for i in range(4)]
    portfolio = SecurityPortfolioManager(SecurityManager(), cash)
    for operation in operations:
        if operation[0] == "fill":
            _, i, quantity, price = operation
            portfolio.process_fill(securities[i].holdings, NOW, price, Decimal(quantity), Decimal(1))
        else:
            if operation[0] == "block":  # the next day: a new block, its steps counted from 0 again
                cursor.block, cursor.k = _Block(), 0
            else:
                cursor.k += 1
            for i, price in enumerate(operation[1]):
                prices[i][cursor.k] = price
        total = portfolio.total_portfolio_value_decimal()
        expected = _expected_total(portfolio)
        assert total == expected and str(total) == str(expected)
        assert double_books(portfolio, cursor).totals == _expected_books(portfolio)


class _SetHoldingsThenMarketOrder(QuietOrderTestAlgorithm):
    def on_data(self, data: object) -> None:
        if self.time.time() == time(9, 31):
            self.set_holdings(self.test, 0.5)
        if self.time.time() == time(9, 40):
            self.set_holdings(self.test, 0.25)
            self.market_order(self.test, 1)


class _WithOwnMarketOrder(_SetHoldingsThenMarketOrder):
    """Defines market_order: Lean's SetHoldings calls its own MarketOrder (C#), never the Python override."""

    overridden = 0

    def market_order(self, *args: Any, **kwargs: Any) -> Any:
        self.overridden += 1
        return super().market_order(*args, **kwargs)


def test_set_holdings_does_not_call_a_market_order_override(data) -> None:
    data.write(data.day(DAY1))
    plain, own = run(data, _SetHoldingsThenMarketOrder), run(data, _WithOwnMarketOrder)
    assert own.record.algorithm.overridden == 1  # the algorithm's own call only
    quantities = [[o._quantity for o in out.record.runtime.transactions.orders.values()] for out in (plain, own)]
    assert quantities[0] == quantities[1] and len(quantities[0]) == 3 and quantities[0][2] == 1
