"""The concrete framework models Lean writes in C# and AlgorithmImports exposes (Algorithm.Framework/*.cs),
written for pylean on the framework's base classes. One module per model family."""
from pylean.framework.models.alpha_ema_cross import EmaCrossAlphaModel
from pylean.framework.models.alpha_historical_returns import HistoricalReturnsAlphaModel
from pylean.framework.models.alpha_macd import MacdAlphaModel
from pylean.framework.models.alpha_rsi import RsiAlphaModel
from pylean.framework.models.accumulative_insight import AccumulativeInsightPortfolioConstructionModel
from pylean.framework.models.insight_weighting import (ConfidenceWeightedPortfolioConstructionModel,
                                                       InsightWeightingPortfolioConstructionModel)
from pylean.framework.models.risk_parity import RiskParityPortfolioConstructionModel, RiskParityPortfolioOptimizer
from pylean.framework.models.risk_per_security import (MaximumDrawdownPercentPerSecurity,
                                                       MaximumUnrealizedProfitPercentPerSecurity)
from pylean.framework.models.risk_sector_exposure import MaximumSectorExposureRiskManagementModel
from pylean.framework.models.risk_portfolio_drawdown import MaximumDrawdownPercentPortfolio
from pylean.framework.models.risk_trailing_stop import TrailingStopRiskManagementModel

__all__ = [
    "EmaCrossAlphaModel", "HistoricalReturnsAlphaModel", "MacdAlphaModel", "RsiAlphaModel",
    "AccumulativeInsightPortfolioConstructionModel", "ConfidenceWeightedPortfolioConstructionModel",
    "InsightWeightingPortfolioConstructionModel", "MaximumDrawdownPercentPerSecurity",
    "MaximumDrawdownPercentPortfolio", "MaximumUnrealizedProfitPercentPerSecurity",
    "TrailingStopRiskManagementModel", "MaximumSectorExposureRiskManagementModel", "RiskParityPortfolioConstructionModel", "RiskParityPortfolioOptimizer",
]
