"""An SMA's Sum follows the SMA's inputs without its own input bookkeeping until it is handed out
(`rolling_sum`) or ignores an input the SMA takes: whatever is read, and whenever, must be what an SMA whose
Sum is updated eagerly (a subclass: the general path) shows."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.market_data import TradeBar
from pylean.indicators import IndicatorDataPoint, SimpleMovingAverage
from pylean.indicators.averages import ExponentialMovingAverage

T0 = datetime(2025, 10, 1, 9, 30)


class EagerSMA(SimpleMovingAverage):
    __slots__ = ()


def _sum_state(rolling):  # type: ignore[no-untyped-def]
    window, inputs = rolling.window, rolling._inputs
    removed = window.most_recently_removed if window.samples > window.size else None
    input_removed = inputs.most_recently_removed if inputs.samples > inputs.size else None
    return ([(p.time, p._value) for p in window], window.samples, window.count,
            None if removed is None else (removed.time, removed._value), rolling.samples, rolling.is_ready,
            rolling.current.value, rolling.previous.value, rolling._sum, str(rolling._sum),
            [(p.time, p._value) for p in inputs], inputs.samples,
            None if input_removed is None else (input_removed.time, input_removed._value),
            {key: (p.time, p._value) for key, p in rolling._previous_input.items()})


def _sma_state(sma):  # type: ignore[no-untyped-def]
    window = sma.window
    return ([(p.time, p._value, p.symbol) for p in window], window.samples, sma.samples, sma.is_ready,
            sma.current.value, str(sma.current._value))


class _Run:
    def __init__(self, sma):  # type: ignore[no-untyped-def]
        self.sma, self.events, self.states = sma, [], []

    def apply(self, op):  # type: ignore[no-untyped-def]
        kind, offset, price, symbol = op
        sma, time = self.sma, T0 + timedelta(seconds=offset)
        if kind == "point":
            sma._update(IndicatorDataPoint(symbol, time, price))
        elif kind == "same point twice":
            point = IndicatorDataPoint(symbol, time, price)
            sma._update(point)
            sma._update(point)
        elif kind == "bar":  # not a point: the general path
            sma._update(TradeBar(time - timedelta(minutes=1), symbol, 1.0, 2.0, 0.5, float(price), 10.0))
        elif kind == "update(time, value)":
            self.states.append(sma.update(time, price))
        elif kind == "read sum":
            self.states.append(_sum_state(sma.rolling_sum))
        elif kind == "subscribe sum":
            sma.RollingSum.updated += lambda sender, point: self.events.append((point.time, point._value))
        elif kind == "reset":
            sma.reset()
        self.states.append(_sma_state(sma))


ops = st.lists(st.tuples(
    st.sampled_from(["point"] * 12 + ["same point twice", "bar", "update(time, value)", "read sum", "subscribe sum",
                                       "reset"]),
    st.integers(0, 200), st.integers(1, 10**7).map(lambda raw: Decimal(repr(raw / 10000))),
    st.sampled_from(["SPY", "AAPL", None])), min_size=1, max_size=120)


@settings(max_examples=300, deadline=None)
@given(ops, st.integers(1, 8), st.booleans())
def test_an_sma_whose_sum_follows_reads_as_an_eager_one(operations: list, period: int, in_order: bool) -> None:
    if in_order:
        operations = sorted(operations, key=lambda op: op[1])
    following, eager = _Run(SimpleMovingAverage(period)), _Run(EagerSMA(period))
    for op in operations:
        following.apply(op)
        eager.apply(op)
        assert following.states[-1] == eager.states[-1]
    assert following.states == eager.states and following.events == eager.events
    assert _sum_state(following.sma.rolling_sum) == _sum_state(eager.sma.rolling_sum)


def test_the_sum_follows_until_an_input_it_ignores() -> None:
    sma = SimpleMovingAverage(2)
    sma._update(IndicatorDataPoint("SPY", T0 + timedelta(seconds=5), Decimal("10")))
    sma._update(IndicatorDataPoint("AAPL", T0 + timedelta(seconds=6), Decimal("20")))
    assert sma._sum_follows and sma.is_ready
    # SPY's own last input is older, but the Sum's (AAPL's) is newer: the SMA takes it, the Sum does not
    sma._update(IndicatorDataPoint("SPY", T0 + timedelta(seconds=5, microseconds=1), Decimal("40")))
    assert not sma._sum_follows
    assert sma.samples == 3 and sma.rolling_sum.samples == 2
    assert sma.current._value == Decimal(30) / 2  # the Sum's total over the SMA's count


def test_an_ema_seeded_by_a_following_sma() -> None:
    ema = ExponentialMovingAverage(3)
    for i, price in enumerate(["1.5", "2.25", "3", "10", "7.75"]):
        ema._update(IndicatorDataPoint(T0 + timedelta(seconds=i), Decimal(price)))
    seed = (Decimal("1.5") + Decimal("2.25") + 3) / 3
    k = ema._k
    expected = Decimal("7.75") * k + (Decimal(10) * k + seed * ema._one_minus_k) * ema._one_minus_k
    assert ema.current._value == expected and ema._initial_sma._sum_follows
