"""PortfolioTargetCollection (Common/Algorithm/Framework/Portfolio/PortfolioTargetCollection.cs): the latest
target per symbol, plus the margin-impact ordering execution models trade them in."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Iterator

from pylean.algorithm_state import ctx_of
from pylean.framework.order_sizing import OrderSizing
from pylean.naming import lean_api
from pylean.numbers import to_decimal


@lean_api
class PortfolioTargetCollection:
    def __init__(self) -> None:
        self._targets: dict[Any, Any] = {}

    @property
    def count(self) -> int:
        return len(self._targets)

    @property
    def is_empty(self) -> bool:
        return not self._targets

    @property
    def is_read_only(self) -> bool:
        return False

    @property
    def keys(self) -> list[Any]:
        return list(self._targets)

    @property
    def values(self) -> list[Any]:
        return list(self._targets.values())

    def add(self, target: Any, value: Any = None) -> None:
        """add(target) or add(symbol, target), as Lean's ICollection and IDictionary overloads."""
        chosen = value if value is not None else target
        if chosen is not None:
            self._targets[chosen.symbol] = chosen

    def add_range(self, targets: Iterable[Any]) -> None:
        for target in targets:
            if target is not None:
                self._targets[target.symbol] = target

    def clear(self) -> None:
        self._targets.clear()

    def clear_fulfilled(self, algorithm: Any) -> None:
        """Drop the targets the holdings reached (within a lot)."""
        securities = algorithm.securities
        for target in list(self._targets.values()):
            security = securities[target.symbol]
            lot = to_decimal(security.symbol_properties.lot_size)
            if abs(to_decimal(target.quantity) - to_decimal(security.holdings.quantity)) < lot:
                self.remove(target.symbol)

    def contains(self, target: Any) -> bool:
        return bool(target is not None and target.symbol in self._targets)

    def contains_key(self, symbol: Any) -> bool:
        return symbol in self._targets

    def remove(self, item: Any) -> bool:
        """Remove by symbol, or a target if it is the one held for its symbol."""
        is_target = isinstance(getattr(item, "quantity", None), (int, float, Decimal))
        key = item.symbol if is_target else item
        if is_target and self._targets.get(key) is not item:
            return False
        return self._targets.pop(key, None) is not None

    def try_get_value(self, symbol: Any) -> tuple[bool, Any]:
        found = self._targets.get(symbol)
        return found is not None, found

    def __getitem__(self, symbol: Any) -> Any:
        return self._targets[symbol]

    def __setitem__(self, symbol: Any, target: Any) -> None:
        self._targets[symbol] = target

    def __contains__(self, symbol: Any) -> bool:
        return symbol in self._targets

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._targets.values()))

    def __len__(self) -> int:
        return len(self._targets)

    def order_by_margin_impact(self, algorithm: Any) -> list[Any]:
        if not self._targets:
            return []
        return order_targets_by_margin_impact(list(self._targets.values()), algorithm)


def order_targets_by_margin_impact(targets: Iterable[Any], algorithm: Any, target_is_delta: bool = False) -> list[Any]:
    """Lean's OrderTargetsByMarginImpact: nothing while warming up; only tradable securities with data whose
    order is at least a lot; position-reducing targets first, then by decreasing order value (stable)."""
    if algorithm.is_warming_up:
        return []

    transactions = ctx_of(algorithm).transactions
    ranked = []
    for position, target in enumerate(targets):
        security = algorithm.securities[target.symbol]
        lot = to_decimal(security.symbol_properties.lot_size)
        quantity = OrderSizing.adjust_by_lot_size(security, target.quantity)
        existing = projected_quantity(security, transactions)
        if not (security.has_data and security.is_tradable):
            continue
        delta = quantity if target_is_delta else quantity - existing
        if abs(delta) < lot:
            continue
        value = abs(delta * to_decimal(security.price))
        final = quantity + existing if target_is_delta else quantity
        reducing = existing != 0 and abs(final) < abs(existing)
        ranked.append((not reducing, -value, position, target))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


def projected_quantity(security: Any, transactions: Any) -> Decimal:
    """Holdings plus the unfilled quantity of the symbol's open orders (Transactions.GetProjectedHoldings)."""
    open_quantity = sum((transactions.tickets[order.id].quantity_remaining_decimal()
                         for order in transactions.open_orders(security.symbol)), Decimal(0))
    return security.holdings._quantity + open_quantity
