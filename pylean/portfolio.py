"""Cash, holdings and fill accounting (Common/Securities/SecurityPortfolioManager.cs, SecurityPortfolioModel.cs)."""
from __future__ import annotations

import weakref
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator

from pylean.naming import lean_api
from pylean.orders.buying_power import DEFAULT_MARGIN_MODELS as _PYLEAN_MARGIN_MODELS
from pylean.orders.buying_power_api import reserved_buying_power
from pylean.numbers import to_float
from pylean.securities import SecurityHolding, SecurityManager
from pylean.symbols import Symbol

ZERO = Decimal(0)
_ONE, _MINUS_ONE = Decimal(1), Decimal(-1)
ONE_MS = timedelta(milliseconds=1)


@lean_api
class SecurityPortfolioManager:
    """The algorithm's `portfolio`: a view over each security's holdings plus the cash book."""

    def __init__(self, securities: SecurityManager, cash: Decimal = Decimal(100000)) -> None:
        self.securities = securities
        self._cash = cash
        self._total_fees = ZERO
        self._total_sale_volume = ZERO
        self._held: dict[Symbol, SecurityHolding] = {}  # holdings with a non-zero quantity
        self._fills = 0  # fills applied so far (the books move only with a fill or a new cash amount)
        # answers kept for the current step (see step_memo): (weak day block, step k, key -> answer)
        self._step_memo: tuple[Any, int, dict[str, Any]] = (None, -1, {})
        self._profit_memo: tuple[int, int, Decimal] = (-1, -1, ZERO)
        # transaction records (spec §3.13): UTC time -> profit minus twice the closing fill's fee
        self.transaction_records: dict[datetime, Decimal] = {}

    # ------------------------------------------------------------ cash
    def set_cash(self, cash: float | Decimal) -> None:
        self._cash = cash if isinstance(cash, Decimal) else Decimal(repr(cash)) if isinstance(cash, float) else Decimal(cash)

    cash = property(lambda self: to_float(self._cash))
    cash_decimal = property(lambda self: self._cash)

    # ------------------------------------------------------------ valuation
    def total_holdings_value_decimal(self) -> Decimal:
        """The held positions' values summed in holding order. Within a step prices do not move, so a position's
        value is remembered with the quantity object it was worked out for: after a fill only the filled
        position is valued again."""
        held = self._held
        if not held:
            return ZERO
        memo = self.step_memo(next(iter(held.values())).security.cache.cursor)
        values = memo.get("values")
        if values is None:
            values = memo["values"] = {}
        total = ZERO
        for symbol, holding in held.items():  # holdings_value_decimal written out (a split may leave none held)
            quantity = holding._quantity
            found = values.get(symbol)
            if found is not None and found[0] is quantity:
                total += found[1]
                continue
            value = quantity * holding.security.cache.trade_decimal() if quantity else ZERO
            values[symbol] = (quantity, value)
            total += value
        return total

    def step_memo(self, cursor: Any) -> dict[str, Any]:
        """A table that lives for the cursor's step, for answers that hold while prices do not move (each caller
        keeps its own key and checks what else its answer depends on); a new step starts an empty one. Without
        a loaded day: an empty table, not kept."""
        block = cursor.block
        if block is None:
            return {}
        held_block, k, memo = self._step_memo
        if held_block is None or held_block() is not block or k != cursor.k:
            memo = {}
            self._step_memo = (weakref.ref(block), cursor.k, memo)  # weak: an old day must not stay alive
        return memo

    def total_portfolio_value_decimal(self) -> Decimal:
        """Cash plus holdings at the step's prices; asked many times per step, summed once per step and fill."""
        if not self._held:
            return self._cash
        memo = self.step_memo(next(iter(self._held.values())).security.cache.cursor)
        found = memo.get("total")
        if found is not None and found[0] is self._cash and found[1] == self._fills:
            return found[2]  # type: ignore[no-any-return]
        value = self._cash + self.total_holdings_value_decimal()
        memo["total"] = (self._cash, self._fills, value)
        return value

    def total_margin_used_decimal(self) -> Decimal:
        total = ZERO
        for holding in self._held.values():
            security = holding.security
            model = security.buying_power_model
            if type(model) not in _PYLEAN_MARGIN_MODELS:
                reserved = reserved_buying_power(model, security)  # a user model's own rule
                if reserved is not None:
                    total += reserved
                    continue
            total += abs(holding.holdings_value_decimal()) * model.maintenance_margin_requirement(security)
        return total

    def margin_remaining_decimal(self) -> Decimal:
        return self.total_portfolio_value_decimal() - self.total_margin_used_decimal()

    @property
    def total_portfolio_value(self) -> float:
        return _float_of(self, self.total_portfolio_value_decimal(), "_tpv_float")
    total_holdings_value = property(lambda self: to_float(self.total_holdings_value_decimal()))
    total_absolute_holdings_cost = property(
        lambda self: to_float(sum((abs(h._average_price * h._quantity) for h in self._held.values()), ZERO)))
    total_margin_used = property(lambda self: to_float(self.total_margin_used_decimal()))
    margin_remaining = property(lambda self: to_float(self.margin_remaining_decimal()))
    total_fees = property(lambda self: to_float(self._total_fees))
    total_fees_decimal = property(lambda self: self._total_fees)
    total_sale_volume = property(lambda self: to_float(self._total_sale_volume))
    total_sale_volume_decimal = property(lambda self: self._total_sale_volume)
    invested = property(lambda self: bool(self._held))
    hold_stock = invested

    @property
    def total_unrealized_profit(self) -> float:
        return to_float(self.unrealized_profit_decimal())

    total_unrealised_profit = total_unrealized_profit

    def total_profit_decimal(self) -> Decimal:
        """Realized profit of every security; it moves only with a fill or a security added or removed."""
        fills, version, value = self._profit_memo
        if fills == self._fills and version == self.securities._version:
            return value
        value = sum((s.holdings._net_profit for s in self.securities.values()), ZERO)
        self._profit_memo = (self._fills, self.securities._version, value)
        return value

    @property
    def total_profit(self) -> float:
        return _float_of(self, self.total_profit_decimal(), "_profit_float")

    @property
    def total_net_profit(self) -> float:
        return to_float(self.total_profit_decimal() - self._total_fees)

    def unrealized_profit_decimal(self) -> Decimal:
        return sum((h.unrealized_profit_decimal() for h in self._held.values()), ZERO)

    def held_holdings(self) -> list[SecurityHolding]:
        return list(self._held.values())

    # ------------------------------------------------------------ mapping access
    def __getitem__(self, key: Symbol | str) -> SecurityHolding:
        found = self.securities._by_symbol.get(key) if isinstance(key, Symbol) else None
        return (found if found is not None else self.securities.resolve(key)).holdings

    def __contains__(self, key: object) -> bool:
        return key in self.securities

    def contains_key(self, key: Symbol | str) -> bool:
        return key in self.securities

    def __iter__(self) -> Iterator[Any]:
        """(symbol, holding) pairs with `.key` / `.value`, as iterating Lean's SecurityPortfolioManager."""
        from pylean.dotnet.collections_generic import KeyValuePair
        return iter([KeyValuePair(symbol, s.holdings) for symbol, s in self.securities.items()])

    def __len__(self) -> int:
        return len(self.securities)

    def keys(self) -> list[Symbol]:
        return self.securities.keys()

    def values(self) -> list[SecurityHolding]:
        return [s.holdings for s in self.securities.values()]

    def items(self) -> list[tuple[Symbol, SecurityHolding]]:
        return [(symbol, s.holdings) for symbol, s in self.securities.items()]

    def get(self, key: Symbol | str, default: SecurityHolding | None = None) -> SecurityHolding | None:
        return self[key] if key in self.securities else default

    @property
    def count(self) -> int:
        return len(self.securities)

    # ------------------------------------------------------------ fills
    def process_fill(self, holding: SecurityHolding, utc_time: datetime, fill_price: Decimal,
                     fill_quantity: Decimal, fee: Decimal) -> None:
        """Apply one fill to cash and holdings (SecurityPortfolioModel.ProcessFill)."""
        multiplier = holding.security.symbol_properties.contract_multiplier
        # x 1 changes no digit and no exponent: skipped (signs read without making a decimal of int 0)
        unit = type(multiplier) is Decimal and multiplier == _ONE and multiplier.same_quantum(_ONE)
        self._fills += 1
        value = fill_quantity * fill_price if unit else fill_quantity * fill_price * multiplier
        self._cash -= value + fee
        self._total_fees += fee
        holding._total_fees += fee
        sale = abs(fill_quantity) * fill_price
        if not unit:
            sale *= multiplier
        self._total_sale_volume += sale
        holding._total_sale_volume += sale
        quantity, average = holding._quantity, holding._average_price
        was_long, buying = quantity > ZERO, fill_quantity > ZERO
        if quantity and was_long != buying:
            closed = min(abs(fill_quantity), abs(quantity))
            profit = (fill_price - average) * closed * (_ONE if was_long else _MINUS_ONE)
            if not unit:
                profit *= multiplier
            holding._net_profit += profit
            self._record_transaction(utc_time, profit - 2 * fee)
        new_quantity = quantity + fill_quantity
        if not new_quantity:
            holding._average_price = ZERO
        elif not quantity or was_long != (new_quantity > ZERO):
            holding._average_price = fill_price        # opened, or crossed through zero
        elif was_long == buying:
            holding._average_price = (average * quantity + fill_price * fill_quantity) / new_quantity
        holding._quantity = new_quantity
        if not new_quantity:
            self._held.pop(holding.security.symbol, None)
        else:
            self._held[holding.security.symbol] = holding

    def _record_transaction(self, utc_time: datetime, value: Decimal) -> None:
        while utc_time in self.transaction_records:
            utc_time += ONE_MS
        self.transaction_records[utc_time] = value


def _float_of(portfolio: SecurityPortfolioManager, value: Decimal, slot: str) -> float:
    """What Python reads of `value`, remembered per decimal object in `slot` (algorithms read the same
    totals at every step while the books do not move)."""
    memo = portfolio.__dict__.get(slot)
    if memo is not None and memo[0] is value:
        return memo[1]
    number = to_float(value)
    portfolio.__dict__[slot] = (value, number)
    return number
