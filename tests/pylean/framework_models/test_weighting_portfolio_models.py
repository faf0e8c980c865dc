"""The percent rules of the insight-weighting, confidence-weighted and accumulative portfolio construction
models, on insights written here."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pylean.framework.insight import Insight, InsightDirection, InsightType
from pylean.framework.models import (AccumulativeInsightPortfolioConstructionModel,
                                     ConfidenceWeightedPortfolioConstructionModel,
                                     InsightWeightingPortfolioConstructionModel)
from pylean.framework.portfolio_bias import PortfolioBias

UP, DOWN, FLAT = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT
T0 = datetime(2020, 1, 2, 15)


def insight(symbol: str, direction: InsightDirection, weight: float | None = None,
            confidence: float | None = None, minute: int = 0) -> Insight:
    made = Insight(symbol, timedelta(days=1), InsightType.PRICE, direction, None, confidence, None, weight)
    made.generated_time_utc = T0 + timedelta(minutes=minute)
    return made


def by_symbol(percents: dict) -> dict:
    return {found.symbol: pytest.approx(value) for found, value in percents.items()}


def test_insight_weights_under_one_are_taken_as_they_are_signed_by_direction() -> None:
    model = InsightWeightingPortfolioConstructionModel()
    percents = model.determine_target_percent([insight("A", UP, 0.2), insight("B", DOWN, 0.3),
                                               insight("C", FLAT, 0.4)])
    assert by_symbol(percents) == {"A": 0.2, "B": -0.3, "C": 0.0}


def test_insight_weights_summing_over_one_are_scaled_to_one() -> None:
    # flat insights count in the sum: only the direction, not the weight, makes them flat
    model = InsightWeightingPortfolioConstructionModel()
    percents = model.determine_target_percent([insight("A", UP, 0.6), insight("B", DOWN, -0.6),
                                               insight("C", FLAT, 0.8)])
    assert by_symbol(percents) == {"A": 0.3, "B": -0.3, "C": 0.0}


def test_insight_weighting_skips_insights_without_a_weight_and_respects_the_bias() -> None:
    model = InsightWeightingPortfolioConstructionModel(portfolio_bias=PortfolioBias.LONG)
    assert model.should_create_target_for_insight(insight("A", UP)) is False
    assert model.should_create_target_for_insight(insight("A", UP, 0.0)) is True
    # the short insight is outside the bias: it is zero and its weight does not count towards the sum
    percents = model.determine_target_percent([insight("A", UP, 0.7), insight("B", DOWN, 0.7)])
    assert by_symbol(percents) == {"A": 0.7, "B": 0.0}


def test_confidence_weighting_uses_the_confidence_not_the_weight() -> None:
    model = ConfidenceWeightedPortfolioConstructionModel()
    assert model.should_create_target_for_insight(insight("A", UP, weight=0.5)) is False
    assert model.should_create_target_for_insight(insight("A", UP, confidence=0.5)) is True
    percents = model.determine_target_percent([insight("A", UP, weight=0.9, confidence=0.25),
                                               insight("B", DOWN, weight=0.9, confidence=1.0)])
    assert by_symbol(percents) == {"A": 0.2, "B": -0.8}


def test_accumulative_steps_each_insight_in_order_and_keys_the_first_insight_of_a_symbol() -> None:
    model = AccumulativeInsightPortfolioConstructionModel(percent=0.1)
    first_a = insight("A", UP, minute=0)
    active = [first_a, insight("A", UP, minute=1), insight("B", DOWN, minute=2), insight("A", DOWN, minute=3)]
    percents = model.determine_target_percent(active)
    assert list(percents) == [first_a, active[2]]
    assert by_symbol(percents) == {"A": 0.1, "B": -0.1}


def test_accumulative_flat_takes_one_step_towards_zero_or_to_zero() -> None:
    model = AccumulativeInsightPortfolioConstructionModel(percent=0.1)
    steps = [insight("A", UP, minute=i) for i in range(3)] + [insight("A", FLAT, minute=3)]
    assert by_symbol(model.determine_target_percent(steps)) == {"A": 0.2}
    shorts = [insight("B", DOWN, minute=0), insight("B", DOWN, minute=1), insight("B", FLAT, minute=2),
              insight("C", FLAT, minute=3)]
    # a flat short steps up; a symbol's first insight being flat leaves it at zero
    assert by_symbol(model.determine_target_percent(shorts)) == {"B": -0.1, "C": 0.0}


def test_accumulative_zeroes_targets_against_the_bias() -> None:
    model = AccumulativeInsightPortfolioConstructionModel(portfolio_bias=PortfolioBias.LONG, percent=0.1)
    percents = model.determine_target_percent([insight("A", DOWN, minute=0), insight("A", UP, minute=1)])
    # the short step is cut to zero before the long one is added
    assert by_symbol(percents) == {"A": 0.1}
