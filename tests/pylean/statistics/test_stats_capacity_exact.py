"""The capacity estimate's integer sums (ExactTradeBar terms) and its sale volumes added when read make the
decimals, exponents included, that the net_* arithmetic makes bar by bar and fill by fill: the same random
fills and steps fed once as ExactTradeBars and once as CapacityBars of the same close and volume."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from pylean.statistics import capacity as cap
from pylean.statistics.dotnet import exact_parts, net_add, net_sum

T0 = datetime(2013, 10, 7, 13, 31)
SYMBOLS = ("A", "B")
# factors as days carry them; the last has so many digits that a large raw close has more than 28 with it
FACTORS = [Decimal(1), Decimal("0.9876543"), Decimal("0.50"), Decimal("0.00012"),
           Decimal("0.1234567890123456789"), Decimal("0.000000000000000000000012")]
FILL_VALUES = st.one_of(st.decimals(min_value=Decimal(0), max_value=Decimal(10**9), places=4),
                        st.sampled_from([Decimal("1E+3"), Decimal("0E-30"), Decimal("12345.6789012345678901234567"),
                                         Decimal("0.1E-27")]))
# (a sum beyond .NET decimal's range raises: at the fill one at a time, when read added up)
SUMMED = st.one_of(FILL_VALUES, st.sampled_from([Decimal("79228162514264337593543950335"), Decimal("-2.25")]))
_BAR = st.tuples(st.integers(0, 5_000_000), st.sampled_from(range(len(FACTORS))),  # raw close, factor
                 st.one_of(st.integers(0, 10**6), st.integers(10**15, 10**20)),      # volume (huge: 96 bits overflow)
                 st.sampled_from([timedelta(minutes=1), timedelta(seconds=1), timedelta(hours=1)]))
_ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("fill"), st.sampled_from(SYMBOLS), FILL_VALUES),
    st.tuples(st.just("step"), st.sampled_from([timedelta(minutes=1), timedelta(minutes=50), timedelta(hours=3),
                                                timedelta(days=1)]),
              st.fixed_dictionaries({s: st.one_of(st.none(), _BAR) for s in SYMBOLS}),
              st.fixed_dictionaries({s: st.sampled_from([Decimal(0), Decimal("2500.10")]) for s in SYMBOLS}),
              st.sets(st.sampled_from(SYMBOLS)))),  # symbols filled just before the step (bars then count)
    max_size=60)


def _exact_bar(raw: int, factor: Decimal, volume: int, period: timedelta, end: datetime) -> cap.ExactTradeBar | None:
    units, exponent = exact_parts(factor)  # type: ignore[misc]
    if raw * units >= 10**28:  # (the engine hands such a close over as a CapacityBar)
        return None
    return cap.ExactTradeBar(period, end, raw, factor, units, exponent, volume)


def _outcome(call: Any, *args: Any) -> str:
    try:
        call(*args)
    except OverflowError:
        return "overflow"
    return "ok"


def _state(estimate: cap.CapacityEstimate) -> list[Any]:
    symbols = [(c.symbol, str(c.sale_volume), str(c.market_dollar_volume), str(c.market_capacity_dollar_volume),
                c.trades, c.monitored,
                str(c._previous_volume)) for c in estimate._by_symbol.values()]
    return [str(estimate.capacity), str(estimate._capacity), estimate.lowest_capacity_asset, symbols]


@settings(max_examples=300, deadline=None)
@given(_ACTIONS)
def test_exact_bars_make_the_decimals_of_capacity_bars(actions: list[tuple[Any, ...]]) -> None:
    exact, decimal = (cap.CapacityEstimate(T0, T0 + timedelta(days=3)) for _ in range(2))
    now = T0
    for action in actions:
        if action[0] == "fill":
            for estimate in (exact, decimal):
                estimate.on_fill(action[1], now, action[2])
            continue
        _, gap, bars, held, filled = action
        for symbol in sorted(filled):
            for estimate in (exact, decimal):
                estimate.on_fill(symbol, now, Decimal("1234.5"))
        now += gap
        exact_bars: dict[str, Any] = {}
        decimal_bars: dict[str, Any] = {}
        for symbol, bar in bars.items():
            if bar is None:
                continue
            raw, factor, volume, period = bar
            made = _exact_bar(raw, FACTORS[factor], volume, period, now)
            if made is not None:
                exact_bars[symbol] = made
                decimal_bars[symbol] = cap.CapacityBar(period, now, made.close, made.volume)
        outcomes = [_outcome(estimate.on_step, now, bars_of.get, held.get, Decimal(100_000))
                    for estimate, bars_of in ((exact, exact_bars), (decimal, decimal_bars))]
        assert outcomes[0] == outcomes[1]
        if outcomes[0] == "overflow":  # (a .NET decimal overflow: Lean throws too)
            return
        assert _state(exact) == _state(decimal)
    for estimate in (exact, decimal):
        estimate.finalize(now, lambda _s: Decimal(1), Decimal(100_000))
    assert _state(exact) == _state(decimal)


@settings(max_examples=500, deadline=None)
@given(st.one_of(FILL_VALUES, st.just(Decimal("-1.5"))), st.lists(SUMMED))
def test_net_sum_is_net_add_in_turn(total: Decimal, values: list[Decimal]) -> None:
    expected = total
    for value in values:
        try:
            expected = net_add(expected, value)
        except OverflowError:
            with pytest.raises(OverflowError):
                net_sum(total, values)
            return
    assert str(net_sum(total, values)) == str(expected)
