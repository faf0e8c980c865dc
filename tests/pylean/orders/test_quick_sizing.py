"""SetHoldings sizing in doubles (`quick_target_quantity`) against the decimal model it stands in for: on
random books, prices, leverages and targets, whenever the double sizing answers, its answer is the decimal
model's digit for digit, and the decimal model gave no reason (a zero order is always the model's)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import event, given, settings, strategies as st

from pylean.orders.buying_power import BuyingPowerModel, SecurityMarginModel, quick_target_quantity
from pylean.orders.fees import InteractiveBrokersFeeModel
from pylean.portfolio import SecurityPortfolioManager
from pylean.securities import FeedCursor, SecurityHolding, SecurityManager
from pylean.symbols import Symbol

NOW = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)
FREE = Decimal("0.0025")  # Settings.FreePortfolioValuePercentage's default


class _Block:
    """A day block as the step memos see it: an object held weakly."""


class _Cache:
    def __init__(self, cursor: FeedCursor, price: Decimal) -> None:
        self.cursor = cursor
        self.price = price

    def trade_decimal(self, name: str = "close") -> Decimal:
        return self.price


class _Properties:
    def __init__(self, lot: Decimal) -> None:
        self.contract_multiplier = Decimal(1)
        self.lot_size = lot


class _Security:
    def __init__(self, ticker: str, cursor: FeedCursor, price: Decimal, leverage: Decimal,
                 lot: Decimal = Decimal(1)) -> None:
        self.symbol = Symbol.create(ticker)
        self.cache = _Cache(cursor, price)
        self.symbol_properties = _Properties(lot)
        self.buying_power_model = SecurityMarginModel(leverage)
        self.fee_model = InteractiveBrokersFeeModel()
        self.holdings = SecurityHolding(self)  # type: ignore[arg-type]


def _decimal_sizing(portfolio: SecurityPortfolioManager, security: _Security, target: Decimal) -> tuple[Decimal, str]:
    """_target_delta's decimal path: the free portfolio value taken off, then the model's own sizing."""
    tpv = portfolio.total_portfolio_value_decimal()
    adjusted = target * (tpv - tpv * FREE) / tpv if tpv else Decimal(0)
    return security.buying_power_model.maximum_order_quantity_for_target(portfolio, security, adjusted)


def _books(cash: Decimal, positions: list[tuple[Decimal, int, Decimal]], lot: Decimal = Decimal(1)
           ) -> tuple[SecurityPortfolioManager, list[_Security]]:
    cursor = FeedCursor()
    cursor.block, cursor.k = _Block(), 0
    portfolio = SecurityPortfolioManager(SecurityManager(), cash)
    securities = []
    for i, (price, held, leverage) in enumerate(positions):
        security = _Security(f"S{i}", cursor, price, leverage, lot)
        if held:
            portfolio.process_fill(security.holdings, NOW, price, Decimal(held), Decimal(1))
        securities.append(security)
    return portfolio, securities


_price = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2000"), places=4)
_position = st.tuples(_price, st.integers(-3000, 3000), st.sampled_from([Decimal(1), Decimal(2), Decimal(4)]))


@settings(max_examples=600, deadline=None)
@given(cash=st.decimals(min_value=Decimal(1000), max_value=Decimal(10**7), places=2),
       positions=st.lists(_position, min_size=1, max_size=4),
       target=st.one_of(st.decimals(min_value=Decimal(-2), max_value=Decimal(2), places=3),
                        st.sampled_from([Decimal("0.25"), Decimal("0.2"), Decimal("-0.5"), Decimal(1)])),
       which=st.integers(0, 3))
def test_double_sizing_answers_only_what_the_decimal_model_answers(cash, positions, target, which) -> None:
    portfolio, securities = _books(cash, positions)
    security = securities[which % len(securities)]
    quick = quick_target_quantity(portfolio, security, target, FREE)
    expected, reason = _decimal_sizing(portfolio, security, target)
    event("answered in doubles" if quick is not None else "left to the decimal model")
    if quick is not None:
        assert reason == "" and quick == expected and str(quick) == str(expected)


def test_double_sizing_answers_the_usual_order() -> None:
    """A plain re-targeting (SetHoldings 25 % with 20 % held) is answered in doubles, as the model answers."""
    portfolio, (spy, aig) = _books(Decimal(100000), [(Decimal("168.1234"), 118, Decimal(2)),
                                                     (Decimal("34.5"), 0, Decimal(2))])
    for security, target in ((spy, Decimal("0.25")), (aig, Decimal("0.2")), (spy, Decimal("-0.3"))):
        quick = quick_target_quantity(portfolio, security, target, FREE)
        expected, reason = _decimal_sizing(portfolio, security, target)
        assert quick is not None and reason == "" and str(quick) == str(expected)


def test_double_sizing_leaves_the_edges_to_the_decimal_model() -> None:
    """Whatever needs a reason or another shape goes to the model: a zero target, a change under the minimum
    order margin, a lot other than 1, a user's margin model."""
    portfolio, (spy,) = _books(Decimal(100000), [(Decimal("100"), 200, Decimal(2))])
    assert quick_target_quantity(portfolio, spy, Decimal(0), FREE) is None
    held_fraction = Decimal(200 * 100) / portfolio.total_portfolio_value_decimal()
    assert quick_target_quantity(portfolio, spy, held_fraction, FREE) is None  # under the minimum order margin
    _, (lotted,) = _books(Decimal(100000), [(Decimal("100"), 0, Decimal(2))], lot=Decimal(10))
    assert quick_target_quantity(portfolio, lotted, Decimal("0.5"), FREE) is None

    class OwnModel(BuyingPowerModel):
        pass

    spy.buying_power_model = OwnModel(2)
    assert quick_target_quantity(portfolio, spy, Decimal("0.5"), FREE) is None
