"""RiskParityPortfolioOptimizer and RiskParityPortfolioConstructionModel (Algorithm.Framework/Portfolio/
RiskParity*.cs, ReturnsSymbolData.cs): weights that give each asset an equal share of the portfolio's risk, from
the sample covariance of each symbol's rolling rate-of-change returns."""
from __future__ import annotations

from typing import Any

import numpy as np

from pylean.enums import Resolution
from pylean.framework.models.alpha_support import warm_with_history
from pylean.framework.portfolio_bias import PortfolioBias
from pylean.framework.portfolio_construction import PortfolioConstructionModel
from pylean.indicators import IndicatorDataPoint, RateOfChange, RollingWindow
from pylean.naming import lean_api

DOUBLE_MAX = float(np.finfo(float).max)


@lean_api
class RiskParityPortfolioOptimizer:
    def __init__(self, lower: float | None = None, upper: float | None = None) -> None:
        self._lower = 1e-05 if lower is None else float(lower)
        self._upper = DOUBLE_MAX if upper is None else float(upper)

    def optimize(self, historical_returns: Any, expected_returns: Any = None, covariance: Any = None) -> np.ndarray:
        """minimise ½ xᵀΣx − bᵀlog(x) over x > 0 (b: each asset's risk budget, equal by default), then
        normalise the weights to sum to one and clamp them into [lower, upper]."""
        if covariance is None:
            returns = np.asarray(historical_returns, dtype=float)
            covariance = np.atleast_2d(np.cov(returns, rowvar=False, ddof=1))
        covariance = np.asarray(covariance, dtype=float)
        size = covariance.shape[0]
        budget = (np.full(size, 1.0 / size) if expected_returns is None
                  else np.asarray(expected_returns, dtype=float))
        solution = self._newton(size, covariance, budget)
        solution = solution / solution.sum()
        return np.clip(solution, self._lower, self._upper)

    @staticmethod
    def _newton(size: int, covariance: np.ndarray, budget: np.ndarray, tolerance: float = 1e-11,
                maximum_iterations: int = 15000) -> np.ndarray:
        if size < 1 or size > 1000:
            raise ValueError('Argument "numberOfVariables" must be a positive integer between 1 and 1000')
        if size == 1:
            return np.array([1.0])
        weight = np.full(size, 1.0 / size)
        new_objective, old_objective = -DOUBLE_MAX, DOUBLE_MAX
        iteration = 0
        while abs(new_objective - old_objective) > tolerance and iteration < maximum_iterations:
            old_objective = new_objective
            hessian = covariance + np.diag(budget / (weight * weight))
            gradient = covariance @ weight - budget / weight
            weight = weight - np.linalg.inv(hessian) @ gradient
            with np.errstate(invalid="ignore", divide="ignore"):
                new_objective = 0.5 * weight @ covariance @ weight - budget @ np.log(weight)
            iteration += 1
        return weight

    Optimize = optimize


class ReturnsSymbolData:
    """A symbol's rate of change and the window of its last `period` values (one per end time)."""

    def __init__(self, symbol: Any, lookback: int, period: int) -> None:
        self.symbol = symbol
        self.roc = RateOfChange(f"{symbol}.ROC({lookback})", lookback)
        self.window: RollingWindow[Any] = RollingWindow(period)
        self.roc.updated += self._on_updated

    def _on_updated(self, sender: Any, updated: Any) -> None:
        if self.roc.is_ready:
            self.add_to_window(updated)

    def add_to_window(self, point: Any) -> None:
        if self.window.samples > 0 and self.window[0].end_time == point.end_time:
            return  # a fill-forward bar of the same time
        self.window.add(point)

    def add(self, time: Any, value: Any) -> None:
        self.add_to_window(IndicatorDataPoint(self.symbol, time, value))

    def update(self, time: Any, value: Any) -> bool:
        return self.roc.update(time, value)

    def reset(self) -> None:
        self.roc.updated -= self._on_updated
        self.roc.reset()
        self.window.reset()

    @property
    def returns(self) -> dict[Any, float]:
        """End time -> return, newest first (the window's order)."""
        return {point.end_time: float(point.value) for point in self.window}


def returns_matrix(symbol_data: dict[Any, ReturnsSymbolData], symbols: list[Any]) -> np.ndarray:
    """Rows of returns, one column per symbol: aligned by date when every date is shared, else by position; rows
    that are all zero or hold a NaN sum are dropped (Lean's FormReturnsMatrix)."""
    by_date = [symbol_data[symbol].returns for symbol in symbols if symbol in symbol_data]
    all_dates = list(dict.fromkeys(date for returns in by_date for date in returns))
    longest = max((len(data.returns) for data in symbol_data.values()), default=0)
    if longest == len(all_dates):
        rows = [[returns.get(date, np.nan) for returns in by_date] for date in all_dates]
    else:
        by_index = [list(returns.values()) for returns in by_date]
        rows = [[values[i] if i < len(values) else np.nan for values in by_index] for i in range(longest)]
    kept = []
    for row in rows:
        total = sum(abs(value) for value in row)
        if not (np.isnan(total) or total == 0):
            kept.append(row)
    return np.array(kept, dtype=float).reshape(len(kept), len(by_date))


@lean_api
class RiskParityPortfolioConstructionModel(PortfolioConstructionModel):
    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
                 lookback: int = 1, period: int = 252, resolution: Resolution = Resolution.DAILY,
                 optimizer: Any = None) -> None:
        super().__init__(rebalance)
        if PortfolioBias(portfolio_bias) == PortfolioBias.SHORT:
            raise ValueError("Long position must be allowed in RiskParityPortfolioConstructionModel.")
        state = self.__dict__
        state["_pylean_lookback"], state["_pylean_period"] = int(lookback), int(period)
        state["_pylean_resolution"] = Resolution(resolution)
        state["_pylean_optimizer"] = optimizer if optimizer is not None else RiskParityPortfolioOptimizer()
        state["_pylean_returns"] = {}

    def determine_target_percent(self, active_insights: Any) -> dict[Any, float]:
        from pylean.naming import user_method

        active_insights = list(active_insights)
        if not active_insights:
            return {}
        symbols = [insight.symbol for insight in active_insights]
        returns = returns_matrix(self.__dict__["_pylean_returns"], symbols)
        weights = list(user_method(self.__dict__["_pylean_optimizer"], "optimize")(returns))
        targets: dict[Any, float] = {}
        for symbol, weight in zip(symbols, weights):
            first = next(insight for insight in active_insights if insight.symbol == symbol)
            targets[first] = float(weight)
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        super().on_securities_changed(algorithm, changes)
        state = self.__dict__
        by_symbol = state["_pylean_returns"]
        for removed in changes.removed_securities:
            found = by_symbol.pop(removed.symbol, None)
            if found is not None:
                algorithm.unregister_indicator(found.roc)
        if not changes.added_securities:
            return
        for added in changes.added_securities:
            if added.symbol not in by_symbol:
                data = by_symbol[added.symbol] = ReturnsSymbolData(added.symbol, state["_pylean_lookback"],
                                                                   state["_pylean_period"])
                algorithm.register_indicator(added.symbol, data.roc, state["_pylean_resolution"])
        symbols = [added.symbol for added in changes.added_securities]
        count = state["_pylean_lookback"] * state["_pylean_period"]
        warm_with_history(algorithm, by_symbol, symbols, count, state["_pylean_resolution"],
                          lambda data, bar: data.update(bar.end_time, bar.close))
