"""Run algorithms with the consolidator/indicator pieces wired in as the lead will wire them:
`IndicatorsMixin` among QCAlgorithm's bases, a SubscriptionManager on the runtime, the new names exported by
AlgorithmImports. Until that wiring lands in runtime.py/algorithm.py the `wired` fixture patches it in."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from support.runs import run_class  # noqa: F401  (the indicator tests import it from here)
from pylean import algorithm_imports
from pylean import runtime as runtime_module
from pylean.algorithm import QCAlgorithm
from pylean.algorithm_indicators import IndicatorsMixin
from pylean.consolidators import (Calendar, CalendarInfo, IdentityDataConsolidator, MarketHourAwareConsolidator,
                                  QuoteBarConsolidator, SubscriptionManager, TradeBarConsolidator)
from pylean.indicators import (AverageTrueRange, BollingerBands, ExponentialMovingAverage, Field, Identity,
                               IndicatorDataPoint, IndicatorExtensions, MovingAverageConvergenceDivergence,
                               MovingAverageType, RelativeStrengthIndex, RollingWindow, SimpleMovingAverage)
from pylean.launcher import BacktestOptions, BacktestOutcome, run_backtest

EXPORTS = {cls.__name__: cls for cls in (
    Calendar, CalendarInfo, IdentityDataConsolidator, MarketHourAwareConsolidator, QuoteBarConsolidator,
    TradeBarConsolidator, AverageTrueRange, BollingerBands, ExponentialMovingAverage, Field, Identity,
    IndicatorDataPoint, IndicatorExtensions, MovingAverageConvergenceDivergence, MovingAverageType,
    RelativeStrengthIndex, RollingWindow, SimpleMovingAverage)}


@contextlib.contextmanager
def wired_bases() -> Iterator[None]:
    """IndicatorsMixin among QCAlgorithm's bases for the duration (a no-op once algorithm.py has it)."""
    bases = QCAlgorithm.__bases__
    if IndicatorsMixin not in QCAlgorithm.__mro__:
        QCAlgorithm.__bases__ = bases + (IndicatorsMixin,)
    try:
        yield
    finally:
        QCAlgorithm.__bases__ = bases


def wire(monkeypatch: pytest.MonkeyPatch) -> None:
    original = runtime_module.AlgorithmRuntime.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.subscription_manager is None:
            self.subscription_manager = SubscriptionManager(self)

    monkeypatch.setattr(runtime_module.AlgorithmRuntime, "__init__", init)
    missing = [name for name in EXPORTS if not hasattr(algorithm_imports, name)]
    for name in missing:
        monkeypatch.setattr(algorithm_imports, name, EXPORTS[name], raising=False)
    monkeypatch.setattr(algorithm_imports, "__all__", list(algorithm_imports.__all__) + missing)


def run_file(path: Path, data: Path, out: Path, name: str) -> tuple[BacktestOutcome, dict[str, Any]]:
    outcome = run_backtest(BacktestOptions(path, data, out, algorithm_id=name))
    assert outcome.record is not None
    assert outcome.status == "Completed", outcome.record.error
    return outcome, json.loads((out / f"{name}-summary.json").read_text(encoding="utf-8"))
