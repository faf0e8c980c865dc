"""A CompositeIndicator recomputes through `_compose_at` (IndicatorBase._update written out); subclasses take
the general `_update`. Both give the same outputs, sample counts and skipped updates, for the composers of
IndicatorExtensions (a MATH_ERROR result emits nothing) on random inputs that repeat times and go back, with
direct updates of the composite that make its sides' next outputs too old for it."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.indicators import CompositeIndicator, Identity, IndicatorDataPoint, SimpleMovingAverage
from pylean.indicators.composite import _minus, _over, _plus, _times

T0 = datetime(2025, 10, 1, 9, 30)


class PlainComposite(CompositeIndicator):
    __slots__ = ()


def trace(composite_class: type, composer: object, inputs: list) -> list:
    left, right = SimpleMovingAverage(3), Identity("right")
    composite = composite_class(left, right, composer)
    chained = composite_class(composite, right, composer)  # fed by the composite's event
    fired: list = []
    composite.updated += lambda sender, p: fired.append((sender is composite, p.time, p._value))
    out = []
    for offset, value, side in inputs:
        point = IndicatorDataPoint(T0 + timedelta(seconds=offset), Decimal(value))
        if side == 3:  # the composite itself, directly: a later time than its sides' makes theirs too old
            composite.update(IndicatorDataPoint(point.time + timedelta(seconds=30), point._value))
        for indicator in ((left,) if side == 0 else (right,) if side in (1, 3) else (left, right)):
            indicator.update(point)
        out.append((composite.samples, composite.is_ready,
                    [(p.time, p._value) for p in composite.window], list(fired), chained.samples,
                    [(p.time, p._value) for p in chained.window]))
    return out


inputs = st.lists(st.tuples(st.integers(0, 60), st.decimals(-50, 50, places=2, allow_nan=False),
                            st.integers(0, 3)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(inputs, st.sampled_from([_over, _plus, _minus, _times]))
def test_composite_fast_path_matches_the_general_update(series: list, composer: object) -> None:
    fast = trace(CompositeIndicator, composer, series)
    assert fast == trace(PlainComposite, composer, series)


def test_over_a_zero_denominator_emits_nothing() -> None:
    # step 3: the left side completes the pair while the right side is 0: a sample, no output
    series = [(1, "4", 2), (2, "0", 1), (3, "6", 2)]
    fast = trace(CompositeIndicator, _over, series)
    assert fast == trace(PlainComposite, _over, series)
    assert [step[0] for step in fast] == [1, 1, 2]
    assert fast[2][2] == fast[0][2] and fast[0][2][0][1] == Decimal(1)  # only the first quotient, 4 / 4
