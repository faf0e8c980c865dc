"""The algorithm framework's part of a time step (QCAlgorithm.Framework.cs, called by Engine/AlgorithmManager.cs):
universes from the selection model after initialize; security changes to every model after the algorithm's
on_securities_changed; after on_data, insight scoring, the alpha model on slices with data, then portfolio
construction, risk management and execution.

FrameworkState holds no reference to its algorithm (the state table in algorithm_framework.py is keyed by the
algorithm's identity): every step method takes the algorithm."""
from __future__ import annotations

from typing import Any

from pylean.algorithm_state import ctx_of
from pylean.framework.alpha import NullAlphaModel, model_name
from pylean.framework.events import AlgorithmEvent
from pylean.framework.execution import ImmediateExecutionModel
from pylean.framework.insight import GeneratedInsightsCollection
from pylean.framework.insight_manager import InsightManager
from pylean.framework.portfolio_construction import NullPortfolioConstructionModel, PortfolioConstructionModel
from pylean.framework.risk import NullRiskManagementModel, distinct_by_symbol
from pylean.framework.selection import NullUniverseSelectionModel
from pylean.framework.universe_settings import UniverseSettings
from pylean.universe.api import register
from pylean.universe.manager import manager_of
from pylean.naming import user_method


class FrameworkState:
    """The models an algorithm set, its insight manager and universe settings (Lean's defaults until set)."""

    def __init__(self, algorithm: Any) -> None:
        self.universe_selection: Any = NullUniverseSelectionModel()
        self.alpha: Any = NullAlphaModel()
        self.portfolio_construction: Any = NullPortfolioConstructionModel()
        self.execution: Any = ImmediateExecutionModel()
        self.risk_management: Any = NullRiskManagementModel()
        self.insights = InsightManager(algorithm)  # keeps only a weak reference to the algorithm
        self.universe_settings = UniverseSettings()
        self.insights_generated = AlgorithmEvent()
        self.in_use = False  # a model was set: the engine runs the framework each step
        self.warned: set[str] = set()

    # ------------------------------------------------------------ insights
    def initialize_insights(self, algorithm: Any, insights: list[Any]) -> list[Any]:
        """Stamp each insight (generated time, reference price, source model, close time); insights of delisted
        securities are dropped with a one-time error."""

        securities = algorithm.securities
        utc = algorithm.utc_time
        hours = ctx_of(algorithm).hours
        valid = []
        for insight in insights:
            security = securities[insight.symbol]
            if getattr(security, "is_delisted", False):
                if "delisted" not in self.warned:
                    self.warned.add("delisted")
                    algorithm.error("QCAlgorithm.EmitInsights(): Warning: cannot emit insights for delisted "
                                    "securities, these will be discarded")
                continue
            insight.generated_time_utc = utc
            insight.reference_value = security.price if int(insight.type) == 0 else 0.0
            if not insight.source_model:
                insight.source_model = model_name(self.alpha)
            insight.set_period_and_close_time(hours)
            valid.append(insight)
        return valid

    def on_insights_generated(self, algorithm: Any, insights: list[Any]) -> None:
        self.insights.add_range(insights)
        if self.insights_generated:
            self.insights_generated(algorithm, GeneratedInsightsCollection(algorithm.utc_time, insights))

    def process_insights(self, algorithm: Any, insights: list[Any]) -> None:
        """Targets from portfolio construction, overridden per symbol by risk management, to execution."""
        targets = list(user_method(self.portfolio_construction, "create_targets")(algorithm, insights) or [])
        overrides = list(user_method(self.risk_management, "manage_risk")(algorithm, targets) or [])
        adjusted = distinct_by_symbol(overrides, targets) if (overrides or targets) else []
        user_method(self.execution, "execute")(algorithm, adjusted)

    def emit(self, algorithm: Any, insights: list[Any]) -> list[Any]:
        if algorithm.is_warming_up:
            if "warmup" not in self.warned:
                self.warned.add("warmup")
                algorithm.error("Warning: insights emitted during algorithm warmup are ignored.")
            return insights
        insights = self.initialize_insights(algorithm, insights)
        self.on_insights_generated(algorithm, insights)
        self.process_insights(algorithm, insights)
        return insights

    # ------------------------------------------------------------ the engine's hooks
    def post_initialize(self, algorithm: Any) -> None:
        """Lean's PostInitialize: the rebalance settings onto the portfolio model, then the selection model's
        universes."""
        settings = algorithm.settings
        pcm = self.portfolio_construction
        on_security = getattr(settings, "rebalance_portfolio_on_security_changes", None)
        on_insight = getattr(settings, "rebalance_portfolio_on_insight_changes", None)
        if isinstance(pcm, PortfolioConstructionModel):
            if on_security is not None:
                pcm.rebalance_on_security_changes = on_security
            if on_insight is not None:
                pcm.rebalance_on_insight_changes = on_insight
        elif on_security is not None or on_insight is not None:
            algorithm.debug("Warning: rebalance portfolio settings are set but not supported by the current "
                            f"IPortfolioConstructionModel type: {type(pcm)}")
        for universe in user_method(self.universe_selection, "create_universes")(algorithm) or []:
            self.add_universe(algorithm, universe)

    def add_universe(self, algorithm: Any, universe: Any) -> None:
        """A universe that applies itself (a manual one) does so; any other goes to Lean's AddUniverse."""
        apply = getattr(universe, "apply", None)
        if apply is not None:
            apply(algorithm)
            manager_of(ctx_of(algorithm)).note_external(universe)  # listed in algorithm.universe_manager
        else:
            register(algorithm, universe)  # Lean's own AddUniverse, whatever a subclass calls add_universe

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for model in (self.alpha, self.portfolio_construction, self.execution, self.risk_management):
            user_method(model, "on_securities_changed")(algorithm, changes)

    def on_data(self, algorithm: Any, data: Any, has_data: bool) -> None:
        utc = algorithm.utc_time
        selection = self.universe_selection
        if utc >= user_method(selection, "get_next_refresh_time_utc")():
            for universe in user_method(selection, "create_universes")(algorithm) or []:
                self.add_universe(algorithm, universe)
        self.insights.step(utc)
        if not has_data:
            return
        insights = list(user_method(self.alpha, "update")(algorithm, data) or [])
        if insights:
            insights = self.initialize_insights(algorithm, insights)
            self.on_insights_generated(algorithm, insights)
        self.process_insights(algorithm, insights)

    def on_order_event(self, algorithm: Any, order_event: Any) -> None:
        user_method(self.execution, "on_order_event")(algorithm, order_event)
