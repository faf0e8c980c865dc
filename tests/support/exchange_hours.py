"""Lean's US equity exchange week for tests that build hours by hand rather than from a data folder."""
from __future__ import annotations

from datetime import date, time, timedelta

from pylean.data.market_hours import ExchangeHours


def us_equity_hours(holiday: date, early_close: date) -> ExchangeHours:
    """Pre-market 04:00, market 09:30-16:00, post-market to 20:00; one holiday and one 13:00 early close."""
    day = [(timedelta(hours=4), timedelta(hours=9, minutes=30), "premarket"),
           (timedelta(hours=9, minutes=30), timedelta(hours=16), "market"),
           (timedelta(hours=16), timedelta(hours=20), "postmarket")]
    weekly = {weekday: list(day) for weekday in range(5)}
    return ExchangeHours("America/New_York", weekly, {holiday}, {early_close: time(13, 0)})
