"""The rebalancing parameter of portfolio construction models turned into a function of the algorithm's UTC time
that returns the next rebalance time or None (PortfolioConstructionModel.SetRebalancingFunc)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator

from pylean.consolidators.period import resolution_span
from pylean.enums import Resolution

END_OF_TIME = datetime(2050, 12, 31)  # Lean's Time.EndOfTime

RebalancingFunc = Callable[[datetime], "datetime | None"]


def rebalancing_func(rebalance: Any) -> RebalancingFunc | None:
    """A date rule, a callable, a timedelta or a Resolution; anything else (None included) gives None."""
    if rebalance is None:
        return None
    if hasattr(rebalance, "get_dates"):
        return date_rule_func(rebalance)
    if isinstance(rebalance, Resolution):
        rebalance = resolution_span(rebalance)
    if isinstance(rebalance, timedelta):
        if rebalance == timedelta(0):
            return None
        span = rebalance
        return lambda utc: utc + span
    if callable(rebalance):
        return rebalance
    return None


def date_rule_func(rule: Any) -> RebalancingFunc:
    """Lean's IDateRule.ToFunc: walks the rule's dates from the first call; a time at or past the current date
    moves to the next one; past the last date, the end of time."""
    dates: Iterator[Any] | None = None
    current: datetime | None = None

    def next_time(utc: datetime) -> datetime:
        nonlocal dates, current
        if dates is None:
            dates = iter(rule.get_dates(utc.date(), END_OF_TIME.date()))
            current = _advance(dates)
            if current is None:
                return END_OF_TIME
        if current is None:
            return END_OF_TIME
        if utc >= current:
            current = _advance(dates)
            if current is None:
                return END_OF_TIME
        return current

    return next_time


def _advance(dates: Iterator[Any]) -> datetime | None:
    found = next(dates, None)
    if found is None:
        return None
    if isinstance(found, datetime):
        return found
    assert isinstance(found, date)
    return datetime(found.year, found.month, found.day)
