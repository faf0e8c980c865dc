"""ARIMA (Indicators/AutoRegressiveIntegratedMovingAverage.cs, TimeSeriesIndicator.cs).

On every input once `period` values are held: difference the window (newest first, as Lean's RollingWindow
enumerates), fit the AR terms by least squares, then AR and MA terms together on the AR residuals (a
two-step fit), and forecast. Least squares solves the normal equations by Cholesky, in plain doubles, in
the summation order of MathNet's managed provider, so the forecasts are Lean's to the last bits."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from pylean.indicators.base import Indicator, IndicatorDataPoint
from pylean.indicators.numbers import double_to_decimal, to_double
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api


class NotPositiveDefinite(ArithmeticError):
    pass


# ------------------------------------------------------------ TimeSeriesIndicator's helpers
def difference_series(d: int, series: list[float]) -> tuple[list[float], list[float]]:
    """Differences (newer minus older) applied d times; the heads are each pass's oldest value."""
    heads = [0.0] * d
    local = series
    for j in range(1, d + 1):
        heads[j - 1] = local[-1]
        local = [local[i] - local[i + 1] for i in range(len(local) - 1)]
    return local, heads


def _cumulative_sum_reversed(series: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in reversed(series):
        total += value
        out.append(total)
    out.reverse()
    return out


def inverse_differenced_series(series: list[float], heads: list[float]) -> list[float]:
    local = list(series)
    for head in heads:  # Lean's stack pops the first head first
        local.append(head)
        local = _cumulative_sum_reversed(local)
    return local


def lagged_series(p: int, series: list[float], include_t: bool = False) -> list[list[float]]:
    """For each t >= p, the terms series[t - j] for j = 1..p (0..p with include_t)."""
    return [[series[t - j] for j in range(0 if include_t else 1, p + 1)] for t in range(p, len(series))]


# ------------------------------------------------------------ least squares (MathNet NormalEquations)
def _cholesky_solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(a)
    low = [[0.0] * n for _ in range(n)]
    for j in range(n):
        d = 0.0
        for k in range(j):
            s = 0.0
            for i in range(k):
                s += low[k][i] * low[j][i]
            s = (a[j][k] - s) / low[k][k]
            low[j][k] = s
            d += s * s
        d = a[j][j] - d
        if d <= 0.0:
            raise NotPositiveDefinite("Matrix must be positive definite.")
        low[j][j] = math.sqrt(d)
    y = list(b)
    for i in range(n):
        total = y[i]
        for k in range(i - 1, -1, -1):
            total -= low[i][k] * y[k]
        y[i] = total / low[i][i]
    for i in range(n - 1, -1, -1):
        total = y[i]
        for k in range(i + 1, n):
            total -= low[k][i] * y[k]
        y[i] = total / low[i][i]
    return y


def fit_normal_equations(rows: list[list[float]], response: list[float], intercept: bool = False) -> list[float]:
    """Fit.MultiDim(x, y, intercept, NormalEquations): (XᵀX)⁻¹Xᵀy by Cholesky."""
    x = [[1.0] + row for row in rows] if intercept else rows
    if len(x) != len(response):
        raise ValueError("All sample vectors must have the same length.")
    columns = len(x[0])
    if columns > len(response):
        raise ValueError("A regression of the requested order requires at least more samples than parameters.")
    gram = [[0.0] * columns for _ in range(columns)]
    for i in range(columns):
        for j in range(columns):
            total = 0.0
            for row in x:
                total += row[i] * row[j]
            gram[i][j] = total
    moment = [0.0] * columns
    for i in range(columns):
        total = 0.0
        for row, value in zip(x, response):
            total += row[i] * value
        moment[i] = total
    return _cholesky_solve(gram, moment)


def _dot(a: list[float], b: list[float]) -> float:
    total = 0.0
    for u, v in zip(a, b):
        total += u * v
    return total


@lean_api
class AutoRegressiveIntegratedMovingAverage(Indicator):
    """ARIMA(p, d, q) over the last `period` values; 0 until the window is full."""

    __slots__ = ("_ar_order", "_diff_order", "_ma_order", "_intercept", "_rolling", "_residuals",
                 "handle_exceptions", "ar_parameters", "ma_parameters", "intercept", "ar_residual_error",
                 "ma_residual_error", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, rest = args[0], args[1:]
        else:
            name, rest = None, args
        ar_order, diff_order, ma_order, period = (int(v) for v in rest[:4])
        fit_intercept = bool(rest[4]) if len(rest) > 4 else True
        if ar_order < 0 or ma_order < 0:
            raise ValueError("AR/MA orders cannot be negative.")
        if ar_order == 0:
            raise ValueError("arOrder (p) must be greater than zero for all currently available fitting methods.")
        if period < max(ar_order, ma_order):
            raise ValueError("Period must exceed both arOrder and maOrder")
        Indicator.__init__(self, name or f"ARIMA(({ar_order}, {diff_order}, {ma_order}), {period}, "
                                         f"{'True' if fit_intercept else 'False'})")
        self._ar_order, self._diff_order, self._ma_order = ar_order, diff_order, ma_order
        self._intercept = fit_intercept
        self._rolling: RollingWindow[float] = RollingWindow(period)
        self._residuals: list[float] = []
        self.handle_exceptions = True
        self.ar_parameters: list[float] = []
        self.ma_parameters: list[float] = []
        self.intercept = 0.0
        self.ar_residual_error = 0.0
        self.ma_residual_error = 0.0
        self.warm_up_period = period

    @property
    def is_ready(self) -> bool:
        return self._rolling.is_ready

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        self._rolling.add(to_double(data._value))
        if not self._rolling.is_ready:
            return Decimal(0)
        series = list(self._rolling)  # newest first
        heads: list[float] = []
        if self._diff_order > 0:
            series, heads = difference_series(self._diff_order, series)
        self._two_step_fit(series)
        forecast = 0.0
        for i in range(self._ar_order):
            forecast += self.ar_parameters[i] * series[i]
        for i in range(self._ma_order):
            forecast += self.ma_parameters[i] * self._residuals[self._ma_order + i + 1]
        forecast += self.intercept
        if self._diff_order > 0:
            forecast = inverse_differenced_series([forecast] + series, heads)[0]
        return double_to_decimal(forecast)

    def _fit(self, rows: list[list[float]], response: list[float], intercept: bool) -> list[float]:
        try:
            return fit_normal_equations(rows, response, intercept)
        except (NotPositiveDefinite, ValueError, ZeroDivisionError):
            if not self.handle_exceptions:
                raise
            return [0.0] * (len(rows[0]) + (1 if intercept else 0))

    def _two_step_fit(self, series: list[float]) -> None:
        self._residuals = []
        lags = lagged_series(self._ar_order, series)
        self._autoregressive_step(lags, series)
        if self._ma_order > 0:
            self._moving_average_step(lags, series)

    def _autoregressive_step(self, lags: list[list[float]], data: list[float]) -> None:
        p = self._ar_order
        fits = self._fit(lags, data[p:], False)
        error = 0.0
        for i in range(len(data)):
            if i < p:
                self._residuals.append(0.0)  # 0-padding
                continue
            residual = data[i] - _dot(lags[i - p], fits)
            error += residual ** 2
            self._residuals.append(residual)
        self.ar_residual_error = error / (len(data) - p - 1)
        if self._ma_order == 0:
            self.ar_parameters = fits

    def _moving_average_step(self, lags: list[list[float]], data: list[float]) -> None:
        p, q = self._ar_order, self._ma_order
        lagged_errors = lagged_series(q, self._residuals)
        appended = [lags[i] + lagged_errors[i] for i in range(len(lagged_errors))]
        fits = self._fit(appended, data[q:], self._intercept)
        parameters = fits[1:] if self._intercept else fits
        error = 0.0
        for i in range(q, len(data)):
            residual = data[i] - _dot(appended[i - q], parameters)
            error += residual ** 2
        self.ma_residual_error = error / (len(data) - max(p, q) - 1)
        if self._intercept:
            self.ma_parameters = fits[1 + p:]
            self.ar_parameters = fits[1:1 + p]
            self.intercept = fits[0]
        else:
            self.ma_parameters = fits[p:]
            self.ar_parameters = fits[:p]

    def reset(self) -> None:
        Indicator.reset(self)
        self._rolling.reset()
