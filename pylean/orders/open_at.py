"""Whether an exchange is open at the clock's time, remembered for that time: a step asks several times per
order (the market order's conversion test, SetHoldings', the fill model's) and the answer is the same."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.securities import SecurityExchange

# the time last asked about, kept alive so that `is` cannot meet a new object at its address; then the answers
# at that time by (id of the hours, extended): (hours, answer), the hours kept alive for the same reason
_AT: list[Any] = [None, {}]


def open_at(hours: Any, now: datetime, extended: bool = False) -> bool:
    """hours.is_open(now, extended) (a day's segments never change: ExchangeHours keeps them per date)."""
    at = _AT
    if at[0] is not now:
        at[0], at[1] = now, {}
    answers = at[1]
    key = (id(hours), extended)
    found = answers.get(key)
    if found is None or found[0] is not hours:
        found = answers[key] = (hours, hours.is_open(now, extended))
    return found[1]  # type: ignore[no-any-return]


def exchange_open_now(security: Any) -> bool:
    """security.exchange.exchange_open: open at the clock's time (regular hours)."""
    exchange = security.exchange
    if type(exchange) is not SecurityExchange:
        return bool(exchange.exchange_open)
    now = exchange.cursor.time
    return now is not None and open_at(exchange.hours, now)
