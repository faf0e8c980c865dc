"""The capacity snapshot's share of holdings is the position's reserved buying power x leverage
(CapacityEstimate.UpdateMarketCapacity): a user margin model that reserves nothing leaves only the share
of sale volume."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

from pylean.statistics.capacity import CapacityBar, CapacityEstimate


def _run(buying_power_used):
    est = CapacityEstimate(datetime(2013, 10, 7), datetime(2013, 10, 11, 23, 59, 59, 999999))
    est.buying_power_used = buying_power_used
    t = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)
    held = lambda s: D(10000)  # noqa: E731
    est.on_fill("SPY", t, D(10000))
    est.on_step(t, lambda s: CapacityBar(timedelta(minutes=1), t, D(100), D(1000)), held, D(100000))
    est.on_step(t + timedelta(hours=2), lambda s: None, held, D(100000))
    est.finalize(t + timedelta(hours=6), held, D(100000), passes=2)
    return est.capacity


def test_reserved_buying_power_decides_the_share_of_holdings() -> None:
    # market capacity 100 x 1000 x 0.20 = 20000 per trade. Second snapshot (sale volume reset): the holdings
    # share 10000 / 100000 scales it to 200000 -> 0.33 x 200000 + 0.66 x 20000 = 79200
    assert _run(None) == D("79000.00")
    # nothing reserved: the second snapshot keeps the previous capacity (scaling 0)
    assert _run(lambda s: D(0)) == D("20000.00")
