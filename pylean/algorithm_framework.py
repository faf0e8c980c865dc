"""QCAlgorithm's algorithm-framework members (Algorithm/QCAlgorithm.Framework.cs): the models, `insights`,
`universe_settings`, `emit_insights` and the insights-generated event.

The models live in a FrameworkState kept outside the algorithm object, in a table keyed by its identity, so no
attribute a user sets can reach it. Lean's public names (`alpha`, `execution`, ...) are properties: a user who
stores something else under one of them keeps it as a plain attribute of their own and the engine's model stays
in place."""
from __future__ import annotations

import weakref
from typing import Any

from pylean.framework.alpha import CompositeAlphaModel, NullAlphaModel
from pylean.framework.pipeline import FrameworkState
from pylean.framework.risk import CompositeRiskManagementModel, NullRiskManagementModel
from pylean.framework.selection import CompositeUniverseSelectionModel, NullUniverseSelectionModel
from pylean.naming import lean_api

_STATES: dict[int, FrameworkState] = {}


def framework_state(algorithm: Any) -> FrameworkState:
    """The algorithm's framework state, made on first use (dropped with the algorithm)."""
    found = _STATES.get(id(algorithm))
    if found is None:
        found = _STATES[id(algorithm)] = FrameworkState(algorithm)
        weakref.finalize(algorithm, _STATES.pop, id(algorithm), None)  # the id may be reused once it is gone
    return found


def framework_in_use(algorithm: Any) -> FrameworkState | None:
    """The state when the algorithm set any framework model (the engine then runs the framework each step)."""
    found = _STATES.get(id(algorithm))
    return found if found is not None and found.in_use else None


def run_context(algorithm: Any) -> Any:
    """The run's components (securities, transactions, exchange hours) behind the algorithm."""
    return algorithm._ctx


def add_universe_security(algorithm: Any, symbol: Any, settings: Any) -> Any:
    """A security a universe selected, subscribed with the universe's settings (kept if already added)."""
    from pylean.enums import DataNormalizationMode, Resolution

    return run_context(algorithm).add_equity(
        symbol.value, Resolution(settings.resolution), bool(settings.fill_forward), float(settings.leverage or 0.0),
        bool(settings.extended_market_hours), DataNormalizationMode(settings.data_normalization_mode))


def _model_property(field: str, lean_name: str) -> property:
    """Lean's model property: reads the framework's model unless the user stored something of their own."""
    own = f"_pylean_user_{field}"

    def get(self: Any) -> Any:
        if own in self.__dict__:
            return self.__dict__[own]
        return getattr(framework_state(self), field)

    def set_(self: Any, value: Any) -> None:
        self.__dict__[own] = value  # the user's own attribute: the engine keeps using its model

    return property(get, set_, doc=f"Lean's QCAlgorithm.{lean_name}")


@lean_api
class FrameworkMixin:
    universe_selection = _model_property("universe_selection", "UniverseSelection")
    alpha = _model_property("alpha", "Alpha")
    portfolio_construction = _model_property("portfolio_construction", "PortfolioConstruction")
    execution = _model_property("execution", "Execution")
    risk_management = _model_property("risk_management", "RiskManagement")

    @property
    def insights(self) -> Any:
        if "_pylean_user_insights" in self.__dict__:
            return self.__dict__["_pylean_user_insights"]
        return framework_state(self).insights

    @insights.setter
    def insights(self, value: Any) -> None:
        self.__dict__["_pylean_user_insights"] = value

    @property
    def universe_settings(self) -> Any:
        return framework_state(self).universe_settings

    @universe_settings.setter
    def universe_settings(self, value: Any) -> None:
        framework_state(self).universe_settings = value

    @property
    def insights_generated(self) -> Any:
        return framework_state(self).insights_generated

    @insights_generated.setter
    def insights_generated(self, value: Any) -> None:
        framework_state(self).insights_generated = value  # `+=` reads, adds and stores the same event back

    # ------------------------------------------------------------ models
    def set_universe_selection(self, universe_selection: Any) -> None:
        state = framework_state(self)
        state.universe_selection = universe_selection
        state.in_use = True

    def add_universe_selection(self, universe_selection: Any) -> None:
        state = framework_state(self)
        current = state.universe_selection
        if type(current) is NullUniverseSelectionModel:
            state.universe_selection = universe_selection
        elif isinstance(current, CompositeUniverseSelectionModel):
            current.add_universe_selection(universe_selection)
        else:
            state.universe_selection = CompositeUniverseSelectionModel(current, universe_selection)
        state.in_use = True

    def set_alpha(self, alpha: Any) -> None:
        state = framework_state(self)
        state.alpha = alpha
        state.in_use = True

    def add_alpha(self, alpha: Any) -> None:
        state = framework_state(self)
        current = state.alpha
        if type(current) is NullAlphaModel:
            state.alpha = alpha
        elif isinstance(current, CompositeAlphaModel):
            current.add_alpha(alpha)
        else:
            state.alpha = CompositeAlphaModel(current, alpha)
        state.in_use = True

    def set_portfolio_construction(self, portfolio_construction: Any) -> None:
        state = framework_state(self)
        state.portfolio_construction = portfolio_construction
        state.in_use = True

    def set_execution(self, execution: Any) -> None:
        state = framework_state(self)
        state.execution = execution
        state.in_use = True

    def set_risk_management(self, risk_management: Any) -> None:
        state = framework_state(self)
        state.risk_management = risk_management
        state.in_use = True

    def add_risk_management(self, risk_management: Any) -> None:
        state = framework_state(self)
        current = state.risk_management
        if type(current) is NullRiskManagementModel:
            state.risk_management = risk_management
        elif isinstance(current, CompositeRiskManagementModel):
            current.add_risk_management(risk_management)
        else:
            state.risk_management = CompositeRiskManagementModel(current, risk_management)
        state.in_use = True

    # ------------------------------------------------------------ insights
    def emit_insights(self, *insights: Any) -> list[Any]:
        """Stamp, record and (unless warming up) turn the insights into targets and orders now."""
        flat = [i for item in insights for i in (item if isinstance(item, (list, tuple)) else [item])]
        return framework_state(self).emit(self, flat)
