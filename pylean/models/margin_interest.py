"""Margin interest rate models (Common/Securities/IMarginInterestRateModel.cs, MarginInterestRateModel.cs,
Common/Securities/Equity/ShortMarginInterestRateModel.cs) and the hourly scan that applies them
(Engine/AlgorithmManager.cs: once the step's UTC time reaches the next whole hour, every security's model is
applied with that time, before the algorithm's code runs).

`holdings.get_quantity_value(q)` answers a ConvertibleCashAmount whose `cash` is the account currency's entry
of the cash book: a model pays or charges interest by adding to it.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pylean.naming import lean_api
from pylean.numbers import to_decimal, to_float

HOUR_MS = 3_600_000


@lean_api
class MarginInterestRateParameters:
    def __init__(self, security: Any, time: datetime) -> None:
        self.security = security
        self.time = time


@lean_api
class NullMarginInterestRateModel:
    def apply_margin_interest_rate(self, margin_interest_rate_parameters: MarginInterestRateParameters) -> None:
        pass


NULL_MARGIN_INTEREST_RATE_MODEL = NullMarginInterestRateModel()


@lean_api
class MarginInterestRateModel:
    """Lean's holder of the null model: `MarginInterestRateModel.NULL`."""

    NULL = NULL_MARGIN_INTEREST_RATE_MODEL


@lean_api
class AccountCash:
    """The account currency's entry of the cash book (Common/Securities/Cash.cs), a view on the portfolio's cash."""

    def __init__(self, portfolio: Any, symbol: str = "USD") -> None:
        self._portfolio = portfolio
        self.symbol = symbol
        self.conversion_rate = 1.0

    @property
    def amount(self) -> float:
        return self._portfolio.cash

    def add_amount(self, amount: Any) -> float:
        portfolio = self._portfolio
        portfolio.set_cash(portfolio.cash_decimal + to_decimal(amount))
        return portfolio.cash

    def set_amount(self, amount: Any) -> None:
        self._portfolio.set_cash(to_decimal(amount))


@lean_api
class ConvertibleCashAmount:
    def __init__(self, amount: Decimal, cash: AccountCash | None) -> None:
        self._pylean_amount = amount
        self.cash = cash

    @property
    def amount(self) -> float:
        return to_float(self._pylean_amount)

    @property
    def in_account_currency(self) -> float:
        return to_float(self._pylean_amount)


def quantity_value(security: Any, quantity: Any, price: Any = None) -> ConvertibleCashAmount:
    """SecurityHolding.GetQuantityValue: quantity x price x contract multiplier, in the quote currency."""
    value = to_decimal(quantity) * (security.cache.trade_decimal() if price is None else to_decimal(price))
    value *= security.symbol_properties.contract_multiplier
    return ConvertibleCashAmount(value, security.__dict__.get("_account_cash"))


@lean_api
class ShortMarginInterestRateModel:
    """Charges the borrow fee on shorts and pays the rebate on longs, once a day, for the days held since the
    last charge: rate x holdings value / 360 x days. `amount` is the running total (negative: paid). Its state
    has `_pylean_` names, out of the way of a user subclass's attributes."""

    def __init__(self) -> None:
        self._pylean_amount = Decimal(0)
        self._pylean_is_short = False
        self._pylean_previous_time: datetime | None = None

    @property
    def amount(self) -> float:
        return to_float(self._pylean_amount)

    def apply_margin_interest_rate(self, margin_interest_rate_parameters: MarginInterestRateParameters) -> None:
        parameters = margin_interest_rate_parameters
        security, time = parameters.security, parameters.time
        holdings = security.holdings
        if not holdings._quantity:
            self._pylean_previous_time = None
            return
        if self._pylean_previous_time is None or self._pylean_is_short != (holdings._quantity < 0):
            self._pylean_is_short = holdings._quantity < 0  # the clock starts, or restarts on a change of side
            self._pylean_previous_time = time
            return
        if time.date() == self._pylean_previous_time.date():
            return  # once a day
        provider, local_day = security.shortable_provider, security.local_time
        rate = _rate(provider, "fee_rate" if self._pylean_is_short else "rebate_rate", security.symbol, local_day)
        if not rate:
            self._pylean_previous_time = None
            return
        fee = rate * holdings.holdings_value_decimal() / 360 * (time.date() - self._pylean_previous_time.date()).days
        self._pylean_amount += fee
        cash = security.__dict__.get("_account_cash")
        if cash is not None:
            cash.add_amount(fee)
        self._pylean_previous_time = time


def _rate(provider: Any, name: str, symbol: Any, local_time: datetime) -> Decimal:
    exact = getattr(provider, name + "_decimal", None)  # pylean's providers keep the file's decimals
    if exact is not None:
        return exact(symbol, local_time)
    value = getattr(provider, name)(symbol, local_time)
    return Decimal(0) if value is None else to_decimal(value)


class MarginInterestScan:
    """The engine's hourly pass over every security's margin interest model."""

    def __init__(self, securities: Any) -> None:
        self._securities = securities
        self.next_ms = -1  # local epoch ms of the next scan: the first step scans

    def run(self, t_ms: int, utc_time: datetime) -> int:
        for security in self._securities.values():
            model = security.margin_interest_rate_model
            if model is not NULL_MARGIN_INTEREST_RATE_MODEL:
                apply = getattr(model, "apply_margin_interest_rate", None) or model.ApplyMarginInterestRate
                apply(MarginInterestRateParameters(security, utc_time))
        # New York's offset is whole hours: the local hour boundary is the UTC one
        self.next_ms = (t_ms // HOUR_MS + 1) * HOUR_MS
        return self.next_ms
