"""Stochastic (Indicators/Stochastic.cs), checked against the definition computed here: fast %K over the
last `period` highs/lows, %K its k-period mean, %D the d-period mean of %K, all x100."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from pylean.algorithm_imports import Stochastic, TradeBar

BARS = [(10, 12, 9, 11), (11, 13, 10, 12), (12, 15, 11, 14), (14, 14, 12, 13), (13, 16, 12, 15),
        (15, 17, 14, 14), (14, 15, 13, 13)]


def _expected(period: int, k: int, d: int) -> list[tuple[Decimal, Decimal, Decimal]]:
    fast, out = [], []
    slow: list[Decimal] = []
    for i, (_, _, _, close) in enumerate(BARS):
        f = sk = sd = Decimal(0)
        if i + 1 >= period:
            window = BARS[i + 1 - period:i + 1]
            high, low = max(b[1] for b in window), min(b[2] for b in window)
            f = (Decimal(close) - low) / (high - low)
            fast.append(f)
            if len(fast) >= k:
                sk = sum(fast[-k:]) / k
                slow.append(sk)
                if len(slow) >= d:
                    sd = sum(slow[-d:]) / d
        out.append((f * 100, sk * 100, sd * 100))
    return out


def test_stochastic_follows_its_definition_and_is_ready_after_the_warm_up() -> None:
    sto = Stochastic("STO", 3, 2, 2)
    assert sto.warm_up_period == 5 and Stochastic(14, 3, 3).name == "STO(14,3,3)"
    start = datetime(2020, 1, 2)
    got, ready = [], []
    for i, (o, h, low, c) in enumerate(BARS):
        sto.update(TradeBar(start + timedelta(days=i), "X", o, h, low, c, 100, timedelta(days=1)))
        got.append((sto.current.value, sto.stoch_k.current.value, sto.stoch_d.current.value))
        ready.append(sto.is_ready)
    expected = _expected(3, 2, 2)
    for (v, k, d), (ev, ek, ed) in zip(got, expected):
        assert abs(Decimal(repr(v)) - ev) < Decimal("1e-9")
        assert abs(Decimal(repr(k)) - ek) < Decimal("1e-9") and abs(Decimal(repr(d)) - ed) < Decimal("1e-9")
    assert ready == [False] * 4 + [True] * 3
    sto.reset()
    assert not sto.is_ready and sto.samples == 0
