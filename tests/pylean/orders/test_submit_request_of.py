"""SubmitOrderRequest.of (pylean's own order methods) builds what Lean's positional constructor builds."""
from datetime import datetime
from decimal import Decimal

import pytest

from pylean.orders.requests import SubmitOrderRequest
from pylean.orders.types import OrderType


def _fields(request: SubmitOrderRequest) -> dict:
    return dict(vars(request))


@pytest.mark.parametrize("quantity, stop, limit, trigger, trailing, as_percentage, asynchronous", [
    (10, 0, 0, 0, 0, False, False),
    (-3.7, 101.25, 0.1, 0, 0, False, True),
    (Decimal("0.123"), 0, 99.99, 98.5, 1.5, True, False),
])
def test_of_matches_the_positional_constructor(quantity, stop, limit, trigger, trailing, as_percentage,
                                               asynchronous) -> None:
    time, properties = datetime(2013, 10, 7, 14, 31), object()
    expected = SubmitOrderRequest(OrderType.LIMIT, 1, "SPY", quantity, stop, limit, trigger, trailing,
                                  as_percentage, time, "a tag", properties, None, asynchronous)
    made = SubmitOrderRequest.of(OrderType.LIMIT, 1, "SPY", quantity, stop, limit, trigger, trailing,
                                 as_percentage, time, "a tag", properties, asynchronous)
    assert list(_fields(made)) == list(_fields(expected))  # same attributes, same order
    for name, value in _fields(expected).items():
        got = _fields(made)[name]
        assert got == value and type(got) is type(value), name
        if isinstance(value, Decimal):
            assert str(got) == str(value), name  # same exponent too
