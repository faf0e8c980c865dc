"""The algorithm framework names `from AlgorithmImports import *` gives (Lean's QuantConnect.Algorithm.Framework.*
namespaces), with the interface names users subclass."""
# ruff: noqa: F401  (this module exists to re-export names)
from __future__ import annotations

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.alpha import AlphaModel, CompositeAlphaModel, IAlphaModel, NullAlphaModel
from pylean.framework.buying_power_extensions import BuyingPowerModelExtensions
from pylean.framework.constant_alpha import ConstantAlphaModel
from pylean.framework.equal_weighting import EqualWeightingPortfolioConstructionModel
from pylean.framework.execution import ExecutionModel, IExecutionModel, ImmediateExecutionModel, NullExecutionModel
from pylean.framework.insight import (GeneratedInsightsCollection, Insight, InsightCollection, InsightDirection,
                                      InsightScore, InsightScoreType, InsightType)
from pylean.framework.insight_manager import InsightManager
from pylean.framework.order_sizing import OrderSizing
from pylean.framework.portfolio_bias import PortfolioBias
from pylean.framework.portfolio_construction import (IPortfolioConstructionModel, NullPortfolioConstructionModel,
                                                     PortfolioConstructionModel)
from pylean.framework.risk import (CompositeRiskManagementModel, IRiskManagementModel, NullRiskManagementModel,
                                   RiskManagementModel)
from pylean.framework.selection import (CompositeUniverseSelectionModel, IUniverseSelectionModel, ManualUniverse,
                                        ManualUniverseSelectionModel, NullUniverseSelectionModel,
                                        UniverseSelectionModel)
from pylean.framework.targets import PortfolioTargetCollection
from pylean.framework.universe_settings import UniverseSettings

from pylean.algorithm import QCAlgorithm
from pylean.runtime import SecurityChanges

IPortfolioTarget = PortfolioTarget
IAlgorithm = QCAlgorithm  # the interface Lean's event handlers are typed with

__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]
