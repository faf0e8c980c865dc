"""Execution model bases (Algorithm/Execution/): ExecutionModel, ImmediateExecutionModel, NullExecutionModel.
An execution model turns portfolio targets into orders."""
from __future__ import annotations

from typing import Any

from pylean.framework.buying_power_extensions import BuyingPowerModelExtensions
from pylean.framework.order_sizing import OrderSizing
from pylean.framework.targets import PortfolioTargetCollection
from pylean.naming import lean_api


@lean_api
class ExecutionModel:
    def __init__(self, asynchronous: bool = True, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_pylean_asynchronous"] = asynchronous

    @property
    def asynchronous(self) -> bool:
        """Lean's protected Asynchronous, which Lean's Python execution models read."""
        return self.__dict__.get("_pylean_asynchronous", True)

    @asynchronous.setter
    def asynchronous(self, value: bool) -> None:
        self.__dict__["_pylean_asynchronous"] = bool(value)

    def execute(self, algorithm: Any, targets: Any) -> None:
        raise NotImplementedError("Types deriving from 'ExecutionModel' must implement the "
                                  "'void Execute(QCAlgorithm, IPortfolioTarget[]) method.")

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        pass

    def on_order_event(self, algorithm: Any, order_event: Any) -> None:
        pass


IExecutionModel = ExecutionModel


@lean_api
class NullExecutionModel(ExecutionModel):
    def execute(self, algorithm: Any, targets: Any) -> None:
        pass


@lean_api
class ImmediateExecutionModel(ExecutionModel):
    """Market orders for the whole unordered quantity of every target, reductions first."""

    def __init__(self, asynchronous: bool = True) -> None:
        super().__init__(asynchronous)
        self.__dict__["_pylean_targets"] = PortfolioTargetCollection()

    def execute(self, algorithm: Any, targets: Any) -> None:
        collection = self.__dict__.get("_pylean_targets")
        if collection is None:  # a subclass that did not call __init__
            collection = self.__dict__["_pylean_targets"] = PortfolioTargetCollection()
        collection.add_range(targets)
        if collection.is_empty:
            return
        settings = algorithm.settings
        for target in collection.order_by_margin_impact(algorithm):
            security = algorithm.securities[target.symbol]
            quantity = OrderSizing.get_unordered_quantity(algorithm, target, security, True)
            if quantity == 0:
                continue
            if BuyingPowerModelExtensions.above_minimum_order_margin_portfolio_percentage(
                    security.buying_power_model, security, quantity, algorithm.portfolio,
                    settings.minimum_order_margin_portfolio_percentage):
                algorithm.market_order(security.symbol, quantity, self.__dict__.get("_pylean_asynchronous", True),
                                       target.tag)
        collection.clear_fulfilled(algorithm)
