"""When a portfolio construction model rebalances: its rebalancing function, date rules, security changes and
insight changes (PortfolioConstructionModel.IsRebalanceDue)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pylean.enums import Resolution
from pylean.framework.insight import Insight, InsightDirection, InsightType
from pylean.framework.insight_manager import InsightManager
from pylean.framework.portfolio_construction import PortfolioConstructionModel
from pylean.framework.rebalancing import END_OF_TIME, date_rule_func, rebalancing_func
from pylean.runtime import SecurityChanges
from pylean.symbols import Symbol

T0 = datetime(2020, 1, 6, 15, 0)  # a Monday


class _Algorithm:
    def __init__(self) -> None:
        self.utc_time = T0
        self.insights = InsightManager(self)


class _Rule:
    """A date rule: every Wednesday."""

    def get_dates(self, start: date, end: date) -> Any:
        day = start
        while day <= end:
            if day.weekday() == 2:
                yield day
            day += timedelta(days=1)


def _model(rebalance: Any) -> tuple[PortfolioConstructionModel, _Algorithm]:
    model, algorithm = PortfolioConstructionModel(rebalance), _Algorithm()
    model.algorithm = algorithm
    return model, algorithm


def test_the_rebalancing_parameter_becomes_a_function_of_utc_time() -> None:
    assert rebalancing_func(None) is None
    assert rebalancing_func(Resolution.DAILY)(T0) == T0 + timedelta(days=1)  # type: ignore[misc]
    assert rebalancing_func(timedelta(hours=2))(T0) == T0 + timedelta(hours=2)  # type: ignore[misc]
    custom = rebalancing_func(lambda utc: None)
    assert custom is not None and custom(T0) is None


def test_a_date_rule_moves_to_its_next_date_once_that_date_is_reached() -> None:
    func = date_rule_func(_Rule())
    assert func(T0) == datetime(2020, 1, 8)
    assert func(datetime(2020, 1, 7, 23)) == datetime(2020, 1, 8)
    assert func(datetime(2020, 1, 8)) == datetime(2020, 1, 15)
    assert func(datetime(2020, 1, 9)) == datetime(2020, 1, 15)
    empty = date_rule_func(type("Never", (), {"get_dates": lambda self, s, e: iter(())})())
    assert empty(T0) == END_OF_TIME


def test_with_no_function_every_call_is_a_rebalance() -> None:
    model, _ = _model(None)
    assert model.is_rebalance_due([], T0) and model.is_rebalance_due([], T0)


def test_the_function_time_is_due_once_reached_and_then_moves_on() -> None:
    model, _ = _model(timedelta(hours=1))
    model.rebalance_on_insight_changes = False
    model.rebalance_on_security_changes = False
    assert not model.is_rebalance_due([], T0)  # first call: the next time is T0 + 1h
    assert not model.is_rebalance_due([], T0 + timedelta(minutes=59))
    assert model.is_rebalance_due([], T0 + timedelta(hours=1))
    assert not model.is_rebalance_due([], T0 + timedelta(hours=1, minutes=30))  # next: T0 + 2h
    assert model.is_rebalance_due([], T0 + timedelta(hours=2))


def test_a_function_returning_now_rebalances_at_once_and_asks_again_next_time() -> None:
    calls: list[datetime] = []

    def now_on_wednesdays(utc: datetime) -> datetime | None:
        calls.append(utc)
        return utc if utc.weekday() == 2 else None

    model, _ = _model(now_on_wednesdays)
    model.rebalance_on_insight_changes = False
    assert not model.is_rebalance_due([], T0)
    wednesday = datetime(2020, 1, 8, 15)
    assert model.is_rebalance_due([], wednesday)
    assert model.is_rebalance_due([], wednesday + timedelta(minutes=1))  # asked again, still Wednesday
    assert calls == [T0, wednesday, wednesday + timedelta(minutes=1)]


def test_new_insights_expired_insights_and_security_changes_trigger_a_rebalance() -> None:
    model, algorithm = _model(timedelta(days=7))
    assert not model.is_rebalance_due([], T0)
    insight = Insight(Symbol.create("ABC"), timedelta(minutes=5), InsightType.PRICE, InsightDirection.UP)
    assert model.is_rebalance_due([insight], T0)
    insight.generated_time_utc, insight.close_time_utc = T0, T0 + timedelta(minutes=5)
    algorithm.insights.add(insight)
    assert not model.is_rebalance_due([], T0 + timedelta(minutes=5))
    assert model.is_rebalance_due([], T0 + timedelta(minutes=5, seconds=1))  # the insight expired
    assert model.is_rebalance_due([], T0 + timedelta(minutes=5, seconds=2))  # until create_targets removes it
    algorithm.insights.remove_expired_insights(T0 + timedelta(minutes=5, seconds=2))
    model.on_securities_changed(algorithm, SecurityChanges(added=[]))  # no change
    assert not model.is_rebalance_due([], T0 + timedelta(minutes=5, seconds=3))
    model.on_securities_changed(algorithm, SecurityChanges(added=[object()]))  # type: ignore[list-item]
    assert model.is_rebalance_due([], T0 + timedelta(minutes=6))
    assert not model.is_rebalance_due([], T0 + timedelta(minutes=7))  # the change was consumed
