"""The trade builder's comparison-only drawdown tracking (_OpenTrade.mark) makes the very decimals,
exponents included, that Lean's per-price update (update_drawdown) makes; so does its fill matching
with plain quantities (exact decimal arithmetic instead of the .NET helpers)."""
from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

import pytest

from pylean.statistics.dotnet import net_sub
from pylean.statistics import trades as trades_module
from pylean.statistics.trades import LONG, SHORT, TradeBuilder, _OpenTrade


def _price(rng: random.Random) -> Decimal:
    cents = rng.randint(9_900, 10_100)
    places = rng.choice((2, 3, 4))  # the same value with other exponents: 100.5 / 100.50 / 100.500
    return Decimal(cents).scaleb(-2).quantize(Decimal(1).scaleb(-places))


@pytest.mark.parametrize("direction", [LONG, SHORT])
@pytest.mark.parametrize("seed", range(20))
def test_mark_makes_the_decimals_of_update_drawdown(direction: int, seed: int) -> None:
    rng = random.Random(seed)
    entry = _price(rng)
    marked = _OpenTrade(datetime(2013, 10, 7), entry, direction, Decimal(10), Decimal(1), [1])
    updated = _OpenTrade(datetime(2013, 10, 7), entry, direction, Decimal(10), Decimal(1), [1])
    assert marked.plain
    for _ in range(300):
        price = _price(rng)
        marked.mark(price)
        updated.update_drawdown(net_sub(price, entry) if direction == LONG else net_sub(entry, price))
        assert str(marked.max_profit) == str(updated.max_profit)
        assert str(marked.max_drawdown) == str(updated.max_drawdown)
    assert updated.max_drawdown > 0


def test_a_price_with_many_decimals_is_not_plain() -> None:
    trade = _OpenTrade(datetime(2013, 10, 7), Decimal("1.0000000000001"), LONG, Decimal(1), Decimal(0), [1])
    assert not trade.plain


def _fills(seed: int) -> list[tuple[int, Decimal, Decimal]]:
    rng = random.Random(seed)
    fills = []
    for order_id in range(1, 200):
        quantity = Decimal(rng.choice((-1, 1)) * rng.randint(1, 400))
        if rng.random() < 0.2:  # fractional lots, other exponents
            quantity = quantity.scaleb(-rng.randint(1, 4))
        fills.append((order_id, quantity, _price(random.Random(seed * 1000 + order_id))))
    return fills


def _closed(fills: list[tuple[int, Decimal, Decimal]]) -> list[tuple[str, ...]]:
    builder = TradeBuilder(id_factory=lambda: "id")
    for order_id, quantity, price in fills:
        builder.process_fill("SPY", datetime(2013, 10, 7, 14, order_id % 60), order_id, price, quantity,
                             Decimal("1.25"), Decimal(1))
    trades = [(str(t.quantity), str(t.profit_loss), str(t.total_fees), str(t.mae), str(t.mfe),
               str(t.end_trade_drawdown), str(t.direction), repr(t.order_ids)) for t in builder.closed_trades]
    pending = builder._positions.get("SPY")
    return trades + [(str(t.quantity), str(t.total_fees)) for t in (pending.pending if pending else [])]


@pytest.mark.parametrize("seed", range(10))
def test_fill_matching_with_plain_quantities_makes_the_decimals_of_net_arithmetic(seed, monkeypatch) -> None:
    fills = _fills(seed)
    fast = _closed(fills)
    monkeypatch.setattr(trades_module, "_plain", lambda _value: False)  # every quantity takes net_*
    assert fast == _closed(fills)
    assert len(fast) > 50
