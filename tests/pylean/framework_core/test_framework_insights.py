"""Insights: close times counted in market hours, the insight collection's expiry rules, scores."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pylean.data.market_hours import MarketHoursDatabase
from pylean.enums import Resolution
from pylean.framework.insight import Insight, InsightCollection, InsightDirection, InsightType
from pylean.framework.insight_score import InsightScore, InsightScoreType
from pylean.symbols import Symbol

ABC = Symbol.create("ABC")
XYZ = Symbol.create("XYZ")


@pytest.fixture(scope="module")
def hours(lean_data: Path):  # type: ignore[no-untyped-def]
    return MarketHoursDatabase.from_data_folder(lean_data).exchange_hours("Equity", "usa", "[*]")


def _generated(insight: Insight, utc: datetime, hours) -> Insight:  # type: ignore[no-untyped-def]
    insight.generated_time_utc = utc
    insight.set_period_and_close_time(hours)
    return insight


def test_a_minute_period_counts_market_minutes_across_the_close(hours) -> None:  # type: ignore[no-untyped-def]
    # Friday 2013-10-11 15:50 New York is 19:50 UTC; 10 minutes remain that day, 10 more on Monday from 09:30
    insight = _generated(Insight.price(ABC, timedelta(minutes=20), InsightDirection.UP), datetime(2013, 10, 11, 19, 50),
                         hours)
    assert insight.close_time_utc == datetime(2013, 10, 14, 13, 40)
    assert insight.period == timedelta(minutes=20)  # a time-span period keeps its length


def test_a_bar_count_period_counts_trading_days_and_sets_the_period(hours) -> None:  # type: ignore[no-untyped-def]
    insight = Insight.price(ABC, Resolution.DAILY, 1, InsightDirection.DOWN, tag="t")
    assert insight.direction == InsightDirection.DOWN and insight.tag == "t" and insight.period is None
    _generated(insight, datetime(2013, 10, 11, 14, 0), hours)  # Friday 10:00 New York
    assert insight.close_time_utc == datetime(2013, 10, 14, 14, 0)  # the weekend is not counted
    assert insight.period == timedelta(days=3)


def test_a_one_day_period_in_the_middle_of_a_session(hours) -> None:  # type: ignore[no-untyped-def]
    insight = _generated(Insight.price(ABC, timedelta(days=1), InsightDirection.UP), datetime(2013, 10, 8, 15, 0), hours)
    assert insight.close_time_utc == datetime(2013, 10, 9, 15, 0)


def test_a_ticker_becomes_a_symbol() -> None:
    assert Insight.price("ABC", timedelta(days=1), InsightDirection.UP).symbol == ABC


def test_periods_under_a_second_are_refused() -> None:
    with pytest.raises(ValueError):
        Insight.price(ABC, timedelta(milliseconds=10), InsightDirection.UP)
    with pytest.raises(ValueError):
        Insight.price(ABC, Resolution.MINUTE, 0, InsightDirection.UP)


def test_expire_closes_one_second_before_now_and_only_active_insights() -> None:
    insight = Insight(ABC, timedelta(minutes=5), InsightType.PRICE, InsightDirection.UP)
    insight.generated_time_utc, insight.close_time_utc = datetime(2020, 1, 1, 10), datetime(2020, 1, 1, 10, 5)
    assert insight.is_active(datetime(2020, 1, 1, 10, 5)) and insight.is_expired(datetime(2020, 1, 1, 10, 5, 1))
    insight.expire(datetime(2020, 1, 1, 10, 2))
    assert insight.close_time_utc == datetime(2020, 1, 1, 10, 1, 59)
    assert insight.period == timedelta(minutes=1, seconds=59)
    insight.expire(datetime(2020, 1, 1, 11))  # already expired: unchanged
    assert insight.close_time_utc == datetime(2020, 1, 1, 10, 1, 59)


def _closing(symbol: Symbol, close: datetime) -> Insight:
    insight = Insight(symbol, timedelta(minutes=1), InsightType.PRICE, InsightDirection.UP)
    insight.generated_time_utc, insight.close_time_utc = close - timedelta(minutes=1), close
    return insight


def test_the_collection_keeps_open_insights_by_symbol_and_every_insight_in_order() -> None:
    collection = InsightCollection()
    first, second, third = (_closing(ABC, datetime(2020, 1, 1, 10)), _closing(XYZ, datetime(2020, 1, 1, 11)),
                            _closing(ABC, datetime(2020, 1, 1, 12)))
    collection.add_range([first, second, third])
    assert collection.count == 3 and collection.total_count == 3
    assert collection.get_next_expiry_time() == datetime(2020, 1, 1, 10)
    assert collection.get_active_insights(datetime(2020, 1, 1, 10, 30)) == [third, second]
    assert collection.remove_expired_insights(datetime(2020, 1, 1, 10, 30)) == [first]
    assert collection.count == 2 and collection.total_count == 3
    assert collection.has_active_insights(ABC, datetime(2020, 1, 1, 11, 30))
    assert not collection.has_active_insights(XYZ, datetime(2020, 1, 1, 11, 30))
    assert collection.get_insights() == [first, second, third]  # the complete history
    assert collection.get_insights(lambda i: i.symbol == XYZ) == [second]
    collection.clear([ABC])
    assert collection.count == 1 and not collection.contains_key(ABC)
    assert collection.get_next_expiry_time() == datetime(2020, 1, 1, 11)


def test_scores_are_clamped_and_final_scores_do_not_change() -> None:
    score = InsightScore()
    score.set_score(InsightScoreType.DIRECTION, 3, datetime(2020, 1, 1))
    score.set_score(InsightScoreType.MAGNITUDE, -1, datetime(2020, 1, 1))
    assert (score.direction, score.magnitude) == (1.0, 0.0)
    score.finalize(datetime(2020, 1, 2))
    score.set_score(InsightScoreType.DIRECTION, 0.5, datetime(2020, 1, 3))
    assert score.direction == 1.0 and score.is_final_score and score.updated_time_utc == datetime(2020, 1, 2)
