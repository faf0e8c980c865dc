"""Time in force: GTC, DAY, GoodTilDate (Common/Orders/TimeInForce.cs, Common/Orders/TimeInForces/*.cs).

Equity rules only: a DAY order expires at the first regular close after it was placed, a
GoodTilDate order at the regular close of its expiry date (or of the next trading day).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pylean.naming import lean_api
from pylean.timeutil import utc_to_local

if TYPE_CHECKING:
    from pylean.securities import Security


@lean_api
class TimeInForce:
    """Base of the three time-in-force kinds; `kind` is "gtc", "day" or "gtd"."""

    kind = "gtc"

    GOOD_TIL_CANCELED: "TimeInForce"
    DAY: "TimeInForce"

    def is_order_expired(self, security: "Security", order: Any) -> bool:
        return False

    def is_fill_valid(self, security: "Security", order: Any, fill: Any) -> bool:
        return True

    @staticmethod
    def good_til_date(expiry: datetime | date) -> "GoodTilDateTimeInForce":
        return GoodTilDateTimeInForce(expiry)

    def to_json(self) -> dict[str, Any]:
        return {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeInForce) and (self.kind, _expiry(self)) == (other.kind, _expiry(other))

    def __hash__(self) -> int:
        return hash((self.kind, _expiry(self)))

    def __repr__(self) -> str:
        return type(self).__name__.replace("TimeInForce", "") or "TimeInForce"


@lean_api
class GoodTilCanceledTimeInForce(TimeInForce):
    """Never expires."""

    kind = "gtc"


def reached_close_after(security: "Security", order: Any) -> bool:
    """Whether the exchange clock has reached the first regular close strictly after the order's local
    time (Lean's GetLastDailyMarketClose): a day order expires, a market-on-close order fills."""
    now = security.exchange.local_time
    return now is not None and now >= security.exchange.hours.next_market_close(utc_to_local(order._time))


@lean_api
class DayTimeInForce(TimeInForce):
    """Expires at the first regular close after the order time (DayTimeInForce.IsOrderExpired)."""

    kind = "day"

    def is_order_expired(self, security: "Security", order: Any) -> bool:
        return reached_close_after(security, order)


@lean_api
class GoodTilDateTimeInForce(TimeInForce):
    """Expires at the regular close of the expiry date (GoodTilDateTimeInForce.IsOrderExpired)."""

    kind = "gtd"

    def __init__(self, expiry: datetime | date) -> None:
        self.expiry: date = expiry.date() if isinstance(expiry, datetime) else expiry

    Expiry = property(lambda self: datetime(self.expiry.year, self.expiry.month, self.expiry.day))

    def is_order_expired(self, security: "Security", order: Any) -> bool:
        now = security.exchange.local_time
        if now is None:
            return False
        midnight = datetime(self.expiry.year, self.expiry.month, self.expiry.day)
        # a non-trading expiry date rolls to the next session's close
        return now >= security.exchange.hours.next_market_close(midnight)

    def to_json(self) -> dict[str, Any]:
        return {"expiry": f"{self.expiry.isoformat()}T00:00:00"}

    def __repr__(self) -> str:
        return f"GoodTilDate({self.expiry})"


def _expiry(tif: TimeInForce) -> date | None:
    return getattr(tif, "expiry", None)


TimeInForce.GOOD_TIL_CANCELED = GoodTilCanceledTimeInForce()
TimeInForce.DAY = DayTimeInForce()
# Lean's Python API: TimeInForce.GoodTilCanceled / Day are fields, GoodTilDate(expiry) a factory
TimeInForce.GoodTilCanceled = TimeInForce.GOOD_TIL_CANCELED  # type: ignore[attr-defined]
TimeInForce.Day = TimeInForce.DAY  # type: ignore[attr-defined]
TimeInForce.GOOD_TIL_DATE = TimeInForce.good_til_date  # type: ignore[attr-defined]
TimeInForce.GoodTilDate = TimeInForce.good_til_date  # type: ignore[attr-defined]
