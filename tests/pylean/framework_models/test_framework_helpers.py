"""The small Lean behaviours Lean's Python framework modules rely on."""
from __future__ import annotations

from pylean.algorithm_imports import (ConstantIndicator, ExponentialMovingAverage, Extensions, IndicatorDataPoint,
                                      ImmediateExecutionModel, SymbolCache)
from pylean.data.subscription import ConsolidatorList
from pylean.framework.execution import ExecutionModel
from pylean.symbols import Symbol


def test_normalize_to_str_drops_trailing_zeros_without_exponents() -> None:
    assert [Extensions.normalize_to_str(v) for v in (1.0, 0.05, 100, 2.50, 0)] == ["1", "0.05", "100", "2.5", "0"]
    assert Extensions.NormalizeToStr(1e-7) == "0.0000001"


def test_constant_indicator_takes_lean_s_generic_form() -> None:
    constant = ConstantIndicator[IndicatorDataPoint]("ct", 1.5)
    assert constant.is_ready and constant.current.value == 1.5


def test_an_ema_may_be_named_by_a_symbol() -> None:
    symbol = Symbol.create("ABC")
    ema = ExponentialMovingAverage(symbol, 3, ExponentialMovingAverage.smoothing_factor_default(3))
    assert ema.name == str(symbol) and ema.warm_up_period == 3


def test_symbol_cache_finds_a_symbol_given_itself() -> None:
    symbol = Symbol.create("ABC")
    SymbolCache.set("ABC", symbol)
    try:
        assert SymbolCache.get_symbol(symbol) is symbol
    finally:
        SymbolCache.try_remove("ABC")


def test_a_subscription_s_consolidators_have_a_count() -> None:
    consolidators = ConsolidatorList()
    consolidators.append(object())
    assert consolidators.count == 1 and consolidators.Count == 1


def test_execution_models_expose_asynchronous_and_a_subclass_may_set_it() -> None:
    assert ImmediateExecutionModel().asynchronous is True
    assert ImmediateExecutionModel(False).asynchronous is False

    class Mine(ExecutionModel):
        def __init__(self) -> None:
            super().__init__(True)
            self.asynchronous = False

    assert Mine().asynchronous is False

