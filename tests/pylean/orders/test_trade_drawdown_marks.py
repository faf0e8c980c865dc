"""The trade builder's comparison-only drawdown tracking (_OpenTrade.mark) makes the very decimals,
exponents included, that Lean's per-price update (update_drawdown) makes."""
from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

import pytest

from pylean.statistics.dotnet import net_sub
from pylean.statistics.trades import LONG, SHORT, _OpenTrade


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
